"""Zou's files API: working files, output files, file trees and their content in S3.
Each handler reads its input and calls one service function."""
from chalice import Blueprint

from chalicelib.api.data_routes import ID_PARAM
from chalicelib.api.http import created, no_content, redirect, route
from chalicelib.services.files import (
    content,
    file_records,
    output_files,
    paths,
    working_files,
)
from chalicelib.services.files.output_files import TargetIds

blueprint = Blueprint(__name__)


@route(blueprint, "/data/files/{file_id}")
def file_by_id(request, file_id):
    return file_records.get_file(request.caller, file_id)


# --- working files -----------------------------------------------------------------

@route(blueprint, "/data/tasks/{task_id}/working-files")
def task_working_files(request, task_id):
    return working_files.task_working_files(request.caller, task_id)


@route(blueprint, "/data/tasks/{task_id}/working-files/new", methods=("POST",))
def new_working_file(request, task_id):
    return created(working_files.new_working_file(request.caller, task_id, request.json()))


@route(blueprint, "/data/tasks/{task_id}/working-files/last-revisions")
def last_working_files(request, task_id):
    return working_files.last_working_files(request.caller, task_id)


@route(blueprint, "/data/tasks/{task_id}/working-file-path", methods=("POST",))
def working_file_path(request, task_id):
    return working_files.working_file_path(request.caller, task_id, request.json())


@route(blueprint, "/data/entities/{entity_id}/working-files")
def entity_working_files(request, entity_id):
    return working_files.entity_working_files(request.caller, entity_id, request.query())


@route(blueprint, "/actions/working-files/{working_file_id}/comment", methods=("PUT",))
def comment_working_file(request, working_file_id):
    return working_files.comment_working_file(request.caller, working_file_id, request.json())


@route(blueprint, "/actions/working-files/{working_file_id}/modified", methods=("PUT",))
def touch_working_file(request, working_file_id):
    return working_files.touch_working_file(request.caller, working_file_id)


@route(blueprint, "/data/working-files")
def working_file_list(request):
    return working_files.list_working_files(request.caller, request.query())


@route(blueprint, "/data/working-files/{working_file_id}")
def working_file_item(request, working_file_id):
    return working_files.get_working_file(request.caller, working_file_id)


@route(blueprint, "/data/working-files/{working_file_id}", methods=("PUT",))
def update_working_file(request, working_file_id):
    return working_files.update_working_file(request.caller, working_file_id, request.json())


@route(blueprint, "/data/working-files/{working_file_id}", methods=("DELETE",))
def delete_working_file(request, working_file_id):
    file_records.delete_file(request.caller, "WorkingFile", working_file_id)
    return no_content()


# --- output files ------------------------------------------------------------------

@route(blueprint, "/data/output-files")
def output_file_list(request):
    return output_files.list_output_files(request.caller, request.query())


@route(blueprint, "/data/output-files/{output_file_id}")
def output_file_item(request, output_file_id):
    return output_files.get_output_file(request.caller, output_file_id)


@route(blueprint, "/data/output-files/{output_file_id}", methods=("PUT",))
def update_output_file(request, output_file_id):
    return output_files.update_output_file(request.caller, output_file_id, request.json())


@route(blueprint, "/data/output-files/{output_file_id}", methods=("DELETE",))
def delete_output_file(request, output_file_id):
    file_records.delete_file(request.caller, "OutputFile", output_file_id)
    return no_content()


@route(blueprint, "/data/entities/{entity_id}/output-files")
def entity_output_files(request, entity_id):
    return output_files.output_files(request.caller, TargetIds(entity_id=entity_id), request.query())


@route(blueprint, "/data/asset-instances/{asset_instance_id}/output-files")
def instance_output_files(request, asset_instance_id):
    return output_files.output_files(request.caller, TargetIds(asset_instance_id=asset_instance_id),
                                     request.query())


@route(blueprint, "/data/projects/{project_id}/output-files")
def project_output_files(request, project_id):
    return output_files.project_output_files(request.caller, project_id, request.query())


def _register_target_routes(prefix: str, name: str) -> None:
    """The routes Zou serves both under an entity and under an asset instance seen in a
    temporal entity; `TargetIds(**path_params)` tells them apart."""

    def new(request, **params):
        return created(output_files.new_output_file(request.caller, TargetIds(**params), request.json()))

    def next_revision(request, **params):
        return output_files.next_revision(request.caller, TargetIds(**params), request.json())

    def last_revisions(request, **params):
        return output_files.last_output_files(request.caller, TargetIds(**params), request.query())

    def file_path(request, **params):
        return output_files.output_file_path(request.caller, TargetIds(**params), request.json())

    def types(request, **params):
        return output_files.output_types(request.caller, TargetIds(**params))

    def type_files(request, output_type_id, **params):
        return output_files.output_type_files(request.caller, TargetIds(**params), output_type_id, request.query())

    route(blueprint, f"{prefix}/output-files/new", methods=("POST",), name=f"{name}_new_output_file")(new)
    route(blueprint, f"{prefix}/output-files/next-revision", methods=("POST",),
          name=f"{name}_next_output_revision")(next_revision)
    route(blueprint, f"{prefix}/output-files/last-revisions", name=f"{name}_last_output_files")(last_revisions)
    route(blueprint, f"{prefix}/output-file-path", methods=("POST",), name=f"{name}_output_file_path")(file_path)
    route(blueprint, f"{prefix}/output-types", name=f"{name}_output_types")(types)
    route(blueprint, f"{prefix}/output-types/{{output_type_id}}/output-files",
          name=f"{name}_output_type_files")(type_files)


_register_target_routes("/data/entities/{entity_id}", "entity")
_register_target_routes("/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}", "instance")


# --- content in S3 -----------------------------------------------------------------

def _register_content_routes(url_name: str, kind: str) -> None:
    id_param = ID_PARAM[url_name]
    prefix = f"/data/{url_name}/{{{id_param}}}"

    def file_content(request, **params):
        return redirect(content.download_url(request.caller, kind, params[id_param]))

    def upload_file_content(request, **params):
        _, uploaded = request.multipart()
        return created(content.upload_through_api(request.caller, kind, params[id_param], uploaded))

    def upload_url(request, **params):
        return content.start_upload(request.caller, kind, params[id_param], request.json())

    def upload_complete(request, **params):
        return content.complete_upload(request.caller, kind, params[id_param], request.json())

    name = url_name.replace("-", "_")
    route(blueprint, f"{prefix}/file", name=f"{name}_content")(file_content)
    route(blueprint, f"{prefix}/file", methods=("POST",), name=f"upload_{name}_content")(upload_file_content)
    route(blueprint, f"{prefix}/upload-url", methods=("POST",), name=f"{name}_upload_url")(upload_url)
    route(blueprint, f"{prefix}/upload-complete", methods=("POST",), name=f"{name}_upload_complete")(upload_complete)


_register_content_routes("working-files", "WorkingFile")
_register_content_routes("output-files", "OutputFile")


# --- file trees ------------------------------------------------------------------

@route(blueprint, "/actions/projects/{project_id}/set-file-tree", methods=("POST",))
def set_file_tree(request, project_id):
    return paths.set_file_tree(request.caller, project_id, request.json())


def guess_from_path(request):
    return paths.guess_from_path(request.caller, request.json())


# gazu calls the underscore spelling; Zou serves both.
route(blueprint, "/data/entities/guess_from_path", methods=("POST",), name="guess_from_path")(guess_from_path)
route(blueprint, "/data/entities/guess-from-path", methods=("POST",), name="guess_from_path_dashed")(guess_from_path)
