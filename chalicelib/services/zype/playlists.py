"""Playlists (`/playlists`): what a publishing site curates, with Zype's fields,
relationships, category rules, smart ordering and pictures."""
from dataclasses import dataclass, field

from slugify import slugify

from chalicelib import auth
from chalicelib.auth import ZypeCaller
from chalicelib.errors import Unprocessable
from chalicelib.models import zype as table
from chalicelib.models import zype_ranks
from chalicelib.services.zype import (
    categories,
    images,
    lists,
    membership,
    ordering,
    pagination,
    relationships,
    videos,
)
from chalicelib.services.zype.filters import PLAYLIST_SORTS, VIDEO_SORTS, param_value, playlist_filters, video_filters
from chalicelib.services.zype.store import Listing, new_body, require, retrying, site_bodies
from chalicelib.services.zype.values import (
    MISSING,
    boolean,
    integer,
    is_blank,
    is_object_id,
    keywords_of,
    now_stamp,
    price,
    resource_params,
    save_error,
    string_list,
    text,
)

THUMBNAIL_LAYOUTS = ("landscape", "poster", "square")
PLAYLIST_TYPES = ("manual", "category")
MATCH_TYPES = ("any", "all")
BOOLEAN_FIELDS = ("active", "purchase_required", "rental_required", "auto_update_consumer_videos")
PRICE_FIELDS = ("purchase_price", "rental_price")
DEFAULTS = {
    "title": None, "description": "", "active": True, "priority": None, "parent_id": None,
    "purchase_required": False, "purchase_price": None, "rental_required": False, "rental_price": None,
    "rental_duration": None, "auto_update_consumer_videos": False, "thumbnail_layout": "landscape",
    "playlist_type": "manual", "match_type": "any", "categories": [], "sort_options": [], "images": [],
    "custom_thumbnail": None, "related_video_ids": [], "friendly_title": None,
}


def serialize(item: table.ZypeItem) -> dict:
    playlist = item.body
    out = {key: value for key, value in playlist.items() if key not in ("custom_thumbnail", "images")}
    out["_keywords"] = keywords_of(playlist.get("title"))
    out["images"] = images.serialize_images(playlist.get("images") or [])
    out["thumbnails"] = images.thumbnails(playlist.get("custom_thumbnail"))
    # Zype's "number of videos in a playlist" as apps see it: the videos that
    # GET /playlists/{id}/videos lists by default (active ones). Apps read 0 as "this
    # playlist holds child playlists", so a playlist of inactive videos counts 0.
    out["playlist_item_count"] = int(item.active_item_count or 0)
    out["related_video_ids"] = list(playlist.get("related_video_ids") or [])  # tvOS crashes on null
    return out


# --- reading -------------------------------------------------------------------------

def list_playlists(caller: ZypeCaller, params: dict) -> Listing:
    page = pagination.parse_page(params)
    sort = ordering.parse_sort(params, PLAYLIST_SORTS)
    resolver = videos.category_resolver(caller.site_id)
    video_ids = string_list(params.get("video_id"), "video_id")
    filters = playlist_filters(params, resolver)
    if not video_ids:
        segments = _plan(caller.site_id, params, filters, sort, resolver)
        if segments is not None:
            ids, total = lists.page_ids(segments, page.offset, page.per_page)
            found = table.batch_get(table.PLAYLIST, ids)
            return Listing([serialize(found[i]) for i in ids if i in found], pagination.numbers(total, page))
        items = table.query_site(caller.site_id, table.PLAYLIST)
    else:
        # The playlists holding these videos (the by_member index, confirmed by a consistent read).
        holding = set()
        for video_id in video_ids:
            holding |= set(table.markers_of_video(video_id, table.playlists_holding(video_id)))
        items = [item for item in table.batch_get(table.PLAYLIST, sorted(holding)).values()
                 if item.site_kind == f"{caller.site_id}#{table.PLAYLIST}"]
    found = [item for item in items if filters.matches(item.body)]
    found.sort(key=lambda item: _default_order(item.body))
    if sort:
        by_id = {item.body["_id"]: item for item in found}
        found = [by_id[body["_id"]] for body in ordering.sort_records([item.body for item in found], *sort)]
    page_items, numbers = pagination.paginate(found, page)
    return Listing([serialize(item) for item in page_items], numbers)


