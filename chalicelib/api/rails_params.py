"""Rails-style parameter trees (`playlist[categories][0][value][]=x`), the encoding
Zype's API and its clients use in query strings, form bodies and flattened JSON keys.

Rack's rules, with one change: API Gateway hands us the query string grouped by name
(`multiValueQueryStringParameters`), so the interleaving Rack relies on for arrays of
hashes (`sort_options[][direction]=..&sort_options[][sort_by]=..`) is lost. Instead the
n-th occurrence of a name goes into the n-th hash, which gives the same tree whenever
each hash carries the same keys, whatever the order the pairs arrive in."""
import re

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

    def add_json(self, body: dict) -> None:
        """A JSON object: bracketed keys (`"playlist[title]"`, as zype-python flattens
        them) are placed like form names; other keys merge into what is there."""
        for key, value in body.items():
            if "[" in key:
                self.add(key, value)
            else:
                self.tree[key] = _merge(self.tree.get(key), value)


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
