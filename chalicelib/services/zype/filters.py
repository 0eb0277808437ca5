"""List filters of Zype's playlists and videos, parsed once into predicates.

Hash filters are keyed by the category *title*, as the SDKs build them
(`category[Genre]=comedy`); the category's id is accepted too. Parameters Zype's
clients send empty are "not sent"; unknown parameters are ignored (spec §2)."""
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.services.zype.values import MISSING, boolean, instant, is_blank, parse_stamp, single, string_list, words

RANGE_SUFFIXES = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
VIDEO_DATE_FIELDS = ("created_at", "published_at", "updated_at")
PLAYLIST_DATE_FIELDS = ("created_at", "updated_at")
VIDEO_BOOLEANS = ("featured", "mature_content", "on_air")
# Exact-match string fields of a video, each also usable as `<field>!` to exclude.
VIDEO_ID_FIELDS = ("source_id", "crunchyroll_id", "hulu_id", "vimeo_id", "youtube_id", "preview_file_id")
VIDEO_SORTS = ("title", "friendly_title", "created_at", "updated_at", "published_at", "duration",
               "episode", "season")
PLAYLIST_SORTS = ("title", "priority", "created_at", "updated_at")

Predicate = Callable[[dict], bool]


@dataclass
class Filters:
    """`active` is True, False or None (all); `predicates` must all hold."""
    active: bool | None = True
    predicates: list[Predicate] = field(default_factory=list)

    def matches(self, record: dict) -> bool:
        if self.active is not None and bool(record.get("active")) != self.active:
            return False
        return all(predicate(record) for predicate in self.predicates)


def active_filter(params: dict) -> bool | None:
    """`active`: true (the default, as on Zype's /videos), false, or all."""
    raw = single(params.get("active", MISSING))
    if isinstance(raw, str) and raw.strip().lower() == "all":
        return None
    value = boolean(raw, "active")
    return True if value is None else value


def video_filters(params: dict, categories: "CategoryResolver") -> Filters:
    filters = Filters(active=active_filter(params))
    add = filters.predicates.append
    boolean(params.get("dpt", MISSING), "dpt")  # checked, then a no-op: reelbase has no geo/device rules
    for name in VIDEO_BOOLEANS:
        wanted = boolean(params.get(name, MISSING), name)
        if wanted is not None:
            add(lambda video, name=name, wanted=wanted: bool(video.get(name)) == wanted)
    add_id_filters(add, params, "id", lambda video: [video["_id"]])
    add_id_filters(add, params, "zobject_id", lambda video: video.get("zobject_ids") or [])
    for name in VIDEO_ID_FIELDS:
        add_id_filters(add, params, name, lambda video, name=name: [video.get(name)])
    for name in ("title", "friendly_title", "type"):
        add_exact_filters(add, params, name)
    add_keyword_filter(add, params, ("title", "description", "short_description", "keywords", "source_id"))
    add_date_filters(add, params, VIDEO_DATE_FIELDS)
    add_category_filters(add, params, categories)
    return filters


def playlist_filters(params: dict, categories: "CategoryResolver", playlist_ids_with_video=None) -> Filters:
    filters = Filters(active=active_filter(params))
    add = filters.predicates.append
    boolean(params.get("dpt", MISSING), "dpt")
    add_id_filters(add, params, "id", lambda playlist: [playlist["_id"]])
    for name in ("title", "friendly_title"):
        add_exact_filters(add, params, name)
    parent_id = param_value(params, "parent_id")
    if parent_id is not None:
        add(lambda playlist: playlist.get("parent_id") == parent_id)
    if playlist_ids_with_video is not None:
        add(lambda playlist: playlist["_id"] in playlist_ids_with_video)
    add_keyword_filter(add, params, ("title", "description"))
    add_date_filters(add, params, PLAYLIST_DATE_FIELDS)
    add_category_filters(add, params, categories)
    return filters


# --- the pieces --------------------------------------------------------------------

def param_value(params: dict, name: str) -> str | None:
    raw = params.get(name, MISSING)
    if is_blank(raw):
        return None
    if isinstance(raw, list):
        raw = next((item for item in reversed(raw) if not is_blank(item)), None)
        if raw is None:
            return None
    return str(raw).strip()


