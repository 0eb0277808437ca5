"""The permission matrix: every route of the app × every identity → allowed or refused.

One table, read by tests/permissions/test_matrix.py (which runs every cell against the
local stack and fails when the app has a route the table lacks) and by
tests/permissions/document.py (which writes docs/permissions.md from it).

The targets are studio A's: project A and its records (tests/permissions/world.py and
targets.py). "Allowed" means the request succeeds (2xx or 3xx; a few routes name the
answer that proves the permission check passed, see targets.py); "refused" means 401 or
403 (404 on the Zype API, whose records of another site do not exist). A list route that
is allowed may still leave the target out: `sees` names who finds it listed."""
from dataclasses import dataclass

IDENTITIES = (
    "admin", "manager", "supervisor", "supervisor_other_dept", "artist", "artist_unassigned", "client",
    "vendor", "vendor_unassigned", "manager_other_project", "admin_other_studio", "no_token", "revoked_token",
    "zype_api_key", "zype_app_key", "zype_key_other_studio",
)
DESCRIPTIONS = {
    "admin": "admin of studio A",
    "manager": "manager on project A's team",
    "supervisor": "supervisor on the team, of the target task type's department (Animation)",
    "supervisor_other_dept": "supervisor on the team, of another department (Lighting)",
    "artist": "artist (user) on the team, assigned to the target task",
    "artist_unassigned": "artist on the team, not assigned",
    "client": "client on the team",
    "vendor": "vendor on the team, assigned to the target task",
    "vendor_unassigned": "vendor on the team, not assigned",
    "manager_other_project": "manager of studio A on another project only",
    "admin_other_studio": "admin of studio B",
    "no_token": "no credentials",
    "revoked_token": "a token revoked by logging out with it",
    "zype_api_key": "studio A's Zype api_key (read-write)",
    "zype_app_key": "studio A's Zype app_key (read-only)",
    "zype_key_other_studio": "studio B's Zype api_key",
}

# --- who ------------------------------------------------------------------------------------------

ADMIN = frozenset({"admin"})
MANAGERS = ADMIN | {"manager"}
SUPERVISORS = MANAGERS | {"supervisor", "supervisor_other_dept"}
VENDORS = frozenset({"vendor", "vendor_unassigned"})
TEAM = SUPERVISORS | {"artist", "artist_unassigned", "client"} | VENDORS  # project A's team and A's admin
TEAM_BUT_VENDORS = TEAM - VENDORS
TEAM_BUT_VENDORS_AND_CLIENTS = TEAM_BUT_VENDORS - {"client"}
TASK = TEAM - {"vendor_unassigned"}  # task access: vendors only on their tasks
TASK_ACTION = MANAGERS | {"client", "artist", "vendor", "supervisor"}  # Zou's task action access
ANNOTATORS = MANAGERS | {"client", "supervisor"}
STUDIO = TEAM | {"manager_other_project"}  # everyone of studio A
BEARERS = STUDIO | {"admin_other_studio"}  # everyone signed in
BEARERS_BUT_VENDORS = BEARERS - VENDORS
ANY_ADMIN = frozenset({"admin", "admin_other_studio"})  # each in their own studio
ANY_MANAGER = ANY_ADMIN | {"manager", "manager_other_project"}
EVERYONE = frozenset(IDENTITIES)
NOBODY = frozenset()
# The publishing (Zype) API: studio A's people but vendors, and studio A's keys.
ZYPE_READERS = BEARERS_BUT_VENDORS - {"admin_other_studio"} | {"zype_api_key", "zype_app_key"}
ZYPE_WRITERS = frozenset({"admin", "manager", "manager_other_project", "zype_api_key"})
ZYPE_ANY_READER = ZYPE_READERS | {"admin_other_studio", "zype_key_other_studio"}
ZYPE_ANY_WRITER = ZYPE_WRITERS | {"admin_other_studio", "zype_key_other_studio"}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    sees: frozenset | None = None  # list routes: who finds the target in the answer
    note: str = ""                  # where the seed and Zou differ: "<which was followed>: <why>"


def rule(allowed, sees=None, note: str = "") -> Rule:
    return Rule(frozenset(allowed), frozenset(sees) if sees is not None else None, note)


