"""What a request costs does not grow with the site: items read and written, and calls,
measured (a hook on PynamoDB's calls, bench/zype_scale.ItemCounter) on a small and a
ten times larger site, through the served API. And the lists that make it so stay
right as videos are created, changed and deleted through the API."""
import pytest

from bench.zype_scale import ItemCounter, bulk_load
from tests.zype.conftest import new_site

PAGE = 10
READ_TARGET = 2 * PAGE + 50


@pytest.fixture
def counter():
    counter = ItemCounter()
    restore = counter.install()
    yield counter
    restore()


def _costs(site, loaded: dict, counter: ItemCounter) -> dict[str, tuple]:
    big, small = loaded["playlists"][0], loaded["playlists"][-1]
    category = loaded["categories"][3]["title"]
    requests_ = {
        "videos": ("GET", "/videos", {}),
        "videos deep": ("GET", "/videos", {"page": 4}),
        "videos by category": ("GET", "/videos", {f"category[{category}]": "v0"}),
        "videos by title": ("GET", "/videos", {"sort": "title", "page": 3}),
        "videos published": ("GET", "/videos", {"sort": "published_at", "order": "desc", "page": 2}),
        "videos in a month": ("GET", "/videos", {"created_at.gte": "2019-01-01T00:00:00Z",
                                                 "created_at.lt": "2019-02-01T00:00:00Z"}),
        "search": ("GET", "/videos", {"q": "kw0001"}),
        "playlists": ("GET", "/playlists", {}),
        "playlist videos": ("GET", f"/playlists/{big}/videos", {}),
        "playlist videos deep": ("GET", f"/playlists/{big}/videos", {"page": 4}),
        "add 10": ("PUT", f"/playlists/{small}/add_videos",
                   [("video_id[]", v["_id"]) for v in loaded["videos"][:10]]),
    }
    costs = {}
    for label, (method, path, params) in requests_.items():
        with counter.measuring():
            answer = site.zype.request(method, path, params=params)
        assert answer.status_code == 200, (label, answer.text)
        costs[label] = (counter.read, counter.written, dict(counter.calls), answer.json())
    return costs


def test_a_request_costs_the_same_on_a_site_ten_times_larger(api, stack, counter):
    small_site, large_site = new_site(api, stack), new_site(api, stack)
    small = bulk_load(small_site.studio["id"], 50, 5, big_playlist=45)
    large = bulk_load(large_site.studio["id"], 500, 50, big_playlist=45)
    small_costs, large_costs = _costs(small_site, small, counter), _costs(large_site, large, counter)
    for label, (read, written, calls, _) in large_costs.items():
        small_read, small_written, small_calls, _ = small_costs[label]
        assert calls == small_calls, label
        assert read <= READ_TARGET and small_read <= READ_TARGET, (label, small_read, read)
        assert written == small_written, label
    assert large_costs["add 10"][1] <= 2 * 10 + 20
    # The numbers stay exact: 500 videos, every tenth inactive, pages of 10.
    assert large_costs["videos"][3]["pagination"]["pages"] == 45
    assert small_costs["videos"][3]["pagination"]["pages"] == 5
    assert large_costs["playlist videos"][3]["pagination"]["pages"] == 5  # 45 videos, 41 active


