"""Zou's generic CRUD over the collections of chalicelib.services.production.collections:
listing with equality filters, get, create, update and delete, with permissions."""
import math

from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import Conflict, Invalid, NotFound
from chalicelib.models import records
from chalicelib.services.files.file_tree import validate_tree
from chalicelib.services.production import collections as c
from chalicelib.services.production import references, tenancy
from chalicelib.services.production.validation import clean_body, parse_filter

RESERVED_PARAMS = ("page", "relations", "fields", "limit")
PAGE_LIMIT = 100


# --- reading single records -------------------------------------------------

def require(kind: str | tuple, record_id: str, label: str | None = None) -> dict:
    """The record, or NotFound naming what was asked for."""
    kinds = (kind,) if isinstance(kind, str) else kind
    body = records.get(record_id)
    if body is None or body.get("type") not in kinds:
        raise NotFound(f"{label or kinds[0]} not found: {record_id}")
    return body


def require_project(project_id: str) -> dict:
    return require("Project", project_id)


def require_entity(entity_id: str) -> dict:
    return require(c.ENTITY_KINDS, entity_id, "Entity")


def serialize(body: dict) -> dict:
    """A record as Zou serves it: hidden fields dropped, aliases filled in."""
    out = dict(body)
    route = c.KIND_TO_ROUTE.get(out.get("type"))
    if route:
        collection = c.COLLECTIONS[route]
        # Zou serializes every column, nulls included; scripts index them directly.
        for name in collection.fields:
            out.setdefault(name, None)
        for hidden in collection.hidden:
            out.pop(hidden, None)
        for secret in collection.secrets:
            out[f"has_{secret}"] = bool(out.pop(secret, None))
    kind = out.get("type")
    if kind == "Person":
        out["full_name"] = f"{out.get('first_name', '')} {out.get('last_name', '')}".strip()
    elif kind == "Shot":
        out["sequence_id"] = out.get("parent_id")
    elif kind == "Sequence":
        out["episode_id"] = out.get("parent_id")
    elif kind == "Asset":
        out["asset_type_id"] = out.get("entity_type_id")
    return out


# --- permissions per collection ---------------------------------------------

def _project_of(collection: c.Collection, body: dict) -> dict | None:
    if collection.kind == "Project":
        return body
    if collection.project_field and body.get(collection.project_field):
        return records.get(body[collection.project_field])
    return None


def serialize_listed(record_ids: list[str]) -> list[dict]:
    """The records a list of ids names (a team, a comment's attachments), in that order,
    read with one BatchGet; ids of deleted records are skipped."""
    found = records.batch_get(record_ids)
    return [serialize(found[i]) for i in record_ids if i in found]


def _check_read(caller: Caller, collection: c.Collection, body: dict) -> None:
    auth.check_record_read(caller, collection.kind, body, _project_of(collection, body))


def check_write(caller: Caller, collection: c.Collection, body: dict) -> None:
    """`body` is the stored record, or a new one (no `id` yet)."""
    new_project = collection.kind == "Project" and "id" not in body
    project = None if collection.studio_wide and not collection.kind == "Project" or new_project \
        else _project_of(collection, body)
    if project is None and not collection.studio_wide:
        raise Invalid(f"Unknown {collection.project_field}: {body.get(collection.project_field)}",
                      {"field": collection.project_field, "id": body.get(collection.project_field)})
    auth.check_record_write(caller, collection.route, project, admin_only=collection.admin_write,
                            new_project=new_project, record=body if "id" in body else None)


# --- listing ------------------------------------------------------------------

def parse_filters(collection: c.Collection, query: dict[str, list[str]]) -> dict:
    filters = {}
    for name, values in query.items():
        if name in RESERVED_PARAMS:
            continue
        if name not in collection.filterable or name in collection.hidden or name in collection.secrets:
            # Refused rather than dropped: gazu's get-or-create takes the first row.
            raise Invalid(f"Cannot filter {collection.route} on '{name}'")
        filters[name] = parse_filter(collection, name, values[-1])
    return filters


def _candidates(caller: Caller, collection: c.Collection, filters: dict) -> list[dict]:
    """Read through the narrowest key or index the filters allow (never a scan); a
    studio-wide collection is read within the caller's studio."""
    if filters.get("id"):
        body = records.get(filters["id"])
        return [body] if body and body.get("type") == collection.kind else []
    if collection.parent_field and filters.get(collection.parent_field):
        return records.query_parent(filters[collection.parent_field], collection.kind)
    if collection.project_field and filters.get(collection.project_field):
        return records.query_project(filters[collection.project_field], collection.kind)
    indexed = records.name_field(collection.kind)
    if isinstance(filters.get(indexed), str):
        return records.query_name(collection.kind, filters[indexed])
    if collection.studio_wide:
        return records.query_studio(caller.studio_id, collection.kind)
    return records.query_kind(collection.kind)


