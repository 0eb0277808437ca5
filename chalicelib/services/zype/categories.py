"""Categories (`/categories`): a title and the values it offers. Videos carry values of
categories; category playlists select videos by them."""
from slugify import slugify

from chalicelib import auth
from chalicelib.auth import ZypeCaller
from chalicelib.errors import Unprocessable
from chalicelib.models import zype as table
from chalicelib.services.zype import lists, ordering, pagination
from chalicelib.services.zype.filters import Filters, add_exact_filters, add_id_filters, add_keyword_filter
from chalicelib.services.zype.store import Listing, new_body, require, retrying, site_bodies
from chalicelib.services.zype.values import (
    MISSING,
    boolean,
    indexed_items,
    is_object_id,
    keywords_of,
    new_object_id,
    now_stamp,
    resource_params,
    UnsplitPart,
    save_error,
    split_unsplit,
    string_list,
    text,
)

SORTS = ("title", "created_at", "updated_at")


def serialize(category: dict) -> dict:
    return {**category, "_keywords": keywords_of(category.get("title"))}


def list_categories(caller: ZypeCaller, params: dict) -> Listing:
    page = pagination.parse_page(params)
    filters = Filters(active=None)
    add_id_filters(filters.predicates.append, params, "id", lambda category: [category["_id"]])
    add_exact_filters(filters.predicates.append, params, "title")
    add_keyword_filter(filters.predicates.append, params, ("title", "values"))
    sort = ordering.parse_sort(params, SORTS)
    found = [c for c in site_bodies(caller.site_id, table.CATEGORY) if filters.matches(c)]
    if sort:
        found = ordering.sort_records(found, *sort)
    items, numbers = pagination.paginate(found, page)
    return Listing([serialize(c) for c in items], numbers)


def get_category(caller: ZypeCaller, category_id: str) -> dict:
    return serialize(require(caller, table.CATEGORY, category_id).body)


def create_category(caller: ZypeCaller, params: dict) -> dict:
    auth.check_zype_write(caller)
    fields = resource_params(params, "category")
    category = {**new_body(caller.site_id), "title": None, "values": []}
    _apply(category, fields)
    if not category["title"]:
        raise Unprocessable("Could not save category: Title can't be blank")
    lists.write({}, lists.category_keys(caller.site_id, category),
                lambda transaction: table.stage_put_new(transaction, table.CATEGORY, caller.site_id, category))
    return serialize(category)


def update_category(caller: ZypeCaller, category_id: str, params: dict) -> dict:
    auth.check_zype_write(caller)
    fields = resource_params(params, "category")

    def change():
        item = require(caller, table.CATEGORY, category_id)
        category = dict(item.body)
        _apply(category, fields)
        if not category["title"]:
            raise Unprocessable("Could not save category: Title can't be blank")
        category["updated_at"] = now_stamp()
        lists.write(lists.category_keys(caller.site_id, item.body), lists.category_keys(caller.site_id, category),
                    lambda transaction: table.stage_replace_body(transaction, item, category))
        return category

    return serialize(retrying(change))


def delete_category(caller: ZypeCaller, category_id: str) -> None:
    """Videos and playlists keep the values they had (their titles still show); a
    category playlist naming this category is refused at its next save."""
    auth.check_zype_write(caller)

    def change():
        item = require(caller, table.CATEGORY, category_id)
        lists.write(lists.category_keys(caller.site_id, item.body), {},
                    lambda transaction: table.stage_delete(transaction, item))

    retrying(change)


def ids_named(site_id: str, key: str) -> list[str]:
    """The ids of the site's categories titled `key` (case aside), or with that id:
    one Query of the title list (and a GetItem when the key is shaped like an id)."""
    ids = lists.lookup(f"{site_id}#ct#{key.strip().casefold()}")
    if is_object_id(key.strip()):
        item = table.get(table.CATEGORY, key.strip())
        if item is not None and item.site_kind == f"{site_id}#{table.CATEGORY}":
            ids.append(item.body["_id"])
    return ids


def _apply(category: dict, fields: dict) -> None:
    title = text(fields.get("title", MISSING), "title")
    if title is not None:
        category["title"] = title.strip()
        category["friendly_title"] = slugify(title)
    values = string_list(fields.get("values", MISSING), "values")
    if values is not None:
        category["values"] = list(dict.fromkeys(values))


# --- assignments: the category values of a video or a playlist -----------------------

