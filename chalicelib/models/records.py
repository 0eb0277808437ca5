"""One table holds the production records (projects, shots, tasks, comments, ...),
each as its Zou-shaped JSON body plus the few attributes its indexes need.

Every read is a GetItem, a BatchGet or a Query on one of five indexes; see README.md
beside this file for the access patterns."""
import datetime
import hashlib
import json
import random
import time
import uuid

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict, NotFound, TooLarge
from chalicelib.models import transactions
from chalicelib.models.indexes import string_index

# One page of an index query; list routes page on top of this.
QUERY_PAGE = 500
_BACKOFF_SECONDS = 0.005
# DynamoDB refuses an item over 400 KB (a 500 if left to it); the index attributes and
# attribute names take a little, so the JSON body must stay below this.
MAX_BODY_BYTES = 390 * 1024  # first retry after an optimistic-lock conflict waits up to this


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
    studio_id = UnicodeAttribute(null=True)  # the tenant of studio-wide records and projects
    name_key = UnicodeAttribute(null=True)
    body = JSONAttribute()
    version = VersionAttribute()
    # The table's TTL attribute: set only on what expires by itself (models/sessions.py).
    expires_at = TTLAttribute(null=True)
    # Holding, beside the body so that body writes never touch it: the record this one
    # belongs to, how many records belong to this one, and since when a forced delete has
    # been removing them (nothing may be added to it meanwhile).
    held_by = UnicodeAttribute(null=True)
    children = NumberAttribute(null=True)
    deleting = UnicodeAttribute(null=True)

    by_kind = string_index("by_kind", "kind", "created_sort")
    by_project = string_index("by_project", "project_id", "kind_sort")
    by_parent = string_index("by_parent", "parent_id", "kind_sort")
    by_name = string_index("by_name", "name_key", "created_sort")
    by_studio = string_index("by_studio", "studio_id", "kind_sort")


class Holding(Model):
    """A record's holding attributes alone: written through this model, a counter or a
    deleting mark changes without touching the record's body or version."""

    class Meta:
        table_name = "records"  # replaced by chalicelib.models.configure()
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    id = UnicodeAttribute(hash_key=True)
    children = NumberAttribute(null=True)
    deleting = UnicodeAttribute(null=True)


def now_iso() -> str:
    # Microseconds and a fixed width so that timestamps sort as strings (gazu compares them).
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def new_id() -> str:
    return str(uuid.uuid4())


# The body field the by_name index holds, per kind. Files are looked up by path
# (gazu's `output-files?path=`); their names ("main") are shared by thousands.
NAME_FIELD_BY_KIND = {"WorkingFile": "path", "OutputFile": "path"}
# A GSI key holds at most 2,048 bytes; longer values (deep custom file trees) are hashed.
_MAX_NAME_KEY_BYTES = 1024


def name_field(kind: str) -> str:
    return NAME_FIELD_BY_KIND.get(kind, "name")


