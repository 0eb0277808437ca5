"""Preview files (Zou's PreviewFile): born on a task comment, read, edited, annotated,
reordered, chosen as an entity's thumbnail, listed while running, and deleted with their
S3 objects. The revision and position rules are chalicelib.services.previews.revisions,
the annotation merge chalicelib.services.previews.annotations.

A preview's record lives in the records table (kind `PreviewFile`, parent = its task,
project = the task's project) and carries `entity_id` and `task_type_id` copied from
the task, because playlists read previews by entity (chalicelib.services.previews.index,
kept current from here). Uploading is chalicelib.services.previews.uploads; processing
is chalicelib.services.previews.pipeline."""
from dataclasses import dataclass

from chalicelib import auth, storage
from chalicelib.auth import Caller
from chalicelib.errors import Conflict, Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.previews import annotations, index, revisions
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, names
from chalicelib.services.production.validation import check_value, clean_body

KIND = "PreviewFile"
COLLECTION = c.COLLECTIONS["preview-files"]
RUNNING_STATUSES = ("processing", "broken", "missing")
VALIDATION_STATUSES = ("validated", "rejected", "neutral")
# What a CRUD PUT may change; gazu PUTs back whole dicts, so everything else is ignored.
EDITABLE = ("name", "description", "revision", "validation_status", "data")
# Running markers: one small record per preview that is processing or broken, so that the
# admin's running list is a Query on `by_kind` (newest first) instead of a scan of previews.
RUNNING_KIND = "RunningPreview"


@dataclass(frozen=True)
class PreviewContext:
    """A preview file with the records its rules need, read in one BatchGet."""
    preview: dict
    task: dict
    project: dict
    entity: dict | None
    task_type: dict | None


def load(preview_id: str) -> PreviewContext:
    preview = data.require(KIND, preview_id, "Preview file")
    related = records.batch_get([preview["task_id"], preview.get("project_id"), preview.get("entity_id"),
                                 preview.get("task_type_id")])
    task = related.get(preview["task_id"])
    if task is None:
        raise NotFound(f"The task of preview file {preview_id} no longer exists")
    return PreviewContext(preview, task, related.get(task["project_id"]) or data.require_project(task["project_id"]),
                          related.get(task["entity_id"]), related.get(task["task_type_id"]))


def serialize(preview: dict, relations: bool = True) -> dict:
    """Zou's dict; the upload response is serialized without relations (no `comments`)."""
    out = data.serialize(preview)
    if not relations:
        out.pop("comments", None)
    return out


# --- creation on a comment (revision and position: chalicelib.services.previews.revisions) ---

def add_preview(caller: Caller, task_id: str, comment_id: str, body: dict) -> dict:
    """POST actions/tasks/{task_id}/comments/{comment_id}/add-preview {"revision"?}."""
    revision = check_value("revision", c.INT, (body or {}).get("revision")) or 0
    if revision < 0:
        raise Invalid("revision must be 0 (the next one) or more")
    return serialize(create_on_comment(caller, task_id, comment_id, revision))


def add_extra_preview(caller: Caller, task_id: str, comment_id: str, preview_file_id: str) -> dict:
    """POST actions/tasks/{task_id}/comments/{comment_id}/preview-files/{id}: same revision, next position."""
    source = data.require(KIND, preview_file_id, "Preview file")
    if source["task_id"] != task_id:
        raise Invalid("This preview file belongs to another task")
    return serialize(create_on_comment(caller, task_id, comment_id, source["revision"]))


def create_on_comment(caller: Caller, task_id: str, comment_id: str, revision: int = 0) -> dict:
    """A new `processing` preview on the comment (revision 0: Zou's automatic revision)."""
    task = data.require("Task", task_id)
    related = records.batch_get([task["project_id"], task["entity_id"], task["task_type_id"], comment_id])
    project = related.get(task["project_id"]) or data.require_project(task["project_id"])
    comment = related.get(comment_id)
    if comment is None or comment.get("type") != "Comment" or comment.get("object_id") != task_id:
        raise NotFound(f"Comment not found on this task: {comment_id}")
    auth.check_preview_upload_access(caller, task, project, related.get(task["task_type_id"]),
                                     related.get(task["entity_id"]))
    preview = _new_preview(caller, task, project, comment, revision)
    records.update(comment_id, lambda body: {"preview_files": [*(body.get("preview_files") or []), preview["id"]]},
                   expected_kind="Comment")
    return preview


