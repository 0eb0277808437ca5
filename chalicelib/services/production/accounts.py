"""Log in, refresh, who am I: Zou's auth routes as gazu calls them."""
from chalicelib import auth
from chalicelib.errors import Invalid, NotAuthenticated
from chalicelib.models import records
from chalicelib.services.production import tenancy
from chalicelib.services.production.data import serialize


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
    if person is None or not person.get("active", True) or not auth.password_matches(person.get("password"), password):
        raise NotAuthenticated("Wrong email or password")
    tokens = auth.issue_tokens(person)
    return {"user": serialize(person), "organisation": organisation(person.get("studio_id")), "login": True,
            "ldap": False, **tokens}


def _person_by_email(email: str) -> dict | None:
    # The claim on the email holds the person's id: one GetItem, then the person.
    marker = records.get_record(f"claim#email#{email.strip().lower()}")
    if marker is None:
        return None
    return records.get(marker.body.get("owner"))


def refresh(person_id: str) -> dict:
    return {"access_token": auth.issue_access_token(person_id)}


def authenticated(caller: auth.Caller) -> dict:
    return {"authenticated": True, "user": serialize(caller.person), "organisation": organisation(caller.studio_id)}
