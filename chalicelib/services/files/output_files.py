"""Output files (Zou's OutputFile): what a task publishes for an entity, or for an
asset instance as seen in a shot or scene (its temporal entity). Stored under the
entity, or under the asset instance for instance outputs (by_parent), and in
their project (by_project)."""
import json
from dataclasses import dataclass

from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.files import file_records, paths
from chalicelib.services.files.bodies import (
    NewOutputFile,
    NextOutputRevision,
    OutputFilePath,
    parse,
)
from chalicelib.services.production import collections as c
from chalicelib.services.production import data
from chalicelib.services.production.validation import check_value, clean_body

KIND = "OutputFile"
# Query parameters every output-file listing understands (Zou's get_args).
FILTERS = {"output_type_id": c.UUID, "task_type_id": c.UUID, "file_status_id": c.UUID,
           "representation": c.STR, "name": c.STR}
# Zou's last-revisions groups by these (and by file status when asked to filter on it).
LAST_REVISION_GROUP = ("task_type_id", "output_type_id", "name", "representation")


@dataclass(frozen=True)
class Target:
    """Where output files hang: an entity, or an asset instance in a temporal entity
    (the file is then stored on the instantiated asset, as Zou does)."""
    project: dict
    entity: dict
    asset_instance: dict | None = None
    temporal_entity: dict | None = None

    @property
    def parent_id(self) -> str:
        return self.asset_instance["id"] if self.asset_instance else self.entity["id"]

    @property
    def temporal_entity_id(self) -> str | None:
        return self.temporal_entity["id"] if self.temporal_entity else None

    def holds(self, output_file: dict) -> bool:
        return output_file.get("temporal_entity_id") == self.temporal_entity_id

    def outputs(self) -> list[dict]:
        return [f for f in records.query_parent(self.parent_id, KIND) if self.holds(f)]


@dataclass(frozen=True)
class TargetIds:
    """A route's path ids: an entity, or an asset instance (and maybe its temporal entity)."""
    entity_id: str | None = None
    asset_instance_id: str | None = None
    temporal_entity_id: str | None = None


def resolve(ids: TargetIds, *other_ids: str | None) -> tuple[Target, dict[str, dict]]:
    """The target the ids name (404 for unknown ones), plus `other_ids` read in the
    same BatchGet."""
    if ids.entity_id:
        entity = data.require_entity(ids.entity_id)
        found = records.batch_get([entity["project_id"], *other_ids])
        return Target(found[entity["project_id"]], entity), found
    asset_instance = data.require("AssetInstance", ids.asset_instance_id, "Asset instance")
    found = records.batch_get([asset_instance["asset_id"], ids.temporal_entity_id, *other_ids])
    asset = file_records.referenced(found, "Asset", asset_instance["asset_id"], "Asset")
    temporal_entity = None
    if ids.temporal_entity_id:
        temporal_entity = found.get(ids.temporal_entity_id)
        if temporal_entity is None or temporal_entity.get("type") not in c.ENTITY_KINDS:
            raise NotFound(f"Entity not found: {ids.temporal_entity_id}")
        if temporal_entity["project_id"] != asset["project_id"]:
            raise Invalid(f"Entity {ids.temporal_entity_id} belongs to another project than asset instance "
                          f"{ids.asset_instance_id}")
    project = data.require_project(asset["project_id"])
    return Target(project, asset, asset_instance, temporal_entity), found


def _readable(caller: Caller, ids: TargetIds, *other_ids: str | None) -> tuple[Target, dict[str, dict]]:
    target, found = resolve(ids, *other_ids)
    auth.check_project_access(caller, target.project)
    return target, found


# --- revisions ---------------------------------------------------------------------

def _last_revision(target: Target, output_type_id: str, task_type_id: str, name: str) -> int:
    # Zou counts revisions above 0 over (entity or instance + temporal entity, output type, task type, name).
    return max((f["revision"] for f in target.outputs()
                if (f["output_type_id"], f["task_type_id"], f["name"]) == (output_type_id, task_type_id, name)
                and f["revision"] > 0), default=0)


def _scope(target: Target, output_type_id: str, task_type_id: str, name: str) -> list:
    return [target.parent_id, target.temporal_entity_id, output_type_id, task_type_id, name]


def _number_key(scope: list, revision: int) -> str:
    # JSON keeps the parts apart whatever the name holds.
    return f"revision#{KIND}#{json.dumps([*scope, revision])}"


def _unique_key(scope: list, representation: str, revision: int) -> str:
    return f"unique#{KIND}#{json.dumps([*scope, representation, revision])}"


def next_revision(caller: Caller, ids: TargetIds, raw_body) -> dict:
    """POST .../output-files/next-revision {"name","output_type_id","task_type_id"}."""
    body = parse(NextOutputRevision, raw_body)
    target, found = resolve(ids, body.output_type_id, body.task_type_id)
    auth.check_project_access(caller, target.project)
    file_records.named(found, "OutputType", body.output_type_id, "output_type_id", target.project)
    file_records.named(found, "TaskType", body.task_type_id, "task_type_id", target.project)
    return {"next_revision": _last_revision(target, body.output_type_id, body.task_type_id, body.name) + 1}


