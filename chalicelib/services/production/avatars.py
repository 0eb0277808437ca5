"""Avatars of people, projects and the organisation (Zou's `pictures/thumbnails/<kind>`):
the upload is fitted into 400×400 as a PNG, stored, and `has_avatar` set."""
import enum
import os
import tempfile

from chalicelib import auth, media, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.previews.links import Download
from chalicelib.services.production import data



class AvatarOwner(enum.Enum):
    """Whose avatar: the record kind, and Zou's plural for it in picture paths (which our
    S3 keys follow too)."""
    PERSON = ("Person", "persons")
    PROJECT = ("Project", "projects")
    ORGANISATION = ("Organisation", "organisations")

    def __init__(self, kind: str, plural: str):
        self.kind = kind
        self.plural = plural


def fitted_png(content: bytes, size: tuple[int, int], work_dir: str) -> str:
    """The picture in `content` fitted into `size` (Zou's turn_into_thumbnail), as a PNG path."""
    source = os.path.join(work_dir, "upload")
    with open(source, "wb") as handle:
        handle.write(content)
    fitted = os.path.join(work_dir, "fitted.png")
    try:
        media.fit_thumbnail(source, fitted, size)
    except media.MediaError as error:
        raise Invalid(f"The file is not a picture: {error.reason}") from error
    return fitted


def upload_avatar(caller: Caller, owner: AvatarOwner, record_id: str, files: dict) -> dict:
    """POST pictures/thumbnails/{persons|projects|organisations}/{id} (multipart `file`)."""
    record = data.require(owner.kind, record_id)
    auth.check_avatar_upload_access(caller, record)
    upload = files.get("file")
    if upload is None or not upload.content:
        raise Invalid("File not provided.")
    with tempfile.TemporaryDirectory(prefix="reelbase-avatar-") as work:
        storage.upload_file(fitted_png(upload.content, media.thumbnails.BIG_SQUARE_SIZE, work),
                            storage.avatar_key(owner.plural, record_id), "image/png")
    records.update(record_id, {"has_avatar": True}, expected_kind=owner.kind)
    return {"thumbnail_path": f"pictures/thumbnails/{owner.plural}/{record_id}.png"}


def avatar(caller: Caller, owner: AvatarOwner, record_id: str) -> Download:
    """GET pictures/thumbnails/{persons|projects|organisations}/{id}.png; 404 while there is none."""
    record = data.require(owner.kind, record_id)
    auth.check_avatar_read_access(caller, record)
    if not record.get("has_avatar"):
        raise NotFound(f"This {owner.kind.lower()} has no avatar")
    return Download(storage.presigned_get(storage.avatar_key(owner.plural, record_id), content_type="image/png"))
