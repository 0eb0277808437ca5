"""Zype API keys of a studio (its publishing site): an `api_key` reads and writes, an
`app_key` (bundled in apps, so public in practice) only reads. The studio's admins
issue and revoke them (never another studio's); the secret is shown once, at issue, and only its SHA-256 is stored."""
import secrets
import uuid

from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records
from chalicelib.models import zype as table
from chalicelib.services.zype.values import now_stamp


def issue_key(caller: Caller, studio_id: str, body: dict) -> dict:
    auth.check_admin(caller, _require_studio(studio_id))
    kind = body.get("kind", "api_key")
    if kind not in auth.ZYPE_KEY_KINDS:
        raise Invalid(f"kind must be one of {', '.join(auth.ZYPE_KEY_KINDS)}, got {kind!r}")
    name = body.get("name") or ""
    if not isinstance(name, str):
        raise Invalid("name must be a string")
    secret = secrets.token_urlsafe(32)
    key = {"id": str(uuid.uuid4()), "kind": kind, "name": name, "site_id": studio_id, "prefix": secret[:6],
           "created_at": now_stamp(), "created_by": caller.id}
    table.put_key(studio_id, table.key_digest(secret), key)
    return {**key, "key": secret}


def list_keys(caller: Caller, studio_id: str) -> list[dict]:
    auth.check_admin(caller, _require_studio(studio_id))
    return [item.body for item in table.query_site(studio_id, table.KEY)]


def revoke_key(caller: Caller, studio_id: str, key_id: str) -> None:
    auth.check_admin(caller, _require_studio(studio_id))
    for item in table.query_site(studio_id, table.KEY):
        if item.body["id"] == key_id:
            table.delete(item)
            return
    raise NotFound(f"Zype key not found: {key_id}")


def _require_studio(studio_id: str) -> dict:
    studio = records.get(studio_id)
    if studio is None or studio.get("type") != "Studio":
        raise NotFound(f"Studio not found: {studio_id}")
    return studio
