"""Pages of `/videos` read in proportion to the page: from the site lists
(chalicelib/services/zype/lists.py) for the default and indexed sorts, the activity, one
category value and a date range of the sorted field; by BatchGet for `id` lists; from
the term rows for `q`. None when the request combines filters no list is kept for (the
caller then filters the site's videos)."""
from chalicelib.models import zype as table
from chalicelib.services.zype import lists, ordering, pagination, terms
from chalicelib.services.zype.filters import (
    RANGE_SUFFIXES,
    CategoryResolver,
    Filters,
    category_pairs,
    param_value,
    video_filters,
)
from chalicelib.services.zype.pagination import Page
from chalicelib.services.zype.store import Listing
from chalicelib.services.zype.values import MISSING, instant, is_object_id, string_list, words

PAGING = ("active", "sort", "order", "page", "per_page", "dpt")
_ABOVE = "~"  # above every digit and hex letter: the end of a key prefix


def page(site_id: str, params: dict, filters: Filters, sort: tuple[str, bool] | None, page_: Page,
         resolver: CategoryResolver) -> Listing | None:
    ids = string_list(params.get("id"), "id")
    if ids:
        return _in_memory(site_id, _bodies(site_id, ids), filters, sort, page_)
    query = param_value(params, "q") or param_value(params, "keyword")
    if query is not None:
        return _by_terms(site_id, params, query, filters, sort, page_, resolver)
    segments = _plan(site_id, params, filters, sort, resolver)
    if segments is None:
        return None
    page_ids, total = lists.page_ids(segments, page_.offset, page_.per_page)
    return Listing(_bodies(site_id, page_ids), pagination.numbers(total, page_))


def _bodies(site_id: str, video_ids: list[str]) -> list[dict]:
    """The site's videos with these ids, in the order given (BatchGet)."""
    found = table.batch_get(table.VIDEO, video_ids)
    return [found[i].body for i in dict.fromkeys(video_ids)
            if i in found and found[i].site_kind == f"{site_id}#{table.VIDEO}"]


def _in_memory(site_id: str, bodies: list[dict], filters: Filters, sort, page_: Page) -> Listing:
    """Few candidates (an id list, a search's hits): filtered and sorted as the site's
    videos would be (their stored order first: oldest first)."""
    bodies = sorted(bodies, key=lambda video: f"{video['created_at']}#{video['_id']}")
    matching = ordering.sort_records([v for v in bodies if filters.matches(v)], *(sort or ("created_at", True)))
    items, numbers = pagination.paginate(matching, page_)
    return Listing(items, numbers)


def _by_terms(site_id: str, params: dict, query: str, filters: Filters, sort, page_: Page,
              resolver: CategoryResolver) -> Listing | None:
    if not words(query):
        return None  # a query without words matches every video: the in-memory filter answers it
    hits = terms.matching(site_id, query)
    by_id = [query] if is_object_id(query) and query not in hits else []
    rest = {k: v for k, v in params.items() if k not in (*PAGING, "q", "keyword")}
    if by_id or video_filters(rest, resolver).predicates or (sort and sort[0] != "created_at"):
        return _in_memory(site_id, _bodies(site_id, [*hits, *by_id]), filters, sort, page_)
    ordered = sorted((hit for hit in hits.values() if filters.active is None or hit.active == filters.active),
                     key=lambda hit: hit.created_key, reverse=sort is None or sort[1])
    chosen = [hit.video_id for hit in ordered[page_.offset:page_.end]]
    return Listing(_bodies(site_id, chosen), pagination.numbers(len(ordered), page_))


def _plan(site_id: str, params: dict, filters: Filters, sort, resolver: CategoryResolver) -> list | None:
    field = sort[0] if sort else None
    if field not in (None, "created_at", "title", "published_at"):
        return None
    descending = sort[1] if sort else True
    act = lists.activity(filters.active)
    rest = {k: v for k, v in params.items() if k not in PAGING}
    list_id = None
    pairs = category_pairs(params.get("category"))
    if pairs:
        if len(pairs) != 1 or len(pairs[0][1]) != 1 or field not in (None, "created_at"):
            return None
        keys = resolver.resolve(pairs[0][0])
        if len(keys.ids) != 1:
            return None
        list_id = f"{site_id}#vc#{next(iter(keys.ids))}#{pairs[0][1][0].casefold()}#{act}"
        rest.pop("category")
    lower = upper = None
    if field != "title":
        lower, upper = _range(rest, "published_at" if field == "published_at" else "created_at")
    if video_filters(rest, resolver).predicates:
        return None
    if list_id:
        return [lists.Segment(list_id, descending, lower, upper)]
    base = f"{site_id}#v#{act}#{field or 'created_at'}"
    segments = [lists.Segment(base, descending, lower, upper)]
    if field == "published_at" and lower is None and upper is None:
        segments.append(lists.Segment(f"{base}#null"))  # no date: last either way, oldest first
    return segments


def _range(rest: dict, name: str) -> tuple[str | None, str | None]:
    """Key bounds (lower inclusive, upper exclusive) for `<name>` and `<name>.gt/gte/lt/lte`,
    taken out of `rest`."""
    lower = upper = None
    for suffix in ("", *RANGE_SUFFIXES):
        param = f"{name}.{suffix}" if suffix else name
        bound = instant(rest.pop(param, MISSING), param)
        if bound is None:
            continue
        key = lists.instant_bound(bound)
        low, high = {"": (key, key + _ABOVE), "gt": (key + _ABOVE, None), "gte": (key, None),
                     "lt": (None, key), "lte": (None, key + _ABOVE)}[suffix]
        if low is not None:
            lower = low if lower is None else max(lower, low)
        if high is not None:
            upper = high if upper is None else min(upper, high)
    return lower, upper
