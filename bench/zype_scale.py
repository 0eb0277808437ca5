"""Publishing at catalogue scale: what each main Zype request costs in DynamoDB items
read and written, and calls made, on a site of 50,000 videos, 2,000 playlists and 50
categories, next to its page size. Targets: items read <= 2 x page size + 50 for every
read; items written <= 2 x changed items + 20.

The site is bulk-loaded (BatchWriteItem of what the API would have written: records,
site-list rows and digests, term rows, playlist entries and markers), then measured
through the served API on the local moto stack. Items are counted from the responses
(GetItem 1, Query / BatchGetItem the items returned) and from the requests (one per put,
update or delete, each action of a transaction), by a hook on PynamoDB's calls.

    .venv/bin/python bench/zype_scale.py [--videos 50000] [--playlists 2000]
"""
import argparse
import datetime
import pathlib
import sys
import threading
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from devstack.stack import LocalStack, free_port  # noqa: E402

PAGE = 10
BIG_PLAYLIST = 1_200  # videos in the playlist paged to page 100
CATEGORIES, VALUES = 50, 10
SEARCH_WORDS = 2_500  # each title has one of them: a word finds ~videos / 2,500


class ItemCounter:
    """DynamoDB calls, items read and items written by the zype table's calls while on."""

    def __init__(self):
        self.calls: dict[str, int] = defaultdict(int)
        self.read = self.written = 0
        self.on = False
        self._lock = threading.Lock()

    def reset(self) -> None:
        self.calls.clear()
        self.read = self.written = 0

    def install(self):
        from pynamodb.connection.base import Connection

        original = Connection._make_api_call
        counter = self

        def counting(connection, operation_name, operation_kwargs):
            response = original(connection, operation_name, operation_kwargs)
            if counter.on and "zype" in str(operation_kwargs.get("TableName", operation_kwargs)):
                counter.count(operation_name, operation_kwargs, response or {})
            return response

        Connection._make_api_call = counting
        return lambda: setattr(Connection, "_make_api_call", original)

    def count(self, name: str, request: dict, response: dict) -> None:
        read = written = 0
        if name == "GetItem":
            read = int("Item" in response)
        elif name == "Query":
            read = int(response.get("ScannedCount", response.get("Count", 0)))
        elif name == "BatchGetItem":
            read = sum(len(items) for items in response.get("Responses", {}).values())
        elif name in ("PutItem", "UpdateItem", "DeleteItem"):
            written = 1
        elif name == "BatchWriteItem":
            written = sum(len(items) for items in request.get("RequestItems", {}).values())
        elif name == "TransactWriteItems":
            written = len(request.get("TransactItems", []))
        with self._lock:
            self.calls[name] += 1
            self.read += read
            self.written += written

    @contextmanager
    def measuring(self):
        self.reset()
        self.on = True
        try:
            yield self
        finally:
            self.on = False

    def summary(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in sorted(self.calls.items()))


# --- the site -------------------------------------------------------------------------------

