"""Playlist relationships: `parent_id` nests a playlist under another, `priority`
orders siblings (0 first). The tree is served whole by `GET /playlists/relationships`."""
from chalicelib.errors import NotFound
from chalicelib.services.zype.values import save_error

# Deeper than any app could show; only here to stop a walk over corrupted data.
MAX_DEPTH = 100


def sibling_order(playlist: dict) -> tuple:
    """Priority ascending (unset last); a tie goes to the playlist saved first, so a
    playlist saved with a sibling's priority lands after it, as Zype documents."""
    priority = playlist.get("priority")
    return (priority is None, priority if priority is not None else 0, playlist.get("updated_at") or "",
            playlist["_id"])


def check_parent(playlist_id: str | None, parent_id: str, playlists_by_id: dict[str, dict]) -> None:
    """The parent must be a playlist of the site, and not the playlist itself or one
    of its descendants (a cycle would hang every app walking the tree)."""
    if parent_id not in playlists_by_id:
        raise save_error("playlist", "parent", "no such playlist")
    ancestor_id, depth = parent_id, 0
    while ancestor_id is not None and depth < MAX_DEPTH:
        if ancestor_id == playlist_id:
            raise save_error("playlist", "parent", "a playlist cannot be nested under itself or its descendants")
        ancestor_id = (playlists_by_id.get(ancestor_id) or {}).get("parent_id")
        depth += 1


def next_priority(playlists: list[dict], parent_id: str | None) -> int:
    """A playlist saved without priority goes after its existing siblings."""
    priorities = [p["priority"] for p in playlists if p.get("parent_id") == parent_id and p.get("priority") is not None]
    return max(priorities) + 1 if priorities else 0


def tree(playlists: list[dict], root_id: str | None = None) -> list[dict]:
    """Nodes `{id, title, priority, active, playlists?}`; leaves have no `playlists`
    key, as in Zype's example. With `root_id`, only the children of that playlist."""
    by_id = {p["_id"]: p for p in playlists}
    if root_id is not None and root_id not in by_id:
        raise NotFound("Playlist not found")
    children: dict[str | None, list[dict]] = {}
    for playlist in playlists:
        parent = playlist.get("parent_id") if playlist.get("parent_id") in by_id else None
        children.setdefault(parent, []).append(playlist)

    def nodes(parent_id: str | None, depth: int) -> list[dict]:
        result = []
        for playlist in sorted(children.get(parent_id, []), key=sibling_order):
            node = {"id": playlist["_id"], "title": playlist.get("title"), "priority": playlist.get("priority"),
                    "active": playlist.get("active", True)}
            below = nodes(playlist["_id"], depth + 1) if depth < MAX_DEPTH else []
            if below:
                node["playlists"] = below
            result.append(node)
        return result

    return nodes(root_id, 0)
