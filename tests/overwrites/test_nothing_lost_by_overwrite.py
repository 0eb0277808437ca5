"""No upload replaces what another one stored: the bucket keeps versions, each upload
writes a key of its own that a replayed URL cannot write again, and a working file
that holds content gets a new revision rather than new content."""
import io
import pathlib
import time

import gazu
import pytest
import requests
import yaml
from PIL import Image

from chalicelib import aws, storage
from chalicelib.models import records
from tests.api.files.conftest import build_production
from tests import waiting

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _png(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 27), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _object(key: str) -> bytes:
    return aws.client("s3").get_object(Bucket=storage.bucket(), Key=key)["Body"].read()


def _downloaded(api, role: str, path: str) -> bytes:
    answer = api[role].get(path)
    assert answer.status_code == 302, answer.text
    return requests.get(answer.headers["Location"], timeout=30).content


def _wait(api, preview_id: str, timeout: float = 60) -> dict:
    return waiting.preview_processed(api["admin"], preview_id, timeout)


@pytest.fixture
def production(api, demo):
    return build_production(api, demo)


@pytest.fixture
def new_preview(api, production, demo):
    def make() -> dict:
        task = production.animation_task
        comment = api["manager"].post(f"/actions/tasks/{task['id']}/comment",
                                      json={"task_status_id": demo["statuses"]["wip"]["id"]}).json()
        return api["manager"].post(f"/actions/tasks/{task['id']}/comments/{comment['id']}/add-preview",
                                   json={}).json()
    return make


def test_the_media_bucket_keeps_earlier_versions(stack):
    assert aws.client("s3").get_bucket_versioning(Bucket=storage.bucket())["Status"] == "Enabled"
    bucket = yaml.safe_load((ROOT / "infra" / "resources.yaml").read_text())["Resources"]["MediaBucket"]
    assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in bucket["Properties"]["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-earlier-versions"]["NoncurrentVersionExpiration"]["NoncurrentDays"] >= 30


def test_a_replayed_preview_upload_url_cannot_replace_the_processed_original(api, new_preview):
    preview = new_preview()
    offer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                json={"filename": "frame.png"}).json()
    first = _png((10, 200, 10))
    assert requests.put(offer["url"], data=first, headers=offer["headers"], timeout=30).status_code == 200
    ready = _wait(api, preview["id"])
    assert ready["status"] == "ready", ready
    original = _object(storage.preview_key(preview["id"], "original"))
    replay = requests.put(offer["url"], data=_png((200, 10, 10)), headers=offer["headers"], timeout=30)
    assert replay.status_code == 412
    source_key = records.get(preview["id"])["pipeline"]["source_key"]
    assert _object(source_key) == first
    assert _object(storage.preview_key(preview["id"], "original")) == original
    assert api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                               json={"filename": "again.png"}).status_code == 400


def test_an_upload_url_asked_again_writes_elsewhere_and_the_stale_one_is_ignored(api, new_preview):
    preview = new_preview()
    path = f"/pictures/preview-files/{preview['id']}/upload-url"
    stale = api["manager"].post(path, json={"filename": "first.png"}).json()
    current = api["manager"].post(path, json={"filename": "second.png"}).json()
    assert stale["url"].split("?")[0] != current["url"].split("?")[0]
    # The first URL still writes its own key, which the preview no longer expects.
    assert requests.put(stale["url"], data=_png((1, 2, 3)), headers=stale["headers"], timeout=30).status_code == 200
    time.sleep(1)
    assert records.get(preview["id"])["status"] == "processing"
    expected = _png((30, 60, 90))
    assert requests.put(current["url"], data=expected, headers=current["headers"], timeout=30).status_code == 200
    ready = _wait(api, preview["id"])
    assert ready["status"] == "ready" and ready["original_name"] == "second"
    assert _object(records.get(preview["id"])["pipeline"]["source_key"]) == expected


