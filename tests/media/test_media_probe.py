import random
from fractions import Fraction

import pytest

from chalicelib.media import MediaError, probe_movie
from chalicelib.media.probe import parse_ffmpeg_input


def test_probe_reads_video_and_audio_of_a_clip(clip_4x3_with_audio, probe_streams):
    info = probe_movie(str(clip_4x3_with_audio))
    assert (info.width, info.height) == (640, 480)
    assert info.fps == 24
    assert info.duration == pytest.approx(2.0, abs=0.05)
    assert info.video_codec == "h264"
    assert info.pix_fmt == "yuv420p"
    assert info.has_audio
    assert (info.audio_codec, info.sample_rate, info.channels, info.channel_layout) == (
        "aac",
        44100,
        1,
        "mono",
    )
    assert info.display_aspect_ratio == Fraction(4, 3)
    assert info.file_size == clip_4x3_with_audio.stat().st_size
    # The frame count is counted, not estimated: it must match the container's (read by PyAV).
    assert info.frame_count == probe_streams(clip_4x3_with_audio)["video"]["nb_frames"] == 48


def test_probe_reports_a_clip_without_audio(clip_wide_silent):
    info = probe_movie(str(clip_wide_silent))
    assert (info.width, info.height, info.fps, info.frame_count) == (1920, 800, 30, 60)
    assert not info.has_audio
    assert info.audio_codec is None and info.sample_rate is None and info.channels is None


def test_probe_without_counting_estimates_frames(clip_wide_silent):
    assert probe_movie(str(clip_wide_silent), count_frames=False).frame_count == 60


def test_corrupt_movie_raises_media_error_with_reason(tmp_path):
    corrupt = tmp_path / "upload.mp4"
    corrupt.write_bytes(random.Random(0).randbytes(20_000))
    with pytest.raises(MediaError) as raised:
        probe_movie(str(corrupt))
    assert raised.value.reason.startswith("not a readable media file: ")
    assert "Invalid data found when processing input" in raised.value.reason
    # The reason is meant for people: short, and without ffmpeg's "[in#0 @ 0x…]" noise.
    assert len(raised.value.reason) <= 330 and "@ 0x" not in raised.value.reason


def test_audio_only_file_has_no_video_stream(tmp_path, ffmpeg_cli):
    tone = tmp_path / "tone.m4a"
    ffmpeg_cli("-f", "lavfi", "-i", "sine=duration=1", str(tone))
    with pytest.raises(MediaError, match="no video stream"):
        probe_movie(str(tone))


def test_missing_file_is_a_media_error(tmp_path):
    with pytest.raises(MediaError, match="file not found"):
        probe_movie(str(tmp_path / "absent.mp4"))


# ffmpeg's stderr for sources we do not generate in tests: NTSC rates,
# anamorphic pixels, 5.1 audio, cover art, "30k tbn".
NTSC_ANAMORPHIC_WITH_COVER = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'in.mov':
  Duration: 00:01:03.06, start: 0.000000, bitrate: 3051 kb/s
  Stream #0:0[0x1](eng): Video: mjpeg (Baseline) (jpeg / 0x6765706A), yuvj420p(pc, bt470bg/unknown/unknown), 300x300 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn (attached pic)
  Stream #0:1[0x2](eng): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 720x480 [SAR 32:27 DAR 16:9], 2500 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
    Metadata:
      handler_name    : VideoHandler
  Stream #0:2[0x3](eng): Audio: ac3 (ac-3 / 0x332D6361), 48000 Hz, 5.1(side), fltp, 448 kb/s (default)
  Stream #0:3[0x4](eng): Data: none (tmcd / 0x64636D74)
Stream mapping:
  Stream #0:1 -> #0:0 (copy)
Output #0, null, to 'pipe:':
  Stream #0:0(eng): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 1920x1080, 25 fps, 25 tbr, 12800 tbn
"""


def test_parse_skips_cover_art_and_reads_ntsc_anamorphic_surround():
    info = parse_ffmpeg_input(NTSC_ANAMORPHIC_WITH_COVER)
    assert (info.width, info.height, info.fps, info.time_base) == (720, 480, 29.97, 30000)
    assert (info.video_codec, info.video_profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert info.sample_aspect_ratio == Fraction(32, 27)
    assert info.display_aspect_ratio == Fraction(16, 9)
    assert info.duration == pytest.approx(63.06)
    assert (info.audio_codec, info.sample_rate, info.channels) == ("ac3", 48000, 6)
    assert info.stream_count == 4


def test_parse_rejects_text_without_input():
    with pytest.raises(MediaError, match="not a readable media file"):
        parse_ffmpeg_input("Error opening input files: Permission denied\n")
