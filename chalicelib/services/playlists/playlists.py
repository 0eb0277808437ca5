"""Zou's playlists: create, read in its four shapes, list, edit with gazu's whole-dict PUT,
add entities without duplicates under concurrency, delete with its build jobs.

A playlist is one record whose body holds its entries (`shots`, in insertion order);
every change to the entries is one conditional write on that record's version, so
concurrent edits are re-applied on the fresh list and never lost or duplicated."""
from chalicelib import auth, events, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.ids import is_uuid
from chalicelib.models import holding, records
from chalicelib.services.playlists import entry_previews
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, references
from chalicelib.services.production.validation import MAX_LIST_ITEMS, check_value, clean_body

PAGE_SIZE = 20
FOR_ENTITIES = ("shot", "asset", "sequence", "edit", "episode")
# 50 callers adding to one playlist at once each need a turn at the version check.
ADD_ATTEMPTS = 100

PLAYLISTS = c.Collection(
    "playlists", "Playlist",
    {"name": c.STR, "project_id": c.UUID, "episode_id": c.STR, "task_type_id": c.STR, "for_client": c.BOOL,
     "for_entity": c.STR, "is_for_all": c.BOOL, "shots": c.LIST},
    required=("name", "project_id"),
    defaults={"episode_id": None, "task_type_id": None, "for_client": False, "for_entity": "shot",
              "is_for_all": False, "shots": []},
    project_field="project_id",
    computed=("build_jobs", "created_by", "first_preview_file_id"))

LIST_FIELDS = ("type", "id", "name", "project_id", "episode_id", "task_type_id", "for_client", "for_entity",
               "is_for_all", "created_at", "updated_at", "created_by")
_NEWEST_FIRST = ("created_at", "updated_at")


# --- reading ---------------------------------------------------------------------

def require_playlist(playlist_id: str) -> dict:
    return data.require("Playlist", playlist_id)


def _playlist_and_project(playlist_id: str) -> tuple[dict, dict]:
    playlist = require_playlist(playlist_id)
    return playlist, data.require_project(playlist["project_id"])


def build_jobs_of(playlist_id: str) -> list[dict]:
    return sorted(records.query_parent(playlist_id, "BuildJob"), key=lambda job: job["created_at"])


def plain(playlist: dict) -> dict:
    """Zou's `serialize()`: every column, `for_entity` never null."""
    return {**playlist, "for_entity": playlist.get("for_entity") or "shot", "shots": playlist.get("shots") or []}


def list_item(playlist: dict) -> dict:
    item = {field: playlist.get(field) for field in LIST_FIELDS}
    item["for_entity"] = item["for_entity"] or "shot"
    shots = playlist.get("shots") or []
    if shots and shots[0].get("preview_file_id"):
        item["first_preview_file_id"] = shots[0]["preview_file_id"]
    return item


def get_playlist(caller: Caller, playlist_id: str) -> dict:
    """GET data/playlists/{id}: the record plus `build_jobs` as a list of ids."""
    playlist, project = _playlist_and_project(playlist_id)
    auth.check_playlist_view(caller, playlist, project)
    return {**plain(playlist), "build_jobs": [job["id"] for job in build_jobs_of(playlist_id)]}


def get_playlist_with_previews(caller: Caller, project_id: str, playlist_id: str) -> dict:
    """GET data/projects/{pid}/playlists/{id}: every entry with its entity's previews."""
    playlist, project = _playlist_and_project(playlist_id)
    if playlist["project_id"] != project_id:
        raise NotFound(f"Playlist not found in this project: {playlist_id}")
    auth.check_playlist_view(caller, playlist, project)
    entries = playlist.get("shots") or []
    catalog = entry_previews.load([entry_previews.entry_entity_id(e) for e in entries],
                                     [*(project.get("task_types") or []), playlist.get("task_type_id")])
    preferred = entry_previews.playlist_task_types(playlist, project, catalog.task_types)
    jobs = build_jobs_of(playlist_id)
    return {**plain(playlist),
            "build_jobs": [{"id": j["id"], "status": j["status"], "created_at": j["created_at"]}
                           for j in reversed(jobs)],
            "shots": entry_previews.with_previews(entries, catalog, preferred)}