def _plan(site_id: str, params: dict, filters, sort, resolver) -> list | None:
    """The site lists of a request filtering by activity and `parent_id` only, in the
    default (priority) order or sorted by priority; None otherwise."""
    if sort and sort[0] != "priority":
        return None
    rest = {k: v for k, v in params.items() if k not in ("active", "sort", "order", "page", "per_page", "dpt",
                                                         "parent_id")}
    if playlist_filters(rest, resolver).predicates:
        return None
    act = lists.activity(filters.active)
    parent_id = param_value(params, "parent_id")
    base = f"{site_id}#p#{act}" if parent_id is None else f"{site_id}#pp#{parent_id}#{act}"
    return [lists.Segment(base, bool(sort and sort[1])), lists.Segment(f"{base}#null")]


def _default_order(playlist: dict) -> tuple:
    priority = playlist.get("priority")
    return priority is None, priority if priority is not None else 0, playlist["created_at"], playlist["_id"]


def get_playlist(caller: ZypeCaller, playlist_id: str) -> dict:
    return serialize(require(caller, table.PLAYLIST, playlist_id))


def playlist_videos(caller: ZypeCaller, playlist_id: str, params: dict) -> Listing:
    """The playlist's videos: in its smart order (or the order they were added) unless
    `sort` is given, active ones unless `active` says otherwise."""
    page = pagination.parse_page(params)
    filters = video_filters(params, videos.category_resolver(caller.site_id))
    sort = ordering.parse_sort(params, VIDEO_SORTS)
    item = require(caller, table.PLAYLIST, playlist_id)
    listing = membership.video_page(item, filters, sort, page)
    return Listing([videos.serialize(video) for video in listing.items], listing.pagination)


def relationship_tree(caller: ZypeCaller, params: dict) -> dict:
    """Zype's `{"playlists": [...]}` tree (not wrapped in `response`), inactive
    playlists included: this is the curator's view."""
    parent_id = params.get("parent_id")
    root_id = None if is_blank(parent_id) else str(parent_id).strip()
    return {"playlists": relationships.tree(site_bodies(caller.site_id, table.PLAYLIST), root_id)}


# --- writing -------------------------------------------------------------------------

@dataclass
class _Effects:
    """What a save must do besides writing the playlist."""
    resort: bool = False
    recompute: bool = False
    retired_images: list[str] = field(default_factory=list)


def create_playlist(caller: ZypeCaller, params: dict) -> dict:
    auth.check_zype_write(caller)
    fields = resource_params(params, "playlist")
    playlist = {**new_body(caller.site_id), **DEFAULTS}
    effects = _apply(caller.site_id, playlist, fields, _Site(caller.site_id), creating=True)
    if playlist["priority"] is None:
        playlist["priority"] = _next_priority(caller.site_id, playlist["parent_id"])
    lists.write({}, lists.playlist_keys(caller.site_id, playlist), lambda transaction: table.stage_put_new(
        transaction, table.PLAYLIST, caller.site_id, playlist, item_count=0, active_item_count=0, next_seq=0,
        digest_1={zype_ranks.FIRST: 0}, digest_0={zype_ranks.FIRST: 0}, split_rev=0))
    _carry_out(caller, playlist, effects)
    return get_playlist(caller, playlist["_id"])


def update_playlist(caller: ZypeCaller, playlist_id: str, params: dict) -> dict:
    auth.check_zype_write(caller)
    fields = resource_params(params, "playlist")

    def change():
        item = require(caller, table.PLAYLIST, playlist_id)
        playlist = dict(item.body)
        effects = _apply(caller.site_id, playlist, fields, _Site(caller.site_id), creating=False)
        playlist["updated_at"] = now_stamp()
        lists.write(lists.playlist_keys(caller.site_id, item.body), lists.playlist_keys(caller.site_id, playlist),
                    lambda transaction: table.stage_replace_body(transaction, item, playlist))
        return playlist, effects

    playlist, effects = retrying(change)
    _carry_out(caller, playlist, effects)
    return get_playlist(caller, playlist_id)


