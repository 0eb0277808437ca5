"""Output files through HTTP and gazu: entity and asset-instance outputs, revisions,
listings with Zou's filters, output types, paths from the default and simple trees."""
import concurrent.futures

import gazu
import pytest


@pytest.fixture
def cache(production):
    return production.output_types["Cache"]


@pytest.fixture
def animation(production):
    return production.task_types["Animation"]


def new_output(api, production, cache, animation, role="user", entity=None, **body):
    entity = entity or production.shot
    return api[role].post(f"/data/entities/{entity['id']}/output-files/new", json={
        "output_type_id": cache["id"], "task_type_id": animation["id"], "comment": "", **body})


def test_new_entity_output_file_follows_the_default_tree(api, demo, production, cache, animation):
    working_file = api["user"].post(f"/data/tasks/{production.animation_task['id']}/working-files/new",
                                    json={"name": "main"}).json()
    answer = new_output(api, production, cache, animation, working_file_id=working_file["id"], extension=".abc",
                        representation="abc", comment="first publish")
    assert answer.status_code == 201, answer.text
    output_file = answer.json()
    slug = production.slug
    assert output_file["folder_path"] == f"/simple/productions/export/{slug}/shots/sq01/sh010/cache"
    assert output_file["file_name"] == f"{slug}_sq01_sh010_cache_main"
    assert output_file["path"] == f"{output_file['folder_path']}/{output_file['file_name']}.abc"
    assert (output_file["revision"], output_file["representation"], output_file["extension"]) == (1, "abc", ".abc")
    assert output_file["source_file_id"] == working_file["id"]
    assert output_file["source_file"]["id"] == working_file["id"]  # Zou serializes the relationship whole
    assert output_file["person_id"] == demo["people"]["user"]["id"]
    status = api["user"].get(f"/data/file-status/{output_file['file_status_id']}").json()
    assert status["name"] == "To review"  # Zou's default file status
    assert (output_file["entity_id"], output_file["asset_instance_id"]) == (production.shot["id"], None)
    assert new_output(api, production, cache, animation, representation="abc").json()["revision"] == 2


def test_explicit_revisions_conflict_per_representation(api, production, cache, animation):
    assert new_output(api, production, cache, animation, revision=3, representation="abc").status_code == 201
    again = new_output(api, production, cache, animation, revision=3, representation="abc")
    assert again.status_code == 400
    assert "revision 3 already exists" in again.json()["message"]
    # Zou's unique constraint includes the representation: the same revision in exr is fine.
    assert new_output(api, production, cache, animation, revision=3, representation="exr").status_code == 201
    assert new_output(api, production, cache, animation, representation="abc").json()["revision"] == 4
    assert new_output(api, production, cache, animation, representation="exr").json()["revision"] == 5


def test_concurrent_output_revisions_never_collide(api, production, cache, animation):
    def publish(index):
        # Half in each representation: auto numbers stay unique across representations too.
        return new_output(api, production, cache, animation, representation="abc" if index % 2 else "exr")

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(publish, range(10)))
    assert [a.status_code for a in answers] == [201] * 10
    assert sorted(a.json()["revision"] for a in answers) == list(range(1, 11))


