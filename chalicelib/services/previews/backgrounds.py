"""Preview background files (HDR environments the review player lights 3D previews with):
the studio's admins upload them; anyone of the studio reads them and their 300×200 thumbnail; projects
list the ones they offer."""
import os
import tempfile

from chalicelib import auth, media, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.previews.links import Download
from chalicelib.services.production import avatars, data, references
from chalicelib.services.production import collections as c
from chalicelib.services.production.validation import check_value

KIND = "PreviewBackgroundFile"
EXTENSIONS = ("hdr", "exr", "png", "jpg", "jpeg")


def upload(caller: Caller, background_id: str, files: dict) -> dict:
    """POST pictures/preview-background-files/{id} (multipart `file`, the studio's admins)."""
    auth.check_admin(caller, data.require(KIND, background_id, "Preview background file"))
    part = files.get("file")
    if part is None or not part.content:
        raise Invalid("File not provided.")
    stem, _, extension = os.path.basename(part.filename).rpartition(".")
    extension = extension.lower()
    if extension not in EXTENSIONS:
        raise Invalid(f"Wrong file format, extension: {extension}; expected one of {', '.join(EXTENSIONS)}")
    with tempfile.TemporaryDirectory(prefix="reelbase-background-") as work:
        thumbnail = _thumbnail(part.content, extension, work)
        storage.put_bytes(storage.background_key(background_id, extension), part.content,
                          storage.content_type_for(part.filename))
        storage.upload_file(thumbnail, storage.background_thumbnail_key(background_id), "image/png")
    updated = records.update(background_id, {"original_name": stem, "extension": extension,
                                             "file_size": len(part.content), "has_thumbnail": True},
                             expected_kind=KIND)
    return data.serialize(updated)


def _thumbnail(content: bytes, extension: str, work: str) -> str:
    if extension in ("hdr", "exr"):
        # Pillow reads neither Radiance HDR nor OpenEXR; ffmpeg decodes both (tone-mapped to 8 bits).
        source = os.path.join(work, f"background.{extension}")
        with open(source, "wb") as handle:
            handle.write(content)
        try:
            media.extract_frame(source, os.path.join(work, "frame.png"), seconds=0.0, timeout=20)
        except media.MediaError as error:
            raise Invalid(f"The file is not a readable {extension} picture: {error.reason}") from error
        with open(os.path.join(work, "frame.png"), "rb") as handle:
            content = handle.read()
    return avatars.fitted_png(content, media.thumbnails.BIG_RECTANGLE_SIZE, work)


def download(caller: Caller, background_id: str) -> Download:
    """GET pictures/preview-background-files/<id>.<ext>."""
    background = data.require(KIND, background_id, "Preview background file")
    auth.check_studio(caller, background)
    if not background.get("original_name"):
        raise NotFound("This preview background file has no file yet")
    return Download(storage.presigned_get(storage.background_key(background_id, background["extension"]),
                                          content_type=storage.content_type_for(f"x.{background['extension']}")))


def thumbnail(caller: Caller, background_id: str) -> Download:
    """GET pictures/thumbnails/preview-background-files/<id>.png."""
    background = data.require(KIND, background_id, "Preview background file")
    auth.check_studio(caller, background)
    if not background.get("has_thumbnail"):
        raise NotFound("This preview background file has no thumbnail")
    return Download(storage.presigned_get(storage.background_thumbnail_key(background_id), content_type="image/png"))


# --- a project's backgrounds (gazu.project.*preview_background_file*) --------------------------

def project_backgrounds(caller: Caller, project_id: str) -> list[dict]:
    project = data.require_project(project_id)
    auth.check_project_access(caller, project)
    return data.serialize_listed(project.get("preview_background_files") or [])


def add_project_background(caller: Caller, project_id: str, body: dict) -> dict:
    project = data.require_project(project_id)
    auth.check_manager_project_access(caller, project)
    background_id = check_value("preview_background_file_id", c.UUID, (body or {}).get("preview_background_file_id"))
    if not background_id:
        raise Invalid("Missing preview_background_file_id")
    references.require(references.owner_of_project(project), "preview_background_file_id", background_id, (KIND,))
    updated = records.update(project_id, lambda body: {"preview_background_files": [
        *[i for i in body.get("preview_background_files") or [] if i != background_id], background_id]},
        expected_kind="Project")
    return data.serialize(updated)


def remove_project_background(caller: Caller, project_id: str, background_id: str) -> None:
    project = data.require_project(project_id)
    auth.check_manager_project_access(caller, project)
    records.update(project_id, lambda body: {"preview_background_files": [
        i for i in body.get("preview_background_files") or [] if i != background_id]}, expected_kind="Project")
