"""File trees through HTTP: Zou's shipped templates, custom trees set with PUT, exact
rendered paths, and guess_from_path under both spellings."""
import gazu
import pytest

from chalicelib.services.files.file_tree import load_template


def test_set_file_tree_stores_zou_templates_for_managers_only(api, production):
    url = f"/actions/projects/{production.project['id']}/set-file-tree"
    simple = api["manager"].post(url, json={"tree_name": "simple"})
    assert simple.status_code == 200
    assert simple.json()["file_tree"] == load_template("simple")
    assert simple.json()["id"] == production.project["id"]
    assert api["user"].get(f"/data/projects/{production.project['id']}").json()["file_tree"]["working"][
        "folder_path"]["shot"] == "<Project>/shots/<Sequence>/<Shot>/<TaskType>/<Software>"
    unknown = api["manager"].post(url, json={"tree_name": "../default"})
    assert (unknown.status_code, unknown.json()["message"]) == (400, "Selected tree is not available")
    assert api["manager"].post(url, json={}).status_code == 400
    assert api["supervisor"].post(url, json={"tree_name": "default"}).status_code == 403


CUSTOM_TREE = {
    "working": {
        "mountpoint": "/mnt/studio",
        "root": "",
        "folder_path": {"shot": "<Project.code>/<Episode>/<Sequence>/<Shot>/<TaskType.short_name>",
                        "asset": "<Project.code>/lib/<AssetType>/<Asset>", "style": "uppercase"},
        "file_name": {"shot": "<Shot>_<TaskType.short_name>_<Name>_v<Revision>",
                      "asset": "<Asset>_<Name>_v<Revision>", "style": "uppercase"},
    },
    "output": {
        "mountpoint": "/mnt/studio",
        "root": "out",
        "folder_path": {"shot": "<Project.code>/<Sequence>/<Shot>/<OutputType>/<Representation>",
                        "style": "lowercase"},
        "file_name": {"shot": "<Shot>_<OutputType>_<Name>_v<Version>", "style": "lowercase"},
    },
}


def test_custom_tree_set_with_put_renders_exact_paths(gazu_as, production):
    updated = gazu.files.update_project_file_tree(production.project, CUSTOM_TREE, client=gazu_as("manager"))
    assert updated["file_tree"] == CUSTOM_TREE

    client = gazu_as("user")
    task = production.animation_task
    first = gazu.files.new_working_file(task, client=client)
    second = gazu.files.new_working_file(task, name="props", client=client)
    # Uppercase style; <Project.code> falls back to the name (Zou renders id, name,
    # short_name and number only); e001 for a shot outside any episode; v### padding.
    project = production.slug.upper()
    assert first["path"] == f"/mnt/studio/{project}/E001/SQ01/SH010/ANIM/SH010_ANIM_MAIN_V001"
    assert second["path"] == f"/mnt/studio/{project}/E001/SQ01/SH010/ANIM/SH010_ANIM_PROPS_V001"
    windows = gazu.files.build_working_file_path(task, revision=7, sep="\\", client=client)
    assert windows == f"/mnt/studio\\{project}\\E001\\SQ01\\SH010\\ANIM\\SH010_ANIM_MAIN_V007"

    output = gazu.files.new_entity_output_file(
        production.shot, production.output_types["Cache"], production.task_types["Animation"], "cache",
        representation="abc", client=client)
    assert output["path"] == f"/mnt/studio/out/{production.slug}/sq01/sh010/cache/abc/sh010_cache_main_v001"


def test_a_tree_without_the_needed_kind_is_a_400_naming_it(api, production):
    assert api["manager"].put(f"/data/projects/{production.project['id']}",
                              json={"file_tree": CUSTOM_TREE}).status_code == 200
    # The custom tree has no sequence folder in working mode.
    sequence_task = api["manager"].post("/data/tasks", json={
        "project_id": production.project["id"], "entity_id": production.sequence["id"],
        "task_type_id": production.task_types["Layout"]["id"]}).json()
    answer = api["manager"].post(f"/data/tasks/{sequence_task['id']}/working-files/new", json={"name": "main"})
    assert answer.status_code == 400
    assert answer.json()["message"] == "The file tree has no sequence template in working.folder_path"


@pytest.mark.parametrize(("tree", "message"), [
    ({"working": "x"}, "mode working must be an object"),
    ({"working": {"mountpoint": "/m", "root": "", "folder_path": {"shot": 1}, "file_name": {}}},
     "working.folder_path.shot must be a string"),
])
def test_a_malformed_tree_is_refused_when_set(api, production, tree, message):
    answer = api["manager"].put(f"/data/projects/{production.project['id']}", json={"file_tree": tree})
    assert answer.status_code == 400
    assert message in answer.json()["message"]


def test_guess_from_path_under_both_spellings(api, gazu_as, demo, production):
    slug = production.slug
    animation = production.task_types["Animation"]
    path = f"/simple/productions/{slug}/shots/sq01/sh010/animation/{slug}_sh010_animation.blend"
    expected = [{"Template": "shot", "Project": production.project["id"], "Sequence": production.sequence["id"],
                 "Shot": production.shot["id"], "TaskType": animation["id"]}]
    assert gazu.entity.guess_from_path(production.project["id"], path, client=gazu_as("user")) == expected
    dashed = api["user"].post("/data/entities/guess-from-path",
                              json={"project_id": production.project["id"], "file_path": path})
    assert dashed.json() == expected

    asset_path = f"/simple/productions/export/{slug}/assets/Character/Bunny_Rabbit/cache/x.abc"
    character = api["admin"].get("/data/entity-types", params={"name": "Character"}).json()[0]
    assert gazu.entity.guess_from_path(production.project["id"], asset_path, client=gazu_as("user")) == [
        {"Template": "asset", "Project": production.project["id"], "AssetType": character["id"],
         "Asset": production.asset["id"], "OutputType": production.output_types["Cache"]["id"]}]


def test_guess_of_a_shot_that_does_not_exist_is_empty_and_refuses_paths_outside_the_roots(api, production):
    body = {"project_id": production.project["id"]}
    unknown_shot = f"/simple/productions/{production.slug}/shots/sq01/sh999/animation"
    answer = api["user"].post("/data/entities/guess_from_path", json={**body, "file_path": unknown_shot})
    assert answer.status_code == 200 and answer.json() == []
    outside = api["user"].post("/data/entities/guess_from_path", json={**body, "file_path": "/mnt/other/x.ma"})
    assert outside.status_code == 400
    assert "/mnt/other/x.ma is under none of the file tree roots: /simple/productions/" in outside.json()["message"]
    assert api["user"].post("/data/entities/guess_from_path",
                            json={"project_id": "x", "file_path": "/a"}).status_code == 400
    assert api["user"].post("/data/entities/guess_from_path", json=body).status_code == 400
