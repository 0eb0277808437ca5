"""What working files and output files share: revision numbers reserved with
conditional writes, the records Zou get-or-creates as defaults, the by-id route
that serves either kind, and listing helpers."""
from collections.abc import Callable, Iterable

from chalicelib import auth, storage
from chalicelib.auth import Caller
from chalicelib.errors import Conflict, Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, references

WORKING_FILES = c.COLLECTIONS["working-files"]
OUTPUT_FILES = c.COLLECTIONS["output-files"]
FILE_KINDS = ("WorkingFile", "OutputFile")
LABELS = {"WorkingFile": "Working file", "OutputFile": "Output file"}

# Zou get-or-creates these when a request names none (blueprints/files, files_service).
NEW_WORKING_FILE_SOFTWARE = {"name": "Blender", "short_name": "blender", "file_extension": ".blend"}
PATH_SOFTWARE = {"name": "3ds Max", "short_name": "max", "file_extension": ".max"}
DEFAULT_FILE_STATUS = {"name": "To review", "color": "#FFFFFF"}

# Each concurrent writer moves on by one number per lost claim; this bounds a storm.
MAX_REVISION_ATTEMPTS = 100


def default_record(route: str, values: dict, project: dict) -> dict:
    """Zou's default software or file status, of the project's studio."""
    return data.get_or_create_by_name(c.COLLECTIONS[route], values["name"], project.get("studio_id"), values)


# --- revision numbers -----------------------------------------------------------

def claim_revision(wanted: int, last_revision: int, owner: str, what: str,
                   required: Callable[[int], list[str]],
                   optional: Callable[[int], list[str]] = lambda revision: []) -> tuple[int, list[str]]:
    """Reserve a revision: `wanted` when given (Conflict if taken), else the first free
    one after `last_revision`. DynamoDB has no unique constraint, so a revision is
    this file's once it wins the conditional puts of `required(n)`; `optional(n)`
    keys are won too when free (an auto number must win them). Returns the
    revision and the keys won, which the caller releases if the file is not stored."""
    if wanted:
        won = _claim_all(required(wanted), owner)
        if won is None:
            # Zou answers 400 (its unique constraint), on which gazu raises ParameterException.
            raise Invalid(f"{what} revision {wanted} already exists; ask for revision 0 to get the next one")
        won += [key for key in optional(wanted) if records.claim(key, owner)]
        return wanted, won
    revision = max(last_revision, 0) + 1
    for _ in range(MAX_REVISION_ATTEMPTS):
        won = _claim_all([*optional(revision), *required(revision)], owner)
        if won is not None:
            return revision, won
        revision += 1  # taken by a concurrent writer (the index had not shown it yet)
    raise Conflict(f"Too many concurrent revisions of {what}; try again")


def _claim_all(keys: list[str], owner: str) -> list[str] | None:
    won: list[str] = []
    for key in keys:
        if not records.claim(key, owner):
            release_all(won)
            return None
        won.append(key)
    return won


def release_all(keys: Iterable[str]) -> None:
    for key in keys:
        records.release(key)


# --- reading either kind ----------------------------------------------------------

def referenced(found: dict[str, dict], kind: str, record_id: str, label: str) -> dict:
    """A record a request names, from a BatchGet's answer, or NotFound."""
    record = found.get(record_id)
    if record is None or record.get("type") != kind:
        raise NotFound(f"{label} not found: {record_id}")
    return record


def named(found: dict[str, dict], kind: str, record_id: str, field_name: str, project: dict) -> dict:
    """A record a request body names (from a BatchGet's answer), of the project or of its
    studio; else 400 naming the field."""
    return references.check_one(references.owner_of_project(project), field_name, record_id,
                                found.get(record_id), (kind,))


def require_file(kind: str, file_id: str) -> dict:
    found = records.get(file_id)
    if found is None or found.get("type") != kind:
        raise NotFound(f"{LABELS[kind]} not found: {file_id}")
    return found


def get_file(caller: Caller, file_id: str) -> dict:
    """GET data/files/{id}: a working or an output file, for project members."""
    found = records.get(file_id)
    if found is None or found.get("type") not in FILE_KINDS:
        raise NotFound(f"File not found: {file_id}")
    auth.check_project_access(caller, data.require_project(found["project_id"]))
    if found["type"] == "OutputFile":
        return serialize_output_files([found])[0]
    return data.serialize(found)


def serialize_output_files(output_files: list[dict]) -> list[dict]:
    """Output files as Zou serializes them: `source_file` holds the whole source working
    file (a SQLAlchemy relationship), read here in one BatchGet for the list."""
    sources = records.batch_get(f.get("source_file_id") for f in output_files)
    return [{**data.serialize(f), "source_file": _serialized(sources.get(f.get("source_file_id")))}
            for f in output_files]


def _serialized(record: dict | None) -> dict | None:
    return data.serialize(record) if record is not None else None


def newest_first(items: Iterable[dict]) -> list[dict]:
    return sorted(items, key=lambda item: (item.get("revision") or 0, item.get("created_at", "")), reverse=True)


def delete_file(caller: Caller, kind: str, file_id: str) -> None:
    """CRUD DELETE (admin only, as in Zou): the record, its revision claims, its content."""
    found = require_file(kind, file_id)
    auth.check_admin(caller, data.require_project(found["project_id"]))
    remove_file(found)


def remove_file(file_record: dict) -> None:
    """A working or output file with its revision claims and its content."""
    kind, file_id = file_record["type"], file_record["id"]
    records.delete(file_id)
    release_all(file_record.get("revision_claims") or [])
    earlier = [content.get("key") for content in file_record.get("previous_contents") or []]
    storage.delete_keys([file_record.get("content_key"), storage.file_content_key(kind, file_id), *earlier])
    storage.delete_prefix(storage.file_content_prefix(kind, file_id))