def test_an_upload_to_a_working_file_with_content_makes_its_next_revision(api, production):
    task = production.animation_task
    artist_file = api["user"].post(f"/data/tasks/{task['id']}/working-files/new", json={"name": "main"}).json()
    url = f"/data/working-files/{artist_file['id']}/file"
    assert api["user"].post(url, files={"file": ("anim.blend", b"the artist's work")}).status_code == 201
    # Zou's rule for the content is task access: the client of the team may upload, but
    # what the artist stored stays theirs.
    client_upload = api["client"].post(url, files={"file": ("notes.blend", b"the client's idea")})
    assert client_upload.status_code == 201, client_upload.text
    second = client_upload.json()
    assert second["id"] != artist_file["id"] and second["revision"] == artist_file["revision"] + 1
    assert (second["name"], second["task_id"]) == (artist_file["name"], task["id"])
    assert _downloaded(api, "user", url) == b"the artist's work"
    assert _downloaded(api, "user", f"/data/working-files/{second['id']}/file") == b"the client's idea"
    revisions = api["user"].get(f"/data/tasks/{task['id']}/working-files").json()
    assert [wf["revision"] for wf in revisions][:2] == [second["revision"], artist_file["revision"]]
    # Outside the rule: a vendor not on the task.
    assert api["vendor"].post(url, files={"file": ("x.blend", b"x")}).status_code == 403


def test_presigned_uploads_to_a_working_file_with_content_complete_its_next_revision(api, production):
    task = production.animation_task
    artist_file = api["user"].post(f"/data/tasks/{task['id']}/working-files/new", json={"name": "main"}).json()
    base = f"/data/working-files/{artist_file['id']}"
    first = api["user"].post(f"{base}/upload-url", json={"size": 3}).json()
    assert requests.put(first["url"], data=b"one", headers=first["headers"], timeout=30).status_code == 200
    assert api["user"].post(f"{base}/upload-complete", json={}).status_code == 200
    # Replaying the URL cannot replace the stored content.
    assert requests.put(first["url"], data=b"two", headers=first["headers"], timeout=30).status_code == 412
    assert _downloaded(api, "user", f"{base}/file") == b"one"
    second = api["user"].post(f"{base}/upload-url", json={"size": 3}).json()
    assert artist_file["id"] not in second["complete_path"]
    assert requests.put(second["url"], data=b"two", headers=second["headers"], timeout=30).status_code == 200
    completed = api["user"].post(f"/{second['complete_path']}", json={}).json()
    assert completed["revision"] == artist_file["revision"] + 1
    assert _downloaded(api, "user", f"{base}/file") == b"one"
    assert _downloaded(api, "user", f"/data/working-files/{completed['id']}/file") == b"two"


def test_gazu_uploading_twice_keeps_both_revisions(api, api_url, tokens, production, tmp_path):
    client = gazu.client.create_client(api_url)
    gazu.set_token(tokens["user"], client=client)
    working_file = gazu.files.new_working_file(production.animation_task, client=client)
    for number in (1, 2):
        path = tmp_path / f"take{number}.blend"
        path.write_bytes(f"take {number}".encode())
        uploaded = gazu.files.upload_working_file(working_file, str(path), client=client)
    assert uploaded["id"] != working_file["id"]
    target = tmp_path / "first.blend"
    gazu.files.download_working_file(working_file, str(target), client=client)
    assert target.read_bytes() == b"take 1"


def test_an_output_files_earlier_content_is_kept_until_the_file_is_deleted(api, production):
    output_file = api["user"].post(f"/data/entities/{production.shot['id']}/output-files/new", json={
        "output_type_id": production.output_types["Cache"]["id"],
        "task_type_id": production.task_types["Animation"]["id"], "extension": ".abc"}).json()
    base = f"/data/output-files/{output_file['id']}"
    assert api["user"].post(f"{base}/file", files={"file": ("cache.abc", b"first cache")}).status_code == 201
    first_key = records.get(output_file["id"])["content_key"]
    assert api["manager"].post(f"{base}/file", files={"file": ("fixed.abc", b"fixed cache")}).status_code == 201
    stored = records.get(output_file["id"])
    assert stored["content_key"] != first_key
    assert [content["key"] for content in stored["previous_contents"]] == [first_key]
    assert _object(first_key) == b"first cache"
    assert _downloaded(api, "user", f"{base}/file") == b"fixed cache"
    assert "previous_contents" not in api["user"].get(base).json()
    assert api["admin"].delete(base).status_code == 204
    listed = aws.client("s3").list_objects_v2(Bucket=storage.bucket(), Prefix=f"output-files/{output_file['id']}")
    assert listed.get("KeyCount", 0) == 0