def check_assignments(site_id: str, raw, model: str, by_index: list[dict] | None = None) -> list[dict]:
    """Category assignments `[{category_id (or title), value: [...]}]` checked against
    the site's categories: an unknown category, or a value the category does not offer,
    is Zype's 422 `Could not save <model>: Categories is invalid`.

    With `by_index` (video `categories_attributes`), entries update the assignment at
    their index or with their `id`, and `_destroy` removes one; otherwise the list
    replaces the current one (playlist `categories`, as Zype documents)."""
    try:
        entries = indexed_items(raw, "categories")
    except Unprocessable as error:
        raise save_error(model, "categories", error.message) from error
    categories = _named(site_id, entries, by_index or [])
    by_title = {str(c.get("title") or "").casefold(): c for c in categories.values()}
    _split_gem_values(entries, categories, by_title, model)
    result = [dict(a) for a in by_index] if by_index is not None else []
    destroyed = set()
    for index, entry in entries:
        target = _target(result, index, entry) if by_index is not None else None
        if boolean(entry.get("_destroy"), "_destroy"):
            if target is not None:
                destroyed.add(id(target))
            continue
        category_id = str(entry.get("category_id") or (target or {}).get("category_id") or "").strip()
        category = categories.get(category_id) or (None if category_id else
                                                    by_title.get(str(entry.get("title") or "").casefold()))
        if category is None:
            raise save_error(model, "categories")
        raw_values = entry["value"] if "value" in entry else entry.get("values", (target or {}).get("value", []))
        try:
            values = string_list(raw_values, "value") or []
        except Unprocessable as error:
            raise save_error(model, "categories", error.message) from error
        offered = {str(v).casefold(): v for v in category.get("values") or []}
        if any(value.casefold() not in offered for value in values):
            raise save_error(model, "categories")
        assignment = {"_id": (target or {}).get("_id") or new_object_id(),
                      "category_id": category["_id"], "title": category["title"],
                      "value": list(dict.fromkeys(offered[v.casefold()] for v in values))}
        if target is not None:
            target.clear()
            target.update(assignment)
        else:
            result.append(assignment)
    return [a for a in result if id(a) not in destroyed]


def _named(site_id: str, entries: list[tuple], current: list[dict]) -> dict[str, dict]:
    """The site's categories the entries name, by id (one BatchGet, and one title Query
    per entry naming its category by title), instead of every category of the site."""
    ids = {str(a.get("category_id") or "").strip() for a in current}
    for _, entry in entries:
        ids.add(str(entry.get("category_id") or "").strip())
        title = str(entry.get("title") or "").strip()
        if title and not entry.get("category_id"):
            ids.update(lists.lookup(f"{site_id}#ct#{title.casefold()}"))
    found = table.batch_get(table.CATEGORY, [i for i in ids if is_object_id(i)])
    return {i: item.body for i, item in found.items() if item.site_kind == f"{site_id}#{table.CATEGORY}"}


def _split_gem_values(entries: list[tuple], categories: dict, by_title: dict, model: str) -> None:
    """The zype gem's `categories[][category_id]=A&categories[][value][]=x&...` in a query
    string: the values of all entries arrive together (rails_params.Unsplit); each value
    belongs to the entry whose category offers it, the entries' values in turn."""
    groups: dict[int, list[dict]] = {}
    for _, entry in entries:
        if isinstance(entry.get("value"), UnsplitPart):
            groups.setdefault(id(entry["value"].whole), []).append(entry)
    for group in groups.values():
        offered = []
        for entry in group:
            category = categories.get(str(entry.get("category_id") or "").strip()) or by_title.get(
                str(entry.get("title") or "").casefold())
            offered.append({str(v).casefold() for v in (category or {}).get("values") or []})
        def offers(i, value, offered=offered) -> bool:
            return isinstance(value, str) and value.casefold() in offered[i]

        runs = split_unsplit([entry["value"] for entry in group], offers)
        if runs is None:
            raise save_error(model, "categories", "the values cannot be matched to their categories; "
                                                  "send indexed names (categories[0][value][]) or a JSON body")
        for entry, run in zip(group, runs, strict=True):
            entry["value"] = run


def _target(assignments: list[dict], index: int | None, entry: dict) -> dict | None:
    wanted_id = entry.get("id") or entry.get("_id")
    if wanted_id:
        return next((a for a in assignments if a.get("_id") == wanted_id), None)
    if index is not None and index < len(assignments):
        return assignments[index]
    return None