def test_listings_filter_as_zou_does(api, production, cache, animation):
    movie = production.output_types["Movie"]
    layout = production.task_types["Layout"]
    first = new_output(api, production, cache, animation, representation="abc").json()
    second = new_output(api, production, cache, animation, representation="abc").json()
    exr = new_output(api, production, cache, animation, representation="exr").json()
    mov = new_output(api, production, movie, layout, representation="mp4", name="review").json()
    url = f"/data/entities/{production.shot['id']}/output-files"

    def ids(answer):
        return [f["id"] for f in answer.json()]

    # Newest revision first; the later of two revision-1 files first.
    assert ids(api["user"].get(url)) == [exr["id"], second["id"], mov["id"], first["id"]]
    assert ids(api["user"].get(url, params={"output_type_id": movie["id"]})) == [mov["id"]]
    assert ids(api["user"].get(url, params={"task_type_id": animation["id"], "representation": "abc"})) == \
        [second["id"], first["id"]]
    assert ids(api["user"].get(url, params={"name": "review"})) == [mov["id"]]
    assert ids(api["user"].get(url, params={"file_status_id": first["file_status_id"]})) != []
    assert api["user"].get(url, params={"output_type_id": "cache"}).status_code == 400

    last = api["user"].get(f"{url}/last-revisions").json()
    assert sorted(f["id"] for f in last) == sorted([second["id"], exr["id"], mov["id"]])
    last_abc = api["user"].get(f"{url}/last-revisions", params={"representation": "abc"}).json()
    assert [f["id"] for f in last_abc] == [second["id"]]

    types = api["user"].get(f"/data/entities/{production.shot['id']}/output-types").json()
    assert [t["name"] for t in types] == ["Cache", "Movie"]
    by_type = api["user"].get(f"/data/entities/{production.shot['id']}/output-types/{cache['id']}/output-files",
                              params={"representation": "exr"}).json()
    assert [f["id"] for f in by_type] == [exr["id"]]

    project_url = f"/data/projects/{production.project['id']}/output-files"
    # The seed's rule (project access), not Zou's manager-only view; vendors see only their tasks' files.
    assert len(api["user"].get(project_url, params={"representation": "abc"}).json()) == 2
    assert api["vendor"].get(project_url).status_code == 403
    assert len(api["manager"].get(project_url, params={"representation": "abc"}).json()) == 2


def test_next_revision_and_gazu_output_functions(gazu_as, production, cache, animation):
    client = gazu_as("user")
    shot = production.shot
    assert gazu.files.get_next_entity_output_revision(shot, cache, animation, client=client) == 1
    working_file = gazu.files.new_working_file(production.animation_task, client=client)
    created = gazu.files.new_entity_output_file(shot, cache, animation, "publish", working_file=working_file,
                                                representation="abc", client=client)
    assert created["revision"] == 1 and created["source_file_id"] == working_file["id"]
    assert gazu.files.get_next_entity_output_revision(shot, cache, animation, client=client) == 2
    assert gazu.files.get_last_entity_output_revision(shot, cache, animation, client=client) == 1
    last = gazu.files.get_last_output_files_for_entity(shot, output_type=cache, task_type=animation, client=client)
    assert [f["id"] for f in last] == [created["id"]]
    listed = gazu.files.all_output_files_for_entity(shot, representation="abc", client=client)
    assert [f["id"] for f in listed] == [created["id"]]
    assert [t["id"] for t in gazu.files.all_output_types_for_entity(shot, client=client)] == [cache["id"]]
    path = gazu.files.build_entity_output_file_path(shot, cache, animation, client=client)
    # The next publish would be revision 2; the default tree's output name has no version.
    assert path == f"/simple/productions/export/{production.slug}/shots/sq01/sh010/cache/" \
                   f"{production.slug}_sq01_sh010_cache_main"
    assert gazu.files.get_output_file(created["id"], client=client)["path"] == created["path"]
    assert gazu.files.get_output_file_by_path(created["path"], client=client)["id"] == created["id"]
    by_type = gazu.client.fetch_all(f"entities/{shot['id']}/output-types/{cache['id']}/output-files",
                                    client=client)
    assert [f["id"] for f in by_type] == [created["id"]]
    with pytest.raises(gazu.exception.NotAllowedException):  # updates are for managers
        gazu.files.update_output_file(created, {"comment": "nope"}, client=client)
    manager = gazu_as("manager")
    updated = gazu.files.update_output_file(created, {"comment": "approved", "revision": 9}, client=manager)
    assert (updated["comment"], updated["revision"]) == ("approved", 1)
    assert gazu.files.all_output_files_for_project(production.project, client=manager)[0]["id"] == created["id"]