# --- creating and naming -----------------------------------------------------------

def new_output_file(caller: Caller, ids: TargetIds, raw_body) -> dict:
    """POST data/entities/{id}/output-files/new and its asset-instance variant: the next
    (or the given) revision, its path, and Zou's `folder_path` and `file_name`."""
    body = parse(NewOutputFile, raw_body)
    target, found = _readable(caller, ids, body.output_type_id, body.task_type_id, body.person_id,
                              body.working_file_id, body.file_status_id)
    output_type = file_records.named(found, "OutputType", body.output_type_id, "output_type_id", target.project)
    task_type = file_records.named(found, "TaskType", body.task_type_id, "task_type_id", target.project)
    person = (file_records.named(found, "Person", body.person_id, "person_id", target.project) if body.person_id
              else caller.person)
    source_file = None
    if body.working_file_id:
        source_file = file_records.named(found, "WorkingFile", body.working_file_id, "working_file_id",
                                         target.project)
    file_status = (file_records.named(found, "FileStatus", body.file_status_id, "file_status_id", target.project)
                   if body.file_status_id
                   else file_records.default_record("file-status", file_records.DEFAULT_FILE_STATUS,
                                                 target.project))
    scope = _scope(target, output_type["id"], task_type["id"], body.name)
    file_id = records.new_id()
    revision, claims = file_records.claim_revision(
        max(body.revision, 0), _last_revision(target, output_type["id"], task_type["id"], body.name), file_id,
        f"Output file {body.name!r} ({output_type['name']}, {task_type['name']}"
        f"{', ' + body.representation if body.representation else ''})",
        required=lambda number: [_unique_key(scope, body.representation, number)],
        optional=lambda number: [_number_key(scope, number)])
    try:
        folder_path, file_name = _render(target, body, revision, output_type, task_type)
        output_file = records.create(KIND, {
            "id": file_id, "name": body.name, "revision": revision, "representation": body.representation,
            "extension": body.extension, "comment": body.comment, "description": None, "canceled": False,
            "nb_elements": body.nb_elements, "path": f"{folder_path}{body.path_separator}{file_name}{body.extension}",
            "entity_id": target.entity["id"], "project_id": target.project["id"],
            "asset_instance_id": target.asset_instance["id"] if target.asset_instance else None,
            "temporal_entity_id": target.temporal_entity_id, "output_type_id": output_type["id"],
            "task_type_id": task_type["id"], "person_id": person["id"], "file_status_id": file_status["id"],
            "source_file_id": source_file["id"] if source_file else None, "size": None, "checksum": None,
            "source": None, "data": None, "shotgun_id": None, "revision_claims": claims,
        }, project_id=target.project["id"], parent_id=target.parent_id, held_by=target.parent_id)
    except Exception:
        file_records.release_all(claims)
        raise
    return {**data.serialize(output_file), "source_file": data.serialize(source_file) if source_file else None,
            "folder_path": folder_path, "file_name": file_name}


def output_file_path(caller: Caller, ids: TargetIds, raw_body) -> dict:
    """POST .../output-file-path: {"folder_path", "file_name"} as `new` would store them
    (revision below 1 means the next one)."""
    body = parse(OutputFilePath, raw_body)
    target, found = resolve(ids, body.output_type_id, body.task_type_id)
    auth.check_entity_access(caller, target.entity, target.project)
    output_type = file_records.named(found, "OutputType", body.output_type_id, "output_type_id", target.project)
    task_type = file_records.named(found, "TaskType", body.task_type_id, "task_type_id", target.project)
    revision = body.revision if body.revision >= 1 else (
        _last_revision(target, output_type["id"], task_type["id"], body.name) + 1)
    folder_path, file_name = _render(target, body, revision, output_type, task_type)
    return {"folder_path": folder_path, "file_name": file_name}


def _render(target: Target, body: OutputFilePath, revision: int, output_type: dict,
            task_type: dict) -> tuple[str, str]:
    placed = target.temporal_entity if target.asset_instance else target.entity
    if placed is None:
        raise Invalid("An asset instance output needs its temporal entity")
    return paths.render(
        target.project, placed, mode=body.mode, sep=body.path_separator, name=body.name, revision=revision,
        task_type=task_type, output_type=output_type, asset_instance=target.asset_instance,
        asset=target.entity if target.asset_instance else None, representation=body.representation,
        nb_elements=body.nb_elements)


# --- listings ------------------------------------------------------------------------

def _filters(query: dict[str, list[str]], allowed=FILTERS) -> dict:
    """The listing filters present in `query` (ids checked); others are ignored, as in Zou."""
    chosen = {}
    for name, kind in allowed.items():
        values = query.get(name)
        if values and values[-1]:
            chosen[name] = check_value(name, kind, values[-1])
    return chosen


