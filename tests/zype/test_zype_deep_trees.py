"""Parent cycles are refused at any depth; the relationships tree is served at any
depth; playlist_item_count counts the videos apps see (the active ones)."""
import json

from chalicelib.services.zype import relationships


def _chain(zype, length: int) -> list[dict]:
    chain = [zype.playlist("level 0")]
    for level in range(1, length):
        chain.append(zype.playlist(f"level {level}", parent_id=chain[-1]["_id"]))
    return chain


def test_a_cycle_105_levels_deep_is_refused_and_the_tree_keeps_every_playlist(zype):
    chain = _chain(zype, 106)
    answer = zype.put(f"/playlists/{chain[0]['_id']}", json={"playlist": {"parent_id": chain[-1]["_id"]}})
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith("Could not save playlist: Parent is invalid")
    tree = zype.get("/playlists/relationships")
    assert tree.status_code == 200
    node, depth = tree.json()["playlists"][0], 0
    while "playlists" in node:
        node, depth = node["playlists"][0], depth + 1
    assert depth == 105 and node["id"] == chain[-1]["_id"]


def _chain_bodies(depth: int) -> list[dict]:
    return [{"_id": f"{i:024x}", "title": f"t{i}", "priority": 0, "active": True,
             "parent_id": f"{i - 1:024x}" if i else None} for i in range(depth)]


def test_the_tree_walks_and_serializes_any_depth():
    # Shallow, the text is json.dumps' own; deep (where json.dumps and json.loads
    # raise RecursionError), every level is there, innermost last.
    shallow = {"playlists": relationships.tree(_chain_bodies(40))}
    assert relationships.to_json(shallow) == json.dumps(shallow, separators=(",", ":"))
    depth = 5000
    text = relationships.to_json({"playlists": relationships.tree(_chain_bodies(depth))})
    assert text.count('"playlists":[') == depth
    assert text.index('"t0"') < text.index(f'"t{depth - 1}"')
    assert text.endswith("]}" * depth) and text.count("[") == text.count("]")


def test_a_stored_cycle_still_shows_its_playlists():
    playlists = [{"_id": "a" * 24, "title": "A", "priority": 0, "parent_id": "b" * 24},
                 {"_id": "b" * 24, "title": "B", "priority": 1, "parent_id": "a" * 24},
                 {"_id": "c" * 24, "title": "C", "priority": 0, "parent_id": None}]
    tree = relationships.tree(playlists)
    shown = json.dumps(tree)
    assert all(letter * 24 in shown for letter in "abc")


def test_playlist_item_count_counts_active_videos(zype):
    playlist = zype.playlist("Mixed")
    shown = zype.video("shown")
    hidden = zype.video("hidden", active=False)
    zype.add(playlist["_id"], shown["_id"], hidden["_id"])
    answer = zype.get(f"/playlists/{playlist['_id']}").json()["response"]
    assert answer["playlist_item_count"] == 1
    assert [v["title"] for v in zype.get(f"/playlists/{playlist['_id']}/videos").json()["response"]] == ["shown"]
    zype.put(f"/videos/{hidden['_id']}", json={"video": {"active": True}})
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 2
