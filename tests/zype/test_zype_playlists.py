"""Playlist CRUD: every documented field, Zype's envelope, encodings and errors."""
from tests.zype.conftest import new_site
from tests.zype.helpers import png


def test_create_returns_201_with_every_field_and_defaults(zype):
    answer = zype.post("/playlists", json={"playlist": {
        "title": "Featured Videos Bundle", "description": "The best", "active": True, "priority": 3,
        "purchase_required": True, "purchase_price": "4.99", "rental_required": True, "rental_price": 5,
        "rental_duration": 3, "auto_update_consumer_videos": True}})
    assert answer.status_code == 201, answer.text
    playlist = answer.json()["response"]
    assert len(playlist["_id"]) == 24
    assert playlist["title"] == "Featured Videos Bundle"
    assert playlist["_keywords"] == ["bundle", "featured", "videos"]
    assert playlist["description"] == "The best"
    assert playlist["priority"] == 3
    assert playlist["purchase_required"] is True and playlist["purchase_price"] == "4.99"
    assert playlist["rental_required"] is True and playlist["rental_price"] == "5.0"
    assert playlist["rental_duration"] == 3
    assert playlist["auto_update_consumer_videos"] is True
    assert playlist["thumbnail_layout"] == "landscape"
    assert playlist["playlist_type"] == "manual" and playlist["match_type"] == "any"
    assert playlist["playlist_item_count"] == 0
    assert playlist["related_video_ids"] == [] and playlist["images"] == [] and playlist["thumbnails"] == []
    assert playlist["parent_id"] is None and playlist["deleted_at"] is None
    assert playlist["friendly_title"] == "featured-videos-bundle"
    assert playlist["created_at"].endswith("+00:00")


def test_retrieve_update_and_delete(zype):
    playlist = zype.playlist("Old title")
    answer = zype.get(f"/playlists/{playlist['_id']}")
    assert answer.status_code == 200
    assert answer.json()["response"]["title"] == "Old title"

    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {
        "title": "New title", "active": False, "thumbnail_layout": "poster", "purchase_price": 7.5}})
    assert answer.status_code == 200, answer.text
    updated = answer.json()["response"]
    assert (updated["title"], updated["active"], updated["thumbnail_layout"], updated["purchase_price"]) == \
        ("New title", False, "poster", "7.5")
    assert updated["updated_at"] > playlist["updated_at"]

    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"thumbnail_layout": ""}})
    assert answer.json()["response"]["thumbnail_layout"] == "landscape"

    answer = zype.delete(f"/playlists/{playlist['_id']}")
    assert answer.status_code == 204 and answer.text == ""
    answer = zype.get(f"/playlists/{playlist['_id']}")
    assert answer.status_code == 404
    assert answer.json() == {"message": "Playlist not found"}


def test_form_encoded_and_query_string_writes_are_read_like_json(zype):
    answer = zype.post("/playlists", data={"playlist[title]": "Form made", "playlist[active]": "false",
                                           "playlist[priority]": "7", "playlist[rental_duration]": "2"})
    assert answer.status_code == 201, answer.text
    playlist = answer.json()["response"]
    assert (playlist["title"], playlist["active"], playlist["priority"], playlist["rental_duration"]) == \
        ("Form made", False, 7, 2)

    # zype-gem sends write parameters in the query string of a PUT.
    answer = zype.put(f"/playlists/{playlist['_id']}", params={"playlist[title]": "Query made"})
    assert answer.json()["response"]["title"] == "Query made"

    # zype-python flattens the wrapper into bracketed JSON keys.
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist[description]": "Flat JSON"})
    assert answer.json()["response"]["description"] == "Flat JSON"


def test_multipart_body_with_fields_and_a_file(zype):
    answer = zype.post("/playlists", data={"playlist[title]": "With picture"},
                       files={"playlist[custom_thumbnail]": ("thumb.png", png(), "image/png")})
    assert answer.status_code == 201, answer.text
    assert [t["height"] for t in answer.json()["response"]["thumbnails"]] == [240, 480, 720, 1080]


def test_unknown_fields_are_ignored(zype):
    answer = zype.post("/playlists", json={"playlist": {"title": "Known", "colour_scheme": "teal",
                                                        "site_id": "someone-else"}, "extra": 1})
    assert answer.status_code == 201
    playlist = answer.json()["response"]
    assert "colour_scheme" not in playlist
    assert playlist["site_id"] != "someone-else"


def test_title_is_required_and_the_wrapper_too(zype):
    answer = zype.post("/playlists", json={"playlist": {"description": "no title"}})
    assert answer.status_code == 422
    assert answer.json() == {"message": "Could not save playlist: Title can't be blank"}
    answer = zype.post("/playlists", json={"title": "not wrapped"})
    assert answer.status_code == 400
    assert answer.json() == {"message": "param is missing or the value is empty: playlist"}


def test_invalid_field_values_are_422_naming_the_field(zype):
    playlist = zype.playlist("Strict")
    cases = [({"thumbnail_layout": "diagonal"}, "Thumbnail layout is invalid"),
             ({"purchase_price": "cheap"}, "purchase_price"),
             ({"rental_duration": "three"}, "rental_duration"),
             ({"active": "maybe"}, "active"),
             ({"priority": -1}, "Priority is invalid"),
             ({"playlist_type": "smart"}, "Playlist type is invalid"),
             ({"match_type": "some"}, "Match type is invalid")]
    for fields, expected in cases:
        answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": fields})
        assert answer.status_code == 422, (fields, answer.text)
        assert expected in answer.json()["message"], fields
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["thumbnail_layout"] == "landscape"


def test_playlists_of_another_site_are_not_found(zype, api, stack):
    playlist = zype.playlist("Mine")
    other = new_site(api, stack).zype
    assert other.get(f"/playlists/{playlist['_id']}").status_code == 404
    assert other.put(f"/playlists/{playlist['_id']}", json={"playlist": {"title": "x"}}).status_code == 404
    assert other.get("/playlists").json()["response"] == []


def test_trailing_slashes_are_accepted(zype):
    playlist = zype.playlist("Slashed")
    assert zype.get("/playlists/").status_code == 200
    assert zype.get(f"/playlists/{playlist['_id']}/videos/").status_code == 200
