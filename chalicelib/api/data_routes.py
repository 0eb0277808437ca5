"""Zou's data API: generic CRUD for every collection, plus the production routes
gazu calls (entities under projects, `.../all` listings, teams, comments)."""
from chalice import Blueprint

from chalicelib.api.http import created, no_content, route
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, deletes, production

blueprint = Blueprint(__name__)

# API Gateway wants one variable name per position under a parent; this table is
# the one place that names the id segment after each collection.
ID_PARAM = {
    "projects": "project_id", "episodes": "episode_id", "sequences": "sequence_id", "shots": "shot_id",
    "assets": "asset_id", "entity-types": "entity_type_id", "asset-types": "asset_type_id",
    "asset-instances": "asset_instance_id", "task-types": "task_type_id", "task-status": "task_status_id",
    "tasks": "task_id", "persons": "person_id", "departments": "department_id", "studios": "studio_id",
    "organisations": "organisation_id", "output-types": "output_type_id", "file-status": "file_status_id",
    "softwares": "software_id", "comments": "comment_id", "preview-files": "preview_file_id",
    "working-files": "working_file_id", "output-files": "output_file_id",
    "preview-background-files": "preview_background_file_id", "attachment-files": "attachment_file_id",
}


def _register_collection(url_name: str, collection: c.Collection) -> None:
    id_param = ID_PARAM[url_name]
    prefix = url_name.replace("-", "_")

    def list_records(request):
        return data.list_records(request.caller, collection, request.query())

    def create_record(request):
        return created(data.create_record(request.caller, collection, request.json()))

    def get_record(request, **params):
        if collection.kind in ("Shot", "Asset"):
            return production.full_entity(request.caller, collection.kind, params[id_param])
        return data.get_record(request.caller, collection, params[id_param])

    def update_record(request, **params):
        return data.update_record(request.caller, collection, params[id_param], request.json())

    def delete_record(request, **params):
        # gazu sends Python's booleans as they print: ?force=True.
        force = str(request.arg("force", "false")).lower() in ("true", "1")
        deletes.delete_record(request.caller, collection, params[id_param], force=force)
        return no_content()

    item = f"/data/{url_name}/{{{id_param}}}"
    route(blueprint, f"/data/{url_name}", name=f"list_{prefix}")(list_records)
    route(blueprint, f"/data/{url_name}", methods=("POST",), name=f"create_{prefix}")(create_record)
    route(blueprint, item, name=f"get_{prefix}")(get_record)
    route(blueprint, item, methods=("PUT",), name=f"update_{prefix}")(update_record)
    route(blueprint, item, methods=("DELETE",), name=f"delete_{prefix}")(delete_record)


for _url_name, _collection in [*c.COLLECTIONS.items(), *((a, c.COLLECTIONS[t]) for a, t in c.ALIASES.items())]:
    if not _collection.own_routes:
        _register_collection(_url_name, _collection)


# --- entities under their project -------------------------------------------------

@route(blueprint, "/data/projects/{project_id}/shots")
def project_shots(request, project_id):
    return production.list_entities(request.caller, "Shot", request.query(), project_id=project_id)


@route(blueprint, "/data/projects/{project_id}/shots", methods=("POST",))
def new_project_shot(request, project_id):
    return created(production.create_in_project(request.caller, "Shot", project_id, request.json()))


@route(blueprint, "/data/projects/{project_id}/sequences")
def project_sequences(request, project_id):
    return production.list_entities(request.caller, "Sequence", request.query(), project_id=project_id)


@route(blueprint, "/data/projects/{project_id}/sequences", methods=("POST",))
def new_project_sequence(request, project_id):
    return created(production.create_in_project(request.caller, "Sequence", project_id, request.json()))


@route(blueprint, "/data/projects/{project_id}/episodes")
def project_episodes(request, project_id):
    return production.list_entities(request.caller, "Episode", request.query(), project_id=project_id)


@route(blueprint, "/data/projects/{project_id}/episodes", methods=("POST",))
def new_project_episode(request, project_id):
    return created(production.create_in_project(request.caller, "Episode", project_id, request.json()))


