"""Who is calling: a person of a studio with one of Zou's roles, and the facts about
them that permissions are decided from (their studio, team membership, assignment,
departments).

A studio is a tenant: every caller belongs to one (`person.studio_id`), every record
belongs to one (its own `studio_id`, or its project's), and nothing of another studio
is within reach, whatever the role. "Admin" means admin of their own studio."""
from dataclasses import dataclass

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")


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
    def studio_id(self) -> str | None:
        return self.person.get("studio_id")

    @property
    def is_admin(self) -> bool:
        """An admin of the caller's studio; whether a record is within it is `admin_of`."""
        return self.role == "admin"


def studio_of(record: dict) -> str | None:
    """The tenant a studio-wide record or a project belongs to (a studio is its own)."""
    if record.get("type") == "Studio":
        return record.get("id")
    return record.get("studio_id")


def in_studio(caller: Caller, record: dict | None) -> bool:
    """Whether a project or a studio-wide record is of the caller's studio. Records of a
    project are reached through their project, so checking it covers them."""
    return record is not None and studio_of(record) == caller.studio_id


def admin_of(caller: Caller, record: dict | None) -> bool:
    """An admin of the studio `record` (a project, a studio-wide record) belongs to."""
    return caller.is_admin and in_studio(caller, record)


def is_manager(caller: Caller) -> bool:
    """An admin or a manager: who runs the production (whatever the project)."""
    return caller.role in ("admin", "manager")


def in_team(caller: Caller, project: dict) -> bool:
    return in_studio(caller, project) and caller.id in (project.get("team") or [])


def has_project_access(caller: Caller, project: dict) -> bool:
    return admin_of(caller, project) or in_team(caller, project)


def is_assigned(caller: Caller, task: dict) -> bool:
    return caller.id in (task.get("assignees") or [])


def supervises(caller: Caller, task_type: dict | None) -> bool:
    """A supervisor with no departments supervises every task type; otherwise those of
    their departments."""
    if caller.role != "supervisor":
        return False
    departments = caller.person.get("departments") or []
    return not departments or bool(task_type and task_type.get("department_id") in departments)
