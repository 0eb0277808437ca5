"""images_attributes (index-based, `_destroy`) and the custom thumbnail."""
import io

import requests
from PIL import Image

from tests.zype.helpers import png


def _gone(url: str) -> bool:
    # S3 answers a missing key with 403 when the signer may not list the bucket.
    return _fetch(url).status_code in (403, 404)


def _fetch(url: str) -> requests.Response:
    """Follow the public picture route to the stored file."""
    redirect = requests.get(url, allow_redirects=False, timeout=30)
    assert redirect.status_code == 302, redirect.text
    return requests.get(redirect.headers["Location"], timeout=30)


def test_images_are_added_updated_by_index_and_destroyed(zype):
    playlist = zype.playlist("Pictured")
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"images_attributes": [
        {"title": "Boxed Set", "caption": "My caption", "layout": "poster",
         "attachment": "https://cdn.example.com/box.png"},
        {"title": "Second"},
        {"title": "Third", "layout": "square"}]}})
    assert answer.status_code == 200, answer.text
    images = answer.json()["response"]["images"]
    assert [(i["title"], i["layout"]) for i in images] == [("Boxed Set", "poster"), ("Second", "landscape"),
                                                           ("Third", "square")]
    assert images[0]["url"] == "https://cdn.example.com/box.png" and images[0]["caption"] == "My caption"
    assert all(len(i["_id"]) == 24 and i["updated_at"] for i in images)

    # Form encoding by index: update #2, destroy #0 (positions are those before the request).
    answer = zype.put(f"/playlists/{playlist['_id']}", data={
        "playlist[images_attributes][2][caption]": "Third caption",
        "playlist[images_attributes][0][_destroy]": "true"})
    after = answer.json()["response"]["images"]
    assert [(i["_id"], i["title"], i["caption"]) for i in after] == [
        (images[1]["_id"], "Second", None), (images[2]["_id"], "Third", "Third caption")]

    # By id, and `_destroy` as "1".
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"images_attributes": {
        "0": {"id": images[2]["_id"], "_destroy": "1"}}}})
    assert [i["title"] for i in answer.json()["response"]["images"]] == ["Second"]


def test_an_uploaded_image_attachment_is_served(zype):
    playlist = zype.playlist("Uploaded picture")
    answer = zype.put(f"/playlists/{playlist['_id']}", data={"playlist[images_attributes][0][title]": "Still"},
                      files={"playlist[images_attributes][0][attachment]": ("still.png", png(30, 20), "image/png")})
    assert answer.status_code == 200, answer.text
    image = answer.json()["response"]["images"][0]
    stored = _fetch(image["url"])
    assert stored.status_code == 200
    assert Image.open(io.BytesIO(stored.content)).size == (30, 20)


def test_invalid_image_layout_is_422(zype):
    playlist = zype.playlist("Strict pictures")
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"images_attributes": [
        {"title": "Wide", "layout": "panorama"}]}})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("Could not save playlist: Images is invalid")


def test_custom_thumbnail_upload_and_delete(zype):
    playlist = zype.playlist("Thumbnailed")
    answer = zype.put(f"/playlists/{playlist['_id']}", data={"playlist[title]": "Thumbnailed"},
                      files={"playlist[custom_thumbnail]": ("thumb.png", png(320, 320), "image/png")})
    assert answer.status_code == 200, answer.text
    thumbnails = answer.json()["response"]["thumbnails"]
    assert [(t["height"], t["width"], t["aspect_ratio"]) for t in thumbnails] == [
        (240, 426, 1.78), (480, 854, 1.78), (720, 1280, 1.78), (1080, 1920, 1.78)]
    stored = _fetch(thumbnails[1]["url"])
    assert Image.open(io.BytesIO(stored.content)).size == (854, 480)

    # Replacing it retires the old files.
    answer = zype.put(f"/playlists/{playlist['_id']}", data={"playlist[title]": "Thumbnailed"},
                      files={"playlist[custom_thumbnail]": ("new.png", png(100, 50), "image/png")})
    replaced = answer.json()["response"]["thumbnails"]
    assert replaced[0]["url"] != thumbnails[0]["url"]
    assert _gone(thumbnails[0]["url"])

    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"delete_custom_thumbnail": "1"}})
    assert answer.status_code == 200
    assert answer.json()["response"]["thumbnails"] == []
    assert _gone(replaced[0]["url"])


def test_a_custom_thumbnail_must_be_an_image_file(zype):
    playlist = zype.playlist("Picky")
    answer = zype.put(f"/playlists/{playlist['_id']}", data={"playlist[title]": "Picky"},
                      files={"playlist[custom_thumbnail]": ("notes.txt", b"not a picture", "text/plain")})
    assert answer.status_code == 422
    assert "Custom thumbnail is invalid" in answer.json()["message"]
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {"custom_thumbnail": "thumb.png"}})
    assert answer.status_code == 422


def test_deleting_a_playlist_deletes_its_pictures(zype):
    answer = zype.post("/playlists", data={"playlist[title]": "Short-lived"},
                       files={"playlist[custom_thumbnail]": ("thumb.png", png(), "image/png")})
    playlist = answer.json()["response"]
    assert _fetch(playlist["thumbnails"][0]["url"]).status_code == 200
    zype.delete(f"/playlists/{playlist['_id']}")
    assert _gone(playlist["thumbnails"][0]["url"])


def test_unknown_picture_paths_are_404(stack):
    answer = requests.get(f"{stack.api_url}/zype/images/not-an-id/240.png", timeout=30)
    assert answer.status_code == 404
    assert answer.json() == {"message": "Image not found"}
