"""Who calls the publishing (Zype) API and whether they may write: Zype's per-studio
keys, or our bearer tokens for the studio's people."""
from dataclasses import dataclass

from chalicelib.auth.permissions import block_vendor
from chalicelib.auth.tokens import authenticate
from chalicelib.errors import Forbidden, NotAuthenticated
from chalicelib.models import zype as zype_models

# Curating what the studio publishes is a production decision: admins and managers.
ZYPE_WRITER_ROLES = ("admin", "manager")
ZYPE_KEY_KINDS = ("api_key", "app_key")  # read-write, read-only


@dataclass(frozen=True)
class ZypeCaller:
    """A caller of the publishing (Zype) API: the site (studio) it acts on and whether
    it may write. `via` says which credential it presented."""
    site_id: str
    can_write: bool
    via: str  # "bearer", "api_key" or "app_key"
    person_id: str | None = None


def authenticate_zype(authorization: str | None, api_key: str | None, app_key: str | None) -> ZypeCaller:
    """Zype's query-parameter keys (issued per studio, see services/zype/keys.py) or our
    bearer tokens. A key only counts under its own name: an app_key, bundled in apps,
    cannot be promoted to read-write by sending it as api_key."""
    for presented, kind in ((api_key, "api_key"), (app_key, "app_key")):
        if presented:
            key = zype_models.find_key(presented)
            if key is None or key.get("kind") != kind:
                raise NotAuthenticated(f"Invalid {kind}")
            return ZypeCaller(site_id=key["site_id"], can_write=kind == "api_key", via=kind)
    if not authorization:
        raise NotAuthenticated("No API key provided: pass api_key, app_key or an Authorization bearer token")
    caller = authenticate(authorization)
    block_vendor(caller)
    studio_id = caller.person.get("studio_id")
    if not studio_id:
        raise Forbidden("Your account belongs to no studio, so it has no publishing site")
    return ZypeCaller(site_id=studio_id, can_write=caller.role in ZYPE_WRITER_ROLES, via="bearer",
                      person_id=caller.id)


def check_zype_write(caller: ZypeCaller) -> None:
    if caller.can_write:
        return
    if caller.via == "app_key":
        raise Forbidden("An app_key is read-only: it may not create or modify resources")
    raise Forbidden("Only admins and managers may change published content")
