"""Media processing for previews and playlists: probe, normalize, thumbnails, tiles, concat.

A pure library: functions take local file paths and return dataclasses; no AWS.
ffmpeg (imageio-ffmpeg's bundled binary) and Pillow are only imported when a
function needs them, so importing this package is cheap for every handler.
"""

from .concat import ConcatResult, concat_copy, concat_movies, concat_reencode, stream_mismatch, streams_compatible
from .ffmpeg import MediaError, ffmpeg_binary, run_ffmpeg
from . import segments
from .normalize import PassPictures, Rendition, normalize_movie, normalize_renditions, pass_tile_plan
from .probe import MovieInfo, browser_playable, probe_movie, probe_movies
from .thumbnails import (
    PictureInfo,
    PreviewPictures,
    extract_frame,
    fit_thumbnail,
    frame_pictures,
    movie_pictures,
    picture_pictures,
    picture_to_png,
    resize_to_width,
)
from .tiles import TileGeometry, crop_tile, generate_tile, planned_tile_geometry, tile_geometry

__all__ = [
    "ConcatResult",
    "MediaError",
    "MovieInfo",
    "PictureInfo",
    "PreviewPictures",
    "TileGeometry",
    "concat_copy",
    "crop_tile",
    "concat_movies",
    "concat_reencode",
    "extract_frame",
    "ffmpeg_binary",
    "fit_thumbnail",
    "frame_pictures",
    "generate_tile",
    "movie_pictures",
    "normalize_movie",
    "normalize_renditions",
    "pass_tile_plan",
    "PassPictures",
    "planned_tile_geometry",
    "Rendition",
    "picture_pictures",
    "picture_to_png",
    "browser_playable",
    "probe_movie",
    "probe_movies",
    "resize_to_width",
    "segments",
    "run_ffmpeg",
    "stream_mismatch",
    "streams_compatible",
    "tile_geometry",
]
