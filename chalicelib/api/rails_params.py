"""Rails-style parameter trees (`playlist[categories][0][value][]=x`), the encoding
Zype's API and its clients use in query strings, form bodies and flattened JSON keys.

Rack's rules, with one change: API Gateway hands us the query string grouped by name
(`multiValueQueryStringParameters`), so the interleaving Rack relies on for arrays of
hashes (`sort_options[][direction]=..&sort_options[][sort_by]=..`) is lost. Instead the
n-th occurrence of a name goes into the n-th hash, which gives the same tree whenever
each hash carries the same keys, whatever the order the pairs arrive in.

One shape stays ambiguous after that grouping: an array inside an array of hashes, the
zype gem's encoding of category rules (`categories[][category_id]=A&categories[][value][]=x
&categories[][category_id]=B&categories[][value][]=y`): the query string says that x and
y are values, not which hash each belongs to. Those values are kept in order as one
`Unsplit` shared by the hashes, and the reader that knows what the values mean (the
category rules: a value belongs to its category) splits them, or refuses."""
import re

from chalicelib.services.zype.values import Unsplit

_NAME = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def split_name(name: str) -> list[str]:
    """`a[b][][c]` -> ['a', 'b', '', 'c']; a name that is not bracket-shaped stays whole."""
    match = _NAME.match(name)
    if not match:
        return [name]
    return [match.group(1), *_SEGMENT.findall(match.group(2))]


class ParamTree:
    """Builds one nested dict from name/value pairs arriving from several sources."""

    def __init__(self):
        self.tree: dict = {}
        self._occurrences: dict[str, int] = {}

    def add(self, name: str, value) -> None:
        occurrence = self._occurrences.get(name, 0)
        self._occurrences[name] = occurrence + 1
        _assign(self.tree, split_name(name), value, occurrence)

    def add_grouped(self, grouped: dict[str, list]) -> None:
        """Name -> values in arrival order per name, the order across names lost (a query
        string as API Gateway hands it over)."""
        deferred = []
        for name, values in grouped.items():
            path = split_name(name)
            if _nested_array_in_hashes(path):
                deferred.append((path, values))
                continue
            for value in values:
                self.add(name, value)
        for path, values in deferred:
            items = _find_list(self.tree, path[:path.index("")])
            hashes = [item for item in items if isinstance(item, dict)] if items is not None else []
            if len(hashes) <= 1:
                for value in values:
                    self.add(_join(path), value)
                continue
            shared = Unsplit(list(values), len(hashes))
            key = path[path.index("") + 1]
            for position, item in enumerate(hashes):
                item[key] = shared.part(position)

    def add_json(self, body: dict) -> None:
        """A JSON object: bracketed keys (`"playlist[title]"`, as zype-python flattens
        them) are placed like form names; other keys merge into what is there."""
        for key, value in body.items():
            if "[" in key:
                self.add(key, value)
            else:
                self.tree[key] = _merge(self.tree.get(key), value)


def _nested_array_in_hashes(path: list[str]) -> bool:
    # name[][key][] exactly: a list of values under a key of each hash of a list.
    if "" not in path:
        return False
    first = path.index("")
    return len(path) == first + 3 and path[first + 1] != "" and path[first + 2] == ""


def _find_list(tree: dict, path: list[str]):
    node = tree
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, list) else None


def _join(path: list[str]) -> str:
    return path[0] + "".join(f"[{part}]" for part in path[1:])


def _assign(node: dict, path: list[str], value, occurrence: int) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        if occurrence and head in node:
            # `video_id=a&video_id=b`: keep both; scalar readers take the last one.
            previous = node[head]
            node[head] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            node[head] = value
        return
    if rest[0] != "":
        child = node.get(head)
        if not isinstance(child, dict):
            child = node[head] = {}
        _assign(child, rest, value, occurrence)
        return
    items = node.get(head)
    if not isinstance(items, list):
        items = node[head] = []
    if len(rest) == 1:  # name[]=value
        items.append(value)
        return
    if "" in rest[1:]:
        # `categories[][value][]`: Rack puts a nested array into the last hash.
        if not items or not isinstance(items[-1], dict):
            items.append({})
        _assign(items[-1], rest[1:], value, occurrence)
        return
    while len(items) <= occurrence:
        items.append({})
    if not isinstance(items[occurrence], dict):
        items[occurrence] = {}
    _assign(items[occurrence], rest[1:], value, occurrence)


def _merge(existing, incoming):
    if isinstance(existing, dict) and isinstance(incoming, dict):
        merged = dict(existing)
        for key, value in incoming.items():
            merged[key] = _merge(existing.get(key), value)
        return merged
    return incoming
