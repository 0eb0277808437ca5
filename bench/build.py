"""Playlist movie builds end to end on the local stack (moto S3, the Step Functions
state machine, the Lambda functions in this process), against the same work done bare.

A playlist of 50 entries, each a 10 s normalized 720p movie, is built:
  - bare: download the 50 objects, one `ffmpeg -f concat -c copy`, upload the result
    (what a build was before it was frame-exact: its timeline drifts);
  - ours: GET build/mp4, then poll the job until it succeeds (plan, chunks, join by S3
    UploadPartCopy, email);
  - ours again after one entry was re-pinned (that chunk and the join are re-made);
  (each `--repeats` times, alternating, with the piece cache emptied before each first build)
  - ours with quality=web, from the low-definition renditions;
  - ours with one chunk made again whole (its piece and all its entries' sound dropped from
    the cache): plan + one chunk + join, what a first build costs when every chunk has its
    own Lambda, as in the cloud (here all ten chunks of a first build share two cores);
then a playlist of 300 short entries (1 to 2 s, solid colours) is built, and its movie is
decoded to count its frames and find each cut.

    .venv/bin/python bench/build.py [entries] [seconds per clip] [--fast-setup] [--repeats=N] [--long=N]

--fast-setup normalizes the clips with "ultrafast" instead of ingest's preset: quicker to set
up, but then no entry is in the full build's encoding, and every one is conformed.
"""
import itertools
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from devstack.stack import LocalStack, free_port  # noqa: E402

DISTINCT_CLIPS = 5
# Frame counts of the long playlist's clips (25 fps): 1 to 2 s, none a multiple of 8, so
# that no cut falls on the AAC packet grid by chance.
SHORT_FRAMES = (25, 31, 37, 43, 50, 29, 35)
COLOURS = ("red", "lime", "blue", "white", "yellow", "magenta", "cyan")
RGB = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255), "white": (255, 255, 255),
       "yellow": (255, 255, 0), "magenta": (255, 0, 255), "cyan": (0, 255, 255)}


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed:8.2f} s", flush=True)
    return result, elapsed


def bare_pipeline(keys: list[str], work_dir: pathlib.Path) -> None:
    from chalicelib import storage
    from chalicelib.media.ffmpeg import ffmpeg_binary

    paths = []
    for number, key in enumerate(keys):
        paths.append(work_dir / f"bare-{number:03d}.mp4")
        storage.download_file(key, str(paths[-1]))
    listing = work_dir / "bare.ffconcat"
    listing.write_text("ffconcat version 1.0\n" + "".join(f"file '{path}'\n" for path in paths))
    out = work_dir / "bare-out.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
                    "-i", str(listing), "-map", "0", "-c", "copy", "-movflags", "+faststart", str(out)], check=True)
    storage.upload_file(str(out), f"bench/bare-{time.time_ns()}.mp4", "video/mp4")
    for path in [*paths, out]:
        path.unlink()


def coloured_clip(work: pathlib.Path, colour: str, frames: int, fps: str, width: int, height: int,
                  preset: str) -> str:
    from chalicelib.media import normalize_movie
    from chalicelib.media.ffmpeg import ffmpeg_binary

    source = work / f"{colour}-{frames}.mp4"
    seconds = frames / float(fps)
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"color={colour}:size={width}x{height}:rate={fps}:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency={300 + 100 * frames % 900}:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(source)], check=True)
    movie = work / f"{colour}-{frames}-normalized.mp4"
    normalize_movie(str(source), str(movie), fps, width, height, preset=preset)
    return str(movie)


def frame_colours(path: str) -> list[str]:
    """The colour of every frame of a movie (its centre pixel), decoded by ffmpeg."""
    from chalicelib.media.ffmpeg import ffmpeg_binary

    raw = subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:v:0",
                          "-vf", "crop=2:2,format=rgb24", "-f", "rawvideo", "-"], check=True,
                         capture_output=True).stdout
    return [min(RGB, key=lambda name: sum((a - b) ** 2 for a, b in zip(RGB[name], raw[n:n + 3], strict=True)))
            for n in range(0, len(raw), 12)]


def main(entries: int = 50, seconds: float = 10.0, fast_setup: bool = False, repeats: int = 3,
         long_entries: int = 300) -> None:
    stack = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    try:
        run(stack, entries, seconds, fast_setup, repeats, long_entries)
    finally:
        stack.stop()


