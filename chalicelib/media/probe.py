"""Read a movie's metadata from `ffmpeg -i` stderr (the bundled ffmpeg has no ffprobe).

ffmpeg prints one line per stream, e.g.

    Duration: 00:00:02.00, start: 0.000000, bitrate: 275 kb/s
    Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive),
        1280x720 [SAR 1:1 DAR 16:9], 194 kb/s, 25 fps, 25 tbr, 12800 tbn (default)
    Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)

and that is all we need. The same call also copies the video packets to the
null muxer, which costs a demux pass (no decoding) and gives the exact frame count.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from .ffmpeg import MediaError, run_ffmpeg, stderr_reason

PROBE_TIMEOUT_S = 120.0

_START = re.compile(r"^\s*Duration: [^\n]*?, start: (-?\d+(?:\.\d+)?)", re.MULTILINE)
_DURATION = re.compile(r"^\s*Duration: (?:(\d+):(\d+):(\d+(?:\.\d+)?)|N/A)", re.MULTILINE)
_STREAM = re.compile(r"^\s*Stream #0:(\d+)\S*: (Video|Audio|Subtitle|Data|Attachment): (.*)$", re.MULTILINE)
_SIZE = re.compile(r"^(\d+)x(\d+)(?: \[SAR (\d+):(\d+) DAR \d+:\d+\])?")
_RATE = re.compile(r"^(\d+(?:\.\d+)?)(k?) (fps|tbr|tbn)\b")
_SAMPLE_RATE = re.compile(r"^(\d+) Hz$")
_FRAME_COUNT = re.compile(r"frame=\s*(\d+)")

# Channel layouts ffmpeg names instead of numbering; "5.1(side)" style
# layouts are counted from their digits below.
_NAMED_LAYOUT_CHANNELS = {
    "mono": 1,
    "stereo": 2,
    "downmix": 2,
    "binaural": 2,
    "quad": 4,
    "hexagonal": 6,
    "octagonal": 8,
    "hexadecagonal": 16,
}


@dataclass(frozen=True)
class MovieInfo:
    """What we know about a movie's first video stream and first audio stream."""

    width: int
    height: int
    duration: float  # seconds, the container's duration
    fps: float  # as ffmpeg prints it: 29.97 for 30000/1001 (never Zou's 30000.0)
    frame_count: int
    video_codec: str
    pix_fmt: str
    has_audio: bool
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    video_profile: str | None = None
    time_base: int | None = None  # video ticks per second ("12800 tbn")
    sample_aspect_ratio: Fraction = Fraction(1)
    channel_layout: str | None = None
    stream_count: int = 0  # all streams, including subtitles and data tracks
    file_size: int = 0
    start_time: float = 0.0  # the container's first timestamp, which ffmpeg shifts to 0

    @property
    def display_aspect_ratio(self) -> Fraction:
        """Width over height as shown, i.e. after applying non-square pixels."""
        return Fraction(self.width, self.height) * self.sample_aspect_ratio


# What every browser plays in a <video>: H.264 in 8-bit 4:2:0, in MP4, with AAC or no sound.
BROWSER_EXTENSIONS = frozenset({"mp4", "m4v"})
BROWSER_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p"})


def browser_playable(info: MovieInfo, extension: str) -> bool:
    """Whether a browser plays this movie as it is (a reviewer can watch an upload
    before its normalization ends)."""
    return (extension.lower() in BROWSER_EXTENSIONS and info.video_codec == "h264"
            and info.pix_fmt in BROWSER_PIXEL_FORMATS and (not info.has_audio or info.audio_codec == "aac"))


def probe_movie(path: str, *, count_frames: bool = True, timeout: float = PROBE_TIMEOUT_S) -> MovieInfo:
    """Probe `path`. Raises `MediaError` if it is unreadable, has no video, or lasts zero seconds.

    With `count_frames=False` the frame count is estimated as duration × fps,
    which saves reading the whole file.
    """
    if not os.path.isfile(path):
        raise MediaError(f"file not found: {os.path.basename(path)}")
    args = ["-nostats", "-i", path]
    if count_frames:
        # 0:V (capital) skips cover-art "attached pic" streams. The trailing "?"
        # lets a file without video reach our own "no video stream" check
        # instead of failing as an option error.
        args += ["-map", "0:V:0?", "-c", "copy", "-f", "null", "-"]
    # Without an output, ffmpeg exits 1 after printing the input: that is
    # expected, so the exit code says nothing and we judge by the text.
    stderr = run_ffmpeg(args, timeout=timeout, check=False).stderr
    info = parse_ffmpeg_input(stderr)
    frame_count = _counted_frames(stderr) if count_frames else None
    if frame_count is None:
        frame_count = round(info.duration * info.fps)
    if info.duration <= 0 and frame_count and info.fps:
        # Raw elementary streams have no container duration.
        info = replace(info, duration=frame_count / info.fps)
    if info.duration <= 0:
        raise MediaError("movie has zero duration")
    return replace(info, frame_count=frame_count, file_size=os.path.getsize(path))