def delete_playlist(caller: ZypeCaller, playlist_id: str) -> None:
    """Children become roots; entries, markers and pictures go with the playlist."""
    auth.check_zype_write(caller)
    item = require(caller, table.PLAYLIST, playlist_id)
    children = [key[-lists.ID_LENGTH:] for suffix in ("", "#null")
                for key in lists.lookup(f"{caller.site_id}#pp#{playlist_id}#all{suffix}")]
    for child_id in children:
        retrying(lambda child_id=child_id: _reroot(caller, child_id))
    lists.write(lists.playlist_keys(caller.site_id, item.body), {})
    table.delete_partition(item.pk)
    playlist = item.body
    picture_ids = [image.get("image_id") for image in playlist.get("images") or []]
    picture_ids.append((playlist.get("custom_thumbnail") or {}).get("image_id"))
    images.delete([image_id for image_id in picture_ids if image_id])


def _reroot(caller: ZypeCaller, playlist_id: str) -> None:
    item = require(caller, table.PLAYLIST, playlist_id)
    body = {**item.body, "parent_id": None, "updated_at": now_stamp()}
    lists.write(lists.playlist_keys(caller.site_id, item.body), lists.playlist_keys(caller.site_id, body),
                lambda transaction: table.stage_replace_body(transaction, item, body))


class _Site(dict):
    """The site's playlists by id, read one GetItem at a time as a parent check walks up
    (instead of every playlist of the site)."""

    def __init__(self, site_id: str):
        super().__init__()
        self.site_id = site_id

    def __missing__(self, playlist_id):
        item = table.get(table.PLAYLIST, playlist_id) if is_object_id(playlist_id) else None
        if item is None or item.site_kind != f"{self.site_id}#{table.PLAYLIST}":
            raise KeyError(playlist_id)
        self[playlist_id] = item.body
        return item.body

    def __contains__(self, playlist_id) -> bool:
        try:
            self[playlist_id]
        except KeyError:
            return False
        return True

    def get(self, playlist_id, default=None):
        return self[playlist_id] if playlist_id in self else default


def _next_priority(site_id: str, parent_id: str | None) -> int:
    """After the siblings' highest priority: the last key of the parent's list."""
    ids, total = lists.page_ids([lists.Segment(f"{site_id}#pp#{parent_id or '-'}#all", True)], 0, 1)
    if not ids:
        return 0
    found = table.get(table.PLAYLIST, ids[0])
    priority = found.body.get("priority") if found else None
    return priority + 1 if priority is not None else 0


def add_videos(caller: ZypeCaller, playlist_id: str, params: dict) -> Listing:
    auth.check_zype_write(caller)
    item = require(caller, table.PLAYLIST, playlist_id)
    _check_manual(item.body, "added to")
    membership.add_videos(item.body, videos.site_videos(caller, _video_ids(params)))
    return playlist_videos(caller, playlist_id, params)


def remove_videos(caller: ZypeCaller, playlist_id: str, params: dict) -> Listing:
    auth.check_zype_write(caller)
    item = require(caller, table.PLAYLIST, playlist_id)
    _check_manual(item.body, "removed from")
    membership.remove_videos(playlist_id, _video_ids(params))
    return playlist_videos(caller, playlist_id, params)


def _video_ids(params: dict) -> list[str]:
    video_ids = string_list(params.get("video_id"), "video_id")
    if not video_ids:
        raise Unprocessable("video_id[] must name at least one video")
    return video_ids


def _check_manual(playlist: dict, verb: str) -> None:
    if playlist.get("playlist_type") == membership.CATEGORY:
        raise Unprocessable(f"Could not save playlist: Videos cannot be {verb} a category playlist by hand; "
                            "its videos follow its categories")


def _carry_out(caller: ZypeCaller, playlist: dict, effects: _Effects) -> None:
    if effects.resort:
        membership.resort(playlist)
    if effects.recompute and playlist["playlist_type"] == membership.CATEGORY:
        membership.recompute_category_playlist(playlist, _rule_candidates(caller.site_id, playlist))
    images.delete(effects.retired_images)


