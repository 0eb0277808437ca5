"""Who is calling (bearer JWTs) and what they may do (Zou's studio roles).

Every permission check of the product lives here, so that routes share one reading
of Zou's rules: project access means admin or a member of the project's team;
vendors only see what they are assigned to; clients only what is meant for clients."""
import datetime
import functools
import uuid
from dataclasses import dataclass

from chalicelib.config import settings
from chalicelib.errors import Forbidden, NotAuthenticated
from chalicelib.models import records
from chalicelib.models import zype as zype_models

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
_ALGORITHM = "HS256"
EXPIRED_MESSAGE = "Signature has expired"  # gazu refreshes its token on exactly this text


@dataclass(frozen=True)
class Caller:
    person: dict

    @property
    def id(self) -> str:
        return self.person["id"]

    @property
    def role(self) -> str:
        return self.person.get("role", "user")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class ZypeCaller:
    """A caller of the publishing (Zype) API: the site (studio) it acts on and whether
    it may write. `via` says which credential it presented."""
    site_id: str
    can_write: bool
    via: str  # "bearer", "api_key" or "app_key"
    person_id: str | None = None


# --- tokens -----------------------------------------------------------------

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
    return jwt.encode(claims, settings().jwt_secret, algorithm=_ALGORITHM)


def person_id_from_header(authorization: str | None, token_type: str = "access") -> str:
    if not authorization:
        raise NotAuthenticated("Missing Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Authorization header must be 'Bearer <token>'")
    import jwt

    try:
        claims = jwt.decode(token.strip(), settings().jwt_secret, algorithms=[_ALGORITHM],
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


# --- permissions ------------------------------------------------------------

def in_team(caller: Caller, project: dict) -> bool:
    return caller.id in (project.get("team") or [])


def has_project_access(caller: Caller, project: dict) -> bool:
    return caller.is_admin or in_team(caller, project)


def check_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise Forbidden("Only an admin may do this")


def check_project_access(caller: Caller, project: dict) -> None:
    if not has_project_access(caller, project):
        raise Forbidden("You are not a member of this project's team")


def check_manager_project_access(caller: Caller, project: dict) -> None:
    if caller.is_admin:
        return
    if caller.role != "manager" or not in_team(caller, project):
        raise Forbidden("A manager of this project is required")


def check_supervisor_project_access(caller: Caller, project: dict) -> None:
    if caller.is_admin:
        return
    if caller.role not in ("manager", "supervisor") or not in_team(caller, project):
        raise Forbidden("A manager or supervisor of this project is required")


def block_vendor(caller: Caller) -> None:
    if caller.role == "vendor":
        raise Forbidden("Vendors have no access to this resource")


def is_assigned(caller: Caller, task: dict) -> bool:
    return caller.id in (task.get("assignees") or [])


def check_task_access(caller: Caller, task: dict, project: dict) -> None:
    """Project access, and a vendor must be assigned to the task."""
    check_project_access(caller, project)
    if caller.role == "vendor" and not is_assigned(caller, task):
        raise Forbidden("Vendors only see the tasks they are assigned to")


def check_entity_access(caller: Caller, entity: dict, project: dict) -> None:
    """Project access, and a vendor must be assigned to one of the entity's tasks."""
    check_project_access(caller, project)
    if caller.role == "vendor":
        tasks = records.query_parent(entity["id"], "Task")
        if not any(is_assigned(caller, task) for task in tasks):
            raise Forbidden("Vendors only see the entities they have a task on")


def check_task_action_access(caller: Caller, task: dict, project: dict, task_type: dict | None = None,
                             entity: dict | None = None) -> None:
    """Zou: an admin; a team manager or client; an assignee; a team supervisor with no
    departments or in the task type's department; or the entity's creator."""
    if caller.is_admin:
        return
    if in_team(caller, project):
        if caller.role in ("manager", "client") or is_assigned(caller, task):
            return
        if caller.role == "supervisor":
            departments = caller.person.get("departments") or []
            if not departments or (task_type and task_type.get("department_id") in departments):
                return
        if entity and entity.get("created_by") == caller.id:
            return
    raise Forbidden("You may not act on this task")


def check_output_file_content_access(caller: Caller, output_file: dict, project: dict) -> None:
    """Uploading an output file's content: its author or a manager, within the team.
    (Zou has no such route; reading and creating only need project access, so this
    keeps clients and other artists from overwriting a publish.)"""
    if caller.is_admin:
        return
    if in_team(caller, project) and (caller.role == "manager" or output_file.get("person_id") == caller.id):
        return
    raise Forbidden("Only the author of this output file or a manager of the project may upload its content")


def check_task_status_access(caller: Caller, status: dict) -> None:
    """Artists and vendors may only set statuses open to artists, clients those open to clients."""
    if caller.role == "client" and not status.get("is_client_allowed", True):
        raise Forbidden("Clients may not set this status")
    if caller.role in ("user", "vendor") and not status.get("is_artist_allowed", True):
        raise Forbidden("Artists may not set this status")


# --- preview files (Zou's blueprints/previews, zou.md §8) -------------------------------

def check_preview_upload_access(caller: Caller, task: dict, project: dict, task_type: dict | None = None,
                                entity: dict | None = None) -> None:
    """Adding, uploading and reordering previews: task action access (team clients included)."""
    check_task_action_access(caller, task, project, task_type, entity)


def check_preview_download_access(caller: Caller, task: dict, project: dict) -> None:
    """Movies, tiles, `previews` pictures and files: task access."""
    check_task_access(caller, task, project)


def check_preview_thumbnail_access(caller: Caller, preview: dict, entity: dict | None, project: dict) -> None:
    """Thumbnails and the original picture: anyone but a vendor may see the main preview of
    a shared entity (shared assets are shown across projects); otherwise project and entity access."""
    if entity is not None and entity.get("is_shared") and entity.get("preview_file_id") == preview["id"] \
            and caller.role != "vendor":
        return
    if entity is None:
        check_project_access(caller, project)
    else:
        check_entity_access(caller, entity, project)


def check_preview_annotation_access(caller: Caller, project: dict, task_type: dict | None = None) -> None:
    """Drawing on previews: a team manager, client, or supervisor of the task type's
    department (or with no department); artists and vendors may not."""
    check_project_access(caller, project)
    if caller.is_admin or caller.role in ("manager", "client"):
        return
    if caller.role == "supervisor":
        departments = caller.person.get("departments") or []
        if not departments or (task_type and task_type.get("department_id") in departments):
            return
    raise Forbidden("Only managers, supervisors and clients annotate previews")


def check_set_main_preview_access(caller: Caller, entity: dict, project: dict) -> None:
    """Project and entity access; clients may not choose an entity's thumbnail."""
    if caller.role == "client":
        raise Forbidden("Clients may not set the main preview")
    check_entity_access(caller, entity, project)


def check_preview_edit_access(caller: Caller, project: dict) -> None:
    """CRUD PUT and DELETE of a preview file, extract-frame: a manager of the project."""
    check_manager_project_access(caller, project)


def check_preview_read_access(caller: Caller, task: dict, project: dict) -> None:
    """CRUD GET of a preview file: a vendor must be assigned to its task."""
    check_task_access(caller, task, project)


# --- avatars -----------------------------------------------------------------------------

def check_avatar_upload_access(caller: Caller, kind: str, record: dict) -> None:
    """Persons: themselves or an admin; projects: a manager of the project; organisations: an admin."""
    if kind == "persons":
        if caller.id != record["id"]:
            check_admin(caller)
    elif kind == "projects":
        check_manager_project_access(caller, record)
    else:
        check_admin(caller)


def check_avatar_read_access(caller: Caller, kind: str, record: dict) -> None:
    """Project avatars need project access (managers see every project's); others are open."""
    if kind == "projects" and caller.role != "manager":
        check_project_access(caller, record)


def check_playlist_view(caller: Caller, playlist: dict, project: dict) -> None:
    block_vendor(caller)
    check_project_access(caller, project)
    if caller.role == "client" and not playlist.get("for_client"):
        raise Forbidden("Clients only see playlists shared with clients")


def check_playlist_list(caller: Caller, project: dict) -> None:
    """Listing a project's playlists: project access, vendors blocked."""
    block_vendor(caller)
    check_project_access(caller, project)


def playlist_visible(caller: Caller, playlist: dict) -> bool:
    """Within a project the caller may list: clients only see playlists for clients."""
    return caller.role != "client" or bool(playlist.get("for_client"))


def check_playlist_create(caller: Caller, project: dict) -> None:
    """The seed: creating playlists needs a manager (Zou's code lets supervisors too)."""
    check_manager_project_access(caller, project)


def check_playlist_manage(caller: Caller, project: dict) -> None:
    """Building movies and notifying clients: a manager of the project."""
    check_manager_project_access(caller, project)


def check_playlist_access(caller: Caller, playlist: dict, project: dict, supervisor_access: bool = False) -> None:
    """Builds and downloads: a manager (or supervisor when allowed), or a client on a
    playlist shared with clients."""
    block_vendor(caller)
    check_project_access(caller, project)
    if caller.is_admin or caller.role == "manager":
        return
    if supervisor_access and caller.role == "supervisor":
        return
    if caller.role == "client" and playlist.get("for_client"):
        return
    raise Forbidden("You may not access this playlist's builds")


def check_playlist_update_access(caller: Caller, playlist: dict, project: dict) -> None:
    """The seed: creating and editing playlists needs a manager."""
    check_manager_project_access(caller, project)


def visible_projects(caller: Caller, projects: list[dict]) -> list[dict]:
    return [p for p in projects if has_project_access(caller, p)]


# --- publishing (Zype) --------------------------------------------------------

# Curating what the studio publishes is a production decision: admins and managers.
ZYPE_WRITER_ROLES = ("admin", "manager")
ZYPE_KEY_KINDS = ("api_key", "app_key")  # read-write, read-only


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
