"""What a caller may do on production data (Zou's rules, zou.md): project access means
admin or a member of the project's team; vendors only see what they are assigned to;
clients only what is meant for clients; managers run their projects.

Each check raises Forbidden; each `visible_*` keeps what the caller may list."""
from chalicelib.auth.roles import (
    Caller,
    admin_of,
    has_project_access,
    in_studio,
    in_team,
    is_assigned,
    is_manager,
    supervises,
)
from chalicelib.errors import Forbidden
from chalicelib.models import records

# What a person may not change on their own record, whatever their role: a caller who
# could would lift their own restrictions (a supervisor's departments) or leave their
# studio for another's data.
SELF_LOCKED_FIELDS = ("role", "studio_id", "departments", "active")

# --- studios, projects and roles ---------------------------------------------------

def check_admin(caller: Caller, record: dict | None = None) -> None:
    """An admin; of the studio `record` belongs to when one is given (a studio-wide record
    or a project). Without a record the action concerns the caller's own studio."""
    if not caller.is_admin or (record is not None and not in_studio(caller, record)):
        raise Forbidden("Only an admin of this studio may do this")


def check_studio(caller: Caller, record: dict) -> None:
    """A studio-wide record (task type, person, organisation, ...) of the caller's studio;
    the record of a studio the caller created, too (what is in it is its people's)."""
    if not in_studio(caller, record) and not founded(caller, record):
        raise Forbidden("This record belongs to another studio")


def founded(caller: Caller, record: dict) -> bool:
    return record.get("type") == "Studio" and caller.is_admin and record.get("created_by") == caller.id


def check_founding_person(caller: Caller, studio: dict, has_people: bool) -> None:
    """People join their admin's studio. The one way into another: the admin who created
    a studio adds its first people (its first admin among them), then leaves it to them."""
    if not caller.is_admin or studio.get("created_by") != caller.id:
        raise Forbidden("People are added to your own studio only")
    if has_people:
        raise Forbidden("This studio has its own people now: its admins add the others")


def check_project_access(caller: Caller, project: dict) -> None:
    if not has_project_access(caller, project):
        raise Forbidden("You are not a member of this project's team")


def check_manager_project_access(caller: Caller, project: dict) -> None:
    if admin_of(caller, project):
        return
    if caller.role != "manager" or not in_team(caller, project):
        raise Forbidden("A manager of this project is required")


def check_supervisor_project_access(caller: Caller, project: dict) -> None:
    if admin_of(caller, project):
        return
    if caller.role not in ("manager", "supervisor") or not in_team(caller, project):
        raise Forbidden("A manager or supervisor of this project is required")


def block_vendor(caller: Caller) -> None:
    if caller.role == "vendor":
        raise Forbidden("Vendors have no access to this resource")


def visible_projects(caller: Caller, projects: list[dict]) -> list[dict]:
    return [p for p in projects if has_project_access(caller, p)]


def with_creator_in_team(caller: Caller, team: list[str]) -> list[str]:
    """A manager who creates a project joins its team (Zou), or they could not reach it."""
    if caller.role == "manager" and caller.id not in team:
        return [*team, caller.id]
    return team


# --- the generic CRUD (chalicelib.services.production.data) ---------------------------

def check_record_read(caller: Caller, kind: str, record: dict, project: dict | None) -> None:
    """A record of a project needs project access; vendors read only their own tasks and
    those tasks' comments. A studio-wide record needs the caller's studio."""
    if project is None:
        check_studio(caller, record)
        return
    check_project_access(caller, project)
    if caller.role != "vendor":
        return
    if kind == "Task" and not is_assigned(caller, record):
        raise Forbidden("Vendors only see the tasks they are assigned to")
    if kind == "Comment" and not is_assigned(caller, records.get(record.get("object_id") or "") or {}):
        raise Forbidden("Vendors only see the comments of the tasks they are assigned to")


def check_record_write(caller: Caller, collection_name: str, project: dict | None, admin_only: bool = False,
                       new_project: bool = False, record: dict | None = None) -> None:
    """A new project: an admin or a manager (it joins their studio). A record of a project:
    a manager of that project. A studio-wide record (`record`, None when creating, when it
    joins the caller's studio): one of the caller's studio, by an admin for admin-only
    collections, else by an admin or a manager."""
    if new_project:
        if not is_manager(caller):
            raise Forbidden("Only admins and managers create projects")
        return
    if project is not None:
        check_manager_project_access(caller, project)
        return
    if record is not None:
        check_studio(caller, record)
    if admin_only:
        check_admin(caller)
    elif not is_manager(caller):
        raise Forbidden(f"Only admins and managers change {collection_name}")


