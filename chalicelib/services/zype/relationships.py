"""Playlist relationships: `parent_id` nests a playlist under another, `priority`
orders siblings (0 first). The tree is served whole by `GET /playlists/relationships`.

Every walk here is a loop, not a recursion, so a chain of any depth is checked and
served (Python's recursion limit, and json's, would stop near 1,000 levels)."""
import json

from chalicelib.errors import NotFound
from chalicelib.services.zype.values import save_error


def sibling_order(playlist: dict) -> tuple:
    """Priority ascending (unset last); a tie goes to the playlist saved first, so a
    playlist saved with a sibling's priority lands after it, as Zype documents."""
    priority = playlist.get("priority")
    return (priority is None, priority if priority is not None else 0, playlist.get("updated_at") or "",
            playlist["_id"])


def check_parent(playlist_id: str | None, parent_id: str, playlists_by_id: dict[str, dict]) -> None:
    """The parent must be a playlist of the site, and not the playlist itself or one
    of its descendants, at any depth (a cycle would hang every app walking the tree)."""
    if parent_id not in playlists_by_id:
        raise save_error("playlist", "parent", "no such playlist")
    ancestor_id, seen = parent_id, set()
    while ancestor_id is not None and ancestor_id not in seen:
        if ancestor_id == playlist_id:
            raise save_error("playlist", "parent", "a playlist cannot be nested under itself or its descendants")
        seen.add(ancestor_id)
        ancestor_id = (playlists_by_id.get(ancestor_id) or {}).get("parent_id")


def next_priority(playlists: list[dict], parent_id: str | None) -> int:
    """A playlist saved without priority goes after its existing siblings."""
    priorities = [p["priority"] for p in playlists if p.get("parent_id") == parent_id and p.get("priority") is not None]
    return max(priorities) + 1 if priorities else 0


def _node(playlist: dict) -> dict:
    return {"id": playlist["_id"], "title": playlist.get("title"), "priority": playlist.get("priority"),
            "active": playlist.get("active", True)}


def tree(playlists: list[dict], root_id: str | None = None) -> list[dict]:
    """Nodes `{id, title, priority, active, playlists?}`; leaves have no `playlists`
    key, as in Zype's example. With `root_id`, only the children of that playlist.
    Playlists caught in a cycle stored before cycles were refused hang under the
    root level rather than vanish."""
    by_id = {p["_id"]: p for p in playlists}
    if root_id is not None and root_id not in by_id:
        raise NotFound("Playlist not found")
    children: dict[str | None, list[dict]] = {}
    for playlist in playlists:
        parent = playlist.get("parent_id") if playlist.get("parent_id") in by_id else None
        children.setdefault(parent, []).append(playlist)
    for siblings in children.values():
        siblings.sort(key=sibling_order)
    top: list[dict] = []
    placed: set[str] = set()

    def attach(start_id: str | None, into: list[dict]) -> None:
        stack = [(start_id, into)]
        while stack:
            parent_id, level = stack.pop()
            for playlist in children.get(parent_id, []):
                if playlist["_id"] in placed:
                    continue
                placed.add(playlist["_id"])
                node = _node(playlist)
                level.append(node)
                if children.get(playlist["_id"]):
                    node["playlists"] = []
                    stack.append((playlist["_id"], node["playlists"]))

    attach(root_id, top)
    if root_id is None:
        for playlist in sorted(playlists, key=sibling_order):
            if playlist["_id"] not in placed:  # only a stored cycle is unreachable from the roots
                placed.add(playlist["_id"])
                node = _node(playlist)
                top.append(node)
                node["playlists"] = []
                attach(playlist["_id"], node["playlists"])
    _drop_empty(top)
    return top


def _drop_empty(nodes: list[dict]) -> None:
    stack = [nodes]
    while stack:
        for node in stack.pop():
            if "playlists" in node:
                if node["playlists"]:
                    stack.append(node["playlists"])
                else:
                    del node["playlists"]


def to_json(value) -> str:
    """JSON text of a relationships answer whatever its depth (json.dumps recurses)."""
    out: list[str] = []
    stack: list = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            parts: list = [_Raw("{")]
            for index, (key, member) in enumerate(item.items()):
                parts += [_Raw(("," if index else "") + json.dumps(str(key)) + ":"), member]
            parts.append(_Raw("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, list):
            parts = [_Raw("[")]
            for index, member in enumerate(item):
                parts += ([_Raw(",")] if index else []) + [member]
            parts.append(_Raw("]"))
            stack.extend(reversed(parts))
        else:
            out.append(json.dumps(item, default=str))
    return "".join(out)


class _Raw:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text
