"""Turn any uploaded movie into the project's review format (Zou's `normalize_movie`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from . import encoding, tiles
from .ffmpeg import DEFAULT_TIMEOUT_S, run_ffmpeg_outputs
from .probe import MovieInfo, probe_movie
from .tiles import TileGeometry


@dataclass(frozen=True)
class Rendition:
    """One normalized movie to make: where, which definition, which x264 preset (None: the
    canvas's, `encoding.high_def_preset`)."""
    dst: str
    low_def: bool = False
    preset: str | None = None

    def preset_for(self, width: int, height: int) -> str:
        return self.preset or encoding.high_def_preset(width, height)


@dataclass(frozen=True)
class PassPictures:
    """Pictures made in the renditions' pass, from the frames the encoders get: the first
    frame on the high-definition canvas (what `thumbnails.movie_pictures` reads from the
    finished movie) and the tile sprite on `tile`, the planned geometry (`pass_tile_plan`)."""
    first_frame: str
    sprite: str
    tile: TileGeometry


def pass_tile_plan(
    renditions: list[Rendition], fps: str | float | Fraction, width: int | None, height: int, source: MovieInfo
) -> TileGeometry | None:
    """The sprite the renditions' pass can make (`tiles.planned_tile_geometry`), on the
    canvas of the rendition `generate_tile` would read: the low definition when there is one."""
    canvas_width, canvas_height = encoding.canvas_size(width, height, source.display_aspect_ratio)
    tile_width, tile_height = _size(renditions[_tile_rendition(renditions)], canvas_width, canvas_height)
    estimated_frames = round(source.duration * encoding.fps_fraction(fps))
    return tiles.planned_tile_geometry(estimated_frames, Fraction(tile_width, tile_height))


def normalize_movie(
    src: str,
    dst: str,
    fps: str | float | Fraction,
    width: int | None,
    height: int,
    low_def: bool = False,
    *,
    source_info: MovieInfo | None = None,
    preset: str | None = None,
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
    pictures: PassPictures | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> None:
    """Make every rendition of `src` from one decode of it (the preview pipeline's high-
    and low-definition movies): the source is read, retimed and its pixels squared once,
    then each copy is fitted to its canvas and encoded, the encoders side by side in one
    ffmpeg. With `pictures`, the same pass writes them too. Each output appears only when
    all of them are made."""
    source = source_info or probe_movie(src, count_frames=False)
    canvas_width, canvas_height = encoding.canvas_size(width, height, source.display_aspect_ratio)
    rate = encoding.fps_fraction(fps)
    count = len(renditions)
    taps: dict[int, list[str]] = {}  # rendition number -> the picture branches fed by its frames
    if pictures is not None:
        # The pictures branch off the encoders' own frames: the first frame of the high
        # definition, the tile from the rendition generate_tile would decode.
        taps.setdefault(next((n for n, r in enumerate(renditions) if not r.low_def), 0), []).append("first")
        taps.setdefault(_tile_rendition(renditions), []).append("tile")
    branches = "".join(f"[picture{n}]" for n in range(count))
    sounds = "".join(f"[sound{n}]" for n in range(count))
    graph = [f"[0:V:0]{encoding.retime_filter(rate)},split={count}{branches}"]
    for number, rendition in enumerate(renditions):
        fitted = f"[picture{number}]{encoding.fit_filter(*_size(rendition, canvas_width, canvas_height))}"
        taken = taps.get(number, [])
        if taken:
            fitted += f",split={1 + len(taken)}" + "".join(f"[{name}-in]" for name in taken)
        graph.append(f"{fitted}[video{number}]")
    if pictures is not None:
        # trim ends the branch after one frame, so the split stops feeding it.
        graph.append("[first-in]trim=end_frame=1[first]")
        graph.append(f"[tile-in]{','.join(tiles.tile_filters(pictures.tile))}[tile]")
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
        preset = rendition.preset_for(*_size(rendition, canvas_width, canvas_height))
        outputs.append((rendition.dst, [
            *("-map", f"[video{number}]", "-map", f"[sound{number}]"),
            *encoding.h264_args(["-b:v", bitrate], preset=preset),
            *encoding.kept_aac_args(sample_rate, channels),
            # Both padded and silent audio are endless: the video decides the length.
            "-shortest",
            *encoding.mp4_args(),
        ]))
    if pictures is not None:
        outputs.append((pictures.first_frame, ["-map", "[first]", *tiles.SPRITE_OUTPUT_ARGS]))
        outputs.append((pictures.sprite, ["-map", "[tile]", *tiles.SPRITE_OUTPUT_ARGS]))
    run_ffmpeg_outputs(["-i", src, "-filter_complex", ";".join(graph)], outputs, timeout=timeout)


def _size(rendition: Rendition, canvas_width: int, canvas_height: int) -> tuple[int, int]:
    return encoding.low_def_size(canvas_width, canvas_height) if rendition.low_def else (canvas_width, canvas_height)


def _tile_rendition(renditions: list[Rendition]) -> int:
    # The pipeline's images stage reads low.mp4 for the tile (same frames, a fifth of the bits).
    return next((n for n, r in enumerate(renditions) if r.low_def), 0)