def new_site(api_url: str, admin_token: str) -> tuple[str, str]:
    """A studio with its api_key (as the tests make one)."""
    from chalicelib import auth

    headers = {"Authorization": f"Bearer {admin_token}"}
    studio = requests.post(f"{api_url}/data/studios", json={"name": f"bench-{uuid.uuid4().hex[:8]}"},
                           headers=headers, timeout=60).json()
    person = requests.post(f"{api_url}/data/persons", headers=headers, timeout=60,
                           json={"first_name": "Bench", "role": "admin", "studio_id": studio["id"],
                                 "email": f"bench-{uuid.uuid4().hex[:8]}@site.example"}).json()
    token = auth.issue_tokens(person)["access_token"]
    key = requests.post(f"{api_url}/data/studios/{studio['id']}/zype-keys", json={"kind": "api_key"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=60).json()["key"]
    return studio["id"], key


def bulk_load(site_id: str, videos: int, playlists: int, big_playlist: int = BIG_PLAYLIST) -> dict:
    """Everything the API would have written for such a site, by BatchWriteItem."""
    from chalicelib.models import zype as table
    from chalicelib.models import zype_ranks as ranks
    from chalicelib.models import zype_terms
    from chalicelib.services.zype import lists, membership, terms
    from chalicelib.services.zype import videos as video_service
    from chalicelib.services.zype.values import new_object_id, stamp
    from slugify import slugify

    started = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    list_keys: dict[str, list[str]] = defaultdict(list)
    items = []

    def record(kind: str, body: dict, **extra):
        items.append(table.ZypeItem(table.record_key(kind, body["_id"]), kind, body=body, revision=0,
                                    site_kind=f"{site_id}#{kind}",
                                    created_sort=f"{body['created_at']}#{body['_id']}", **extra))

    categories = []
    for n in range(CATEGORIES):
        moment = stamp(started)
        category = {"_id": new_object_id(), "site_id": site_id, "created_at": moment, "updated_at": moment,
                    "deleted_at": None, "title": f"Category {n:02d}", "friendly_title": f"category-{n:02d}",
                    "values": [f"v{value}" for value in range(VALUES)]}
        categories.append(category)
        record(table.CATEGORY, category)
        for list_id, key in lists.category_keys(site_id, category).items():
            list_keys[list_id].append(key)

    video_bodies = []
    for n in range(videos):
        moment = stamp(started + datetime.timedelta(minutes=10 * n))
        category = categories[n % CATEGORIES]
        title = f"Episode {n:05d} kw{n % SEARCH_WORDS:04d}"
        video = {**video_service.DEFAULTS, "_id": new_object_id(), "site_id": site_id, "created_at": moment,
                 "updated_at": moment, "deleted_at": None, "title": title, "friendly_title": slugify(title),
                 "active": n % 10 != 9, "published_at": moment if n % 4 else None,
                 "categories": [{"_id": new_object_id(), "category_id": category["_id"], "title": category["title"],
                                 "value": [f"v{(n // CATEGORIES) % VALUES}"]}]}
        video_bodies.append(video)
        record(table.VIDEO, video)
        for list_id, key in lists.video_keys(site_id, video).items():
            list_keys[list_id].append(key)
        created_key = lists.video_keys(site_id, video)[f"{site_id}#v#all#created_at"]
        for (pk, sk), active in zype_terms.rows(site_id, terms.video_words(video), created_key,
                                                video["active"]).items():
            items.append(table.ZypeItem(pk, sk, term_active=active))

    playlist_ids = []
    for n in range(playlists):
        moment = stamp(started + datetime.timedelta(hours=n))
        playlist = {**_playlist_defaults(), "_id": new_object_id(), "site_id": site_id, "created_at": moment,
                    "updated_at": moment, "deleted_at": None, "title": f"Playlist {n:04d}",
                    "friendly_title": f"playlist-{n:04d}", "priority": n % 500,
                    "parent_id": playlist_ids[n % 50] if n >= 50 else None}
        # The first holds big_playlist videos; the others 10 each, videos spread over them.
        held = video_bodies[:big_playlist] if n == 0 else [
            video_bodies[(n * 10 + k) % len(video_bodies)] for k in range(10)]
        entries = {"1": [], "0": []}
        for seq, video in enumerate(held):
            sk = membership.entry_sk(video, [], seq)
            entries["1" if video["active"] else "0"].append(sk)
            items.append(table.entry(playlist["_id"], sk, video))
            items.append(table.marker(playlist["_id"], video["_id"], sk, seq))
        record(table.PLAYLIST, playlist, item_count=len(held), active_item_count=len(entries["1"]),
               next_seq=len(held), digest_1=ranks.fresh_buckets(sorted(entries["1"])),
               digest_0=ranks.fresh_buckets(sorted(entries["0"])), split_rev=0)
        playlist_ids.append(playlist["_id"])
        for list_id, key in lists.playlist_keys(site_id, playlist).items():
            list_keys[list_id].append(key)

    for list_id, keys in list_keys.items():
        keys.sort()
        items += [table.ZypeItem(ranks.list_pk(list_id), ranks.ROW_PREFIX + key) for key in keys]
        items.append(table.ZypeItem(ranks.list_pk(list_id), ranks.DIGEST_SK, buckets=ranks.fresh_buckets(keys),
                                    split_rev=0))
    began = time.perf_counter()
    with table.ZypeItem.batch_write() as batch:
        for item in items:
            batch.save(item)
    return {"items": len(items), "seconds": time.perf_counter() - began, "videos": video_bodies,
            "playlists": playlist_ids, "categories": categories}


def _playlist_defaults() -> dict:
    from chalicelib.services.zype import playlists

    return dict(playlists.DEFAULTS)


# --- the requests ---------------------------------------------------------------------------

def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--videos", type=int, default=50_000)
    parser.add_argument("--playlists", type=int, default=2_000)
    args = parser.parse_args()
    stack = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    counter = ItemCounter()
    restore = counter.install()
    try:
        from chalicelib import auth
        from devstack import demo

        seeded = demo.seed()
        admin_token = auth.issue_tokens(seeded["people"]["admin"])["access_token"]
        site_id, key = new_site(f"{stack.api_url}/api", admin_token)
        loaded = bulk_load(site_id, args.videos, args.playlists)
        print(f"site: {args.videos} videos, {args.playlists} playlists, {CATEGORIES} categories "
              f"({loaded['items']} items bulk-loaded in {loaded['seconds']:.0f} s)\n")
        rows = run_requests(stack.api_url, key, loaded, counter)
        print_rows(rows)
    finally:
        restore()
        stack.stop()


def run_requests(base_url: str, key: str, loaded: dict, counter: ItemCounter) -> list[tuple]:
    session = requests.Session()
    videos, playlists = loaded["videos"], loaded["playlists"]
    big, small = playlists[0], playlists[-1]
    rows = []

    def measure(label: str, method: str, path: str, page_size: int, changed: int | None = None, **params):
        with counter.measuring():
            answer = session.request(method, f"{base_url}{path}", params=[("api_key", key), *params.items()],
                                     timeout=600)
        assert answer.status_code == 200, (label, answer.status_code, answer.text[:300])
        rows.append((label, page_size, changed, counter.read, counter.written, counter.summary()))
        return answer.json()

    category = loaded["categories"][7]["title"]
    measure("GET /videos", "GET", "/videos", PAGE)
    measure("GET /videos?page=100", "GET", "/videos", PAGE, page=100)
    measure(f"GET /videos?category[{category}]=v3", "GET", "/videos", PAGE, **{f"category[{category}]": "v3"})
    measure("GET /videos?sort=title&order=asc&page=100", "GET", "/videos", PAGE, sort="title", order="asc",
            page=100)
    measure("GET /videos?created_at.gte=2019-06-01&created_at.lt=2019-07-01", "GET", "/videos", PAGE,
            **{"created_at.gte": "2019-06-01T00:00:00Z", "created_at.lt": "2019-07-01T00:00:00Z"})
    measure("GET /videos?id[]=<10 ids>", "GET", "/videos", PAGE, **{"id": ",".join(v["_id"] for v in videos[:10])})
    measure("GET /videos?q=kw0042", "GET", "/videos", PAGE, q="kw0042")
    measure("GET /videos?per_page=500", "GET", "/videos", 500, per_page=500)
    measure("GET /playlists", "GET", "/playlists", PAGE)
    measure("GET /playlists?page=100", "GET", "/playlists", PAGE, page=100)
    measure("GET /playlists?parent_id=<root>&sort=priority", "GET", "/playlists", PAGE, parent_id=playlists[3],
            sort="priority", order="asc")
    measure("GET /playlists/{id}/videos (1,200 videos)", "GET", f"/playlists/{big}/videos", PAGE)
    measure("GET /playlists/{id}/videos?page=100", "GET", f"/playlists/{big}/videos", PAGE, page=100)
    outside = [v["_id"] for v in videos[-300:]]
    measure("PUT /playlists/{id}/add_videos (1 id)", "PUT", f"/playlists/{small}/add_videos", PAGE, 1,
            **{"video_id[]": outside[0]})
    answer_ids = [("video_id[]", v) for v in outside[100:200]]
    with counter.measuring():
        answer = session.put(f"{base_url}/playlists/{small}/add_videos", params=[("api_key", key), *answer_ids],
                             timeout=600)
    assert answer.status_code == 200, answer.text[:300]
    rows.append(("PUT /playlists/{id}/add_videos (100 ids)", PAGE, 100, counter.read, counter.written,
                 counter.summary()))
    with counter.measuring():
        answer = session.put(f"{base_url}/playlists/{small}/remove_videos", params=[("api_key", key), *answer_ids],
                             timeout=600)
    assert answer.status_code == 200, answer.text[:300]
    rows.append(("PUT /playlists/{id}/remove_videos (100 ids)", PAGE, 100, counter.read, counter.written,
                 counter.summary()))
    # The video at position 5 is in the big playlist only.
    with counter.measuring():
        answer = session.put(f"{base_url}/videos/{videos[5]['_id']}", params=[("api_key", key)],
                             json={"video": {"title": "Renamed episode kw9999"}}, timeout=600)
    assert answer.status_code == 200, answer.text[:300]
    # Changed: the video and its copy in the one playlist holding it.
    rows.append(("PUT /videos/{id} (title; in 1 playlist)", None, 2, counter.read, counter.written,
                 counter.summary()))
    return rows


def print_rows(rows: list[tuple]) -> None:
    width = max(len(row[0]) for row in rows)
    print(f"{'request':<{width}}  page  read  target  written  target  calls")
    for label, page_size, changed, read, written, calls in rows:
        read_target = 2 * page_size + 50 if page_size and changed is None else None
        write_target = 2 * changed + 20 if changed is not None else None
        read_mark = f"{read_target:>6}" + (" ok" if read <= read_target else " OVER") if read_target else " " * 9
        write_mark = f"{write_target:>6}" + (" ok" if written <= write_target else " OVER") if write_target else ""
        print(f"{label:<{width}}  {page_size or '-':>4}  {read:>4}  {read_mark}  {written:>7}  {write_mark:<9}  "
              f"{calls}")


if __name__ == "__main__":
    main()
