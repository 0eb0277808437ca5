"""Playlist movie builds end to end on the local stack (moto S3, the Step Functions
state machine, the Lambda functions in this process), against the same work done bare.

A playlist of 50 entries, each a 10 s normalized 720p movie, is built:
  - bare: download the 50 objects, one `ffmpeg -f concat -c copy`, upload the result;
  - ours: GET build/mp4, then poll the job until it succeeds (plan, chunks, join, email);
  - ours again after one entry was re-pinned (one chunk and the join are re-made);
  (each three times, alternating, with the chunk cache emptied before each first build)
  - ours with full=true, the re-encoding path.

    .venv/bin/python bench/build.py [entries] [seconds per clip] [--skip-reencode] [--fast-setup]
"""
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
REPEATS = 3  # bare and ours alternate; medians are compared
# Clips are normalized as ingest does (its preset decides how big they come out, and
# bytes moved are most of a copy build's time); --fast-setup uses "veryfast", whose
# smaller files flatter the copy path.


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


def main(entries: int = 50, seconds: float = 10.0, skip_reencode: bool = False, fast_setup: bool = False) -> None:
    stack = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    try:
        run(stack, entries, seconds, skip_reencode, fast_setup)
    finally:
        stack.stop()


def run(stack, entries: int, seconds: float, skip_reencode: bool, fast_setup: bool) -> None:
    from chalicelib import auth, storage
    from chalicelib.media import encoding
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

    preset = "veryfast" if fast_setup else encoding.ENCODE_PRESET

    def make_clips():
        return [sample_media.normalized_clip(seconds, fps, width, height, sample_media.PATTERNS[n], preset)
                for n in range(DISTINCT_CLIPS)]

    clips, _ = timed(f"setup: normalize {DISTINCT_CLIPS} clips of {seconds:g} s at {width}x{height}", make_clips)

    def make_previews():
        made = []
        for number in range(entries):
            shot = data.store_new(c.COLLECTIONS["shots"], {"name": f"B{number:03d}", "project_id": project["id"],
                                                           "parent_id": seeded["sequence"]["id"], "data": {}})
            task = data.store_new(c.COLLECTIONS["tasks"], data.prepare_new(c.COLLECTIONS["tasks"], {
                "project_id": project["id"], "entity_id": shot["id"], "task_type_id": animation}))
            made.append((shot, task, sample_media.add_ready_preview(task, clips[number % DISTINCT_CLIPS])))
        return made

    made, _ = timed(f"setup: store {entries} previews in S3", make_previews)
    shots = [{"entity_id": shot["id"], "preview_file_id": preview["id"]} for shot, _, preview in made]
    playlist = requests.post(f"{api}/data/playlists", headers=headers, timeout=60, json={
        "name": "bench", "project_id": project["id"], "shots": shots}).json()
    keys = [storage.preview_key(preview["id"], "movie") for _, _, preview in made]
    total_mb = sum(storage.head(key)["size"] for key in keys) / 1e6
    print(f"{entries} entries, {total_mb:.0f} MB of movies", flush=True)

    def build(**params) -> dict:
        job = requests.get(f"{api}/data/playlists/{playlist['id']}/build/mp4", headers=headers, params=params,
                           timeout=60).json()
        while job["status"] == "running":
            time.sleep(0.1)
            job = requests.get(f"{api}/data/playlists/{playlist['id']}/jobs/{job['id']}", headers=headers,
                               timeout=60).json()
        if job["status"] != "succeeded":
            raise SystemExit(f"build failed: {job.get('failure_reason')}")
        return job

    bare_times, first_times, rebuild_times = [], [], []
    for attempt in range(1, REPEATS + 1):
        with tempfile.TemporaryDirectory(prefix="bench-build-") as work:
            bare_times.append(timed(f"[{attempt}] bare: download, one ffmpeg concat -c copy, upload",
                                    lambda: bare_pipeline(keys, pathlib.Path(work)))[1])
        storage.delete_prefix(storage.PLAYLIST_CHUNK_PREFIX)  # a first build: nothing cached
        first, elapsed = timed(f"[{attempt}] ours: build through the state machine", build)
        first_times.append(elapsed)
        _, task, _ = made[(attempt * 7) % entries]
        retake = sample_media.add_ready_preview(task, clips[attempt % DISTINCT_CLIPS])
        current = requests.get(f"{api}/data/playlists/{playlist['id']}", headers=headers, timeout=60).json()
        current["shots"][(attempt * 7) % entries]["preview_file_id"] = retake["id"]
        requests.put(f"{api}/data/playlists/{playlist['id']}", headers=headers, json=current, timeout=60)
        second, elapsed = timed(f"[{attempt}] ours: rebuild after one entry changed", build)
        rebuild_times.append(elapsed)
    print(f"    {first['chunks_total']} chunks, movie of {first['duration']:.1f} s, "
          f"{first['file_size'] / 1e6:.0f} MB; the rebuild re-made "
          f"{second['chunks_total'] - second['chunks_reused']} of {second['chunks_total']} chunks", flush=True)
    bare, ours, rebuild = (statistics.median(t) for t in (bare_times, first_times, rebuild_times))
    print(f"medians of {REPEATS}: bare {bare:.2f} s, ours {ours:.2f} s, rebuild {rebuild:.2f} s")
    print(f"ours / bare:                {ours / bare:6.2f}   (target <= 2.0)")
    print(f"rebuild / first build:      {rebuild / ours:6.2f}")
    if skip_reencode:
        return
    _, reencode = timed("ours, re-encoding (full=true)", lambda: build(full="true"))
    print(f"re-encode / ours:           {reencode / ours:6.1f}×  (target >= 20)")


if __name__ == "__main__":
    flags = [arg for arg in sys.argv[1:] if arg.startswith("--")]
    numbers = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    main(int(numbers[0]) if numbers else 50, float(numbers[1]) if len(numbers) > 1 else 10.0,
         skip_reencode="--skip-reencode" in flags, fast_setup="--fast-setup" in flags)
