"""What a guest holding a share link reads and writes (Zou's `shared/playlists/{token}`
routes). Every function starts from `links.validate`, and everything it serves is
checked to be of that link's playlist: its entries' previews, their tasks, and the
guests made through that very link. Anything else answers 403 (a preview or task of
another playlist) or 404 (an unknown or dead link), as Zou does."""
from dataclasses import dataclass

from chalicelib import events
from chalicelib.errors import Forbidden, Invalid, NotFound
from chalicelib.ids import canonical_uuid
from chalicelib.models import records
from chalicelib.services.playlists import entry_previews
from chalicelib.services.playlists.playlists import build_jobs_of, plain
from chalicelib.services.previews import annotations, media_reads, previews
from chalicelib.services.previews.media_reads import Rendition
from chalicelib.services.production import collections as c
from chalicelib.services.production import data
from chalicelib.services.production.validation import check_value
from chalicelib.services.shares import links

GUEST_FIELDS = ("id", "first_name", "last_name", "full_name", "role", "is_guest", "active", "data", "type",
                "created_at", "updated_at")


@dataclass
class Shared:
    link: dict
    playlist: dict
    project: dict


def open_link(token: str, password: str | None) -> Shared:
    link = links.validate(token, password)
    related = records.batch_get([link["playlist_id"]])
    playlist = related.get(link["playlist_id"])
    if playlist is None or playlist.get("type") != "Playlist":
        raise NotFound(links.NOT_FOUND)
    return Shared(link, playlist, data.require_project(playlist["project_id"]))


def _entries(shared: Shared) -> list[dict]:
    """The playlist's entries with their previews, as the project playlist route serves them."""
    entries = shared.playlist.get("shots") or []
    catalog = entry_previews.load([entry_previews.entry_entity_id(e) for e in entries],
                                  [*(shared.project.get("task_types") or []), shared.playlist.get("task_type_id")])
    preferred = entry_previews.playlist_task_types(shared.playlist, shared.project, catalog.task_types)
    return entry_previews.with_previews(entries, catalog, preferred)


def playlist(token: str, password: str | None) -> dict:
    """GET shared/playlists/{token}: the playlist with its entries' previews, and what a
    guest cannot look up elsewhere inlined (Zou's project_name, project_fps, entry names)."""
    shared = open_link(token, password)
    shots = _entries(shared)
    related = records.batch_get([*(shot["id"] for shot in shots),
                                 *(shot.get("preview_file_task_id") for shot in shots)])
    parents = records.batch_get([e.get("parent_id") or e.get("entity_type_id") for e in related.values()
                                 if e.get("type") != "Task"])
    for shot in shots:
        entity = related.get(shot["id"]) or {}
        shot["task_status_id"] = (related.get(shot.get("preview_file_task_id")) or {}).get("task_status_id")
        shot["name"] = entity.get("name")
        parent = parents.get(entity.get("parent_id") or entity.get("entity_type_id")) or {}
        shot["parent_name"] = parent.get("name", "")
    jobs = [job for job in build_jobs_of(shared.playlist["id"]) if job.get("status") == "succeeded"]
    return {**plain(shared.playlist), "project_name": shared.project.get("name"),
            "project_fps": shared.project.get("fps"), "can_comment": shared.link.get("can_comment", True),
            "build_jobs": [{"id": j["id"], "status": j["status"], "created_at": j["created_at"]}
                           for j in reversed(jobs)],
            "build_movie": _build_timeline(shared, jobs[-1]) if jobs else None,
            "shots": shots}


def _build_timeline(shared: Shared, build_job: dict) -> dict | None:
    """Where each entry is in the newest built movie (ours: the review page plays it), or
    None when the playlist changed since it was built. The entries are counted the way the
    build counts them; the job's own totals say whether the movie still matches."""
    from chalicelib.services.playlists import build_pieces

    selection = entry_previews.movie_entries(shared.playlist, shared.project)
    build = build_pieces.build_format(shared.project, build_job.get("quality") or "full")
    frames = [build_pieces.entry_frames(movie, build.rate) for movie in selection.movies]
    if len(frames) != build_job.get("movie_count") or sum(frames) != build_job.get("frame_count"):
        return None
    skipped = {item["position"] for item in selection.skipped}
    positions = [p for p in range(1, selection.entry_count + 1) if p not in skipped]
    entries, frame_in = [], 0
    for position, count in zip(positions, frames, strict=True):
        entries.append({"index": position - 1, "frame_in": frame_in, "frames": count})
        frame_in += count
    return {"build_job_id": build_job["id"], "fps": build_job.get("fps") or build.fps, "frame_count": frame_in,
            "entries": entries}


