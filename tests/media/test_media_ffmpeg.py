import random

import pytest

from chalicelib.media import MediaError, normalize_movie, run_ffmpeg
from chalicelib.media.ffmpeg import ffmpeg_binary, stderr_reason


def test_ffmpeg_binary_can_be_overridden(monkeypatch, tmp_path):
    missing = tmp_path / "no-ffmpeg"
    monkeypatch.setenv("FFMPEG_BINARY", str(missing))
    assert ffmpeg_binary() == str(missing)
    with pytest.raises(MediaError, match="ffmpeg binary not found"):
        run_ffmpeg(["-version"])


def test_default_binary_is_imageio_ffmpegs(monkeypatch):
    monkeypatch.delenv("FFMPEG_BINARY", raising=False)
    assert "imageio_ffmpeg" in ffmpeg_binary()
    assert run_ffmpeg(["-version"]).stdout.startswith("ffmpeg version")


def test_a_stuck_ffmpeg_is_killed_at_the_timeout():
    # testsrc without a duration never ends.
    with pytest.raises(MediaError, match="ffmpeg timed out after 0.5 s"):
        run_ffmpeg(["-f", "lavfi", "-i", "testsrc", "-f", "null", "-"], timeout=0.5)


def test_stderr_reason_keeps_the_last_distinct_lines_without_addresses():
    stderr = (
        "[in#0 @ 0x5581c0e2c0] moov atom not found\n"
        "[in#0 @ 0x5581c0e2c1] Error opening input: Invalid data found when processing input\n"
        "Error opening input file /tmp/upload.mp4.\n"
        "Error opening input files: Invalid data found when processing input\n"
    )
    assert stderr_reason(stderr) == (
        "moov atom not found; Error opening input: Invalid data found when processing input; "
        "Error opening input files: Invalid data found when processing input"
    )


def test_normalizing_a_corrupt_upload_fails_without_leaving_output(tmp_path):
    upload = tmp_path / "upload.mp4"
    upload.write_bytes(random.Random(7).randbytes(50_000))
    out = tmp_path / "normalized.mp4"
    with pytest.raises(MediaError) as raised:
        normalize_movie(str(upload), str(out), "25.000", 1280, 720)
    assert "Invalid data found when processing input" in raised.value.reason
    assert list(tmp_path.iterdir()) == [upload]
