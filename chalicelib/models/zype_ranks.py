"""Ranked lists: sorted sets of keys in which the key at any position is found without
reading the keys before it, so page 100 of a list costs what page 1 costs.

A list's keys are split into *buckets* of consecutive keys. A digest, one map
attribute `{first key of the bucket: how many keys it holds}`, is kept beside the list
and changed in the same transaction as its keys. To read from position p: one read of
the digest gives the bucket holding p and how far into it p lies (< MAX_BUCKET), then
one Query from the bucket's first key with Limit = that skip + the page.

A bucket that grows past MAX_BUCKET is cut (its keys read once, new boundaries written
under a condition on its count, `split_rev` bumped so that writers holding the old
boundaries retry instead of counting into the wrong bucket).

Two kinds of list live here:
- site lists (videos and playlists of a site in one order, optionally of one filter):
  rows `pk = "rank#<list id>"`, `sk = "r#<key>"`, digest `sk = "digest"` (attribute `buckets`);
- a playlist's entries of one activity: the `entry_order` index (keys only) of the
  playlist's partition, digest in the playlist item (`digest_1` / `digest_0`)."""
import bisect
from dataclasses import dataclass, field

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.models.zype import (
    ENTRY_PREFIX,
    PLAYLIST,
    TRANSACTION_ACTIONS,
    Contended,
    ZypeItem,
    connection,
    record_key,
)

FIRST = "^"  # the map key of the first bucket, whose boundary is below every key (map keys cannot be empty)
MAX_BUCKET = 40
CUT_TO = 20
ROW_PREFIX, DIGEST_SK = "r#", "digest"
_TOP = "\U0010ffff"


@dataclass
class Digest:
    buckets: dict[str, int]
    rev: int = 0
    boundaries: list[str] = field(init=False)

    def __post_init__(self):
        self.buckets = {k: int(v) for k, v in self.buckets.items()}
        self.boundaries = sorted("" if k == FIRST else k for k in self.buckets)

    @classmethod
    def of(cls, raw, rev) -> "Digest":
        buckets = raw.as_dict() if hasattr(raw, "as_dict") else dict(raw or {})
        return cls(buckets or {FIRST: 0}, int(rev or 0))

    @property
    def total(self) -> int:
        return max(sum(self.buckets.values()), 0)

    def bucket_of(self, key: str) -> str:
        """The map key of the bucket `key` belongs to."""
        boundary = self.boundaries[bisect.bisect_right(self.boundaries, key) - 1]
        return boundary or FIRST

    def locate(self, position: int) -> tuple[str, int]:
        """(first key of the bucket holding `position`, keys to skip in it)."""
        before = 0
        for boundary in self.boundaries:
            count = max(self.buckets[boundary or FIRST], 0)
            if position < before + count:
                return boundary, position - before
            before += count
        return self.boundaries[-1], max(position - before, 0)

    def count_before(self, boundary: str) -> int:
        return sum(max(self.buckets[b or FIRST], 0) for b in self.boundaries if b < boundary)

    def deltas_for(self, added, removed) -> dict[str, int]:
        deltas: dict[str, int] = {}
        for key in added:
            deltas[self.bucket_of(key)] = deltas.get(self.bucket_of(key), 0) + 1
        for key in removed:
            deltas[self.bucket_of(key)] = deltas.get(self.bucket_of(key), 0) - 1
        return {k: v for k, v in deltas.items() if v}

    def apply(self, deltas: dict[str, int]) -> None:
        for key, delta in deltas.items():
            self.buckets[key] = self.buckets.get(key, 0) + delta

    def oversized(self) -> list[str]:
        return [key for key, count in self.buckets.items() if count > MAX_BUCKET]


def fresh_buckets(sorted_keys: list[str]) -> dict[str, int]:
    """A digest for keys loaded at once (bulk loads, re-keyed playlists)."""
    buckets = {FIRST: 0}
    for start in range(0, len(sorted_keys), CUT_TO):
        chunk = sorted_keys[start:start + CUT_TO]
        buckets[FIRST if start == 0 else chunk[0]] = len(chunk)
    return buckets


def delta_actions(attribute, deltas: dict[str, int]) -> list:
    return [attribute[key].set((attribute[key] | 0) + delta) for key, delta in deltas.items()]


def slice_keys(query_from, digest: Digest, start: int, count: int) -> list[str]:
    """`count` keys from ascending position `start`; `query_from(first_key, limit)`
    answers the keys >= first_key in order."""
    if count <= 0 or start >= digest.total:
        return []
    boundary, skip = digest.locate(start)
    return query_from(boundary, skip + count)[skip:skip + count]


