"""Long masters normalized in pieces: each segment (a run of frames of the normalized
timeline) is encoded on its own, then the pieces are joined without re-encoding and the
sound, made once for the whole movie, is muxed beside them.

The normalized timeline is the one a single encode makes (normalize.normalize_renditions):
the source's timestamps shifted to start at 0, resampled by the `fps` filter onto the
1/fps grid. A segment seeks near its first frame (keeping the source's timestamps, so the
grid is the same one), resamples, and keeps grid frames [first, first + frames) by their
timestamps, so frame k of the joined movie is frame k of a single encode. Every segment
has an even number of frames and starts on a keyframe, so Zou's GOP (a keyframe every 2
frames) runs on across the joins."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from fractions import Fraction

from . import encoding, fragments, mp4box
from .ffmpeg import DEFAULT_TIMEOUT_S, MediaError, run_ffmpeg_into, run_ffmpeg_outputs
from .normalize import Rendition
from .probe import MovieInfo

# Seconds decoded before a segment's first frame: the `fps` filter picks each grid frame
# from the source frames around it, which must all be there.
SEEK_MARGIN_SECONDS = 2


def segmentable(source_info: MovieInfo) -> bool:
    """Whether segments of this source line up with a single encode's frames. Sources
    whose timestamps do not start at 0 (MPEG-TS, some edited MOVs) are encoded whole:
    measured, their seeks land off the single encode's grid."""
    return source_info.start_time == 0


def plan_segments(duration: float, fps, segment_frames: int) -> list[tuple[int, int | None]]:
    """(first frame, frame count) of each segment; the last one runs to the end (None),
    so the movie ends where a single encode ends it. The last holds at least one full
    segment, so no segment is empty whatever the true frame count."""
    rate = encoding.fps_fraction(fps)
    segment_frames += segment_frames % 2
    expected = int(Fraction(str(duration)) * rate)
    count = max(1, expected // segment_frames)
    return [(index * segment_frames, segment_frames if index < count - 1 else None) for index in range(count)]


def encode_segment(src: str, renditions: Sequence[Rendition], fps, width: int | None, height: int,
                   first_frame: int, frames: int | None, *, source_info: MovieInfo,
                   timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """The video (no sound) of frames [first_frame, first_frame + frames) of each rendition
    of `src` (a path or URL), from one decode of that stretch."""
    rate = encoding.fps_fraction(fps)
    canvas_width, canvas_height = encoding.canvas_size(width, height, source_info.display_aspect_ratio)
    seek = max(Fraction(0), first_frame / rate - SEEK_MARGIN_SECONDS)
    end = f":end_pts={first_frame + frames}" if frames is not None else ""
    pictures = "".join(f"[picture{n}]" for n in range(len(renditions)))
    # -copyts keeps the source's timestamps; shifting them by the file's start makes the
    # single encode's timeline. After `fps` the time base is 1/fps: pts are frame numbers.
    graph = [f"[0:V:0]setpts=PTS-{source_info.start_time}/TB,{encoding.retime_filter(rate)},"
             f"trim=start_pts={first_frame}{end},setpts=PTS-STARTPTS,split={len(renditions)}{pictures}"]
    outputs = []
    for number, rendition in enumerate(renditions):
        size = encoding.low_def_size(canvas_width, canvas_height) if rendition.low_def \
            else (canvas_width, canvas_height)
        graph.append(f"[picture{number}]{encoding.fit_filter(*size)}[video{number}]")
        bitrate = encoding.LOW_DEF_BITRATE if rendition.low_def else encoding.HIGH_DEF_BITRATE
        outputs.append((rendition.dst, ["-map", f"[video{number}]",
                                        *encoding.h264_args(["-b:v", bitrate], preset=rendition.preset_for(*size)),
                                        *encoding.mp4_args(faststart=False)]))
    run_ffmpeg_outputs(["-ss", f"{float(seek):.6f}", "-copyts", "-i", src, "-filter_complex", ";".join(graph)],
                       outputs, timeout=timeout)


def encode_sound(src: str, dst: str, frames: int, fps, *, source_info: MovieInfo,
                 timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """The whole movie's sound as a single encode keeps it (the source's rate and channels,
    padded with silence; Zou's silent track without one), exactly `frames` frames long."""
    rate = encoding.fps_fraction(fps)
    if source_info.has_audio:
        sample_rate = encoding.kept_audio_rate(source_info.sample_rate)
        channels = encoding.kept_audio_channels(source_info.channels)
        graph = f"[0:a:0]{encoding.kept_audio_filter(sample_rate)}"
        inputs = ["-i", src]
    else:
        sample_rate, channels = encoding.SILENCE_SAMPLE_RATE, 2
        graph, inputs = encoding.silence_source(sample_rate, encoding.SILENCE_LAYOUT), []
    samples = round(frames / rate * sample_rate)
    run_ffmpeg_into(dst, [*inputs, "-filter_complex", f"{graph},atrim=end_sample={samples}[sound]",
                          "-map", "[sound]", *encoding.kept_aac_args(sample_rate, channels),
                          *encoding.mp4_args(faststart=False)], timeout=timeout)


def join_segments(segments: Sequence[str], fps, sound: str, dst: str, *,
                  timeout: float = DEFAULT_TIMEOUT_S) -> int:
    """`segments` (video only, one rendition) end to end, copied, with `sound` beside
    them, into `dst` (faststart); returns the frame count."""
    rate = encoding.fps_fraction(fps)
    frames = [mp4box.video_track(path).sample_count for path in segments]
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(dst)), prefix=".join-") as work_dir:
        listing = os.path.join(work_dir, "segments.ffconcat")
        with open(listing, "w", encoding="utf-8") as list_file:
            list_file.write(fragments.video_list(segments, frames, rate))
        run_ffmpeg_into(dst, ["-f", "concat", "-safe", "0", "-i", listing, "-i", sound, "-map", "0:v:0",
                              "-map", "1:a:0", "-c", "copy", *encoding.mp4_args()], timeout=timeout)
    joined = mp4box.video_track(dst).sample_count
    if joined != sum(frames):
        raise MediaError(f"the stitched movie has {joined} frames instead of {sum(frames)}")
    return joined

