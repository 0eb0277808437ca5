"""Working files through HTTP: revisions, paths from the file tree, listings, actions."""
import concurrent.futures

import gazu
import pytest


def new_working_file(api, task, role="user", **body):
    return api[role].post(f"/data/tasks/{task['id']}/working-files/new", json={"name": "main", **body})


def test_revision_zero_means_next_and_the_path_follows_the_default_tree(api, demo, production):
    first = new_working_file(api, production.animation_task, comment="blocking")
    second = new_working_file(api, production.animation_task)
    assert (first.status_code, second.status_code) == (201, 201)
    assert [first.json()["revision"], second.json()["revision"]] == [1, 2]
    working_file = first.json()
    slug = production.slug
    # The default tree's working file name has no version: every revision shares the path.
    assert working_file["path"] == f"/simple/productions/{slug}/shots/sq01/sh010/animation/{slug}_sh010_animation"
    assert second.json()["path"] == working_file["path"]
    assert working_file["task_id"] == production.animation_task["id"]
    assert working_file["entity_id"] == production.shot["id"]
    assert working_file["person_id"] == demo["people"]["user"]["id"]
    assert working_file["comment"] == "blocking"
    software = api["user"].get(f"/data/softwares/{working_file['software_id']}").json()
    assert software["name"] == "Blender"  # Zou's default software for new working files
    assert "revision_claims" not in working_file and "pending_upload" not in working_file


def test_an_explicit_revision_that_exists_is_a_400_and_the_next_one_follows_it(api, production):
    assert new_working_file(api, production.animation_task, revision=5).json()["revision"] == 5
    again = new_working_file(api, production.animation_task, revision=5)
    assert again.status_code == 400
    assert "revision 5 already exists" in again.json()["message"]
    assert new_working_file(api, production.animation_task).json()["revision"] == 6


def test_concurrent_next_revisions_never_collide(api, production):
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: new_working_file(api, production.animation_task), range(10)))
    assert [a.status_code for a in answers] == [201] * 10
    assert sorted(a.json()["revision"] for a in answers) == list(range(1, 11))
    listed = api["user"].get(f"/data/tasks/{production.animation_task['id']}/working-files").json()
    assert [wf["revision"] for wf in listed] == list(range(10, 0, -1))


def test_revisions_are_counted_per_name_and_task(api, production):
    new_working_file(api, production.animation_task)
    new_working_file(api, production.animation_task)
    props = new_working_file(api, production.animation_task, name="props").json()
    layout = new_working_file(api, production.layout_task, role="vendor").json()
    assert (props["revision"], layout["revision"]) == (1, 1)
    last = api["user"].get(f"/data/tasks/{production.animation_task['id']}/working-files/last-revisions").json()
    assert sorted(last) == ["main", "props"]
    assert (last["main"]["revision"], last["props"]["id"]) == (2, props["id"])


def test_entity_working_files_filter_on_task_and_name(api, production):
    main = new_working_file(api, production.animation_task).json()
    new_working_file(api, production.animation_task, name="props")
    layout = new_working_file(api, production.layout_task, role="vendor").json()
    url = f"/data/entities/{production.shot['id']}/working-files"
    assert len(api["manager"].get(url).json()) == 3
    by_task = api["manager"].get(url, params={"task_id": production.layout_task["id"]}).json()
    assert [wf["id"] for wf in by_task] == [layout["id"]]
    by_name = api["manager"].get(url, params={"name": "main", "task_id": production.animation_task["id"]}).json()
    assert [wf["id"] for wf in by_name] == [main["id"]]
    assert api["manager"].get(url, params={"task_id": "not-a-uuid"}).status_code == 400


def test_working_file_path_uses_zou_default_software_and_the_separator(api, production):
    project_id = production.project["id"]
    assert api["manager"].post(f"/actions/projects/{project_id}/set-file-tree",
                               json={"tree_name": "simple"}).status_code == 200
    url = f"/data/tasks/{production.animation_task['id']}/working-file-path"
    answer = api["user"].post(url, json={"name": "main", "revision": 3})
    slug = production.slug
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"path": f"/simple/productions/{slug}/shots/sq01/sh010/animation/3ds_max",
                             "name": f"{slug}_sq01_sh010_animation_main_v003"}
    # gazu sends `separator` (Zou reads only `sep`); both are honoured here.
    windows = api["user"].post(url, json={"name": "main", "separator": "\\"}).json()
    assert windows["path"] == f"/simple\\productions\\{slug}\\shots\\sq01\\sh010\\animation\\3ds_max"
    assert windows["name"].endswith("_main_v001")  # no revision yet: the next one is 1


