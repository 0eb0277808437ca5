"""GET /playlists/{id}/videos with each documented filter, add_videos / remove_videos,
and the cost of a page."""
import datetime

import pytest

from tests.zype.conftest import new_site

FUTURE = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
PAST = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)


@pytest.fixture(scope="module")
def library(api, stack):
    """One playlist holding four videos that differ in every filtered field."""
    site = new_site(api, stack)
    zype = site.zype
    genre = zype.category("Genre", ["comedy", "drama"])
    mood = zype.category("Mood", ["calm", "tense"])

    def tags(genre_value, mood_value=None):
        assigned = [{"category_id": genre["_id"], "value": [genre_value]}]
        if mood_value:
            assigned.append({"category_id": mood["_id"], "value": [mood_value]})
        return assigned

    videos = {
        "Alpha": zype.video("Alpha", featured=True, on_air=True, mature_content=False,
                            published_at="2017-01-01T00:00:00-00:00", source_id="src-1", youtube_id="yt-1",
                            zobject_ids=["z1"], keywords=["space", "rocket"], friendly_title="alpha-launch",
                            categories=tags("comedy", "calm")),
        "Bravo": zype.video("Bravo", featured=False, mature_content=True, published_at="2018-06-01T00:00:00Z",
                            hulu_id="hulu-2", vimeo_id="vim-2", crunchyroll_id="cr-2", type="hulu",
                            zobject_ids=["z2"], description="A sea story", categories=tags("drama", "tense")),
        "Charlie": zype.video("Charlie", active=False, categories=tags("comedy")),
        "Delta": zype.video("Delta", published_at="2019-01-01T12:00:00Z", type="youtube",
                            description="Rocket science", categories=tags("drama", "calm")),
    }
    playlist = zype.playlist("Everything")
    zype.add(playlist["_id"], *(video["_id"] for video in videos.values()))
    mark = zype.get(f"/videos/{videos['Delta']['_id']}").json()["response"]["updated_at"]
    zype.put(f"/videos/{videos['Alpha']['_id']}", json={"video": {"description": "touched"}})
    return {"zype": zype, "playlist": playlist, "videos": videos, "updated_mark": mark}


def titles(library, **params):
    return library["zype"].titles(f"/playlists/{library['playlist']['_id']}/videos", **params)


def test_default_is_active_videos_in_the_order_added(library):
    assert titles(library) == ["Alpha", "Bravo", "Delta"]
    assert titles(library, active="false") == ["Charlie"]
    assert titles(library, active="all") == ["Alpha", "Bravo", "Charlie", "Delta"]


@pytest.mark.parametrize("params, expected", [
    ({"featured": "true"}, ["Alpha"]),
    ({"featured": "false"}, ["Bravo", "Delta"]),
    ({"mature_content": "true"}, ["Bravo"]),
    ({"on_air": "true"}, ["Alpha"]),
    ({"on_air": "false"}, ["Bravo", "Delta"]),
    ({"dpt": "true"}, ["Alpha", "Bravo", "Delta"]),
    ({"friendly_title": "alpha-launch"}, ["Alpha"]),
    ({"friendly_title": "delta"}, ["Delta"]),
    ({"q": "rocket"}, ["Alpha", "Delta"]),
    ({"q": "sea sto"}, ["Bravo"]),
    ({"type": "zype"}, ["Alpha"]),
    ({"type": "hulu"}, ["Bravo"]),
    ({"source_id": "src-1"}, ["Alpha"]),
    ({"source_id!": "src-1"}, ["Bravo", "Delta"]),
    ({"youtube_id": "yt-1"}, ["Alpha"]),
    ({"hulu_id": "hulu-2"}, ["Bravo"]),
    ({"vimeo_id": "vim-2"}, ["Bravo"]),
    ({"crunchyroll_id": "cr-2"}, ["Bravo"]),
    ({"zobject_id": "z2"}, ["Bravo"]),
    ({"zobject_id!": "z2"}, ["Alpha", "Delta"]),
    ({"category[Genre]": "drama"}, ["Bravo", "Delta"]),
    ({"category[Genre]": "drama", "category[Mood]": "calm"}, ["Delta"]),
    ({"category![Genre]": "drama"}, ["Alpha"]),
    ({"category![Mood]": "tense", "active": "all"}, ["Alpha", "Charlie", "Delta"]),
    ({"category_or[Genre]": "comedy", "category_or[Mood]": "tense"}, ["Alpha", "Bravo"]),
    ({"published_at.gte": "2018-06-01T00:00:00Z"}, ["Bravo", "Delta"]),
    ({"published_at.gt": "2018-06-01T00:00:00+00:00"}, ["Delta"]),
    ({"published_at.lt": "2018-06-01T00:00:00-00:00"}, ["Alpha"]),
    ({"published_at.lte": "2018-06-01T02:00:00+02:00"}, ["Alpha", "Bravo"]),
    ({"published_at": "2017-01-01T00:00:00Z"}, ["Alpha"]),
    ({"published_at.gte": "1527811200"}, ["Bravo", "Delta"]),           # 2018-06-01 in Unix seconds
    ({"published_at.gt": "1527811200"}, ["Delta"]),
    ({"published_at.lt": "1527811200"}, ["Alpha"]),
    ({"published_at.lte": "1527811200"}, ["Alpha", "Bravo"]),
    ({"published_at.gte": "1483228800", "published_at.lt": "1546300800"}, ["Alpha", "Bravo"]),
    ({"created_at.gte": str(int(PAST.timestamp()))}, ["Alpha", "Bravo", "Delta"]),
    ({"created_at.gt": str(int(FUTURE.timestamp()))}, []),
    ({"created_at.lt": FUTURE.isoformat()}, ["Alpha", "Bravo", "Delta"]),
    ({"created_at.lte": PAST.isoformat()}, []),
    ({"updated_at.lte": str(int(FUTURE.timestamp()))}, ["Alpha", "Bravo", "Delta"]),
    ({"published_at.gte": "", "featured": "", "q": ""}, ["Alpha", "Bravo", "Delta"]),  # empty = not sent
])
def test_filter(library, params, expected):
    assert titles(library, **params) == expected