def entity_preview_files(caller: Caller, entity_id: str) -> dict:
    """GET data/playlists/entities/{id}/preview-files: {task_type_id: [preview]}."""
    entity = data.require_entity(entity_id)
    project = data.require_project(entity["project_id"])
    auth.check_entity_access(caller, entity, project)
    return entry_previews.entity_groups(entry_previews.load([entity_id]), entity_id)


# --- listing ---------------------------------------------------------------------

def list_project_playlists(caller: Caller, project_id: str, query: dict[str, list[str]],
                           episode_id: str | None = None) -> list[dict]:
    """Both project routes: 20 a page, sorted by `sort_by` (default updated_at, newest first)."""
    project = data.require_project(project_id)
    auth.check_playlist_list(caller, project)
    arg = {name: values[-1] for name, values in query.items() if values}
    episode_id = episode_id or arg.get("episode_id")
    if episode_id not in (None, "main", "all"):
        episode = data.require("Episode", check_value("episode_id", c.UUID, episode_id), "Episode")
        if episode.get("project_id") != project_id:
            raise NotFound(f"Episode not found in this project: {episode_id}")
    playlists = [p for p in records.query_project(project_id, "Playlist")
                 if auth.playlist_visible(caller, p) and _in_episode(p, episode_id)]
    if arg.get("task_type_id"):
        playlists = [p for p in playlists if p.get("task_type_id") == arg["task_type_id"]]
    if "for_client" in arg:
        wanted = data.parse_filters(PLAYLISTS, {"for_client": [arg["for_client"]]})["for_client"]
        playlists = [p for p in playlists if bool(p.get("for_client")) == wanted]
    items = _sorted([list_item(p) for p in playlists], arg.get("sort_by") or "updated_at")
    page = _page_number(arg.get("page"))
    return items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]


def _in_episode(playlist: dict, episode_id: str | None) -> bool:
    if episode_id is None:
        return True
    if episode_id == "main":
        return playlist.get("episode_id") is None and not playlist.get("is_for_all")
    if episode_id == "all":
        return playlist.get("episode_id") is None and bool(playlist.get("is_for_all"))
    return playlist.get("episode_id") == episode_id


def _sorted(items: list[dict], sort_by: str) -> list[dict]:
    if sort_by not in LIST_FIELDS:
        raise Invalid(f"Cannot sort playlists by '{sort_by}'")
    present = [i for i in items if i.get(sort_by) is not None]
    missing = [i for i in items if i.get(sort_by) is None]
    key = (lambda i: str(i[sort_by]).lower()) if isinstance(next(iter(present), {}).get(sort_by), str) \
        else (lambda i: i[sort_by])
    return sorted(present, key=key, reverse=sort_by in _NEWEST_FIRST) + missing


def _page_number(raw) -> int:
    if raw in (None, ""):
        return 1
    try:
        return max(1, int(raw))
    except ValueError as error:
        raise Invalid("page must be an integer") from error


def list_playlists(caller: Caller, query: dict[str, list[str]]):
    """GET data/playlists (the CRUD list gazu's get-by-name reads): filters by equality."""
    auth.block_vendor(caller)
    filters = data.parse_filters(PLAYLISTS, query)
    if filters.get("project_id"):
        candidates = records.query_project(filters["project_id"], "Playlist")
    elif isinstance(filters.get("name"), str):
        candidates = records.query_name("Playlist", filters["name"])
    else:
        candidates = records.query_kind("Playlist")
    items = auth.visible_playlists(caller, [p for p in candidates if data.matches(p, filters)])
    items = sorted((plain(p) for p in items), key=lambda p: p["created_at"])
    page = query.get("page")
    if not page:
        return items
    return data.paginate(items, page[-1], (query.get("limit") or [str(data.PAGE_LIMIT)])[-1])


