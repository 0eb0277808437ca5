"""Zou's `/pictures` and `/movies` routes: preview uploads (gazu's multipart POST and the
presigned flow), downloads, thumbnails, tiles, avatars, preview backgrounds and attachment
thumbnails. Registered twice by app.py: under /api (gazu's host) and at the root (Kitsu's
proxy strips /api, and tools that talk to Zou directly use the bare paths).

Chalice consumes a route's options when it registers it, so each registration gets a
blueprint of its own from `make_blueprint()`.

Zou's `/<id>.png` paths cannot be declared (API Gateway path parameters are whole
segments): the routes take `{file_name}` and the services split it. Every download is a
302 to a presigned S3 URL on S3's own host, so clients drop their bearer header and
API Gateway never carries (or compresses) the bytes."""
from chalice import Blueprint

from chalicelib.api.http import created, link, require_uuid, route
from chalicelib.services.previews import backgrounds, media_reads, uploads
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

@_media("/movies/originals/preview-files/{file_name}")
def preview_movie(request, file_name):
    return link(media_reads.download(request.caller, "movies", "originals", file_name))


@_media("/movies/originals/preview-files/{file_name}/download")
def preview_movie_download(request, file_name):
    return link(media_reads.download(request.caller, "movies", "originals", file_name, attachment=True))


@_media("/movies/low/preview-files/{file_name}")
def preview_movie_low(request, file_name):
    return link(media_reads.download(request.caller, "movies", "low", file_name))


@_media("/movies/source/preview-files/{file_name}")
def preview_movie_source(request, file_name):
    # The upload as it arrived (kept whatever happens to it).
    return link(media_reads.download(request.caller, "movies", "source", file_name))


@_media("/movies/tiles/preview-files/{file_name}")
def preview_tile(request, file_name):
    return link(media_reads.download(request.caller, "movies", "tiles", file_name))


@_media("/pictures/originals/preview-files/{file_name}")
def preview_original(request, file_name):
    return link(media_reads.download(request.caller, "pictures", "originals", file_name))


@_media("/pictures/originals/preview-files/{file_name}/download")
def preview_original_download(request, file_name):
    return link(media_reads.download(request.caller, "pictures", "originals", file_name, attachment=True))


@_media("/pictures/thumbnails/preview-files/{file_name}")
def preview_thumbnail(request, file_name):
    return link(media_reads.download(request.caller, "pictures", "thumbnails", file_name))


@_media("/pictures/thumbnails-square/preview-files/{file_name}")
def preview_thumbnail_square(request, file_name):
    return link(media_reads.download(request.caller, "pictures", "thumbnails-square", file_name))


@_media("/pictures/previews/preview-files/{file_name}")
def preview_picture(request, file_name):
    return link(media_reads.download(request.caller, "pictures", "previews", file_name))


# --- avatars: POST .../{id} uploads, GET .../{id}.png reads (one route: one path segment) -----

def _avatar_routes(kind: str) -> None:
    def avatar(request, file_name):
        if request.method == "POST":
            _, files = request.multipart()
            return created(avatars.upload_avatar(request.caller, kind, _id_only(file_name), files))
        return link(avatars.avatar(request.caller, kind, file_name))

    _media(f"/pictures/thumbnails/{kind}/{{file_name}}", methods=("GET", "POST"), name=f"{kind}_avatar")(avatar)


def _id_only(file_name: str) -> str:
    return require_uuid(file_name, "id")


for _kind in avatars.KINDS:
    _avatar_routes(_kind)


# --- preview backgrounds and attachments -------------------------------------------------------

@_media("/pictures/preview-background-files/{file_name}", methods=("GET", "POST"))
def preview_background_file(request, file_name):
    if request.method == "POST":
        _, files = request.multipart()
        return created(backgrounds.upload(request.caller, _id_only(file_name), files))
    return link(backgrounds.download(request.caller, file_name))


@_media("/pictures/thumbnails/preview-background-files/{file_name}")
def preview_background_thumbnail(request, file_name):
    return link(backgrounds.thumbnail(request.caller, file_name))


@_media("/pictures/thumbnails/attachment-files/{file_name}")
def attachment_thumbnail(request, file_name):
    return link(attachments.thumbnail(request.caller, file_name))