def _new_preview(caller: Caller, task: dict, project: dict, comment: dict, requested_revision: int) -> dict:
    preview_id = records.new_id()
    revision, position = revisions.claim_new_slot(task, project, comment, requested_revision, preview_id)
    preview = {
        "id": preview_id, "name": preview_id[:13], "original_name": None, "revision": revision,
        "position": position, "extension": "mp4", "description": "", "path": "", "source": "webgui",
        "file_size": 0, "status": "processing", "status_reason": None, "validation_status": "neutral",
        "annotations": [], "width": 0, "height": 0, "duration": 0, "fps": None, "frame_count": 0, "data": {},
        "task_id": task["id"], "person_id": caller.id, "source_file_id": None, "entity_id": task["entity_id"],
        "task_type_id": task["task_type_id"], "project_id": task["project_id"], "comments": [comment["id"]],
        # True while a browser can play the upload as it is (media.browser_playable): the
        # movie routes serve it until the normalized movie is there.
        "source_playable": False, "pipeline": {},
    }
    try:
        created = records.create(KIND, preview, project_id=task["project_id"], parent_id=task["id"],
                                 held_by=task["id"])
    except Exception:
        revisions.release_slot(preview)
        raise
    mark_running(created)
    index.record_preview(created)
    return created


# --- reading -------------------------------------------------------------------------------

def get_preview(caller: Caller, preview_id: str) -> dict:
    ctx = load(preview_id)
    auth.check_preview_read_access(caller, ctx.task, ctx.project)
    return serialize(ctx.preview)


def list_previews(caller: Caller, query: dict[str, list[str]]):
    """GET data/preview-files[?task_id=...]: the generic list, plus vendors' assignment rule."""
    unpaged = {key: values for key, values in query.items() if key not in ("page", "limit")}
    items = auth.visible_previews(caller, data.list_records(caller, COLLECTION, unpaged))
    if query.get("page"):
        return data.paginate(items, query["page"][-1], (query.get("limit") or [str(data.PAGE_LIMIT)])[-1])
    return items


# --- editing -------------------------------------------------------------------------------

def update_preview(caller: Caller, preview_id: str, raw_body) -> dict:
    """PUT data/preview-files/{id}: managers; a new revision moves the revision's previews."""
    ctx = load(preview_id)
    auth.check_preview_edit_access(caller, ctx.project)
    changes = {key: value for key, value in clean_body(COLLECTION, raw_body, creating=False).items()
               if key in EDITABLE}
    if "validation_status" in changes and changes["validation_status"] not in VALIDATION_STATUSES:
        raise Invalid(f"validation_status must be one of {', '.join(VALIDATION_STATUSES)}")
    if changes.get("revision") is not None and changes["revision"] != ctx.preview["revision"]:
        revisions.move_to_revision(ctx.preview, changes.pop("revision"))
    else:
        changes.pop("revision", None)
    updated = records.update(preview_id, changes, expected_kind=KIND) if changes else records.get(preview_id)
    index.record_preview(updated)
    return serialize(updated)


def update_position(caller: Caller, preview_id: str, body: dict) -> list[dict]:
    """PUT actions/preview-files/{id}/update-position {"position": n}: the revision's previews in order."""
    ctx = load(preview_id)
    auth.check_preview_upload_access(caller, ctx.task, ctx.project, ctx.task_type, ctx.entity)
    position = check_value("position", c.INT, (body or {}).get("position"))
    if position is None or position < 0:
        raise Invalid("position must be an integer, 1 or more")
    return [serialize(p) for p in revisions.move_to_position(ctx.preview, position)]


def update_annotations(caller: Caller, preview_id: str, body: dict) -> dict:
    """PUT actions/preview-files/{id}/update-annotations with Zou's additions / updates / deletions."""
    ctx = load(preview_id)
    auth.check_preview_annotation_access(caller, ctx.project, ctx.task_type)
    changes = annotations.checked_changes(body or {})
    updated = records.update(preview_id, lambda current: {"annotations": annotations.apply_annotation_changes(
        current.get("annotations") or [], **changes)}, expected_kind=KIND)
    return serialize(updated)


def set_main_preview(caller: Caller, preview_id: str) -> tuple[PreviewContext, dict]:
    """The permission check and entity update of set-main-preview (the frame, if any, is
    re-extracted by chalicelib.services.previews.media_reads first)."""
    ctx = load(preview_id)
    if ctx.entity is None:
        raise NotFound("The entity of this preview no longer exists")
    auth.check_set_main_preview_access(caller, ctx.entity, ctx.project)
    return ctx, ctx.entity


def make_main_preview(ctx: PreviewContext) -> dict:
    entity = records.update(ctx.entity["id"], {"preview_file_id": ctx.preview["id"]})
    return data.serialize(entity)


# --- running previews ------------------------------------------------------------------------

def mark_running(preview: dict) -> None:
    try:
        records.create(RUNNING_KIND, {"id": _running_id(preview["id"]), "preview_file_id": preview["id"],
                                      "created_at": preview["created_at"]})
    except Conflict:
        pass  # already marked


