"""Malformed dates, pages, sort keys, booleans and bodies are 4xx with a message."""
import pytest


@pytest.mark.parametrize("params, named", [
    ({"page": "two"}, "page"),
    ({"page": "-1"}, "page"),
    ({"per_page": "0"}, "per_page"),
    ({"per_page": "ten"}, "per_page"),
    ({"sort": "colour"}, "sort"),
    ({"active": "sometimes"}, "active"),
    ({"featured": "yes please"}, "featured"),
    ({"dpt": "2"}, "dpt"),
    ({"created_at.gte": "last tuesday"}, "created_at.gte"),
    ({"published_at": "2017-13-45"}, "published_at"),
    ({"updated_at.lt": "99999999999999999999"}, "updated_at.lt"),
])
def test_malformed_list_parameters_are_422_naming_them(zype, params, named):
    playlist = zype.playlist("Target")
    for path in (f"/playlists/{playlist['_id']}/videos", "/videos"):
        answer = zype.get(path, params=params)
        assert answer.status_code == 422, (path, params, answer.text)
        assert named in answer.json()["message"]


@pytest.mark.parametrize("params", [{"page": "x"}, {"sort": "nope"}, {"active": "nah"},
                                    {"created_at.gt": "soon"}])
def test_malformed_parameters_on_playlist_and_category_lists(zype, params):
    assert zype.get("/playlists", params=params).status_code == 422
    if "created_at.gt" not in params and "active" not in params:
        assert zype.get("/categories", params=params).status_code == 422


def test_unparseable_json_is_400(zype):
    answer = zype.post("/playlists", data="{not json", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("The body is not valid JSON")


def test_malformed_ids_and_unknown_records_are_404(zype):
    for path in ("/playlists/xyz", "/videos/0123456789abcdef01234567", "/categories/%20"):
        answer = zype.get(path)
        assert answer.status_code == 404, path
        assert set(answer.json()) == {"message"}


def test_unknown_query_parameters_are_ignored(zype):
    playlist = zype.playlist("Lenient")
    answer = zype.get(f"/playlists/{playlist['_id']}/videos", params={"status": "", "colour": "teal",
                                                                      "response_fields": "title"})
    assert answer.status_code == 200