def context(token: str, password: str | None) -> dict:
    """GET shared/playlists/{token}/context: the project, its task types and statuses."""
    shared = open_link(token, password)
    project = shared.project
    wanted = [*(project.get("task_types") or []), *(project.get("task_statuses") or [])]
    related = records.batch_get(wanted)
    types = [related[i] for i in project.get("task_types") or [] if i in related]
    statuses = [related[i] for i in project.get("task_statuses") or [] if i in related]
    return {
        "project": {"id": project["id"], "name": project.get("name"), "fps": project.get("fps"),
                    "ratio": project.get("ratio"), "resolution": project.get("resolution"), "team": []},
        "task_types": [{"id": t["id"], "name": t.get("name"), "color": t.get("color"),
                        "for_entity": t.get("for_entity")} for t in types],
        "task_statuses": [{"id": s["id"], "name": s.get("name"), "short_name": s.get("short_name"),
                           "color": s.get("color"), "is_client_allowed": s.get("is_client_allowed", False),
                           "is_default": s.get("is_default", False)} for s in statuses],
    }


# --- guests -----------------------------------------------------------------------------

def _guest_view(person: dict) -> dict:
    return {key: person.get(key) for key in GUEST_FIELDS}


def _guest_of(shared: Shared, guest_id) -> dict:
    person = records.get(canonical_uuid(guest_id) or "-") if guest_id else None
    if not person or person.get("type") != "Person" or not person.get("is_guest") \
            or (person.get("data") or {}).get("share_link_id") != shared.link["id"]:
        raise Forbidden("Guest not part of this shared playlist")
    return person


def guest(token: str, password: str | None, body: dict) -> tuple[dict, bool]:
    """POST shared/playlists/{token}/guest: (the guest, whether it is new). A guest id is
    reused only when that guest was made through this link."""
    shared = open_link(token, password)
    if body.get("guest_id"):
        try:
            return _guest_view(_guest_of(shared, body["guest_id"])), False
        except Forbidden:
            pass  # a new guest, as Zou does
    first = check_value("first_name", c.STR, body.get("first_name") or "Guest").strip()[:80] or "Guest"
    last = check_value("last_name", c.STR, body.get("last_name") or "").strip()[:80]
    person = records.create("Person", {
        "first_name": first, "last_name": last, "full_name": f"{first} {last}".strip(),
        "email": f"guest-{records.new_id()[:8]}@guest.kitsu", "role": "client", "is_guest": True,
        "active": True, "notifications_enabled": False, "studio_id": shared.project.get("studio_id"),
        "data": {"share_link_id": shared.link["id"]}, "departments": []})
    return _guest_view(person), True


# --- comments ---------------------------------------------------------------------------

def _task_ids(shared: Shared) -> set[str]:
    return {shot["preview_file_task_id"] for shot in _entries(shared) if shot.get("preview_file_task_id")}


def comments(token: str, password: str | None) -> list[dict]:
    """GET shared/playlists/{token}/comments: those for clients, and guests', on the
    playlist's tasks (one Query per task shown: the entries' count bounds it)."""
    shared = open_link(token, password)
    found = [comment for task_id in sorted(_task_ids(shared)) for comment in records.query_parent(task_id, "Comment")]
    authors = records.batch_get({comment.get("person_id") for comment in found})
    visible = []
    for comment in found:
        author = authors.get(comment.get("person_id")) or {}
        if comment.get("for_client") or author.get("is_guest"):
            person = {key: author.get(key) for key in ("id", "first_name", "last_name", "full_name")}
            visible.append({**data.serialize(comment), "person": {**person, "is_guest": bool(author.get("is_guest"))}})
    return sorted(visible, key=lambda comment: comment["created_at"], reverse=True)


