"""Playlists as Zou serves them: fields, gazu's whole-dict PUT, listings, deletion, events."""
import time

from chalicelib import storage
from chalicelib.models import records


def test_create_answers_zou_fields_and_build_job_ids(api, production, demo, new_playlist, event_log):
    playlist = new_playlist(name="Client review", episode_id="main", for_client=True)
    assert playlist["type"] == "Playlist"
    assert playlist["episode_id"] is None and playlist["for_entity"] == "shot" and playlist["is_for_all"] is False
    assert playlist["for_client"] is True and playlist["shots"] == [] and playlist["build_jobs"] == []
    assert playlist["created_by"] == demo["people"]["manager"]["id"]
    fetched = api["manager"].get(f"/data/playlists/{playlist['id']}").json()
    assert fetched["name"] == "Client review" and fetched["build_jobs"] == []
    assert ("playlist:new", {"playlist_id": playlist["id"], "project_id": production.project["id"]}) in event_log()


def test_create_checks_entity_kind_and_drops_unknown_task_type(api, production, new_playlist, unique):
    bad = api["manager"].post("/data/playlists", json={"name": unique("p"), "project_id": production.project["id"],
                                                        "for_entity": "planet"})
    assert bad.status_code == 400
    missing_name = api["manager"].post("/data/playlists", json={"project_id": production.project["id"]})
    assert missing_name.status_code == 400
    playlist = new_playlist(task_type_id="00000000-0000-4000-8000-000000000000", for_entity="asset")
    assert playlist["task_type_id"] is None and playlist["for_entity"] == "asset"


def test_whole_dict_put_ignores_read_only_fields_and_normalizes_entries(api, production, new_playlist,
                                                                       add_preview):
    shot_a, shot_b = production.new_shot(), production.new_shot()
    playlist = new_playlist()
    sent = api["manager"].get(f"/data/playlists/{playlist['id']}").json()
    preview_id = add_preview(production.task(shot_a))["id"]
    sent.update({"name": "Renamed", "id": "22222222-2222-4222-8222-222222222222", "created_at": "2000-01-01",
                 "updated_at": "2000-01-01", "project_id": "33333333-3333-4333-8333-333333333333",
                 "type": "Whatever", "build_jobs": ["x"],
                 "shots": [{"id": shot_a["id"], "preview_file_id": preview_id, "name": "extra"},
                           {"entity_id": shot_b["id"]}]})
    answer = api["manager"].put(f"/data/playlists/{playlist['id']}", json=sent)
    assert answer.status_code == 200, answer.text
    updated = answer.json()
    assert updated["id"] == playlist["id"] and updated["name"] == "Renamed"
    assert updated["project_id"] == production.project["id"] and updated["created_at"] == playlist["created_at"]
    assert updated["shots"] == [{"entity_id": shot_a["id"], "preview_file_id": preview_id},
                                {"entity_id": shot_b["id"]}]
    assert "build_jobs" not in updated


def test_project_listing_pages_sorts_and_filters(api, production, demo, new_playlist):
    animation = demo["task_types"]["Animation"]["id"]
    made = [new_playlist(name=f"P{n:02d}", task_type_id=animation if n % 2 else None) for n in range(23)]
    pid = production.project["id"]
    first = api["manager"].get(f"/data/projects/{pid}/playlists").json()
    assert len(first) == 20 and "shots" not in first[0]
    assert [p["id"] for p in first] == [p["id"] for p in reversed(made)][:20]  # updated_at, newest first
    second = api["manager"].get(f"/data/projects/{pid}/playlists", params={"page": 2}).json()
    assert [p["id"] for p in second] == [p["id"] for p in reversed(made)][20:]
    by_name = api["manager"].get(f"/data/projects/{pid}/playlists", params={"sort_by": "name"}).json()
    assert [p["name"] for p in by_name] == [f"P{n:02d}" for n in range(20)]
    animated = api["manager"].get(f"/data/projects/{pid}/playlists", params={"task_type_id": animation}).json()
    assert len(animated) == 11 and all(p["task_type_id"] == animation for p in animated)
    assert api["manager"].get(f"/data/projects/{pid}/playlists", params={"sort_by": "nope"}).status_code == 400


def test_editing_a_playlist_moves_it_to_the_top(api, production, new_playlist):
    older, newer = new_playlist(), new_playlist()
    api["manager"].put(f"/data/playlists/{older['id']}", json={"name": "touched"})
    listed = api["manager"].get(f"/data/projects/{production.project['id']}/playlists").json()
    assert [p["id"] for p in listed[:2]] == [older["id"], newer["id"]]


