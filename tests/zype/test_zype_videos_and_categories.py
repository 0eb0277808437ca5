"""/videos (with promotion from a movie preview) and /categories."""
import uuid

import pytest


def test_video_crud_with_zype_fields(zype):
    genre = zype.category("Genre", ["comedy"])
    answer = zype.post("/videos", json={"video": {
        "title": "Launch Day", "description": "Rockets", "active": True, "featured": True, "on_air": True,
        "mature_content": False, "published_at": 1483228800, "keywords": ["space", "launch"],
        "source_id": "shot-010", "duration": 90, "episode": 3,
        "categories": [{"title": "Genre", "value": ["comedy"]}]}})
    assert answer.status_code == 201, answer.text
    video = answer.json()["response"]
    assert video["published_at"] == "2017-01-01T00:00:00.000+00:00"
    assert video["friendly_title"] == "launch-day"
    assert video["keywords"] == ["space", "launch"] and video["duration"] == 90 and video["type"] == "zype"
    assert video["categories"][0]["category_id"] == genre["_id"]
    assert (video["featured"], video["on_air"], video["status"]) == (True, True, "created")

    answer = zype.put(f"/videos/{video['_id']}", data={"video[title]": "Launch Night", "video[featured]": "false"})
    assert answer.status_code == 200
    assert (answer.json()["response"]["title"], answer.json()["response"]["featured"]) == ("Launch Night", False)
    assert zype.get(f"/videos/{video['_id']}").json()["response"]["title"] == "Launch Night"
    assert zype.delete(f"/videos/{video['_id']}").status_code == 204
    assert zype.get(f"/videos/{video['_id']}").status_code == 404


def test_video_list_filters_and_default_newest_first(zype):
    zype.video("Old")
    zype.video("Hidden", active=False)
    zype.video("New", featured=True)
    assert zype.titles("/videos") == ["New", "Old"]
    assert zype.titles("/videos", featured="true") == ["New"]
    assert zype.titles("/videos", active="all", sort="title") == ["Hidden", "New", "Old"]


def test_a_video_promoted_from_a_ready_movie_preview(zype, stack, review_previews):
    preview = review_previews["movie"]
    answer = zype.post("/videos", json={"video": {"title": "From review", "preview_file_id": preview["id"]}})
    assert answer.status_code == 201, answer.text
    video = answer.json()["response"]
    assert video["preview_file_id"] == preview["id"]
    assert preview["duration"] == pytest.approx(2, abs=0.05) and video["duration"] == 2
    assert [t["height"] for t in video["thumbnails"]] == [240, 480, 720, 1080]
    assert video["thumbnails"][0]["url"] == \
        f"{stack.api_url}/api/pictures/thumbnails/preview-files/{preview['id']}.png"


def test_only_a_ready_movie_preview_can_be_published(zype, review_previews):
    for preview_file_id in (review_previews["processing"]["id"], review_previews["picture"]["id"],
                            str(uuid.uuid4()), "not-a-uuid"):
        answer = zype.post("/videos", json={"video": {"title": "Refused", "preview_file_id": preview_file_id}})
        assert answer.status_code == 422, preview_file_id
        assert answer.json()["message"].startswith("Could not save video: Preview file id is invalid")


def test_video_validation(zype):
    assert zype.post("/videos", json={"video": {"description": "untitled"}}).json() == \
        {"message": "Could not save video: Title can't be blank"}
    answer = zype.post("/videos", json={"video": {"title": "Bad date", "published_at": "yesterday"}})
    assert answer.status_code == 422 and "Published at is invalid" in answer.json()["message"]
    answer = zype.post("/videos", json={"video": {"title": "Bad category", "categories": [
        {"category_id": "0123456789abcdef01234567", "value": ["x"]}]}})
    assert answer.json() == {"message": "Could not save video: Categories is invalid"}
    assert zype.post("/videos", json={"video": {"title": "Bad type", "type": "betamax"}}).status_code == 422


def test_category_crud_and_list(zype):
    answer = zype.post("/categories", json={"category": {"title": "Color", "values": ["blue", "red"]}})
    assert answer.status_code == 201
    color = answer.json()["response"]
    assert color["values"] == ["blue", "red"] and color["friendly_title"] == "color"
    zype.post("/categories", data=[("category[title]", "Genre"), ("category[values][]", "comedy"),
                                   ("category[values][]", "drama")])
    answer = zype.put(f"/categories/{color['_id']}", json={"category": {"values": ["blue", "green"]}})
    assert answer.json()["response"]["values"] == ["blue", "green"]
    assert zype.titles("/categories", sort="title") == ["Color", "Genre"]
    assert zype.titles("/categories", q="gen") == ["Genre"]
    listing = zype.get("/categories", params={"per_page": 1}).json()
    assert listing["pagination"]["pages"] == 2
    assert zype.delete(f"/categories/{color['_id']}").status_code == 204
    assert zype.titles("/categories") == ["Genre"]
    assert zype.post("/categories", json={"category": {"values": ["x"]}}).status_code == 422
