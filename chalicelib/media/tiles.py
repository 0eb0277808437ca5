"""The scrubbing sprite: a grid of small frames, 8 per row, that players show on hover."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

from .ffmpeg import DEFAULT_TIMEOUT_S, run_ffmpeg_into
from .probe import MovieInfo, probe_movie

TILE_COLUMNS = 8
TILE_HEIGHT = 100
MAX_TILE_ROWS = 480
# Above this many frames, Zou keeps only every k-th frame so the sprite stays at 480 rows.
_FULL_SPRITE_FRAMES = TILE_COLUMNS * MAX_TILE_ROWS
# One picture: the sprite the tile filter emits.
SPRITE_OUTPUT_ARGS = ("-frames:v", "1", "-update", "1", "-f", "image2")


@dataclass(frozen=True)
class TileGeometry:
    """Where frame tiles sit in the sprite: tile i (row-major) shows movie frame i × frame_step."""

    columns: int
    rows: int
    tile_width: int
    tile_height: int
    frame_step: int
    frame_count: int

    @property
    def width(self) -> int:
        return self.columns * self.tile_width

    @property
    def height(self) -> int:
        return self.rows * self.tile_height


def tile_geometry(info: MovieInfo) -> TileGeometry:
    """Zou's `generate_tile` geometry (zou.md §3.1), with the frame rate read correctly.

    Zou counts frames as int(duration × fps) with fps taken as the numerator
    of r_frame_rate, which turns 29.97 fps into 30000 and the sprite into a
    48000-px-high image of empty tiles. We use the movie's real frame count.
    """
    return _geometry(info.frame_count, info.display_aspect_ratio)


def _geometry(frame_count: int, display_aspect: Fraction) -> TileGeometry:
    frame_count = max(frame_count, 1)
    rows = min(math.ceil(frame_count / TILE_COLUMNS), MAX_TILE_ROWS)
    frame_step = math.ceil(frame_count / _FULL_SPRITE_FRAMES) if rows == MAX_TILE_ROWS else 1
    # Tiles keep the display aspect (16:9 -> 178 px wide), rounded up as Zou does.
    tile_width = math.ceil(TILE_HEIGHT * display_aspect)
    return TileGeometry(TILE_COLUMNS, rows, tile_width, TILE_HEIGHT, frame_step, frame_count)


def planned_tile_geometry(estimated_frames: int, display_aspect: Fraction) -> TileGeometry | None:
    """The sprite to make while the movie is encoded, before its frame count is known: the
    estimate's rows and a spare one (the retimed count can differ from duration × fps by a
    frame or two), cropped to the real count afterwards by `crop_tile`. None when the movie
    may need Zou's every-k-th frame (a frame step is only known from the real count): its
    sprite is made from the finished movie by `generate_tile`."""
    planned = _geometry(estimated_frames + TILE_COLUMNS, display_aspect)
    if planned.rows >= MAX_TILE_ROWS:
        return None
    return planned


def crop_tile(sprite_png: str, planned: TileGeometry, frame_count: int) -> TileGeometry | None:
    """Crop a sprite made on the `planned` geometry to the rows of `frame_count` frames, in
    place; its geometry, as `tile_geometry` gives it for that movie. None when the plan was
    short (the tile filter then started a second sprite, so frames are missing from the first)."""
    from PIL import Image

    real = replace(planned, rows=math.ceil(max(frame_count, 1) / TILE_COLUMNS), frame_count=max(frame_count, 1))
    if real.rows > planned.rows:
        return None
    with Image.open(sprite_png) as sprite:
        if sprite.size != (planned.width, planned.height):
            return None
        cropped = sprite.crop((0, 0, real.width, real.height))
    # Level 3: a tenth bigger than the default 6, and a third of its time (0.3 s for 32 rows).
    cropped.save(sprite_png, format="PNG", compress_level=3)
    return real


def tile_filters(geometry: TileGeometry) -> list[str]:
    """The filters from a movie's frames to its sprite (one frame at end of stream)."""
    filters = []
    if geometry.frame_step > 1:
        # The comma must be escaped inside a filter argument.
        filters.append(f"select='not(mod(n\\,{geometry.frame_step}))'")
    return filters + [
        f"scale={geometry.tile_width}:{geometry.tile_height}",
        # setsar=1: the tile is stored as plain pixels, whatever the source's SAR.
        "setsar=1",
        # The tile filter emits a partly filled (black) sprite at end of stream,
        # so one output frame holds every tile even when the last row is short.
        f"tile={geometry.columns}x{geometry.rows}",
    ]


def generate_tile(
    movie_path: str,
    out_png: str,
    *,
    info: MovieInfo | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> TileGeometry:
    """Write the tile sprite of `movie_path` as one PNG and return its geometry."""
    geometry = tile_geometry(info or probe_movie(movie_path))
    run_ffmpeg_into(
        out_png,
        [
            *("-i", movie_path, "-map", "0:V:0", "-vf", ",".join(tile_filters(geometry))),
            *SPRITE_OUTPUT_ARGS,
        ],
        timeout=timeout,
    )
    return geometry
