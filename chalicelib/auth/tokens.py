"""Proving who is calling: bearer JWTs (access and refresh), their revocation, and passwords.

A login issues a refresh token and an access token that names it (`rti`); refreshing
issues access tokens that name the same refresh token. So a logout, which denies the
access token's id and the refresh token's id, ends the whole session however many
times it was refreshed. A new password, a deactivation or a new role ends every
session at once: the person's `tokens_valid_after` is compared with each token's `iat`,
on the person record every request reads anyway."""
import datetime
import functools
import hashlib
import math
import secrets
import time
import uuid

from chalicelib.auth.roles import Caller
from chalicelib.config import settings
from chalicelib.errors import Invalid, NotAuthenticated, TooManyRequests
from chalicelib.models import sessions

_ALGORITHM = "HS256"
EXPIRED_MESSAGE = "Signature has expired"  # gazu refreshes its token on exactly this text
REVOKED_MESSAGE = "Token has been revoked"  # Zou's words after a logout
ACCESS, REFRESH = "access", "refresh"

MIN_PASSWORD_LENGTH = 8  # Zou's minimum
# Password attempts per account: past the limit in one window, 429 until the window ends.
ATTEMPT_LIMIT = 10
ATTEMPT_WINDOW_SECONDS = 15 * 60
_ATTEMPT_SCOPE = "password"

_MIN_SECRET_LENGTH = 32
# SHA-256 of signing secrets that were once committed to the repository: a stage that
# still holds one refuses to sign or accept anything rather than trust forged tokens.
_PUBLISHED_SECRETS = frozenset({"2a756e7043c58fbbef1a56347556a4747ab1332b51fb7736052fcbd6de22b0b8"})


# --- issuing ---------------------------------------------------------------------------

def issue_tokens(person: dict) -> dict:
    refresh_id = str(uuid.uuid4())
    return {
        "access_token": issue_access_token(person["id"], refresh_id=refresh_id),
        "refresh_token": _encode(person["id"], REFRESH, datetime.timedelta(days=settings().refresh_token_days),
                                 token_id=refresh_id),
    }


def issue_access_token(person_id: str, lifetime: datetime.timedelta | None = None,
                       refresh_id: str | None = None) -> str:
    lifetime = lifetime or datetime.timedelta(minutes=settings().access_token_minutes)
    return _encode(person_id, ACCESS, lifetime, refresh_id=refresh_id)


def _encode(person_id: str, token_type: str, lifetime: datetime.timedelta, token_id: str | None = None,
            refresh_id: str | None = None) -> str:
    import jwt  # PyJWT pulls in cryptography: loaded on first use, not at cold start

    # iat keeps its fraction of a second: a token issued just after a password change
    # must compare as newer than the change, even within the same second.
    now = time.time()
    claims = {"sub": person_id, "type": token_type, "iat": now, "exp": int(now + lifetime.total_seconds()),
              "jti": token_id or str(uuid.uuid4())}
    if refresh_id:
        claims["rti"] = refresh_id
    return jwt.encode(claims, _signing_secret(), algorithm=_ALGORITHM)


def _signing_secret() -> str:
    # In the cloud the secret lives in SSM Parameter Store (SecureString), never in the
    # template or the function's plain environment.
    current = settings()
    if current.jwt_secret_plain:
        secret = current.jwt_secret_plain
    elif current.jwt_secret_parameter:
        from chalicelib import aws  # boto3 is loaded only when the secret is fetched

        secret = aws.secure_parameter(current.jwt_secret_parameter)
    else:
        raise RuntimeError("JWT_SECRET or JWT_SECRET_PARAMETER must be set")
    _check_secret(secret)
    return secret


@functools.lru_cache(maxsize=4)
def _check_secret(secret: str) -> None:
    if len(secret) < _MIN_SECRET_LENGTH or hashlib.sha256(secret.encode()).hexdigest() in _PUBLISHED_SECRETS:
        raise RuntimeError("The JWT signing secret is too short or was published; set a new random one "
                           "(JWT_SECRET locally, the SSM parameter JWT_SECRET_PARAMETER names in the cloud)")


# --- reading ---------------------------------------------------------------------------

def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise NotAuthenticated("Missing Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Authorization header must be 'Bearer <token>'")
    return token.strip()