def test_episode_listing_understands_main_and_all(api, production, new_playlist):
    episode = records.create("Episode", {"name": "E01", "project_id": production.project["id"]},
                             project_id=production.project["id"], parent_id=production.project["id"])
    main, every, in_episode = (new_playlist(), new_playlist(is_for_all=True),
                               new_playlist(episode_id=episode["id"]))
    base = f"/data/projects/{production.project['id']}/episodes"
    assert [p["id"] for p in api["manager"].get(f"{base}/main/playlists").json()] == [main["id"]]
    assert [p["id"] for p in api["manager"].get(f"{base}/all/playlists").json()] == [every["id"]]
    assert [p["id"] for p in api["manager"].get(f"{base}/{episode['id']}/playlists").json()] == [in_episode["id"]]
    assert api["manager"].get(f"{base}/not-an-episode/playlists").status_code == 400
    listed = api["manager"].get(f"/data/projects/{production.project['id']}/playlists",
                                params={"episode_id": "main"}).json()
    assert [p["id"] for p in listed] == [main["id"]]


def test_client_sees_only_client_playlists_and_vendor_none(api, production, new_playlist):
    shared, internal = new_playlist(for_client=True), new_playlist()
    pid = production.project["id"]
    listed = [p["id"] for p in api["client"].get(f"/data/projects/{pid}/playlists").json()]
    assert listed == [shared["id"]]
    assert [p["id"] for p in api["client"].get("/data/playlists", params={"project_id": pid}).json()] == \
        [shared["id"]]
    assert api["client"].get(f"/data/playlists/{internal['id']}").status_code == 403
    assert api["client"].get(f"/data/playlists/{shared['id']}").status_code == 200
    assert api["vendor"].get(f"/data/projects/{pid}/playlists").status_code == 403
    assert api["vendor"].get("/data/playlists", params={"project_id": pid}).status_code == 403


def test_get_by_name_is_case_insensitive(api, production, new_playlist):
    playlist = new_playlist(name="Dailies Monday")
    found = api["manager"].get("/data/playlists", params={"project_id": production.project["id"],
                                                          "name": "dailies monday"}).json()
    assert [p["id"] for p in found] == [playlist["id"]]


def test_delete_removes_build_jobs_and_their_movies(api, production, new_playlist, event_log):
    playlist = new_playlist()
    job = records.create("BuildJob", {"status": "succeeded", "job_type": "movie", "playlist_id": playlist["id"],
                                      "project_id": production.project["id"]},
                         project_id=production.project["id"], parent_id=playlist["id"])
    storage.put_bytes(storage.playlist_build_key(job["id"]), b"movie", "video/mp4")
    event_log()
    assert api["manager"].delete(f"/data/playlists/{playlist['id']}").status_code == 204
    assert api["manager"].get(f"/data/playlists/{playlist['id']}").status_code == 404
    assert records.get(job["id"]) is None and storage.head(storage.playlist_build_key(job["id"])) is None
    received = event_log()
    assert ("build-job:delete", {"build_job_id": job["id"], "playlist_id": playlist["id"],
                                 "project_id": production.project["id"]}) in received
    assert ("playlist:delete", {"playlist_id": playlist["id"], "project_id": production.project["id"]}) in received


def test_notify_clients_emails_each_client_of_the_team(api, stack, production, demo, new_playlist, event_log):
    playlist = new_playlist(name="Ready for you", for_client=True)
    before = len(stack.sent_emails())
    answer = api["manager"].post(f"/data/playlists/{playlist['id']}/notify-clients", json={})
    assert answer.status_code == 200 and answer.json() == {"status": "success"}
    emails = stack.sent_emails()[before:]
    client = demo["people"]["client"]
    assert [e["destinations"]["ToAddresses"] for e in emails] == [[client["email"]]]
    assert emails[0]["subject"] == \
        f"[Kitsu] The playlist Ready for you in project {production.project['name']} is ready for review"
    notifications = records.query_parent(playlist["id"], "Notification")
    assert [n["person_id"] for n in notifications] == [client["id"]]
    assert any(name == "notification:new" and detail["person_id"] == client["id"] for name, detail in event_log())
    other_studio = api["manager"].post(f"/data/playlists/{playlist['id']}/notify-clients",
                                       json={"studio_id": "44444444-4444-4444-8444-444444444444"})
    assert other_studio.status_code == 200
    time.sleep(0.1)
    assert len(stack.sent_emails()) == before + 1