def test_created_at_ranges_split_at_a_video(library):
    bravo_created = library["videos"]["Bravo"]["created_at"]
    assert titles(library, **{"created_at.gte": bravo_created}) == ["Bravo", "Delta"]
    assert titles(library, **{"created_at.gt": bravo_created}) == ["Delta"]
    assert titles(library, **{"created_at.lt": bravo_created}) == ["Alpha"]
    assert titles(library, **{"created_at.lte": bravo_created}) == ["Alpha", "Bravo"]
    assert titles(library, created_at=bravo_created) == ["Bravo"]


def test_updated_at_ranges_see_later_changes(library):
    mark = library["updated_mark"]
    assert titles(library, **{"updated_at.gt": mark}) == ["Alpha"]
    assert titles(library, **{"updated_at.lte": mark}) == ["Bravo", "Delta"]


def test_id_and_id_bang(library):
    bravo = library["videos"]["Bravo"]["_id"]
    assert titles(library, id=bravo) == ["Bravo"]
    assert titles(library, **{"id!": bravo}) == ["Alpha", "Delta"]


def test_an_unencoded_plus_in_an_offset_is_still_read(library):
    # `+02:00` unencoded in a query string arrives as ` 02:00`.
    path = f"/playlists/{library['playlist']['_id']}/videos?published_at.lte=2018-06-01T02:00:00+02:00"
    answer = library["zype"].get(path)
    assert [video["title"] for video in answer.json()["response"]] == ["Alpha", "Bravo"]


def test_sort_and_order_override_the_playlist_order(library):
    assert titles(library, sort="title", order="desc") == ["Delta", "Bravo", "Alpha"]
    assert titles(library, sort="published_at", order="desc") == ["Delta", "Bravo", "Alpha"]


def test_pagination_of_playlist_videos(library):
    answer = library["zype"].get(f"/playlists/{library['playlist']['_id']}/videos",
                                 params={"per_page": 2, "page": 2}).json()
    assert [video["title"] for video in answer["response"]] == ["Delta"]
    assert answer["pagination"] == {"current": 2, "previous": 1, "next": None, "per_page": 2, "pages": 2}
    filtered = library["zype"].get(f"/playlists/{library['playlist']['_id']}/videos",
                                   params={"per_page": 1, "q": "rocket"}).json()
    assert filtered["pagination"] == {"current": 1, "previous": None, "next": 2, "per_page": 1, "pages": 2}


def test_unknown_playlist_is_404(library):
    answer = library["zype"].get("/playlists/0123456789abcdef01234567/videos")
    assert answer.status_code == 404
    assert answer.json() == {"message": "Playlist not found"}


# --- add_videos / remove_videos ---------------------------------------------------------------

def test_add_and_remove_videos_keep_the_count_exact(zype):
    first, second, third = (zype.video(title)["_id"] for title in ("One", "Two", "Three"))
    playlist = zype.playlist("Mixtape")
    answer = zype.put(f"/playlists/{playlist['_id']}/add_videos", params=[("video_id[]", first),
                                                                            ("video_id[]", second)])
    assert answer.status_code == 200
    assert [v["title"] for v in answer.json()["response"]] == ["One", "Two"]
    # JSON, a repeat (a no-op) and a comma-separated value.
    zype.put(f"/playlists/{playlist['_id']}/add_videos", json={"video_id": [second, third]})
    zype.put(f"/playlists/{playlist['_id']}/add_videos", data={"video_id[]": f"{first},{third}"})
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 3
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["One", "Two", "Three"]

    answer = zype.put(f"/playlists/{playlist['_id']}/remove_videos", params=[("video_id[]", second),
                                                                               ("video_id[]", second)])
    assert [v["title"] for v in answer.json()["response"]] == ["One", "Three"]
    zype.put(f"/playlists/{playlist['_id']}/remove_videos", json={"video_id": [second]})  # not held: no-op
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 2
    # A plain repeated `video_id` works too.
    answer = zype.put(f"/playlists/{playlist['_id']}/remove_videos", params=[("video_id", first),
                                                                               ("video_id", third)])
    assert answer.json()["response"] == []
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 0