def test_comment_and_modified_actions(api, production):
    working_file = new_working_file(api, production.animation_task).json()
    commented = api["user"].put(f"/actions/working-files/{working_file['id']}/comment", json={"comment": "v2 notes"})
    assert commented.status_code == 200
    assert commented.json()["comment"] == "v2 notes"
    empty = api["user"].put(f"/actions/working-files/{working_file['id']}/comment", json={"comment": ""})
    assert empty.status_code == 400
    touched = api["user"].put(f"/actions/working-files/{working_file['id']}/modified", json={})
    assert touched.status_code == 200
    assert touched.json()["updated_at"] > commented.json()["updated_at"]
    assert touched.json()["comment"] == "v2 notes"


def test_crud_put_changes_details_but_never_the_revision(api, production):
    working_file = new_working_file(api, production.animation_task).json()
    url = f"/data/working-files/{working_file['id']}"
    changed = api["user"].put(url, json={**working_file, "description": "hero pose", "revision": 99, "name": "x"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["description"], changed.json()["revision"], changed.json()["name"]) == \
        ("hero pose", 1, "main")
    assert api["user"].get(url).json()["description"] == "hero pose"
    by_path = api["manager"].get("/data/working-files", params={"path": working_file["path"]}).json()
    assert working_file["id"] in [wf["id"] for wf in by_path]


def test_unknown_and_malformed_references(api, production):
    task_url = f"/data/tasks/{production.animation_task['id']}/working-files/new"
    unknown = "00000000-0000-4000-8000-000000000000"
    assert api["user"].post(f"/data/tasks/{unknown}/working-files/new", json={"name": "main"}).status_code == 404
    assert api["user"].post("/data/tasks/nope/working-files/new", json={"name": "main"}).status_code == 400
    missing_software = api["user"].post(task_url, json={"name": "main", "software_id": unknown})
    assert missing_software.status_code == 400
    assert "software_id" in missing_software.json()["message"]
    assert api["user"].post(task_url, json={"name": "main", "person_id": "bob"}).status_code == 400
    assert api["user"].post(task_url, json={"revision": 1}).status_code == 400  # name is required
    assert api["user"].post(task_url, json={"name": "main", "revision": "two"}).status_code == 400
    assert api["user"].post(task_url, json=["main"]).status_code == 400
    assert api["user"].get(f"/data/working-files/{unknown}").status_code == 404
    assert api["user"].get(f"/data/files/{unknown}").status_code == 404


def test_a_project_without_a_file_tree_says_so(api, make_production):
    bare = make_production(tree=None)
    answer = new_working_file(api, bare.animation_task)
    assert answer.status_code == 400
    assert "No file tree is set" in answer.json()["message"]
    # Nothing was stored, and the revision was not used up.
    assert api["user"].get(f"/data/tasks/{bare.animation_task['id']}/working-files").json() == []


def test_gazu_working_file_functions(gazu_as, demo, production):
    client = gazu_as("user")
    task = production.animation_task
    blender = gazu.files.get_software_by_name("Blender", client=client)
    created = gazu.files.new_working_file(task, software=blender, comment="first", client=client)
    assert created["revision"] == 1
    assert gazu.files.new_working_file(task, client=client)["revision"] == 2
    assert [wf["revision"] for wf in gazu.files.get_working_files_for_task(task, client=client)] == [2, 1]
    assert gazu.files.get_last_working_files(task, client=client)["main"]["revision"] == 2
    assert gazu.files.get_last_working_file_revision(task, client=client)["revision"] == 2
    assert gazu.files.get_working_file(created["id"], client=client)["comment"] == "first"
    assert gazu.files.update_comment(created, "better", client=client)["comment"] == "better"
    assert gazu.files.update_modification_date(created, client=client)["id"] == created["id"]
    path = gazu.files.build_working_file_path(task, software=blender, client=client)
    assert path == f"/simple/productions/{production.slug}/shots/sq01/sh010/animation/{production.slug}_sh010_animation"
    for_entity = gazu.files.get_all_working_files_for_entity(production.shot, task=task, client=client)
    assert len(for_entity) == 2
    assert gazu.files.get_all_working_files_for_entity(production.shot, name="nope", client=client) == []
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.files.get_working_file("00000000-0000-4000-8000-000000000000", client=client)
