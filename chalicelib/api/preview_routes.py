"""Zou's preview routes under /api/data and /api/actions: preview files (CRUD with Zou's
rules), adding previews to comments, batch comments, the preview actions, the running
list, attachments and a project's preview backgrounds."""
from chalice import Blueprint

from chalicelib.api.http import created, link, no_content, route
from chalicelib.services.previews import (
    backgrounds,
    batch_comments,
    media_reads,
    previews,
)
from chalicelib.services.production import attachments

blueprint = Blueprint(__name__)


# --- preview files ------------------------------------------------------------------------------

@route(blueprint, "/data/preview-files")
def preview_files(request):
    return previews.list_previews(request.caller, request.query())


@route(blueprint, "/data/preview-files/{preview_file_id}")
def preview_file(request, preview_file_id):
    return previews.get_preview(request.caller, preview_file_id)


@route(blueprint, "/data/preview-files/{preview_file_id}", methods=("PUT",))
def update_preview_file(request, preview_file_id):
    return previews.update_preview(request.caller, preview_file_id, request.json())


@route(blueprint, "/data/preview-files/{preview_file_id}", methods=("DELETE",))
def delete_preview_file(request, preview_file_id):
    previews.delete_preview(request.caller, preview_file_id)
    return no_content()


@route(blueprint, "/actions/tasks/{task_id}/comments/{comment_id}/add-preview", methods=("POST",))
def add_preview(request, task_id, comment_id):
    return created(previews.add_preview(request.caller, task_id, comment_id, request.json_object()))


@route(blueprint, "/actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}",
       methods=("POST",))
def add_extra_preview(request, task_id, comment_id, preview_file_id):
    return created(previews.add_extra_preview(request.caller, task_id, comment_id, preview_file_id))


# --- batch comments: JSON {"comments": [...]} or gazu's multipart form --------------------------

def _batch(request, task_id=None):
    if request.content_type == "multipart/form-data":
        fields, files = request.multipart()
        comments, files_by_comment = batch_comments.comments_from_form(fields, files)
        return created(batch_comments.batch_comment(request.caller, task_id, comments, files_by_comment))
    return created(batch_comments.batch_comment(request.caller, task_id,
                                                batch_comments.comments_from_json(request.json())))


@route(blueprint, "/actions/tasks/{task_id}/batch-comment", methods=("POST",))
def task_batch_comment(request, task_id):
    return _batch(request, task_id)


@route(blueprint, "/actions/tasks/batch-comment", methods=("POST",))
def tasks_batch_comment(request):
    return _batch(request)


# --- preview actions ------------------------------------------------------------------------------

@route(blueprint, "/actions/preview-files/{preview_file_id}/set-main-preview", methods=("PUT",))
def set_main_preview(request, preview_file_id):
    return media_reads.set_main_preview(request.caller, preview_file_id, request.json_object())


@route(blueprint, "/actions/preview-files/{preview_file_id}/update-position", methods=("PUT",))
def update_preview_position(request, preview_file_id):
    return previews.update_position(request.caller, preview_file_id, request.json_object())


@route(blueprint, "/actions/preview-files/{preview_file_id}/update-annotations", methods=("PUT",))
def update_preview_annotations(request, preview_file_id):
    return previews.update_annotations(request.caller, preview_file_id, request.json_object())


@route(blueprint, "/actions/preview-files/{preview_file_id}/extract-frame")
def extract_frame(request, preview_file_id):
    return link(media_reads.extract_frame(request.caller, preview_file_id, request.arg("frame_number")))


@route(blueprint, "/actions/preview-files/{preview_file_id}/extract-tile")
def extract_tile(request, preview_file_id):
    return link(media_reads.extract_tile(request.caller, preview_file_id))


@route(blueprint, "/data/playlists/preview-files/running")
def running_preview_files(request):
    return previews.running_previews(request.caller, request.query())


# --- attachments ---------------------------------------------------------------------------------

@route(blueprint, "/data/attachment-files/{attachment_file_id}")
def attachment_file(request, attachment_file_id):
    return attachments.get(request.caller, attachment_file_id)


@route(blueprint, "/data/tasks/{task_id}/attachment-files")
def task_attachment_files(request, task_id):
    return attachments.for_task(request.caller, task_id)


@route(blueprint, "/data/projects/{project_id}/attachment-files")
def project_attachment_files(request, project_id):
    return attachments.for_project(request.caller, project_id)


@route(blueprint, "/data/attachment-files/{attachment_file_id}/file/{file_name}")
def attachment_file_content(request, attachment_file_id, file_name):
    # The last segment is the file's name for the browser; the record names the object.
    return link(attachments.download(request.caller, attachment_file_id))


# --- a project's preview backgrounds --------------------------------------------------------------

@route(blueprint, "/data/projects/{project_id}/settings/preview-background-files")
def project_preview_backgrounds(request, project_id):
    return backgrounds.project_backgrounds(request.caller, project_id)


@route(blueprint, "/data/projects/{project_id}/settings/preview-background-files", methods=("POST",))
def add_project_preview_background(request, project_id):
    return created(backgrounds.add_project_background(request.caller, project_id, request.json_object()))


@route(blueprint, "/data/projects/{project_id}/settings/preview-background-files/{preview_background_file_id}",
       methods=("DELETE",))
def project_preview_background(request, project_id, preview_background_file_id):
    backgrounds.remove_project_background(request.caller, project_id, preview_background_file_id)
    return no_content()
