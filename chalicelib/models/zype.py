"""The publishing (Zype) table: playlists, videos, categories and API keys of each site
(a site is a studio), plus the membership of videos in playlists.

One table, keyed so that everything a playlist page needs sits in the playlist's own
partition:

    pk                  sk                                     what
    playlist#<id>       playlist                              the playlist (body, counters, next_seq)
    playlist#<id>       entry#<a>#<order>#<seq>#<video id>    a video in the playlist: a copy of the video
    playlist#<id>       member#<video id>                     membership marker: which entry, which seq
    video#<id>          video                                 a video
    category#<id>       category                              a category
    zype-key#<sha256>   zype-key                              an api_key / app_key (only its hash)
    rank#<list id>      r#<key> / digest                      a site list's keys and digest (zype_ranks.py)
    term#<site>#<c>     <word>\x01<created key>                a search term of a video (zype_terms.py)

`<a>` is 1 for an active video and 0 otherwise, `<order>` the video's smart-order key
(chalicelib.services.zype.ordering; empty for a manually ordered playlist) and `<seq>`
the order it joined in, so entries sort by the playlist's order with stable ties.
See README.md beside this file for the access patterns."""
import functools
import hashlib

from pynamodb.attributes import JSONAttribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.config import settings
from chalicelib.models.indexes import string_index

PLAYLIST, VIDEO, CATEGORY, KEY = "playlist", "video", "category", "zype-key"
ENTRY_PREFIX, MEMBER_PREFIX = "entry#", "member#"
QUERY_PAGE = 500
# TransactWriteItems takes at most 100 actions.
TRANSACTION_ACTIONS = 100


class ZypeItem(Model):
    class Meta:
        table_name = "zype"  # replaced by chalicelib.models.configure()
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    body = JSONAttribute(null=True)
    # Optimistic lock for bodies that are read, changed and written back.
    revision = NumberAttribute(default=0)
    site_kind = UnicodeAttribute(null=True)
    created_sort = UnicodeAttribute(null=True)
    # Playlists: kept by atomic ADDs beside the body, never rewritten with it.
    item_count = NumberAttribute(null=True)
    active_item_count = NumberAttribute(null=True)
    next_seq = NumberAttribute(null=True)
    # Membership markers.
    entry_sk = UnicodeAttribute(null=True)
    seq = NumberAttribute(null=True)
    # Entries.
    order_pk = UnicodeAttribute(null=True)
    order_sk = UnicodeAttribute(null=True)
    # Membership markers again: the video, so that a video's playlists are one Query.
    member_video = UnicodeAttribute(null=True)
    # Ranked lists (zype_ranks.py): bucket counts of a site list's digest, of a
    # playlist's active / inactive entries, and the version of their boundaries.
    buckets = MapAttribute(null=True)
    digest_1 = MapAttribute(null=True)
    digest_0 = MapAttribute(null=True)
    split_rev = NumberAttribute(null=True)
    # Search terms (zype_terms.py): is the video active.
    term_active = NumberAttribute(null=True)

    # A site's records of one kind, oldest first.
    by_site = string_index("by_site", "site_kind", "created_sort")
    # Keys only of a playlist's entries, in playlist order. Its items are ~100 bytes
    # where entries carry a whole video, so skipping to page N reads ~10,000 positions
    # per 1 MB Query response instead of ~1,000.
    entry_order = string_index("entry_order", "order_pk", "order_sk", keys_only=True)
    # Keys only of the membership markers of a video: the playlists holding it.
    by_member = string_index("by_member", "member_video", "pk", keys_only=True)


class Contended(Exception):
    """A conditional write lost a race; the caller re-reads and tries again."""


def connection() -> Connection:
    return _connection(settings().region)


@functools.lru_cache(maxsize=2)
def _connection(region: str) -> Connection:
    # For transactions, which PynamoDB runs on a Connection of their own; building its
    # botocore client costs more than the calls, so it is built once per container.
    return Connection(region=region)


def record_key(kind: str, record_id: str) -> str:
    return f"{kind}#{record_id}"


