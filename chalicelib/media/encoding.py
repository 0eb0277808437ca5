"""The one set of stream parameters every normalized movie shares.

Zou's encode (libx264, yuv420p, `-b 28M` / `6M`, a keyframe every 2 frames, mp4
with faststart, letterboxed to the project canvas) is kept, except its `-preset slow`:
see ENCODE_PRESET and high_def_preset.
Where Zou lets the source decide, we fix the value instead, because the
playlist build joins normalized movies with `-f concat -c copy`, which is only
correct when every file has identical stream parameters:

- the H.264 profile is forced to High (x264 would pick it anyway for these
  settings, but a different libx264 build might not);
- only the first video and first audio stream are kept (Zou maps all of them);
- audio is always AAC-LC. A normalized preview keeps its source's sample rate
  and channel count, as Zou does, padded with silence to the video's end; a
  movie without audio gets Zou's silent track (anullsrc's default, 44.1 kHz
  stereo). Movies whose audio differs are therefore joined by re-encoding
  (concat compares the audio parameters). Playlist builds resample every input
  to 48 kHz stereo (`audio_filter`);
- the frame rate is given as an exact fraction, so "23.976" means 24000/1001.
"""

from __future__ import annotations

from fractions import Fraction

AUDIO_SAMPLE_RATE = 48000
AUDIO_LAYOUT = "stereo"
# Zou's silent track for a movie without audio: what `anullsrc` makes by default.
SILENCE_SAMPLE_RATE = 44100
SILENCE_LAYOUT = "stereo"
# The rates AAC can carry (ISO 14496-3 sampling frequency index); any other is resampled.
AAC_SAMPLE_RATES = frozenset({96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
                              7350})
# ffmpeg's AAC encoder takes at most 8 channels (7.1).
AAC_MAX_CHANNELS = 8
AUDIO_BITRATE = "128k"
VIDEO_PROFILE = "high"
HIGH_DEF_BITRATE = "28M"
LOW_DEF_BITRATE = "6M"
LOW_DEF_WIDTH = 1280
# Chosen by measurement (ffmpeg's ssim filter against the source, 10 s 1280x720 at 28 Mb/s):
# Zou's `slow` gave SSIM 0.999990 in 7.3 s on a clean synthetic clip and 0.7414 in 33 s on a
# noisy one; `faster` tuned for SSIM gave 0.999992 in 2.2 s and 0.7580 in 7.7 s. So the
# high-definition movie is made about 3x faster at an SSIM no lower than Zou's
# (bench/ingest.py measures both against a running Zou).
ENCODE_PRESET = "faster"
# At 28 Mb/s a canvas of 1280x720 or less has 2.25x the bits per pixel of 1920x1080, and there
# `veryfast` keeps the SSIM above Zou's (bench/ingest.py's grainy 10 s 720p clip: `faster`
# 0.8787 in 6.1 s, `veryfast` 0.8775 in 4.2 s, Zou 0.8680); at 1920x1080 it does not
# (`faster` 0.7878, `veryfast` 0.7748, Zou 0.7780). So the preset follows the canvas.
SMALL_CANVAS_PIXELS = 1280 * 720
SMALL_CANVAS_PRESET = "veryfast"
# x264's psychovisual options trade SSIM for perceived sharpness; a review copy is
# judged against its source, so they are turned off (also for the low definition).
ENCODE_TUNE = "ssim"
# Zou's GOP: a keyframe every 2 frames, so the review player can step and seek
# to any frame cheaply (at the cost of much bigger files).
X264_PARAMS = "keyint=2:scenecut=0"

# NTSC rates arrive as rounded decimals ("23.976", "29.97") from project
# settings and from ffmpeg's own printout; they mean n*1000/1001.
_NTSC_BASES = (24, 30, 48, 60, 120)


def fps_fraction(fps: str | float | Fraction) -> Fraction:
    """An exact frame rate: '25.000' -> 25, '23.976' -> 24000/1001, '29.97' -> 30000/1001."""
    try:
        rate = Fraction(str(fps).strip().replace(",", ".")) if not isinstance(fps, Fraction) else fps
    except ValueError as error:
        raise ValueError(f"not a frame rate: {fps!r}") from error
    if rate <= 0:
        raise ValueError(f"not a frame rate: {fps!r}")
    for base in _NTSC_BASES:
        ntsc = Fraction(base * 1000, 1001)
        if rate != base and abs(rate - ntsc) < Fraction(1, 100):
            return ntsc
    return rate.limit_denominator(1001)


def ffmpeg_rate(rate: Fraction) -> str:
    return f"{rate.numerator}/{rate.denominator}"


def even(value: int) -> int:
    """Zou rounds odd canvas sides up: yuv420p needs even dimensions."""
    return value + 1 if value % 2 else value


def canvas_size(width: int | None, height: int, display_aspect: Fraction | None = None) -> tuple[int, int]:
    """The high-definition canvas. With no width, it follows the source's aspect at `height`.

    Zou derives the missing width from the raster size; we use the display
    aspect so anamorphic sources are not pillarboxed into a too-narrow canvas.
    """
    if width is None:
        if display_aspect is None:
            raise ValueError("a canvas without width needs the source aspect ratio")
        width = int(display_aspect * height)
    return even(width), even(height)


