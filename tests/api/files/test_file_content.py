"""File content through S3 (moto): gazu's multipart upload through the API, the
presigned PUT and multipart flows, and downloads redirected to presigned GETs."""
import math
import os
from urllib.parse import urlparse

import gazu
import pytest
import requests

from chalicelib import storage

MiB = 1024 * 1024


@pytest.fixture
def working_file(api, production):
    answer = api["user"].post(f"/data/tasks/{production.animation_task['id']}/working-files/new",
                              json={"name": "main"})
    assert answer.status_code == 201
    return answer.json()


def download(api, role, url_path):
    """GET .../file: the redirect, then the bytes from S3 as a client without our token."""
    answer = api[role].get(url_path)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    s3 = requests.get(location, headers={"Accept-Encoding": "gzip, deflate"}, timeout=30)
    assert s3.status_code == 200
    return location, s3


def test_presigned_put_upload_then_download_names_the_original_file(api, stack, working_file):
    content = os.urandom(300_000)
    base = f"/data/working-files/{working_file['id']}"
    offer = api["user"].post(f"{base}/upload-url", json={"size": len(content), "file_name": "shot 010 v1.blend"})
    assert offer.status_code == 200, offer.text
    upload = offer.json()
    # The upload protocol's answer (chalicelib.services.uploads), as for previews.
    assert set(upload) == {"method", "url", "headers", "expires_in", "file_name", "content_type", "size",
                           "complete_path"}
    assert upload["method"] == "PUT"
    assert upload["complete_path"] == f"data/working-files/{working_file['id']}/upload-complete"
    assert urlparse(upload["url"]).port == stack.moto_port  # straight to S3, not through the API
    assert requests.put(upload["url"], data=content, headers=upload["headers"], timeout=30).status_code == 200

    done = api["user"].post(f"{base}/upload-complete", json={})
    assert done.status_code == 200, done.text
    assert (done.json()["size"], done.json()["original_file_name"]) == (len(content), "shot 010 v1.blend")
    assert done.json()["content_type"] == "application/octet-stream"

    location, s3 = download(api, "manager", f"{base}/file")
    # Another port than the API's: requests drops the bearer header on the redirect.
    assert urlparse(location).port == stack.moto_port != stack.api_port
    assert s3.content == content
    assert s3.headers["Content-Disposition"].startswith('attachment; filename="shot 010 v1.blend"')
    assert "Content-Encoding" not in s3.headers


def test_multipart_upload_through_presigned_part_urls(api, working_file):
    content = os.urandom(6 * MiB + 123)
    base = f"/data/working-files/{working_file['id']}"
    offer = api["user"].post(f"{base}/upload-url", json={
        "size": len(content), "file_name": "master.mov", "multipart": True, "part_size": 5 * MiB}).json()
    assert (offer["method"], offer["part_size"], len(offer["parts"])) == ("multipart", 5 * MiB, 2)
    assert set(offer) == {"method", "upload_id", "part_size", "parts", "expires_in", "file_name", "content_type",
                          "size", "complete_path"}
    etags = []
    for part in offer["parts"]:
        start = (part["part_number"] - 1) * offer["part_size"]
        put = requests.put(part["url"], data=content[start:start + offer["part_size"]], timeout=60)
        assert put.status_code == 200
        etags.append({"part_number": part["part_number"], "etag": put.headers["ETag"]})

    wrong = api["user"].post(f"{base}/upload-complete", json={"upload_id": "other", "parts": etags})
    assert wrong.status_code == 400
    done = api["user"].post(f"{base}/upload-complete", json={"upload_id": offer["upload_id"], "parts": etags})
    assert done.status_code == 200, done.text
    assert (done.json()["size"], done.json()["content_type"]) == (len(content), "video/quicktime")
    _, s3 = download(api, "user", f"{base}/file")
    assert s3.content == content


def test_a_multi_gigabyte_master_gets_100_mib_parts(api, working_file):
    size = 3 * 1024 * MiB
    offer = api["user"].post(f"/data/working-files/{working_file['id']}/upload-url",
                             json={"size": size, "file_name": "master.exr"}).json()
    assert offer["method"] == "multipart"
    assert offer["part_size"] == storage.DEFAULT_PART_BYTES == 100 * MiB
    assert [p["part_number"] for p in offer["parts"]] == list(range(1, math.ceil(size / (100 * MiB)) + 1))


def test_completing_what_was_not_uploaded_is_refused(api, working_file):
    base = f"/data/working-files/{working_file['id']}"
    nothing_started = api["user"].post(f"{base}/upload-complete", json={})
    assert nothing_started.status_code == 400
    assert "upload-url first" in nothing_started.json()["message"]
    offer = api["user"].post(f"{base}/upload-url", json={"size": 10}).json()
    assert offer["file_name"] == os.path.basename(working_file["path"])  # no name given: the path's
    not_put = api["user"].post(f"{base}/upload-complete", json={})
    assert "Nothing has been uploaded" in not_put.json()["message"]
    requests.put(offer["url"], data=b"12345", headers=offer["headers"], timeout=30)
    short = api["user"].post(f"{base}/upload-complete", json={})
    assert short.status_code == 400
    assert short.json()["message"] == "5 bytes arrived but 10 were announced; upload again"
    requests.put(offer["url"], data=b"", headers=offer["headers"], timeout=30)
    empty = api["user"].post(f"{base}/upload-complete", json={})
    assert (empty.status_code, empty.json()["message"]) == (400, "The uploaded file is empty (0 bytes)")
    assert api["user"].get(f"{base}/file").status_code == 404  # still no content