def unmark_running(preview_id: str) -> None:
    records.delete(_running_id(preview_id))


def _running_id(preview_id: str) -> str:
    return f"running#{preview_id}"


def running_previews(caller: Caller, query: dict[str, list[str]]) -> list[dict]:
    """GET data/playlists/preview-files/running: processing and broken previews of the
    admin's studio's open projects, newest first, `limit` at a time after
    `cursor_preview_file_id`."""
    auth.check_admin(caller)
    try:
        limit = int((query.get("limit") or ["100"])[-1])
    except ValueError as error:
        raise Invalid("limit must be an integer") from error
    if not 1 <= limit <= 1000:
        raise Invalid("limit must be between 1 and 1000")
    before = _cursor(query.get("cursor_preview_file_id", [None])[-1])
    found: list[dict] = []
    projects: dict[str, dict] = {}
    while len(found) < limit:
        markers = records.query_kind_page(RUNNING_KIND, limit, before)
        if not markers:
            break
        previews = records.batch_get(m["preview_file_id"] for m in markers)
        projects.update(records.batch_get({p.get("project_id") for p in previews.values()} - set(projects)))
        for marker in markers:
            preview = previews.get(marker["preview_file_id"])
            project = projects.get((preview or {}).get("project_id")) or {}
            if preview and preview.get("status") in RUNNING_STATUSES and auth.in_studio(caller, project) and \
                    project.get("project_status_name", "Open") == "Open":
                found.append(preview)
        before = records.created_sort_of(markers[-1])
        if len(markers) < limit:
            break
    found = found[:limit]
    entities = records.batch_get({p.get("entity_id") for p in found})
    related = names.related_records(list(entities.values()))
    return [{**serialize(p), "project_id": p.get("project_id"), "task_type_id": p.get("task_type_id"),
             "full_entity_name": names.full_entity_name(entities[p["entity_id"]], related)
             if p.get("entity_id") in entities else ""} for p in found]


def _cursor(preview_id: str | None) -> str | None:
    if preview_id is None:
        return None
    check_value("cursor_preview_file_id", c.UUID, preview_id)
    marker = records.get(_running_id(preview_id.lower())) or records.get(preview_id.lower())
    if marker is None:
        raise Invalid(f"Unknown cursor_preview_file_id: {preview_id}")
    return records.created_sort_of({"created_at": marker["created_at"], "id": _running_id(preview_id.lower())})


# --- deleting --------------------------------------------------------------------------------

def delete_preview(caller: Caller, preview_id: str) -> None:
    """DELETE data/preview-files/{id}: managers. The record, its links, and its S3 objects
    (Zou keeps files unless `force`; we never keep objects nothing points to)."""
    ctx = load(preview_id)
    auth.check_preview_edit_access(caller, ctx.project)
    remove(ctx.preview)


def remove(preview: dict) -> None:
    """Unlink and delete a preview and everything stored for it."""
    preview_id = preview["id"]
    if preview.get("entity_id"):
        records.transition(preview["entity_id"], lambda entity: {"preview_file_id": None}
                           if entity.get("preview_file_id") == preview_id else None)
    for comment_id in preview.get("comments") or []:
        records.update(comment_id, lambda comment: {"preview_files": [
            p for p in comment.get("preview_files") or [] if p != preview_id]}, expected_kind="Comment")
    records.delete(preview_id)
    revisions.release_slot(preview)
    unmark_running(preview_id)
    if preview.get("entity_id"):
        index.remove_preview(preview["entity_id"], preview_id)
    _repoint_last_preview(preview)
    for prefix in storage.preview_prefixes(preview_id):
        storage.delete_prefix(prefix)


def _repoint_last_preview(preview: dict) -> None:
    remaining = [p for p in records.query_parent(preview["task_id"], KIND) if p["id"] != preview["id"]]
    newest = max(remaining, key=lambda p: (p["revision"], p["created_at"]), default=None)
    records.transition(preview["task_id"], lambda task: {"last_preview_file_id": newest["id"] if newest else None}
                       if task.get("last_preview_file_id") == preview["id"] else None, expected_kind="Task")


# --- what a finished preview changes (Zou's `update_preview_file_info`) -------------------------

def on_ready(preview: dict) -> None:
    """A first-position preview becomes its task's last preview, and the entity's thumbnail
    when the project sets it automatically."""
    unmark_running(preview["id"])
    if preview.get("position") != 1:
        return
    records.update(preview["task_id"], {"last_preview_file_id": preview["id"]}, expected_kind="Task")
    project = records.get(preview["project_id"]) or {}
    if project.get("is_set_preview_automated") and preview.get("entity_id"):
        records.update(preview["entity_id"], {"preview_file_id": preview["id"]})
