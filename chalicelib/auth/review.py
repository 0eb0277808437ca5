"""What a caller may do with previews and playlists (Zou's blueprints/previews and
blueprints/playlists, zou.md §8): reviewing is for the team, clients see what is shared
with them, vendors only what they are assigned to."""
from chalicelib.auth.permissions import (
    block_vendor,
    check_entity_access,
    check_manager_project_access,
    check_project_access,
    check_task_access,
    check_task_action_access,
)
from chalicelib.auth.roles import Caller, has_project_access, in_studio, is_assigned, supervises
from chalicelib.errors import Forbidden
from chalicelib.models import records

# --- preview files -----------------------------------------------------------------------

def check_preview_upload_access(caller: Caller, task: dict, project: dict, task_type: dict | None = None,
                                entity: dict | None = None) -> None:
    """Adding, uploading and reordering previews: task action access (team clients included)."""
    check_task_action_access(caller, task, project, task_type, entity)


def check_preview_download_access(caller: Caller, task: dict, project: dict) -> None:
    """Movies, tiles, `previews` pictures and files: task access."""
    check_task_access(caller, task, project)


def check_preview_thumbnail_access(caller: Caller, preview: dict, entity: dict | None, project: dict) -> None:
    """Thumbnails and the original picture: anyone of the studio but a vendor may see the
    main preview of a shared entity (shared assets are shown across the studio's projects,
    never to another studio); otherwise project and entity access."""
    if entity is not None and entity.get("is_shared") and entity.get("preview_file_id") == preview["id"] \
            and caller.role != "vendor" and in_studio(caller, project):
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
    if supervises(caller, task_type):
        return
    raise Forbidden("Only managers, supervisors and clients annotate previews")


def check_set_main_preview_access(caller: Caller, entity: dict, project: dict) -> None:
    """The seed: project access (Zou also refuses clients; no gazu script relies on it, so
    the seed is followed), and a vendor must have a task on the entity."""
    check_entity_access(caller, entity, project)


def check_preview_edit_access(caller: Caller, project: dict) -> None:
    """CRUD PUT and DELETE of a preview file, extract-frame: a manager of the project."""
    check_manager_project_access(caller, project)


def check_preview_read_access(caller: Caller, task: dict, project: dict) -> None:
    """CRUD GET of a preview file: a vendor must be assigned to its task."""
    check_task_access(caller, task, project)


def visible_previews(caller: Caller, previews: list[dict]) -> list[dict]:
    """The CRUD list of preview files: a vendor sees those of the tasks assigned to them."""
    if caller.role != "vendor":
        return previews
    tasks = records.batch_get({preview["task_id"] for preview in previews})
    return [preview for preview in previews if is_assigned(caller, tasks.get(preview["task_id"]) or {})]


# --- playlists ---------------------------------------------------------------------------

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


def visible_playlists(caller: Caller, playlists: list[dict]) -> list[dict]:
    """The CRUD list of playlists, across projects: those of the caller's projects (all
    of their studio's for an admin), and for clients only those shared with clients."""
    shown = [p for p in playlists if playlist_visible(caller, p)]
    projects = records.batch_get({p["project_id"] for p in shown})
    return [p for p in shown if p["project_id"] in projects and has_project_access(caller, projects[p["project_id"]])]


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
