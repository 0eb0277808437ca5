"""Rebuild a site's lists, search terms, playlist digests and membership index from its
records: once per site after deploying the ranked lists over data written before them
(reads the site whole, so it is a one-off, never a request path).

    .venv/bin/python -m chalicelib.services.zype.reindex <studio id> [<studio id> ...]

Writes are puts of what the writes of the API would have made, so running it twice, or
on a site already indexed, changes nothing."""
import sys
from collections import defaultdict

from chalicelib.models import zype as table
from chalicelib.models import zype_ranks as ranks
from chalicelib.models import zype_terms
from chalicelib.services.zype import lists, terms


def reindex_site(site_id: str) -> dict[str, int]:
    keys: dict[str, list[str]] = defaultdict(list)
    items: list[table.ZypeItem] = []
    videos = table.query_site(site_id, table.VIDEO)
    for video in videos:
        video_keys = lists.video_keys(site_id, video.body)
        for list_id, key in video_keys.items():
            keys[list_id].append(key)
        for (pk, sk), active in zype_terms.rows(site_id, terms.video_words(video.body),
                                                video_keys[f"{site_id}#v#all#created_at"],
                                                bool(video.body.get("active"))).items():
            items.append(table.ZypeItem(pk, sk, term_active=active))
    for category in table.query_site(site_id, table.CATEGORY):
        for list_id, key in lists.category_keys(site_id, category.body).items():
            keys[list_id].append(key)
    playlists = table.query_site(site_id, table.PLAYLIST)
    for playlist in playlists:
        for list_id, key in lists.playlist_keys(site_id, playlist.body).items():
            keys[list_id].append(key)
        _reindex_playlist(playlist, items)
    for list_id, list_keys in keys.items():
        list_keys.sort()
        items += [table.ZypeItem(ranks.list_pk(list_id), ranks.ROW_PREFIX + key) for key in list_keys]
        items.append(table.ZypeItem(ranks.list_pk(list_id), ranks.DIGEST_SK, buckets=ranks.fresh_buckets(list_keys),
                                    split_rev=0))
    with table.ZypeItem.batch_write() as batch:
        for item in items:
            batch.save(item)
    return {"videos": len(videos), "playlists": len(playlists), "items": len(items)}


def _reindex_playlist(playlist: table.ZypeItem, items: list) -> None:
    """Markers with their video (the by_member index); the digests of the entries set
    from the entries themselves, with the counters."""
    playlist_id = playlist.body["_id"]
    for marker in table.markers_of_playlist(playlist_id):
        marker.member_video = marker.sk[len(table.MEMBER_PREFIX):]
        items.append(marker)
    entry_keys = {"1": [], "0": []}
    for entry in table.entries(playlist_id):
        entry_keys["1" if table.is_active_entry(entry.sk) else "0"].append(entry.sk)
    playlist.update(actions=[
        table.ZypeItem.digest_1.set(ranks.fresh_buckets(sorted(entry_keys["1"]))),
        table.ZypeItem.digest_0.set(ranks.fresh_buckets(sorted(entry_keys["0"]))),
        table.ZypeItem.item_count.set(len(entry_keys["1"]) + len(entry_keys["0"])),
        table.ZypeItem.active_item_count.set(len(entry_keys["1"])),
        table.ZypeItem.split_rev.add(1)])


if __name__ == "__main__":
    for studio_id in sys.argv[1:]:
        print(studio_id, reindex_site(studio_id))
