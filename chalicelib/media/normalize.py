"""Turn any uploaded movie into the project's review format (Zou's `normalize_movie`)."""

from __future__ import annotations

from fractions import Fraction

from . import encoding
from .ffmpeg import DEFAULT_TIMEOUT_S, run_ffmpeg_into
from .probe import MovieInfo, probe_movie


def normalize_movie(
    src: str,
    dst: str,
    fps: str | float | Fraction,
    width: int | None,
    height: int,
    low_def: bool = False,
    *,
    source_info: MovieInfo | None = None,
    preset: str = encoding.ENCODE_PRESET,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> MovieInfo:
    """Encode `src` to `dst` (mp4) on a `width`×`height` canvas at `fps`; return the output's info.

    `width=None` follows the source's aspect ratio. `low_def` encodes Zou's
    1280-wide, 6 Mb/s version of that canvas instead of the 28 Mb/s one.
    Raises `MediaError` when the source cannot be read or ffmpeg fails.
    """
    source = source_info or probe_movie(src, count_frames=False)
    canvas_width, canvas_height = encoding.canvas_size(width, height, source.display_aspect_ratio)
    if low_def:
        canvas_width, canvas_height = encoding.low_def_size(canvas_width, canvas_height)
    rate = encoding.fps_fraction(fps)

    video = f"[0:V:0]{encoding.canvas_filter(rate, canvas_width, canvas_height)}[video]"
    # Zou's audio: the source's rate and channels; Zou's silent track when there is none.
    if source.has_audio:
        sample_rate = encoding.kept_audio_rate(source.sample_rate)
        channels = encoding.kept_audio_channels(source.channels)
        audio = f"[0:a:0]{encoding.kept_audio_filter(sample_rate)}[audio]"
    else:
        sample_rate, channels = encoding.SILENCE_SAMPLE_RATE, 2
        audio = f"{encoding.silence_source(sample_rate, encoding.SILENCE_LAYOUT)}[audio]"
    bitrate = encoding.LOW_DEF_BITRATE if low_def else encoding.HIGH_DEF_BITRATE
    args = [
        *("-i", src),
        *("-filter_complex", f"{video};{audio}"),
        *("-map", "[video]", "-map", "[audio]"),
        *encoding.h264_args(["-b:v", bitrate], preset=preset),
        *encoding.kept_aac_args(sample_rate, channels),
        # Both padded and silent audio are endless: the video decides the length.
        "-shortest",
        *encoding.mp4_args(),
    ]
    run_ffmpeg_into(dst, args, timeout=timeout)
    return probe_movie(dst)