def edits_self(caller: Caller, record: dict) -> bool:
    """People may edit their own person record without a manager's rights."""
    return record.get("type") == "Person" and record.get("id") == caller.id


def own_record_changes(caller: Caller, changes: dict) -> dict:
    """What of `changes` a person may make to their own record: not their role, studio,
    departments or active flag, whatever their role (an admin of one studio would
    otherwise be one `studio_id` away from another's data). As in Zou, those fields are
    ignored rather than refused: gazu PUTs whole dicts back."""
    return {name: value for name, value in changes.items() if name not in SELF_LOCKED_FIELDS}


def visible_records(caller: Caller, kind: str, items: list[dict], project_field: str | None) -> list[dict]:
    """Drop what the caller may not list: records of other studios, of projects outside
    their teams, and for vendors the tasks they are not assigned to and those tasks'
    comments."""
    if kind == "Project":
        return visible_projects(caller, items)
    if not project_field:
        return [item for item in items if in_studio(caller, item) or founded(caller, item)]
    # The projects the items belong to (usually one), read in one BatchGet.
    projects = records.batch_get({item.get(project_field) for item in items})
    allowed = {p["id"] for p in visible_projects(caller, list(projects.values())) if p.get("type") == "Project"}
    kept = [item for item in items if item.get(project_field) in allowed]
    if caller.role == "vendor" and kind == "Task":
        kept = [task for task in kept if is_assigned(caller, task)]
    elif caller.role == "vendor" and kind == "Comment":
        tasks = records.batch_get({comment.get("object_id") for comment in kept})
        kept = [comment for comment in kept if is_assigned(caller, tasks.get(comment.get("object_id")) or {})]
    return kept


# --- tasks, entities and comments -----------------------------------------------------

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
    if admin_of(caller, project):
        return
    if in_team(caller, project):
        if caller.role in ("manager", "client") or is_assigned(caller, task):
            return
        if supervises(caller, task_type):
            return
        if entity and entity.get("created_by") == caller.id:
            return
    raise Forbidden("You may not act on this task")


def check_task_status_access(caller: Caller, status: dict) -> None:
    """Artists and vendors may only set statuses open to artists, clients those open to clients."""
    if caller.role == "client" and not status.get("is_client_allowed", True):
        raise Forbidden("Clients may not set this status")
    if caller.role in ("user", "vendor") and not status.get("is_artist_allowed", True):
        raise Forbidden("Artists may not set this status")


def may_comment_for_others(caller: Caller) -> bool:
    """Zou honours a comment's `person_id` and `created_at` for admins and managers only."""
    return is_manager(caller)


def check_comment_author(caller: Caller, person_id: str) -> None:
    if person_id != caller.id and not may_comment_for_others(caller):
        raise Forbidden("Only managers may comment on behalf of someone else")


def check_output_file_content_access(caller: Caller, output_file: dict, project: dict) -> None:
    """Uploading an output file's content: its author or a manager, within the team.
    (Zou has no such route; reading and creating only need project access, so this
    keeps clients and other artists from overwriting a publish.)"""
    if admin_of(caller, project):
        return
    if in_team(caller, project) and (caller.role == "manager" or output_file.get("person_id") == caller.id):
        return
    raise Forbidden("Only the author of this output file or a manager of the project may upload its content")


# --- avatars -----------------------------------------------------------------------------

def check_avatar_upload_access(caller: Caller, record: dict) -> None:
    """Persons: themselves or an admin of their studio; projects: a manager of the project;
    organisations: an admin of their studio."""
    if record.get("type") == "Person":
        if caller.id != record["id"]:
            check_admin(caller, record)
    elif record.get("type") == "Project":
        check_manager_project_access(caller, record)
    else:
        check_admin(caller, record)


def check_avatar_read_access(caller: Caller, record: dict) -> None:
    """Project avatars need project access (managers see every project's of their studio);
    people's and the organisation's, the caller's studio."""
    if record.get("type") == "Project" and caller.role != "manager":
        check_project_access(caller, record)
    else:
        check_studio(caller, record)
