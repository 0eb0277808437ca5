"""The pieces of a frame-exact playlist movie, and the movie made of them (see `timeline`).

- `conform_video`: one entry re-encoded onto the build's canvas, with exactly the frames
  the timeline gives it, by the same encode as normalization, so its packets decode with
  the same SPS and PPS as every normalized preview's and can be copied beside theirs;
- `audio_piece`: a chunk's sound on the movie's AAC packet grid.

`fragments` joins a chunk's video and sound into one fragmented MP4 piece, and the pieces
into the movie.
"""
from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from . import encoding, mp4box
from .ffmpeg import DEFAULT_TIMEOUT_S, MediaError, run_ffmpeg_into
from .timeline import AudioSpan, adts_packets


@dataclass(frozen=True)
class VideoFormat:
    """What a piece's video must be to be copied into a build: the canvas and the encode."""
    fps: Fraction
    width: int
    height: int
    bitrate: str  # the normalization bitrate of this rendition (28M full, 6M web)
    preset: str


@dataclass(frozen=True)
class AudioSource:
    """Sound for a piece: `path` (a file or URL) from its sample `start`, made exactly `samples` long."""
    path: str | None  # None: silence
    samples: int
    start: int = 0


def conform_video(src: str, dst: str, video_format: VideoFormat, frames: int, *,
                  timeout: float = DEFAULT_TIMEOUT_S) -> mp4box.Track:
    """Re-encode the video of `src` onto the canvas at the build's fps, `frames` frames
    long (a short source holds its last frame), without sound."""
    canvas = encoding.canvas_filter(video_format.fps, video_format.width, video_format.height)
    run_ffmpeg_into(dst, [
        "-i", src, "-filter_complex", f"[0:V:0]{canvas},tpad=stop=-1:stop_mode=clone[video]",
        "-map", "[video]", "-frames:v", str(frames), "-an",
        *encoding.h264_args(["-b:v", video_format.bitrate], preset=video_format.preset),
        *encoding.mp4_args(faststart=False)], timeout=timeout)
    return mp4box.video_track(dst)


@functools.lru_cache(maxsize=8)
def reference_decoder_config(video_format: VideoFormat) -> bytes:
    """The avcC every piece of this format has: that of a two-frame conform of black
    (made once per process and format: a warm Lambda container keeps it)."""
    with tempfile.TemporaryDirectory(prefix="reference-") as work_dir:
        black = os.path.join(work_dir, "black.mp4")
        rate = encoding.ffmpeg_rate(video_format.fps)
        run_ffmpeg_into(black, ["-f", "lavfi", "-i", f"color=black:size=64x36:rate={rate}:duration=0.2",
                                "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4"])
        reference = os.path.join(work_dir, "reference.mp4")
        return conform_video(black, reference, video_format, 2).decoder_config


def copyable(track: mp4box.Track, video_format: VideoFormat, frames: int, decoder_config: bytes) -> str | None:
    """Why this video track cannot be copied into the build as it is, or None."""
    if track.codec != "avc1" or mp4box.decoding_config(track.decoder_config) != mp4box.decoding_config(decoder_config):
        return "its encoding differs from the build's"
    if track.sample_count != frames:
        return f"it has {track.sample_count} frames, the timeline {frames}"
    if track.timescale and Fraction(track.duration_ticks, track.timescale) != frames / video_format.fps:
        return "its frame rate differs from the build's"
    return None


def audio_piece(span: AudioSpan, lead_in: Sequence[AudioSource], entries: Sequence[AudioSource], out: str, *,
                lead_out: Sequence[AudioSource] = (), bitrate: str, timeout: float = DEFAULT_TIMEOUT_S) -> int:
    """Encode a chunk's sound (see `timeline`) and write its kept packets (ADTS) to `out`.

    `lead_in`: the sound before the chunk, oldest first, each source `samples` long; only
    its last `span.lead_in` samples are used (silence where there is less, at the start).
    `lead_out`: the sound after the chunk. The encoder decides each packet's transform
    (one long or eight short) looking ahead at the sound to come: fed what really comes
    next, its last packet is made as the next piece's encoder expects (a cut at a piece's
    edge would otherwise leave the overlap between the two pieces half-cancelled).
    Returns the packet count written."""
    sources = [*lead_in, *entries, *lead_out]
    post = sum(source.samples for source in lead_out)
    args: list[str] = []
    graph: list[str] = []
    labels = ""
    lead_total = sum(source.samples for source in lead_in)
    inputs = 0
    for number, source in enumerate(sources):
        label = f"[s{number}]"
        seek = _seek_samples(source.start)
        graph.append(f"{_exact_sound(source, inputs if source.path else None, source.start - seek)}{label}")
        if source.path:
            if seek:
                args += ["-ss", f"{seek / encoding.AUDIO_SAMPLE_RATE:.9f}"]
            args += ["-i", source.path]
            inputs += 1
        labels += label
    if lead_total < span.lead_in:
        graph.append(f"{encoding.silence_source()},atrim=end_sample={span.lead_in - lead_total}[silence]")
        labels = "[silence]" + labels
    count = len(sources) + (1 if lead_total < span.lead_in else 0)
    skip = max(0, lead_total - span.lead_in)
    graph.append(f"{labels}concat=n={count}:v=0:a=1,atrim=start_sample={skip}:end_sample={skip + span.encoded + post},"
                 "asetpts=N/SR/TB[sound]")
    encoded = os.path.join(os.path.dirname(os.path.abspath(out)), f".{os.path.basename(out)}.adts")
    try:
        run_ffmpeg_into(encoded, [*args, "-filter_complex", ";".join(graph), "-map", "[sound]",
                                  "-c:a", "aac", "-b:a", bitrate, "-ac", "2", "-f", "adts"], timeout=timeout)
        with open(encoded, "rb") as stream:
            packets = adts_packets(stream.read())
    finally:
        if os.path.exists(encoded):
            os.remove(encoded)
    kept = packets[span.dropped:span.dropped + span.packets]
    if len(kept) < span.packets and not span.last:
        raise MediaError(f"the sound piece has {len(kept)} packets instead of {span.packets}")
    with open(out, "wb") as piece:
        piece.write(b"".join(kept))
    return len(kept)


def _seek_samples(start: int) -> int:
    """Where to seek before reading from sample `start`; the rest is trimmed in samples.

    A seek lands on the exact sample, except inside the encoder's priming: `-ss` before
    1,024 samples drops them twice (ffmpeg 9.0.2 and others). Reading a long way from
    the start is what seeking saves; a short way is cheaper than a second request."""
    margin = encoding.AUDIO_SAMPLE_RATE // 2
    return start - margin if start > 2 * margin else 0


def _exact_sound(source: AudioSource, input_number: int | None, skip: int) -> str:
    """A filter chain giving exactly `source.samples` samples of the shared format, after `skip`."""
    if input_number is None:
        return f"{encoding.silence_source()},atrim=end_sample={source.samples}"
    return (f"[{input_number}:a:0]{encoding.audio_filter()},"
            f"atrim=start_sample={skip}:end_sample={skip + source.samples},asetpts=N/SR/TB")
