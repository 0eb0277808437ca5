"""The Zou collections served by the generic `/api/data/<collection>` routes: their
fields, what is read-only, and how each is indexed (project and parent links)."""
from dataclasses import dataclass, field

# Field kinds, checked by chalicelib.services.production.validation.
STR, TEXT, INT, FLOAT, BOOL, UUID, UUIDS, DICT, LIST, DATE, NUMSTR = (
    "str", "text", "int", "float", "bool", "uuid", "uuids", "dict", "list", "date", "numstr")

READ_ONLY = ("id", "type", "created_at", "updated_at")


@dataclass(frozen=True)
class Collection:
    route: str                      # URL name: /api/data/<route>
    kind: str                       # the `type` of its records
    fields: dict                    # writable field -> kind
    required: tuple = ("name",)
    defaults: dict = field(default_factory=dict)
    project_field: str | None = None  # set: records are indexed under that project
    parent_field: str | None = None   # set: records are indexed under that parent
    computed: tuple = ()            # served but never written by clients
    fixed: tuple = ()               # typed fields set at creation only (they key revision numbers)
    hidden: tuple = ()              # stored but never served (password hashes)
    secrets: tuple = ()             # write-only: served as `has_<name>` (whether one is set)
    unique_name: bool = False       # name unique (case-insensitive) per project/global
    admin_write: bool = False       # studio-wide settings only admins change
    own_routes: bool = False        # served by its own blueprint (files), not the generic CRUD routes

    @property
    def studio_wide(self) -> bool:
        """Records of a studio rather than of a project (task types, people, projects
        themselves): they carry the studio they belong to in `studio_id`."""
        return self.project_field is None

    @property
    def server_set(self) -> tuple:
        """Served, never written by clients: the computed fields, and the studio of a
        studio-wide record (people's `studio_id` is a field, checked when written)."""
        studio = ("studio_id",) if self.studio_wide and "studio_id" not in self.fields else ()
        return (*self.computed, *studio)

    @property
    def filterable(self) -> set:
        return set(self.fields) | set(READ_ONLY) | set(self.server_set)


_ENTITY_FIELDS = {
    "name": STR, "code": STR, "description": TEXT, "canceled": BOOL, "nb_frames": INT,
    "status": STR, "project_id": UUID, "entity_type_id": UUID, "parent_id": UUID,
    "source_id": UUID, "preview_file_id": UUID, "data": DICT, "is_shared": BOOL,
    "created_by": UUID, "nb_entities_out": INT, "is_casting_standby": BOOL, "ready_for": UUID,
    "shotgun_id": INT,
}