def key_digest(secret: str) -> str:
    # Keys are 256-bit random secrets: a plain SHA-256 is enough to keep them out of the table.
    return hashlib.sha256(secret.encode()).hexdigest()


# --- records (playlists, videos, categories, keys) ----------------------------------

def get(kind: str, record_id: str) -> ZypeItem | None:
    try:
        return ZypeItem.get(record_key(kind, record_id), kind)
    except DoesNotExist:
        return None


def batch_get(kind: str, record_ids) -> dict[str, ZypeItem]:
    """Items by record id for the ids that exist (one BatchGet per 100 ids)."""
    wanted = list(dict.fromkeys(i for i in record_ids if i))
    if not wanted:
        return {}
    found = ZypeItem.batch_get([(record_key(kind, i), kind) for i in wanted])
    return {item.pk.split("#", 1)[1]: item for item in found}


def query_site(site_id: str, kind: str) -> list[ZypeItem]:
    return list(ZypeItem.by_site.query(f"{site_id}#{kind}", page_size=QUERY_PAGE))


def put_new(kind: str, site_id: str, body: dict, **counters) -> ZypeItem:
    item = ZypeItem(record_key(kind, body["_id"]), kind, body=body, revision=0,
                    site_kind=f"{site_id}#{kind}", created_sort=f"{body['created_at']}#{body['_id']}", **counters)
    item.save(condition=ZypeItem.pk.does_not_exist())
    return item


def replace_body(item: ZypeItem, body: dict) -> ZypeItem:
    """Write `body` if nobody changed the item since it was read (Contended otherwise).
    An update, not a put, so the playlist counters beside the body are left alone."""
    try:
        item.update(actions=[ZypeItem.body.set(body), ZypeItem.revision.add(1)],
                    condition=ZypeItem.revision == item.revision)
    except UpdateError as error:
        if _conditional_failure(error):
            raise Contended(item.pk) from error
        raise
    return item


def stage_put_new(transaction: TransactWrite, kind: str, site_id: str, body: dict, **counters) -> None:
    """put_new inside a transaction (with the record's list rows, zype_ranks)."""
    transaction.save(ZypeItem(record_key(kind, body["_id"]), kind, body=body, revision=0,
                              site_kind=f"{site_id}#{kind}", created_sort=f"{body['created_at']}#{body['_id']}",
                              **counters), condition=ZypeItem.pk.does_not_exist())


def stage_replace_body(transaction: TransactWrite, item: ZypeItem, body: dict) -> None:
    """replace_body inside a transaction: cancelled (Contended) if the item changed since read."""
    transaction.update(ZypeItem(item.pk, item.sk), actions=[ZypeItem.body.set(body), ZypeItem.revision.add(1)],
                       condition=ZypeItem.revision == item.revision)


def stage_delete(transaction: TransactWrite, item: ZypeItem) -> None:
    transaction.delete(ZypeItem(item.pk, item.sk), condition=ZypeItem.pk.exists(), add_version_condition=False)


def delete(item: ZypeItem) -> None:
    item.delete()


def put_key(site_id: str, digest: str, body: dict) -> None:
    ZypeItem(record_key(KEY, digest), KEY, body=body, site_kind=f"{site_id}#{KEY}",
             created_sort=f"{body['created_at']}#{body['id']}").save(condition=ZypeItem.pk.does_not_exist())


def find_key(secret: str) -> dict | None:
    """The stored key record for a presented api_key/app_key, or None."""
    if not secret:
        return None
    item = get(KEY, key_digest(secret))
    return item.body if item else None


# --- playlist membership --------------------------------------------------------------

def allocate_seqs(playlist_id: str, count: int) -> int:
    """The first of `count` fresh sequence numbers of a playlist (one atomic ADD)."""
    item = ZypeItem(record_key(PLAYLIST, playlist_id), PLAYLIST)
    try:
        item.update(actions=[ZypeItem.next_seq.add(count)], condition=ZypeItem.pk.exists())  # reads back ALL_NEW
    except UpdateError as error:
        if _conditional_failure(error):  # the playlist was deleted meanwhile
            raise Contended(playlist_id) from error
        raise
    return int(item.next_seq) - count