def test_adding_an_unknown_video_changes_nothing(zype):
    known = zype.video("Known")["_id"]
    playlist = zype.playlist("Careful")
    answer = zype.put(f"/playlists/{playlist['_id']}/add_videos",
                      json={"video_id": [known, "0123456789abcdef01234567"]})
    assert answer.status_code == 422
    assert "0123456789abcdef01234567" in answer.json()["message"]
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 0
    answer = zype.put(f"/playlists/{playlist['_id']}/add_videos", json={})
    assert answer.status_code == 422


def test_deleting_a_video_removes_it_from_its_playlists(zype):
    keep, drop = zype.video("Keep")["_id"], zype.video("Drop")["_id"]
    playlist = zype.playlist("Shrinking")
    zype.add(playlist["_id"], keep, drop)
    assert zype.delete(f"/videos/{drop}").status_code == 204
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Keep"]
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 1


def test_deactivating_a_video_moves_it_out_of_the_default_listing(zype):
    video = zype.video("Flicker")["_id"]
    playlist = zype.playlist("Blinking")
    zype.add(playlist["_id"], video)
    zype.put(f"/videos/{video}", json={"video": {"active": False}})
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == []
    assert zype.titles(f"/playlists/{playlist['_id']}/videos", active="false") == ["Flicker"]
    # Zype's count is of the videos the playlist shows (apps page through it by that count).
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 0


# --- cost -------------------------------------------------------------------------------------

def _page_calls(zype, dynamodb_calls, playlist_id: str, page: int, **params) -> list[str]:
    dynamodb_calls.clear()
    answer = zype.get(f"/playlists/{playlist_id}/videos", params={"page": page, "per_page": 5, **params})
    assert answer.status_code == 200 and len(answer.json()["response"]) == 5
    return sorted(dynamodb_calls)


def test_a_page_of_videos_costs_the_same_calls_whatever_the_playlist_size(zype, dynamodb_calls):
    from chalicelib.services.zype import membership
    from chalicelib.services.zype.values import new_object_id

    small, large = zype.playlist("Small"), zype.playlist("Large")
    zype.add(small["_id"], *(zype.video(f"S{n}")["_id"] for n in range(10)))
    # 300 entries, written through the membership service: creating 300 videos through
    # the API would only make the test slow.
    membership.add_videos(large, [{"_id": new_object_id(), "title": f"V{n:04d}", "active": n % 3 != 0}
                                  for n in range(300)])
    # Every third one is inactive: the count is of the 200 active ones.
    assert zype.get(f"/playlists/{large['_id']}").json()["response"]["playlist_item_count"] == 200

    small_first = _page_calls(zype, dynamodb_calls, small["_id"], 1)
    large_first = _page_calls(zype, dynamodb_calls, large["_id"], 1)
    large_last = _page_calls(zype, dynamodb_calls, large["_id"], 40)
    # Key lookup, playlist, keys-only Query, BatchGet of the page.
    assert small_first == large_first == large_last == ["BatchGetItem", "GetItem", "GetItem", "Query"]
    answer = zype.get(f"/playlists/{large['_id']}/videos", params={"page": 40, "per_page": 5}).json()
    # Every third video is inactive, so the last five active ones skip V0294 and V0297.
    assert [video["title"] for video in answer["response"]] == ["V0293", "V0295", "V0296", "V0298", "V0299"]
    assert answer["pagination"]["pages"] == 40 and answer["pagination"]["next"] is None
    # active=all merges the active and inactive ranges: one more Query.
    assert _page_calls(zype, dynamodb_calls, large["_id"], 60, active="all") == \
        ["BatchGetItem", "GetItem", "GetItem", "Query", "Query"]
    answer = zype.get(f"/playlists/{large['_id']}/videos", params={"page": 60, "per_page": 5, "active": "all"})
    assert [video["title"] for video in answer.json()["response"]] == ["V0295", "V0296", "V0297", "V0298", "V0299"]


def test_membership_changes_are_all_or_nothing(zype):
    """A change whose marker condition fails (another request moved the video) cancels
    the whole transaction, counters included; the caller re-reads and retries."""
    from chalicelib.models import zype as table

    held, other = zype.video("Held")["_id"], zype.video("Other")["_id"]
    playlist = zype.playlist("Atomic")
    zype.add(playlist["_id"], held)
    stale = table.MembershipChange(playlist["_id"], held, 0, "entry#1##000000000099#stale", None, None)
    joining = table.MembershipChange(playlist["_id"], other, 5, None, f"entry#1##000000000005#{other}",
                                     {"_id": other, "title": "Other", "active": True})
    with pytest.raises(table.Contended):
        table.write_membership(playlist["_id"], [joining, stale])
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Held"]
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 1
