"""Working files (Zou's WorkingFile): the numbered revisions an artist saves on a
task, each with a path from the project's file tree. Stored under their entity
(by_parent), so a task's and an entity's files are one Query each."""
from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.models import records
from chalicelib.services.files import file_records, paths
from chalicelib.services.files.bodies import (
    NewWorkingFile,
    WorkingFileComment,
    WorkingFilePath,
    parse,
)
from chalicelib.services.production import collections as c
from chalicelib.services.production import data
from chalicelib.services.production.validation import check_value, clean_body

KIND = "WorkingFile"


def _revision_key(task_id: str, name: str, revision: int) -> str:
    # Zou's unique constraint is (name, task_id, entity_id, revision); the task fixes the entity.
    return f"revision#{KIND}#{task_id}#{name}#{revision}"


def _task_and_references(task_id: str, *other_ids: str | None) -> tuple[dict, dict[str, dict]]:
    """The task, then its project, entity, task type and `other_ids` in one BatchGet."""
    task = data.require("Task", task_id)
    found = records.batch_get([task["project_id"], task["entity_id"], task["task_type_id"], *other_ids])
    return task, found


def _task_files(task: dict) -> list[dict]:
    return [wf for wf in records.query_parent(task["entity_id"], KIND) if wf.get("task_id") == task["id"]]


def _last_revision(task: dict, name: str) -> int:
    return max((wf["revision"] for wf in _task_files(task) if wf.get("name") == name), default=0)


# --- creating and naming ---------------------------------------------------------

def new_working_file(caller: Caller, task_id: str, raw_body) -> dict:
    """POST data/tasks/{id}/working-files/new: the next (or the given) revision of a
    named working file, with its path rendered from the project's file tree."""
    body = parse(NewWorkingFile, raw_body)
    task, found = _task_and_references(task_id, body.person_id, body.software_id)
    project = found[task["project_id"]]
    auth.check_task_access(caller, task, project)
    person = (file_records.named(found, "Person", body.person_id, "person_id", project) if body.person_id
              else caller.person)
    software = (file_records.named(found, "Software", body.software_id, "software_id", project) if body.software_id
                else file_records.default_record("softwares", file_records.NEW_WORKING_FILE_SOFTWARE, project))
    file_id = records.new_id()
    revision, claims = file_records.claim_revision(
        body.revision, _last_revision(task, body.name), file_id, f"Working file {body.name!r} of task {task_id}",
        required=lambda number: [_revision_key(task_id, body.name, number)])
    try:
        folder_path, file_name = paths.render(
            project, found[task["entity_id"]], mode=body.mode, sep=body.path_separator, name=body.name,
            revision=revision, task=task, task_type=found.get(task["task_type_id"]), software=software)
        working_file = records.create(KIND, {
            "id": file_id, "name": body.name, "revision": revision, "description": body.description,
            "comment": body.comment, "path": f"{folder_path}{body.path_separator}{file_name}",
            "task_id": task_id, "entity_id": task["entity_id"], "project_id": task["project_id"],
            "person_id": person["id"], "software_id": software["id"], "size": None, "checksum": None,
            "data": None, "shotgun_id": None, "revision_claims": claims,
        }, project_id=task["project_id"], parent_id=task["entity_id"], held_by=task_id)
    except Exception:
        file_records.release_all(claims)
        raise
    return data.serialize(working_file)


def working_file_path(caller: Caller, task_id: str, raw_body) -> dict:
    """POST data/tasks/{id}/working-file-path: {"path": folder, "name": file name}."""
    body = parse(WorkingFilePath, raw_body)
    task, found = _task_and_references(task_id, body.software_id)
    project = found[task["project_id"]]
    auth.check_task_access(caller, task, project)
    software = (file_records.named(found, "Software", body.software_id, "software_id", project) if body.software_id
                else file_records.default_record("softwares", file_records.PATH_SOFTWARE, project))
    revision = body.revision or _last_revision(task, body.name) + 1
    folder_path, file_name = paths.render(
        project, found[task["entity_id"]], mode=body.mode, sep=body.path_separator, name=body.name,
        revision=revision, task=task, task_type=found.get(task["task_type_id"]), software=software)
    return {"path": folder_path, "name": file_name}


# --- listings ----------------------------------------------------------------------

def _readable_task(caller: Caller, task_id: str) -> dict:
    task = data.require("Task", task_id)
    auth.check_task_access(caller, task, data.require_project(task["project_id"]))
    return task


