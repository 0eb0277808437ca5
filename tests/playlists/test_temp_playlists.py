"""Temporary playlists from task ids: one entry per task, the preview of its task type or
of the project's fallback task types, nothing stored."""
from chalicelib.models import records


def test_temp_playlist_has_one_entry_per_task_with_its_preview(api, production, demo, make_preview):
    first, second = production.new_shot("SH020"), production.new_shot("SH010")
    animation_preview = make_preview(production.task(first, "Animation"))
    layout_preview = make_preview(production.task(second, "Layout"))
    task_ids = [production.task(first, "Animation")["id"], production.task(second, "Animation")["id"],
                production.task(first, "Animation")["id"]]
    before = len(records.query_project(production.project["id"], "Playlist"))
    answer = api["manager"].post(f"/data/projects/{production.project['id']}/playlists/temp",
                                 json={"task_ids": task_ids})
    assert answer.status_code == 200, answer.text
    entries = answer.json()
    assert [e["id"] for e in entries] == [first["id"], second["id"], first["id"]]  # input order, duplicates kept
    assert entries[0]["preview_file_id"] == animation_preview["id"]
    assert entries[0]["preview_file_task_id"] == task_ids[0]
    # The second shot has no Animation preview: Layout, the project's other shot task type.
    assert entries[1]["preview_file_id"] == layout_preview["id"]
    assert entries[1]["preview_file_extension"] == "mp4" and entries[1]["preview_file_annotations"] == []
    assert entries[0]["sequence_name"] == "SQ01" and entries[0]["parent_name"] == "SQ01"
    assert entries[0]["episode_id"] == "" and entries[0]["asset_type_name"] == ""
    assert demo["task_types"]["Animation"]["id"] in entries[0]["preview_files"]
    assert len(records.query_project(production.project["id"], "Playlist")) == before  # nothing stored

    ordered = api["manager"].post(f"/data/projects/{production.project['id']}/playlists/temp",
                                  params={"sort": "true"}, json={"task_ids": task_ids[:2]}).json()
    assert [e["name"] for e in ordered] == ["SH010", "SH020"]


def test_temp_playlist_edge_cases(api, production, project):
    shot = production.new_shot()
    path = f"/data/projects/{production.project['id']}/playlists/temp"
    assert api["manager"].post(path, json={"task_ids": []}).json() == []
    entry = api["manager"].post(path, json={"task_ids": [production.task(shot)["id"]]}).json()[0]
    assert "preview_file_id" not in entry and entry["preview_files"] == {}
    elsewhere = api["manager"].post(f"/data/projects/{project['id']}/playlists/temp",
                                    json={"task_ids": [production.task(shot)["id"]]})
    assert elsewhere.status_code == 400 and "task_ids" in elsewhere.json()["message"]
    # A vendor must be assigned to every task asked for.
    assert api["vendor"].post(path, json={"task_ids": [production.task(shot)["id"]]}).status_code == 403