CONTENT_NOTE = "Zou: a working file's content is written with task access (WorkingFileFileResource)"
JOBS_NOTE = "Seed: supervisors read the status of the build jobs they may download (Zou refuses them)"
SETTINGS_NOTE = "Zou: studio-wide settings are admin only (Zou's CRUD default); the seed says nothing"

# --- the generic CRUD ---------------------------------------------------------------------------

PROJECT_COLLECTIONS = ("episodes", "sequences", "shots", "assets", "asset-instances", "tasks", "comments")
SETTINGS_COLLECTIONS = ("entity-types", "asset-types", "task-types", "task-status", "departments", "organisations",
                        "output-types", "file-status", "softwares", "preview-background-files", "studios")


def _crud() -> dict:
    table = {}
    item_param = {
        "projects": "project_id", "episodes": "episode_id", "sequences": "sequence_id", "shots": "shot_id",
        "assets": "asset_id", "entity-types": "entity_type_id", "asset-types": "asset_type_id",
        "asset-instances": "asset_instance_id", "task-types": "task_type_id", "task-status": "task_status_id",
        "tasks": "task_id", "persons": "person_id", "departments": "department_id", "studios": "studio_id",
        "organisations": "organisation_id", "output-types": "output_type_id", "file-status": "file_status_id",
        "softwares": "software_id", "comments": "comment_id",
        "preview-background-files": "preview_background_file_id"}
    for route, param in item_param.items():
        base, item = f"/api/data/{route}", f"/api/data/{route}/{{{param}}}"
        if route == "projects":
            rules = (rule(BEARERS, TEAM), rule(ANY_MANAGER), rule(TEAM), rule(MANAGERS), rule(MANAGERS))
        elif route in PROJECT_COLLECTIONS:
            readers = TASK if route in ("tasks", "comments") else TEAM
            rules = (rule(BEARERS, readers), rule(MANAGERS), rule(readers), rule(MANAGERS), rule(MANAGERS))
        else:  # studio-wide: read by the studio, written by its admins
            note = SETTINGS_NOTE if route in SETTINGS_COLLECTIONS else ""
            rules = (rule(BEARERS, STUDIO), rule(ANY_ADMIN, note=note), rule(STUDIO), rule(ADMIN, note=note),
                     rule(ADMIN, note=note))
        for (method, path), chosen in zip((("GET", base), ("POST", base), ("GET", item), ("PUT", item),
                                           ("DELETE", item)), rules, strict=True):
            table[(method, path)] = chosen
    return table


