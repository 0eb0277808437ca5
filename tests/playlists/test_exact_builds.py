"""Playlist movies are frame-exact and project-true: built through the state machine from
entries of solid colours and pure tones, then read back with PyAV frame by frame and
sample by sample."""
import math
import pathlib
import subprocess
from array import array

import av
import pytest

from chalicelib import storage
from chalicelib.media import encoding, mp4box, normalize_movie
from chalicelib.media.ffmpeg import ffmpeg_binary
from chalicelib.models import records
from devstack import sample_media
from tests.playlists.test_movie_builds import start_build

COLOURS = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255), "white": (255, 255, 255),
           "yellow": (255, 255, 0), "magenta": (255, 0, 255)}
SAMPLE_RATE = encoding.AUDIO_SAMPLE_RATE


def coloured_clip(work: pathlib.Path, colour: str, frequency: int, frames: int, fps: str = "25",
                  size: str = "320x180") -> str:
    """A normalized movie: `frames` frames of one colour, a `frequency` Hz tone."""
    source = work / f"{colour}-{frequency}-{frames}-{fps.replace('/', '_')}-source.mp4"
    seconds = frames / float(encoding.fps_fraction(fps))
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"color={colour}:size={size}:rate={fps}:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(source)], check=True)
    movie = source.with_name(source.stem.replace("-source", "") + ".mp4")
    width, height = (int(side) for side in size.split("x"))
    normalize_movie(str(source), str(movie), fps, width, height)
    return str(movie)


def colour_of(frame) -> str:
    pixel = frame.to_image().getpixel((frame.width // 2, frame.height // 2))
    return min(COLOURS, key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOURS[name], pixel, strict=True)))


def decoded_sound(path: str) -> tuple[array, list[tuple[int, int]]]:
    """The left channel of the first audio track, and each decoded frame's (pts, samples)."""
    samples, frames = array("f"), []
    with av.open(path) as container:
        for frame in container.decode(audio=0):
            frames.append((frame.pts, frame.samples))
            samples.extend(array("f", bytes(frame.planes[0]))[:frame.samples])
    return samples, frames


def without_parameter_sets(packet: bytes) -> bytes:
    """An MP4 H.264 packet (4-byte length-prefixed NAL units) without its SPS and PPS units."""
    kept, offset = [], 0
    while offset + 4 <= len(packet):
        length = int.from_bytes(packet[offset:offset + 4], "big")
        unit = packet[offset:offset + 4 + length]
        if unit[4] & 0x1F not in (7, 8):
            kept.append(unit)
        offset += 4 + length
    return b"".join(kept)


def best_lag(sound: array, frequency: int, entry_start: int, start: int, end: int) -> int:
    """The shift (in samples, -3..3) at which the entry's tone (lavfi's sine, from its first
    sample at `entry_start`) fits `sound[start:end]` best: 0 when the sound sits exactly
    where its entry starts."""
    def misfit(lag: int) -> float:
        return sum(abs(sound[n] - 0.125 * math.sin(2 * math.pi * frequency * (n - lag - entry_start) / SAMPLE_RATE))
                   for n in range(start, end, 3))
    return min(range(-3, 4), key=misfit)


@pytest.fixture
def clips(tmp_path_factory):
    return tmp_path_factory.mktemp("exact-clips")


@pytest.fixture
def entries(production, new_playlist, clips):
    """entries(spec) -> (playlist, previews): one shot per (colour, tone, frames), ready previews."""
    def make(spec: list[tuple[str, int, int]], fps: str = "25", size: str = "320x180") -> tuple[dict, list[dict]]:
        previews = []
        shots = []
        for colour, frequency, frames in spec:
            shot = production.new_shot()
            previews.append(sample_media.add_ready_preview(
                production.task(shot), coloured_clip(clips, colour, frequency, frames, fps, size)))
            shots.append(shot)
        playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                       for s, p in zip(shots, previews, strict=True)])
        return playlist, previews

    return make


def built_movie(api, wait_for_job, playlist: dict, tmp_path, **params) -> tuple[dict, str]:
    done = wait_for_job(playlist["id"], start_build(api, playlist["id"], **params)["id"])
    assert done["status"] == "succeeded", done.get("failure_reason")
    path = tmp_path / f"{done['id']}.mp4"
    path.write_bytes(storage.open_object(storage.playlist_build_key(done["id"])).read())
    return done, str(path)


SPEC = [("red", 600, 13), ("lime", 900, 7), ("blue", 1200, 11), ("white", 750, 9), ("yellow", 1050, 6)]


