"""Which videos a playlist holds, in which order, and the pages of them.

A video in a playlist is an *entry* (a copy of the video under a sort key that encodes
its place) plus a *marker* (found by playlist and video id, so joining twice is a no-op
and leaving is two deletes). Entries are kept in place as things change:
- a video joins (add_videos, or its categories start to match) or leaves;
- a video changes: its copies are refreshed and moved if a sort field changed;
- a playlist's sort options change: its entries are re-keyed;
- a category playlist's rules change: its membership is recomputed.
See chalicelib/models/zype.py for the key layout."""
from chalicelib.models import zype as table
from chalicelib.models import zype_ranks
from chalicelib.services.zype import lists, ordering, pagination
from chalicelib.services.zype.filters import Filters
from chalicelib.services.zype.store import Listing, retrying

CATEGORY = "category"


def entry_sk(video: dict, sort_options: list[dict], seq: int) -> str:
    active = "1" if video.get("active") else "0"
    return (f"{table.ENTRY_PREFIX}{active}#{ordering.order_key(video, sort_options)}"
            f"#{seq:012d}#{video['_id']}")


def _seq_of(sk: str) -> int:
    # entry#<a>#<order>#<seq>#<video id>; order keys never contain '#'.
    return int(sk.split("#")[3])


def _order_part(sk: str) -> str:
    """The sort key without its activity, to merge active and inactive entries."""
    return sk[len(table.ENTRY_PREFIX) + 2:]


# --- joining and leaving -----------------------------------------------------------------

def add_videos(playlist: dict, videos: list[dict]) -> None:
    """Append videos (in the order given) that the playlist does not hold yet."""
    def change():
        playlist_id = playlist["_id"]
        held = table.markers_for(playlist_id, [video["_id"] for video in videos])
        joining = list({video["_id"]: video for video in videos if video["_id"] not in held}.values())
        if not joining:
            return
        first_seq = table.allocate_seqs(playlist_id, len(joining))
        sort_options = playlist.get("sort_options") or []
        table.write_membership(playlist_id, [
            table.MembershipChange(playlist_id, video["_id"], seq, None, entry_sk(video, sort_options, seq), video)
            for seq, video in enumerate(joining, start=first_seq)])

    retrying(change)


def remove_videos(playlist_id: str, video_ids: list[str]) -> None:
    def change():
        held = table.markers_for(playlist_id, video_ids)
        table.write_membership(playlist_id, [
            table.MembershipChange(playlist_id, video_id, marker.seq, marker.entry_sk, None, None)
            for video_id, marker in held.items()])

    retrying(change)


def matches_categories(playlist: dict, video: dict) -> bool:
    """A category playlist's rule: each of its categories matches when the video has one
    of the listed values (any value, when none is listed); `match_type` any / all
    combines them. A category playlist without categories holds nothing."""
    rules = playlist.get("categories") or []
    if not rules:
        return False
    assignments = video.get("categories") or []

    def rule_holds(rule: dict) -> bool:
        wanted = set(rule.get("value") or [])
        return any(a.get("category_id") == rule["category_id"] and (not wanted or wanted & set(a.get("value") or []))
                   for a in assignments)

    hits = [rule_holds(rule) for rule in rules]
    return all(hits) if playlist.get("match_type") == "all" else any(hits)


# --- keeping entries current -------------------------------------------------------------

def refresh_video(site_id: str, video: dict, deleted: bool = False, before: dict | None = None) -> None:
    """After a video was created, changed or deleted: update it in the playlists that
    hold it (the by_member index) and in the category playlists whose rules name one of
    its categories, before or after the change (the `cr` site lists), not in the others."""
    video_id = video["_id"]

    def change_one(playlist: dict) -> None:
        playlist_id = playlist["_id"]
        marker = table.markers_of_video(video_id, [playlist_id]).get(playlist_id)
        if deleted:
            wanted = False
        elif playlist.get("playlist_type") == CATEGORY:
            wanted = matches_categories(playlist, video)
        else:
            wanted = marker is not None
        if marker is None and not wanted:
            return
        if marker is None:
            seq = table.allocate_seqs(playlist_id, 1)
            old_sk = None
        else:
            seq, old_sk = int(marker.seq), marker.entry_sk
        new_sk = entry_sk(video, playlist.get("sort_options") or [], seq) if wanted else None
        table.write_membership(playlist_id, [table.MembershipChange(playlist_id, video_id, seq, old_sk, new_sk,
                                                                    video if wanted else None)])

    category_ids = {a["category_id"] for record in (video, before) if record
                    for a in record.get("categories") or [] if a.get("category_id")}
    candidates = set(table.playlists_holding(video_id))
    for category_id in sorted(category_ids):
        candidates.update(lists.lookup(f"{site_id}#cr#{category_id}"))
    playlists = [item.body for item in table.batch_get(table.PLAYLIST, sorted(candidates)).values()
                 if item.site_kind == f"{site_id}#{table.PLAYLIST}"]
    # One consistent BatchGet tells which of them hold the video; only those and the
    # category playlists need a write.
    held = table.markers_of_video(video_id, [p["_id"] for p in playlists])
    for playlist in playlists:
        if playlist["_id"] in held or playlist.get("playlist_type") == CATEGORY:
            retrying(lambda playlist=playlist: change_one(playlist))


