"""Every ISO 8601 time of years 1-9999, in any offset, is stored in ISO form, sorts and
filters; anything else is a 422 and nothing is stored."""
import datetime

import pytest

from chalicelib.services.zype import values

EDGE_TIMES = [
    "0001-01-01T00:00:00Z",             # year 1 in UTC: stored as 0001-..., not 1-...
    "0001-01-01T00:00:00+05:00",        # its UTC instant is in year 0
    "9999-12-31T23:59:59-05:00",        # its UTC instant is in year 10000
    "0999-06-15T12:00:00.250+01:30",
    "2017-01-01T00:00:00-00:00",
]


def _site_videos(zype, **params) -> list[str]:
    return zype.titles("/videos", per_page=500, active="all", **params)


def test_edge_times_are_stored_as_iso_and_every_filter_still_answers(zype):
    made = {moment: zype.video(f"at {moment}", published_at=moment) for moment in EDGE_TIMES}
    for moment, video in made.items():
        stored = video["published_at"]
        assert datetime.datetime.fromisoformat(stored) == datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
        assert len(stored.split("-")[0]) == 4, stored
    # The filters that a year-1 video used to break, each with its expected answer.
    everything = _site_videos(zype)
    assert set(everything) == {f"at {m}" for m in EDGE_TIMES}
    assert _site_videos(zype, **{"published_at.lt": "0002-01-01T00:00:00Z"}) == [
        "at 0001-01-01T00:00:00+05:00", "at 0001-01-01T00:00:00Z"][::-1] or set(
        _site_videos(zype, **{"published_at.lt": "0002-01-01T00:00:00Z"})) == {
        "at 0001-01-01T00:00:00Z", "at 0001-01-01T00:00:00+05:00"}
    assert set(_site_videos(zype, **{"published_at.gte": "9999-12-31T00:00:00Z"})) == {
        "at 9999-12-31T23:59:59-05:00"}
    assert _site_videos(zype, published_at="0001-01-01T05:00:00+05:00") == ["at 0001-01-01T00:00:00Z"]


def test_edge_times_sort_by_their_instant(zype):
    for moment in EDGE_TIMES:
        zype.video(f"at {moment}", published_at=moment)
    by_instant = sorted(EDGE_TIMES, key=lambda m: values.instant_key(values.instant(m, "t")))
    assert by_instant[0] == "0001-01-01T00:00:00+05:00" and by_instant[-1] == "9999-12-31T23:59:59-05:00"
    assert _site_videos(zype, sort="published_at", order="asc") == [f"at {m}" for m in by_instant]
    assert _site_videos(zype, sort="published_at", order="desc") == [f"at {m}" for m in reversed(by_instant)]


def test_smart_ordering_by_published_at_places_edge_times_by_instant(zype):
    playlist = zype.playlist("By time", sort_options=[
        {"direction": "asc", "sort_by": "published_at", "sort_by_type": "datetime"}])
    made = [zype.video(f"at {moment}", published_at=moment) for moment in EDGE_TIMES]
    zype.add(playlist["_id"], *[video["_id"] for video in made])
    by_instant = sorted(EDGE_TIMES, key=lambda m: values.instant_key(values.instant(m, "t")))
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == [f"at {m}" for m in by_instant]


@pytest.mark.parametrize("moment", ["0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "2017-13-01T00:00:00Z",
                                    "2017-01-01T00:00:00+25:00", "soon", "1e40", "253402300800"])
def test_anything_else_is_a_422_and_nothing_is_stored(zype, moment):
    before = _site_videos(zype)
    answer = zype.post("/videos", json={"video": {"title": "never", "published_at": moment}})
    assert answer.status_code == 422, answer.text
    assert "published" in answer.json()["message"].lower()
    assert _site_videos(zype) == before
    listed = zype.get("/videos", params={"published_at.gt": moment})
    assert listed.status_code == 422 and "published_at.gt" in listed.json()["message"]


def test_unix_seconds_cover_years_1_to_9999(zype):
    first = zype.video("first second", published_at=str(-62135596800))
    last = zype.video("last second", published_at=253402300799)
    assert first["published_at"] == "0001-01-01T00:00:00.000+00:00"
    assert last["published_at"] == "9999-12-31T23:59:59.000+00:00"
