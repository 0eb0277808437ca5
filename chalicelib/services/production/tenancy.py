"""Studios are tenants: where a new record belongs, and the one organisation of a studio.

A studio-wide record (task type, status, person, project, ...) joins its creator's
studio; a record of a project belongs to that project, named in the body or taken from
the record it hangs on. A studio is its own tenant: its creator (an admin) may add its
first people, after which only its own admins manage it."""
from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import Invalid
from chalicelib.models import records
from chalicelib.services.production import collections as c

# A record of a project created without naming its project takes the one of the record
# it hangs on (Zou fills a comment's project from its task).
_PROJECT_FROM = {"Comment": "object_id", "AssetInstance": "asset_id"}


def studio_of_new(collection: c.Collection, body: dict) -> str | None:
    """The studio a studio-wide record being written belongs to (None for a studio: it is
    its own, and its name is unique among all of them)."""
    if collection.kind == "Studio":
        return None
    return body.get("studio_id")


def place_new(caller: Caller, collection: c.Collection, body: dict) -> dict:
    """`body` with its tenant set: the caller's studio, the studio a person is created in,
    or the project of what the record hangs on."""
    if not collection.studio_wide:
        return _with_project(collection, body)
    if collection.kind == "Studio":
        return {**body, "created_by": caller.id}
    if collection.kind == "Person":
        studio_id = body.get("studio_id") or caller.studio_id
        if studio_id != caller.studio_id:
            _check_founding(caller, studio_id)
        return {**body, "studio_id": studio_id}
    return {**body, "studio_id": caller.studio_id}


def _with_project(collection: c.Collection, body: dict) -> dict:
    field = collection.project_field
    source = _PROJECT_FROM.get(collection.kind)
    if body.get(field) or not source or not body.get(source):
        return body
    parent = records.get(body[source])
    if parent is None or not parent.get("project_id"):
        raise Invalid(f"Unknown {source}: {body[source]}", {"field": source, "id": body[source]})
    return {**body, field: parent["project_id"]}


def _check_founding(caller: Caller, studio_id: str) -> None:
    studio = records.get(studio_id)
    if studio is None or studio.get("type") != "Studio":
        raise Invalid(f"Unknown studio_id: {studio_id}", {"field": "studio_id", "id": studio_id})
    has_people = bool(records.query_studio(studio_id, "Person", limit=1))
    auth.check_founding_person(caller, studio, has_people)


def check_studio_is_empty(studio_id: str) -> None:
    """A studio is deleted once nothing is left in it (its people and projects first)."""
    for kind in ("Person", "Project"):
        if records.query_studio(studio_id, kind, limit=1):
            raise Invalid(f"This studio still has {kind.lower()}s; delete them first")


def organisation_of(studio_id: str | None) -> dict | None:
    """A studio's organisation (its settings), one Query."""
    found = records.query_studio(studio_id, "Organisation", limit=1)
    return found[0] if found else None
