"""Upload requests are bounded before any planning: no size or part count S3 cannot hold."""
import time

import pytest


def test_upload_url_with_an_astronomical_size_answers_400_fast(api, new_preview):
    preview = new_preview()
    started = time.monotonic()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "big.mp4", "size": 1e40})
    assert answer.status_code == 400, answer.text
    assert time.monotonic() - started < 5
    assert answer.json()["error"] is True and "size" in answer.json()["message"]


def test_upload_url_at_s3s_largest_object_plans_at_most_10000_parts(api, new_preview):
    preview = new_preview()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "master.mov", "size": 5 * 1024 ** 4})
    assert answer.status_code == 201, answer.text
    assert answer.json()["method"] == "multipart" and len(answer.json()["parts"]) <= 10_000


@pytest.mark.parametrize("flag", ["normalize", "multipart"])
@pytest.mark.parametrize("value", [5, [True], "true", 0])
def test_upload_url_flags_are_strict_booleans(api, new_preview, flag, value):
    preview = new_preview()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "clip.mp4", flag: value})
    assert answer.status_code == 400, answer.text
    assert flag in answer.json()["message"]


def test_working_file_upload_url_refuses_more_than_10000_parts(api, studio):
    task = studio["task"]
    working = api["manager"].post(f"/data/tasks/{task['id']}/working-files/new",
                                  json={"name": "main", "comment": "", "revision": 1})
    assert working.status_code in (200, 201), working.text
    answer = api["manager"].post(f"/data/working-files/{working.json()['id']}/upload-url",
                                 json={"size": 10_001 * 5 * 1024 * 1024, "part_size": 5 * 1024 * 1024,
                                       "multipart": True})
    assert answer.status_code == 400, answer.text
    assert "part" in answer.json()["message"]
