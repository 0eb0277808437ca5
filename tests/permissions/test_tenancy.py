"""A studio is a tenant: nothing of studio A is readable or writable from studio B,
whatever B's role, Zype keys included."""
from tests.permissions.world import ok, person, ready_movie
from tests.zype.helpers import Zype


def test_the_admin_of_another_studio_may_not_list_issue_or_revoke_its_zype_keys(a, b):
    keys = f"/data/studios/{a.studio['id']}/zype-keys"
    assert b.apis["admin"].get(keys).status_code == 403
    assert b.apis["admin"].post(keys, json={"kind": "api_key", "name": "mine now"}).status_code == 403
    listed = ok(a.apis["admin"].get(keys))
    assert b.apis["admin"].delete(f"{keys}/{listed[0]['id']}").status_code == 403
    assert len(ok(a.apis["admin"].get(keys))) == len(listed)
    assert a.apis["manager"].get(keys).status_code == 403  # the studio's admins only


def test_a_zype_key_sees_only_its_own_studio(stack, a, b):
    mine = Zype(stack.api_url, {"api_key": a.zype_api_key})
    theirs = Zype(stack.api_url, {"api_key": b.zype_api_key})
    playlist = mine.playlist("A's picks")
    assert theirs.get(f"/playlists/{playlist['_id']}").status_code == 404
    assert theirs.put(f"/playlists/{playlist['_id']}", json={"playlist": {"title": "B's now"}}).status_code == 404
    assert theirs.delete(f"/playlists/{playlist['_id']}").status_code == 404
    assert playlist["_id"] not in [p["_id"] for p in theirs.get("/playlists").json()["response"]]
    bearer_b = Zype(stack.api_url, headers={"Authorization": f"Bearer {b.apis['admin'].token}"})
    assert bearer_b.get(f"/playlists/{playlist['_id']}").status_code == 404
    assert mine.get(f"/playlists/{playlist['_id']}").json()["response"]["title"] == "A's picks"


def test_nobody_moves_to_another_studio_by_editing_themselves(stack, a, b):
    for identity in ("artist", "manager", "admin"):
        me = a.people[identity]
        answer = a.apis[identity].put(f"/data/persons/{me['id']}", json={"studio_id": b.studio["id"], "phone": "42"})
        assert answer.status_code == 200 and answer.json()["studio_id"] == a.studio["id"], identity
        assert answer.json()["phone"] == "42"
    # ... so their bearer token still publishes to studio A only.
    manager = Zype(stack.api_url, headers={"Authorization": f"Bearer {a.apis['manager'].token}"})
    b_playlist = Zype(stack.api_url, {"api_key": b.zype_api_key}).playlist("B only")
    assert manager.get(f"/playlists/{b_playlist['_id']}").status_code == 404


def test_an_admin_may_not_move_someone_to_another_studio(a, b):
    someone = person(a.apis["admin"], {"role": "user"})
    answer = a.apis["admin"].put(f"/data/persons/{someone['id']}", json={"studio_id": b.studio["id"]})
    assert answer.status_code == 400 and "studio_id" in answer.json()["message"]
    assert b.apis["admin"].put(f"/data/persons/{someone['id']}", json={"first_name": "x"}).status_code == 403
    assert b.apis["admin"].delete(f"/data/persons/{someone['id']}").status_code == 403


def test_people_join_the_studio_of_the_admin_who_adds_them(a, b):
    added = person(b.apis["admin"], {"role": "user"})
    assert added["studio_id"] == b.studio["id"]
    assert b.apis["admin"].post("/data/persons", json={"first_name": "x", "email": "x@tenancy.example",
                                                       "studio_id": a.studio["id"]}).status_code == 403


def test_the_founder_adds_a_new_studios_first_people_then_only_its_own_admins_do(api, a):
    studio = ok(a.apis["admin"].post("/data/studios", json={"name": "Studio C"}), 201)
    first = person(a.apis["admin"], {"role": "admin", "studio_id": studio["id"]})
    assert first["studio_id"] == studio["id"]
    second = a.apis["admin"].post("/data/persons", json={"first_name": "late", "email": "late@tenancy.example",
                                                         "studio_id": studio["id"]})
    assert second.status_code == 403
    assert a.apis["manager"].post("/data/studios", json={"name": "Studio D"}).status_code == 403
    # The founder reads the studio's record, not what is in it.
    assert a.apis["admin"].get(f"/data/studios/{studio['id']}").status_code == 200
    assert a.apis["admin"].get(f"/data/persons/{first['id']}").status_code == 403


