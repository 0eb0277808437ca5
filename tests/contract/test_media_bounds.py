"""Media calls are bounded in time and memory: beyond the bounds they fail with a reason
(which the pipeline stores on a `broken` preview) instead of taking the worker down."""
import struct
import time
import zlib

import pytest

from chalicelib import media
from chalicelib.media import limits


def declared_png(path, width: int, height: int):
    """A PNG of a few bytes whose header declares width x height pixels (a decompression bomb)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
                     + chunk(b"IEND", b""))
    return path


def test_a_picture_above_the_pixel_cap_is_refused_before_decoding(tmp_path):
    side = int(limits.max_picture_pixels() ** 0.5) + 100
    with pytest.raises(media.MediaError, match="pixels"):
        media.picture_pictures(str(declared_png(tmp_path / "bomb.png", side, side)), str(tmp_path))


def test_the_pixel_cap_follows_the_functions_memory(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
    small = limits.max_picture_pixels()
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008")
    assert small * 4 * 4 <= 512 * 1024 * 1024 < limits.max_picture_pixels() * 16


def test_ffmpeg_is_stopped_at_its_wall_clock_timeout():
    started = time.monotonic()
    with pytest.raises(media.MediaError, match="timed out"):
        media.run_ffmpeg(["-f", "lavfi", "-i", "testsrc=size=640x360:rate=25:duration=600", "-f", "null", "-"],
                         timeout=1)
    assert time.monotonic() - started < 10


def test_ffmpeg_cannot_map_more_than_its_memory_bound(monkeypatch):
    args = ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=3840x2160:rate=25:duration=0.2",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "null", "-"]
    monkeypatch.setenv("FFMPEG_MEMORY_MB", "64")
    with pytest.raises(media.MediaError):
        media.run_ffmpeg(args, timeout=60)
    monkeypatch.setenv("FFMPEG_MEMORY_MB", "4096")
    assert media.run_ffmpeg(args, timeout=60).returncode == 0
