"""The site lists a video, playlist or category is kept in (chalicelib/models/zype_ranks.py),
their keys, and pages read from them.

Every key ends with the record's 24-hex id, so a page of keys is a page of ids.

    list id                                   key                               for
    <site>#v#<act>#created_at                  <created instant><id>             /videos (default: newest first)
    <site>#v#<act>#title                       <title, folded, 48 chars>\\x01<created key>   sort=title
    <site>#v#<act>#published_at[#null]         <published instant><id>           sort=published_at (nulls last)
    <site>#vc#<category id>#<value>#<act>      <created key>                     category[<title>]=<value>
    <site>#p#<act>[#null]                      <priority><created key>           /playlists (priority order)
    <site>#pp#<parent id or ->#<act>[#null]    <priority><created key>           /playlists?parent_id=
    <site>#ct#<title, folded>                  <category id>                     a category by title
    <site>#cr#<category id>                    <playlist id>                     category playlists ruled by it

`<act>` is `all` and `1` / `0` (the record's activity): a record is in both."""
from chalicelib.models import zype_ranks as ranks
from chalicelib.services.zype.values import instant_key, parse_stamp

TITLE_CHARS = 48
ID_LENGTH = 24
_PRIORITY_MAX = 10 ** 16 - 1


def _instant(value) -> str | None:
    moment = parse_stamp(value)
    return None if moment is None else f"{instant_key(moment):020d}"


def instant_bound(moment) -> str:
    return f"{instant_key(moment):020d}"


def _created(record: dict) -> str:
    return (_instant(record.get("created_at")) or "0" * 20) + record["_id"]


def _activities(record: dict) -> tuple[str, str]:
    return "all", "1" if record.get("active") else "0"


def video_keys(site_id: str, video: dict | None) -> dict[str, str]:
    if not video:
        return {}
    created = _created(video)
    published = _instant(video.get("published_at"))
    keys = {}
    for act in _activities(video):
        base = f"{site_id}#v#{act}"
        keys[f"{base}#created_at"] = created
        keys[f"{base}#title"] = f"{str(video.get('title') or '').casefold()[:TITLE_CHARS]}\x01{created}"
        if published:
            keys[f"{base}#published_at"] = published + video["_id"]
        else:
            keys[f"{base}#published_at#null"] = created
        for category_id, value in category_values(video):
            keys[f"{site_id}#vc#{category_id}#{value}#{act}"] = created
    return keys


def category_values(record: dict) -> set[tuple[str, str]]:
    return {(a["category_id"], str(v).casefold()) for a in record.get("categories") or [] if a.get("category_id")
            for v in a.get("value") or []}


def playlist_keys(site_id: str, playlist: dict | None) -> dict[str, str]:
    if not playlist:
        return {}
    created = _created(playlist)
    priority = playlist.get("priority")
    keys = {}
    for act in _activities(playlist):
        for scope in (f"{site_id}#p#{act}", f"{site_id}#pp#{playlist.get('parent_id') or '-'}#{act}"):
            if priority is None:
                keys[f"{scope}#null"] = created
            else:
                keys[scope] = f"{max(0, min(int(priority), _PRIORITY_MAX)):016d}{created}"
    if playlist.get("playlist_type") == "category":
        for rule in playlist.get("categories") or []:
            keys[f"{site_id}#cr#{rule['category_id']}"] = playlist["_id"]
    return keys


def category_keys(site_id: str, category: dict | None) -> dict[str, str]:
    if not category:
        return {}
    return {f"{site_id}#ct#{str(category.get('title') or '').casefold()}": category["_id"]}


def changes(before: dict[str, str], after: dict[str, str]) -> dict[str, ranks.ListChange]:
    """What moves between two sets of {list id: key}."""
    out: dict[str, ranks.ListChange] = {}
    for list_id, key in before.items():
        if after.get(list_id) != key:
            out.setdefault(list_id, ranks.ListChange()).removed.add(key)
    for list_id, key in after.items():
        if before.get(list_id) != key:
            out.setdefault(list_id, ranks.ListChange()).added.add(key)
    return out


def activity(active: bool | None) -> str:
    return {True: "1", False: "0", None: "all"}[active]


# --- reading -------------------------------------------------------------------------

class Segment:
    """A list read in one direction, optionally between two keys (lower inclusive,
    upper exclusive): a page may run from one segment into the next (nulls last)."""

    def __init__(self, list_id: str, descending: bool = False, lower: str | None = None, upper: str | None = None):
        self.list_id, self.descending, self.lower, self.upper = list_id, descending, lower, upper
        self.start = self.end = 0


def page_ids(segments: list[Segment], offset: int, count: int) -> tuple[list[str], int]:
    """Record ids at positions [offset, offset + count) of the segments one after the
    other, and the segments' total (one BatchGet of digests, one Query per segment read,
    one more per range bound)."""
    digests = ranks.site_digests([s.list_id for s in segments])
    total = 0
    for segment in segments:
        digest = digests[segment.list_id] or ranks.Digest({ranks.FIRST: 0})
        count_below = ranks.site_count_below(segment.list_id)
        segment.digest, segment.query = digest, ranks.site_query(segment.list_id)
        segment.start = ranks.rank_of(count_below, digest, segment.lower) if segment.lower is not None else 0
        segment.end = ranks.rank_of(count_below, digest, segment.upper) if segment.upper is not None else digest.total
        segment.end = max(segment.end, segment.start)
        total += segment.end - segment.start
    ids, position = [], 0
    for segment in segments:
        size = segment.end - segment.start
        if count > 0 and offset < position + size:
            skip = offset - position if offset > position else 0
            take = min(count, size - skip)
            ids += [key[-ID_LENGTH:] for key in _read(segment, skip, take)]
            offset, count = offset + take, count - take
        position += size
    return ids, total


def _read(segment: Segment, skip: int, take: int) -> list[str]:
    """`take` keys `skip` into the segment in its direction: next to a range's bound, read
    from the bound itself; elsewhere from the digest's bucket."""
    anchor = segment.upper if segment.descending else segment.lower
    if anchor is not None and skip < ranks.MAX_BUCKET:
        return ranks.site_query_near(segment.list_id, anchor, segment.descending, skip + take)[skip:]
    first = segment.end - skip - take if segment.descending else segment.start + skip
    keys = ranks.slice_keys(segment.query, segment.digest, first, take)
    return keys[::-1] if segment.descending else keys


def lookup(list_id: str) -> list[str]:
    """Every key of a list read whole (the ids of the categories with a title, of the
    category playlists with a rule on a category)."""
    return ranks.all_keys(list_id)




def write(before: dict[str, str], after: dict[str, str], first_actions=None) -> None:
    ranks.write_site_lists(changes(before, after), first_actions)
