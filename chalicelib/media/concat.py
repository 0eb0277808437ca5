"""Join movies end to end for playlist builds (Zou's `concat_demuxer` / `concat_filter`).

Normalized movies share every stream parameter (see `encoding`), so the concat
demuxer can copy their packets: about 190× faster than re-encoding with the
concat filter (spec/stack.md §4). The re-encode path is for inputs that differ.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from . import encoding
from .ffmpeg import DEFAULT_TIMEOUT_S, MediaError, run_ffmpeg_into
from .probe import MovieInfo, probe_movie, probe_movies

# Zou's playlist encode is ffmpeg's mp4 default; we pin it so it does not
# depend on the ffmpeg build, and keep the shared stream parameters.
PLAYLIST_RATE_CONTROL = ["-crf", "23"]
PLAYLIST_PRESET = "medium"

# What must be equal for packets to be copied into one file: anything that
# lives in the codec headers (written once per file) or the stream timing.
_COPY_KEY_FIELDS = (
    "video_codec",
    "video_profile",
    "pix_fmt",
    "width",
    "height",
    "sample_aspect_ratio",
    "fps",
    "time_base",
    "stream_count",
    "has_audio",
    "audio_codec",
    "sample_rate",
    "channels",
    "channel_layout",
)


@dataclass(frozen=True)
class ConcatResult:
    info: MovieInfo
    method: str  # "copy" or "reencode"


def stream_mismatch(infos: Sequence[MovieInfo]) -> str | None:
    """Why these movies cannot be stream-copied together (e.g. "width differs: 1280 vs 640"), or None."""
    if not infos:
        return "no movies"
    first = infos[0]
    for other in infos[1:]:
        for field in _COPY_KEY_FIELDS:
            if getattr(other, field) != getattr(first, field):
                return f"{field} differs: {getattr(first, field)} vs {getattr(other, field)}"
    return None


def streams_compatible(infos: Sequence[MovieInfo]) -> bool:
    """True when `concat_copy` can join these movies."""
    return stream_mismatch(infos) is None


def concat_copy(
    inputs: Sequence[str],
    out: str,
    *,
    infos: Sequence[MovieInfo] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    faststart: bool = True,
    count_frames: bool = True,
) -> MovieInfo:
    """Join movies with identical stream parameters without re-encoding. Raises `MediaError` if they differ.

    `faststart=False` leaves the index at the end: for intermediate files only.
    `count_frames=False` estimates the output's frame count instead of reading it all again.
    """
    infos = list(infos) if infos is not None else [probe_movie(path, count_frames=False) for path in inputs]
    # Copying mismatched streams does not fail: it writes a file that plays
    # garbage after the first join. So check first.
    if reason := stream_mismatch(infos):
        raise MediaError(f"movies cannot be joined without re-encoding: {reason}")
    with tempfile.TemporaryDirectory(prefix="concat-") as work_dir:
        list_path = os.path.join(work_dir, "inputs.ffconcat")
        with open(list_path, "w", encoding="utf-8") as list_file:
            list_file.write(_concat_list(inputs))
        run_ffmpeg_into(
            out,
            # -safe 0: the list holds absolute paths, which the demuxer refuses by default.
            ["-f", "concat", "-safe", "0", "-i", list_path, "-map", "0", "-c", "copy",
             *encoding.mp4_args(faststart)],
            timeout=timeout,
        )
    return probe_movie(out, count_frames=count_frames)


def concat_reencode(
    inputs: Sequence[str],
    out: str,
    fps: str | float | Fraction,
    width: int,
    height: int,
    *,
    infos: Sequence[MovieInfo] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> MovieInfo:
    """Join any movies by re-encoding them onto one `width`×`height` canvas at `fps`.

    Unlike Zou's concat filter, which stretches each input to the canvas, inputs
    are letterboxed as in normalization. Inputs without audio get silence.
    """
    if not inputs:
        raise MediaError("no movies to join")
    infos = list(infos) if infos is not None else [probe_movie(path) for path in inputs]
    rate = encoding.fps_fraction(fps)
    canvas_width, canvas_height = encoding.even(width), encoding.even(height)
    args: list[str] = []
    graph: list[str] = []
    segments = ""
    for index, (path, info) in enumerate(zip(inputs, infos, strict=True)):
        args += ["-i", path]
        # Each segment's audio must end exactly where its video ends, or every
        # later segment drifts; the concat filter only pads, it never trims.
        video_seconds = _video_seconds(info)
        graph.append(f"[{index}:V:0]{encoding.canvas_filter(rate, canvas_width, canvas_height)}[v{index}]")
        if info.has_audio:
            audio_source = f"[{index}:a:0]{encoding.audio_filter()}"
        else:
            audio_source = encoding.silence_source()
        graph.append(f"{audio_source},atrim=end={video_seconds:.6f}[a{index}]")
        segments += f"[v{index}][a{index}]"
    # Video first, as in every normalized movie (Zou's filter output puts audio first).
    graph.append(f"{segments}concat=n={len(inputs)}:v=1:a=1[video][audio]")
    args += [
        *("-filter_complex", ";".join(graph)),
        *("-map", "[video]", "-map", "[audio]"),
        *encoding.h264_args(PLAYLIST_RATE_CONTROL, preset=PLAYLIST_PRESET, x264_params=None),
        *encoding.aac_args(),
        *encoding.mp4_args(),
    ]
    run_ffmpeg_into(out, args, timeout=timeout)
    return probe_movie(out)


def concat_movies(
    inputs: Sequence[str],
    out: str,
    fps: str | float | Fraction,
    width: int,
    height: int,
    *,
    reencode: bool = False,
    methods: Sequence[str] | None = None,
    faststart: bool = True,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> ConcatResult:
    """Join movies: by stream copy when their streams match, else by re-encoding them
    onto the `width`×`height` canvas at `fps` (always, with `reencode`: Zou's `full`).

    `methods` says how each input was itself made ("copy" or "reencode", as earlier
    ConcatResults did): inputs made both ways are re-encoded, because copied packets
    and re-encoded ones come from different encoder settings even when every probed
    stream parameter matches. `faststart=False` leaves the index at the end of a copy,
    for intermediate files.
    """
    # One ffmpeg run probes every input: joining many short movies should not start a
    # process per movie, and the demuxer needs no exact frame count.
    infos = probe_movies(inputs)
    same_making = methods is None or len(set(methods)) <= 1
    if not reencode and same_making and streams_compatible(infos):
        # Packets are copied whole: the duration is exact without counting frames again.
        joined = concat_copy(inputs, out, infos=infos, timeout=timeout, faststart=faststart, count_frames=False)
        return ConcatResult(joined, "copy")
    return ConcatResult(concat_reencode(inputs, out, fps, width, height, infos=infos, timeout=timeout), "reencode")


def _concat_list(paths: Sequence[str]) -> str:
    lines = ["ffconcat version 1.0"]
    for path in paths:
        # The concat list quotes with '…'; a quote inside is written '\''.
        quoted = os.path.abspath(path).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    return "\n".join(lines) + "\n"


def _video_seconds(info: MovieInfo) -> float:
    """How long the video stream lasts; the container duration also counts a longer audio track."""
    if info.frame_count and info.fps:
        return min(info.duration, info.frame_count / info.fps)
    return info.duration