def low_def_size(width: int, height: int) -> tuple[int, int]:
    """Zou's low-def canvas: 1280 wide, same aspect (so a portrait canvas gets *bigger*)."""
    return LOW_DEF_WIDTH, even(height * LOW_DEF_WIDTH // width)


def canvas_filter(rate: Fraction, width: int, height: int) -> str:
    """Video filter chain: resample the frame rate, square the pixels, fit, pad centred."""
    return f"{retime_filter(rate)},{fit_filter(width, height)}"


def retime_filter(rate: Fraction) -> str:
    """The part of `canvas_filter` every rendition of a source shares."""
    # Drop/duplicate frames first, so we never scale frames we then drop.
    # Anamorphic sources (DV, some phone/broadcast files) have non-square
    # pixels; make them square before fitting so nothing looks squeezed.
    return f"fps={ffmpeg_rate(rate)},scale=trunc(iw*sar/2)*2:ih"


def fit_filter(width: int, height: int) -> str:
    """The part of `canvas_filter` that puts the picture on one canvas."""
    return ",".join(
        [
            f"scale={width}:{height}:force_original_aspect_ratio=decrease:force_divisible_by=2",
            f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2",
            "setsar=1",
            "format=yuv420p",
        ]
    )


def audio_filter() -> str:
    """Resample any audio track to the shared format; pad it with silence to the video's end."""
    # apad makes the audio endless and -shortest stops it with the video, so
    # every file's audio and video end together and concatenated files do not
    # drift. (Inside -filter_complex this is exact; with plain -af, -shortest
    # overshoots by about half a second.)
    return (
        f"aresample={AUDIO_SAMPLE_RATE},"
        f"aformat=sample_fmts=fltp:sample_rates={AUDIO_SAMPLE_RATE}:channel_layouts={AUDIO_LAYOUT},"
        "apad"
    )


def silence_source(sample_rate: int = AUDIO_SAMPLE_RATE, layout: str = AUDIO_LAYOUT) -> str:
    """An endless silent track (the shared format by default), for movies without audio."""
    return f"anullsrc=r={sample_rate}:cl={layout}"


def kept_audio_rate(sample_rate: int | None) -> int:
    """The source's sample rate when AAC can carry it (Zou keeps it), else 48 kHz."""
    return sample_rate if sample_rate in AAC_SAMPLE_RATES else AUDIO_SAMPLE_RATE


def kept_audio_channels(channels: int | None) -> int:
    """The source's channel count when AAC can carry it (Zou keeps it), else stereo."""
    return channels if channels and channels <= AAC_MAX_CHANNELS else 2


def kept_audio_filter(sample_rate: int) -> str:
    """Keep the track's rate and channels (Zou's normalization); pad it with silence to the video's end."""
    # Same apad / -shortest pairing as `audio_filter`; the channel count is kept by the
    # encoder's -ac. aresample only acts when the rate is one AAC cannot carry.
    return f"aresample={sample_rate},aformat=sample_fmts=fltp:sample_rates={sample_rate},apad"


def kept_aac_args(sample_rate: int, channels: int) -> list[str]:
    return ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ar", str(sample_rate), "-ac", str(channels)]


def bits_per_second(bitrate: str) -> int:
    """ffmpeg's bitrate notation as a number: "28M" -> 28,000,000, "128k" -> 128,000."""
    scale = {"k": 1_000, "M": 1_000_000}.get(bitrate[-1:], 1)
    return int(float(bitrate.rstrip("kM")) * scale)


def high_def_preset(width: int, height: int) -> str:
    """The x264 preset of a high-definition movie on a `width`x`height` canvas (normalized
    previews, their segments and the builds' conformed entries alike: a build copies only
    what was encoded as it would encode it)."""
    return SMALL_CANVAS_PRESET if width * height <= SMALL_CANVAS_PIXELS else ENCODE_PRESET


def h264_args(
    rate_control: list[str], preset: str = ENCODE_PRESET, x264_params: str | None = X264_PARAMS
) -> list[str]:
    args = ["-c:v", "libx264", "-profile:v", VIDEO_PROFILE, "-preset", preset, "-tune", ENCODE_TUNE, *rate_control]
    args += ["-pix_fmt", "yuv420p"]
    if x264_params:
        args += ["-x264-params", x264_params]
    return args


def aac_args() -> list[str]:
    return ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ar", str(AUDIO_SAMPLE_RATE), "-ac", "2"]


def mp4_args(faststart: bool = True) -> list[str]:
    # faststart moves the index to the front so browsers can start playing
    # before the download ends (at the cost of rewriting the file once; files
    # that are only inputs of another join skip it). Chapters would become an
    # extra text track and break stream-copy concatenation, and source tags are
    # not ours to keep.
    movflags = ["-movflags", "+faststart"] if faststart else []
    return ["-map_metadata", "-1", "-map_chapters", "-1", *movflags, "-f", "mp4"]