def rank_of(count_below, digest: Digest, key: str) -> int:
    """How many keys of the list are below `key`: the digest's counts before its bucket,
    plus `count_below(bucket's first key, key, at most)` (a Query of the keys of that
    bucket below `key` only)."""
    boundary = digest.boundaries[bisect.bisect_right(digest.boundaries, key) - 1]
    in_bucket = max(digest.buckets[boundary or FIRST], 0)
    return digest.count_before(boundary) + count_below(boundary, key, in_bucket + 1)


# --- site lists ------------------------------------------------------------------------

def list_pk(list_id: str) -> str:
    return f"rank#{list_id}"


def site_digests(list_ids) -> dict[str, Digest]:
    """Digests of these lists (one consistent BatchGet); a list never written is empty."""
    wanted = list(dict.fromkeys(list_ids))
    found = {item.pk[len("rank#"):]: Digest.of(item.buckets, item.split_rev)
             for item in ZypeItem.batch_get([(list_pk(i), DIGEST_SK) for i in wanted], consistent_read=True)}
    return {list_id: found.get(list_id) for list_id in wanted}


def site_query(list_id: str):
    def query_from(first_key: str, limit: int) -> list[str]:
        found = ZypeItem.query(list_pk(list_id), ZypeItem.sk.between(ROW_PREFIX + first_key, ROW_PREFIX + _TOP),
                               limit=limit, page_size=limit, consistent_read=True,
                               attributes_to_get=["pk", "sk"])
        return [item.sk[len(ROW_PREFIX):] for item in found]
    return query_from


def site_count_below(list_id: str):
    def count_below(first_key: str, key: str, limit: int) -> int:
        if limit <= 0 or key <= first_key:
            return 0
        found = ZypeItem.query(list_pk(list_id), ZypeItem.sk.between(ROW_PREFIX + first_key, ROW_PREFIX + key),
                               limit=limit, page_size=limit, consistent_read=True, attributes_to_get=["pk", "sk"])
        return sum(1 for item in found if item.sk < ROW_PREFIX + key)
    return count_below


def site_query_near(list_id: str, key: str, descending: bool, limit: int) -> list[str]:
    """Up to `limit` keys from `key` on: ascending from it (inclusive), or descending from
    just below it; a page next to a range's end is read without its bucket."""
    if descending:
        condition = ZypeItem.sk.between(ROW_PREFIX, ROW_PREFIX + key)
    else:
        condition = ZypeItem.sk.between(ROW_PREFIX + key, ROW_PREFIX + _TOP)
    found = ZypeItem.query(list_pk(list_id), condition, scan_index_forward=not descending, limit=limit + 1,
                           page_size=limit + 1, consistent_read=True, attributes_to_get=["pk", "sk"])
    keys = [item.sk[len(ROW_PREFIX):] for item in found]
    if descending:
        keys = [k for k in keys if k < key]
    return keys[:limit]


def all_keys(list_id: str) -> list[str]:
    """Every key of a list (lists that are read whole: a category's rules, its title)."""
    found = ZypeItem.query(list_pk(list_id), ZypeItem.sk.startswith(ROW_PREFIX), consistent_read=True,
                           page_size=500, attributes_to_get=["pk", "sk"])
    return [item.sk[len(ROW_PREFIX):] for item in found]


def ensure_site_digests(digests: dict[str, Digest | None]) -> dict[str, Digest]:
    """Create the digests of lists about to get their first key."""
    for list_id, digest in digests.items():
        if digest is None:
            try:
                ZypeItem(list_pk(list_id), DIGEST_SK, buckets={FIRST: 0}, split_rev=0).save(
                    condition=ZypeItem.pk.does_not_exist())
                digests[list_id] = Digest({FIRST: 0}, 0)
            except PutError:
                digests[list_id] = site_digests([list_id])[list_id]
    return digests


@dataclass
class ListChange:
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    def net(self) -> tuple[set[str], set[str]]:
        return self.added - self.removed, self.removed - self.added


