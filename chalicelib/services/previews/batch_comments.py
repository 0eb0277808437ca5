"""Zou's batch comments (zou.md §6.3): several comments in one request, each on its task,
each with its own previews and attachments (gazu's `batch_comments` multipart form, or
`add_tasks_batch_comments` JSON)."""
import re

from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import DomainError, Invalid
from chalicelib.models import records
from chalicelib.services.previews import previews, uploads
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, production, references
from chalicelib.services.production.validation import check_value, load_json

# gazu names file parts `preview_file-<comment index>-<file index>` and `attachment_file-<i>-<j>`.
# Zou matches them to comment i by substring (comment 1 then also gets `-10-` parts);
# we parse the indexes.
_FILE_PART = re.compile(r"^(preview|attachment)_file-(\d+)-(\d+)$")


def comments_from_form(fields: dict, files: dict) -> tuple[list, dict]:
    """(comments, {index: {"preview": [files], "attachment": [files]}}) from a multipart form."""
    raw = fields.get("comments")
    if raw is None:
        raise Invalid("Missing the `comments` part (a JSON list)")
    comments = load_json(raw, "The `comments` part")
    if not isinstance(comments, list):
        raise Invalid("The `comments` part must be a JSON list")
    by_comment: dict[int, dict[str, list]] = {}
    for name, upload in sorted(files.items(), key=lambda item: _part_order(item[0])):
        match = _FILE_PART.match(name)
        if match:
            by_comment.setdefault(int(match.group(2)), {"preview": [], "attachment": []})[match.group(1)].append(upload)
    return comments, by_comment


def _part_order(name: str) -> tuple:
    match = _FILE_PART.match(name)
    return (int(match.group(2)), int(match.group(3))) if match else (1 << 30, 0)


def comments_from_json(body) -> list:
    return body.get("comments") if isinstance(body, dict) else body


def batch_comment(caller: Caller, task_id: str | None, comments, files_by_comment: dict | None = None) -> list:
    """POST actions/tasks[/{task_id}]/batch-comment: 201 with each comment and its previews."""
    if not isinstance(comments, list) or not comments or not all(isinstance(item, dict) for item in comments):
        raise Invalid("comments must be a non-empty list of objects")
    files_by_comment = files_by_comment or {}
    prepared = [_prepare(caller, task_id, item) for item in comments]  # every check before any write
    results = []
    for index, (comment_task_id, body) in enumerate(prepared):
        files = files_by_comment.get(index, {})
        attachments = {f"file-{n}": upload for n, upload in enumerate(files.get("attachment", []))}
        comment = production.add_comment(caller, comment_task_id, body, attachments)
        previews_made = [_add_preview(caller, comment_task_id, comment["id"], upload)
                         for upload in files.get("preview", [])]
        comment = data.serialize(records.get(comment["id"]))
        comment["preview_files"] = [previews.serialize(p, relations=False) for p in previews_made if p]
        results.append(comment)
    return results


def _prepare(caller: Caller, route_task_id: str | None, item: dict) -> tuple[str, dict]:
    task_id = route_task_id or check_value("task_id", c.UUID, item.get("task_id"))
    if not task_id:
        raise Invalid("Each comment needs a task_id when the route names no task")
    status_id = check_value("task_status_id", c.UUID, item.get("task_status_id"))
    if not status_id:
        raise Invalid("Each comment needs a task_status_id")
    task = data.require("Task", task_id)
    related = records.batch_get([task["project_id"], task["task_type_id"], task["entity_id"], status_id])
    project = related.get(task["project_id"]) or data.require_project(task["project_id"])
    auth.check_task_action_access(caller, task, project, related.get(task["task_type_id"]),
                                  related.get(task["entity_id"]))
    status = references.check_one(references.owner_of_project(project), "task_status_id", status_id,
                                  related.get(status_id), ("TaskStatus",))
    auth.check_task_status_access(caller, status)
    body = {"task_status_id": item.get("task_status_id"), "comment": item.get("text", item.get("comment", "")),
            "checklist": item.get("checklist"), "links": item.get("links")}
    if auth.may_comment_for_others(caller):
        # for_client is never passed on.
        body.update({key: item[key] for key in ("person_id", "created_at") if item.get(key)})
    return task_id, body


def _add_preview(caller: Caller, task_id: str, comment_id: str, upload) -> dict | None:
    """A new preview on the comment with the part as its file; a failed upload removes it (Zou)."""
    preview = previews.create_on_comment(caller, task_id, comment_id)
    try:
        uploads.upload_through_api(caller, preview["id"], {"file": upload}, {})
    except DomainError:
        if records.get(preview["id"]):
            previews.remove(records.get(preview["id"]))
        return None
    return records.get(preview["id"])