def _rule_candidates(site_id: str, playlist: dict) -> list[dict]:
    """The videos a category playlist's rules may match: those with one of the named
    values (the `vc` site lists); a rule naming no value (any value of the category)
    has no list, so the site's videos are read."""
    rules = playlist.get("categories") or []
    if any(not rule.get("value") for rule in rules):
        return site_bodies(site_id, table.VIDEO)
    ids = {key[-lists.ID_LENGTH:]: key for rule in rules for value in rule["value"]
           for key in lists.lookup(f"{site_id}#vc#{rule['category_id']}#{str(value).casefold()}#all")}
    found = table.batch_get(table.VIDEO, list(ids))
    return [found[i].body for i in sorted(ids, key=ids.get) if i in found]


def _apply(site_id: str, playlist: dict, fields: dict, siblings, creating: bool) -> _Effects:
    """Check and apply the sent fields; unknown fields are ignored, as Zype does."""
    effects = _Effects()
    for name in ("title", "description"):
        if name in fields:
            playlist[name] = text(fields[name], f"playlist {name}")
    if not (playlist.get("title") or "").strip():
        raise Unprocessable("Could not save playlist: Title can't be blank")
    playlist["title"] = playlist["title"].strip()
    if not is_blank(fields.get("friendly_title", MISSING)):
        playlist["friendly_title"] = slugify(str(fields["friendly_title"]))
    elif creating or not playlist.get("friendly_title"):
        playlist["friendly_title"] = slugify(playlist["title"])
    for name in BOOLEAN_FIELDS:
        value = boolean(fields.get(name, MISSING), f"playlist {name}")
        if value is not None:
            playlist[name] = value
    for name in PRICE_FIELDS:
        if name in fields:
            playlist[name] = price(fields[name], f"playlist {name}")
    for name in ("priority", "rental_duration"):
        if name in fields:
            value = integer(fields[name], f"playlist {name}")
            if value is not None and value < 0:
                raise save_error("playlist", name, "must be 0 or more")
            playlist[name] = value
    if "thumbnail_layout" in fields:
        layout = str(fields["thumbnail_layout"] or "").strip().lower() or "landscape"
        if layout not in THUMBNAIL_LAYOUTS:
            raise save_error("playlist", "thumbnail_layout", f"one of {', '.join(THUMBNAIL_LAYOUTS)}")
        playlist["thumbnail_layout"] = layout
    if "parent_id" in fields:
        parent_id = None if is_blank(fields["parent_id"]) else str(fields["parent_id"]).strip()
        if parent_id is not None:
            relationships.check_parent(playlist["_id"], parent_id, siblings)
        playlist["parent_id"] = parent_id
    _apply_rules(site_id, playlist, fields, effects)
    _apply_pictures(playlist, fields, effects)
    return effects


def _apply_rules(site_id: str, playlist: dict, fields: dict, effects: _Effects) -> None:
    """Category rules and smart ordering, and what changing them sets off."""
    before = (playlist["playlist_type"], playlist["match_type"], playlist["categories"])
    for name, allowed in (("playlist_type", PLAYLIST_TYPES), ("match_type", MATCH_TYPES)):
        if not is_blank(fields.get(name, MISSING)):
            value = str(fields[name]).strip().lower()
            if value not in allowed:
                raise save_error("playlist", name, f"one of {', '.join(allowed)}")
            playlist[name] = value
    if "categories" in fields:
        playlist["categories"] = categories.check_assignments(site_id, fields["categories"], "playlist")
    effects.recompute = (playlist["playlist_type"], playlist["match_type"], playlist["categories"]) != before
    sort_options = ordering.parse_sort_options(fields.get("sort_options", MISSING))
    if sort_options is not None and sort_options != playlist["sort_options"]:
        playlist["sort_options"] = sort_options
        effects.resort = True


def _apply_pictures(playlist: dict, fields: dict, effects: _Effects) -> None:
    # Last, so that a validation error above leaves no stored files behind.
    if "images_attributes" in fields:
        playlist["images"], retired = images.apply_images_attributes(
            playlist.get("images") or [], fields["images_attributes"], "playlist")
        effects.retired_images += retired
    playlist["custom_thumbnail"], retired = images.apply_custom_thumbnail(
        playlist.get("custom_thumbnail"), fields.get("custom_thumbnail", MISSING),
        fields.get("delete_custom_thumbnail", MISSING))
    effects.retired_images += retired