MATRIX: dict[tuple[str, str], Rule] = {
    **_crud(),
    # --- the API root and sessions
    ("GET", "/api"): rule(EVERYONE),
    ("HEAD", "/api"): rule(EVERYONE),
    ("POST", "/api/auth/login"): rule(EVERYONE),
    ("GET", "/api/auth/authenticated"): rule(BEARERS),
    ("GET", "/api/auth/refresh-token"): rule(BEARERS),
    ("GET", "/api/auth/logout"): rule(EVERYONE),
    ("POST", "/api/auth/change-password"): rule(BEARERS),
    ("GET", "/api/openapi.json"): rule(EVERYONE),
    ("GET", "/openapi.json"): rule(EVERYONE),
    # --- production
    ("GET", "/api/data/projects/open"): rule(BEARERS, TEAM),
    ("GET", "/api/data/projects/all"): rule(BEARERS, TEAM),
    ("GET", "/api/data/projects/{project_id}/shots"): rule(TEAM),
    ("POST", "/api/data/projects/{project_id}/shots"): rule(MANAGERS),
    ("GET", "/api/data/projects/{project_id}/sequences"): rule(TEAM),
    ("POST", "/api/data/projects/{project_id}/sequences"): rule(MANAGERS),
    ("GET", "/api/data/projects/{project_id}/episodes"): rule(TEAM),
    ("POST", "/api/data/projects/{project_id}/episodes"): rule(MANAGERS),
    ("GET", "/api/data/projects/{project_id}/assets"): rule(TEAM),
    ("POST", "/api/data/projects/{project_id}/asset-types/{asset_type_id}/assets/new"): rule(MANAGERS),
    ("GET", "/api/data/projects/{project_id}/team"): rule(TEAM),
    ("POST", "/api/data/projects/{project_id}/team"): rule(MANAGERS),
    ("DELETE", "/api/data/projects/{project_id}/team/{person_id}"): rule(MANAGERS),
    ("GET", "/api/data/shots/all"): rule(BEARERS, TEAM),
    ("GET", "/api/data/sequences/all"): rule(BEARERS, TEAM),
    ("GET", "/api/data/episodes/all"): rule(BEARERS, TEAM),
    ("GET", "/api/data/assets/all"): rule(BEARERS, TEAM),
    ("GET", "/api/data/sequences/{sequence_id}/shots"): rule(TEAM),
    ("GET", "/api/data/episodes/{episode_id}/sequences"): rule(TEAM),
    ("GET", "/api/data/shots/{shot_id}/tasks"): rule(TEAM),
    ("GET", "/api/data/assets/{asset_id}/tasks"): rule(TEAM),
    ("GET", "/api/data/entities/{entity_id}/tasks"): rule(TEAM),
    ("GET", "/api/data/entities/{entity_id}"): rule(TEAM),
    ("GET", "/api/data/tasks/{task_id}/comments"): rule(TASK),
    ("GET", "/api/data/tasks/{task_id}/full"): rule(TASK),
    ("GET", "/api/data/assets/{asset_id}/asset-asset-instances"): rule(TEAM),
    ("POST", "/api/data/assets/{asset_id}/asset-asset-instances"): rule(MANAGERS),
    ("POST", "/api/actions/tasks/{task_id}/comment"): rule(TASK),
    # --- working and output files
    ("GET", "/api/data/files/{file_id}"): rule(TEAM),
    ("GET", "/api/data/tasks/{task_id}/working-files"): rule(TASK),
    ("POST", "/api/data/tasks/{task_id}/working-files/new"): rule(TASK),
    ("GET", "/api/data/tasks/{task_id}/working-files/last-revisions"): rule(TASK),
    ("POST", "/api/data/tasks/{task_id}/working-file-path"): rule(TASK),
    ("GET", "/api/data/entities/{entity_id}/working-files"): rule(TASK),
    ("PUT", "/api/actions/working-files/{working_file_id}/comment"): rule(TASK_ACTION),
    ("PUT", "/api/actions/working-files/{working_file_id}/modified"): rule(TASK_ACTION),
    ("GET", "/api/data/working-files"): rule(BEARERS_BUT_VENDORS, TEAM_BUT_VENDORS),
    ("GET", "/api/data/working-files/{working_file_id}"): rule(TASK),
    ("PUT", "/api/data/working-files/{working_file_id}"): rule(TASK_ACTION),
    ("DELETE", "/api/data/working-files/{working_file_id}"): rule(ADMIN),
    ("GET", "/api/data/working-files/{working_file_id}/file"): rule(TASK),
    ("POST", "/api/data/working-files/{working_file_id}/file"): rule(TASK, note=CONTENT_NOTE),
    ("POST", "/api/data/working-files/{working_file_id}/upload-url"): rule(TASK, note=CONTENT_NOTE),
    ("POST", "/api/data/working-files/{working_file_id}/upload-complete"): rule(TASK, note=CONTENT_NOTE),
    ("GET", "/api/data/output-files"): rule(BEARERS_BUT_VENDORS, TEAM_BUT_VENDORS),
    ("GET", "/api/data/output-files/{output_file_id}"): rule(TASK),
    ("PUT", "/api/data/output-files/{output_file_id}"): rule(MANAGERS),
    ("DELETE", "/api/data/output-files/{output_file_id}"): rule(ADMIN),
    ("GET", "/api/data/output-files/{output_file_id}/file"): rule(TASK),
    ("POST", "/api/data/output-files/{output_file_id}/file"): rule(MANAGERS | {"artist"}),
    ("POST", "/api/data/output-files/{output_file_id}/upload-url"): rule(MANAGERS | {"artist"}),
    ("POST", "/api/data/output-files/{output_file_id}/upload-complete"): rule(MANAGERS | {"artist"}),
    ("GET", "/api/data/entities/{entity_id}/output-files"): rule(TEAM),
    ("GET", "/api/data/asset-instances/{asset_instance_id}/output-files"): rule(TEAM),
    ("GET", "/api/data/projects/{project_id}/output-files"): rule(
        TEAM_BUT_VENDORS, note="Seed: project access reads the project's output files (Zou asks for a manager); "
                               "vendors, who see only their tasks, are kept out"),
    ("POST", "/api/data/entities/{entity_id}/output-files/new"): rule(TEAM),
    ("POST", "/api/data/entities/{entity_id}/output-files/next-revision"): rule(TEAM),
    ("GET", "/api/data/entities/{entity_id}/output-files/last-revisions"): rule(TEAM),
    ("POST", "/api/data/entities/{entity_id}/output-file-path"): rule(TASK),
    ("GET", "/api/data/entities/{entity_id}/output-types"): rule(TEAM),
    ("GET", "/api/data/entities/{entity_id}/output-types/{output_type_id}/output-files"): rule(TEAM),
    ("POST", "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-files/new"):
        rule(TEAM),
    ("POST", "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-files/"
             "next-revision"): rule(TEAM),
    ("GET", "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-files/"
            "last-revisions"): rule(TEAM),
    ("POST", "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-file-path"):
        rule(TEAM_BUT_VENDORS),
    ("GET", "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-types"): rule(TEAM),
    ("GET", "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}/output-types/"
            "{output_type_id}/output-files"): rule(TEAM),
    ("POST", "/api/actions/projects/{project_id}/set-file-tree"): rule(MANAGERS),
    ("POST", "/api/data/entities/guess_from_path"): rule(TEAM),
    ("POST", "/api/data/entities/guess-from-path"): rule(TEAM),
    # --- preview files
    ("GET", "/api/data/preview-files"): rule(BEARERS, TASK),
    ("GET", "/api/data/preview-files/{preview_file_id}"): rule(TASK),
    ("PUT", "/api/data/preview-files/{preview_file_id}"): rule(MANAGERS),
    ("DELETE", "/api/data/preview-files/{preview_file_id}"): rule(MANAGERS),
    ("POST", "/api/actions/tasks/{task_id}/comments/{comment_id}/add-preview"): rule(TASK_ACTION),
    ("POST", "/api/actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}"):
        rule(TASK_ACTION),
    ("POST", "/api/actions/tasks/{task_id}/batch-comment"): rule(TASK_ACTION),
    ("POST", "/api/actions/tasks/batch-comment"): rule(TASK_ACTION),
    ("PUT", "/api/actions/preview-files/{preview_file_id}/set-main-preview"): rule(
        TASK, note="Seed: project access sets the main preview (Zou also refuses clients); vendors need a task "
                   "on the entity"),
    ("PUT", "/api/actions/preview-files/{preview_file_id}/update-position"): rule(TASK_ACTION),
    ("PUT", "/api/actions/preview-files/{preview_file_id}/update-annotations"): rule(ANNOTATORS),
    ("GET", "/api/actions/preview-files/{preview_file_id}/extract-frame"): rule(MANAGERS),
    ("GET", "/api/actions/preview-files/{preview_file_id}/extract-tile"): rule(TASK),
    ("GET", "/api/data/playlists/preview-files/running"): rule(ANY_ADMIN),
    ("GET", "/api/data/attachment-files/{attachment_file_id}"): rule(TASK),
    ("GET", "/api/data/tasks/{task_id}/attachment-files"): rule(TASK),
    ("GET", "/api/data/projects/{project_id}/attachment-files"): rule(TEAM_BUT_VENDORS),
    ("GET", "/api/data/attachment-files/{attachment_file_id}/file/{file_name}"): rule(TASK),
    ("GET", "/api/data/projects/{project_id}/settings/preview-background-files"): rule(TEAM),
    ("POST", "/api/data/projects/{project_id}/settings/preview-background-files"): rule(MANAGERS),
    ("DELETE", "/api/data/projects/{project_id}/settings/preview-background-files/{preview_background_file_id}"):
        rule(MANAGERS),
    # --- playlists (the target is an internal playlist: clients see only those for clients)
    ("GET", "/api/data/playlists"): rule(BEARERS_BUT_VENDORS, TEAM_BUT_VENDORS_AND_CLIENTS),
    ("POST", "/api/data/playlists"): rule(
        MANAGERS, note="Seed: creating playlists needs a manager (Zou's code lets supervisors of the project too)"),
    ("GET", "/api/data/playlists/{playlist_id}"): rule(TEAM_BUT_VENDORS_AND_CLIENTS),
    ("PUT", "/api/data/playlists/{playlist_id}"): rule(
        MANAGERS, note="Seed: editing playlists needs a manager (Zou also lets the supervisor who created it)"),
    ("DELETE", "/api/data/playlists/{playlist_id}"): rule(MANAGERS),
    ("GET", "/api/data/projects/{project_id}/playlists"): rule(TEAM_BUT_VENDORS),
    ("GET", "/api/data/projects/{project_id}/episodes/{episode_id}/playlists"): rule(TEAM_BUT_VENDORS),
    ("GET", "/api/data/projects/{project_id}/playlists/{playlist_id}"): rule(TEAM_BUT_VENDORS_AND_CLIENTS),
    ("POST", "/api/data/projects/{project_id}/playlists/temp"): rule(TASK),
    ("GET", "/api/data/playlists/entities/{entity_id}/preview-files"): rule(TASK),
    ("POST", "/api/actions/playlists/{playlist_id}/add-entity"): rule(MANAGERS),
    ("POST", "/api/actions/playlists/{playlist_id}/add-entities"): rule(MANAGERS),
    ("POST", "/api/data/playlists/{playlist_id}/notify-clients"): rule(MANAGERS),
    ("GET", "/api/data/playlists/{playlist_id}/download/zip"): rule(SUPERVISORS),
    ("GET", "/api/data/playlists/{playlist_id}/build/mp4"): rule(MANAGERS),
    ("POST", "/api/data/playlists/{playlist_id}/build/mp4"): rule(MANAGERS),
    ("GET", "/api/data/playlists/{playlist_id}/jobs"): rule(
        SUPERVISORS, note=JOBS_NOTE),
    ("GET", "/api/data/playlists/{playlist_id}/jobs/{job_id}"): rule(
        SUPERVISORS, note=JOBS_NOTE),
    ("DELETE", "/api/data/playlists/{playlist_id}/jobs/{job_id}"): rule(MANAGERS),
    ("GET", "/api/data/playlists/{playlist_id}/jobs/{job_id}/build/mp4"): rule(SUPERVISORS),
    ("GET", "/api/data/playlists/{playlist_id}/jobs/{job_id}/build/hls.m3u8"): rule(SUPERVISORS),
    ("GET", "/api/data/projects/{project_id}/build-jobs"): rule(ADMIN),
    # --- pictures and movies (also served at the root, without /api)
    ("POST", "/api/pictures/preview-files/{preview_file_id}"): rule(TASK_ACTION),
    ("POST", "/api/pictures/preview-files/{preview_file_id}/upload-url"): rule(TASK_ACTION),
    ("POST", "/api/pictures/preview-files/{preview_file_id}/upload-complete"): rule(TASK_ACTION),
    ("GET", "/api/movies/originals/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/movies/originals/preview-files/{file_name}/download"): rule(TASK),
    ("GET", "/api/movies/low/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/movies/source/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/movies/tiles/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/pictures/originals/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/pictures/originals/preview-files/{file_name}/download"): rule(TASK),
    ("GET", "/api/pictures/thumbnails/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/pictures/thumbnails-square/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/pictures/previews/preview-files/{file_name}"): rule(TASK),
    ("GET", "/api/pictures/thumbnails/persons/{file_name}"): rule(STUDIO),
    ("POST", "/api/pictures/thumbnails/persons/{file_name}"): rule(ADMIN),
    ("GET", "/api/pictures/thumbnails/projects/{file_name}"): rule(TEAM | {"manager_other_project"}),
    ("POST", "/api/pictures/thumbnails/projects/{file_name}"): rule(MANAGERS),
    ("GET", "/api/pictures/thumbnails/organisations/{file_name}"): rule(STUDIO),
    ("POST", "/api/pictures/thumbnails/organisations/{file_name}"): rule(ADMIN),
    ("GET", "/api/pictures/preview-background-files/{file_name}"): rule(STUDIO),
    ("POST", "/api/pictures/preview-background-files/{file_name}"): rule(ADMIN),
    ("GET", "/api/pictures/thumbnails/preview-background-files/{file_name}"): rule(STUDIO),
    ("GET", "/api/pictures/thumbnails/attachment-files/{file_name}"): rule(TASK),
    # --- the studio's Zype keys (under /api) and the publishing API (at the root)
    ("GET", "/api/data/studios/{studio_id}/zype-keys"): rule(ADMIN),
    ("POST", "/api/data/studios/{studio_id}/zype-keys"): rule(ADMIN),
    ("DELETE", "/api/data/studios/{studio_id}/zype-keys/{zype_key_id}"): rule(ADMIN),
    ("GET", "/playlists"): rule(ZYPE_ANY_READER, ZYPE_READERS),
    ("POST", "/playlists"): rule(ZYPE_ANY_WRITER),
    ("GET", "/playlists/relationships"): rule(ZYPE_ANY_READER),
    ("GET", "/playlists/{id}"): rule(ZYPE_READERS),
    ("PUT", "/playlists/{id}"): rule(ZYPE_WRITERS),
    ("DELETE", "/playlists/{id}"): rule(ZYPE_WRITERS),
    ("GET", "/playlists/{id}/videos"): rule(ZYPE_READERS),
    ("PUT", "/playlists/{id}/add_videos"): rule(ZYPE_WRITERS),
    ("PUT", "/playlists/{id}/remove_videos"): rule(ZYPE_WRITERS),
    ("GET", "/videos"): rule(ZYPE_ANY_READER, ZYPE_READERS),
    ("POST", "/videos"): rule(ZYPE_ANY_WRITER),
    ("GET", "/videos/{id}"): rule(ZYPE_READERS),
    ("PUT", "/videos/{id}"): rule(ZYPE_WRITERS),
    ("DELETE", "/videos/{id}"): rule(ZYPE_WRITERS),
    ("GET", "/categories"): rule(ZYPE_ANY_READER, ZYPE_READERS),
    ("POST", "/categories"): rule(ZYPE_ANY_WRITER),
    ("GET", "/categories/{id}"): rule(ZYPE_READERS),
    ("PUT", "/categories/{id}"): rule(ZYPE_WRITERS),
    ("DELETE", "/categories/{id}"): rule(ZYPE_WRITERS),
    # --- share links (Zou's): made, listed, revoked and emailed by a manager of the project;
    # the guest routes and the review page take no bearer token: the link's token is the permission.
    ("GET", "/api/data/playlists/{playlist_id}/share"): rule(MANAGERS),
    ("POST", "/api/data/playlists/{playlist_id}/share"): rule(MANAGERS),
    ("DELETE", "/api/data/playlists/{playlist_id}/share/{token}"): rule(MANAGERS),
    ("POST", "/api/data/playlists/{playlist_id}/share/{token}/invite"): rule(MANAGERS),
    **{(method, f"/api/shared/playlists/{{token}}{tail}"): rule(EVERYONE) for method, tail in (
        ("GET", ""), ("GET", "/context"), ("POST", "/guest"), ("GET", "/comments"), ("POST", "/comments"),
        ("PUT", "/annotations"), ("GET", "/preview-files/{preview_file_id}"),
        ("GET", "/preview-files/{preview_file_id}/download"), ("GET", "/movies/originals/preview-files/{file_name}"),
        ("GET", "/pictures/thumbnails/preview-files/{file_name}"),
        ("GET", "/pictures/originals/preview-files/{file_name}"), ("GET", "/movies/tiles/preview-files/{file_name}"),
        ("GET", "/jobs/{job_id}/build/mp4"))},
    ("GET", "/review/{token}"): rule(EVERYONE),
    ("GET", "/review-assets/{name}"): rule(EVERYONE),
    # Public, as Zype's CDN URLs: an image id is random, knowing it is the permission.
    ("GET", "/zype/images/{image_id}/{file_name}"): rule(EVERYONE),
}

# The media blueprint is also served at the root (Kitsu's proxy strips /api): same rules.
MEDIA_PREFIXES = ("/api/pictures/", "/api/movies/")


def rule_for(method: str, path: str) -> Rule | None:
    if path.startswith(("/pictures/", "/movies/")):
        return MATRIX.get((method, f"/api{path}"))
    return MATRIX.get((method, path))
