"""What a movie holds, read back with PyAV: it ships its own FFmpeg libraries (pinned in
requirements-dev.txt), so the tests judge what the bundled ffmpeg wrote with an independent
reader and need nothing from apt. Lambda has neither; the product never imports this."""
from __future__ import annotations

import io
from pathlib import Path

import av
from av.video.frame import PictureType


def read_streams(source: str | Path | bytes) -> dict:
    """{"video": {...}, "audio": {...} or None, "format": {"duration"}, "count": n} of a file
    (a path, or the bytes of an S3 object). Rates, time bases and aspect ratios are Fractions (None when unset),
    durations seconds."""
    with _open(source) as container:
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        return {
            "video": _video(video) if video is not None else None,
            "audio": _audio(audio) if audio is not None else None,
            "format": {"duration": container.duration / av.time_base},
            "count": len(container.streams),
        }


def frame_types(source: str | Path | bytes) -> list[str]:
    """The picture type of every decoded video frame, in order: "I", "P" or "B"."""
    with _open(source) as container:
        return [PictureType(frame.pict_type).name for frame in container.decode(video=0)]


def _open(source):
    return av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def _seconds(stream) -> float | None:
    return float(stream.duration * stream.time_base) if stream.duration is not None else None


def _video(stream) -> dict:
    codec = stream.codec_context
    return {
        "index": stream.index, "codec_name": codec.name, "profile": codec.profile, "level": codec.level,
        "pix_fmt": codec.pix_fmt, "width": codec.width, "height": codec.height,
        "sample_aspect_ratio": stream.sample_aspect_ratio, "time_base": stream.time_base,
        "r_frame_rate": stream.base_rate, "duration": _seconds(stream), "nb_frames": stream.frames,
    }


def _audio(stream) -> dict:
    codec = stream.codec_context
    return {
        "index": stream.index, "codec_name": codec.name, "profile": codec.profile, "time_base": stream.time_base,
        "sample_rate": codec.sample_rate, "channels": codec.layout.nb_channels, "channel_layout": codec.layout.name,
        "duration": _seconds(stream),
    }
