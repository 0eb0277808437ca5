"""parent_id / priority and GET /playlists/relationships."""


def test_tree_nests_children_sorted_by_priority(zype):
    a = zype.playlist("Playlist A", priority=0)
    b = zype.playlist("Playlist B", priority=1)
    zype.playlist("Playlist A.1", parent_id=a["_id"], priority=0)
    b2 = zype.playlist("Playlist B.2", parent_id=b["_id"], priority=1)
    b1 = zype.playlist("Playlist B.1", parent_id=b["_id"], priority=0)
    zype.playlist("Playlist B.1.1", parent_id=b1["_id"], priority=0)
    zype.playlist("Inactive root", active=False, priority=2)
    answer = zype.get("/playlists/relationships")
    assert answer.status_code == 200
    tree = answer.json()
    assert set(tree) == {"playlists"}  # not wrapped in `response`

    def shape(nodes):
        return [(node["title"], node["priority"], shape(node["playlists"]) if "playlists" in node else None)
                for node in nodes]

    assert shape(tree["playlists"]) == [
        ("Playlist A", 0, [("Playlist A.1", 0, None)]),
        ("Playlist B", 1, [("Playlist B.1", 0, [("Playlist B.1.1", 0, None)]), ("Playlist B.2", 1, None)]),
        ("Inactive root", 2, None),
    ]
    assert tree["playlists"][1]["playlists"][1]["id"] == b2["_id"]
    subtree = zype.get("/playlists/relationships", params={"parent_id": b["_id"]}).json()["playlists"]
    assert [node["title"] for node in subtree] == ["Playlist B.1", "Playlist B.2"]
    assert zype.get("/playlists/relationships", params={"parent_id": "0123456789abcdef01234567"}).status_code == 404


def test_playlists_without_priority_go_after_their_siblings(zype):
    parent = zype.playlist("Parent")
    first = zype.playlist("First", parent_id=parent["_id"])
    second = zype.playlist("Second", parent_id=parent["_id"])
    assert (first["priority"], second["priority"]) == (0, 1)
    tied = zype.playlist("Tied with first", parent_id=parent["_id"], priority=0)
    children = zype.get("/playlists/relationships").json()["playlists"][0]["playlists"]
    assert [node["id"] for node in children] == [first["_id"], tied["_id"], second["_id"]]


def test_moving_and_unnesting(zype):
    a, b = zype.playlist("A"), zype.playlist("B")
    child = zype.playlist("Child", parent_id=a["_id"])
    answer = zype.put(f"/playlists/{child['_id']}", json={"playlist": {"parent_id": b["_id"]}})
    assert answer.json()["response"]["parent_id"] == b["_id"]
    answer = zype.put(f"/playlists/{child['_id']}", json={"playlist": {"parent_id": None}})
    assert answer.json()["response"]["parent_id"] is None
    zype.put(f"/playlists/{child['_id']}", json={"playlist": {"parent_id": a["_id"]}})
    answer = zype.put(f"/playlists/{child['_id']}", data={"playlist[parent_id]": ""})
    assert answer.json()["response"]["parent_id"] is None


def test_a_parent_that_would_make_a_cycle_is_422(zype):
    top = zype.playlist("Top")
    middle = zype.playlist("Middle", parent_id=top["_id"])
    bottom = zype.playlist("Bottom", parent_id=middle["_id"])
    for new_parent in (bottom["_id"], middle["_id"], top["_id"]):
        answer = zype.put(f"/playlists/{top['_id']}", json={"playlist": {"parent_id": new_parent}})
        assert answer.status_code == 422
        assert answer.json()["message"].startswith("Could not save playlist: Parent is invalid")
    assert zype.get(f"/playlists/{top['_id']}").json()["response"]["parent_id"] is None
    answer = zype.post("/playlists", json={"playlist": {"title": "Orphan", "parent_id": "0123456789abcdef01234567"}})
    assert answer.status_code == 422


def test_deleting_a_parent_makes_its_children_roots(zype):
    parent = zype.playlist("Doomed")
    child = zype.playlist("Survivor", parent_id=parent["_id"])
    assert zype.delete(f"/playlists/{parent['_id']}").status_code == 204
    assert zype.get(f"/playlists/{child['_id']}").json()["response"]["parent_id"] is None
    assert [node["title"] for node in zype.get("/playlists/relationships").json()["playlists"]] == ["Survivor"]
