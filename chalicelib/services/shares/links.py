"""Share links, as a manager of the project makes, lists, revokes and emails them, and
the check every guest request starts with (`validate`).

A link is its token: at least 128 bits from `secrets` (Zou's is a uuid4, 122 bits). It
works until it is revoked or its expiration day ends; a password, when it has one, is
stored as an Argon2 hash (the accounts' hasher) and counted against the link like a
login (10 wrong in 15 minutes, then 429)."""
import datetime
import secrets

from chalicelib import auth, emails
from chalicelib.auth import Caller
from chalicelib.auth import tokens as auth_tokens
from chalicelib.config import settings
from chalicelib.errors import Invalid, NotFound
from chalicelib.models import records, shares
from chalicelib.services.production import data

TOKEN_BYTES = 24  # 192 bits; URL-safe base64 makes 32 characters
NOT_FOUND = "Share link not found"
MAX_INVITES = 50


def serialize(link: dict) -> dict:
    """Zou's share link: every column but the password, and `has_password` instead."""
    out = {key: value for key, value in link.items() if key != "password"}
    out["has_password"] = bool(link.get("password"))
    return out


def expiration_of(value) -> str | None:
    """A date names its whole day (the link works on that day, Zou's rule); a timestamp
    is kept as given. Stored as naive UTC ISO text, as Zou serializes it."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise Invalid("expiration_date must be an ISO 8601 date")
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time.max).isoformat()
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value} is not a valid ISO 8601 date") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.isoformat()


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise Invalid("can_comment must be a boolean")


def _managed_playlist(caller: Caller, playlist_id: str) -> tuple[dict, dict]:
    playlist = data.require("Playlist", playlist_id)
    project = data.require_project(playlist["project_id"])
    auth.check_playlist_manage(caller, project)
    return playlist, project


def list_links(caller: Caller, playlist_id: str) -> list[dict]:
    _managed_playlist(caller, playlist_id)
    return [serialize(link) for link in shares.of_playlist(playlist_id) if link.get("is_active", True)]


def create_link(caller: Caller, playlist_id: str, body: dict) -> dict:
    playlist, project = _managed_playlist(caller, playlist_id)
    return serialize(new_link(playlist, caller.id, body))


def new_link(playlist: dict, person_id: str | None, body: dict) -> dict:
    """A new link on `playlist` (also made by the build and notify emails)."""
    password = body.get("password")
    if password is not None and not isinstance(password, str):
        raise Invalid("password must be a string")
    link = {
        "id": records.new_id(),
        "token": secrets.token_urlsafe(TOKEN_BYTES),
        "playlist_id": playlist["id"],
        "created_by": person_id,
        "expiration_date": expiration_of(body.get("expiration_date")),
        "is_active": True,
        "can_comment": _flag(body.get("can_comment"), True),
        "password": auth_tokens.hash_password(password) if password else None,
    }
    return shares.create(link, playlist["project_id"])


def _link_of(playlist_id: str, token: str) -> dict:
    link = shares.by_token(token)
    # A token of another playlist is not found here, whoever manages that one.
    if link is None or link["playlist_id"] != playlist_id:
        raise NotFound(NOT_FOUND)
    return link


def revoke_link(caller: Caller, playlist_id: str, token: str) -> dict:
    _managed_playlist(caller, playlist_id)
    _link_of(playlist_id, token)
    return serialize(shares.deactivate(token))


def invite(caller: Caller, playlist_id: str, token: str, body: dict) -> dict:
    """Email the link to addresses and to people of the playlist's studio; {"sent": [addresses]}."""
    playlist, project = _managed_playlist(caller, playlist_id)
    link = _link_of(playlist_id, token)
    addresses = body.get("emails") or []
    person_ids = body.get("person_ids") or []
    message = body.get("message") or ""
    if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
        raise Invalid("emails must be a list of addresses")
    if not isinstance(person_ids, list) or not all(isinstance(p, str) for p in person_ids):
        raise Invalid("person_ids must be a list of ids")
    if not isinstance(message, str):
        raise Invalid("message must be a string")
    for address in addresses:
        if "@" not in address.strip()[1:-1] or " " in address.strip():
            raise Invalid(f"Email is not valid: {address}")
    people = records.batch_get(person_ids)
    recipients = [a.strip() for a in addresses]
    for person_id in person_ids:
        person = people.get(person_id)
        if person and person.get("type") == "Person" and person.get("email") \
                and person.get("studio_id") == project.get("studio_id"):
            recipients.append(person["email"])
    recipients = list(dict.fromkeys(recipients))
    if len(recipients) > MAX_INVITES:
        raise Invalid(f"At most {MAX_INVITES} recipients at once")
    url = review_url(link["token"])
    paragraphs = [f"{caller.person.get('first_name', '')} {caller.person.get('last_name', '')}".strip()
                  + f" invites you to review the playlist {playlist['name']} of {project['name']}."]
    if message.strip():
        paragraphs.append(message.strip())
    if link.get("expiration_date"):
        paragraphs.append(f"The link works until {link['expiration_date'][:10]}.")
    for address in recipients:
        emails.send(address, f"[Kitsu] Review the playlist {playlist['name']}", paragraphs,
                    [("Open the review page", url)])
    # Zou 1.0.94 answers the addresses it wrote to.
    return {"sent": recipients}


def review_url(token: str) -> str:
    """The review page of a link, on the public API host when it is known."""
    base = settings().public_api_url.rstrip("/")
    if base.endswith("/api"):
        base = base[: -len("/api")]
    return f"{base}/review/{token}"


# --- the guest side ---------------------------------------------------------------------

def _expired(link: dict) -> bool:
    ends = link.get("expiration_date")
    if not ends:
        return False
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None) > datetime.datetime.fromisoformat(ends)


def validate(token: str, password: str | None) -> dict:
    """The active, unexpired link of `token`, its password checked (throttled); NotFound
    otherwise, whichever the reason, as Zou answers."""
    link = shares.by_token(token) if isinstance(token, str) and 16 <= len(token) <= 128 else None
    if link is None or not link.get("is_active", True) or _expired(link):
        raise NotFound(NOT_FOUND)
    if link.get("password"):
        if not password:
            raise NotFound(NOT_FOUND, {"password_required": True})
        if not auth_tokens.attempt_password(f"share-link#{link['id']}", link["password"], password):
            raise NotFound(NOT_FOUND, {"password_required": True})
    return link