def _name_key(kind: str, name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    key = f"{kind}#{name.strip().lower()}"
    if len(key.encode()) > _MAX_NAME_KEY_BYTES:
        key = f"{kind}#sha256:{hashlib.sha256(name.strip().lower().encode()).hexdigest()}"
    return key


# The by_studio key of records that belong to no studio (made before studios were
# tenants, or by a studio-less admin): they form one tenant of their own.
NO_STUDIO = "-"


def _studio_key(kind: str, body: dict) -> str | None:
    """Studio-wide records and projects carry `studio_id` (a studio is its own tenant);
    records of a project are reached through it and are not indexed by studio."""
    if kind == "Studio":
        return body["id"]
    if "studio_id" in body:
        return body["studio_id"] or NO_STUDIO
    return None


def check_item_size(body: dict) -> None:
    """TooLarge naming the biggest field when `body` would not fit in one DynamoDB item."""
    size = len(json.dumps(body, default=str).encode("utf-8"))
    if size <= MAX_BODY_BYTES:
        return
    sizes = {key: len(json.dumps(value, default=str).encode("utf-8")) for key, value in body.items()}
    field = max(sizes, key=sizes.get)
    message = (f"The record would take {size} bytes, over the {MAX_BODY_BYTES} a record can hold "
               f"(DynamoDB's 400 KB item limit); field '{field}' holds {sizes[field]} bytes")
    raise TooLarge(message, {"errors": [{"field": field, "message": message}]})


def _to_record(kind: str, body: dict, project_id: str | None, parent_id: str | None) -> Record:
    check_item_size(body)
    created_sort = created_sort_of(body)
    return Record(
        id=body["id"],
        kind=kind,
        created_sort=created_sort,
        kind_sort=f"{kind}#{created_sort}",
        project_id=project_id,
        parent_id=parent_id,
        studio_id=_studio_key(kind, body),
        name_key=_name_key(kind, body.get(name_field(kind))),
        body=body,
    )


def create(kind: str, body: dict, project_id: str | None = None, parent_id: str | None = None,
           held_by: str | None = None) -> dict:
    """Store a new record; `body` gets id, type and timestamps when missing. With `held_by`,
    the record belongs to that one: both are written in one transaction, which fails
    (NotFound) when the holder is gone or being deleted, so nothing is left orphaned."""
    stamp = now_iso()
    body = {"id": new_id(), **body, "type": kind}
    body.setdefault("created_at", stamp)
    body["updated_at"] = body.get("updated_at") or body["created_at"]
    record = _to_record(kind, body, project_id, parent_id)
    if held_by:
        record.held_by = held_by
        _create_held(record)
        return body
    try:
        record.save(condition=Record.id.does_not_exist())
    except PutError as error:
        if conditional_failure(error):
            raise Conflict(f"A {kind} with id {body['id']} already exists") from error
        raise
    return body


def _create_held(record: Record) -> None:
    project_id = record.project_id if record.project_id != record.held_by else None

    def stage(transaction: TransactWrite) -> None:
        transaction.save(record, condition=Record.id.does_not_exist())
        _stage_count(transaction, record.held_by, 1)
        if project_id:
            # A project being deleted takes nothing new, however deep.
            transaction.condition_check(Holding, project_id, condition=_open())

    failed = transactions.run(stage)
    if failed == record.id:
        raise Conflict(f"A {record.kind} with id {record.id} already exists")
    if failed is not None:
        raise NotFound(f"{failed}, which the new {record.kind} would belong to, was deleted or is being deleted")


def _open():
    return Holding.id.exists() & Holding.deleting.does_not_exist()


def _stage_count(transaction: TransactWrite, holder_id: str, change: int) -> None:
    """Count a record more (or less) in its holder, which must exist, and not be being
    deleted to take a new one."""
    condition = _open() if change > 0 else Holding.id.exists()
    transaction.update(Holding(id=holder_id), actions=[Holding.children.add(change)], condition=condition)


def get(record_id: str) -> dict | None:
    record = get_record(record_id)
    return record.body if record else None


def get_record(record_id: str, consistent: bool = False) -> Record | None:
    try:
        return Record.get(record_id, consistent_read=consistent)
    except DoesNotExist:
        return None


def batch_get(record_ids) -> dict[str, dict]:
    """Bodies by id for every id that exists (one BatchGet call per 100 ids)."""
    wanted = list(dict.fromkeys(i for i in record_ids if i))
    if not wanted:
        return {}
    return {record.id: record.body for record in Record.batch_get(wanted)}


_KEEP = object()


def update(record_id: str, changes, expected_kind: str | None = None, parent_id=_KEEP, held_by=_KEEP,
           attempts: int = 8) -> dict | None:
    """Merge `changes` into a record's body; a concurrent writer makes us re-read and
    re-apply (optimistic lock on `version`) instead of losing either write. `changes`
    may be a function of the current body, for values derived from it (lists, counters)."""
    decide = changes if callable(changes) else (lambda body: changes)
    body, _ = transition(record_id, decide, expected_kind=expected_kind, parent_id=parent_id, held_by=held_by,
                         attempts=attempts)
    return body


def transition(record_id: str, decide, expected_kind: str | None = None, parent_id=_KEEP, held_by=_KEEP,
               attempts: int = 8) -> tuple[dict | None, bool]:
    """A compare-and-set: `decide(body)` returns the changes to merge, or None to leave the
    record as it is. Returns (the body now stored, whether this call changed it); the body
    is None when the record does not exist. The write is conditional on the version that
    `decide` saw, so two callers racing for one state change cannot both make it (this
    is how a duplicated event finds its work already claimed). It sets only the body and
    its index keys: the holding attributes beside them are left as they are. A new
    `held_by` moves the record to another holder (NotFound if that one is gone)."""
    for attempt in range(attempts):
        if attempt:
            # Jittered backoff: writers that all lost to the same winner spread out
            # instead of colliding again on their next try.
            time.sleep(random.uniform(0, _BACKOFF_SECONDS * 2 ** min(attempt, 5)))
        record = get_record(record_id)
        if record is None or (expected_kind and record.kind != expected_kind):
            return None, False
        wanted = decide(record.body)
        if wanted is None:
            return record.body, False
        body = {**record.body, **wanted, "updated_at": now_iso()}
        check_item_size(body)
        actions = [Record.body.set(body), _set_or_remove(Record.name_key, _name_key(record.kind, body.get(
            name_field(record.kind))))]
        if parent_id is not _KEEP:
            actions.append(_set_or_remove(Record.parent_id, parent_id))
        if held_by is not _KEEP and held_by != record.held_by:
            if _move(record, actions, held_by):
                return body, True
            continue
        try:
            record.update(actions=actions)
            return body, True
        except UpdateError as error:
            if not conditional_failure(error):
                raise
    raise Conflict(f"{record_id} is being changed by another request; try again")


def _set_or_remove(attribute, value):
    return attribute.set(value) if value is not None else attribute.remove()


def _move(record: Record, actions: list, held_by: str | None) -> bool:
    """Apply `actions` and move the record from its holder to `held_by`, in one
    transaction; False when the record changed meanwhile."""
    old_holder = record.held_by

    def stage(transaction: TransactWrite) -> None:
        transaction.update(record, actions=[*actions, _set_or_remove(Record.held_by, held_by)])
        if held_by:
            _stage_count(transaction, held_by, 1)
        if old_holder:
            _stage_count(transaction, old_holder, -1)

    failed = transactions.run(stage)
    if failed is not None and failed == held_by:
        raise NotFound(f"{held_by} was deleted or is being deleted")
    if failed is not None and failed == old_holder:
        # The old holder is gone: nothing to count down.
        record.held_by = None
        return _move(record, actions, held_by)
    return failed is None


def delete(record_id: str, only_if_empty: bool = False) -> bool:
    """Delete a record; the record holding it counts one less, in the same transaction.
    With `only_if_empty`, only if nothing belongs to it and no forced delete is under way
    (the condition and the holders' counters make this exact, whatever the indexes say
    yet): False when something does."""
    record = get_record(record_id, consistent=True)
    if record is None:
        return not only_if_empty
    condition = Record.id.exists()
    if only_if_empty:
        condition &= (Record.children.does_not_exist() | (Record.children <= 0)) & Record.deleting.does_not_exist()
    holder = record.held_by

    def stage(transaction: TransactWrite) -> None:
        transaction.delete(Record(id=record_id), condition=condition, add_version_condition=False)
        if holder:
            _stage_count(transaction, holder, -1)

    failed = transactions.run(stage)
    if failed is not None and failed == holder:
        # Its holder went first (a forced delete removes holders last, so this is a
        # record left from an earlier one): delete it alone.
        holder = None
        failed = transactions.run(stage)
    return failed is None


def query_kind(kind: str, limit: int | None = None, newest_first: bool = False) -> list[dict]:
    return [r.body for r in Record.by_kind.query(kind, limit=limit, scan_index_forward=not newest_first,
                                                  page_size=QUERY_PAGE)]


def query_kind_page(kind: str, limit: int, before: str | None = None) -> list[dict]:
    """Newest first, at most `limit`, created strictly before the `created_sort` value `before`
    (cursor pagination over a collection)."""
    condition = Record.created_sort < before if before else None
    return [r.body for r in Record.by_kind.query(kind, condition, scan_index_forward=False, limit=limit,
                                                  page_size=min(limit, QUERY_PAGE))]


def created_sort_of(body: dict) -> str:
    """The `created_sort` key of a stored body (what cursors compare)."""
    return f"{body['created_at']}#{body['id']}"


def query_project(project_id: str, kind: str) -> list[dict]:
    return [r.body for r in Record.by_project.query(
        project_id, Record.kind_sort.startswith(f"{kind}#"), page_size=QUERY_PAGE)]


def query_parent(parent_id: str, kind: str) -> list[dict]:
    return [r.body for r in Record.by_parent.query(
        parent_id, Record.kind_sort.startswith(f"{kind}#"), page_size=QUERY_PAGE)]


def under_parent(parent_id: str, kind: str | None = None) -> list[Record]:
    """The records whose parent is `parent_id` (of one kind, or all), holding attributes included."""
    condition = Record.kind_sort.startswith(f"{kind}#") if kind else None
    return list(Record.by_parent.query(parent_id, condition, page_size=QUERY_PAGE))


def in_project(project_id: str) -> list[Record]:
    """Every record of a project, whatever its kind."""
    return list(Record.by_project.query(project_id, page_size=QUERY_PAGE))


def query_studio(studio_id: str | None, kind: str, limit: int | None = None) -> list[dict]:
    """A studio's records of one kind (task types, people, projects, its organisation)."""
    return [r.body for r in Record.by_studio.query(
        studio_id or NO_STUDIO, Record.kind_sort.startswith(f"{kind}#"), limit=limit,
        page_size=min(limit or QUERY_PAGE, QUERY_PAGE))]


def query_name(kind: str, name: str) -> list[dict]:
    """Records whose indexed name (see NAME_FIELD_BY_KIND) matches, case-insensitively."""
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
        if conditional_failure(error):
            return False
        raise


def claim_owner(key: str) -> str | None:
    """Who holds a unique key (a strongly consistent read, unlike the indexes)."""
    marker = get_record(f"claim#{key}")
    return marker.body.get("owner") if marker else None


def release(key: str) -> None:
    Record(id=f"claim#{key}").delete(add_version_condition=False)


def conditional_failure(error: PutError | UpdateError | DeleteError) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"