def add_id_filters(add, params: dict, name: str, values_of: Callable[[dict], list]) -> None:
    for param, keep in ((name, True), (f"{name}!", False)):
        wanted = string_list(params.get(param), param)
        if wanted:
            wanted_set = set(wanted)
            add(lambda record, wanted_set=wanted_set, keep=keep:
                bool(wanted_set.intersection(v for v in values_of(record) if v)) == keep)


def add_exact_filters(add, params: dict, name: str) -> None:
    """`<name>=v` keeps, `<name>!=v` drops, records whose field is v (case aside)."""
    for param, keep in ((name, True), (f"{name}!", False)):
        wanted = param_value(params, param)
        if wanted is not None:
            folded = wanted.casefold()
            add(lambda record, folded=folded, keep=keep: (str(record.get(name) or "").casefold() == folded) == keep)


def add_keyword_filter(add, params: dict, fields: tuple[str, ...]) -> None:
    """`q` (or its old alias `keyword`): every word of the query is a word, or the start
    of a word, of the record's text fields; or the query is the record's id."""
    query = param_value(params, "q") or param_value(params, "keyword")
    if query is None:
        return
    query_words = words(query)

    def matches(record: dict) -> bool:
        if record.get("_id") == query:
            return True
        record_words = []
        for name in fields:
            value = record.get(name)
            record_words += words(" ".join(map(str, value)) if isinstance(value, list) else value)
        return all(any(word.startswith(part) for word in record_words) for part in query_words)

    add(matches)


def add_date_filters(add, params: dict, date_fields: tuple[str, ...]) -> None:
    for name in date_fields:
        for suffix, compare in [("", operator.eq), *RANGE_SUFFIXES.items()]:
            param = f"{name}.{suffix}" if suffix else name
            bound = instant(params.get(param, MISSING), param)
            if bound is None:
                continue

            def in_range(record: dict, name=name, compare=compare, bound=bound) -> bool:
                value = parse_stamp(record.get(name))
                return value is not None and compare(value, bound)

            add(in_range)


def add_category_filters(add, params: dict, categories: "CategoryResolver") -> None:
    """`category[<title>]=v`: all pairs hold; `category_or[...]`: any pair holds;
    `category![<title>]=v`: none holds (a record without the category is kept)."""
    for param, mode in (("category", "all"), ("category_or", "any"), ("category!", "none")):
        pairs = category_pairs(params.get(param))
        if not pairs:
            continue
        resolved = [(categories.resolve(key), {v.casefold() for v in values}) for key, values in pairs]

        def holds(record: dict, resolved=resolved, mode=mode) -> bool:
            hits = [_has_value(record, keys, values) for keys, values in resolved]
            if mode == "all":
                return all(hits)
            if mode == "any":
                return any(hits)
            return not any(hits)

        add(holds)


def category_pairs(raw) -> list[tuple[str, list[str]]]:
    if not isinstance(raw, dict):
        return []  # `category[]=` (tvOS sends it empty) and other shapes: no filter
    pairs = []
    for key, value in raw.items():
        values = string_list(value, f"category[{key}]") if not isinstance(value, dict) else None
        if key.strip() and values:
            pairs.append((key.strip(), values))
    return pairs


def _has_value(record: dict, keys: "CategoryKeys", values: set[str]) -> bool:
    for assignment in record.get("categories") or []:
        if keys.matches(assignment) and values.intersection(str(v).casefold() for v in assignment.get("value") or []):
            return True
    return False


@dataclass(frozen=True)
class CategoryKeys:
    """What a filter key names: the ids of the site's categories with that title (or
    id), and the title itself for assignments whose category is gone."""
    ids: frozenset
    title: str

    def matches(self, assignment: dict) -> bool:
        if assignment.get("category_id") in self.ids:
            return True
        return str(assignment.get("title") or "").casefold() == self.title


class CategoryResolver:
    """Looks a filter key up among the site's categories (`ids_named(key)`: the ids of
    those with that title, or that id), once per key."""

    def __init__(self, ids_named: Callable[[str], list[str]]):
        self._ids_named = ids_named
        self._found: dict[str, frozenset] = {}

    def resolve(self, key: str) -> CategoryKeys:
        folded = key.casefold()
        if key not in self._found:
            self._found[key] = frozenset(self._ids_named(key))
        return CategoryKeys(ids=self._found[key], title=folded)
