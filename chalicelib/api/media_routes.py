"""Zou's `/pictures` and `/movies` routes: preview uploads (gazu's multipart POST and the
presigned flow), downloads, thumbnails, tiles, avatars, preview backgrounds and attachment
thumbnails. Registered twice by app.py: under /api (gazu's host) and at the root (Kitsu's
proxy strips /api, and tools that talk to Zou directly use the bare paths).

Chalice consumes a route's options when it registers it, so each registration gets a
blueprint of its own from `make_blueprint()`.

Each path names what it serves: the handler turns it into a `Rendition` (or an avatar
owner) and the `/<id>.png` segment into an id (chalicelib.api.file_names). Every
download is a 302 to a presigned S3 URL on S3's own host, so clients drop their bearer
header and API Gateway never carries (or compresses) the bytes."""
from chalice import Blueprint

from chalicelib.api.file_names import file_id
from chalicelib.api.http import created, link, require_uuid, route
from chalicelib.services.previews import backgrounds, media_reads, uploads
from chalicelib.services.previews.media_reads import Rendition
from chalicelib.services.production import attachments, avatars

_ROUTES: list[tuple[str, tuple, str, object]] = []


def _media(path: str, methods=("GET",), name: str | None = None):
    def remember(handler):
        _ROUTES.append((path, methods, name or handler.__name__, handler))
        return handler
    return remember


def make_blueprint() -> Blueprint:
    blueprint = Blueprint(__name__)
    for path, methods, name, handler in _ROUTES:
        route(blueprint, path, methods=methods, name=name)(handler)
    return blueprint


# --- uploads -------------------------------------------------------------------------------

@_media("/pictures/preview-files/{preview_file_id}", methods=("POST",))
def upload_preview_file(request, preview_file_id):
    _, files = request.multipart()
    return created(uploads.upload_through_api(request.caller, preview_file_id, files, request.query()))


@_media("/pictures/preview-files/{preview_file_id}/upload-url", methods=("POST",))
def preview_file_upload_url(request, preview_file_id):
    return created(uploads.request_upload(request.caller, preview_file_id, request.json_object()))


@_media("/pictures/preview-files/{preview_file_id}/upload-complete", methods=("POST",))
def preview_file_upload_complete(request, preview_file_id):
    return uploads.complete_upload(request.caller, preview_file_id, request.json_object())


# --- preview downloads ---------------------------------------------------------------------

def _preview_download(request, file_name: str, rendition: Rendition, attachment: bool = False):
    # `.../<id>/download` names no extension; the other routes need one.
    preview_file_id = file_id(file_name, extension_required=not attachment)
    # A media player asks for byte ranges; gazu's downloads do not, and keep waiting for the
    # normalized movie (as with Zou) rather than get the upload while it is processed.
    playback = "range" in {name.lower() for name in (request.headers or {})}
    return link(media_reads.download(request.caller, preview_file_id, rendition, attachment=attachment,
                                     playback=playback))


@_media("/movies/originals/preview-files/{file_name}")
def preview_movie(request, file_name):
    return _preview_download(request, file_name, Rendition.MOVIE)


@_media("/movies/originals/preview-files/{file_name}/download")
def preview_movie_download(request, file_name):
    return _preview_download(request, file_name, Rendition.MOVIE, attachment=True)


@_media("/movies/low/preview-files/{file_name}")
def preview_movie_low(request, file_name):
    return _preview_download(request, file_name, Rendition.LOW_MOVIE)


@_media("/movies/source/preview-files/{file_name}")
def preview_movie_source(request, file_name):
    # The upload as it arrived (kept whatever happens to it).
    return _preview_download(request, file_name, Rendition.SOURCE)


@_media("/movies/tiles/preview-files/{file_name}")
def preview_tile(request, file_name):
    return _preview_download(request, file_name, Rendition.TILE)


@_media("/pictures/originals/preview-files/{file_name}")
def preview_original(request, file_name):
    return _preview_download(request, file_name, Rendition.ORIGINAL)


@_media("/pictures/originals/preview-files/{file_name}/download")
def preview_original_download(request, file_name):
    return _preview_download(request, file_name, Rendition.ORIGINAL, attachment=True)


@_media("/pictures/thumbnails/preview-files/{file_name}")
def preview_thumbnail(request, file_name):
    return _preview_download(request, file_name, Rendition.THUMBNAIL)


@_media("/pictures/thumbnails-square/preview-files/{file_name}")
def preview_thumbnail_square(request, file_name):
    return _preview_download(request, file_name, Rendition.THUMBNAIL_SQUARE)


@_media("/pictures/previews/preview-files/{file_name}")
def preview_picture(request, file_name):
    return _preview_download(request, file_name, Rendition.PREVIEW)


# --- avatars: GET .../<id>.png reads, POST .../<id> uploads (one path: one segment) ----------

def _avatar_routes(owner: avatars.AvatarOwner) -> None:
    path = f"/pictures/thumbnails/{owner.plural}/{{file_name}}"

    def read_avatar(request, file_name):
        return link(avatars.avatar(request.caller, owner, file_id(file_name)))

    def upload_avatar(request, file_name):
        _, files = request.multipart()
        return created(avatars.upload_avatar(request.caller, owner, require_uuid(file_name, "id"), files))

    _media(path, name=f"{owner.plural}_avatar")(read_avatar)
    _media(path, methods=("POST",), name=f"upload_{owner.plural}_avatar")(upload_avatar)


for _owner in avatars.AvatarOwner:
    _avatar_routes(_owner)


# --- preview backgrounds and attachments -------------------------------------------------------

@_media("/pictures/preview-background-files/{file_name}")
def preview_background_file(request, file_name):
    return link(backgrounds.download(request.caller, file_id(file_name)))


@_media("/pictures/preview-background-files/{file_name}", methods=("POST",))
def upload_preview_background_file(request, file_name):
    # The POST names the bare id.
    _, files = request.multipart()
    return created(backgrounds.upload(request.caller, require_uuid(file_name, "id"), files))


@_media("/pictures/thumbnails/preview-background-files/{file_name}")
def preview_background_thumbnail(request, file_name):
    return link(backgrounds.thumbnail(request.caller, file_id(file_name)))


@_media("/pictures/thumbnails/attachment-files/{file_name}")
def attachment_thumbnail(request, file_name):
    return link(attachments.thumbnail(request.caller, file_id(file_name)))