def entry(playlist_id: str, entry_sk: str, video: dict) -> ZypeItem:
    pk = record_key(PLAYLIST, playlist_id)
    return ZypeItem(pk, entry_sk, body=video, order_pk=pk, order_sk=entry_sk)


def marker(playlist_id: str, video_id: str, entry_sk: str, seq: int) -> ZypeItem:
    return ZypeItem(record_key(PLAYLIST, playlist_id), f"{MEMBER_PREFIX}{video_id}", entry_sk=entry_sk, seq=seq,
                    member_video=video_id)


def markers_of_playlist(playlist_id: str) -> list[ZypeItem]:
    return list(ZypeItem.query(record_key(PLAYLIST, playlist_id), ZypeItem.sk.startswith(MEMBER_PREFIX),
                               page_size=QUERY_PAGE))


def markers_for(playlist_id: str, video_ids) -> dict[str, ZypeItem]:
    """Markers of these videos in the playlist, by video id (consistent BatchGet)."""
    wanted = list(dict.fromkeys(video_ids))
    if not wanted:
        return {}
    pk = record_key(PLAYLIST, playlist_id)
    found = ZypeItem.batch_get([(pk, f"{MEMBER_PREFIX}{v}") for v in wanted], consistent_read=True)
    return {item.sk[len(MEMBER_PREFIX):]: item for item in found}


def markers_of_video(video_id: str, playlist_ids) -> dict[str, ZypeItem]:
    """The video's markers in these playlists, by playlist id (consistent BatchGet): a
    site has tens of playlists, so asking each is cheaper than keeping an index."""
    wanted = list(dict.fromkeys(playlist_ids))
    if not wanted:
        return {}
    found = ZypeItem.batch_get([(record_key(PLAYLIST, p), f"{MEMBER_PREFIX}{video_id}") for p in wanted],
                               consistent_read=True)
    return {item.pk.split("#", 1)[1]: item for item in found}


def entries(playlist_id: str, active_prefix: str = "") -> list[ZypeItem]:
    """Every entry of a playlist (or those of one activity), in playlist order."""
    return list(ZypeItem.query(record_key(PLAYLIST, playlist_id),
                               ZypeItem.sk.startswith(f"{ENTRY_PREFIX}{active_prefix}"), page_size=QUERY_PAGE))


def entry_keys(playlist_id: str, active_prefix: str, limit: int) -> list[str]:
    """The first `limit` entry sort keys of one activity, from the keys-only index."""
    if limit <= 0:
        return []
    pk = record_key(PLAYLIST, playlist_id)
    found = ZypeItem.entry_order.query(pk, ZypeItem.order_sk.startswith(f"{ENTRY_PREFIX}{active_prefix}"),
                                       limit=limit, page_size=limit)
    return [item.order_sk for item in found]


def entries_by_key(playlist_id: str, entry_sks: list[str]) -> list[ZypeItem]:
    """Entries for these sort keys, in the order given (BatchGet, 100 keys a call)."""
    if not entry_sks:
        return []
    pk = record_key(PLAYLIST, playlist_id)
    found = {item.sk: item for item in ZypeItem.batch_get([(pk, sk) for sk in entry_sks])}
    return [found[sk] for sk in entry_sks if sk in found]