# --- writing ---------------------------------------------------------------------

def create_playlist(caller: Caller, raw_body) -> dict:
    body = clean_body(PLAYLISTS, raw_body, creating=True)
    project = data.require_project(body["project_id"])
    auth.check_playlist_create(caller, project)
    body = {**PLAYLISTS.defaults, **body, **_checked_links(body, project), "created_by": caller.id}
    _check_unique_name(project["id"], body.get("episode_id"), body["name"])
    playlist = records.create("Playlist", body, project_id=project["id"], held_by=project["id"])
    events.publish("playlist:new", {"playlist_id": playlist["id"]}, project["id"])
    return {**plain(playlist), "build_jobs": []}


def update_playlist(caller: Caller, playlist_id: str, raw_body) -> dict:
    """gazu's PUT of the whole dict: read-only and unknown fields are ignored."""
    playlist, project = _playlist_and_project(playlist_id)
    auth.check_playlist_update_access(caller, playlist, project)
    changes = clean_body(PLAYLISTS, raw_body, creating=False)
    changes.pop("project_id", None)  # a playlist never moves (Zou ignores it too)
    changes.update(_checked_links(changes, project))
    if "name" in changes or "episode_id" in changes:
        _check_unique_name(project["id"], changes.get("episode_id", playlist.get("episode_id")),
                           changes.get("name", playlist["name"]), playlist_id)
    updated = records.update(playlist_id, changes, expected_kind="Playlist")
    if updated is None:
        raise NotFound(f"Playlist not found: {playlist_id}")
    events.publish("playlist:update", {"playlist_id": playlist_id}, project["id"])
    return plain(updated)


def _check_unique_name(project_id: str, episode_id, name: str, playlist_id: str | None = None) -> None:
    # Zou's unique constraint on (name, project_id, episode_id): a 400, on which gazu raises.
    for other in records.query_project(project_id, "Playlist"):
        if other["id"] != playlist_id and other.get("name") == name and other.get("episode_id") == episode_id:
            raise Invalid(f"A playlist named {name!r} already exists in this project and episode")


def _checked_links(body: dict, project: dict) -> dict:
    """Episode, task type, entity kind and entries, as Zou reads them."""
    checked = {}
    if "episode_id" in body:
        episode_id = body["episode_id"]
        if episode_id in (None, "", "main", "all"):
            checked["episode_id"] = None
        else:
            episode = data.require("Episode", check_value("episode_id", c.UUID, episode_id), "Episode")
            if episode.get("project_id") != project["id"]:
                raise Invalid("episode_id belongs to another project")
            checked["episode_id"] = episode["id"]
    if "task_type_id" in body:
        # Zou stores an unknown task type as null rather than refusing the playlist; one of
        # another studio is unknown here.
        task_type_id = body["task_type_id"]
        task_type = records.get(task_type_id) if is_uuid(task_type_id) else None
        checked["task_type_id"] = task_type["id"] if task_type and task_type.get("type") == "TaskType" \
            and task_type.get("studio_id") == project.get("studio_id") else None
    if "for_entity" in body:
        for_entity = body["for_entity"] or "shot"
        if for_entity not in FOR_ENTITIES:
            raise Invalid(f"for_entity must be one of {', '.join(FOR_ENTITIES)}")
        checked["for_entity"] = for_entity
    if "shots" in body:
        checked["shots"] = checked_entries([_entry(item) for item in body["shots"] or []], project)
    return checked


def checked_entries(entries: list[dict], project: dict) -> list[dict]:
    """Each entry's entity is of the playlist's project, and its pinned preview is one of
    that entity's (one BatchGet for them all); else 400 naming the field and the id."""
    found = references.check(references.owner_of_project(project), "Playlist", {
        "entity_id": [e["entity_id"] for e in entries],
        "preview_file_id": [e["preview_file_id"] for e in entries if e.get("preview_file_id")]})
    for entry in entries:
        preview_file_id = entry.get("preview_file_id")
        if preview_file_id and found[preview_file_id].get("entity_id") != entry["entity_id"]:
            raise Invalid(f"preview_file_id {preview_file_id} is not a preview of entity {entry['entity_id']}",
                          {"field": "preview_file_id", "id": preview_file_id})
    return entries