def probe_movies(paths: Sequence[str], *, timeout: float = PROBE_TIMEOUT_S) -> list[MovieInfo]:
    """Probe several movies with one ffmpeg run, as `probe_movie(path, count_frames=False)`
    does each: joining many short movies should not start one process per movie."""
    if len(paths) <= 1:
        return [probe_movie(path, count_frames=False, timeout=timeout) for path in paths]
    for path in paths:
        if not os.path.isfile(path):
            raise MediaError(f"file not found: {os.path.basename(path)}")
    args = ["-nostats"]
    for path in paths:
        args += ["-i", path]
    stderr = run_ffmpeg(args, timeout=timeout, check=False).stderr
    blocks = {int(match.group(1)): block for block in re.split(r"^(?=Input #\d+)", stderr, flags=re.MULTILINE)
              if (match := re.match(r"Input #(\d+)", block))}
    if sorted(blocks) != list(range(len(paths))):
        # ffmpeg stops at the first input it cannot read: let that movie's own probe say why.
        return [probe_movie(path, count_frames=False, timeout=timeout) for path in paths]
    infos = []
    for index, path in enumerate(paths):
        # Each block reads as a lone input's: "Input #0", "Stream #0:n".
        block = blocks[index].replace(f"Input #{index}", "Input #0", 1).replace(f"Stream #{index}:", "Stream #0:")
        info = parse_ffmpeg_input(block)
        if info.duration <= 0:
            raise MediaError(f"{os.path.basename(path)}: movie has zero duration")
        infos.append(replace(info, frame_count=round(info.duration * info.fps), file_size=os.path.getsize(path)))
    return infos


def parse_ffmpeg_input(stderr: str) -> MovieInfo:
    """Parse the "Input #0" block of ffmpeg's stderr. `frame_count` and `file_size` are left at 0."""
    header = _input_block(stderr)
    if header is None:
        raise MediaError(f"not a readable media file: {stderr_reason(stderr) or 'no input found'}")
    streams = _STREAM.findall(header)
    # Cover art embedded in mp4/mkv shows up as a video stream; it is not the movie.
    videos = [
        _split_top_level(text)
        for _, kind, text in streams
        if kind == "Video" and "(attached pic)" not in text
    ]
    audios = [_split_top_level(text) for _, kind, text in streams if kind == "Audio"]
    if not videos:
        raise MediaError("no video stream")
    video = _parse_video(videos[0])
    audio = _parse_audio(audios[0]) if audios else {}
    return MovieInfo(
        duration=_parse_duration(header),
        start_time=_parse_start(header),
        frame_count=0,
        has_audio=bool(audios),
        stream_count=len(streams),
        **video,
        **audio,
    )


def _input_block(stderr: str) -> str | None:
    start = stderr.find("Input #0")
    if start < 0:
        return None
    block = stderr[start:]
    # The output section repeats "Stream #0:0" lines describing what is written.
    for marker in ("\nStream mapping:", "\nOutput #0", "\nInput #1"):
        end = block.find(marker)
        if end >= 0:
            block = block[:end]
    return block


def _parse_duration(header: str) -> float:
    match = _DURATION.search(header)
    if not match or match.group(1) is None:
        return 0.0
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _parse_start(header: str) -> float:
    match = _START.search(header)
    return float(match.group(1)) if match else 0.0


def _parse_video(fields: list[str]) -> dict:
    codec, profile = _codec_and_profile(fields[0])
    width = height = 0
    sample_aspect = Fraction(1)
    rates: dict[str, float] = {}
    pix_fmt = ""
    for position, field in enumerate(fields[1:], start=1):
        if size := _SIZE.match(field):
            width, height = int(size.group(1)), int(size.group(2))
            if size.group(3) and int(size.group(3)) and int(size.group(4)):
                sample_aspect = Fraction(int(size.group(3)), int(size.group(4)))
        elif rate := _RATE.match(field):
            rates[rate.group(3)] = float(rate.group(1)) * (1000 if rate.group(2) else 1)
        elif position == 1:
            # "yuv420p(tv, bt709, progressive)": the format, then its colour details.
            pix_fmt = field.split("(")[0].strip()
    fps = rates.get("fps") or rates.get("tbr")
    if not width or not height:
        raise MediaError("video stream has no frame size")
    if not fps:
        raise MediaError("video stream has no frame rate")
    return {
        "width": width,
        "height": height,
        "fps": fps,
        "video_codec": codec,
        "video_profile": profile,
        "pix_fmt": pix_fmt,
        "time_base": int(rates["tbn"]) if "tbn" in rates else None,
        "sample_aspect_ratio": sample_aspect,
    }


def _parse_audio(fields: list[str]) -> dict:
    codec, _ = _codec_and_profile(fields[0])
    sample_rate = layout = None
    for position, field in enumerate(fields[1:], start=1):
        if rate := _SAMPLE_RATE.match(field):
            sample_rate = int(rate.group(1))
            # The channel layout always follows the sample rate.
            if position + 1 < len(fields):
                layout = fields[position + 1].strip()
            break
    return {
        "audio_codec": codec,
        "sample_rate": sample_rate,
        "channel_layout": layout,
        "channels": _channel_count(layout) if layout else None,
    }


def _codec_and_profile(field: str) -> tuple[str, str | None]:
    """'h264 (High) (avc1 / 0x31637661)' -> ('h264', 'High'); the fourcc group is not a profile."""
    codec = field.split(" ")[0]
    for group in re.findall(r"\(([^()]*)\)", field):
        if " / 0x" not in group:
            return codec, group
    return codec, None


def _channel_count(layout: str) -> int | None:
    if match := re.match(r"^(\d+) channels", layout):
        return int(match.group(1))
    name = layout.split("(")[0]
    if name in _NAMED_LAYOUT_CHANNELS:
        return _NAMED_LAYOUT_CHANNELS[name]
    if match := re.match(r"^(\d+)\.(\d+)$", name):
        # "5.1" is five full-range channels plus one LFE.
        return int(match.group(1)) + int(match.group(2))
    return None


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses or brackets."""
    fields, depth, current = [], 0, []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            fields.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    fields.append("".join(current).strip())
    return fields


def _counted_frames(stderr: str) -> int | None:
    # The last progress report is the final count.
    counts = _FRAME_COUNT.findall(stderr)
    return int(counts[-1]) if counts else None