def write_membership(playlist_id: str, changes: list["MembershipChange"]) -> None:
    """Apply membership changes atomically per transaction together with the counters
    and the digests of the playlist's entries (zype_ranks), so `playlist_item_count`
    and page positions never drift from the entries. Contended when a marker condition
    fails (another request changed the same membership) or a digest was cut meanwhile."""
    from chalicelib.models import zype_ranks

    if not changes:
        return
    pk = record_key(PLAYLIST, playlist_id)
    digests = zype_ranks.playlist_digests(playlist_id)
    per_change = 3  # old entry delete, new entry put, marker put
    batch_size = (TRANSACTION_ACTIONS - 1) // per_change
    for start in range(0, len(changes), batch_size):
        batch = changes[start:start + batch_size]
        actions = []
        for active in ("1", "0"):
            prefix = f"{ENTRY_PREFIX}{active}#"
            deltas = digests.digest[active].deltas_for(
                [c.new_sk for c in batch if c.new_sk and c.new_sk.startswith(prefix) and c.new_sk != c.old_sk],
                [c.old_sk for c in batch if c.old_sk and c.old_sk.startswith(prefix) and c.new_sk != c.old_sk])
            actions += zype_ranks.delta_actions(digests.attribute[active], deltas)
            digests.digest[active].apply(deltas)
        total = sum(change.count_delta for change in batch)
        active_delta = sum(change.active_delta for change in batch)
        if total or active_delta:
            actions += [ZypeItem.item_count.add(total), ZypeItem.active_item_count.add(active_delta)]
        try:
            with TransactWrite(connection=connection()) as transaction:
                for change in batch:
                    change.stage(transaction)
                if actions:
                    transaction.update(ZypeItem(pk, PLAYLIST), actions=actions,
                                       condition=ZypeItem.pk.exists() & (ZypeItem.split_rev == digests.rev))
                else:  # entries moved inside their buckets: still only under the boundaries they were counted by
                    transaction.condition_check(ZypeItem, pk, PLAYLIST, condition=ZypeItem.split_rev == digests.rev)
        except TransactWriteError as error:
            if getattr(error, "cause_response_code", "") == "TransactionCanceledException":
                raise Contended(playlist_id) from error
            raise
    for active in ("1", "0"):
        for bucket in digests.digest[active].oversized():
            zype_ranks.cut_bucket(zype_ranks.entry_query(playlist_id, active), ZypeItem(pk, PLAYLIST),
                                  digests.attribute[active], bucket, digests.digest[active].buckets[bucket])


def playlists_holding(video_id: str) -> list[str]:
    """Ids of the playlists that hold a video (the by_member index; callers confirm with
    a consistent read of the markers)."""
    return [item.pk.split("#", 1)[1]
            for item in ZypeItem.by_member.query(video_id, page_size=QUERY_PAGE)]


class MembershipChange:
    """One video joining, leaving or moving inside a playlist."""

    def __init__(self, playlist_id: str, video_id: str, seq: int | None, old_sk: str | None,
                 new_sk: str | None, video: dict | None):
        self.playlist_id = playlist_id
        self.video_id = video_id
        self.seq = seq
        self.old_sk = old_sk
        self.new_sk = new_sk
        self.video = video

    @property
    def count_delta(self) -> int:
        return (self.new_sk is not None) - (self.old_sk is not None)

    @property
    def active_delta(self) -> int:
        return int(is_active_entry(self.new_sk)) - int(is_active_entry(self.old_sk))

    def stage(self, transaction: TransactWrite) -> None:
        pk = record_key(PLAYLIST, self.playlist_id)
        marker_key = ZypeItem(pk, f"{MEMBER_PREFIX}{self.video_id}")
        if self.old_sk and self.old_sk != self.new_sk:
            transaction.delete(ZypeItem(pk, self.old_sk), add_version_condition=False)
        if self.new_sk is None:
            transaction.delete(marker_key, condition=ZypeItem.entry_sk == self.old_sk,
                               add_version_condition=False)
            return
        transaction.save(entry(self.playlist_id, self.new_sk, self.video))
        condition = ZypeItem.pk.does_not_exist() if self.old_sk is None else ZypeItem.entry_sk == self.old_sk
        transaction.save(marker(self.playlist_id, self.video_id, self.new_sk, self.seq), condition=condition)


def is_active_entry(entry_sk: str | None) -> bool:
    return bool(entry_sk) and entry_sk.startswith(f"{ENTRY_PREFIX}1#")


def delete_partition(pk: str) -> None:
    """Every item of a partition (a playlist with its entries and markers)."""
    with ZypeItem.batch_write() as batch:
        for item in ZypeItem.query(pk, page_size=QUERY_PAGE):
            batch.delete(item)


def _conditional_failure(error: PutError | UpdateError) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"