def write_site_lists(changes: dict[str, ListChange], first_actions=None) -> None:
    """Rows and digest counts of these lists, in transactions of whole lists (the first
    also carries `first_actions(transaction)`, the record's own write). Contended when a
    digest was cut meanwhile or the record's condition failed."""
    changes = {list_id: change for list_id, change in changes.items() if any(change.net())}
    digests = ensure_site_digests(site_digests(changes)) if changes else {}
    groups, current, size = [], [], 1 if first_actions else 0
    for list_id, change in changes.items():
        added, removed = change.net()
        actions = len(added) + len(removed) + 1
        if current and size + actions > TRANSACTION_ACTIONS:
            groups.append(current)
            current, size = [], 0
        current.append(list_id)
        size += actions
    groups.append(current)
    for index, group in enumerate(groups):
        if not group and not (index == 0 and first_actions):
            continue
        with _transaction(group) as transaction:
            if index == 0 and first_actions:
                first_actions(transaction)
            for list_id in group:
                added, removed = changes[list_id].net()
                digest = digests[list_id]
                deltas = digest.deltas_for(added, removed)
                for key in removed:
                    transaction.delete(ZypeItem(list_pk(list_id), ROW_PREFIX + key), add_version_condition=False)
                for key in added:
                    transaction.save(ZypeItem(list_pk(list_id), ROW_PREFIX + key))
                if deltas:
                    transaction.update(ZypeItem(list_pk(list_id), DIGEST_SK),
                                       actions=delta_actions(ZypeItem.buckets, deltas),
                                       condition=ZypeItem.split_rev == digest.rev)
                else:  # keys moved inside one bucket: still only under the boundaries they were counted by
                    transaction.condition_check(ZypeItem, list_pk(list_id), DIGEST_SK,
                                                condition=ZypeItem.split_rev == digest.rev)
                digest.apply(deltas)
    for list_id in changes:
        for bucket in digests[list_id].oversized():
            cut_bucket(site_query(list_id), ZypeItem(list_pk(list_id), DIGEST_SK), ZypeItem.buckets,
                       bucket, digests[list_id].buckets[bucket])


class _transaction:
    def __init__(self, what):
        self.what = what
        self.inner = TransactWrite(connection=connection())

    def __enter__(self) -> TransactWrite:
        return self.inner.__enter__()

    def __exit__(self, kind, error, trace):
        from pynamodb.exceptions import TransactWriteError
        try:
            return self.inner.__exit__(kind, error, trace)
        except TransactWriteError as failure:
            if getattr(failure, "cause_response_code", "") == "TransactionCanceledException":
                raise Contended(str(self.what)) from failure
            raise


def cut_bucket(query_from, holder: ZypeItem, attribute, bucket: str, seen: int) -> None:
    """Cut an oversized bucket into buckets of CUT_TO keys; skipped when its count moved
    since (the next write that finds it oversized cuts it)."""
    keys = query_from("" if bucket == FIRST else bucket, seen)
    if len(keys) <= MAX_BUCKET:
        return
    actions = [attribute[bucket].set(CUT_TO)]
    for start in range(CUT_TO, len(keys), CUT_TO):
        actions.append(attribute[keys[start]].set(len(keys[start:start + CUT_TO]) + (seen - len(keys)
                                                                                    if start + CUT_TO >= len(keys)
                                                                                    else 0)))
    try:
        holder.update(actions=[*actions, ZypeItem.split_rev.add(1)], condition=attribute[bucket] == seen)
    except UpdateError:
        return  # lost a race with another write of this list


# --- a playlist's entries -----------------------------------------------------------------

class PlaylistDigests:
    def __init__(self, item: ZypeItem):
        active = int(item.active_item_count or 0)
        inactive = int(item.item_count or 0) - active
        self.digest = {"1": Digest.of(item.digest_1 or {FIRST: active}, item.split_rev),
                       "0": Digest.of(item.digest_0 or {FIRST: inactive}, item.split_rev)}
        self.rev = item.split_rev
        self.attribute = {"1": ZypeItem.digest_1, "0": ZypeItem.digest_0}
        self.missing = item.digest_1 is None or item.digest_0 is None


def playlist_digests(playlist_id: str) -> PlaylistDigests:
    """The digests of a playlist's entries, read consistently (written first when the
    playlist predates them)."""
    pk = record_key(PLAYLIST, playlist_id)
    try:
        item = ZypeItem.get(pk, PLAYLIST, consistent_read=True)
    except DoesNotExist as error:
        raise Contended(playlist_id) from error
    digests = PlaylistDigests(item)
    if digests.missing:
        try:
            item.update(actions=[ZypeItem.digest_1.set(digests.digest["1"].buckets),
                                 ZypeItem.digest_0.set(digests.digest["0"].buckets), ZypeItem.split_rev.set(0)],
                        condition=ZypeItem.digest_1.does_not_exist())
        except UpdateError as error:
            raise Contended(playlist_id) from error
        digests = PlaylistDigests(item)
    return digests


def entry_query(playlist_id: str, active: str):
    """`query_from(first_key, limit)` over a playlist's entries of one activity, in order
    (the keys-only index)."""
    pk = record_key(PLAYLIST, playlist_id)
    prefix = f"{ENTRY_PREFIX}{active}#"

    def query_from(first_key: str, limit: int) -> list[str]:
        found = ZypeItem.entry_order.query(pk, ZypeItem.order_sk.between(max(first_key, prefix), prefix + "\U0010ffff"),
                                           limit=limit, page_size=limit)
        return [item.order_sk for item in found]
    return query_from
