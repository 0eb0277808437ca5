"""Who is calling: a person of the studio with one of Zou's roles, and the facts about
them that permissions are decided from (team membership, assignment, departments)."""
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
    def is_admin(self) -> bool:
        return self.role == "admin"


def is_manager(caller: Caller) -> bool:
    """An admin or a manager: who runs the production (whatever the project)."""
    return caller.role in ("admin", "manager")


def in_team(caller: Caller, project: dict) -> bool:
    return caller.id in (project.get("team") or [])


def has_project_access(caller: Caller, project: dict) -> bool:
    return caller.is_admin or in_team(caller, project)


def is_assigned(caller: Caller, task: dict) -> bool:
    return caller.id in (task.get("assignees") or [])


def supervises(caller: Caller, task_type: dict | None) -> bool:
    """A supervisor with no departments supervises every task type; otherwise those of
    their departments."""
    if caller.role != "supervisor":
        return False
    departments = caller.person.get("departments") or []
    return not departments or bool(task_type and task_type.get("department_id") in departments)