def test_asset_output_path_in_the_simple_tree(api, production, cache, animation):
    assert api["manager"].post(f"/actions/projects/{production.project['id']}/set-file-tree",
                               json={"tree_name": "simple"}).status_code == 200
    modeling = production.task_types["Modeling"]
    answer = api["user"].post(f"/data/entities/{production.asset['id']}/output-file-path", json={
        "output_type_id": cache["id"], "task_type_id": modeling["id"], "revision": 12, "nb_elements": 3})
    assert answer.status_code == 200, answer.text
    slug = production.slug
    assert answer.json() == {
        "folder_path": f"/simple/productions/export/{slug}/assets/character/bunny_rabbit/modeling/cache",
        "file_name": f"{slug}_character_bunny_rabbit_modeling_cache_main_v012_[1-3]"}


def test_default_tree_has_no_sequence_output_and_says_why(api, demo, production, cache, animation):
    answer = new_output(api, production, cache, animation, entity=production.sequence)
    assert answer.status_code == 400
    assert "<OuputType>" in answer.json()["message"]  # Zou's shipped typo, kept
    assert api["user"].get(f"/data/entities/{production.sequence['id']}/output-files").json() == []


@pytest.fixture
def shot_instance(api, production):
    """Bunny Rabbit cast in the shot (an instance without a target asset)."""
    answer = api["manager"].post("/data/asset-instances", json={
        "asset_id": production.asset["id"], "project_id": production.project["id"], "number": 1,
        "name": "Bunny Rabbit 1"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_instance_outputs_in_the_simple_tree(api, gazu_as, production, cache, animation, shot_instance):
    client = gazu_as("user")
    shot = production.shot
    with pytest.raises(gazu.exception.ParameterException, match="no instance template"):
        gazu.files.new_asset_instance_output_file(shot_instance, shot, cache, animation, "x", client=client)
    assert api["manager"].post(f"/actions/projects/{production.project['id']}/set-file-tree",
                               json={"tree_name": "simple"}).status_code == 200
    assert gazu.files.get_next_asset_instance_output_revision(shot_instance, shot, cache, animation,
                                                              client=client) == 1
    created = gazu.files.new_asset_instance_output_file(shot_instance, shot, cache, animation, "cache",
                                                        representation="abc", client=client)
    slug = production.slug
    assert created["folder_path"] == (f"/simple/productions/export/{slug}/shot/sq01/sh010/animation/cache/"
                                      f"character/bunny_rabbit/instance_0001/abc")
    assert created["file_name"] == f"{slug}_sq01_sh010_animation_cache_master_bunny_rabbit_1_v001"
    assert (created["entity_id"], created["asset_instance_id"], created["temporal_entity_id"]) == \
        (production.asset["id"], shot_instance["id"], shot["id"])
    assert gazu.files.get_last_asset_instance_output_revision(shot_instance, shot, cache, animation,
                                                              client=client) == 1
    path = gazu.files.build_asset_instance_output_file_path(shot_instance, shot, cache, animation,
                                                            name="master", representation="abc", client=client)
    assert path.endswith("/instance_0001/abc/" + f"{slug}_sq01_sh010_animation_cache_master_bunny_rabbit_1_v002")
    last = gazu.files.get_last_output_files_for_asset_instance(shot_instance, shot, client=client)
    assert [f["id"] for f in last] == [created["id"]]
    assert [f["id"] for f in gazu.files.all_output_files_for_asset_instance(
        shot_instance, temporal_entity=shot, client=client)] == [created["id"]]
    assert [t["name"] for t in gazu.files.all_output_types_for_asset_instance(shot_instance, shot,
                                                                              client=client)] == ["Cache"]
    by_type = gazu.client.fetch_all(
        f"asset-instances/{shot_instance['id']}/entities/{shot['id']}/output-types/{cache['id']}/output-files",
        client=client)
    assert [f["id"] for f in by_type] == [created["id"]]
    # Instance outputs live on the asset instance, not among the asset's own outputs.
    assert api["user"].get(f"/data/entities/{production.asset['id']}/output-files").json() == []


def test_asset_in_asset_instance_uses_the_instance_asset_template(api, production, cache, animation):
    manager = api["manager"]
    assert manager.post(f"/actions/projects/{production.project['id']}/set-file-tree",
                        json={"tree_name": "simple"}).status_code == 200
    prop = api["admin"].get("/data/entity-types", params={"name": "Prop"}).json()[0]
    forest = manager.post(f"/data/projects/{production.project['id']}/asset-types/{prop['id']}/assets/new",
                          json={"name": "Forest"}).json()
    instance = manager.post(f"/data/assets/{forest['id']}/asset-asset-instances",
                            json={"asset_to_instantiate_id": production.asset["id"]}).json()
    answer = api["user"].post(
        f"/data/asset-instances/{instance['id']}/entities/{forest['id']}/output-file-path",
        json={"output_type_id": cache["id"], "task_type_id": animation["id"], "name": "master"})
    assert answer.status_code == 200, answer.text
    slug = production.slug
    assert answer.json() == {
        "folder_path": f"/simple/productions/export/{slug}/assets/prop/forest/animation/cache/character/"
                       f"bunny_rabbit/instance_0001/",
        "file_name": f"{slug}_prop_forest_animation_cache_master_{instance['name']}_v001"}


def test_unknown_references_are_404_and_bad_ids_400(api, production, cache, animation, shot_instance):
    unknown = "00000000-0000-4000-8000-000000000000"
    # An unknown id in the path is a 404; one named in the body, a 400 naming the field.
    assert new_output(api, production, {"id": unknown}, animation).status_code == 400
    assert new_output(api, production, cache, {"id": unknown}).status_code == 400
    assert new_output(api, production, cache, animation, working_file_id=unknown).status_code == 400
    assert new_output(api, production, cache, animation, entity={"id": unknown}).status_code == 404
    assert new_output(api, production, cache, {"id": "layout"}).status_code == 400
    body = {"output_type_id": cache["id"], "task_type_id": animation["id"]}
    assert api["user"].post(f"/data/asset-instances/{shot_instance['id']}/entities/{unknown}/output-files/new",
                            json=body).status_code == 404
    assert api["user"].post(f"/data/asset-instances/{unknown}/entities/{production.shot['id']}/output-files/new",
                            json=body).status_code == 404
    assert api["user"].get(f"/data/output-files/{unknown}").status_code == 404
    assert api["user"].get("/data/output-files/12").status_code == 400
    assert api["user"].post(f"/data/entities/{production.shot['id']}/output-files/next-revision",
                            json={"output_type_id": cache["id"]}).status_code == 400


def test_a_path_longer_than_an_index_key_is_still_found(api, gazu_as, production, cache, animation):
    output_file = new_output(api, production, cache, animation).json()
    deep = "/mnt/archive/" + "/".join(f"level_{n:04d}" for n in range(200)) + "/cache.abc"  # ~2.4 KB
    assert api["manager"].put(f"/data/output-files/{output_file['id']}", json={"path": deep}).status_code == 200
    found = gazu.files.get_output_file_by_path(deep, client=gazu_as("user"))
    assert (found["id"], found["path"]) == (output_file["id"], deep)
    assert api["user"].get("/data/output-files", params={"path": output_file["path"]}).json() == []


def test_data_files_serves_either_kind(api, production, cache, animation):
    working_file = api["user"].post(f"/data/tasks/{production.animation_task['id']}/working-files/new",
                                    json={"name": "main"}).json()
    output_file = new_output(api, production, cache, animation, working_file_id=working_file["id"]).json()
    as_working = api["client"].get(f"/data/files/{working_file['id']}").json()
    assert (as_working["type"], as_working["path"]) == ("WorkingFile", working_file["path"])
    as_output = api["client"].get(f"/data/files/{output_file['id']}").json()
    assert (as_output["type"], as_output["source_file"]["id"]) == ("OutputFile", working_file["id"])
