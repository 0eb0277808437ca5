"""Who is calling (bearer JWTs, Zype keys) and what they may do (Zou's studio roles).

Every permission check of the product lives in this package, so that routes share one
reading of Zou's rules; services call them as `auth.check_...(caller, ...)`:

  roles.py        the caller, its role, team membership, assignment, departments
  tokens.py       access and refresh tokens, their revocation, passwords and their attempts
  permissions.py  production data: projects, the generic CRUD, tasks, comments, files, avatars
  review.py       preview files and playlists
  zype.py         the publishing API's callers and its write rule"""
from chalicelib.auth.permissions import (
    block_vendor,
    check_admin,
    check_avatar_read_access,
    check_avatar_upload_access,
    check_comment_author,
    check_entity_access,
    check_founding_person,
    check_manager_project_access,
    check_output_file_content_access,
    check_project_access,
    check_record_read,
    check_record_write,
    check_studio,
    check_supervisor_project_access,
    check_task_access,
    check_task_action_access,
    check_task_status_access,
    edits_self,
    may_comment_for_others,
    own_record_changes,
    visible_projects,
    visible_records,
    with_creator_in_team,
)
from chalicelib.auth.review import (
    check_playlist_access,
    check_playlist_create,
    check_playlist_list,
    check_playlist_manage,
    check_playlist_update_access,
    check_playlist_view,
    check_preview_annotation_access,
    check_preview_download_access,
    check_preview_edit_access,
    check_preview_read_access,
    check_preview_thumbnail_access,
    check_preview_upload_access,
    check_set_main_preview_access,
    playlist_visible,
    visible_playlists,
    visible_previews,
)
from chalicelib.auth.roles import (
    ROLES,
    Caller,
    admin_of,
    has_project_access,
    in_studio,
    in_team,
    is_assigned,
    is_manager,
    studio_of,
    supervises,
)
from chalicelib.auth.tokens import (
    EXPIRED_MESSAGE,
    REFRESH,
    REVOKED_MESSAGE,
    attempt_password,
    authenticate,
    check_current_password,
    check_new_password,
    check_own_credentials,
    hash_password,
    issue_access_token,
    issue_tokens,
    password_matches,
    person_id_from_header,
    revoke_session,
    session_changes,
    token_claims,
)
from chalicelib.auth.zype import (
    ZYPE_KEY_KINDS,
    ZYPE_WRITER_ROLES,
    ZypeCaller,
    authenticate_zype,
    check_zype_write,
)

__all__ = [
    "EXPIRED_MESSAGE", "REFRESH", "REVOKED_MESSAGE", "ROLES", "ZYPE_KEY_KINDS", "ZYPE_WRITER_ROLES", "Caller",
    "ZypeCaller", "admin_of",
    "attempt_password", "authenticate", "authenticate_zype", "check_current_password", "check_new_password",
    "check_own_credentials", "block_vendor", "check_admin", "check_avatar_read_access",
    "check_avatar_upload_access", "check_comment_author", "check_entity_access", "check_founding_person",
    "check_manager_project_access", "check_studio", "in_studio", "studio_of",
    "check_output_file_content_access", "check_playlist_access", "check_playlist_create", "check_playlist_list",
    "check_playlist_manage", "check_playlist_update_access", "check_playlist_view",
    "check_preview_annotation_access", "check_preview_download_access", "check_preview_edit_access",
    "check_preview_read_access", "check_preview_thumbnail_access", "check_preview_upload_access",
    "check_project_access", "check_record_read", "check_record_write", "check_set_main_preview_access",
    "check_supervisor_project_access", "check_task_access", "check_task_action_access",
    "check_task_status_access", "check_zype_write", "edits_self", "has_project_access", "hash_password",
    "in_team", "is_assigned", "is_manager", "issue_access_token", "issue_tokens", "may_comment_for_others",
    "own_record_changes", "password_matches", "person_id_from_header", "playlist_visible", "revoke_session",
    "session_changes", "supervises", "token_claims",
    "visible_playlists", "visible_previews", "visible_projects", "visible_records", "with_creator_in_team",
]
