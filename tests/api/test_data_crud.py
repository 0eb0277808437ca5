"""Generic CRUD on every collection, and bad input on each: 4xx with a message, never 500."""
import uuid

import pytest


def _body_for(route, project, demo, unique):
    pid = project["id"]
    shot, task = demo["shots"][0], demo["tasks"][0]
    return {
        "projects": {"name": unique("p")},
        "episodes": {"name": unique("E"), "project_id": pid},
        "sequences": {"name": unique("SQ"), "project_id": pid},
        "shots": {"name": unique("SH"), "project_id": pid},
        "assets": {"name": unique("A"), "project_id": pid, "entity_type_id": demo["assets"][0]["entity_type_id"]},
        "entity-types": {"name": unique("Type")},
        "asset-instances": {"asset_id": demo["assets"][0]["id"], "project_id": demo["project"]["id"]},
        "task-types": {"name": unique("TT"), "for_entity": "Shot"},
        "task-status": {"name": unique("St"), "short_name": unique("s")},
        "tasks": {"project_id": demo["project"]["id"], "entity_id": shot["id"], "name": unique("t"),
                  "task_type_id": task["task_type_id"]},
        "persons": {"first_name": "New", "email": f"{unique('p')}@example.com", "role": "user"},
        "departments": {"name": unique("Dep")},
        "studios": {"name": unique("Studio")},
        "organisations": {"name": unique("Org")},
        "output-types": {"name": unique("OT"), "short_name": "ot"},
        "file-status": {"name": unique("FS")},
        "softwares": {"name": unique("Soft"), "short_name": "sw", "file_extension": ".sw"},
        "comments": {"object_id": task["id"], "task_status_id": task["task_status_id"], "text": "hi",
                     "project_id": demo["project"]["id"]},
    }[route]


ROUTES = ["projects", "episodes", "sequences", "shots", "assets", "entity-types", "asset-instances",
          "task-types", "task-status", "tasks", "persons", "departments", "studios", "organisations",
          "output-types", "file-status", "softwares", "comments"]


@pytest.mark.parametrize("route", ROUTES)
def test_crud_round_trip(api, project, demo, unique, route):
    admin = api["admin"]
    body = _body_for(route, project, demo, unique)
    created = admin.post(f"/data/{route}", json=body)
    assert created.status_code == 201, created.text
    record = created.json()
    assert uuid.UUID(record["id"]) and record["created_at"] <= record["updated_at"]
    assert admin.get(f"/data/{route}/{record['id']}").json()["id"] == record["id"]
    listed = admin.get(f"/data/{route}", params={"id": record["id"]}).json()
    assert [item["id"] for item in listed] == [record["id"]]
    # gazu PUTs back the whole dict, read-only fields included.
    changed = {**record, "description": "changed"} if "description" in record or route in (
        "projects", "episodes", "sequences", "shots", "assets", "entity-types", "asset-instances", "tasks",
        "task-types", "task-status") else {**record, "color": "#123456"} if route in (
        "departments", "studios", "file-status") else {**record}
    updated = admin.put(f"/data/{route}/{record['id']}", json=changed)
    assert updated.status_code == 200, updated.text
    assert updated.json()["id"] == record["id"]
    assert "password" not in updated.json()
    deleted = admin.delete(f"/data/{route}/{record['id']}")
    assert deleted.status_code == 204, deleted.text
    assert admin.get(f"/data/{route}/{record['id']}").status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_bad_input_is_a_clear_4xx(api, route):
    admin = api["admin"]
    assert admin.get(f"/data/{route}/not-a-uuid").status_code == 400
    missing = admin.get(f"/data/{route}/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["message"]
    bad_json = admin.post(f"/data/{route}", data=b"{nope", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["message"]
    not_object = admin.post(f"/data/{route}", json=[1, 2])
    assert not_object.status_code == 400
    unknown_field = admin.post(f"/data/{route}", json={"name": "x", "no_such_field": 1})
    assert unknown_field.status_code == 400
    bad_filter = admin.get(f"/data/{route}", params={"no_such_column": "1"})
    assert bad_filter.status_code == 400 and "Cannot filter" in bad_filter.json()["message"]


def test_wrong_types_and_unknown_references(api, project, demo):
    admin = api["admin"]
    wrong_type = admin.post("/data/shots", json={"name": "S", "project_id": project["id"], "nb_frames": "many"})
    assert wrong_type.status_code == 400 and "nb_frames" in wrong_type.json()["message"]
    bad_uuid = admin.post("/data/shots", json={"name": "S", "project_id": "123"})
    assert bad_uuid.status_code == 400
    unknown = admin.post("/data/shots", json={"name": "S", "project_id": str(uuid.uuid4())})
    assert unknown.status_code == 400 and "project_id" in unknown.json()["message"]
    cross = admin.post("/data/tasks", json={"project_id": project["id"], "entity_id": demo["shots"][0]["id"],
                                            "task_type_id": demo["tasks"][0]["task_type_id"]})
    assert cross.status_code == 400 and "another project" in cross.json()["message"]
    bool_filter = admin.get("/data/task-status", params={"is_default": "maybe"})
    assert bool_filter.status_code == 400


def test_filters_and_get_or_create_by_name(api, demo):
    admin = api["admin"]
    by_name = admin.get("/data/task-status", params={"short_name": "wip"}).json()
    assert [s["short_name"] for s in by_name] == ["wip"]
    defaults = admin.get("/data/task-status", params={"is_default": "True"}).json()
    assert [s["short_name"] for s in defaults] == ["todo"]
    case_insensitive = admin.get("/data/projects", params={"name": "demo SHORT"}).json()
    assert [p["id"] for p in case_insensitive] == [demo["project"]["id"]]
    tasks = admin.get("/data/tasks", params={"name": "main", "entity_id": demo["shots"][0]["id"],
                                             "task_type_id": demo["task_types"]["Animation"]["id"]}).json()
    assert len(tasks) == 1
    page = admin.get("/data/shots", params={"project_id": demo["project"]["id"], "page": "1", "limit": "2"}).json()
    assert page["total"] == 3 and page["nb_pages"] == 2 and len(page["data"]) == 2


def test_duplicate_names_are_refused(api, project):
    manager = api["manager"]
    first = manager.post(f"/data/projects/{project['id']}/sequences", json={"name": "SQ99"})
    assert first.status_code == 201
    second = manager.post(f"/data/projects/{project['id']}/sequences", json={"name": "sq99"})
    assert second.status_code == 400 and "already exists" in second.json()["message"]


def test_renaming_frees_the_old_name(api, project):
    manager = api["manager"]
    seq = manager.post(f"/data/projects/{project['id']}/sequences", json={"name": "A1"}).json()
    assert manager.put(f"/data/sequences/{seq['id']}", json={"name": "B1"}).status_code == 200
    assert manager.post(f"/data/projects/{project['id']}/sequences", json={"name": "A1"}).status_code == 201


def test_deleting_a_parent_with_children_is_refused(api, demo):
    answer = api["admin"].delete(f"/data/shots/{demo['shots'][0]['id']}")
    assert answer.status_code == 400 and "task" in answer.json()["message"]
