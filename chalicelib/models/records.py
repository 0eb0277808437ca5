"""One table holds the production records (projects, shots, tasks, comments, ...),
each as its Zou-shaped JSON body plus the few attributes its indexes need.

Every read is a GetItem, a BatchGet or a Query on one of four indexes; see README.md
beside this file for the access patterns."""
import datetime
import random
import time
import uuid

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE

from chalicelib.errors import Conflict

# One page of an index query; list routes page on top of this.
QUERY_PAGE = 500
_BACKOFF_SECONDS = 0.005  # first retry after an optimistic-lock conflict waits up to this


class _ByKind(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_kind"
        projection = AllProjection()

    kind = UnicodeAttribute(hash_key=True)
    created_sort = UnicodeAttribute(range_key=True)


class _ByProject(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_project"
        projection = AllProjection()

    project_id = UnicodeAttribute(hash_key=True)
    kind_sort = UnicodeAttribute(range_key=True)


class _ByParent(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_parent"
        projection = AllProjection()

    parent_id = UnicodeAttribute(hash_key=True)
    kind_sort = UnicodeAttribute(range_key=True)


class _ByName(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_name"
        projection = AllProjection()

    name_key = UnicodeAttribute(hash_key=True)
    created_sort = UnicodeAttribute(range_key=True)


class Record(Model):
    class Meta:
        table_name = "records"  # replaced by chalicelib.models.configure()
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    created_sort = UnicodeAttribute()
    kind_sort = UnicodeAttribute()
    project_id = UnicodeAttribute(null=True)
    parent_id = UnicodeAttribute(null=True)
    name_key = UnicodeAttribute(null=True)
    body = JSONAttribute()
    version = VersionAttribute()

    by_kind = _ByKind()
    by_project = _ByProject()
    by_parent = _ByParent()
    by_name = _ByName()


def now_iso() -> str:
    # Microseconds and a fixed width so that timestamps sort as strings (gazu compares them).
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def new_id() -> str:
    return str(uuid.uuid4())


def _name_key(kind: str, name) -> str | None:
    return f"{kind}#{name.strip().lower()}" if isinstance(name, str) and name.strip() else None


def _to_record(kind: str, body: dict, project_id: str | None, parent_id: str | None) -> Record:
    created_sort = f"{body['created_at']}#{body['id']}"
    return Record(
        id=body["id"],
        kind=kind,
        created_sort=created_sort,
        kind_sort=f"{kind}#{created_sort}",
        project_id=project_id,
        parent_id=parent_id,
        name_key=_name_key(kind, body.get("name")),
        body=body,
    )


def create(kind: str, body: dict, project_id: str | None = None, parent_id: str | None = None) -> dict:
    """Store a new record; `body` gets id, type and timestamps when missing."""
    stamp = now_iso()
    body = {"id": new_id(), **body, "type": kind}
    body.setdefault("created_at", stamp)
    body["updated_at"] = body.get("updated_at") or body["created_at"]
    record = _to_record(kind, body, project_id, parent_id)
    try:
        record.save(condition=Record.id.does_not_exist())
    except PutError as error:
        if _conditional_failure(error):
            raise Conflict(f"A {kind} with id {body['id']} already exists") from error
        raise
    return body


def get(record_id: str) -> dict | None:
    record = get_record(record_id)
    return record.body if record else None


def get_record(record_id: str) -> Record | None:
    try:
        return Record.get(record_id)
    except DoesNotExist:
        return None


def batch_get(record_ids) -> dict[str, dict]:
    """Bodies by id for every id that exists (one BatchGet call per 100 ids)."""
    wanted = list(dict.fromkeys(i for i in record_ids if i))
    if not wanted:
        return {}
    return {record.id: record.body for record in Record.batch_get(wanted)}


_KEEP = object()


def update(record_id: str, changes, expected_kind: str | None = None, parent_id=_KEEP,
           attempts: int = 8) -> dict | None:
    """Merge `changes` into a record's body; a concurrent writer makes us re-read and
    re-apply (optimistic lock on `version`) instead of losing either write. `changes`
    may be a function of the current body, for values derived from it (lists, counters)."""
    for attempt in range(attempts):
        if attempt:
            # Jittered backoff: writers that all lost to the same winner spread out
            # instead of colliding again on their next try.
            time.sleep(random.uniform(0, _BACKOFF_SECONDS * 2 ** min(attempt, 5)))
        record = get_record(record_id)
        if record is None or (expected_kind and record.kind != expected_kind):
            return None
        wanted = changes(record.body) if callable(changes) else changes
        body = {**record.body, **wanted, "updated_at": now_iso()}
        record.body = body
        record.name_key = _name_key(record.kind, body.get("name"))
        if parent_id is not _KEEP:
            record.parent_id = parent_id
        try:
            record.save()
            return body
        except PutError as error:
            if not _conditional_failure(error):
                raise
    raise Conflict(f"{record_id} is being changed by another request; try again")


def delete(record_id: str) -> None:
    Record(id=record_id).delete(add_version_condition=False)


def query_kind(kind: str, limit: int | None = None, newest_first: bool = False) -> list[dict]:
    return [r.body for r in Record.by_kind.query(kind, limit=limit, scan_index_forward=not newest_first,
                                                  page_size=QUERY_PAGE)]


def query_project(project_id: str, kind: str) -> list[dict]:
    return [r.body for r in Record.by_project.query(
        project_id, Record.kind_sort.startswith(f"{kind}#"), page_size=QUERY_PAGE)]


def query_parent(parent_id: str, kind: str) -> list[dict]:
    return [r.body for r in Record.by_parent.query(
        parent_id, Record.kind_sort.startswith(f"{kind}#"), page_size=QUERY_PAGE)]


def query_name(kind: str, name: str) -> list[dict]:
    key = _name_key(kind, name)
    if key is None:
        return []
    return [r.body for r in Record.by_name.query(key, page_size=QUERY_PAGE)]


def claim(key: str, owner: str = "") -> bool:
    """Reserve a unique key (e.g. 'revision#<task>#<name>#3'); False when taken.
    DynamoDB has no unique constraints, so uniqueness is a conditional put of a marker."""
    stamp = now_iso()
    marker = Record(id=f"claim#{key}", kind="Claim", created_sort=stamp, kind_sort=f"Claim#{stamp}",
                    body={"owner": owner})
    try:
        marker.save(condition=Record.id.does_not_exist())
        return True
    except PutError as error:
        if _conditional_failure(error):
            return False
        raise


def release(key: str) -> None:
    Record(id=f"claim#{key}").delete(add_version_condition=False)


def _conditional_failure(error: PutError | UpdateError) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"