def token_claims(authorization: str | None, token_type: str | None = ACCESS, verify_exp: bool = True) -> dict:
    """The verified claims of the bearer token (of `token_type`, unless None)."""
    import jwt

    try:
        claims = jwt.decode(_bearer(authorization), _signing_secret(), algorithms=[_ALGORITHM],
                            options={"require": ["exp", "iat", "sub", "type", "jti"], "verify_exp": verify_exp})
    except jwt.ExpiredSignatureError as error:
        raise NotAuthenticated(EXPIRED_MESSAGE) from error
    except jwt.InvalidTokenError as error:
        raise NotAuthenticated(f"Invalid token: {error}") from error
    if token_type and claims.get("type") != token_type:
        raise NotAuthenticated(f"A {token_type} token is required")
    return claims


def person_id_from_header(authorization: str | None, token_type: str = ACCESS) -> str:
    return token_claims(authorization, token_type)["sub"]


def authenticate(authorization: str | None, token_type: str = ACCESS) -> Caller:
    claims = token_claims(authorization, token_type)
    # One BatchGetItem: the person, and the deny-list entries of this token and its session.
    person, revoked = sessions.person_and_revocations(claims["sub"], [claims["jti"], claims.get("rti")])
    if not person or person.get("type") != "Person" or not person.get("active", True):
        raise NotAuthenticated("Unknown or inactive user")
    if revoked or float(claims["iat"]) < float(person.get("tokens_valid_after") or 0):
        raise NotAuthenticated(REVOKED_MESSAGE)
    return Caller(person)


def revoke_session(authorization: str | None) -> bool:
    """Deny the presented token and the session it belongs to (an access token's refresh
    token), each until it would have expired. An expired but genuine access token still
    ends its session. False when no genuine token was presented."""
    try:
        claims = token_claims(authorization, token_type=None, verify_exp=False)
    except NotAuthenticated:
        return False
    sessions.revoke(claims["jti"], claims["sub"], float(claims["exp"]))
    if claims.get("rti"):
        # The refresh token lives at most this long after the access token was made.
        refresh_ends = float(claims["iat"]) + settings().refresh_token_days * 86400
        sessions.revoke(claims["rti"], claims["sub"], refresh_ends)
    return True


def session_changes(current: dict, changes: dict) -> dict:
    """What a change to a person adds when it must end their sessions: a new password,
    a deactivation or a new role makes every token issued before it refused."""
    ends = ("password" in changes
            or (changes.get("active") is False and current.get("active", True))
            or ("role" in changes and changes["role"] != current.get("role")))
    return {"tokens_valid_after": time.time()} if ends else {}


# --- passwords ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


@functools.lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    # Verified when there is no account (or no password): a wrong email then costs what
    # a wrong password costs, and timing does not tell which addresses have accounts.
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_new_password(password) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"A password needs at least {MIN_PASSWORD_LENGTH} characters")


def password_matches(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import Argon2Error, InvalidHashError

    try:
        return _hasher().verify(password_hash or _stand_in_hash(), password) and bool(password_hash)
    except (Argon2Error, InvalidHashError):
        return False


def attempt_password(account: str, password_hash: str | None, password: str) -> bool:
    """Whether `password` is right, counted against the account (its e-mail address,
    whether or not an account has it): past ATTEMPT_LIMIT attempts in a window, every
    attempt is refused with 429 until the window ends, the right password included."""
    key = account.strip().lower()
    attempt = sessions.count_attempt(_ATTEMPT_SCOPE, key, ATTEMPT_WINDOW_SECONDS)
    if attempt.number > ATTEMPT_LIMIT:
        wait = max(1, math.ceil(attempt.window_ends - time.time()))
        raise TooManyRequests(f"Too many failed password attempts; try again in {wait} seconds", retry_after=wait)
    matches = password_matches(password_hash, password)
    if matches:
        sessions.clear_attempts(_ATTEMPT_SCOPE, key)
    return matches


def check_current_password(person: dict, password) -> None:
    """A person proving it is them before changing their password or e-mail (400 if wrong)."""
    if not isinstance(password, str) or not password:
        raise Invalid("Give your current password to change your password or e-mail")
    if not attempt_password(person.get("email") or person["id"], person.get("password"), password):
        raise Invalid("The current password is wrong")


def check_own_credentials(current: dict, raw_body: dict, changes: dict) -> None:
    """A person editing their own record gives `current_password` to change their
    password or e-mail: a borrowed session cannot take the account over."""
    new_email = changes.get("email")
    email_changes = isinstance(new_email, str) and new_email.strip().lower() != (current.get("email") or "").lower()
    if "password" in changes or email_changes:
        check_current_password(current, raw_body.get("current_password"))

