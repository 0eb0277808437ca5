"""Zou's production routes beyond the generic CRUD: entities created under their
project, the `.../all` listings, project teams, asset instances and task comments."""

from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.production import attachments as attachment_files
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, references
from chalicelib.services.production.validation import check_value, clean_body, load_json

# Zou names an entity's parent after what it is; we index it as `parent_id`.
PARENT_ALIASES = {"Shot": "sequence_id", "Sequence": "episode_id"}


def create_in_project(caller: Caller, kind: str, project_id: str, raw_body, entity_type_id: str | None = None) -> dict:
    """POST data/projects/{pid}/{shots|sequences|episodes} and .../asset-types/{tid}/assets/new."""
    collection = c.COLLECTIONS[c.KIND_TO_ROUTE[kind]]
    project = data.require_project(project_id)
    auth.check_manager_project_access(caller, project)
    if not isinstance(raw_body, dict):
        raise Invalid("The body must be a JSON object")
    body = dict(raw_body)
    alias = PARENT_ALIASES.get(kind)
    if alias and alias in body:
        body["parent_id"] = body.pop(alias)
    body["project_id"] = project_id
    if entity_type_id:
        data.require("AssetType", entity_type_id, "Asset type")
        body["entity_type_id"] = entity_type_id
    if kind == "Shot" and body.get("parent_id"):
        data.require("Sequence", check_value("sequence_id", c.UUID, body["parent_id"]), "Sequence")
    cleaned = data.prepare_new(collection, clean_body(collection, body, creating=True))
    cleaned["created_by"] = caller.id
    return data.serialize(data.store_new(collection, cleaned))


def list_entities(caller: Caller, kind: str, query: dict[str, list[str]], project_id: str | None = None,
                  parent_id: str | None = None) -> list[dict]:
    """The `.../all` and nested listings: the generic list with Zou's parent names."""
    query = {key: list(values) for key, values in query.items() if key != "page"}
    alias = PARENT_ALIASES.get(kind)
    if alias and alias in query:
        query["parent_id"] = query.pop(alias)
    if kind == "Asset" and "asset_type_id" in query:
        query["entity_type_id"] = query.pop("asset_type_id")
    if project_id:
        project = data.require_project(project_id)
        auth.check_project_access(caller, project)
        query["project_id"] = [project_id]
    if parent_id:
        query["parent_id"] = [parent_id]
    return data.list_records(caller, c.COLLECTIONS[c.KIND_TO_ROUTE[kind]], query)


def list_children(caller: Caller, parent_kinds: tuple, parent_id: str, child_kind: str) -> list[dict]:
    """Tasks of an entity, shots of a sequence, comments of a task...: one Query."""
    parent = data.require(parent_kinds, parent_id, parent_kinds[0])
    project = data.require_project(parent["project_id"])
    if parent["type"] == "Task":
        auth.check_task_access(caller, parent, project)  # a vendor reads the comments of their tasks only
    else:
        auth.check_project_access(caller, project)
    collection = c.COLLECTIONS[c.KIND_TO_ROUTE[child_kind]]
    items = data.visible(caller, collection, records.query_parent(parent_id, child_kind))
    return sorted((data.serialize(item) for item in items), key=lambda item: item.get("created_at", ""))


def open_projects(caller: Caller) -> list[dict]:
    projects = auth.visible_projects(caller, records.query_studio(caller.studio_id, "Project"))
    return [data.serialize(p) for p in projects if p.get("project_status_name", "Open") == "Open"]


# --- team ---------------------------------------------------------------------

def team(caller: Caller, project_id: str) -> list[dict]:
    project = data.require_project(project_id)
    auth.check_project_access(caller, project)
    return data.serialize_listed(project.get("team") or [])


def add_to_team(caller: Caller, project_id: str, body: dict) -> dict:
    project = data.require_project(project_id)
    auth.check_manager_project_access(caller, project)
    person_id = check_value("person_id", c.UUID, body.get("person_id"))
    if not person_id:
        raise Invalid("Missing person_id")
    references.require(references.owner_of_project(project), "person_id", person_id, ("Person",))
    project = records.update(project_id, lambda body: {"team": _with(body.get("team") or [], person_id)},
                             expected_kind="Project")
    return data.serialize(project)


def _with(members: list, person_id: str) -> list:
    return members if person_id in members else [*members, person_id]


def remove_from_team(caller: Caller, project_id: str, person_id: str) -> dict:
    project = data.require_project(project_id)
    auth.check_manager_project_access(caller, project)
    return data.serialize(records.update(
        project_id, lambda body: {"team": [pid for pid in body.get("team") or [] if pid != person_id]},
        expected_kind="Project"))


# --- asset instances ----------------------------------------------------------

def new_asset_asset_instance(caller: Caller, target_asset_id: str, body: dict) -> dict:
    target = data.require("Asset", target_asset_id, "Asset")
    project = data.require_project(target["project_id"])
    auth.check_manager_project_access(caller, project)
    instantiated_id = check_value("asset_to_instantiate_id", c.UUID, body.get("asset_to_instantiate_id"))
    if not instantiated_id:
        raise Invalid("Missing asset_to_instantiate_id")
    instantiated = data.require("Asset", instantiated_id, "Asset")
    siblings = [i for i in records.query_parent(target_asset_id, "AssetInstance") if i["asset_id"] == instantiated_id]
    number = max((i.get("number", 0) for i in siblings), default=0) + 1
    collection = c.COLLECTIONS["asset-instances"]
    new = data.prepare_new(collection, {
        "asset_id": instantiated_id, "target_asset_id": target_asset_id, "number": number,
        "name": f"{instantiated['name'].lower().replace(' ', '_')}_{number:04d}",
        "description": body.get("description") or "", "project_id": target["project_id"]})
    return data.serialize(data.store_new(collection, new))


