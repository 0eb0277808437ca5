"""Every write that names another record checks it: the id must name an existing record
of the right kind, in the same project (records of a project) or the same studio
(studio-wide records: task types, statuses, people, ...). Otherwise 400, naming the
field and the id. One BatchGet reads every record a write names.

A record of another studio is answered as unknown: from studio B, studio A's ids do
not exist."""
from dataclasses import dataclass

from chalicelib.auth.roles import studio_of
from chalicelib.errors import Invalid
from chalicelib.models import records
from chalicelib.services.production import collections as c

ENTITIES = c.ENTITY_KINDS

# What each id field names, wherever it appears; FIELD_KINDS_BY_KIND refines a few.
FIELD_KINDS: dict[str, tuple] = {
    "project_id": ("Project",), "entity_type_id": ("AssetType",), "asset_type_id": ("AssetType",),
    "entity_id": ENTITIES, "source_id": ENTITIES, "parent_id": ENTITIES, "scene_id": ENTITIES,
    "temporal_entity_id": ENTITIES, "sequence_id": ("Sequence",), "episode_id": ("Episode",),
    "asset_id": ("Asset",), "target_asset_id": ("Asset",), "asset_instance_id": ("AssetInstance",),
    "preview_file_id": ("PreviewFile",), "last_preview_file_id": ("PreviewFile",), "preview_files": ("PreviewFile",),
    "task_id": ("Task",), "task_ids": ("Task",), "object_id": ("Task",), "comment_id": ("Comment",),
    "comments": ("Comment",), "attachment_files": ("AttachmentFile",),
    "task_type_id": ("TaskType",), "ready_for": ("TaskType",), "task_types": ("TaskType",),
    "task_status_id": ("TaskStatus",), "task_statuses": ("TaskStatus",), "asset_types": ("AssetType",),
    "person_id": ("Person",), "assignees": ("Person",), "assigner_id": ("Person",), "editor_id": ("Person",),
    "mentions": ("Person",), "acknowledgements": ("Person",), "team": ("Person",), "created_by": ("Person",),
    "department_id": ("Department",), "departments": ("Department",), "department_mentions": ("Department",),
    "studio_id": ("Studio",), "software_id": ("Software",), "output_type_id": ("OutputType",),
    "file_status_id": ("FileStatus",), "source_file_id": ("WorkingFile",),
    "default_preview_background_file_id": ("PreviewBackgroundFile",),
    "preview_background_files": ("PreviewBackgroundFile",),
}
FIELD_KINDS_BY_KIND: dict[tuple[str, str], tuple] = {
    ("Shot", "parent_id"): ("Sequence",),
    ("Sequence", "parent_id"): ("Episode",),
    # Zou: a preview file's source is the output file it was made from.
    ("PreviewFile", "source_file_id"): ("OutputFile",),
}
# Ids that name nothing reelbase stores (Zou's project statuses, chat messages): not checked.
UNCHECKED = ("project_status_id", "chat_message_id")


@dataclass(frozen=True)
class Owner:
    """Where the writing record lives: its project (records of a project), else its studio."""
    project_id: str | None
    studio_id: str | None


def kinds_of(kind: str, field_name: str) -> tuple | None:
    return FIELD_KINDS_BY_KIND.get((kind, field_name)) or FIELD_KINDS.get(field_name)


def named_ids(collection: c.Collection, body: dict) -> dict[str, list[str]]:
    """The ids `body` names, by field, for the fields of `collection` that hold ids."""
    named = {}
    for name, value in body.items():
        field_kind = collection.fields.get(name)
        if name in UNCHECKED or not value or field_kind not in (c.UUID, c.UUIDS):
            continue
        named[name] = list(value) if field_kind == c.UUIDS else [value]
    return named


def check(owner: Owner, kind: str, named: dict[str, list[str]], found: dict[str, dict] | None = None,
          skip_ids: tuple = ()) -> dict[str, dict]:
    """Check every id of `named` ({field: [ids]}) for a record of `kind` owned by `owner`;
    returns the records read (`found` holds those read already). Ids in `skip_ids` (the
    record itself) are not checked."""
    wanted = {i for ids in named.values() for i in ids} - set(found or {}) - set(skip_ids)
    found = {**(found or {}), **records.batch_get(wanted)}
    for field_name, ids in named.items():
        for record_id in ids:
            if record_id not in skip_ids:
                check_one(owner, field_name, record_id, found.get(record_id), kinds_of(kind, field_name))
    return found


def check_one(owner: Owner, field_name: str, record_id: str, record: dict | None, kinds: tuple | None) -> dict:
    if record is None or not _same_studio(owner, record):
        raise _invalid(field_name, record_id, f"Unknown {field_name}: {record_id}")
    if kinds and record.get("type") not in kinds:
        raise _invalid(field_name, record_id, f"{field_name} {record_id} is not a {' or '.join(kinds)}")
    if record.get("type") == "Project":
        if owner.project_id and record["id"] != owner.project_id:
            raise _invalid(field_name, record_id, f"{field_name} {record_id} is another project")
    elif record.get("project_id"):
        if record["project_id"] != owner.project_id:
            raise _invalid(field_name, record_id, f"{field_name} {record_id} belongs to another project")
    return record


def _same_studio(owner: Owner, record: dict) -> bool:
    if record.get("type") != "Project" and record.get("project_id"):
        return True  # its project decides (checked against the owner's project)
    return studio_of(record) == owner.studio_id


def _invalid(field_name: str, record_id: str, message: str) -> Invalid:
    return Invalid(message, {"field": field_name, "id": record_id})


def require(owner: Owner, field_name: str, record_id: str, kinds: tuple) -> dict:
    """One named record, checked (a single GetItem)."""
    return check_one(owner, field_name, record_id, records.get(record_id), kinds)


def owner_of_project(project: dict) -> Owner:
    return Owner(project["id"], project.get("studio_id"))
