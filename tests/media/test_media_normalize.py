from fractions import Fraction

import pytest
from PIL import Image

from chalicelib.media import MediaError, Rendition, extract_frame, normalize_movie, normalize_renditions, probe_movie
from chalicelib.media.encoding import canvas_size, fps_fraction, low_def_size
from tests.media_streams import frame_types

# What must be identical for `-f concat -c copy` to produce a valid file.
VIDEO_KEYS = (
    "codec_name",
    "profile",
    "pix_fmt",
    "time_base",
    "r_frame_rate",
    "width",
    "height",
    "sample_aspect_ratio",
)
AUDIO_KEYS = ("codec_name", "profile", "time_base", "sample_rate", "channels", "channel_layout")


def test_differently_shaped_clips_normalize_to_identical_video_parameters(normalized_pair, probe_streams):
    four_by_three = probe_streams(normalized_pair["4x3"][0])
    wide_silent = probe_streams(normalized_pair["wide"][0])

    for probed in (four_by_three, wide_silent):
        assert probed["count"] == 2
        assert {key: probed["video"][key] for key in VIDEO_KEYS} == {
            "codec_name": "h264",
            "profile": "High",
            "pix_fmt": "yuv420p",
            "time_base": Fraction(1, 12800),
            "r_frame_rate": 25,
            "width": 1280,
            "height": 720,
            "sample_aspect_ratio": 1,
        }
    assert four_by_three["video"]["level"] == wide_silent["video"]["level"]


def test_audio_keeps_the_source_rate_and_channels_as_zou_does(clip_4x3_with_audio, tmp_path, probe_streams):
    # A 44.1 kHz mono tone stays 44.1 kHz mono (Zou keeps the rate and the channel count),
    # padded with silence to the video's end.
    out = tmp_path / "mono.mp4"
    info = normalize_movie(str(clip_4x3_with_audio), str(out), "25.000", 1280, 720, preset="ultrafast")
    probed = probe_streams(out)
    assert {key: probed["audio"][key] for key in AUDIO_KEYS} == {
        "codec_name": "aac", "profile": "LC", "time_base": Fraction(1, 44100),
        "sample_rate": 44100, "channels": 1, "channel_layout": "mono"}
    assert (info.sample_rate, info.channels) == (44100, 1)
    assert probed["audio"]["duration"] == pytest.approx(probed["video"]["duration"], abs=0.025)