def matches(body: dict, filters: dict) -> bool:
    for name, wanted in filters.items():
        value = serialize(body).get(name) if name in ("sequence_id", "episode_id", "asset_type_id") \
            else body.get(name)
        if name == "name" and isinstance(value, str) and isinstance(wanted, str):
            if value.lower() != wanted.lower():
                return False
        elif value != wanted:
            return False
    return True


def visible(caller: Caller, collection: c.Collection, items: list[dict]) -> list[dict]:
    """Drop what the caller may not see (team membership, vendor assignment)."""
    return auth.visible_records(caller, collection.kind, items, collection.project_field)


def list_records(caller: Caller, collection: c.Collection, query: dict[str, list[str]]):
    filters = parse_filters(collection, query)
    items = [item for item in _candidates(caller, collection, filters) if matches(item, filters)]
    items = [serialize(item) for item in visible(caller, collection, items)]
    items.sort(key=lambda item: item.get("created_at", ""))
    page = query.get("page")
    if not page:
        return items
    return paginate(items, page[-1], (query.get("limit") or [str(PAGE_LIMIT)])[-1])


def paginate(items: list, page_raw: str, limit_raw: str) -> dict:
    try:
        page, limit = int(page_raw), int(limit_raw)
    except ValueError as error:
        raise Invalid("page and limit must be integers") from error
    if page < 1 or not 1 <= limit <= 1000:
        raise Invalid("page must be >= 1 and limit between 1 and 1000")
    offset = (page - 1) * limit
    return {"data": items[offset:offset + limit], "total": len(items),
            "nb_pages": max(1, math.ceil(len(items) / limit)), "limit": limit, "offset": offset, "page": page}


# --- writing ----------------------------------------------------------------

def _unique_key(collection: c.Collection, body: dict) -> str | None:
    if collection.kind == "Person":
        return f"email#{body['email'].strip().lower()}" if body.get("email") else None
    name = (body.get("name") or "").strip().lower()
    if not name:
        return None
    if collection.kind in c.ENTITY_KINDS:
        # Unique under the parent within the project: an asset's parent is its asset type,
        # which every project shares.
        scope = f"{body.get('project_id')}#{body.get(collection.parent_field) or ''}"
        return f"name#{collection.kind}#{scope}#{name}"
    if collection.unique_name:
        # Unique within the studio: another studio's names are none of this one's business.
        studio = tenancy.studio_of_new(collection, body)
        return f"name#{collection.kind}#{studio}#{name}" if studio else f"name#{collection.kind}#{name}"
    return None


def _claim_unique(collection: c.Collection, body: dict, owner: str) -> str | None:
    key = _unique_key(collection, body)
    if key and not records.claim(key, owner):
        what = "email" if collection.kind == "Person" else "name"
        raise Invalid(f"A {collection.kind} with this {what} already exists: {body.get(what)!r}")
    return key


def _check_references(collection: c.Collection, body: dict) -> dict[str, dict]:
    """Every id the record names: an existing record of the right kind, of the record's
    project (or studio, for studio-wide records); else 400 naming the field (one BatchGet)."""
    project_id = body.get(collection.project_field) if collection.project_field else None
    found = records.batch_get([project_id]) if project_id else {}
    if project_id and (project_id not in found or found[project_id].get("type") != "Project"):
        raise Invalid(f"Unknown {collection.project_field}: {project_id}",
                      {"field": collection.project_field, "id": project_id})
    owner = references.Owner(project_id, found[project_id].get("studio_id") if project_id
                             else tenancy.studio_of_new(collection, body))
    named = references.named_ids(collection, body)
    return references.check(owner, collection.kind, named, found, skip_ids=(body.get("id"),))


def prepare_new(collection: c.Collection, body: dict) -> dict:
    """Defaults applied, secrets hashed: the body to store."""
    new = {**collection.defaults, **body}
    if collection.kind == "Person" and new.get("password") is not None:
        auth.check_new_password(new["password"])
        new["password"] = auth.hash_password(new["password"])
    if collection.kind == "Person" and new.get("role") not in auth.ROLES:
        raise Invalid(f"role must be one of {', '.join(auth.ROLES)}")
    return new


def store_new(collection: c.Collection, body: dict) -> dict:
    """Create a checked body, holding its unique name (or email) while it lives."""
    _check_references(collection, body)
    new_id = records.new_id()
    key = _claim_unique(collection, body, new_id)
    try:
        created = records.create(collection.kind, {"id": new_id, **body},
                                 project_id=body.get(collection.project_field) if collection.project_field else None,
                                 parent_id=body.get(collection.parent_field) if collection.parent_field else None,
                                 held_by=holder_of(collection, body))
    except Exception:
        if key:
            records.release(key)
        raise
    return created


