"""Turn any uploaded movie into the project's review format (Zou's `normalize_movie`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from . import encoding
from .ffmpeg import DEFAULT_TIMEOUT_S, run_ffmpeg_outputs
from .probe import MovieInfo, probe_movie


@dataclass(frozen=True)
class Rendition:
    """One normalized movie to make: where, which definition, which x264 preset."""
    dst: str
    low_def: bool = False
    preset: str = encoding.ENCODE_PRESET


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
    rendition = Rendition(dst, low_def, preset)
    normalize_renditions(src, [rendition], fps, width, height, source_info=source_info, timeout=timeout)
    return probe_movie(dst)


def normalize_renditions(
    src: str,
    renditions: list[Rendition],
    fps: str | float | Fraction,
    width: int | None,
    height: int,
    *,
    source_info: MovieInfo | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> None:
    """Make every rendition of `src` from one decode of it (the preview pipeline's high-
    and low-definition movies): the source is read, retimed and its pixels squared once,
    then each copy is fitted to its canvas and encoded, the encoders side by side in one
    ffmpeg. Each `dst` appears only when all of them are made."""
    source = source_info or probe_movie(src, count_frames=False)
    canvas_width, canvas_height = encoding.canvas_size(width, height, source.display_aspect_ratio)
    rate = encoding.fps_fraction(fps)
    count = len(renditions)
    pictures = "".join(f"[picture{n}]" for n in range(count))
    sounds = "".join(f"[sound{n}]" for n in range(count))
    graph = [f"[0:V:0]{encoding.retime_filter(rate)},split={count}{pictures}"]
    for number, rendition in enumerate(renditions):
        size = encoding.low_def_size(canvas_width, canvas_height) if rendition.low_def \
            else (canvas_width, canvas_height)
        graph.append(f"[picture{number}]{encoding.fit_filter(*size)}[video{number}]")
    # Zou's audio: the source's rate and channels; Zou's silent track when there is none.
    if source.has_audio:
        sample_rate = encoding.kept_audio_rate(source.sample_rate)
        channels = encoding.kept_audio_channels(source.channels)
        graph.append(f"[0:a:0]{encoding.kept_audio_filter(sample_rate)},asplit={count}{sounds}")
    else:
        sample_rate, channels = encoding.SILENCE_SAMPLE_RATE, 2
        graph.append(f"{encoding.silence_source(sample_rate, encoding.SILENCE_LAYOUT)},asplit={count}{sounds}")
    outputs = []
    for number, rendition in enumerate(renditions):
        bitrate = encoding.LOW_DEF_BITRATE if rendition.low_def else encoding.HIGH_DEF_BITRATE
        outputs.append((rendition.dst, [
            *("-map", f"[video{number}]", "-map", f"[sound{number}]"),
            *encoding.h264_args(["-b:v", bitrate], preset=rendition.preset),
            *encoding.kept_aac_args(sample_rate, channels),
            # Both padded and silent audio are endless: the video decides the length.
            "-shortest",
            *encoding.mp4_args(),
        ]))
    run_ffmpeg_outputs(["-i", src, "-filter_complex", ";".join(graph)], outputs, timeout=timeout)
