"""sort_options: two levels, ties in a stable order, late additions in sorted place."""
import pytest

TWO_LEVELS = [{"direction": "desc", "sort_by": "published_at", "sort_by_type": "date"},
              {"direction": "asc", "sort_by": "title", "sort_by_type": "string"}]


def test_two_levels_with_ties_and_late_additions(zype):
    playlist = zype.playlist("Smart", sort_options=TWO_LEVELS)
    assert playlist["sort_options"] == TWO_LEVELS
    early = [zype.video("beta", published_at="2020-05-01T09:00:00Z"),
             zype.video("Alpha", published_at="2020-05-01T23:00:00Z"),   # same date as beta: title decides
             zype.video("Gamma", published_at="2021-01-01T00:00:00Z"),
             zype.video("Undated")]
    zype.add(playlist["_id"], *(video["_id"] for video in early))
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Gamma", "Alpha", "beta", "Undated"]

    # Added later, each lands in its sorted place; exact ties keep the order they joined in.
    late = [zype.video("Delta", published_at="2020-12-31T00:00:00Z"),
            zype.video("Alpha", published_at="2020-05-01T01:00:00Z"),
            zype.video("Zulu", published_at="2022-01-01T00:00:00Z")]
    zype.add(playlist["_id"], late[0]["_id"])
    zype.add(playlist["_id"], late[1]["_id"], late[2]["_id"])
    answer = zype.get(f"/playlists/{playlist['_id']}/videos").json()["response"]
    assert [v["title"] for v in answer] == ["Zulu", "Gamma", "Delta", "Alpha", "Alpha", "beta", "Undated"]
    assert [v["_id"] for v in answer if v["title"] == "Alpha"] == [early[1]["_id"], late[1]["_id"]]
    # Pages read by key follow the same order.
    second_page = zype.get(f"/playlists/{playlist['_id']}/videos", params={"per_page": 3, "page": 2}).json()
    assert [v["title"] for v in second_page["response"]] == ["Alpha", "Alpha", "beta"]


def test_a_video_moves_when_its_sort_field_changes(zype):
    playlist = zype.playlist("By title", sort_options=[{"direction": "asc", "sort_by": "title",
                                                        "sort_by_type": "string"}])
    videos = {title: zype.video(title) for title in ("Apple", "Banana", "Cherry")}
    zype.add(playlist["_id"], *(video["_id"] for video in videos.values()))
    zype.put(f"/videos/{videos['Apple']['_id']}", json={"video": {"title": "Zucchini"}})
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Banana", "Cherry", "Zucchini"]


def test_integer_and_boolean_levels_and_changing_the_options_resorts(zype):
    playlist = zype.playlist("Episodes")
    for title, episode, featured in (("E2", 2, False), ("E10", 10, True), ("E1", 1, True)):
        zype.add(playlist["_id"], zype.video(title, episode=episode, featured=featured)["_id"])
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["E2", "E10", "E1"]  # manual order
    zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"sort_options": [
        {"direction": "asc", "sort_by": "episode", "sort_by_type": "integer"}]}})
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["E1", "E2", "E10"]
    zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"sort_options": [
        {"direction": "desc", "sort_by": "featured", "sort_by_type": "boolean"},
        {"direction": "desc", "sort_by": "episode", "sort_by_type": "integer"}]}})
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["E10", "E1", "E2"]
    zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"sort_options": []}})
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["E2", "E10", "E1"]  # back to manual


def test_datetime_level_compares_the_time_too(zype):
    playlist = zype.playlist("Newest", sort_options=[{"direction": "desc", "sort_by": "published_at",
                                                      "sort_by_type": "datetime"}])
    for title, published in (("Morning", "2020-05-01T08:00:00Z"), ("Night", "2020-05-01T22:00:00Z")):
        zype.add(playlist["_id"], zype.video(title, published_at=published)["_id"])
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Night", "Morning"]


def test_sort_options_in_form_encoding(zype):
    answer = zype.post("/playlists", data=[
        ("playlist[title]", "Form sorted"),
        ("playlist[sort_options][][direction]", "desc"), ("playlist[sort_options][][direction]", "asc"),
        ("playlist[sort_options][][sort_by]", "published_at"), ("playlist[sort_options][][sort_by]", "title"),
        ("playlist[sort_options][][sort_by_type]", "datetime"), ("playlist[sort_options][][sort_by_type]", "string")])
    assert answer.status_code == 201, answer.text
    assert answer.json()["response"]["sort_options"] == [
        {"direction": "desc", "sort_by": "published_at", "sort_by_type": "datetime"},
        {"direction": "asc", "sort_by": "title", "sort_by_type": "string"}]


@pytest.mark.parametrize("sort_options, detail", [
    (TWO_LEVELS + [{"direction": "asc", "sort_by": "created_at", "sort_by_type": "datetime"}], "at most 2 levels"),
    ([{"direction": "sideways", "sort_by": "title", "sort_by_type": "string"}], "direction"),
    ([{"direction": "asc", "sort_by": "colour", "sort_by_type": "string"}], "sort_by must be"),
    ([{"direction": "asc", "sort_by": "title", "sort_by_type": "datetime"}], "sort_by_type of title"),
    ("not a list", "Sort options is invalid"),
])
def test_invalid_sort_options_are_422_and_nothing_is_saved(zype, sort_options, detail):
    playlist = zype.playlist("Untouched", sort_options=TWO_LEVELS[:1])
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"sort_options": sort_options}})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("Could not save playlist: Sort options is invalid")
    assert detail in answer.json()["message"]
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["sort_options"] == TWO_LEVELS[:1]