def test_the_admin_of_another_studio_reads_nothing_of_this_one(a, b):
    outsider = b.apis["admin"]
    for path in (f"/data/projects/{a.project['id']}", f"/data/shots/{a.shot['id']}", f"/data/tasks/{a.task['id']}",
                 f"/data/tasks/{a.task['id']}/comments", f"/data/task-types/{a.task_type['id']}",
                 f"/data/task-status/{a.status['id']}", f"/data/persons/{a.people['manager']['id']}",
                 f"/data/departments/{a.department['id']}", f"/data/preview-files/{a.preview['id']}",
                 f"/movies/originals/preview-files/{a.preview['id']}.mp4",
                 f"/pictures/thumbnails/persons/{a.people['manager']['id']}.png",
                 f"/data/projects/{a.project['id']}/team", f"/data/projects/{a.project['id']}/build-jobs"):
        assert outsider.get(path).status_code == 403, path
    listed = {route: [r["id"] for r in ok(outsider.get(f"/data/{route}"))]
              for route in ("projects", "task-types", "task-status", "persons", "departments", "organisations",
                            "entity-types", "studios", "shots", "tasks")}
    assert a.project["id"] not in listed["projects"]
    assert a.task_type["id"] not in listed["task-types"] and b.task_type["id"] in listed["task-types"]
    assert a.status["id"] not in listed["task-status"] and b.status["id"] in listed["task-status"]
    assert a.people["manager"]["id"] not in listed["persons"] and b.people["manager"]["id"] in listed["persons"]
    assert a.department["id"] not in listed["departments"]
    assert a.asset_type["id"] not in listed["entity-types"]
    assert listed["studios"] == [b.studio["id"]]
    assert a.shot["id"] not in listed["shots"] and a.task["id"] not in listed["tasks"]
    assert a.project["id"] not in [p["id"] for p in ok(outsider.get("/data/projects/open"))]
    running = ok(outsider.get("/data/playlists/preview-files/running"))
    assert all(p["project_id"] == b.project["id"] for p in running)


def test_the_admin_of_another_studio_writes_nothing_of_this_one(a, b):
    outsider = b.apis["admin"]
    for method, path, body in (
            ("PUT", f"/data/projects/{a.project['id']}", {"name": "taken"}),
            ("DELETE", f"/data/projects/{a.project['id']}", None),
            ("POST", f"/data/projects/{a.project['id']}/shots", {"name": "SH999"}),
            ("POST", "/data/tasks", {"project_id": a.project["id"], "entity_id": a.shot["id"],
                                     "task_type_id": a.task_type["id"]}),
            ("PUT", f"/data/tasks/{a.task['id']}", {"assignees": [b.people["manager"]["id"]]}),
            ("POST", f"/actions/tasks/{a.task['id']}/comment", {"task_status_id": a.status["id"], "comment": "hi"}),
            ("POST", f"/data/projects/{a.project['id']}/team", {"person_id": b.people["manager"]["id"]}),
            ("PUT", f"/data/task-types/{a.task_type['id']}", {"name": "renamed"}),
            ("DELETE", f"/data/task-status/{a.status['id']}", None),
            ("PUT", f"/data/departments/{a.department['id']}", {"name": "renamed"}),
            ("DELETE", f"/data/preview-files/{a.preview['id']}", None),
            ("POST", "/data/playlists", {"name": "x", "project_id": a.project["id"]})):
        kwargs = {"json": body} if body is not None else {}
        assert outsider.request(method, path, **kwargs).status_code == 403, (method, path)
    assert ok(a.apis["admin"].get(f"/data/task-types/{a.task_type['id']}"))["name"] == a.task_type["name"]
    assert ok(a.apis["admin"].get(f"/data/tasks/{a.task['id']}"))["assignees"] == a.task["assignees"]


def test_names_are_unique_within_a_studio_not_across_studios(a, b):
    # Studio B made its own "Animation" department and "Character" asset type beside A's.
    assert b.department["name"] == a.department["name"] and b.department["id"] != a.department["id"]
    assert b.asset_type["name"] == a.asset_type["name"]
    assert b.apis["admin"].post("/data/departments", json={"name": "Animation"}).status_code == 400


def test_a_shared_asset_thumbnail_is_shared_within_its_studio_only(tenants, a, b):
    asset = ok(a.apis["manager"].post(f"/data/projects/{a.project['id']}/asset-types/{a.asset_type['id']}/assets/new",
                                      json={"name": "Shared prop", "is_shared": True}), 201)
    task = ok(a.apis["manager"].post("/data/tasks", json={
        "project_id": a.project["id"], "entity_id": asset["id"], "task_type_id": a.task_type["id"]}), 201)
    preview = ready_movie(task, tenants.movie)
    ok(a.apis["manager"].put(f"/actions/preview-files/{preview['id']}/set-main-preview", json={}))
    thumbnail = f"/pictures/thumbnails/preview-files/{preview['id']}.png"
    assert a.apis["manager_other_project"].get(thumbnail).status_code == 302  # shared across A's projects
    assert b.apis["admin"].get(thumbnail).status_code == 403


def test_a_studio_with_people_is_not_deleted(a, b):
    assert a.apis["admin"].delete(f"/data/studios/{a.studio['id']}").status_code == 400
    assert b.apis["admin"].delete(f"/data/studios/{a.studio['id']}").status_code == 403
    assert a.apis["admin"].get(f"/data/studios/{a.studio['id']}").status_code == 200
