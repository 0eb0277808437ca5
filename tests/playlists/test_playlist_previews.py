"""Previews of playlist entries: grouped per task type in the seed's order (priority
desc, name, revision desc, position, creation date), revisions folded, the fallback task
types used when the chosen one has none, and reads that do not grow with the entries."""
import threading

import pytest

from chalicelib.models import records


@pytest.fixture
def shot_with_history(production, make_preview):
    """Animation (priority 2): v2 (positions 1, 2) and v1; Layout (priority 1): v1."""
    shot = production.new_shot()
    animation, layout = production.task(shot, "Animation"), production.task(shot, "Layout")
    made = {
        "layout_v1": make_preview(layout, revision=1),
        "anim_v1": make_preview(animation, revision=1),
        "anim_v2_p1": make_preview(animation, revision=2, position=1),
        "anim_v2_p2": make_preview(animation, revision=2, position=2, extension="png"),
    }
    return shot, made


def test_entity_preview_files_are_grouped_and_ordered(api, production, demo, shot_with_history):
    shot, made = shot_with_history
    answer = api["manager"].get(f"/data/playlists/entities/{shot['id']}/preview-files")
    assert answer.status_code == 200
    groups = answer.json()
    animation, layout = demo["task_types"]["Animation"]["id"], demo["task_types"]["Layout"]["id"]
    assert list(groups) == [animation, layout]  # priority 2 before priority 1
    assert [p["id"] for p in groups[animation]] == [made["anim_v2_p1"]["id"], made["anim_v1"]["id"]]
    first = groups[animation][0]
    assert [p["id"] for p in first["previews"]] == [made["anim_v2_p2"]["id"]]
    assert first["previews"][0]["position"] == 2 and first["previews"][0]["task_type_id"] == animation
    assert {"id", "revision", "extension", "status", "created_at", "task_id", "previews", "annotations",
            "width", "height", "duration", "original_name"} <= set(first)
    assert [p["id"] for p in groups[layout]] == [made["layout_v1"]["id"]]


def test_task_types_of_equal_priority_are_ordered_by_name(api, production, add_preview, unique):
    # Two new task types with the same priority: the names decide.
    zeta = records.create("TaskType", {"name": "Zeta " + unique(), "priority": 5, "for_entity": "Shot"})
    alpha = records.create("TaskType", {"name": "Alpha " + unique(), "priority": 5, "for_entity": "Shot"})
    shot = production.new_shot()
    for task_type in (zeta, alpha):
        task = records.create("Task", {"project_id": production.project["id"], "entity_id": shot["id"],
                                       "task_type_id": task_type["id"]},
                              project_id=production.project["id"], parent_id=shot["id"])
        add_preview(task)
    groups = api["manager"].get(f"/data/playlists/entities/{shot['id']}/preview-files").json()
    assert list(groups) == [alpha["id"], zeta["id"]]


def test_project_playlist_shows_every_preview_and_the_pinned_one(api, production, demo, shot_with_history,
                                                                new_playlist):
    shot, made = shot_with_history
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": made["anim_v2_p1"]["id"]}])
    answer = api["manager"].get(f"/data/projects/{production.project['id']}/playlists/{playlist['id']}")
    assert answer.status_code == 200
    entry = answer.json()["shots"][0]
    animation = demo["task_types"]["Animation"]["id"]
    assert entry["id"] == shot["id"] and entry["preview_file_id"] == made["anim_v2_p1"]["id"]
    assert entry["preview_file_extension"] == "mp4" and entry["preview_file_revision"] == 2
    assert entry["preview_file_duration"] == pytest.approx(1.0, abs=0.05)
    assert [p["id"] for p in entry["preview_file_previews"]] == [made["anim_v2_p2"]["id"]]
    assert [p["id"] for p in entry["preview_files"][animation]] == [made["anim_v2_p1"]["id"], made["anim_v1"]["id"]]
    assert answer.json()["build_jobs"] == []


def test_the_chosen_task_type_falls_back_to_the_project_ones(api, production, demo, add_preview, new_playlist):
    layout_only, animated, bare = production.new_shot(), production.new_shot(), production.new_shot()
    layout_preview = add_preview(production.task(layout_only, "Layout"))
    add_preview(production.task(animated, "Layout"))
    animation_preview = add_preview(production.task(animated, "Animation"))
    playlist = new_playlist(task_type_id=demo["task_types"]["Animation"]["id"],
                            shots=[{"entity_id": s["id"]} for s in (layout_only, animated, bare)])
    entries = api["manager"].get(f"/data/projects/{production.project['id']}/playlists/{playlist['id']}").json()[
        "shots"]
    assert entries[0]["preview_file_id"] == layout_preview["id"]   # no Animation: Layout, the fallback
    assert entries[1]["preview_file_id"] == animation_preview["id"]  # the chosen task type first
    assert "preview_file_id" not in entries[2] and entries[2]["preview_files"] == []


def test_a_pinned_preview_that_is_gone_falls_back(api, production, add_preview, new_playlist):
    shot = production.new_shot()
    current = add_preview(production.task(shot))
    gone = add_preview(production.task(shot, "Layout"))
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": gone["id"]}])
    assert api["manager"].delete(f"/data/preview-files/{gone['id']}").status_code == 204
    entry = api["manager"].get(f"/data/projects/{production.project['id']}/playlists/{playlist['id']}").json()[
        "shots"][0]
    assert entry["preview_file_id"] == current["id"]


def test_the_project_route_refuses_a_playlist_of_another_project(api, project, production, new_playlist):
    playlist = new_playlist()
    assert api["manager"].get(f"/data/projects/{project['id']}/playlists/{playlist['id']}").status_code == 404


@pytest.fixture
def dynamodb_calls(stack):
    """Counts DynamoDB calls made while the block runs (by the API's request threads)."""
    from chalicelib.models.records import Record

    client = Record._get_connection().connection.client
    calls, lock = [], threading.Lock()

    def count(model, **_):
        if not threading.current_thread().name.startswith("sqs-"):
            with lock:
                calls.append(model.name)

    client.meta.events.register("before-call", count)
    yield calls
    client.meta.events.unregister("before-call", count)


def test_reading_a_playlist_does_not_grow_with_its_entries(api, production, add_preview, new_playlist,
                                                           dynamodb_calls):
    shots = [production.new_shot() for _ in range(50)]
    for shot in shots:
        add_preview(production.task(shot))
    counts = {}
    for size in (5, 50):
        playlist = new_playlist(shots=[{"entity_id": s["id"]} for s in shots[:size]])
        for path in (f"/data/projects/{production.project['id']}/playlists/{playlist['id']}",
                     f"/data/playlists/{playlist['id']}"):
            dynamodb_calls.clear()
            assert api["manager"].get(path).status_code == 200
            counts[(path.count("projects"), size)] = len(dynamodb_calls)
    assert counts[(1, 5)] == counts[(1, 50)] and counts[(0, 5)] == counts[(0, 50)]
    assert counts[(1, 50)] <= 6
