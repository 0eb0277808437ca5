"""The OpenAPI 3.1 document of the whole API, generated from what serves it: the app's
route table (every path and method Chalice dispatches), the pydantic models that
validate request bodies where a route has one, and the Zype readers' own constants
(sortable fields, page caps). Nothing here is written by hand per route, so a route
cannot be added without appearing here, and the document names no route that is gone.

Served without authentication at /api/openapi.json (gazu's host) and /openapi.json."""
import re

from chalice import Blueprint
from pydantic.json_schema import models_json_schema

from chalicelib.api.http import json_response
from chalicelib.services import uploads
from chalicelib.services.files import bodies
from chalicelib.services.zype import categories, filters, ordering, pagination

OPENAPI_VERSION = "3.1.0"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")  # HEAD and OPTIONS follow GET / CORS
_PARAM = re.compile(r"\{([^{}]+)\}")
_UUID = {"type": "string", "format": "uuid"}
_OBJECT_ID = {"type": "string", "pattern": "^[0-9a-f]{24}$"}

# The view (route name) whose body a request model validates. View names are the ones
# given at registration (chalicelib/api/*_routes.py); the unit test checks each exists.
REQUEST_MODELS = {
    "new_working_file": bodies.NewWorkingFile,
    "working_file_path": bodies.WorkingFilePath,
    "comment_working_file": bodies.WorkingFileComment,
    "set_file_tree": bodies.SetFileTree,
    "guess_from_path": bodies.GuessFromPath,
    "guess_from_path_dashed": bodies.GuessFromPath,
    "entity_next_output_revision": bodies.NextOutputRevision,
    "instance_next_output_revision": bodies.NextOutputRevision,
    "entity_new_output_file": bodies.NewOutputFile,
    "instance_new_output_file": bodies.NewOutputFile,
    "entity_output_file_path": bodies.OutputFilePath,
    "instance_output_file_path": bodies.OutputFilePath,
    "working_files_upload_url": bodies.UploadUrl,
    "output_files_upload_url": bodies.UploadUrl,
    "working_files_upload_complete": uploads.UploadComplete,
    "output_files_upload_complete": uploads.UploadComplete,
    "preview_file_upload_complete": uploads.UploadComplete,
    "root_preview_file_upload_complete": uploads.UploadComplete,
}

# Zype's list readers: the sort fields each accepts (their own constants).
ZYPE_SORTS = {
    "/playlists": filters.PLAYLIST_SORTS,
    "/playlists/{id}/videos": filters.VIDEO_SORTS,
    "/playlists/{id}/add_videos": filters.VIDEO_SORTS,
    "/playlists/{id}/remove_videos": filters.VIDEO_SORTS,
    "/videos": filters.VIDEO_SORTS,
    "/categories": categories.SORTS,
}
ZYPE_WRAPPERS = {"playlists": "playlist", "videos": "video", "categories": "category"}

ERROR_SCHEMAS = {
    "ZouError": {
        "type": "object", "required": ["error", "message"],
        "properties": {"error": {"const": True}, "message": {"type": "string"}, "data": {}},
        "description": "Zou's error body (gazu raises on the status and shows `message`).",
    },
    "ZypeError": {
        "type": "object", "required": ["message"], "properties": {"message": {"type": "string"}},
        "description": "Zype's error body: one `message` (the zype gem reads that key).",
    },
}
ZYPE_SCHEMAS = {
    "ZypePagination": {
        "type": "object", "required": ["current", "previous", "next", "per_page", "pages"],
        "properties": {
            "current": {"type": "integer", "minimum": 1},
            "previous": {"type": ["integer", "null"]},
            "next": {"type": ["integer", "null"]},
            "per_page": {"type": "integer", "minimum": 1, "maximum": pagination.MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 0},
        },
    },
    "ZypeRecord": {"type": "object", "required": ["_id"], "properties": {"_id": _OBJECT_ID}},
    "ZypeOne": {"type": "object", "required": ["response"],
                "properties": {"response": {"$ref": "#/components/schemas/ZypeRecord"}}},
    "ZypeList": {"type": "object", "required": ["response", "pagination"],
                 "properties": {"response": {"type": "array", "items": {"$ref": "#/components/schemas/ZypeRecord"}},
                                "pagination": {"$ref": "#/components/schemas/ZypePagination"}}},
    "ZypePlaylistNode": {
        "type": "object", "required": ["id", "title"],
        "properties": {"id": _OBJECT_ID, "title": {"type": ["string", "null"]},
                       "priority": {"type": ["integer", "null"]},
                       "playlists": {"type": "array", "items": {"$ref": "#/components/schemas/ZypePlaylistNode"}}},
    },
    "ZypeRelationships": {"type": "object", "required": ["playlists"],
                          "properties": {"playlists": {"type": "array",
                                                       "items": {"$ref": "#/components/schemas/ZypePlaylistNode"}}}},
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def is_zype(path: str) -> bool:
    return path.split("/")[1] in ("playlists", "videos", "categories", "zype")


def _path_parameter(path: str, name: str) -> dict:
    if is_zype(path) and name == "id":
        schema = _OBJECT_ID
    elif name == "id" or name.endswith("_id"):
        schema = _UUID  # chalicelib.api.http.validate_path_ids
    else:
        schema = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _zype_query(path: str, method: str) -> list[dict]:
    credentials = [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                   for name in ("api_key", "app_key")]
    if path not in ZYPE_SORTS or method not in ("GET", "PUT") or (method == "PUT" and "_videos" not in path):
        return credentials
    return credentials + [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 0},
         "description": "1-based; 0 is the first page too."},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1},
         "description": f"Default {pagination.DEFAULT_PER_PAGE}; above {pagination.MAX_PER_PAGE} it is capped "
                        f"and the cap is answered in pagination.per_page."},
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(ZYPE_SORTS[path])}},
        {"name": "order", "in": "query", "schema": {"type": "string", "enum": list(ordering.ORDERS)}},
        {"name": "q", "in": "query", "schema": {"type": "string"}},
    ]


