"""Clips generated once per test session with the bundled ffmpeg (lavfi testsrc/sine).

PyAV (tests/media_streams.py), with FFmpeg libraries of its own, is the independent judge
of what our ffmpeg wrote.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from chalicelib.media import normalize_movie
from chalicelib.media.ffmpeg import ffmpeg_binary
from tests.media_streams import read_streams

PROJECT_FPS = "25.000"
PROJECT_WIDTH = 1280
PROJECT_HEIGHT = 720


def run_ffmpeg_cli(*args: str) -> None:
    subprocess.run(
        [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args], check=True
    )


def make_clip(path: Path, *, size: str, rate: str, seconds: float, audio: str | None) -> Path:
    """A testsrc clip (ultrafast H.264), with a sine tone described by `audio` ("48000:1") or none."""
    args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        sample_rate, channels = audio.split(":")
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={sample_rate}:duration={seconds}"]
        args += ["-c:a", "aac", "-ac", channels]
    run_ffmpeg_cli(*args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))
    return path


@pytest.fixture(scope="session")
def ffmpeg_cli():
    """Run the bundled ffmpeg with these arguments (to make inputs the fixtures do not cover)."""
    return run_ffmpeg_cli


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def clip_4x3_with_audio(media_dir) -> Path:
    """640x480 at 24 fps, 2 s, 44.1 kHz mono tone."""
    return make_clip(media_dir / "4x3_24fps_audio.mp4", size="640x480", rate="24", seconds=2, audio="44100:1")


@pytest.fixture(scope="session")
def clip_4x3_stereo(media_dir) -> Path:
    """640x480 at 24 fps, 2 s, 44.1 kHz stereo tone: normalized, it joins the silent clip's
    format (Zou's silent track is 44.1 kHz stereo), so the pair can be stream-copied."""
    return make_clip(media_dir / "4x3_24fps_stereo.mp4", size="640x480", rate="24", seconds=2, audio="44100:2")


@pytest.fixture(scope="session")
def clip_wide_silent(media_dir) -> Path:
    """1920x800 at 30 fps, 2 s, no audio track at all."""
    return make_clip(media_dir / "wide_30fps_silent.mp4", size="1920x800", rate="30", seconds=2, audio=None)


@pytest.fixture(scope="session")
def numbered_frames_clip(media_dir) -> Path:
    """1 s at 30000/1001 fps, lossless (PNG in MOV); frame n (from 0) is grey level 5 × n."""
    path = media_dir / "numbered.mov"
    source = "color=c=black:s=32x32:r=30000/1001:d=1,format=rgb24,geq=r='5*N':g='5*N':b='5*N'"
    run_ffmpeg_cli("-f", "lavfi", "-i", source, "-c:v", "png", str(path))
    return path


@pytest.fixture(scope="session")
def normalized_pair(media_dir, clip_4x3_stereo, clip_wide_silent) -> dict:
    """Both clips normalized to the project's 1280x720 at 25 fps: {"4x3": (path, info), "wide": (path, info)}."""
    normalized = {}
    for name, source in (("4x3", clip_4x3_stereo), ("wide", clip_wide_silent)):
        out = media_dir / f"normalized_{name}.mp4"
        info = normalize_movie(str(source), str(out), PROJECT_FPS, PROJECT_WIDTH, PROJECT_HEIGHT)
        normalized[name] = (out, info)
    return normalized


@pytest.fixture(scope="session")
def probe_streams():
    """PyAV's view of a file: {"video": {...}, "audio": {...} or None, "format": {...}, "count": n}."""
    return read_streams
