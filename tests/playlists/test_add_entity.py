"""Adding entities: the (entity, preview) couple is never duplicated, even when 50
requests race; with no preview, the latest one (of the playlist's task type) is pinned."""
from concurrent.futures import ThreadPoolExecutor

from chalicelib.models import records


def test_fifty_concurrent_adds_keep_each_couple_once(api, production, add_preview, new_playlist, event_log):
    shots = [production.new_shot() for _ in range(5)]
    previews = {shot["id"]: [add_preview(production.task(shot)) for _ in range(2)] for shot in shots}
    couples = [(shot["id"], preview["id"]) for shot in shots for preview in previews[shot["id"]]]  # 10 couples
    playlist = new_playlist()
    path = f"/actions/playlists/{playlist['id']}/add-entity"
    requests_made = [couples[n % len(couples)] for n in range(50)]  # each couple asked 5 times

    def add(couple):
        manager = api["manager"].as_token(api["manager"].token)  # a connection of its own
        return manager.post(path, json={"entity_id": couple[0], "preview_file_id": couple[1]})

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(add, requests_made))
    assert [a.status_code for a in answers] == [200] * 50, {a.text for a in answers if a.status_code != 200}
    stored = records.get(playlist["id"])["shots"]
    assert sorted((e["entity_id"], e["preview_file_id"]) for e in stored) == sorted(couples)
    added_events = [d for name, d in event_log() if name == "playlist:add_entity" and d["playlist_id"] ==
                    playlist["id"]]
    assert len(added_events) == len(couples)


def test_same_entity_with_another_preview_is_appended(api, production, add_preview, new_playlist):
    shot = production.new_shot()
    first, second = add_preview(production.task(shot)), add_preview(production.task(shot))
    playlist = new_playlist()
    path = f"/actions/playlists/{playlist['id']}/add-entity"
    for preview in (first, second, first):
        answer = api["manager"].post(path, json={"entity_id": shot["id"], "preview_file_id": preview["id"]})
        assert answer.status_code == 200
    assert answer.json()["shots"] == [{"entity_id": shot["id"], "preview_file_id": first["id"]},
                                      {"entity_id": shot["id"], "preview_file_id": second["id"]}]


def test_without_a_preview_the_latest_of_the_playlist_task_type_is_pinned(api, production, demo, add_preview,
                                                                         new_playlist):
    shot = production.new_shot()
    layout_v1 = add_preview(production.task(shot, "Layout"))
    add_preview(production.task(shot, "Animation"))
    newest_animation = add_preview(production.task(shot, "Animation"))
    add_preview(production.task(shot, "Layout"), created_at="2000-01-01T00:00:00.000000", revision=1, position=2)

    any_type = new_playlist()
    answer = api["manager"].post(f"/actions/playlists/{any_type['id']}/add-entity", json={"entity_id": shot["id"]})
    assert answer.json()["shots"] == [{"entity_id": shot["id"], "preview_file_id": newest_animation["id"]}]

    layout = new_playlist(task_type_id=demo["task_types"]["Layout"]["id"])
    answer = api["manager"].post(f"/actions/playlists/{layout['id']}/add-entity", json={"entity_id": shot["id"]})
    # Two layout v1: ties go to the newest creation date.
    assert answer.json()["shots"] == [{"entity_id": shot["id"], "preview_file_id": layout_v1["id"]}]


def test_an_entity_without_previews_is_added_alone_once(api, production, new_playlist):
    shot = production.new_shot()
    playlist = new_playlist()
    for _ in range(2):
        answer = api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity",
                                     json={"entity_id": shot["id"], "preview_file_id": None})
    assert answer.json()["shots"] == [{"entity_id": shot["id"]}]


def test_add_entities_and_unknown_entities(api, production, new_playlist):
    shots = [production.new_shot() for _ in range(2)]
    playlist = new_playlist()
    answer = api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entities",
                                 json={"entities": [{"entity_id": s["id"]} for s in shots]})
    assert [e["entity_id"] for e in answer.json()["shots"]] == [s["id"] for s in shots]
    unknown = api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity",
                                  json={"entity_id": "55555555-5555-4555-8555-555555555555"})
    assert unknown.status_code == 400 and "entity_id" in unknown.json()["message"]
    assert api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity",
                               json={"entity_id": "nope"}).status_code == 400
