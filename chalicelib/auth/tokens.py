"""Proving who is calling: bearer JWTs (access and refresh) and password hashes."""
import datetime
import functools
import uuid

from chalicelib.auth.roles import Caller
from chalicelib.config import settings
from chalicelib.errors import NotAuthenticated
from chalicelib.models import records

_ALGORITHM = "HS256"
EXPIRED_MESSAGE = "Signature has expired"  # gazu refreshes its token on exactly this text


def issue_tokens(person: dict) -> dict:
    return {
        "access_token": _encode(person["id"], "access", datetime.timedelta(minutes=settings().access_token_minutes)),
        "refresh_token": _encode(person["id"], "refresh", datetime.timedelta(days=settings().refresh_token_days)),
    }


def issue_access_token(person_id: str, lifetime: datetime.timedelta | None = None) -> str:
    return _encode(person_id, "access", lifetime or datetime.timedelta(minutes=settings().access_token_minutes))


def _encode(person_id: str, token_type: str, lifetime: datetime.timedelta) -> str:
    import jwt  # PyJWT pulls in cryptography: loaded on first use, not at cold start

    now = datetime.datetime.now(datetime.UTC)
    claims = {"sub": person_id, "type": token_type, "iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4())}
    return jwt.encode(claims, _signing_secret(), algorithm=_ALGORITHM)


def _signing_secret() -> str:
    # In the cloud the secret lives in SSM Parameter Store (SecureString), never in the
    # template or the function's plain environment.
    current = settings()
    if current.jwt_secret_plain:
        return current.jwt_secret_plain
    if not current.jwt_secret_parameter:
        raise RuntimeError("JWT_SECRET or JWT_SECRET_PARAMETER must be set")
    from chalicelib import aws  # boto3 is loaded only when the secret is fetched

    return aws.secure_parameter(current.jwt_secret_parameter)


def person_id_from_header(authorization: str | None, token_type: str = "access") -> str:
    if not authorization:
        raise NotAuthenticated("Missing Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Authorization header must be 'Bearer <token>'")
    import jwt

    try:
        claims = jwt.decode(token.strip(), _signing_secret(), algorithms=[_ALGORITHM],
                            options={"require": ["exp", "sub", "type"]})
    except jwt.ExpiredSignatureError as error:
        raise NotAuthenticated(EXPIRED_MESSAGE) from error
    except jwt.InvalidTokenError as error:
        raise NotAuthenticated(f"Invalid token: {error}") from error
    if claims.get("type") != token_type:
        raise NotAuthenticated(f"A {token_type} token is required")
    return claims["sub"]


def authenticate(authorization: str | None, token_type: str = "access") -> Caller:
    person = records.get(person_id_from_header(authorization, token_type))
    if not person or person.get("type") != "Person" or not person.get("active", True):
        raise NotAuthenticated("Unknown or inactive user")
    return Caller(person)


@functools.lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import Argon2Error, InvalidHashError

    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (Argon2Error, InvalidHashError):
        return False
