"""Every preview route: Zou's revision and position rules, uploads and their bad inputs,
downloads while processing / broken / ready, the actions, the running list, deletion."""
import io
import json

import pytest
import requests
from PIL import Image
from preview_helpers import (
    PROJECT_HEIGHT,
    PROJECT_WIDTH,
    Previews,
    eventually,
    s3_bytes,
)

from chalicelib import aws, storage
from chalicelib.models import records


def _comment(api, task, status, role="manager") -> dict:
    answer = api[role].post(f"/actions/tasks/{task['id']}/comment", json={"task_status_id": status["id"]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _add_preview(api, task, comment, body=None, role="manager"):
    return api[role].post(f"/actions/tasks/{task['id']}/comments/{comment['id']}/add-preview", json=body or {})


# --- revisions and positions (zou.md §6.2) ---------------------------------------------------------

def test_revisions_and_positions_follow_zou(api, fresh_task, studio):
    status = studio["status"]
    first_comment, second_comment = _comment(api, fresh_task, status), _comment(api, fresh_task, status)
    first = _add_preview(api, fresh_task, first_comment).json()
    assert (first["revision"], first["position"], first["status"], first["extension"]) == (1, 1, "processing", "mp4")
    assert first["comments"] == [first_comment["id"]] and first["task_type_id"] == studio["task_type"]["id"]
    assert first["entity_id"] == fresh_task["entity_id"] and first["name"] == first["id"][:13]
    second = _add_preview(api, fresh_task, second_comment).json()
    assert (second["revision"], second["position"]) == (2, 1)  # a comment's first preview: last + 1
    same_comment = _add_preview(api, fresh_task, first_comment).json()
    assert (same_comment["revision"], same_comment["position"]) == (1, 2)  # the comment's revision
    extra = api["manager"].post(f"/actions/tasks/{fresh_task['id']}/comments/{second_comment['id']}"
                                f"/preview-files/{second['id']}", json={})
    assert extra.status_code == 201 and (extra.json()["revision"], extra.json()["position"]) == (2, 2)
    # A given revision that another comment already opened is refused on a comment without previews.
    taken = _add_preview(api, fresh_task, _comment(api, fresh_task, status), {"revision": 1})
    assert taken.status_code == 400 and "already exists" in taken.json()["message"]
    explicit = _add_preview(api, fresh_task, _comment(api, fresh_task, status), {"revision": 7}).json()
    assert (explicit["revision"], explicit["position"]) == (7, 1)
    comment = records.get(first_comment["id"])
    assert comment["preview_files"] == [first["id"], same_comment["id"]]
    listed = api["manager"].get("/data/preview-files", params={"task_id": fresh_task["id"]}).json()
    assert sorted((p["revision"], p["position"]) for p in listed) == [(1, 1), (1, 2), (2, 1), (2, 2), (7, 1)]


def test_concurrent_add_previews_get_distinct_revisions(api, fresh_task, studio):
    from concurrent.futures import ThreadPoolExecutor

    comments = [_comment(api, fresh_task, studio["status"]) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        made = list(pool.map(lambda comment: _add_preview(api, fresh_task, comment).json(), comments))
    assert sorted(p["revision"] for p in made) == [1, 2, 3, 4, 5, 6]


def test_add_preview_bad_input(api, fresh_task, studio, demo):
    comment = _comment(api, fresh_task, studio["status"])
    assert _add_preview(api, fresh_task, comment, {"revision": -1}).status_code == 400
    assert _add_preview(api, fresh_task, comment, {"revision": "two"}).status_code == 400
    other_task = demo["tasks"][0]
    assert _add_preview(api, other_task, comment).status_code in (403, 404)
    assert api["manager"].post(f"/actions/tasks/{fresh_task['id']}/comments/not-a-uuid/add-preview",
                               json={}).status_code == 400


def test_update_position_returns_the_revision_in_its_new_order(api, fresh_task, studio):
    comment = _comment(api, fresh_task, studio["status"])
    made = [_add_preview(api, fresh_task, comment).json() for _ in range(3)]
    answer = api["user"].put(f"/actions/preview-files/{made[2]['id']}/update-position", json={"position": 1})
    assert answer.status_code == 200, answer.text
    assert [(p["id"], p["position"]) for p in answer.json()] == [
        (made[2]["id"], 1), (made[0]["id"], 2), (made[1]["id"], 3)]
    unchanged = api["user"].put(f"/actions/preview-files/{made[2]['id']}/update-position", json={"position": 9})
    assert [p["id"] for p in unchanged.json()] == [made[2]["id"], made[0]["id"], made[1]["id"]]
    assert api["user"].put(f"/actions/preview-files/{made[2]['id']}/update-position",
                           json={"position": "first"}).status_code == 400


def test_update_annotations_in_zou_format(api, previews):
    preview = previews.new()
    path = f"/actions/preview-files/{preview['id']}/update-annotations"
    drawing = {"objects": [{"id": "a", "type": "path"}, {"id": "b", "type": "rect"}]}
    added = api["supervisor"].put(path, json={"additions": [{"time": 1.5, "frame": 37, "drawing": drawing}]})
    assert added.status_code == 200, added.text
    assert added.json()["annotations"] == [{"time": 1.5, "frame": 37, "drawing": drawing}]
    api["client"].put(path, json={"additions": [{"time": 1.5, "drawing": {"objects": [{"id": "c"}]}},
                                                {"time": 0.5, "drawing": {"objects": [{"id": "d"}]}}]})
    updated = api["manager"].put(path, json={
        "updates": [{"time": 1.5, "drawing": {"objects": [{"id": "a", "type": "path", "color": "red"}]}}],
        "deletions": [{"time": 1.5, "objects": ["b"]}, {"time": 0.5, "objects": ["d"]}]}).json()
    assert updated["annotations"] == [{"time": 1.5, "frame": 37, "drawing": {"objects": [
        {"id": "a", "type": "path", "color": "red"}, {"id": "c"}]}}]
    assert api["manager"].put(path, json={"additions": [{"time": 1}]}).status_code == 400
    assert api["manager"].put(path, json={"deletions": "all"}).status_code == 400


# --- CRUD --------------------------------------------------------------------------------------------

def test_crud_reads_and_edits_with_zou_rules(api, fresh_task, studio):
    comment = _comment(api, fresh_task, studio["status"])
    first, sibling = _add_preview(api, fresh_task, comment).json(), _add_preview(api, fresh_task, comment).json()
    path = f"/data/preview-files/{first['id']}"
    got = api["user"].get(path).json()
    assert got["id"] == first["id"] and "pipeline" not in got and got["annotations"] == []
    # gazu PUTs back whole dicts: read-only fields are ignored, editable ones applied.
    edited = api["manager"].put(path, json={**got, "description": "v2 notes", "validation_status": "validated",
                                            "status": "ready", "width": 1})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["description"], edited.json()["validation_status"]) == ("v2 notes", "validated")
    assert (edited.json()["status"], edited.json()["width"]) == ("processing", 0)
    assert api["manager"].put(path, json={"validation_status": "maybe"}).status_code == 400
    assert api["user"].put(path, json={"description": "x"}).status_code == 403
    # A new revision on the first-position preview takes its siblings along.
    moved = api["manager"].put(path, json={"revision": 5})
    assert moved.status_code == 200 and moved.json()["revision"] == 5
    assert api["manager"].get(f"/data/preview-files/{sibling['id']}").json()["revision"] == 5
    other = _add_preview(api, fresh_task, _comment(api, fresh_task, studio["status"])).json()  # revision 6
    assert api["manager"].put(f"/data/preview-files/{other['id']}", json={"revision": 5}).status_code == 400
    paged = api["manager"].get("/data/preview-files", params={"task_id": fresh_task["id"], "page": 1, "limit": 2})
    assert paged.json()["total"] == 3 and len(paged.json()["data"]) == 2
    assert api["manager"].get("/data/preview-files", params={"colour": "red"}).status_code == 400


def test_deleting_unlinks_the_preview_everywhere(api, fresh_task, studio, previews, clips):
    previews_of_task = Previews(api, {**studio, "task": fresh_task})
    older = previews_of_task.ready(clips["picture"])
    newer = previews_of_task.ready(clips["picture"])
    assert eventually(lambda: records.get(fresh_task["id"])["last_preview_file_id"], newer["id"]) == newer["id"]
    api["manager"].put(f"/actions/preview-files/{newer['id']}/set-main-preview", json={})
    assert api["user"].delete(f"/data/preview-files/{newer['id']}").status_code == 403
    assert api["manager"].delete(f"/data/preview-files/{newer['id']}").status_code == 204
    assert records.get(fresh_task["id"])["last_preview_file_id"] == older["id"]
    assert records.get(fresh_task["entity_id"])["preview_file_id"] is None
    assert newer["id"] not in records.get(newer["comments"][0])["preview_files"]
    assert api["manager"].delete(f"/data/preview-files/{newer['id']}").status_code == 404


# --- uploading through the API (gazu) ------------------------------------------------------------------

def test_api_upload_answers_at_once_without_a_message(previews, clips):
    preview = previews.new(role="user")
    answer = previews.api_upload(preview, clips["4x3"], role="user")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    # gazu raises UploadFailedException on any top-level string message or error.
    assert not isinstance(body.get("message"), str) and not isinstance(body.get("error"), str)
    assert body["status"] == "processing" and body["extension"] == "mp4" and "comments" not in body
    assert previews.wait(preview)["status"] == "ready"


def test_api_upload_bad_input(api, previews, clips, tmp_path):
    preview = previews.new()
    path = f"/pictures/preview-files/{preview['id']}"
    assert api["manager"].post(path, files={"other": ("a.mp4", b"x")}).json()["message"] == "File not provided."
    too_big = api["manager"].post(path, files={"file": ("big.mp4", b"\0" * 5_200_000)})
    assert too_big.status_code == 413 and "upload-url" in too_big.json()["message"]
    empty = previews.new()
    assert api["manager"].post(f"/pictures/preview-files/{empty['id']}",
                               files={"file": ("empty.mp4", b"")}).status_code == 400
    assert api["manager"].get(f"/data/preview-files/{empty['id']}").status_code == 404
    # An unknown extension deletes the preview made for it, as Zou does.
    wrong = api["manager"].post(path, files={"file": ("virus.exe", b"MZ")})
    assert wrong.status_code == 400 and wrong.json()["message"] == "Wrong file format, extension: exe"
    assert api["manager"].get(path.replace("/pictures/", "/data/")).status_code == 404
    uploaded = previews.new()
    assert previews.api_upload(uploaded, clips["picture"]).status_code == 201
    again = previews.api_upload(uploaded, clips["picture"])
    assert again.status_code == 400 and "re-upload" in again.json()["message"]
    assert api["manager"].post(f"/pictures/preview-files/{uploaded['id']}/upload-url",
                               json={"filename": "x.mp4"}).status_code == 400
    assert api["manager"].post("/pictures/preview-files/not-a-uuid", files={"file": ("a.png", b"x")}).status_code == 400
    assert api["manager"].post(path.replace(preview["id"], "00000000-0000-4000-8000-000000000000"),
                               files={"file": ("a.png", b"x")}).status_code == 404


def test_presigned_upload_bad_input(api, previews):
    preview = previews.new()
    path = f"/pictures/preview-files/{preview['id']}/upload-url"
    assert api["manager"].post(path, json={}).status_code == 400
    assert api["manager"].post(path, json={"filename": "a.mp4", "size": -3}).status_code == 400
    assert api["manager"].post(path, data="[1]", headers={"Content-Type": "application/json"}).status_code == 400
    first = api["manager"].post(path, json={"filename": "a.mov", "size": 1000})
    assert first.status_code == 201 and first.json()["method"] == "PUT"
    # Nothing arrived yet: the client may ask again (a failed PUT is retried with a new URL).
    assert api["manager"].post(path, json={"filename": "b.mp4"}).status_code == 201
    not_put = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-complete", json={"upload_id": "x"})
    assert (not_put.status_code, not_put.json()["message"]) == (
        400, "Nothing has been uploaded yet: PUT the content to the presigned URL first")


PUT_ANSWER = {"method", "url", "headers", "expires_in", "file_name", "content_type", "size", "complete_path"}
MULTIPART_ANSWER = {"method", "upload_id", "part_size", "parts", "expires_in", "file_name", "content_type", "size",
                    "complete_path"}


def test_presigned_put_then_complete_answers_the_preview(api, previews, clips):
    preview = previews.new()
    content = clips["pdf"].read_bytes()
    offer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                json={"filename": "notes.pdf", "size": len(content)}).json()
    # The upload protocol's answer, as for working and output files, with the preview file beside it.
    assert set(offer) == PUT_ANSWER | {"preview_file"}
    assert (offer["file_name"], offer["content_type"], offer["size"]) == ("notes.pdf", "application/pdf", len(content))
    assert offer["complete_path"] == f"pictures/preview-files/{preview['id']}/upload-complete"
    assert requests.put(offer["url"], data=content, headers=offer["headers"], timeout=30).status_code == 200
    done = api["manager"].post(f"/{offer['complete_path']}", json={})
    assert done.status_code == 200, done.text
    completed = done.json()
    assert (completed["id"], completed["extension"], completed["original_name"]) == (preview["id"], "pdf", "notes")
    again = api["manager"].post(f"/{offer['complete_path']}", json={})
    assert again.status_code == 400 and "No upload is in progress" in again.json()["message"]
    assert previews.wait(preview)["status"] == "ready"


def test_asking_again_gives_up_the_earlier_multipart_upload(api, previews):
    preview = previews.new()
    path = f"/pictures/preview-files/{preview['id']}/upload-url"
    first = api["manager"].post(path, json={"filename": "a.mov", "multipart": True}).json()
    second = api["manager"].post(path, json={"filename": "b.mov", "multipart": True}).json()
    assert set(second) == MULTIPART_ANSWER | {"preview_file"} and second["upload_id"] != first["upload_id"]
    prefix = f"{storage.UPLOAD_PREFIX}{preview['id']}/"  # each upload has a key of its own below
    started = aws.client("s3").list_multipart_uploads(Bucket=storage.bucket(), Prefix=prefix).get("Uploads", [])
    assert [upload["UploadId"] for upload in started] == [second["upload_id"]]
    stale = api["manager"].post(f"/{second['complete_path']}", json={"upload_id": first["upload_id"], "parts": [
        {"part_number": 1, "etag": "x"}]})
    assert stale.status_code == 400 and "upload_id does not name" in stale.json()["message"]


# --- downloads -------------------------------------------------------------------------------------------

def test_downloads_wait_while_processing(api, previews):
    preview = previews.new()
    for path in (f"/movies/originals/preview-files/{preview['id']}.mp4",
                 f"/pictures/thumbnails/preview-files/{preview['id']}.png",
                 f"/movies/tiles/preview-files/{preview['id']}.png"):
        answer = api["manager"].get(path)
        assert answer.status_code == 202 and answer.headers["Retry-After"].isdigit(), path


def test_every_download_route_of_a_ready_movie(api, ready_movie, api_url):
    pid = ready_movie["id"]
    expected = {
        f"/movies/originals/preview-files/{pid}.mp4": ("movie.mp4", "video/mp4"),
        f"/movies/low/preview-files/{pid}.mp4": ("low.mp4", "video/mp4"),
        f"/movies/tiles/preview-files/{pid}.png": ("tile.png", "image/png"),
        f"/pictures/thumbnails/preview-files/{pid}.png": ("thumbnail.png", "image/png"),
        f"/pictures/thumbnails-square/preview-files/{pid}.png": ("thumbnail-square.png", "image/png"),
        f"/pictures/previews/preview-files/{pid}.png": ("preview.png", "image/png"),
        f"/pictures/originals/preview-files/{pid}.png": ("original.png", "image/png"),
        f"/movies/originals/preview-files/{pid}/download": ("movie.mp4", "video/mp4"),
    }
    for path, (name, content_type) in expected.items():
        answer = api["client"].get(path)
        assert answer.status_code == 302, (path, answer.text)
        assert f"/{pid}/{name}" in answer.headers["Location"]
        assert not answer.headers["Location"].startswith(api_url)  # S3's own host: no bearer header sent on
        fetched = requests.get(answer.headers["Location"], timeout=10)
        assert fetched.status_code == 200 and fetched.headers["Content-Type"] == content_type
        assert "Content-Encoding" not in fetched.headers
    attachment = requests.get(api["client"].get(f"/movies/originals/preview-files/{pid}/download")
                              .headers["Location"], timeout=10)
    assert attachment.headers["Content-Disposition"].startswith('attachment; filename="previews_')
    assert "_animation_v" in attachment.headers["Content-Disposition"]


def test_root_aliases_serve_pictures_and_movies(stack, tokens, ready_movie):
    headers = {"Authorization": f"Bearer {tokens['manager']}"}
    answer = requests.get(f"{stack.api_url}/pictures/thumbnails/preview-files/{ready_movie['id']}.png",
                          headers=headers, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert requests.get(f"{stack.api_url}/movies/low/preview-files/{ready_movie['id']}.mp4",
                        headers=headers, allow_redirects=False, timeout=10).status_code == 302


def test_download_bad_input(api, ready_movie):
    assert api["manager"].get(f"/pictures/thumbnails/preview-files/{ready_movie['id']}").status_code == 400
    assert api["manager"].get("/pictures/thumbnails/preview-files/nope.png").status_code == 400
    missing = "00000000-0000-4000-8000-000000000000"
    assert api["manager"].get(f"/movies/originals/preview-files/{missing}.mp4").status_code == 404
    assert api["anonymous"].get(f"/movies/originals/preview-files/{ready_movie['id']}.mp4").status_code == 401


# --- actions -------------------------------------------------------------------------------------------

def test_extract_frame_and_tile(api, ready_movie):
    frame = api["manager"].get(f"/actions/preview-files/{ready_movie['id']}/extract-frame",
                               params={"frame_number": 12})
    assert frame.status_code == 302, frame.text
    with Image.open(io.BytesIO(requests.get(frame.headers["Location"], timeout=10).content)) as picture:
        assert picture.size == (PROJECT_WIDTH, PROJECT_HEIGHT)
    assert api["manager"].get(f"/actions/preview-files/{ready_movie['id']}/extract-frame",
                              params={"frame_number": "x"}).status_code == 400
    tile = api["user"].get(f"/actions/preview-files/{ready_movie['id']}/extract-tile")
    assert tile.status_code == 302 and "/tile.png" in tile.headers["Location"]


def test_extract_tile_remakes_a_missing_tile(api, previews, clips):
    movie = previews.ready(clips["wide"])
    storage.delete_keys([storage.preview_key(movie["id"], "tile")])
    records.update(movie["id"], lambda body: {"pipeline": {
        **body["pipeline"], "variants": [v for v in body["pipeline"]["variants"] if v != "tile"]}})
    assert api["manager"].get(f"/movies/tiles/preview-files/{movie['id']}.png").status_code == 404
    tile = api["manager"].get(f"/actions/preview-files/{movie['id']}/extract-tile")
    assert tile.status_code == 302
    with Image.open(io.BytesIO(requests.get(tile.headers["Location"], timeout=10).content)) as picture:
        assert picture.size == (8 * 178, 300)  # 24 frames: 3 rows
    picture_preview = previews.new()
    previews.api_upload(picture_preview, clips["picture"])
    previews.wait(picture_preview)
    assert api["manager"].get(f"/actions/preview-files/{picture_preview['id']}/extract-tile").status_code == 400


def test_set_main_preview_with_a_frame(api, previews, clips, studio):
    movie = previews.ready(clips["4x3"])
    before = s3_bytes(storage.preview_key(movie["id"], "original"))
    answer = api["manager"].put(f"/actions/preview-files/{movie['id']}/set-main-preview", json={"frame_number": 20})
    assert answer.status_code == 200, answer.text
    entity = answer.json()
    assert entity["id"] == movie["entity_id"] and entity["preview_file_id"] == movie["id"]
    assert s3_bytes(storage.preview_key(movie["id"], "original")) != before  # re-extracted from frame 20
    assert records.get(movie["id"])["data"]["thumbnail_frame"] == 20
    assert api["manager"].get(f"/data/shots/{movie['entity_id']}").json()["preview_file_id"] == movie["id"]
    picture = previews.ready(clips["picture"])
    assert api["manager"].put(f"/actions/preview-files/{picture['id']}/set-main-preview",
                              json={"frame_number": 2}).status_code == 400
    assert api["manager"].put(f"/actions/preview-files/{picture['id']}/set-main-preview",
                              json={}).json()["preview_file_id"] == picture["id"]


def test_running_previews_page_with_a_cursor(api, previews, clips):
    made = [previews.new() for _ in range(3)]
    first_page = api["admin"].get("/data/playlists/preview-files/running", params={"limit": 2})
    assert first_page.status_code == 200
    ids = [p["id"] for p in first_page.json()]
    assert ids == [made[2]["id"], made[1]["id"]]  # newest first
    assert first_page.json()[0]["full_entity_name"] == "SQ01 / SH010"
    assert first_page.json()[0]["project_id"] and first_page.json()[0]["task_type_id"]
    second_page = api["admin"].get("/data/playlists/preview-files/running",
                                   params={"limit": 2, "cursor_preview_file_id": ids[-1]}).json()
    assert second_page[0]["id"] == made[0]["id"]
    assert api["admin"].get("/data/playlists/preview-files/running",
                            params={"cursor_preview_file_id": "nope"}).status_code == 400
    assert api["admin"].get("/data/playlists/preview-files/running", params={"limit": 0}).status_code == 400
    done = previews.ready(clips["picture"])
    assert eventually(lambda: done["id"] in {p["id"] for p in api["admin"].get(
        "/data/playlists/preview-files/running", params={"limit": 50}).json()}, False) is False


# --- batch comments -----------------------------------------------------------------------------------

def test_batch_comment_json_for_several_tasks(api, studio, demo):
    comments = [{"task_id": task["id"], "task_status_id": studio["status"]["id"], "text": f"note {n}"}
                for n, task in enumerate(studio["tasks"])]
    answer = api["manager"].post("/actions/tasks/batch-comment", json={"comments": comments})
    assert answer.status_code == 201, answer.text
    assert [(c["object_id"], c["text"], c["preview_files"]) for c in answer.json()] == [
        (task["id"], f"note {n}", []) for n, task in enumerate(studio["tasks"])]
    assert api["manager"].post("/actions/tasks/batch-comment", json={"comments": [
        {"task_status_id": studio["status"]["id"]}]}).status_code == 400
    assert api["manager"].post("/actions/tasks/batch-comment", json={"comments": []}).status_code == 400
    assert api["vendor"].post(f"/actions/tasks/{studio['task']['id']}/batch-comment", json={"comments": [
        {"task_status_id": studio["status"]["id"], "text": "x"}]}).status_code == 403


def test_batch_comment_multipart_with_previews_and_attachments(api, fresh_task, studio, clips, previews):
    comments = [{"text": "one", "task_status_id": studio["status"]["id"], "preview_files": ["/local/a.png"]},
                {"text": "two", "task_status_id": studio["status"]["id"]}]
    files = {"comments": (None, json.dumps(comments), "application/json"),
             "preview_file-0-0": ("board.jpg", clips["picture"].read_bytes()),
             "preview_file-0-1": ("notes.pdf", clips["pdf"].read_bytes()),
             "attachment_file-1-0": ("ref.png", _png((40, 20)))}
    answer = api["user"].post(f"/actions/tasks/{fresh_task['id']}/batch-comment", files=files)
    assert answer.status_code == 201, answer.text
    one, two = answer.json()
    assert [(p["revision"], p["position"], p["extension"]) for p in one["preview_files"]] == [
        (1, 1, "png"), (1, 2, "pdf")]
    assert two["preview_files"] == [] and len(two["attachment_files"]) == 1
    assert previews.wait(one["preview_files"][0])["status"] == "ready"
    attachment_id = two["attachment_files"][0]
    thumbnail = api["user"].get(f"/pictures/thumbnails/attachment-files/{attachment_id}.png")
    assert thumbnail.status_code == 302
    with Image.open(io.BytesIO(requests.get(thumbnail.headers["Location"], timeout=10).content)) as picture:
        assert picture.size == (150, 100)
    attachment = api["user"].get(f"/data/attachment-files/{attachment_id}").json()
    assert (attachment["name"], attachment["size"]) == ("ref.png", len(_png((40, 20))))
    content = api["user"].get(f"/data/attachment-files/{attachment_id}/file/ref.png")
    assert requests.get(content.headers["Location"], timeout=10).content == _png((40, 20))
    assert api["vendor"].get(f"/data/attachment-files/{attachment_id}").status_code == 403


def _png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


# --- avatars and backgrounds --------------------------------------------------------------------------

@pytest.mark.parametrize("kind,owner,uploader,stranger", [
    ("persons", "user", "user", "client"), ("projects", None, "manager", "user"),
    ("organisations", "organisation", "admin", "manager")])
def test_avatars(api, demo, studio, kind, owner, uploader, stranger):
    if kind == "persons":
        record_id = demo["people"]["user"]["id"]
    elif kind == "projects":
        record_id = studio["project"]["id"]
    else:
        record_id = records.query_kind("Organisation")[0]["id"]
    path = f"/pictures/thumbnails/{kind}/{record_id}"
    assert api[stranger].post(path, files={"file": ("me.png", _png((800, 400)))}).status_code == 403
    uploaded = api[uploader].post(path, files={"file": ("me.png", _png((800, 400)))})
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json() == {"thumbnail_path": f"pictures/thumbnails/{kind}/{record_id}.png"}
    assert records.get(record_id)["has_avatar"] is True
    got = api[uploader].get(f"{path}.png")
    assert got.status_code == 302
    with Image.open(io.BytesIO(requests.get(got.headers["Location"], timeout=10).content)) as picture:
        assert picture.size == (400, 400)
    assert api[uploader].post(path, files={"file": ("me.png", b"not a picture")}).status_code == 400


def test_missing_avatar_is_404(api, demo):
    assert api["manager"].get(f"/pictures/thumbnails/persons/{demo['people']['vendor']['id']}.png").status_code == 404


def test_preview_background_files(api, studio, unique, tmp_path):
    background = api["admin"].post("/data/preview-background-files", json={"name": unique("studio light")})
    assert background.status_code == 201, background.text
    background_id = background.json()["id"]
    assert api["manager"].post(f"/pictures/preview-background-files/{background_id}",
                               files={"file": ("sky.png", _png((900, 300)))}).status_code == 403
    hdr = tmp_path / "sky.hdr"
    from chalicelib.media.ffmpeg import run_ffmpeg
    run_ffmpeg(["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x32:duration=0.04", "-frames:v", "1",
                "-c:v", "hdr", "-pix_fmt", "gbrpf32le", "-y", str(hdr)])
    uploaded = api["admin"].post(f"/pictures/preview-background-files/{background_id}",
                                 files={"file": ("sky.hdr", hdr.read_bytes())})
    assert uploaded.status_code == 201, uploaded.text
    assert (uploaded.json()["extension"], uploaded.json()["original_name"]) == ("hdr", "sky")
    thumbnail = api["user"].get(f"/pictures/thumbnails/preview-background-files/{background_id}.png")
    with Image.open(io.BytesIO(requests.get(thumbnail.headers["Location"], timeout=10).content)) as picture:
        assert picture.size == (300, 200)
    download = api["user"].get(f"/pictures/preview-background-files/{background_id}.hdr")
    assert requests.get(download.headers["Location"], timeout=10).content == hdr.read_bytes()
    assert api["admin"].post(f"/pictures/preview-background-files/{background_id}",
                             files={"file": ("sky.gif", b"GIF89a")}).status_code == 400
    settings = f"/data/projects/{studio['project']['id']}/settings/preview-background-files"
    assert api["manager"].post(settings, json={"preview_background_file_id": background_id}).status_code == 201
    assert [b["id"] for b in api["user"].get(settings).json()] == [background_id]
    assert api["manager"].delete(f"{settings}/{background_id}").status_code == 204
    assert api["user"].get(settings).json() == []
