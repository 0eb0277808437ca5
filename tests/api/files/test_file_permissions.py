"""Who may do what with files (the seed's table, Zou's checks): outsiders get 403 on
every route, vendors see only their tasks, updates need task action or manager access."""
import pytest

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def closed(api, make_production):
    """A production whose team is its manager alone, with a working and an output file."""
    closed = make_production(team_roles=("manager",))
    manager = api["manager"]
    closed.working_file = manager.post(f"/data/tasks/{closed.animation_task['id']}/working-files/new",
                                       json={"name": "main"}).json()
    closed.output_file = manager.post(f"/data/entities/{closed.shot['id']}/output-files/new", json={
        "output_type_id": closed.output_types["Cache"]["id"],
        "task_type_id": closed.task_types["Animation"]["id"]}).json()
    assert manager.post(f"/data/working-files/{closed.working_file['id']}/file",
                        files={"file": ("a.ma", b"a")}).status_code == 201
    return closed


def every_route(closed) -> list[tuple[str, str, dict]]:
    task, shot, project = closed.animation_task["id"], closed.shot["id"], closed.project["id"]
    working, output = closed.working_file["id"], closed.output_file["id"]
    ids = {"output_type_id": closed.output_types["Cache"]["id"], "task_type_id": closed.task_types["Animation"]["id"]}
    return [
        ("GET", f"/data/files/{working}", {}),
        ("GET", f"/data/working-files/{working}", {}),
        ("PUT", f"/data/working-files/{working}", {"comment": "x"}),
        ("GET", f"/data/working-files/{working}/file", {}),
        ("POST", f"/data/working-files/{working}/upload-url", {"size": 3}),
        ("GET", f"/data/tasks/{task}/working-files", {}),
        ("GET", f"/data/tasks/{task}/working-files/last-revisions", {}),
        ("POST", f"/data/tasks/{task}/working-files/new", {"name": "main"}),
        ("POST", f"/data/tasks/{task}/working-file-path", {}),
        ("GET", f"/data/entities/{shot}/working-files", {}),
        ("PUT", f"/actions/working-files/{working}/comment", {"comment": "x"}),
        ("PUT", f"/actions/working-files/{working}/modified", {}),
        ("GET", f"/data/output-files/{output}", {}),
        ("PUT", f"/data/output-files/{output}", {"comment": "x"}),
        ("POST", f"/data/output-files/{output}/upload-url", {"size": 3}),
        ("POST", f"/data/entities/{shot}/output-files/new", ids),
        ("POST", f"/data/entities/{shot}/output-files/next-revision", ids),
        ("GET", f"/data/entities/{shot}/output-files/last-revisions", {}),
        ("GET", f"/data/entities/{shot}/output-files", {}),
        ("POST", f"/data/entities/{shot}/output-file-path", ids),
        ("GET", f"/data/entities/{shot}/output-types", {}),
        ("GET", f"/data/entities/{shot}/output-types/{ids['output_type_id']}/output-files", {}),
        ("GET", f"/data/projects/{project}/output-files", {}),
        ("POST", f"/actions/projects/{project}/set-file-tree", {"tree_name": "simple"}),
        ("POST", "/data/entities/guess_from_path", {"project_id": project, "file_path": "/simple/productions/x"}),
    ]


@pytest.mark.parametrize("role", ["user", "client", "vendor", "supervisor"])
def test_outsiders_get_403_on_every_files_route(api, closed, role):
    refused = {path: api[role].request(method, path, json=body).status_code
               for method, path, body in every_route(closed)}
    assert refused == {path: 403 for path in refused}


def test_outsiders_see_no_files_in_the_crud_lists(api, closed):
    path = closed.working_file["path"]
    assert api["user"].get("/data/working-files", params={"path": path}).json() == []
    assert api["manager"].get("/data/working-files", params={"path": path}).json()[0]["id"] == \
        closed.working_file["id"]
    assert api["vendor"].get("/data/output-files").status_code == 403  # Zou closes the lists to vendors


def test_unknown_ids_are_404_and_malformed_ids_400(api, closed):
    for method, path, body in every_route(closed):
        if "guess_from_path" in path:
            continue
        for known in (closed.working_file["id"], closed.output_file["id"], closed.animation_task["id"],
                      closed.shot["id"], closed.project["id"]):
            path = path.replace(known, UNKNOWN)
        assert api["admin"].request(method, path, json=body).status_code == 404, (method, path)
        malformed = path.replace(UNKNOWN, "not-an-id")
        assert api["admin"].request(method, malformed, json=body).status_code == 400, (method, malformed)


def test_vendors_reach_only_the_tasks_they_are_assigned_to(api, production):
    # The vendor is assigned to the layout task only.
    layout, animation = production.layout_task["id"], production.animation_task["id"]
    assert api["vendor"].post(f"/data/tasks/{layout}/working-files/new", json={"name": "main"}).status_code == 201
    assert api["vendor"].post(f"/data/tasks/{animation}/working-files/new", json={"name": "main"}).status_code == 403
    assert api["vendor"].get(f"/data/tasks/{animation}/working-files").status_code == 403
    artist_file = api["user"].post(f"/data/tasks/{animation}/working-files/new", json={"name": "main"}).json()
    assert api["vendor"].get(f"/data/working-files/{artist_file['id']}").status_code == 403
    assert api["vendor"].get(f"/data/tasks/{layout}/working-files").status_code == 200


def test_changing_a_working_file_needs_task_action_access(api, production):
    working_file = api["user"].post(f"/data/tasks/{production.animation_task['id']}/working-files/new",
                                    json={"name": "main"}).json()
    comment = f"/actions/working-files/{working_file['id']}/comment"
    # The vendor is in the team but not on this task; the supervisor is in the task type's department.
    assert api["vendor"].put(comment, json={"comment": "x"}).status_code == 403
    assert api["supervisor"].put(comment, json={"comment": "sup"}).status_code == 200
    assert api["manager"].put(comment, json={"comment": "mgr"}).json()["comment"] == "mgr"
    assert api["vendor"].post(f"/data/working-files/{working_file['id']}/file",
                              files={"file": ("x.ma", b"x")}).status_code == 403
    assert api["client"].get(f"/data/working-files/{working_file['id']}").status_code == 200  # reading is open


def test_only_admins_delete_files_and_a_deleted_revision_can_be_made_again(api, production):
    task_url = f"/data/tasks/{production.animation_task['id']}/working-files/new"
    working_file = api["user"].post(task_url, json={"name": "main", "revision": 4}).json()
    url = f"/data/working-files/{working_file['id']}"
    assert api["user"].post(f"{url}/file", files={"file": ("a.ma", b"abc")}).status_code == 201
    assert api["manager"].delete(url).status_code == 403
    assert api["admin"].delete(url).status_code == 204
    assert api["user"].get(url).status_code == 404
    assert api["user"].post(task_url, json={"name": "main", "revision": 4}).status_code == 201

    output_file = api["user"].post(f"/data/entities/{production.shot['id']}/output-files/new", json={
        "output_type_id": production.output_types["Cache"]["id"],
        "task_type_id": production.task_types["Animation"]["id"], "revision": 2}).json()
    assert api["admin"].delete(f"/data/output-files/{output_file['id']}").status_code == 204
    assert api["user"].get(f"/data/files/{output_file['id']}").status_code == 404