def resort(playlist: dict) -> None:
    """Re-key every entry after the playlist's sort options changed."""
    playlist_id = playlist["_id"]
    sort_options = playlist.get("sort_options") or []

    def change():
        changes = []
        for entry in table.entries(playlist_id):
            seq = _seq_of(entry.sk)
            new_sk = entry_sk(entry.body, sort_options, seq)
            if new_sk != entry.sk:
                changes.append(table.MembershipChange(playlist_id, entry.body["_id"], seq, entry.sk, new_sk,
                                                      entry.body))
        table.write_membership(playlist_id, changes)

    retrying(change)


def recompute_category_playlist(playlist: dict, site_videos: list[dict]) -> None:
    """Make a category playlist hold exactly the site's videos its categories match.
    Videos that stay keep their place; new ones join in the order the site got them."""
    playlist_id = playlist["_id"]
    wanted = {video["_id"]: video for video in site_videos if matches_categories(playlist, video)}

    def change():
        held = {marker.sk[len(table.MEMBER_PREFIX):]: marker for marker in table.markers_of_playlist(playlist_id)}
        leaving = [table.MembershipChange(playlist_id, video_id, marker.seq, marker.entry_sk, None, None)
                   for video_id, marker in held.items() if video_id not in wanted]
        joining = [video for video_id, video in wanted.items() if video_id not in held]
        changes = leaving
        if joining:
            first_seq = table.allocate_seqs(playlist_id, len(joining))
            sort_options = playlist.get("sort_options") or []
            changes += [table.MembershipChange(playlist_id, video["_id"], seq, None,
                                               entry_sk(video, sort_options, seq), video)
                        for seq, video in enumerate(joining, start=first_seq)]
        table.write_membership(playlist_id, changes)

    retrying(change)


# --- reading ----------------------------------------------------------------------------

def video_page(playlist_item: table.ZypeItem, filters: Filters, sort: tuple[str, bool] | None,
               page: pagination.Page) -> Listing:
    """One page of the playlist's videos (stored bodies), in the playlist's order unless
    `sort` is given. Without filters or sort, the page is read by key: a keys-only
    Query up to the page's end and a BatchGet of the page, whatever the playlist's size
    (see _page_by_key). Otherwise the playlist's entries (only them) are read and
    filtered."""
    if not filters.predicates and sort is None:
        return _page_by_key(playlist_item, filters.active, page)
    playlist_id = playlist_item.body["_id"]
    prefix = {True: "1#", False: "0#", None: ""}[filters.active]
    entries = table.entries(playlist_id, prefix)
    if filters.active is None:
        entries.sort(key=lambda entry: _order_part(entry.sk))
    videos = [entry.body for entry in entries if filters.matches(entry.body)]
    if sort:
        videos = ordering.sort_records(videos, *sort)
    items, numbers = pagination.paginate(videos, page)
    return Listing(items, numbers)


def _page_by_key(playlist_item: table.ZypeItem, active: bool | None, page: pagination.Page) -> Listing:
    """One activity: its digest (read with the playlist) gives where the page starts, so
    one Query reads at most a bucket more than the page. `active=all` merges the two
    activities' keys up to the page's end (bounded by the page, not the playlist)."""
    playlist_id = playlist_item.body["_id"]
    total_count = int(playlist_item.item_count or 0)
    active_count = int(playlist_item.active_item_count or 0)
    total = {True: active_count, False: total_count - active_count, None: total_count}[active]
    if page.offset >= total:
        return Listing([], pagination.numbers(total, page))
    if active is not None:
        flag = "1" if active else "0"
        digest = zype_ranks.PlaylistDigests(playlist_item).digest[flag]
        keys = zype_ranks.slice_keys(zype_ranks.entry_query(playlist_id, flag), digest, page.offset, page.per_page)
    else:
        keys = []
        for prefix in ("0#", "1#"):
            keys += table.entry_keys(playlist_id, prefix, page.end)
        keys = sorted(keys, key=_order_part)[page.offset:page.end]
    entries = table.entries_by_key(playlist_id, keys)
    return Listing([entry.body for entry in entries], pagination.numbers(total, page))