# --- comments -----------------------------------------------------------------

def add_comment(caller: Caller, task_id: str, body: dict, attachments: dict | None = None) -> dict:
    """POST actions/tasks/{id}/comment: a comment on the task, which takes its status."""
    task = data.require("Task", task_id)
    project = data.require_project(task["project_id"])
    auth.check_task_access(caller, task, project)
    status_id = check_value("task_status_id", c.UUID, body.get("task_status_id"))
    if not status_id:
        raise Invalid("Missing task_status_id")
    owner = references.owner_of_project(project)
    status = references.require(owner, "task_status_id", status_id, ("TaskStatus",))
    auth.check_task_status_access(caller, status)
    person_id = check_value("person_id", c.UUID, body.get("person_id")) or caller.id
    auth.check_comment_author(caller, person_id)
    author = caller.person if person_id == caller.id else references.require(owner, "person_id", person_id,
                                                                             ("Person",))
    comment = {
        "object_id": task_id, "object_type": "Task", "project_id": task["project_id"],
        "text": check_value("comment", c.TEXT, body.get("comment", "")) or "",
        "task_status_id": status_id, "person_id": person_id,
        "checklist": _json_list("checklist", body.get("checklist")),
        "links": _json_list("links", body.get("links")),
        "for_client": _flag(body.get("for_client")),
        "attachment_files": [],
    }
    if body.get("created_at"):
        comment["created_at"] = check_value("created_at", c.DATE, body["created_at"])
    collection = c.COLLECTIONS["comments"]
    try:
        created = data.store_new(collection, data.prepare_new(collection, comment))
    except Invalid as error:
        if (error.data or {}).get("field") == "object_id":
            # The task was read above: it was deleted (with its project) since.
            raise NotFound(f"Task not found: {task_id}") from error
        raise
    if attachments:
        stored = attachment_files.store(created, list(attachments.values()))
        created = records.update(created["id"], {"attachment_files": stored}, expected_kind="Comment")
    records.update(task_id, {"task_status_id": status_id, "last_comment_date": created["created_at"]},
                   expected_kind="Task")
    # Zou answers with the author and the status inlined.
    return {**data.serialize(created), "person": data.serialize(author) if author else None,
            "task_status": data.serialize(status), "previews": []}


def _json_list(name: str, value) -> list:
    # Multipart comments carry their lists as JSON strings (gazu's attachments form).
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = load_json(value, name)
    return check_value(name, c.LIST, value)


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def full_task(caller: Caller, task_id: str) -> dict:
    """GET data/tasks/{id}/full: the task with its type, status, entity and project (one BatchGet)."""
    task = data.require("Task", task_id)
    related = records.batch_get([task["project_id"], task["entity_id"], task["task_type_id"],
                                 task.get("task_status_id"), *(task.get("assignees") or [])])
    project = related.get(task["project_id"])
    auth.check_task_access(caller, task, project)
    full = data.serialize(task)
    full.update({
        "project": data.serialize(project),
        "entity": data.serialize(related[task["entity_id"]]) if task["entity_id"] in related else None,
        "task_type": data.serialize(related[task["task_type_id"]]) if task["task_type_id"] in related else None,
        "task_status": data.serialize(related[task["task_status_id"]]) if task.get("task_status_id") in related
        else None,
        "persons": [data.serialize(related[p]) for p in task.get("assignees") or [] if p in related],
    })
    return full


def full_entity(caller: Caller, kind: str, entity_id: str) -> dict:
    """GET data/shots/{id}, data/assets/{id}: Zou's full entity, with the names of what it
    hangs on and its tasks (one BatchGet for the parents, one Query for the tasks)."""
    collection = c.COLLECTIONS[c.KIND_TO_ROUTE[kind]]
    entity = data.get_record(caller, collection, entity_id)
    related = records.batch_get([entity["project_id"], entity.get("parent_id"), entity.get("entity_type_id")])
    parent = related.get(entity.get("parent_id")) or {}
    entity["project_name"] = (related.get(entity["project_id"]) or {}).get("name")
    entity["tasks"] = [data.serialize(t) for t in data.visible(
        caller, c.COLLECTIONS["tasks"], records.query_parent(entity_id, "Task"))]
    entity.update({"entities_in": [], "entities_out": [], "instance_casting": [], "entity_concept_links": []})
    if kind == "Shot":
        episode = records.get(parent["parent_id"]) if parent.get("parent_id") else None
        shot_data = entity.get("data") or {}
        entity.update({"sequence_name": parent.get("name"), "episode_id": (episode or {}).get("id"),
                       "episode_name": (episode or {}).get("name"), "frame_in": shot_data.get("frame_in"),
                       "frame_out": shot_data.get("frame_out"), "fps": shot_data.get("fps")})
    elif kind == "Asset":
        entity["asset_type_name"] = (related.get(entity.get("entity_type_id")) or {}).get("name")
    return entity
