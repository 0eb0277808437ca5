"""Reading a preview's media: downloads (a presigned S3 link, or "still processing"),
and the actions that run ffmpeg on a stored movie (extract-frame, extract-tile, the
entity thumbnail of set-main-preview). ffmpeg reads the movie through a presigned URL,
so only the bytes it seeks to cross the network, never the whole movie."""
import enum
import os
import shutil
import tempfile

from chalicelib import auth, media, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.previews import index, previews
from chalicelib.services.previews.links import Download, Processing
from chalicelib.services.production import collections as c
from chalicelib.services.production import canvas, names
from chalicelib.services.production.validation import check_value

# A request must answer within API Gateway's 29 s.
REQUEST_FFMPEG_SECONDS = 20


class Rendition(enum.Enum):
    """What a download route serves (one per Zou route): the stored variants that answer
    it, best first."""
    MOVIE = ("movie", "low")  # movies/originals
    LOW_MOVIE = ("low", "movie")  # movies/low
    SOURCE = ("source",)  # the upload as it arrived
    TILE = ("tile",)
    ORIGINAL = ("original",)  # pictures/originals: the full-size picture (a pdf, zip, ... as it is)
    THUMBNAIL = ("thumbnail",)
    THUMBNAIL_SQUARE = ("thumbnail-square",)
    PREVIEW = ("preview",)


# Zou lets anyone but vendors see these of a shared entity's main preview.
_THUMBNAIL_VARIANTS = ("thumbnail", "thumbnail-square", "original")


def download(caller: Caller, preview_id: str, rendition: Rendition, attachment: bool = False,
             playback: bool = False):
    """GET {movies|pictures}/<route>/preview-files/<id>.<ext> and .../<id>/download.
    `playback`: a player's request, which may be given a playable upload while it is processed."""
    ctx = previews.load(preview_id)
    if rendition is Rendition.ORIGINAL and (ctx.preview.get("pipeline") or {}).get("kind") == "file":
        variants = ["file"]  # a pdf, zip, ... stored as it is
    else:
        variants = list(rendition.value)
    if variants[0] in _THUMBNAIL_VARIANTS:
        auth.check_preview_thumbnail_access(caller, ctx.preview, ctx.entity, ctx.project)
    else:
        auth.check_preview_download_access(caller, ctx.task, ctx.project)
    return locate(ctx, variants, attachment, playback)


def locate(ctx: previews.PreviewContext, variants: list[str], attachment: bool = False, playback: bool = False):
    """The first of `variants` the preview has, as a presigned link; Processing while it
    may still come (for a player, the upload itself when it plays as it is); NotFound
    (with the reason when broken) when it never will."""
    preview = ctx.preview
    stored = set((preview.get("pipeline") or {}).get("variants") or [])
    for variant in variants:
        if variant in stored:
            return _link(ctx, variant, attachment)
    if preview.get("status") == "processing":
        if playback and preview.get("source_playable") and "source" in stored \
                and variants[0] in Rendition.MOVIE.value:
            # The upload plays in a browser as it is: served until its normalized movie exists.
            return _link(ctx, "source", attachment)
        return Processing(f"Preview file {preview['id']} is still being processed")
    if preview.get("status") in ("broken", "missing"):
        raise NotFound(f"Preview file {preview['id']} is {preview['status']}: "
                       f"{preview.get('status_reason') or 'unknown reason'}")
    raise NotFound(f"Preview file {preview['id']} has no {variants[0]}")


def _link(ctx: previews.PreviewContext, variant: str, attachment: bool) -> Download:
    key, extension, content_type = _object_of(ctx.preview, variant)
    name = names.preview_file_name(ctx.preview, ctx.project, ctx.entity, ctx.task_type,
                                   extension=extension) if attachment else None
    return Download(storage.presigned_get(key, download_name=name, content_type=content_type))


def _object_of(preview: dict, variant: str) -> tuple[str, str, str]:
    if variant == "source":
        pipeline = preview["pipeline"]
        extension = pipeline.get("source_extension") or "bin"
        return pipeline["source_key"], extension, storage.content_type_for(f"x.{extension}")
    if variant == "file":
        extension = preview.get("extension") or "bin"
        return (storage.preview_key(preview["id"], f"file.{extension}"), extension,
                storage.content_type_for(f"x.{extension}"))
    if variant in ("movie", "low"):
        return storage.preview_key(preview["id"], variant), "mp4", "video/mp4"
    return storage.preview_key(preview["id"], variant), "png", "image/png"


# --- ffmpeg on request -----------------------------------------------------------------------------

def _require_movie(ctx: previews.PreviewContext) -> None:
    if ctx.preview.get("extension") != "mp4":
        raise NotFound("This preview file is not a movie")
    if "movie" not in set((ctx.preview.get("pipeline") or {}).get("variants") or []):
        raise NotFound(f"The movie of preview file {ctx.preview['id']} is not ready ({ctx.preview.get('status')})")


