"""The scrubbing sprite: a grid of small frames, 8 per row, that players show on hover."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .ffmpeg import DEFAULT_TIMEOUT_S, run_ffmpeg_into
from .probe import MovieInfo, probe_movie

TILE_COLUMNS = 8
TILE_HEIGHT = 100
MAX_TILE_ROWS = 480
# Above this many frames, Zou keeps only every k-th frame so the sprite stays at 480 rows.
_FULL_SPRITE_FRAMES = TILE_COLUMNS * MAX_TILE_ROWS


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
    frame_count = max(info.frame_count, 1)
    rows = min(math.ceil(frame_count / TILE_COLUMNS), MAX_TILE_ROWS)
    frame_step = math.ceil(frame_count / _FULL_SPRITE_FRAMES) if rows == MAX_TILE_ROWS else 1
    # Tiles keep the display aspect (16:9 -> 178 px wide), rounded up as Zou does.
    tile_width = math.ceil(TILE_HEIGHT * info.display_aspect_ratio)
    return TileGeometry(TILE_COLUMNS, rows, tile_width, TILE_HEIGHT, frame_step, frame_count)


def generate_tile(
    movie_path: str,
    out_png: str,
    *,
    info: MovieInfo | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> TileGeometry:
    """Write the tile sprite of `movie_path` as one PNG and return its geometry."""
    geometry = tile_geometry(info or probe_movie(movie_path))
    filters = []
    if geometry.frame_step > 1:
        # The comma must be escaped inside a filter argument.
        filters.append(f"select='not(mod(n\\,{geometry.frame_step}))'")
    filters += [
        f"scale={geometry.tile_width}:{geometry.tile_height}",
        # setsar=1: the tile is stored as plain pixels, whatever the source's SAR.
        "setsar=1",
        f"tile={geometry.columns}x{geometry.rows}",
    ]
    # The tile filter emits a partly filled (black) sprite at end of stream,
    # so one output frame holds every tile even when the last row is short.
    run_ffmpeg_into(
        out_png,
        [
            *("-i", movie_path, "-map", "0:V:0", "-vf", ",".join(filters)),
            *("-frames:v", "1", "-update", "1", "-f", "image2"),
        ],
        timeout=timeout,
    )
    return geometry
