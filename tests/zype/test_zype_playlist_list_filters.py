"""GET /playlists: active, category / category!, id / id!, q, title, parent_id,
video_id, sort / order and pagination."""


def _playlists(zype):
    genre = zype.category("Genre", ["comedy", "drama"])
    color = zype.category("Color", ["blue", "red"])
    funny = zype.playlist("Funny Shorts", categories=[
        {"category_id": genre["_id"], "value": ["comedy"]}, {"category_id": color["_id"], "value": ["blue"]}])
    sad = zype.playlist("Sad Stories", categories=[{"category_id": genre["_id"], "value": ["drama"]}])
    hidden = zype.playlist("Hidden Gems", active=False)
    return {"funny": funny, "sad": sad, "hidden": hidden, "genre": genre}


def test_active_defaults_to_true_and_takes_false_and_all(zype):
    _playlists(zype)
    assert zype.titles("/playlists") == ["Funny Shorts", "Sad Stories"]
    assert zype.titles("/playlists", active="false") == ["Hidden Gems"]
    assert zype.titles("/playlists", active="all") == ["Funny Shorts", "Sad Stories", "Hidden Gems"]
    assert zype.titles("/playlists", active="") == ["Funny Shorts", "Sad Stories"]


def test_category_and_category_bang_filter_by_title_or_id(zype):
    made = _playlists(zype)
    assert zype.titles("/playlists", **{"category[Genre]": "comedy"}) == ["Funny Shorts"]
    assert zype.titles("/playlists", **{"category[genre]": "DRAMA"}) == ["Sad Stories"]
    assert zype.titles("/playlists", **{f"category[{made['genre']['_id']}]": "drama"}) == ["Sad Stories"]
    assert zype.titles("/playlists", **{"category[Genre]": "comedy", "category[Color]": "red"}) == []
    assert zype.titles("/playlists", **{"category![Genre]": "comedy"}) == ["Sad Stories"]
    # A playlist without the category is kept by the exclusion.
    assert zype.titles("/playlists", active="all", **{"category![Color]": "blue"}) == ["Sad Stories", "Hidden Gems"]
    # tvOS sends an empty `category[]=`: no filter.
    assert zype.titles("/playlists", **{"category[]": ""}) == ["Funny Shorts", "Sad Stories"]


def test_id_and_id_bang(zype):
    made = _playlists(zype)
    assert zype.titles("/playlists", id=made["sad"]["_id"]) == ["Sad Stories"]
    assert zype.titles("/playlists", params=[("id[]", made["sad"]["_id"]), ("id[]", made["funny"]["_id"])]) == \
        ["Funny Shorts", "Sad Stories"]
    assert zype.titles("/playlists", **{"id!": made["sad"]["_id"]}) == ["Funny Shorts"]
    assert zype.titles("/playlists", id="", **{"id!": ""}) == ["Funny Shorts", "Sad Stories"]


def test_q_matches_title_words_and_prefixes_and_title_is_exact(zype):
    _playlists(zype)
    assert zype.titles("/playlists", q="funny") == ["Funny Shorts"]
    assert zype.titles("/playlists", q="sto sad") == ["Sad Stories"]
    assert zype.titles("/playlists", keyword="shorts") == ["Funny Shorts"]
    assert zype.titles("/playlists", q="tragedy") == []
    assert zype.titles("/playlists", title="sad stories") == ["Sad Stories"]
    assert zype.titles("/playlists", title="Sad") == []
    assert zype.titles("/playlists", **{"title!": "Sad Stories"}) == ["Funny Shorts"]


def test_sort_and_order(zype):
    for title, priority in (("Beta", 2), ("Alpha", 5), ("Gamma", 0)):
        zype.playlist(title, priority=priority)
    assert zype.titles("/playlists") == ["Gamma", "Beta", "Alpha"]  # priority ascending by default
    assert zype.titles("/playlists", sort="title") == ["Alpha", "Beta", "Gamma"]
    assert zype.titles("/playlists", sort="title", order="desc") == ["Gamma", "Beta", "Alpha"]
    assert zype.titles("/playlists", sort="priority", order="dsc") == ["Alpha", "Beta", "Gamma"]  # Roku's spelling
    assert zype.titles("/playlists", sort="created_at", order="asc") == ["Beta", "Alpha", "Gamma"]


def test_parent_id_lists_children_and_video_id_lists_holders(zype):
    parent = zype.playlist("Parent")
    zype.playlist("Second child", parent_id=parent["_id"], priority=1)
    zype.playlist("First child", parent_id=parent["_id"], priority=0)
    assert zype.titles("/playlists", parent_id=parent["_id"], sort="priority") == ["First child", "Second child"]
    video = zype.video("Held")
    holder = zype.playlist("Holder")
    zype.add(holder["_id"], video["_id"])
    assert zype.titles("/playlists", video_id=video["_id"]) == ["Holder"]


def test_pagination_numbers(zype):
    for n in range(5):
        zype.playlist(f"P{n}", priority=n)
    answer = zype.get("/playlists", params={"per_page": 2, "page": 2}).json()
    assert [p["title"] for p in answer["response"]] == ["P2", "P3"]
    assert answer["pagination"] == {"current": 2, "previous": 1, "next": 3, "per_page": 2, "pages": 3}
    first = zype.get("/playlists", params={"per_page": 2}).json()["pagination"]
    assert first == {"current": 1, "previous": None, "next": 2, "per_page": 2, "pages": 3}
    last = zype.get("/playlists", params={"per_page": 2, "page": 3}).json()
    assert [p["title"] for p in last["response"]] == ["P4"]
    assert last["pagination"]["next"] is None
    beyond = zype.get("/playlists", params={"per_page": 2, "page": 9}).json()
    assert beyond["response"] == [] and beyond["pagination"]["next"] is None
    assert zype.get("/playlists", params={"page": 0}).json()["pagination"]["current"] == 1
    # Larger than the cap: clamped and reported, never refused.
    assert zype.get("/playlists", params={"per_page": 5000}).json()["pagination"]["per_page"] == 500
    assert zype.get("/playlists").json()["pagination"]["per_page"] == 10


def test_empty_list_pagination(zype):
    answer = zype.get("/playlists").json()
    assert answer == {"response": [], "pagination": {"current": 1, "previous": None, "next": None,
                                                     "per_page": 10, "pages": 0}}