def test_site_lists_follow_the_api_writes(zype):
    """45 videos (more than a bucket) created, changed and deleted through the API: every
    list order and count agrees with the videos themselves."""
    genre = zype.category("Genre", ["comedy", "drama"])
    made = []
    for n in range(45):
        fields = {"active": n % 5 != 0, "categories": [{"category_id": genre["_id"],
                                                         "value": ["comedy" if n % 2 else "drama"]}]}
        if n % 3:
            fields["published_at"] = f"2020-01-{1 + n % 28:02d}T00:00:{n:02d}Z"
        made.append(zype.video(f"{'bcdefghijklmnopqrstuvwxyza'[n % 26]} film {n:02d}", **fields))
    zype.put(f"/videos/{made[7]['_id']}", json={"video": {"title": "A renamed film", "active": True}})
    zype.delete(f"/videos/{made[8]['_id']}")
    current = [v for v in (zype.get(f"/videos/{v['_id']}") for v in made) if v.status_code == 200]
    videos = [answer.json()["response"] for answer in current]
    active = [v for v in videos if v["active"]]

    def all_titles(**params) -> tuple[list[str], dict]:
        titles, number, numbers = [], 1, None
        while number:
            answer = zype.get("/videos", params={**params, "page": number, "per_page": 7}).json()
            titles += [v["title"] for v in answer["response"]]
            numbers, number = answer["pagination"], answer["pagination"]["next"]
        return titles, numbers

    newest = sorted(active, key=lambda v: v["created_at"], reverse=True)
    titles, numbers = all_titles()
    assert titles == [v["title"] for v in newest] and numbers["pages"] == -(-len(active) // 7)
    assert all_titles(sort="title")[0] == sorted((v["title"] for v in active), key=str.casefold)
    assert all_titles(active="all", sort="title", order="desc")[0] == \
        sorted((v["title"] for v in videos), key=str.casefold, reverse=True)
    published = sorted((v for v in active if v["published_at"]), key=lambda v: v["published_at"])
    unpublished = sorted((v for v in active if not v["published_at"]), key=lambda v: v["created_at"])
    assert all_titles(sort="published_at")[0] == [v["title"] for v in published + unpublished]
    comedy = [v["title"] for v in newest if v["categories"][0]["value"] == ["comedy"]]
    assert all_titles(**{"category[Genre]": "comedy"})[0] == comedy
    assert all_titles(active="false")[0] == [v["title"] for v in sorted(
        (v for v in videos if not v["active"]), key=lambda v: v["created_at"], reverse=True)]
    assert all_titles(q="renamed")[0] == ["A renamed film"]
    assert all_titles(q="film 1")[0] == [v["title"] for v in newest if v["title"].split()[-1].startswith("1")]


def test_a_site_written_before_the_lists_is_reindexed_whole(zype, site):
    """Data from before the ranked lists (no list rows, terms, digests or indexed
    markers) serves the same pages once reindexed."""
    from chalicelib.models import zype as table
    from chalicelib.models import zype_ranks as ranks
    from chalicelib.services.zype import lists, reindex, terms

    site_id = site.studio["id"]
    genre = zype.category("Genre", ["comedy"])
    videos = [zype.video(f"Old film {n:02d}", categories=[{"category_id": genre["_id"], "value": ["comedy"]}])
              for n in range(45)]
    playlist = zype.playlist("Old list")
    zype.add(playlist["_id"], *(v["_id"] for v in videos))
    expected = {path: zype.get(path, params={"page": 3, "per_page": 7}).json()
                for path in ("/videos", f"/playlists/{playlist['_id']}/videos", "/playlists")}
    searched = zype.titles("/videos", q="film 4")

    list_ids = set(lists.category_keys(site_id, genre)) | set(lists.playlist_keys(site_id, playlist))
    words = set()
    for video in videos:
        list_ids |= set(lists.video_keys(site_id, table.get(table.VIDEO, video["_id"]).body))
        words |= terms.video_words(video)
    with table.ZypeItem.batch_write() as batch:
        for pk in [ranks.list_pk(i) for i in list_ids] + sorted({f"term#{site_id}#{w[0]}" for w in words}):
            for item in table.ZypeItem.query(pk):
                batch.delete(item)
        for marker in table.markers_of_playlist(playlist["_id"]):
            marker.member_video = None
            batch.save(marker)
    table.get(table.PLAYLIST, playlist["_id"]).update(
        actions=[table.ZypeItem.digest_1.remove(), table.ZypeItem.digest_0.remove()])
    assert zype.get("/videos").json()["pagination"]["pages"] == 0  # what an old site would serve

    assert reindex.reindex_site(site_id)["videos"] == 45
    for path, answer in expected.items():
        assert zype.get(path, params={"page": 3, "per_page": 7}).json() == answer, path
    assert zype.titles("/videos", q="film 4") == searched and len(searched) == 5
    assert table.playlists_holding(videos[0]["_id"]) == [playlist["_id"]]