def _matching(output_files: list[dict], filters: dict) -> list[dict]:
    return [f for f in output_files if all(f.get(name) == value for name, value in filters.items())]


def _published(output_files: list[dict]) -> list[dict]:
    return [f for f in output_files if f["revision"] >= 0]


def output_files(caller: Caller, ids: TargetIds, query: dict[str, list[str]]) -> list[dict]:
    """GET data/entities/{id}/output-files, and data/asset-instances/{id}/output-files
    (across temporal entities unless `temporal_entity_id` names one)."""
    target, _ = _readable(caller, ids)
    if target.asset_instance:
        candidates = records.query_parent(target.parent_id, KIND)
        filters = _filters(query, {**FILTERS, "temporal_entity_id": c.UUID})
    else:
        candidates, filters = target.outputs(), _filters(query)
    return file_records.serialize_output_files(file_records.newest_first(_published(_matching(candidates, filters))))


def last_output_files(caller: Caller, ids: TargetIds, query: dict[str, list[str]]) -> list[dict]:
    """GET .../output-files/last-revisions: the newest revision of each (task type,
    output type, name, representation[, file status])."""
    target, _ = _readable(caller, ids)
    filters = _filters(query)
    group = LAST_REVISION_GROUP + (("file_status_id",) if "file_status_id" in filters else ())
    newest: dict[tuple, dict] = {}
    for output_file in file_records.newest_first(_matching(target.outputs(), filters)):
        newest.setdefault(tuple(output_file.get(name) for name in group), output_file)
    return file_records.serialize_output_files(list(newest.values()))


def output_types(caller: Caller, ids: TargetIds) -> list[dict]:
    """GET .../output-types: the output types this target's files use, by name."""
    target, _ = _readable(caller, ids)
    used = records.batch_get({f["output_type_id"] for f in target.outputs()})
    return [data.serialize(t) for t in sorted(used.values(), key=lambda t: t.get("name", "").lower())]


def output_type_files(caller: Caller, ids: TargetIds, output_type_id: str,
                      query: dict[str, list[str]]) -> list[dict]:
    """GET .../output-types/{id}/output-files[?representation=]."""
    target, found = _readable(caller, ids, output_type_id)
    file_records.referenced(found, "OutputType", output_type_id, "Output type")
    kept = _matching(target.outputs(), {"output_type_id": output_type_id,
                                        **_filters(query, {"representation": c.STR})})
    return file_records.serialize_output_files(file_records.newest_first(kept))


def project_output_files(caller: Caller, project_id: str, query: dict[str, list[str]]) -> list[dict]:
    """GET data/projects/{id}/output-files: every entity output, for the team (the seed's
    project access; Zou asks for a manager). Vendors, who see only their tasks, may not."""
    project = data.require_project(project_id)
    auth.check_project_access(caller, project)
    auth.block_vendor(caller)
    kept = [f for f in _matching(records.query_project(project_id, KIND), _filters(query))
            if f["asset_instance_id"] is None and f["temporal_entity_id"] is None and f["revision"] >= 0]
    return file_records.serialize_output_files(sorted(kept, key=lambda f: f["created_at"], reverse=True))


def list_output_files(caller: Caller, query: dict[str, list[str]]):
    """GET data/output-files[?path=] (Zou's CRUD list, closed to vendors)."""
    auth.block_vendor(caller)
    listed = data.list_records(caller, file_records.OUTPUT_FILES, query)
    if isinstance(listed, dict):  # a page
        return {**listed, "data": file_records.serialize_output_files(listed["data"])}
    return file_records.serialize_output_files(listed)


# --- one output file -------------------------------------------------------------------

def readable(caller: Caller, output_file_id: str) -> dict:
    """The output file, for a project member with access to its entity (Zou's CRUD read)."""
    output_file = file_records.require_file(KIND, output_file_id)
    found = records.batch_get([output_file["project_id"], output_file["entity_id"]])
    auth.check_entity_access(caller, found[output_file["entity_id"]], found[output_file["project_id"]])
    return output_file


def get_output_file(caller: Caller, output_file_id: str) -> dict:
    return file_records.serialize_output_files([readable(caller, output_file_id)])[0]


def update_output_file(caller: Caller, output_file_id: str, raw_body) -> dict:
    """PUT data/output-files/{id}: managers of the project; the fields that do not name
    the revision (name, revision, representation, targets) stay as created."""
    output_file = file_records.require_file(KIND, output_file_id)
    auth.check_manager_project_access(caller, data.require_project(output_file["project_id"]))
    changes = clean_body(file_records.OUTPUT_FILES, raw_body, creating=False)
    updated = data.update_checked(file_records.OUTPUT_FILES, output_file, changes)
    return file_records.serialize_output_files([updated])[0]
