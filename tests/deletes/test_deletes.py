import gazu
import pytest

from chalicelib import storage
from chalicelib.models import records
from tests.deletes.conftest import created, object_keys, orphans_of


def _exists(api, route: str, record_id: str) -> bool:
    answer = api["admin"].get(f"/data/{route}/{record_id}")
    assert answer.status_code in (200, 404), answer.text
    return answer.status_code == 200


@pytest.mark.parametrize("route, holder, named", [
    ("projects", "project", ("episode", "sequence", "shot", "asset", "task", "comment", "preview file")),
    ("episodes", "episode", ("sequence",)),
    ("sequences", "sequence", ("2 shots",)),
    ("shots", "shot", ("1 task",)),
    ("assets", "asset", ("1 task",)),
    ("tasks", "task", ("1 comment", "1 preview file", "1 working file")),
])
def test_a_record_that_still_holds_others_is_refused_naming_them(api, production, route, holder, named):
    record = getattr(production, holder)
    answer = api["manager"].delete(f"/data/{route}/{record['id']}")
    assert answer.status_code == 400, answer.text
    message = answer.json()["message"]
    assert all(word in message for word in named), message
    assert "force=true" in message
    assert _exists(api, route, record["id"])


def test_what_holds_nothing_is_deleted_without_force(api, production, demo):
    shot = created(api["manager"].post(f"/data/projects/{production.project['id']}/shots",
                                       json={"name": "SH999", "sequence_id": production.sequence["id"]}))
    assert api["manager"].delete(f"/data/shots/{shot['id']}").status_code == 204
    assert not _exists(api, "shots", shot["id"])
    # Its name is free again.
    again = api["manager"].post(f"/data/projects/{production.project['id']}/shots",
                                json={"name": "SH999", "sequence_id": production.sequence["id"]})
    assert again.status_code == 201, again.text


def test_a_comment_goes_with_its_attachment_files(api, production):
    prefix = storage.attachment_prefix(production.attachment_id)
    assert object_keys(prefix)
    other = created(api["manager"].post(f"/actions/tasks/{production.other_task['id']}/comment", data={
        "task_status_id": production.comment["task_status_id"], "comment": "second"},
        files={"file": ("more.txt", b"and blue")}))
    assert api["admin"].delete(f"/data/comments/{other['id']}").status_code == 204
    assert not _exists(api, "attachment-files", other["attachment_files"][0])
    assert not object_keys(storage.attachment_prefix(other["attachment_files"][0]))


def test_a_forced_project_delete_removes_the_whole_subtree(api, production, demo):
    pid = production.project["id"]
    playlist = created(api["manager"].post("/data/playlists", json={"name": "Review", "project_id": pid}))
    created(api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity", json={
        "entity_id": production.shot["id"], "preview_file_id": production.preview["id"]}))
    build = created(api["manager"].get(f"/data/playlists/{playlist['id']}/build/mp4"))
    keys = [*object_keys(storage.attachment_prefix(production.attachment_id)),
            *(key for prefix in storage.preview_prefixes(production.preview["id"]) for key in object_keys(prefix)),
            storage.file_content_key("WorkingFile", production.working_file["id"])]
    assert len(keys) > 3
    assert api["manager"].delete(f"/data/projects/{pid}", params={"force": "true"}).status_code == 204
    assert records.in_project(pid) == []
    for route, record in [("projects", production.project), ("episodes", production.episode),
                          ("sequences", production.sequence), ("shots", production.shot),
                          ("assets", production.asset), ("tasks", production.task), ("comments", production.comment),
                          ("attachment-files", {"id": production.attachment_id})]:
        assert not _exists(api, route, record["id"]), route
    assert api["admin"].get(f"/data/preview-files/{production.preview['id']}").status_code == 404
    assert api["admin"].get(f"/data/playlists/{playlist['id']}").status_code == 404
    assert records.get(build["id"]) is None
    assert all(not object_keys(key) for key in keys), keys
    # The names it held are free: a project of the same name can be made again.
    again = api["admin"].post("/data/projects", json={"name": production.project["name"]})
    assert again.status_code == 201, again.text


def test_a_forced_shot_delete_takes_its_tasks_previews_files_and_playlist_entries(api, production):
    pid = production.project["id"]
    playlist = created(api["manager"].post("/data/playlists", json={"name": "Dailies", "project_id": pid}))
    for entity in (production.shot, production.other_shot):
        created(api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity",
                                    json={"entity_id": entity["id"]}))
    preview_keys = [key for prefix in storage.preview_prefixes(production.preview["id"]) for key in object_keys(prefix)]
    assert preview_keys
    answer = api["manager"].delete(f"/data/shots/{production.shot['id']}?force=true")
    assert answer.status_code == 204, answer.text
    for route, record in [("shots", production.shot), ("tasks", production.task), ("comments", production.comment),
                          ("working-files", production.working_file)]:
        assert not _exists(api, route, record["id"]), route
    assert api["admin"].get(f"/data/preview-files/{production.preview['id']}").status_code == 404
    assert all(not object_keys(key) for key in preview_keys)
    assert not object_keys(storage.file_content_key("WorkingFile", production.working_file["id"]))
    assert orphans_of(production.shot["id"]) == [] and orphans_of(production.task["id"]) == []
    entries = api["manager"].get(f"/data/playlists/{playlist['id']}").json()["shots"]
    assert [entry["entity_id"] for entry in entries] == [production.other_shot["id"]]
    # The rest of the production is untouched, and the sequence still holds the other shot.
    assert _exists(api, "tasks", production.other_task["id"])
    assert api["manager"].delete(f"/data/sequences/{production.sequence['id']}").status_code == 400


def test_gazu_removes_with_force_as_zou_does(api, api_url, production):
    from devstack.demo import DEMO_PASSWORD

    client = gazu.client.create_client(api_url)
    gazu.log_in("manager@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    with pytest.raises(gazu.exception.ParameterException):
        gazu.shot.remove_sequence(production.sequence, client=client)
    gazu.task.remove_task(production.asset_task, client=client)  # gazu always sends force=True here
    gazu.asset.remove_asset(production.asset, client=client)     # holds nothing any more
    gazu.shot.remove_episode(production.episode, force=True, client=client)
    for route, record in [("episodes", production.episode), ("sequences", production.sequence),
                          ("shots", production.other_shot), ("assets", production.asset)]:
        assert not _exists(api, route, record["id"]), route
    gazu.project.remove_project(production.project, force=True, client=client)
    assert records.in_project(production.project["id"]) == []


def test_moving_a_shot_moves_what_holds_it(api, production):
    pid = production.project["id"]
    empty = created(api["manager"].post(f"/data/projects/{pid}/sequences", json={"name": "SQ02"}))
    moved = api["manager"].put(f"/data/shots/{production.other_shot['id']}", json={"parent_id": empty["id"]})
    assert moved.status_code == 200, moved.text
    refused = api["manager"].delete(f"/data/sequences/{empty['id']}")
    assert refused.status_code == 400 and "1 shot" in refused.json()["message"]
    assert api["manager"].put(f"/data/shots/{production.other_shot['id']}",
                              json={"parent_id": production.sequence["id"]}).status_code == 200
    assert api["manager"].delete(f"/data/sequences/{empty['id']}").status_code == 204