def test_upload_url_checks_its_body(api, working_file):
    url = f"/data/working-files/{working_file['id']}/upload-url"
    assert api["user"].post(url, json={"size": 0}).status_code == 400
    assert api["user"].post(url, json={}).status_code == 400
    assert api["user"].post(url, json={"size": 10, "multipart": True, "part_size": 1024}).status_code == 400
    assert api["user"].post(url, json={"size": 10, "content_type": "video/mp4\r\nX-Evil: 1"}).status_code == 400
    assert api["user"].post(url, json={"size": 10, "file_name": "a\nb.ma"}).status_code == 400
    assert api["user"].post(url, json={"size": 10, "content_type": "video/mp4"}).json()["headers"] == \
        {"Content-Type": "video/mp4", "If-None-Match": "*"}
    assert api["user"].post(url, data="size=10", headers={"Content-Type": "text/plain"}).status_code == 400


def test_legacy_multipart_upload_and_its_limits(api, working_file):
    url = f"/data/working-files/{working_file['id']}/file"
    content = os.urandom(2 * MiB)
    # Some clients send the whole local path; only its last part names the download.
    stored = api["user"].post(url, files={"file": ("C:\\work\\anim v2.ma", content)})
    assert stored.status_code == 201, stored.text
    assert (stored.json()["id"], stored.json()["size"]) == (working_file["id"], len(content))
    assert stored.json()["original_file_name"] == "anim v2.ma"
    _, s3 = download(api, "user", url)
    assert s3.content == content
    assert 'filename="anim v2.ma"' in s3.headers["Content-Disposition"]

    just_over = api["user"].post(url, files={"file": ("big.ma", b"x" * 5_000_001)})
    assert just_over.status_code == 413
    assert f"data/working-files/{working_file['id']}/upload-url" in just_over.json()["message"]
    assert api["user"].post(url, files={"file": ("big.ma", b"x" * (6 * MiB))}).status_code == 413
    empty = api["user"].post(url, files={"file": ("empty.ma", b"")})
    assert (empty.status_code, empty.json()["message"]) == (400, "The uploaded file is empty (0 bytes)")
    assert api["user"].post(url, files={"other": ("x.ma", b"x")}).status_code == 400
    assert api["user"].post(url, json={"file": "x"}).status_code == 400
    _, s3 = download(api, "user", url)
    assert s3.content == content  # the refused uploads changed nothing


def test_download_before_any_upload_is_404(api, working_file):
    answer = api["user"].get(f"/data/working-files/{working_file['id']}/file")
    assert answer.status_code == 404
    assert answer.json()["message"] == f"Working file not found for: {working_file['id']}"


def test_gazu_uploads_and_downloads_a_working_file(gazu_as, production, tmp_path):
    client = gazu_as("user")
    working_file = gazu.files.new_working_file(production.animation_task, client=client)
    source = tmp_path / "shot010_anim.blend"
    source.write_bytes(os.urandom(1_500_000))
    uploaded = gazu.files.upload_working_file(working_file, str(source), client=client)
    assert (uploaded["id"], uploaded["size"]) == (working_file["id"], source.stat().st_size)
    target = tmp_path / "downloaded.blend"
    gazu.files.download_working_file(working_file, str(target), client=client)
    assert target.read_bytes() == source.read_bytes()

    too_big = tmp_path / "too_big.blend"
    too_big.write_bytes(b"\0" * 5_500_000)
    with pytest.raises(gazu.exception.TooBigFileException):
        gazu.files.upload_working_file(working_file, str(too_big), client=client)


def test_output_file_content_belongs_to_its_author_and_managers(api, production):
    output_file = api["user"].post(f"/data/entities/{production.shot['id']}/output-files/new", json={
        "output_type_id": production.output_types["Cache"]["id"],
        "task_type_id": production.task_types["Animation"]["id"], "extension": ".abc"}).json()
    base = f"/data/output-files/{output_file['id']}"
    assert api["supervisor"].post(f"{base}/upload-url", json={"size": 4}).status_code == 403
    assert api["client"].post(f"{base}/file", files={"file": ("c.abc", b"abcd")}).status_code == 403
    offer = api["user"].post(f"{base}/upload-url", json={"size": 4, "file_name": "cache.abc"}).json()
    requests.put(offer["url"], data=b"abcd", headers=offer["headers"], timeout=30)
    assert api["user"].post(f"{base}/upload-complete", json={}).json()["size"] == 4
    _, s3 = download(api, "client", f"{base}/file")
    assert s3.content == b"abcd"
    assert api["manager"].post(f"{base}/file", files={"file": ("fixed.abc", b"fixed")}).status_code == 201
    assert download(api, "supervisor", f"{base}/file")[1].content == b"fixed"
