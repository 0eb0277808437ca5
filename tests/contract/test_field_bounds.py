"""Values are checked against what their field means before anything is stored."""
import pytest


@pytest.mark.parametrize("fields, named", [
    ({"fps": "100000"}, "fps"), ({"fps": "0.5"}, "fps"),
    ({"resolution": "../../../etc/passwd"}, "resolution"), ({"resolution": "100000x100000"}, "resolution"),
    ({"resolution": "8x8"}, "resolution"), ({"name": "p" * 81}, "name")])
def test_projects_refuse_an_encoder_setting_or_a_name_zou_would_not_hold(api, unique, fields, named):
    answer = api["admin"].post("/data/projects", json={"name": unique("p"), **fields})
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["message"] and answer.json()["error"] is True


def test_a_project_within_bounds_is_stored(api, unique):
    answer = api["admin"].post("/data/projects", json={"name": unique("p"), "fps": "120", "resolution": "16x8192"})
    assert answer.status_code == 201, answer.text
    assert (answer.json()["fps"], answer.json()["resolution"]) == ("120", "16x8192")


def test_a_300_character_shot_name_is_400(api, studio):
    project_id = studio["project"]["id"]
    answer = api["admin"].post(f"/data/projects/{project_id}/shots",
                               json={"name": "s" * 300, "sequence_id": studio["sequence"]["id"]})
    assert answer.status_code == 400, answer.text
    assert "name" in answer.json()["message"]


@pytest.mark.parametrize("field, value", [("nb_frames", -5), ("nb_frames", 2 ** 40)])
def test_counts_are_within_their_meaning(api, studio, field, value):
    answer = api["admin"].put(f"/data/shots/{studio['shot']['id']}", json={field: value})
    assert answer.status_code == 400, answer.text
    assert field in answer.json()["message"]


def test_arrays_are_capped_with_a_clear_error(api, studio):
    answer = api["admin"].put(f"/data/tasks/{studio['task']['id']}",
                              json={"assignees": ["00000000-0000-4000-8000-000000000000"] * 1001})
    assert answer.status_code == 400, answer.text
    assert "assignees" in answer.json()["message"] and "1000" in answer.json()["message"]


def test_a_record_over_dynamodbs_item_limit_is_413_naming_the_field(api, studio):
    # 100,000 characters that JSON escapes to 12 bytes each: 1.2 MB stored.
    answer = api["admin"].put(f"/data/shots/{studio['shot']['id']}", json={"description": "\U0001F600" * 100_000})
    assert answer.status_code == 413, answer.text
    assert "description" in answer.json()["message"]
    assert answer.json()["data"]["errors"][0]["field"] == "description"


def test_a_working_file_revision_below_0_is_400(api, studio):
    answer = api["manager"].post(f"/data/tasks/{studio['task']['id']}/working-files/new",
                                 json={"name": "main", "revision": -3})
    assert answer.status_code == 400, answer.text
    assert "revision" in answer.json()["message"]


def test_a_tree_name_of_1_mb_is_400(api, studio):
    answer = api["manager"].post(f"/actions/projects/{studio['project']['id']}/set-file-tree",
                                 json={"tree_name": "t" * 1_000_000})
    assert answer.status_code == 400, answer.text


def test_a_second_playlist_with_the_same_name_in_the_project_is_400(api, studio, unique):
    body = {"name": unique("daily"), "project_id": studio["project"]["id"]}
    assert api["manager"].post("/data/playlists", json=body).status_code == 201
    again = api["manager"].post("/data/playlists", json=body)
    assert again.status_code == 400, again.text
    assert "already exists" in again.json()["message"]
    other = api["manager"].post("/data/playlists", json={**body, "name": unique("other")})
    assert other.status_code == 201
    renamed = api["manager"].put(f"/data/playlists/{other.json()['id']}", json={"name": body["name"]})
    assert renamed.status_code == 400, renamed.text


@pytest.mark.parametrize("entities", [5, "x", {"entity_id": "a"}])
def test_add_entities_with_anything_but_a_list_is_400(api, studio, unique, entities):
    playlist = api["manager"].post("/data/playlists", json={"name": unique("pl"),
                                                            "project_id": studio["project"]["id"]}).json()
    answer = api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entities", json={"entities": entities})
    assert answer.status_code == 400, answer.text
    assert "list" in answer.json()["message"]


def test_guess_from_path_of_a_shot_that_does_not_exist_is_empty(api, studio):
    project = studio["project"]
    assert api["manager"].post(f"/actions/projects/{project['id']}/set-file-tree",
                               json={"tree_name": "simple"}).status_code == 200
    answer = api["manager"].post("/data/entities/guess_from_path", json={
        "project_id": project["id"], "file_path": f"/simple/productions/{project['name']}/shots/sq01/sh999/x.ma"})
    assert answer.status_code == 200 and answer.json() == []