def task_working_files(caller: Caller, task_id: str) -> list[dict]:
    """GET data/tasks/{id}/working-files: every revision (>= 0), newest first."""
    task = _readable_task(caller, task_id)
    return [data.serialize(wf) for wf in file_records.newest_first(_task_files(task)) if wf["revision"] >= 0]


def last_working_files(caller: Caller, task_id: str) -> dict[str, dict]:
    """GET data/tasks/{id}/working-files/last-revisions: {name: newest revision}."""
    task = _readable_task(caller, task_id)
    newest: dict[str, dict] = {}
    for wf in file_records.newest_first(_task_files(task)):
        newest.setdefault(wf["name"], data.serialize(wf))
    return newest


def entity_working_files(caller: Caller, entity_id: str, query: dict[str, list[str]]) -> list[dict]:
    """GET data/entities/{id}/working-files[?task_id=&name=]."""
    entity = data.require_entity(entity_id)
    auth.check_entity_access(caller, entity, data.require_project(entity["project_id"]))
    task_id = check_value("task_id", c.UUID, _last(query, "task_id"))
    name = _last(query, "name")
    kept = [wf for wf in records.query_parent(entity_id, KIND)
            if wf["revision"] >= 0 and (not task_id or wf["task_id"] == task_id) and (not name or wf["name"] == name)]
    return [data.serialize(wf) for wf in file_records.newest_first(kept)]


def list_working_files(caller: Caller, query: dict[str, list[str]]):
    """GET data/working-files (Zou's CRUD list, closed to vendors)."""
    auth.block_vendor(caller)
    return data.list_records(caller, file_records.WORKING_FILES, query)


def _last(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


# --- one working file ----------------------------------------------------------------

def get_working_file(caller: Caller, working_file_id: str) -> dict:
    """GET data/working-files/{id}: task access, as Zou's CRUD read."""
    return data.serialize(readable(caller, working_file_id))


def readable(caller: Caller, working_file_id: str) -> dict:
    working_file = file_records.require_file(KIND, working_file_id)
    found = records.batch_get([working_file["task_id"], working_file["project_id"]])
    auth.check_task_access(caller, found[working_file["task_id"]], found[working_file["project_id"]])
    return working_file


def changeable(caller: Caller, working_file_id: str) -> dict:
    """The working file, once the caller may act on its task (Zou's task action access)."""
    working_file = file_records.require_file(KIND, working_file_id)
    found = records.batch_get([working_file["task_id"], working_file["project_id"], working_file["entity_id"]])
    task = found[working_file["task_id"]]
    # Only a supervisor's department rule needs the task type: read it for them alone.
    task_type = records.get(task["task_type_id"]) if caller.role == "supervisor" else None
    auth.check_task_action_access(caller, task, found[working_file["project_id"]], task_type,
                                  found.get(working_file["entity_id"]))
    return working_file


def next_revision(caller: Caller, working_file: dict) -> dict:
    """The next revision of a working file's name on its task, for an upload to a working
    file that already holds content: Zou would replace it; the old revision keeps it."""
    created = new_working_file(caller, working_file["task_id"], {
        "name": working_file["name"], "comment": working_file.get("comment") or "",
        "description": working_file.get("description") or "", "software_id": working_file.get("software_id")})
    return records.get(created["id"])


def update_working_file(caller: Caller, working_file_id: str, raw_body) -> dict:
    """PUT data/working-files/{id} (CRUD): the fields that do not name the revision."""
    working_file = changeable(caller, working_file_id)
    changes = clean_body(file_records.WORKING_FILES, raw_body, creating=False)
    return data.serialize(data.update_checked(file_records.WORKING_FILES, working_file, changes))


def comment_working_file(caller: Caller, working_file_id: str, raw_body) -> dict:
    """PUT actions/working-files/{id}/comment {"comment"}."""
    body = parse(WorkingFileComment, raw_body)
    working_file = changeable(caller, working_file_id)
    return data.serialize(data.apply_update(file_records.WORKING_FILES, working_file, {"comment": body.comment}))


def touch_working_file(caller: Caller, working_file_id: str) -> dict:
    """PUT actions/working-files/{id}/modified: updated_at becomes now."""
    working_file = changeable(caller, working_file_id)
    return data.serialize(data.apply_update(file_records.WORKING_FILES, working_file, {}))
