"""A project's canvas: the frame rate and size previews are normalized to and playlist
movies are built on (Zou's `get_preview_file_fps` and `get_preview_file_dimensions`,
zou.md §1.2). The one place a project's `fps` and `resolution` are read."""
import re
from typing import NamedTuple

from chalicelib.media import encoding

DEFAULT_FPS = "25.000"
DEFAULT_HEIGHT = 1080
_FULL = re.compile(r"\d{3,4}x\d{3,4}")
_HEIGHT_ONLY = re.compile(r"x\d{3,4}")


class Canvas(NamedTuple):
    fps: str  # three decimals, as Zou passes it to ffmpeg: "25.000", "23.976"
    width: int | None  # None: follow the source (a project resolution "xH", or none usable)
    height: int


def preview_canvas(project: dict, entity: dict | None = None) -> Canvas:
    """The project's fps and resolution; the entity's `data` overrides them (its
    resolution only in the full `WxH` form). Unusable values fall back to the defaults."""
    entity_data = (entity or {}).get("data") or {}
    raw_fps = str(entity_data.get("fps") or project.get("fps") or DEFAULT_FPS).replace(",", ".")
    try:
        fps = f"{float(encoding.fps_fraction(raw_fps)):.3f}"
    except ValueError:
        fps = DEFAULT_FPS
    width, height = None, DEFAULT_HEIGHT
    resolution = str(project.get("resolution") or "")
    if _FULL.fullmatch(str(entity_data.get("resolution") or "")):
        resolution = entity_data["resolution"]
    if _FULL.fullmatch(resolution):
        width, height = (int(side) for side in resolution.split("x"))
    elif _HEIGHT_ONLY.fullmatch(resolution):
        height = int(resolution[1:])
    return Canvas(fps, width, height)

