"""Log in, refresh, log out, change one's password, who am I: Zou's auth routes as gazu calls them."""
from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.errors import Invalid, NotAuthenticated
from chalicelib.models import records
from chalicelib.services.production import collections as c
from chalicelib.services.production import tenancy
from chalicelib.services.production.data import serialize, update_checked

# Read in place of a person when no account has the e-mail (see _person_by_email).
_NO_ONE = "person#none"


def organisation(studio_id: str | None) -> dict:
    """The caller's studio's organisation (its secrets answered as `has_<name>`)."""
    found = tenancy.organisation_of(studio_id)
    return serialize(found) if found else {"name": "reelbase", "type": "Organisation", "id": None}


def log_in(body: dict) -> dict:
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not email.strip():
        raise Invalid("Missing email")
    if not isinstance(password, str) or not password:
        raise Invalid("Missing password")
    person = _person_by_email(email)
    # The password is checked (and counted) whoever the address belongs to, even an
    # inactive person or nobody: every refusal costs the same and says the same.
    matches = auth.attempt_password(email, (person or {}).get("password"), password)
    if person is None or not person.get("active", True) or not matches:
        raise NotAuthenticated("Wrong email or password")
    tokens = auth.issue_tokens(person)
    return {"user": serialize(person), "organisation": organisation(person.get("studio_id")), "login": True,
            "ldap": False, **tokens}


def _person_by_email(email: str) -> dict | None:
    # The claim on the email holds the person's id: one GetItem, then the person. An
    # unknown address reads a record that never exists instead, so that it costs the
    # same two reads.
    marker = records.get_record(f"claim#email#{email.strip().lower()}")
    person = records.get((marker.body or {}).get("owner") if marker else _NO_ONE)
    return person if person and person.get("type") == "Person" else None


def refresh(authorization: str | None) -> dict:
    """A new access token in the session of the refresh token presented (already
    authenticated by the route), so that logging out later ends it too."""
    claims = auth.token_claims(authorization, auth.REFRESH)
    return {"access_token": auth.issue_access_token(claims["sub"], refresh_id=claims["jti"])}


def log_out(authorization: str | None) -> dict:
    """Zou revokes the access and the refresh token; gazu ignores what this answers."""
    auth.revoke_session(authorization)
    return {"logout": True}


def change_password(caller: Caller, body: dict) -> dict:
    """POST auth/change-password {"old_password", "password", "password_2"} (Zou's body).
    Every token issued before ends; the answer carries a new pair for this client."""
    auth.check_current_password(caller.person, body.get("old_password"))
    password = body.get("password")
    if body.get("password_2") is not None and body.get("password_2") != password:
        raise Invalid("Confirmation password doesn't match.")
    person = update_checked(c.COLLECTIONS["persons"], caller.person, {"password": password})
    return {"success": True, **auth.issue_tokens(person)}


def authenticated(caller: auth.Caller) -> dict:
    return {"authenticated": True, "user": serialize(caller.person), "organisation": organisation(caller.studio_id)}