COLLECTIONS: dict[str, Collection] = {c.route: c for c in [
    Collection("projects", "Project", {
        "name": STR, "code": STR, "description": TEXT, "fps": NUMSTR, "ratio": STR, "resolution": STR,
        "production_type": STR, "production_style": STR, "project_status_id": UUID, "file_tree": DICT,
        "team": UUIDS, "asset_types": UUIDS, "task_types": UUIDS, "task_statuses": UUIDS,
        "start_date": DATE, "end_date": DATE, "man_days": INT, "nb_episodes": INT, "episode_span": INT,
        "max_retakes": INT, "is_clients_isolated": BOOL, "is_preview_download_allowed": BOOL,
        "is_set_preview_automated": BOOL, "homepage": STR, "data": DICT, "is_single_preview_per_revision": BOOL,
        "is_publish_default_for_artists": BOOL, "is_frame_in_numbering": BOOL, "revision_padding": INT,
        "hd_bitrate_compression": INT, "ld_bitrate_compression": INT, "default_preview_background_file_id": UUID,
        "is_bot_collaboration_enabled": BOOL, "shotgun_id": INT,
    }, defaults={"fps": "25", "ratio": "16:9", "resolution": "1920x1080", "production_type": "short",
                 "production_style": "2d3d", "team": [], "asset_types": [], "task_types": [],
                 "task_statuses": [], "file_tree": {}, "data": {}, "has_avatar": False,
                 "project_status_name": "Open"},
        computed=("has_avatar", "project_status_name"), unique_name=True),
    Collection("episodes", "Episode", _ENTITY_FIELDS, required=("name", "project_id"),
               defaults={"data": {}, "canceled": False, "status": "running"},
               project_field="project_id", parent_field="project_id"),
    Collection("sequences", "Sequence", {**_ENTITY_FIELDS, "episode_id": UUID}, required=("name", "project_id"),
               defaults={"data": {}, "canceled": False}, project_field="project_id", parent_field="parent_id",
               computed=("episode_id",)),
    Collection("shots", "Shot", {**_ENTITY_FIELDS, "sequence_id": UUID}, required=("name", "project_id"),
               defaults={"data": {}, "canceled": False}, project_field="project_id", parent_field="parent_id",
               computed=("sequence_id",)),
    Collection("assets", "Asset", {**_ENTITY_FIELDS, "asset_type_id": UUID},
               required=("name", "project_id", "entity_type_id"),
               defaults={"data": {}, "canceled": False, "is_shared": False}, project_field="project_id",
               parent_field="entity_type_id", computed=("asset_type_id",)),
    # Studio-wide settings: the studio's admins write them (Zou's CRUD default, admin only).
    Collection("entity-types", "AssetType", {"name": STR, "short_name": STR, "description": TEXT,
                                             "task_types": UUIDS, "archived": BOOL},
               defaults={"task_types": [], "archived": False}, unique_name=True, admin_write=True),
    Collection("asset-instances", "AssetInstance", {
        "asset_id": UUID, "target_asset_id": UUID, "scene_id": UUID, "number": INT, "name": STR,
        "description": TEXT, "active": BOOL, "data": DICT, "project_id": UUID},
        required=("asset_id",), defaults={"active": True, "data": {}}, project_field="project_id",
        parent_field="target_asset_id"),
    Collection("task-types", "TaskType", {
        "name": STR, "short_name": STR, "color": STR, "priority": INT, "for_entity": STR,
        "department_id": UUID, "allow_timelog": BOOL, "archived": BOOL, "description": TEXT},
        defaults={"color": "#FFFFFF", "priority": 1, "for_entity": "Asset", "allow_timelog": True,
                  "archived": False}, admin_write=True),
    Collection("task-status", "TaskStatus", {
        "name": STR, "short_name": STR, "color": STR, "priority": INT, "is_default": BOOL, "is_done": BOOL,
        "is_retake": BOOL, "is_wip": BOOL, "is_artist_allowed": BOOL, "is_client_allowed": BOOL,
        "is_feedback_request": BOOL, "for_concept": BOOL, "archived": BOOL, "description": TEXT},
        required=("name", "short_name"),
        defaults={"color": "#f5f5f5", "priority": 1, "is_default": False, "is_done": False, "is_retake": False,
                  "is_wip": False, "is_artist_allowed": True, "is_client_allowed": True,
                  "is_feedback_request": False, "for_concept": False, "archived": False}, admin_write=True),
    Collection("tasks", "Task", {
        "name": STR, "description": TEXT, "project_id": UUID, "entity_id": UUID, "task_type_id": UUID,
        "task_status_id": UUID, "assignees": UUIDS, "priority": INT, "duration": FLOAT, "estimation": FLOAT,
        "completion_rate": INT, "retake_count": INT, "sort_order": INT, "start_date": DATE, "due_date": DATE,
        "real_start_date": DATE, "end_date": DATE, "last_comment_date": DATE, "data": DICT,
        "created_by": UUID, "last_preview_file_id": UUID, "assigner_id": UUID, "difficulty": INT,
        "done_date": DATE, "nb_assets_ready": INT, "nb_drawings": INT, "shotgun_id": INT},
        required=("project_id", "entity_id", "task_type_id"),
        defaults={"name": "main", "assignees": [], "priority": 0, "duration": 0, "estimation": 0,
                  "completion_rate": 0, "retake_count": 0, "sort_order": 0, "data": {}},
        project_field="project_id", parent_field="entity_id"),
    Collection("persons", "Person", {
        "first_name": STR, "last_name": STR, "email": STR, "phone": STR, "role": STR, "active": BOOL,
        "desktop_login": STR, "studio_id": UUID, "departments": UUIDS, "notifications_enabled": BOOL,
        "timezone": STR, "locale": STR, "is_bot": BOOL, "password": STR, "data": DICT},
        required=("first_name", "email"),
        defaults={"last_name": "", "role": "user", "active": True, "departments": [], "has_avatar": False,
                  "notifications_enabled": False, "timezone": "Europe/Paris", "locale": "en_US",
                  "is_bot": False, "data": {}},
        computed=("full_name", "has_avatar"), secrets=("password",), hidden=("tokens_valid_after",),
        admin_write=True),
    Collection("departments", "Department", {"name": STR, "color": STR, "archived": BOOL},
               defaults={"color": "#FFFFFF", "archived": False}, unique_name=True, admin_write=True),
    Collection("studios", "Studio", {"name": STR, "color": STR, "archived": BOOL},
               defaults={"color": "#FFFFFF", "archived": False}, unique_name=True, admin_write=True),
    Collection("organisations", "Organisation", {
        "name": STR, "hours_by_day": FLOAT, "use_original_file_name": BOOL, "timesheets_locked": BOOL,
        "chat_token_slack": STR, "chat_webhook_mattermost": STR, "chat_token_discord": STR,
        "dark_theme_by_default": BOOL, "format_duration_in_hours": BOOL, "hd_by_default": BOOL},
        defaults={"hours_by_day": 8.0, "use_original_file_name": False, "has_avatar": False},
        computed=("has_avatar",), secrets=("chat_token_slack", "chat_webhook_mattermost", "chat_token_discord"),
        admin_write=True),
    Collection("output-types", "OutputType", {"name": STR, "short_name": STR, "for_entity": STR},
               defaults={"for_entity": "entity"}, unique_name=True, admin_write=True),
    Collection("file-status", "FileStatus", {"name": STR, "color": STR}, defaults={"color": "#FFFFFF"},
               unique_name=True, admin_write=True),
    Collection("softwares", "Software", {"name": STR, "short_name": STR, "file_extension": STR,
                                         "secondary_extensions": LIST},
               defaults={"secondary_extensions": []}, unique_name=True, admin_write=True),
    Collection("comments", "Comment", {
        "object_id": UUID, "object_type": STR, "text": TEXT, "task_status_id": UUID, "person_id": UUID,
        "checklist": LIST, "links": LIST, "for_client": BOOL, "pinned": BOOL, "data": DICT,
        "project_id": UUID, "preview_files": UUIDS, "attachment_files": UUIDS, "replies": LIST,
        "mentions": UUIDS, "department_mentions": UUIDS, "acknowledgements": UUIDS, "editor_id": UUID,
        "preview_file_id": UUID, "shotgun_id": INT},
        required=("object_id", "task_status_id"),
        defaults={"object_type": "Task", "text": "", "checklist": [], "links": [], "for_client": False,
                  "pinned": False, "data": {}, "preview_files": [], "attachment_files": [], "replies": [],
                  "mentions": [], "department_mentions": [], "acknowledgements": []},
        project_field="project_id", parent_field="object_id"),
    # Working and output files are created through chalicelib.services.files.file_records (revision
    # claims, file-tree paths); only their identity-free fields change afterwards.
    Collection("working-files", "WorkingFile", {
        "name": STR, "revision": INT, "task_id": UUID, "entity_id": UUID, "project_id": UUID,
        "description": TEXT, "comment": TEXT, "size": INT, "checksum": INT, "path": STR, "data": DICT,
        "person_id": UUID, "software_id": UUID},
        fixed=("name", "revision", "task_id", "entity_id", "project_id"),
        computed=("shotgun_id", "content_type", "original_file_name", "uploaded_at"),
        hidden=("pending_upload", "revision_claims", "content_key", "previous_contents"), project_field="project_id",
        parent_field="entity_id",
        own_routes=True),
    Collection("output-files", "OutputFile", {
        "name": STR, "revision": INT, "representation": STR, "entity_id": UUID, "asset_instance_id": UUID,
        "temporal_entity_id": UUID, "output_type_id": UUID, "task_type_id": UUID, "source_file_id": UUID,
        "project_id": UUID, "comment": TEXT, "description": TEXT, "size": INT, "checksum": STR, "extension": STR,
        "nb_elements": INT, "source": STR, "path": STR, "data": DICT, "file_status_id": UUID, "canceled": BOOL,
        "person_id": UUID},
        fixed=("name", "revision", "representation", "entity_id", "asset_instance_id", "temporal_entity_id",
               "output_type_id", "task_type_id", "source_file_id", "project_id"),
        computed=("shotgun_id", "content_type", "original_file_name", "uploaded_at", "source_file"),
        hidden=("pending_upload", "revision_claims", "content_key", "previous_contents"), project_field="project_id",
        own_routes=True),
    # Served by chalicelib.api.preview_routes (revision rules, S3 objects, Zou's permissions);
    # listed here for the shared filters and serialization. Every field is typed for
    # `?field=` filters; chalicelib.services.previews.previews decides which ones a PUT may change.
    Collection("preview-files", "PreviewFile", {
        "name": STR, "original_name": STR, "revision": INT, "position": INT, "extension": STR,
        "description": TEXT, "path": STR, "source": STR, "file_size": INT, "status": STR,
        "validation_status": STR, "annotations": LIST, "width": INT, "height": INT, "duration": FLOAT,
        "fps": FLOAT, "frame_count": INT, "data": DICT, "task_id": UUID, "person_id": UUID,
        "source_file_id": UUID, "entity_id": UUID, "task_type_id": UUID, "project_id": UUID,
        "comments": UUIDS, "status_reason": STR},
        required=("task_id",), project_field="project_id", parent_field="task_id", hidden=("pipeline",),
        computed=("source_playable",), own_routes=True),
    Collection("preview-background-files", "PreviewBackgroundFile", {
        "name": STR, "archived": BOOL, "is_default": BOOL, "original_name": STR, "extension": STR,
        "file_size": INT},
        defaults={"archived": False, "is_default": False, "extension": "hdr", "file_size": 0,
                  "has_thumbnail": False},
        computed=("has_thumbnail",), unique_name=True, admin_write=True),
    Collection("attachment-files", "AttachmentFile", {
        "name": STR, "size": INT, "extension": STR, "mimetype": STR, "comment_id": UUID,
        "chat_message_id": UUID, "project_id": UUID, "has_thumbnail": BOOL},
        required=("name",), project_field="project_id", parent_field="comment_id", own_routes=True),
]}

# Zou serves asset types under both names.
ALIASES = {"asset-types": "entity-types"}

ENTITY_KINDS = ("Episode", "Sequence", "Shot", "Asset", "Edit", "Scene", "Concept")
KIND_TO_ROUTE = {c.kind: c.route for c in COLLECTIONS.values()}


def collection(route: str) -> Collection | None:
    return COLLECTIONS.get(ALIASES.get(route, route))