def test_a_short_mono_track_is_padded_with_silence_to_the_video_end(media_dir, ffmpeg_cli, tmp_path, probe_streams):
    short = media_dir / "short_audio.mp4"
    ffmpeg_cli("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=0.5",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", str(short))
    out = tmp_path / "padded.mp4"
    normalize_movie(str(short), str(out), "25.000", 640, 360, preset="ultrafast")
    probed = probe_streams(out)
    assert (probed["audio"]["sample_rate"], probed["audio"]["channels"]) == (44100, 1)
    assert probed["video"]["duration"] == pytest.approx(2.0, abs=0.04)
    assert probed["audio"]["duration"] == pytest.approx(probed["video"]["duration"], abs=0.025)


def test_a_movie_without_audio_gets_zous_silent_track(normalized_pair, probe_streams):
    silent = probe_streams(normalized_pair["wide"][0])["audio"]
    assert {key: silent[key] for key in AUDIO_KEYS} == {
        "codec_name": "aac", "profile": "LC", "time_base": Fraction(1, 44100),
        "sample_rate": 44100, "channels": 2, "channel_layout": "stereo"}


def test_normalized_audio_ends_with_the_video(normalized_pair, probe_streams):
    # A longer audio track would push every later clip of a concatenation out of sync.
    for path, info in normalized_pair.values():
        probed = probe_streams(path)
        video_seconds = probed["video"]["duration"]
        assert video_seconds == pytest.approx(2.0, abs=0.04)
        # AAC works in 1024-sample frames (23 ms at 44.1 kHz).
        assert probed["audio"]["duration"] == pytest.approx(video_seconds, abs=0.025)
        assert info.duration == pytest.approx(video_seconds, abs=0.025)


def test_normalize_returns_the_output_measurements(normalized_pair):
    path, info = normalized_pair["wide"]
    assert (info.width, info.height, info.fps) == (1280, 720, 25)
    # 2 s of 30 fps become 2 s of 25 fps by dropping frames.
    assert info.frame_count == 50
    assert info.file_size == path.stat().st_size > 0
    assert info.has_audio and info.sample_rate == 44100 and info.channels == 2


def test_normalized_movie_uses_zous_gop_and_faststart(normalized_pair):
    path = normalized_pair["4x3"][0]
    types = frame_types(path)
    assert types[:6] == ["I", "P", "I", "P", "I", "P"]
    assert types.count("I") == 25
    head = path.read_bytes()
    assert head.index(b"moov") < head.index(b"mdat")


def test_wide_source_is_letterboxed_not_stretched(normalized_pair, tmp_path):
    frame_png = tmp_path / "frame.png"
    extract_frame(str(normalized_pair["wide"][0]), str(frame_png), seconds=0.5)
    with Image.open(frame_png) as frame:
        grey = frame.convert("L")
        # 1920x800 fits 1280x533: bars of about 93 px above and below, picture between.
        assert grey.crop((0, 0, 1280, 85)).getextrema()[1] < 20
        assert grey.crop((0, 640, 1280, 720)).getextrema()[1] < 20
        assert grey.crop((0, 100, 1280, 620)).getextrema()[1] > 200


def test_low_def_version_is_1280_wide_at_the_canvas_aspect(clip_4x3_with_audio, tmp_path, probe_streams):
    out = tmp_path / "lowdef.mp4"
    # Zou's example: a 1440x1080 canvas gives a 1280x960 low-def file.
    info = normalize_movie(
        str(clip_4x3_with_audio), str(out), "25.000", 1440, 1080, low_def=True, preset="ultrafast"
    )
    assert (info.width, info.height) == (1280, 960)
    video = probe_streams(out)["video"]
    assert (video["width"], video["height"], video["r_frame_rate"]) == (1280, 960, 25)


def test_both_definitions_from_one_decode_match_what_each_encode_alone_makes(clip_4x3_with_audio, tmp_path,
                                                                            probe_streams):
    # The pipeline makes the high and the low definition in one ffmpeg (one decode of the
    # upload): each must be the movie its own encode would be: canvas, frames, audio, GOP.
    high, low = tmp_path / "movie.mp4", tmp_path / "low.mp4"
    normalize_renditions(str(clip_4x3_with_audio), [Rendition(str(high), preset="ultrafast"),
                                                    Rendition(str(low), True, "ultrafast")], "25.000", 1440, 1080)
    alone = tmp_path / "alone.mp4"
    normalize_movie(str(clip_4x3_with_audio), str(alone), "25.000", 1440, 1080, low_def=True, preset="ultrafast")
    together, single = probe_movie(str(low)), probe_movie(str(alone))
    assert (together.width, together.height, together.frame_count) == (single.width, single.height, 50)
    movie = probe_movie(str(high))
    assert (movie.width, movie.height, movie.frame_count, movie.sample_rate, movie.channels) == (1440, 1080, 50,
                                                                                              44100, 1)
    for path in (high, low):
        probed = probe_streams(path)
        assert probed["audio"]["duration"] == pytest.approx(probed["video"]["duration"], abs=1024 / 44100)
        assert frame_types(path).count("I") == 25  # Zou's keyframe every 2 frames, in both


def test_a_failed_run_leaves_neither_definition(tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)
    high, low = tmp_path / "movie.mp4", tmp_path / "low.mp4"
    with pytest.raises(MediaError):
        normalize_renditions(str(broken), [Rendition(str(high)), Rendition(str(low), True)], "25.000", 1280, 720)
    assert not high.exists() and not low.exists()


def test_project_fps_strings_become_exact_rates():
    assert fps_fraction("25.000") == 25
    assert fps_fraction("23.976") == Fraction(24000, 1001)
    assert fps_fraction("29,97") == Fraction(30000, 1001)
    assert fps_fraction(24) == 24
    with pytest.raises(ValueError):
        fps_fraction("fast")


def test_canvas_sizes_follow_zou():
    assert canvas_size(1920, 1080) == (1920, 1080)
    assert canvas_size(1919, 1079) == (1920, 1080)
    assert canvas_size(None, 1080, Fraction(4, 3)) == (1440, 1080)
    assert low_def_size(1920, 1080) == (1280, 720)
    assert low_def_size(1440, 1080) == (1280, 960)
    # A portrait canvas gives a low-def file bigger than the high-def one.
    assert low_def_size(608, 1080) == (1280, 2274)


def test_the_high_definition_preset_follows_the_canvas_in_the_movie_itself(ffmpeg_cli, tmp_path):
    from chalicelib.media import mp4box
    from chalicelib.media.encoding import ENCODE_PRESET, SMALL_CANVAS_PRESET, high_def_preset

    assert high_def_preset(1280, 720) == high_def_preset(960, 540) == SMALL_CANVAS_PRESET
    assert high_def_preset(1920, 1080) == high_def_preset(1280, 722) == ENCODE_PRESET
    source = tmp_path / "source.mp4"
    ffmpeg_cli("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=0.4", "-c:v", "libx264",
               "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(source))
    made = {}
    for width, height in ((1280, 720), (1920, 1080)):
        out = tmp_path / f"{width}.mp4"
        normalize_movie(str(source), str(out), "25", width, height)
        # x264 writes its options into the stream: the preset's reference frames show there.
        made[width] = out.read_bytes()
        assert mp4box.video_track(str(out)).sample_count == 10
    assert b"ref=1 " in made[1280] and b"ref=2 " in made[1920]  # veryfast: 1 reference, faster: 2