def holder_of(collection: c.Collection, body: dict) -> str | None:
    """The record a new one belongs to, which cannot be deleted while it holds it: its
    parent (a shot's sequence, a task's entity, a comment's task), else its project (an
    asset, whose parent is its studio-wide asset type, or a shot outside any sequence)."""
    parent_field = collection.parent_field
    if parent_field and parent_field != "entity_type_id" and body.get(parent_field):
        return body[parent_field]
    return body.get(collection.project_field) if collection.project_field else None


def _check_file_tree(body: dict) -> None:
    # A project's file tree is checked when it is set, not first when a path is rendered.
    if body.get("file_tree"):
        validate_tree(body["file_tree"])


def get_or_create_by_name(collection: c.Collection, name: str, studio_id: str | None,
                          extra: dict | None = None) -> dict:
    """Zou's get_or_create_instance_by_name for a unique-name collection (softwares,
    file statuses) of a studio: the name's claim says who holds it, even before the
    indexes do."""
    key = _unique_key(collection, {"name": name, "studio_id": studio_id})
    for _ in range(3):
        owner = records.claim_owner(key)
        if owner:
            found = records.get(owner)
            if found is not None:
                return found
        try:
            return store_new(collection, prepare_new(collection, {"name": name, **(extra or {}),
                                                                  "studio_id": studio_id}))
        except Invalid:
            continue  # created meanwhile by a concurrent request: read it through its claim
    raise Conflict(f"Could not get or create {collection.kind} {name!r}; try again")


def create_record(caller: Caller, collection: c.Collection, raw_body) -> dict:
    body = prepare_new(collection, clean_body(collection, raw_body, creating=True))
    body = tenancy.place_new(caller, collection, body)
    check_write(caller, collection, body)
    if collection.kind == "Project":
        _check_file_tree(body)
    if collection.kind == "Project":
        body["team"] = auth.with_creator_in_team(caller, body["team"])
    return serialize(store_new(collection, body))


def get_record(caller: Caller, collection: c.Collection, record_id: str) -> dict:
    body = require(collection.kind, record_id)
    _check_read(caller, collection, body)
    return serialize(body)


def update_record(caller: Caller, collection: c.Collection, record_id: str, raw_body) -> dict:
    current = require(collection.kind, record_id)
    self_edit = auth.edits_self(caller, current)
    if not self_edit:
        check_write(caller, collection, current)
    changes = clean_body(collection, raw_body, creating=False)
    if self_edit:
        changes = auth.own_record_changes(caller, changes)
        auth.check_own_credentials(current, raw_body, changes)
    return serialize(update_checked(collection, current, changes))


def update_checked(collection: c.Collection, current: dict, changes: dict) -> dict:
    """Store cleaned `changes` once the caller's permission has been checked."""
    for fixed in (collection.project_field, "studio_id" if collection.studio_wide else None):
        if fixed and changes.get(fixed, current.get(fixed)) != current.get(fixed):
            raise Invalid(f"{fixed} cannot be changed")
    if "role" in changes and changes["role"] not in auth.ROLES:
        raise Invalid(f"role must be one of {', '.join(auth.ROLES)}")
    if collection.kind == "Person":
        changes = _person_changes(current, changes)
    if collection.kind == "Project":
        _check_file_tree(changes)
    _check_references(collection, {**current, **changes})
    return apply_update(collection, current, changes)


def _person_changes(current: dict, changes: dict) -> dict:
    """A new password is hashed; it, a deactivation or a new role ends the person's sessions."""
    changes = dict(changes)
    if changes.get("password", "") is None:
        del changes["password"]  # gazu-style whole-dict PUTs never carry it; null changes nothing
    if "password" in changes:
        auth.check_new_password(changes["password"])
    sessions_end = auth.session_changes(current, changes)
    if "password" in changes:
        changes["password"] = auth.hash_password(changes["password"])
    return {**changes, **sessions_end}


def apply_update(collection: c.Collection, current: dict, changes: dict) -> dict:
    """Store `changes`, moving the unique-name claim and the parent link with them."""
    merged = {**current, **changes}
    old_key, new_key = _unique_key(collection, current), _unique_key(collection, merged)
    if new_key != old_key:
        _claim_unique(collection, merged, current["id"])
    parent = {}
    if collection.parent_field and merged.get(collection.parent_field) != current.get(collection.parent_field):
        parent["parent_id"] = merged.get(collection.parent_field)
        parent["held_by"] = holder_of(collection, merged)
    try:
        updated = records.update(current["id"], changes, expected_kind=collection.kind, **parent)
    except Exception:
        if new_key != old_key and new_key:
            records.release(new_key)
        raise
    if updated is None:
        raise NotFound(f"{collection.kind} not found: {current['id']}")
    if new_key != old_key and old_key:
        records.release(old_key)
    return updated


def release_unique(collection: c.Collection, body: dict) -> None:
    """Free a deleted record's unique name (or email) for others."""
    key = _unique_key(collection, body)
    if key:
        records.release(key)
