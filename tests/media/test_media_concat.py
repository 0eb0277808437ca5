import shutil

import pytest

from chalicelib.media import (
    MediaError,
    concat_copy,
    concat_movies,
    concat_reencode,
    probe_movie,
    stream_mismatch,
    streams_compatible,
)


def test_concat_copy_joins_normalized_movies_end_to_end(normalized_pair, tmp_path, probe_streams):
    inputs = [normalized_pair["4x3"][0], normalized_pair["wide"][0], normalized_pair["4x3"][0]]
    out = tmp_path / "playlist.mp4"

    info = concat_copy([str(path) for path in inputs], str(out))

    expected_seconds = sum(probe_streams(path)["format"]["duration"] for path in inputs)
    probed = probe_streams(out)
    assert probed["format"]["duration"] == pytest.approx(expected_seconds, abs=0.1 * len(inputs))
    assert info.duration == pytest.approx(expected_seconds, abs=0.1 * len(inputs))
    # Packets are copied, never re-encoded: every frame arrives.
    assert probed["video"]["nb_frames"] == info.frame_count == 150
    assert probed["audio"]["duration"] == pytest.approx(probed["video"]["duration"], abs=0.1)
    assert (probed["video"]["width"], probed["video"]["height"], probed["count"]) == (1280, 720, 2)


def test_concat_copy_handles_quotes_and_spaces_in_paths(normalized_pair, tmp_path):
    awkward = tmp_path / "it's a clip.mp4"
    shutil.copy(normalized_pair["wide"][0], awkward)
    info = concat_copy([str(awkward), str(awkward)], str(tmp_path / "out.mp4"))
    assert info.frame_count == 100


def test_concat_copy_refuses_mismatched_movies(clip_4x3_with_audio, clip_wide_silent, tmp_path):
    out = tmp_path / "playlist.mp4"
    with pytest.raises(MediaError, match="cannot be joined without re-encoding: width differs: 640 vs 1920"):
        concat_copy([str(clip_4x3_with_audio), str(clip_wide_silent)], str(out))
    assert not out.exists()


def test_streams_compatible_tells_normalized_from_raw(normalized_pair, clip_4x3_with_audio, clip_wide_silent):
    normalized = [info for _, info in normalized_pair.values()]
    assert streams_compatible(normalized)
    raw = [probe_movie(str(clip_4x3_with_audio)), probe_movie(str(clip_wide_silent))]
    assert not streams_compatible(raw)
    assert stream_mismatch(raw) == "width differs: 640 vs 1920"


def test_concat_reencode_joins_mismatched_movies(
    clip_4x3_with_audio, clip_wide_silent, tmp_path, probe_streams
):
    out = tmp_path / "playlist.mp4"
    info = concat_reencode([str(clip_4x3_with_audio), str(clip_wide_silent)], str(out), "25.000", 1280, 720)

    probed = probe_streams(out)
    assert probed["format"]["duration"] == pytest.approx(4.0, abs=0.2)
    assert (probed["video"]["width"], probed["video"]["height"], probed["video"]["r_frame_rate"]) == (
        1280,
        720,
        25,
    )
    # The silent clip got a silent track, so the audio lasts as long as the video.
    assert probed["audio"]["duration"] == pytest.approx(probed["video"]["duration"], abs=0.1)
    assert (probed["audio"]["sample_rate"], probed["audio"]["channels"]) == (48000, 2)
    assert probed["video"]["index"] == 0
    assert info.frame_count == 100


def test_concat_movies_copies_when_it_can(normalized_pair, clip_wide_silent, tmp_path):
    normalized = [str(path) for path, _ in normalized_pair.values()]
    assert concat_movies(normalized, str(tmp_path / "copy.mp4"), 25, 1280, 720).method == "copy"
    mixed = [normalized[0], str(clip_wide_silent)]
    result = concat_movies(mixed, str(tmp_path / "mixed.mp4"), 25, 1280, 720)
    assert result.method == "reencode"
    assert result.info.duration == pytest.approx(4.0, abs=0.2)


def test_concat_movies_reencodes_when_asked_or_when_inputs_were_made_differently(normalized_pair, tmp_path):
    normalized = [str(path) for path, _ in normalized_pair.values()]
    full = concat_movies(normalized, str(tmp_path / "full.mp4"), 25, 1280, 720, reencode=True)
    assert full.method == "reencode" and (full.info.width, full.info.height) == (1280, 720)
    # Stream parameters match, but a copied part and a re-encoded one come from different encoder settings.
    mixed = concat_movies(normalized, str(tmp_path / "mixed.mp4"), 25, 1280, 720, methods=["copy", "reencode"])
    assert mixed.method == "reencode"
    alike = concat_movies(normalized, str(tmp_path / "alike.mp4"), 25, 1280, 720, methods=["copy", "copy"])
    assert alike.method == "copy"
    assert alike.info.duration == pytest.approx(full.info.duration, abs=0.1)
