"""Files attached to comments (gazu's `add_comment(attachments=...)` and batch comments):
stored in S3 beside their record, with a 150×100 thumbnail when they are pictures."""
import os
import tempfile

from chalicelib import auth, media, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.previews.links import Download
from chalicelib.services.production import avatars, data

KIND = "AttachmentFile"
_PICTURES = ("png", "jpg", "jpeg", "jpe", "gif", "webp")


def store(comment: dict, uploads: list) -> list[str]:
    """Store each upload as an attachment of `comment`; returns their ids."""
    ids = []
    for upload in uploads:
        name = os.path.basename(upload.filename) or "attachment"
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        attachment_id = records.new_id()
        storage.put_bytes(storage.attachment_key(attachment_id, name), upload.content,
                          upload.content_type or storage.content_type_for(name))
        has_thumbnail = extension in _PICTURES and _store_thumbnail(attachment_id, upload.content)
        records.create(KIND, {
            "id": attachment_id, "name": name, "size": len(upload.content), "extension": extension,
            "mimetype": storage.content_type_for(name), "comment_id": comment["id"],
            "project_id": comment.get("project_id"), "has_thumbnail": has_thumbnail},
            project_id=comment.get("project_id"), parent_id=comment["id"], held_by=comment["id"])
        ids.append(attachment_id)
    return ids


def _store_thumbnail(attachment_id: str, content: bytes) -> bool:
    with tempfile.TemporaryDirectory(prefix="reelbase-attachment-") as work:
        try:
            fitted = avatars.fitted_png(content, media.thumbnails.RECTANGLE_SIZE, work)
        except Invalid:  # an unreadable "picture" is still a fine attachment
            return False
        storage.upload_file(fitted, storage.attachment_thumbnail_key(attachment_id), "image/png")
    return True


def _require_readable(caller: Caller, attachment_id: str) -> dict:
    attachment = data.require(KIND, attachment_id, "Attachment file")
    comment = data.require("Comment", attachment["comment_id"], "Comment")
    task = data.require("Task", comment["object_id"], "Task")
    auth.check_task_access(caller, task, data.require_project(task["project_id"]))
    return attachment


def for_task(caller: Caller, task_id: str) -> list[dict]:
    """GET data/tasks/{id}/attachment-files: the attachments of the task's comments (two reads)."""
    task = data.require("Task", task_id)
    auth.check_task_access(caller, task, data.require_project(task["project_id"]))
    ids = [i for comment in records.query_parent(task_id, "Comment") for i in comment.get("attachment_files") or []]
    return data.serialize_listed(ids)


def for_project(caller: Caller, project_id: str) -> list[dict]:
    """GET data/projects/{id}/attachment-files."""
    project = data.require_project(project_id)
    auth.check_project_access(caller, project)
    auth.block_vendor(caller)
    return [data.serialize(a) for a in records.query_project(project_id, KIND)]


def get(caller: Caller, attachment_id: str) -> dict:
    return data.serialize(_require_readable(caller, attachment_id))


def download(caller: Caller, attachment_id: str) -> Download:
    """GET data/attachment-files/{id}/file/<any name>: the file, under its own name."""
    attachment = _require_readable(caller, attachment_id)
    return Download(storage.presigned_get(storage.attachment_key(attachment_id, attachment["name"]),
                                          download_name=attachment["name"], content_type=attachment["mimetype"]))


def thumbnail(caller: Caller, attachment_id: str) -> Download:
    """GET pictures/thumbnails/attachment-files/<id>.png."""
    attachment = _require_readable(caller, attachment_id)
    if not attachment.get("has_thumbnail"):
        raise NotFound("This attachment has no thumbnail (it is not a picture)")
    return Download(storage.presigned_get(storage.attachment_thumbnail_key(attachment_id), content_type="image/png"))