def run(stack, entries: int, seconds: float, fast_setup: bool, repeats: int, long_entries: int) -> None:
    from chalicelib import auth, storage
    from chalicelib.media import encoding, mp4box, normalize_movie
    from chalicelib.services.production import collections as c
    from chalicelib.services.production import data
    from devstack import demo, sample_media

    seeded = demo.seed()
    project = seeded["project"]  # 1280x720 at 25 fps
    fps, width, height = sample_media.project_canvas(project)
    animation = seeded["task_types"]["Animation"]["id"]
    token = auth.issue_tokens(seeded["people"]["manager"])["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    api = f"{stack.api_url}/api"
    preset = "ultrafast" if fast_setup else encoding.high_def_preset(width, height)
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-build-clips-"))

    def make_clips():
        clips = [sample_media.normalized_clip(seconds, fps, width, height, sample_media.PATTERNS[n], preset)
                 for n in range(DISTINCT_CLIPS)]
        low = []
        for clip in clips:
            # As the previews pipeline makes the low-definition rendition (6 Mb/s, veryfast).
            low.append(clip.replace(".mp4", "-low.mp4"))
            normalize_movie(clip, low[-1], fps, width, height, low_def=True, preset="veryfast")
        return clips, low

    (clips, low_clips), _ = timed(f"setup: normalize {DISTINCT_CLIPS} clips of {seconds:g} s at {width}x{height}"
                                  " (and their low renditions)", make_clips)

    def new_task(name: str) -> dict:
        shot = data.store_new(c.COLLECTIONS["shots"], {"name": name, "project_id": project["id"],
                                                       "parent_id": seeded["sequence"]["id"], "data": {}})
        return shot, data.store_new(c.COLLECTIONS["tasks"], data.prepare_new(c.COLLECTIONS["tasks"], {
            "project_id": project["id"], "entity_id": shot["id"], "task_type_id": animation}))

    def ready_preview(task: dict, number: int) -> dict:
        preview = sample_media.add_ready_preview(task, clips[number % DISTINCT_CLIPS])
        storage.upload_file(low_clips[number % DISTINCT_CLIPS], storage.preview_key(preview["id"], "low"),
                            "video/mp4")
        return preview

    def make_previews():
        made = []
        for number in range(entries):
            shot, task = new_task(f"B{number:03d}")
            made.append((shot, task, ready_preview(task, number)))
        return made

    made, _ = timed(f"setup: store {entries} previews in S3", make_previews)
    playlist = new_playlist(api, headers, project, "bench", [(shot, preview) for shot, _, preview in made])
    keys = [storage.preview_key(preview["id"], "movie") for _, _, preview in made]
    total_mb = sum(storage.head(key)["size"] for key in keys) / 1e6
    print(f"{entries} entries, {total_mb:.0f} MB of movies", flush=True)

    def build(playlist_id: str, **params) -> dict:
        return build_and_wait(api, headers, playlist_id, **params)

    bare_times, first_times, rebuild_times = [], [], []
    for attempt in range(1, repeats + 1):
        with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
            bare_times.append(timed(f"[{attempt}] bare: download, one ffmpeg concat -c copy, upload",
                                    lambda: bare_pipeline(keys, pathlib.Path(scratch)))[1])
        storage.delete_prefix(storage.PLAYLIST_CHUNK_PREFIX)  # a first build: nothing cached
        first, elapsed = timed(f"[{attempt}] ours: build through the state machine", lambda: build(playlist["id"]))
        first_times.append(elapsed)
        _, task, _ = made[(attempt * 7) % entries]
        retake = ready_preview(task, attempt)
        current = requests.get(f"{api}/data/playlists/{playlist['id']}", headers=headers, timeout=60).json()
        current["shots"][(attempt * 7) % entries]["preview_file_id"] = retake["id"]
        requests.put(f"{api}/data/playlists/{playlist['id']}", headers=headers, json=current, timeout=60)
        second, elapsed = timed(f"[{attempt}] ours: rebuild after one entry changed", lambda: build(playlist["id"]))
        rebuild_times.append(elapsed)
    print(f"    {first['chunks_total']} chunks, movie of {first['duration']:.3f} s "
          f"({first['frame_count']} frames), {first['file_size'] / 1e6:.0f} MB; the rebuild re-made "
          f"{second['chunks_total'] - second['chunks_reused']} of {second['chunks_total']} chunks; joined by "
          f"{first.get('join_method')}", flush=True)
    alone_seconds = timed("ours: one chunk made whole, then the join (a Lambda per chunk)",
                          lambda: build_with_one_chunk_new(api, headers, playlist["id"]))[1]
    web, web_seconds = timed("ours: web-optimized build (quality=web)", lambda: build(playlist["id"], quality="web"))
    print(f"    web movie {web['width']}x{web['height']}, {web['file_size'] / 1e6:.0f} MB "
          f"(full quality {first['file_size'] / 1e6:.0f} MB)", flush=True)

    # --- the long playlist: frame count and cuts -----------------------------------------
    # Normalized as ingest does, so that they are copied, as the long playlist's 50 are.
    short_clips, _ = timed(f"setup: {len(SHORT_FRAMES)} short coloured clips", lambda: {
        frames: coloured_clip(work, COLOURS[n], frames, fps, width, height, preset)
        for n, frames in enumerate(SHORT_FRAMES)})
    long_made = []
    for number in range(long_entries):
        shot, task = new_task(f"L{number:03d}")
        frames = SHORT_FRAMES[number % len(SHORT_FRAMES)]
        long_made.append((shot, sample_media.add_ready_preview(task, short_clips[frames]), frames))
    long_playlist = new_playlist(api, headers, project, "bench-long", [(s, p) for s, p, _ in long_made])
    storage.delete_prefix(storage.PLAYLIST_CHUNK_PREFIX)
    long_job, long_seconds = timed(f"ours: build of {long_entries} entries of 1 to 2 s",
                                   lambda: build(long_playlist["id"]))
    movie = work / "long.mp4"
    storage.download_file(storage.playlist_build_key(long_job["id"]), str(movie))
    expected_cuts = list(itertools.accumulate(frames for _, _, frames in long_made))
    colours = frame_colours(str(movie))
    actual_cuts = [n + 1 for n in range(len(colours) - 1) if colours[n] != colours[n + 1]] + [len(colours)]
    cut_errors = [abs(a - e) for a, e in zip(actual_cuts, expected_cuts, strict=False)]
    tracks = {track.kind: track for track in mp4box.tracks(str(movie))}
    audio_seconds = tracks["soun"].duration_ticks / tracks["soun"].timescale - 1024 / 48000  # less the priming
    video_seconds = tracks["vide"].duration_ticks / tracks["vide"].timescale

    bare, ours, rebuild = (statistics.median(t) for t in (bare_times, first_times, rebuild_times))
    print()
    print(f"medians of {repeats}: bare {bare:.2f} s, ours {ours:.2f} s, rebuild {rebuild:.2f} s, "
          f"web {web_seconds:.2f} s")
    print(f"ours / bare:                {ours / bare:6.2f}   (target <= 1.2)")
    print(f"rebuild / first build:      {rebuild / ours:6.2f}   (target <= 0.3)")
    print(f"a Lambda per chunk:          {alone_seconds:6.2f} s: plan + one chunk + join; "
          f"/ bare {alone_seconds / bare:.2f} (the first build's critical path in the cloud)")
    print(f"web-optimized build:        {web_seconds:6.2f} s ({web_seconds / ours:.2f} of a full build)")
    print(f"{long_entries}-entry build:          {long_seconds:6.2f} s, {long_job['status']}, "
          f"{long_job['chunks_total']} chunks joined by {long_job.get('join_method')}")
    print(f"    frames expected {expected_cuts[-1]}, in the movie {len(colours)} "
          f"(mp4 index {tracks['vide'].sample_count}); cuts found {len(actual_cuts)} of {len(expected_cuts)}")
    print(f"    largest cut error: {max(cut_errors) if cut_errors else 'n/a'} frames (target 0)")
    print(f"    video {video_seconds:.3f} s, audio {audio_seconds:.3f} s "
          f"({(audio_seconds - video_seconds) * 48000:.0f} samples longer; within one AAC frame: "
          f"{0 <= (audio_seconds - video_seconds) * 48000 < 1024})")


def build_with_one_chunk_new(api: str, headers: dict, playlist_id: str) -> dict:
    """Build after dropping one chunk's piece and every sound piece of its entries from the
    cache (the other chunks are reused): its Lambda does all a first build's chunk does."""
    from chalicelib import storage
    from chalicelib.config import settings
    from chalicelib.models import records
    from chalicelib.services.playlists import build_pieces, entry_previews

    playlist = records.get(playlist_id)
    project = records.get(playlist["project_id"])
    build = build_pieces.build_format(project, "full")
    chunks = build_pieces.plan_chunks(entry_previews.movie_entries(playlist, project).movies, build,
                                      settings().build_chunk_size, settings().build_piece_bytes)
    chunk = chunks[len(chunks) // 2]
    storage.delete_keys([storage.playlist_chunk_key(chunk["key"]), storage.playlist_layout_key(chunk["key"]),
                         *(storage.playlist_sound_key(sound["key"]) for sound in chunk["sounds"])])
    job = build_and_wait(api, headers, playlist_id)
    if job["chunks_total"] - job["chunks_reused"] != 1:
        raise SystemExit(f"expected one chunk made again, {job['chunks_total'] - job['chunks_reused']} were")
    return job


def new_playlist(api: str, headers: dict, project: dict, name: str, entries: list) -> dict:
    shots = [{"entity_id": shot["id"], "preview_file_id": preview["id"]} for shot, preview in entries]
    return requests.post(f"{api}/data/playlists", headers=headers, timeout=60, json={
        "name": name, "project_id": project["id"], "shots": shots}).json()


def build_and_wait(api: str, headers: dict, playlist_id: str, **params) -> dict:
    job = requests.get(f"{api}/data/playlists/{playlist_id}/build/mp4", headers=headers, params=params,
                       timeout=60).json()
    while job["status"] == "running":
        time.sleep(0.1)
        job = requests.get(f"{api}/data/playlists/{playlist_id}/jobs/{job['id']}", headers=headers,
                           timeout=60).json()
    if job["status"] != "succeeded":
        raise SystemExit(f"build failed: {job.get('failure_reason')}")
    return job


if __name__ == "__main__":
    flags = dict(arg[2:].partition("=")[::2] for arg in sys.argv[1:] if arg.startswith("--"))
    numbers = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    main(int(numbers[0]) if numbers else 50, float(numbers[1]) if len(numbers) > 1 else 10.0,
         fast_setup="fast-setup" in flags, repeats=int(flags.get("repeats") or 3),
         long_entries=int(flags.get("long") or 300))