def _entry(item) -> dict:
    """An entry as stored: `{"entity_id", "preview_file_id"}` (no preview: entity only).
    gazu sends entries back as it read them, maybe with `id` for the entity."""
    if not isinstance(item, dict):
        raise Invalid("Each entry of shots must be an object")
    entity_id = check_value("entity_id", c.UUID, item.get("entity_id") or item.get("id") or item.get("shot_id"))
    if not entity_id:
        raise Invalid("Each entry of shots needs an entity_id")
    preview_file_id = check_value("preview_file_id", c.UUID, item.get("preview_file_id") or None)
    return {"entity_id": entity_id, "preview_file_id": preview_file_id} if preview_file_id \
        else {"entity_id": entity_id}


def _couple(entry: dict) -> tuple:
    return entry["entity_id"], entry.get("preview_file_id")


def add_entities(caller: Caller, playlist_id: str, items: list) -> dict:
    """POST actions/playlists/{id}/add-entity(-ies): append each (entity, preview) couple
    not already there. With no preview, pin the entity's latest (of the playlist's task
    type when it has one)."""
    playlist, project = _playlist_and_project(playlist_id)
    auth.check_playlist_update_access(caller, playlist, project)
    if not isinstance(items, list) or len(items) > MAX_LIST_ITEMS:
        raise Invalid(f"entities must be a list of at most {MAX_LIST_ITEMS} entities")
    if not items:
        raise Invalid("No entity to add")
    wanted = checked_entries([_entry(item) for item in items], project)
    unpinned = [e["entity_id"] for e in wanted if "preview_file_id" not in e]
    if unpinned:
        catalog = entry_previews.load(unpinned)
        for entry in wanted:
            latest = "preview_file_id" not in entry and catalog.latest(entry["entity_id"], playlist.get("task_type_id"))
            if latest:
                entry["preview_file_id"] = latest["id"]
    added: list[dict] = []

    def append_new(current: dict) -> dict:
        # Re-run on the fresh list after a concurrent write won the version check.
        shots = list(current.get("shots") or [])
        present = {_couple(e) for e in shots}
        added.clear()
        for entry in wanted:
            if _couple(entry) not in present:
                shots.append(entry)
                present.add(_couple(entry))
                added.append(entry)
        return {"shots": shots}

    updated = records.update(playlist_id, append_new, expected_kind="Playlist", attempts=ADD_ATTEMPTS)
    if updated is None:
        raise NotFound(f"Playlist not found: {playlist_id}")
    events.publish_many([events.event("playlist:add_entity", {
        "playlist_id": playlist_id, "entity_id": entry["entity_id"], "preview_file_id": entry.get("preview_file_id")},
        project["id"]) for entry in added])
    return plain(updated)


def delete_playlist(caller: Caller, playlist_id: str) -> None:
    """The playlist, its build jobs (movies included), notifications and ZIPs."""
    playlist, project = _playlist_and_project(playlist_id)
    auth.check_playlist_update_access(caller, playlist, project)
    remove_playlist(playlist)


def remove_playlist(playlist: dict) -> None:
    """Delete a playlist with what it holds; no build can start on it meanwhile."""
    from chalicelib.services.playlists import builds

    playlist_id = playlist["id"]
    holding.mark_deleting(playlist_id)
    for build_job in build_jobs_of(playlist_id):
        builds.remove_build_job(build_job)
    for notification in records.query_parent(playlist_id, "Notification"):
        records.delete(notification["id"])
    storage.delete_prefix(storage.playlist_zip_prefix(playlist_id))
    records.delete(playlist_id)
    events.publish("playlist:delete", {"playlist_id": playlist_id}, playlist["project_id"])