def add_comment(token: str, password: str | None, body: dict) -> dict:
    """POST shared/playlists/{token}/comments: a guest's comment on an entry's task, which
    the studio reads through data/tasks/{id}/comments like any other."""
    shared = open_link(token, password)
    if not shared.link.get("can_comment", True):
        raise Forbidden("Comments are disabled for this link")
    for name in ("guest_id", "task_id", "task_status_id"):
        if not canonical_uuid(body.get(name)):
            raise Invalid(f"{name} must be a UUID")
    author = _guest_of(shared, body["guest_id"])
    task_id = canonical_uuid(body["task_id"])
    if task_id not in _task_ids(shared):
        raise Forbidden("Task not part of this shared playlist")
    status = records.get(canonical_uuid(body["task_status_id"]))
    if not status or status.get("type") != "TaskStatus":
        raise Invalid("Task status not found")
    if not status.get("is_client_allowed", False):
        raise Invalid("Task status not allowed for guests")
    text = check_value("text", c.TEXT, body.get("text") or "")
    checklist = check_value("checklist", c.LIST, body.get("checklist") or [])
    comment_data = check_value("data", c.DICT, body.get("data") or {})
    task = data.require("Task", task_id)
    collection = c.COLLECTIONS["comments"]
    created = data.store_new(collection, data.prepare_new(collection, {
        "object_id": task_id, "object_type": "Task", "project_id": task["project_id"], "text": text,
        "task_status_id": status["id"], "person_id": author["id"], "checklist": checklist, "links": [],
        "for_client": False, "attachment_files": [], "data": comment_data}))
    records.update(task_id, {"task_status_id": status["id"], "last_comment_date": created["created_at"]},
                   expected_kind="Task")
    events.publish_many([events.event("comment:new", {"comment_id": created["id"], "task_id": task_id},
                                      task["project_id"])])
    return {**data.serialize(created), "person": _guest_view(author), "task_status": data.serialize(status)}


# --- previews ---------------------------------------------------------------------------

def _shared_preview(token: str, password: str | None, preview_file_id: str) -> previews.PreviewContext:
    """The preview, when it is one an entry shows (or another position of that revision);
    anything else, existing or not, is 403 (Zou checks the playlist before the preview)."""
    shared = open_link(token, password)
    shown = [shot for shot in _entries(shared) if shot.get("preview_file_id")]
    try:
        ctx = previews.load(preview_file_id) if shown else None
    except NotFound:
        ctx = None
    for shot in shown if ctx else []:
        if shot["id"] != ctx.preview.get("entity_id"):
            continue
        if shot["preview_file_id"] == preview_file_id or (
                shot.get("preview_file_task_id") == ctx.preview["task_id"]
                and shot.get("preview_file_revision") == ctx.preview.get("revision")):
            return ctx
    raise Forbidden("This preview file is not part of this shared playlist")


def preview_file(token: str, password: str | None, preview_file_id: str) -> dict:
    return previews.serialize(_shared_preview(token, password, preview_file_id).preview)


def media(token: str, password: str | None, preview_file_id: str, rendition: Rendition, attachment: bool = False):
    """A presigned link to one of a shared preview's objects (or Processing)."""
    ctx = _shared_preview(token, password, preview_file_id)
    if rendition is Rendition.ORIGINAL and (ctx.preview.get("pipeline") or {}).get("kind") == "file":
        variants = ["file"]
    elif attachment and ctx.preview.get("extension") == "mp4":
        variants = list(Rendition.MOVIE.value)
    else:
        variants = list(rendition.value)
    return media_reads.locate(ctx, variants, attachment)


def annotate(token: str, password: str | None, body: dict) -> dict:
    """PUT shared/playlists/{token}/annotations: Zou's additions / updates / deletions."""
    shared = open_link(token, password)
    if not shared.link.get("can_comment", True):
        raise Forbidden("Annotations are disabled")
    if not canonical_uuid(body.get("guest_id")) or not canonical_uuid(body.get("preview_file_id")):
        raise Invalid("guest_id and preview_file_id must be UUIDs")
    _guest_of(shared, body["guest_id"])
    preview_file_id = canonical_uuid(body["preview_file_id"])
    _shared_preview(token, password, preview_file_id)
    changes = annotations.checked_changes(body)
    updated = records.update(preview_file_id, lambda current: {"annotations": annotations.apply_annotation_changes(
        current.get("annotations") or [], **changes)}, expected_kind="PreviewFile")
    return previews.serialize(updated)


def build_movie(token: str, password: str | None, job_id: str):
    """The playlist's built movie (ours: the review page plays it when there is one)."""
    from chalicelib.services.playlists import builds

    shared = open_link(token, password)
    job = records.get(job_id)
    if not job or job.get("type") != "BuildJob" or job.get("playlist_id") != shared.playlist["id"]:
        raise Forbidden("This build is not part of this shared playlist")
    if job.get("status") != "succeeded":
        raise NotFound("This build has no movie")
    return builds.movie_link(job, expires=None)