@route(blueprint, "/data/projects/{project_id}/assets")
def project_assets(request, project_id):
    return production.list_entities(request.caller, "Asset", request.query(), project_id=project_id)


@route(blueprint, "/data/projects/{project_id}/asset-types/{asset_type_id}/assets/new", methods=("POST",))
def new_asset(request, project_id, asset_type_id):
    return created(production.create_in_project(request.caller, "Asset", project_id, request.json(),
                                                entity_type_id=asset_type_id))


@route(blueprint, "/data/projects/{project_id}/team")
def project_team(request, project_id):
    return production.team(request.caller, project_id)


@route(blueprint, "/data/projects/{project_id}/team", methods=("POST",))
def add_to_project_team(request, project_id):
    return created(production.add_to_team(request.caller, project_id, request.json_object()))


@route(blueprint, "/data/projects/{project_id}/team/{person_id}", methods=("DELETE",))
def project_team_member(request, project_id, person_id):
    production.remove_from_team(request.caller, project_id, person_id)
    return no_content()


@route(blueprint, "/data/projects/open")
def open_projects(request):
    return production.open_projects(request.caller)


@route(blueprint, "/data/projects/all")
def all_projects(request):
    return data.list_records(request.caller, c.COLLECTIONS["projects"], {})


# --- the `.../all` listings gazu's get-or-create uses ---------------------------------

@route(blueprint, "/data/shots/all")
def all_shots(request):
    return production.list_entities(request.caller, "Shot", request.query())


@route(blueprint, "/data/sequences/all")
def all_sequences(request):
    return production.list_entities(request.caller, "Sequence", request.query())


@route(blueprint, "/data/episodes/all")
def all_episodes(request):
    return production.list_entities(request.caller, "Episode", request.query())


@route(blueprint, "/data/assets/all")
def all_assets(request):
    return production.list_entities(request.caller, "Asset", request.query())


# --- children ---------------------------------------------------------------------

@route(blueprint, "/data/sequences/{sequence_id}/shots")
def sequence_shots(request, sequence_id):
    return production.list_children(request.caller, ("Sequence",), sequence_id, "Shot")


@route(blueprint, "/data/episodes/{episode_id}/sequences")
def episode_sequences(request, episode_id):
    return production.list_children(request.caller, ("Episode",), episode_id, "Sequence")


@route(blueprint, "/data/shots/{shot_id}/tasks")
def shot_tasks(request, shot_id):
    return production.list_children(request.caller, ("Shot",), shot_id, "Task")


@route(blueprint, "/data/assets/{asset_id}/tasks")
def asset_tasks(request, asset_id):
    return production.list_children(request.caller, ("Asset",), asset_id, "Task")


@route(blueprint, "/data/entities/{entity_id}/tasks")
def entity_tasks(request, entity_id):
    return production.list_children(request.caller, c.ENTITY_KINDS, entity_id, "Task")


@route(blueprint, "/data/entities/{entity_id}")
def entity(request, entity_id):
    found = data.require_entity(entity_id)
    collection = c.COLLECTIONS[c.KIND_TO_ROUTE[found["type"]]]
    return data.get_record(request.caller, collection, entity_id)


@route(blueprint, "/data/tasks/{task_id}/comments")
def task_comments(request, task_id):
    return production.list_children(request.caller, ("Task",), task_id, "Comment")


@route(blueprint, "/data/assets/{asset_id}/asset-asset-instances")
def asset_asset_instances(request, asset_id):
    return production.list_children(request.caller, ("Asset",), asset_id, "AssetInstance")


@route(blueprint, "/data/assets/{asset_id}/asset-asset-instances", methods=("POST",))
def new_asset_asset_instance(request, asset_id):
    return created(production.new_asset_asset_instance(request.caller, asset_id, request.json_object()))


@route(blueprint, "/actions/tasks/{task_id}/comment", methods=("POST",))
def comment_task(request, task_id):
    if request.content_type == "multipart/form-data":
        fields, files = request.multipart()
        return created(production.add_comment(request.caller, task_id, fields, files))
    return created(production.add_comment(request.caller, task_id, request.json_object()))


@route(blueprint, "/data/tasks/{task_id}/full")
def task_full(request, task_id):
    return production.full_task(request.caller, task_id)