def _zype_body(path: str, method: str) -> dict | None:
    if method not in ("POST", "PUT"):
        return None
    if path.endswith("_videos"):
        schema = {"type": "object", "properties": {"video_id": {"type": "array", "items": _OBJECT_ID}}}
    else:
        wrapper = ZYPE_WRAPPERS[path.split("/")[1]]
        schema = {"type": "object", "required": [wrapper], "properties": {wrapper: {"type": "object"}}}
    return {"required": False, "content": _json(schema)}


def _zype_success(path: str, method: str) -> dict:
    if method == "DELETE":
        return {"204": {"description": "Deleted"}}
    if path.startswith("/zype/images"):
        return {"302": {"description": "Redirect to the picture"}}
    if path == "/playlists/relationships":
        return {"200": {"description": "The playlist tree", "content": _json(_ref("ZypeRelationships"))}}
    if "{id}" in path and not path.endswith("s") or (method == "POST" and "{" not in path) or (
            method == "PUT" and path.endswith("{id}")):
        status = "201" if method == "POST" else "200"
        return {status: {"description": "One record", "content": _json(_ref("ZypeOne"))}}
    return {"200": {"description": "A page of records", "content": _json(_ref("ZypeList"))}}


def _operation(path: str, method: str, entry, model_names: dict) -> dict:
    zype = is_zype(path)
    operation = {
        "operationId": f"{method.lower()}_{entry.view_name}",
        "tags": ["zype" if zype else path.split("/")[2 if path.startswith("/api/") else 1]],
        "parameters": [_path_parameter(path, name) for name in _PARAM.findall(path)],
    }
    error = _ref("ZypeError" if zype else "ZouError")
    if zype:
        operation["parameters"] += _zype_query(path, method)
        body = _zype_body(path, method)
        responses = _zype_success(path, method)
    else:
        model = REQUEST_MODELS.get(entry.view_name)
        body = None
        if model is not None:
            body = {"required": True, "content": _json(_ref(model_names[model]))}
        elif method in ("POST", "PUT"):
            body = {"required": False, "content": _json({"type": "object"})}
        responses = {"2XX": {"description": "Success (a JSON record or list, a 202 while processing, "
                                            "or an empty 204)"},
                     "3XX": {"description": "Redirect to a presigned S3 link"}}
    if body:
        operation["requestBody"] = body
    responses["4XX"] = {"description": "Refused", "content": _json(error)}
    responses["5XX"] = {"description": "Server error", "content": _json(error)}
    operation["responses"] = responses
    return operation


def request_model_schemas() -> tuple[dict, dict]:
    """({model: component name}, {component name: JSON schema}) for every request model."""
    models = list(dict.fromkeys(REQUEST_MODELS.values()))
    mapping, definitions = models_json_schema([(model, "validation") for model in models],
                                              ref_template="#/components/schemas/{model}")
    names = {model: mapping[(model, "validation")]["$ref"].rsplit("/", 1)[1] for model in models}
    return names, definitions.get("$defs", {})


def document(routes: dict) -> dict:
    """The OpenAPI document of `routes` (a Chalice app's `routes`: path -> method -> RouteEntry)."""
    model_names, schemas = request_model_schemas()
    paths = {}
    for path in sorted(routes):
        operations = {method.lower(): _operation(path, method, entry, model_names)
                      for method, entry in sorted(routes[path].items()) if method in METHODS}
        if operations:
            paths[path] = operations
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "reelbase", "version": "1",
                 "description": "Zou-compatible review API under /api (gazu) and the Zype-style "
                                "publishing API at the root."},
        "paths": paths,
        "components": {
            "schemas": {**schemas, **ERROR_SCHEMAS, **ZYPE_SCHEMAS},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "zype_api_key": {"type": "apiKey", "in": "query", "name": "api_key"},
                "zype_app_key": {"type": "apiKey", "in": "query", "name": "app_key"},
            },
        },
        "security": [{"bearer": []}, {"zype_api_key": []}, {"zype_app_key": []}, {}],
    }


def make_blueprint() -> Blueprint:
    """One blueprint per mount point (/api and the root), like media_routes."""
    blueprint = Blueprint(__name__)
    cached: dict = {}

    @blueprint.route("/openapi.json", methods=["GET"], name="openapi_document")
    def openapi_document():
        if "document" not in cached:
            cached["document"] = document(blueprint.current_app.routes)
        return json_response(cached["document"])

    return blueprint