def test_a_three_chunk_build_is_frame_exact_with_its_sound_on_the_cuts(api, entries, wait_for_job, small_chunks,
                                                                      tmp_path):
    playlist, _ = entries(SPEC)
    done, movie = built_movie(api, wait_for_job, playlist, tmp_path)
    assert done["chunks_total"] == 3 and done["frame_count"] == sum(frames for _, _, frames in SPEC)

    with av.open(movie) as container:
        video = [(frame.pts * frame.time_base, colour_of(frame)) for frame in container.decode(video=0)]
    assert video[0][0] == 0
    expected = [colour for colour, _, frames in SPEC for _ in range(frames)]
    assert [colour for _, colour in video] == expected  # frame k shows entry e: every cut on its frame
    assert [pts for pts, _ in video] == [pytest.approx(k / 25) for k in range(len(expected))]

    sound, frames = decoded_sound(movie)
    total = len(expected) * SAMPLE_RATE // 25
    assert frames[0][0] == 0
    # No gap, no overlap: every decoded frame starts where the one before ended.
    assert all(pts + count == following for (pts, count), (following, _) in zip(frames, frames[1:], strict=False))
    assert total <= len(sound) < total + 1024  # as long as the video, within one AAC frame
    start = 0
    for _, frequency, entry_frames in SPEC:
        end = start + entry_frames * SAMPLE_RATE // 25
        # Away from the cut by one transform, the entry's tone is there, from its first frame's sample.
        assert best_lag(sound, frequency, start, start + 2048, end - 2048) == 0
        start = end


def test_a_full_build_copies_the_previews_and_a_web_build_the_low_renditions(api, entries, wait_for_job, tmp_path,
                                                                            clips):
    playlist, previews = entries(SPEC[:2])
    for preview in previews:
        # The low rendition as the previews pipeline makes it (6 Mb/s, veryfast) at this small canvas.
        source = clips / f"{preview['id']}-full.mp4"
        storage.download_file(storage.preview_key(preview["id"], "movie"), str(source))
        low = clips / f"{preview['id']}-low.mp4"
        subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-i", str(source),
                        "-map", "0:v", "-map", "0:a", *encoding.h264_args(["-b:v", encoding.LOW_DEF_BITRATE],
                                                                           preset="veryfast"),
                        *encoding.aac_args(), *encoding.mp4_args(), str(low)], check=True)
        storage.upload_file(str(low), storage.preview_key(preview["id"], "low"), "video/mp4")

    full, full_movie = built_movie(api, wait_for_job, playlist, tmp_path, full="true")
    web, web_movie = built_movie(api, wait_for_job, playlist, tmp_path, quality="web")
    assert (full["quality"], web["quality"]) == ("full", "web")
    assert web["chunks_reused"] == 0  # its own pieces, not the full build's

    def packets(path: str) -> list[bytes]:
        """The coded pictures; the joins repeat the SPS and PPS in front of each file's first
        picture (ffmpeg's concat demuxer does), which changes no picture."""
        with av.open(path) as container:
            return [without_parameter_sets(bytes(packet)) for packet in container.demux(video=0) if packet.size]

    # Full quality never goes below the previews: their very packets. Web: the low renditions'.
    for built, rendition in ((full_movie, "movie"), (web_movie, "low")):
        originals = []
        for preview in previews:
            path = clips / f"{preview['id']}-{rendition}-read.mp4"
            storage.download_file(storage.preview_key(preview["id"], rendition), str(path))
            originals += packets(str(path))
        assert packets(built) == originals, rendition
    assert mp4box.video_track(full_movie).decoder_config != mp4box.video_track(web_movie).decoder_config or \
        packets(full_movie) != packets(web_movie)
    with av.open(full_movie) as full_file, av.open(web_movie) as web_file:
        assert full_file.streams.audio[0].bit_rate > web_file.streams.audio[0].bit_rate


def test_after_the_project_changes_format_the_next_build_follows_it(api, production, entries, wait_for_job, tmp_path):
    playlist, _ = entries([("magenta", 500, 10), ("lime", 700, 8)])
    before, _ = built_movie(api, wait_for_job, playlist, tmp_path)
    assert (before["width"], before["height"], before["fps"]) == (320, 180, "25/1")

    project_path = f"/data/projects/{production.project['id']}"
    answer = api["admin"].put(project_path, json={"fps": "24", "resolution": "256x144"})
    assert answer.status_code == 200, answer.text
    after, movie = built_movie(api, wait_for_job, playlist, tmp_path)
    frames = [round(10 * 24 / 25), round(8 * 24 / 25)]
    assert (after["width"], after["height"], after["fps"], after["frame_count"]) == (256, 144, "24/1", sum(frames))
    with av.open(movie) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (256, 144)
        assert stream.average_rate == 24
        colours = [colour_of(frame) for frame in container.decode(video=0)]
    assert colours == ["magenta"] * frames[0] + ["lime"] * frames[1]
    assert mp4box.video_track(movie).sample_count == sum(frames)

    # The conformed entries are kept: building again re-makes nothing.
    again = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"])
    assert again["status"] == "succeeded" and again["chunks_reused"] == again["chunks_total"]
    assert records.get(again["id"])["frame_count"] == sum(frames)