def _movie_url(ctx: previews.PreviewContext) -> str:
    _require_movie(ctx)
    return storage.presigned_get(storage.preview_key(ctx.preview["id"], "movie"))


def _frame_number(value) -> int:
    number = check_value("frame_number", c.INT, value)
    if number is None or number < 0:
        raise Invalid("frame_number must be an integer, 0 or more")
    return number


def extract_frame(caller: Caller, preview_id: str, raw_frame_number) -> Download:
    """GET actions/preview-files/{id}/extract-frame?frame_number=N (managers): frame N,
    counted from 1 (0 is the first frame too), full size, at the project's fps."""
    ctx = previews.load(preview_id)
    auth.check_preview_edit_access(caller, ctx.project)
    frame_number = _frame_number(raw_frame_number if raw_frame_number is not None else 0)
    movie_url = _movie_url(ctx)
    key = storage.preview_frame_key(preview_id, frame_number)
    with tempfile.TemporaryDirectory(prefix="reelbase-frame-") as work:
        frame = os.path.join(work, "frame.png")
        _extract(ctx, movie_url, frame, frame_number)
        storage.upload_file(frame, key, "image/png")
    return Download(storage.presigned_get(key, content_type="image/png"))


def _extract(ctx: previews.PreviewContext, movie_url: str, out_png: str, frame_number: int) -> None:
    fps, _, _ = canvas.preview_canvas(ctx.project, ctx.entity)
    try:
        media.extract_frame(movie_url, out_png, frame_number=frame_number, fps=fps, timeout=REQUEST_FFMPEG_SECONDS)
    except media.MediaError as error:
        raise Invalid(f"Cannot extract frame {frame_number}: {error.reason}") from error


def extract_tile(caller: Caller, preview_id: str):
    """GET actions/preview-files/{id}/extract-tile: the tile sprite (made again when missing)."""
    ctx = previews.load(preview_id)
    auth.check_preview_download_access(caller, ctx.task, ctx.project)
    if ctx.preview.get("extension") != "mp4":
        raise Invalid("Preview file is not a movie")
    stored = set((ctx.preview.get("pipeline") or {}).get("variants") or [])
    if "tile" in stored or ctx.preview.get("status") == "processing":
        return locate(ctx, ["tile"])
    _require_movie(ctx)
    # The tile reads every frame: the movie is downloaded rather than streamed.
    work = tempfile.mkdtemp(prefix="reelbase-tile-")
    try:
        movie = os.path.join(work, "movie.mp4")
        storage.download_file(storage.preview_key(preview_id, "movie"), movie)
        tile = os.path.join(work, "tile.png")
        try:
            media.generate_tile(movie, tile, timeout=REQUEST_FFMPEG_SECONDS)
        except media.MediaError as error:
            raise NotFound(f"No tile can be made from this movie: {error.reason}") from error
        storage.upload_file(tile, storage.preview_key(preview_id, "tile"), "image/png")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    preview = records.update(preview_id, lambda body: {"pipeline": {
        **(body.get("pipeline") or {}),
        "variants": sorted(set((body.get("pipeline") or {}).get("variants") or []) | {"tile"})}},
        expected_kind=previews.KIND)
    return locate(previews.PreviewContext(preview, ctx.task, ctx.project, ctx.entity, ctx.task_type), ["tile"])


def set_main_preview(caller: Caller, preview_id: str, body: dict) -> dict:
    """PUT actions/preview-files/{id}/set-main-preview {"frame_number"?}: the entity's
    thumbnail becomes this preview; with a frame number (movies only), the preview's
    pictures are made again from that frame first."""
    ctx, _ = previews.set_main_preview(caller, preview_id)
    raw_frame = (body or {}).get("frame_number")
    if raw_frame is not None:
        frame_number = _frame_number(raw_frame)
        if ctx.preview.get("extension") != "mp4":
            raise Invalid("A frame number applies to movies only")
        movie_url = _movie_url(ctx)
        with tempfile.TemporaryDirectory(prefix="reelbase-main-") as work:
            frame = os.path.join(work, "frame.png")
            _extract(ctx, movie_url, frame, frame_number)
            os.makedirs(os.path.join(work, "pictures"))
            pictures = media.picture_pictures(frame, os.path.join(work, "pictures"))
            for variant, path in {"original": pictures.original, "thumbnail": pictures.thumbnail,
                                  "thumbnail-square": pictures.thumbnail_square,
                                  "preview": pictures.preview}.items():
                storage.upload_file(path, storage.preview_key(preview_id, variant), "image/png")
        preview = records.update(preview_id, lambda body: {"data": {**(body.get("data") or {}),
                                                                    "thumbnail_frame": frame_number}},
                                 expected_kind=previews.KIND)
        index.record_preview(preview)
    return previews.make_main_preview(ctx)
