"""The OpenAPI document is generated from the route table: every route is in it, it
names no route that does not exist, and every schema it refers to is defined."""
import json

import schemathesis

from chalicelib.api import openapi

DOCUMENTED_METHODS = {method.lower() for method in openapi.METHODS}


def served_operations(routes) -> set[tuple[str, str]]:
    return {(path, method.lower()) for path, methods in routes.items() for method in methods
            if method.lower() in DOCUMENTED_METHODS}


def documented_operations(document) -> set[tuple[str, str]]:
    return {(path, method) for path, operations in document["paths"].items() for method in operations}


def test_every_route_is_documented_and_nothing_else(stack):
    document = openapi.document(stack.app.routes)
    served = served_operations(stack.app.routes)
    documented = documented_operations(document)
    assert served - documented == set(), "routes missing from the document"
    assert documented - served == set(), "the document names routes that do not exist"
    # The three families the issue names, and the document itself, are there.
    for path in ("/api/data/projects", "/playlists", "/api/data/working-files/{working_file_id}/upload-url",
                 "/api/openapi.json", "/openapi.json"):
        assert path in document["paths"]


def test_a_route_added_to_the_table_appears_and_a_removed_one_disappears(stack):
    routes = dict(stack.app.routes)
    extra_path, extra_methods = "/api/data/extra-things", routes["/api/data/projects"]
    routes[extra_path] = extra_methods
    removed = routes.pop("/videos/{id}")
    document = openapi.document(routes)
    assert set(document["paths"][extra_path]) == {m.lower() for m in extra_methods}
    assert "/videos/{id}" not in document["paths"]
    assert removed  # the real table had it


def test_each_request_model_belongs_to_a_served_route(stack):
    views = {entry.view_name for methods in stack.app.routes.values() for entry in methods.values()}
    assert set(openapi.REQUEST_MODELS) - views == set()


def test_request_bodies_come_from_the_validating_models(stack):
    document = openapi.document(stack.app.routes)
    schemas = document["components"]["schemas"]
    operation = document["paths"]["/api/data/tasks/{task_id}/working-files/new"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    new_working_file = schemas[reference.rsplit("/", 1)[1]]
    assert new_working_file["required"] == ["name"]
    assert new_working_file["properties"]["name"]["maxLength"] == 250
    upload_url = schemas["UploadUrl"]["properties"]["size"]
    assert upload_url["minimum"] == 1 and upload_url["maximum"] > 0


def test_error_shapes_per_host(stack):
    document = openapi.document(stack.app.routes)
    zou = document["paths"]["/api/data/projects"]["get"]["responses"]["4XX"]
    zype = document["paths"]["/playlists"]["get"]["responses"]["4XX"]
    assert zou["content"]["application/json"]["schema"]["$ref"].endswith("/ZouError")
    assert zype["content"]["application/json"]["schema"]["$ref"].endswith("/ZypeError")
    errors = document["components"]["schemas"]
    assert errors["ZouError"]["required"] == ["error", "message"]
    assert errors["ZypeError"]["required"] == ["message"]


def test_every_reference_resolves_and_schemathesis_loads_it(stack):
    document = openapi.document(stack.app.routes)
    text = json.dumps(document)
    schemas = document["components"]["schemas"]
    references = {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}
    assert references and references - set(schemas) == set()
    loaded = schemathesis.openapi.from_dict(document)
    assert sum(1 for _ in loaded.get_all_operations()) == len(documented_operations(document))
