"""Upload requests are bounded before any planning: no size or part count S3 cannot hold."""
import time

import pytest

from chalicelib import storage
from chalicelib.errors import Invalid
from chalicelib.services import uploads


def test_upload_url_with_an_astronomical_size_answers_400_fast(api, new_preview):
    preview = new_preview()
    started = time.monotonic()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "big.mp4", "size": 1e40})
    assert answer.status_code == 400, answer.text
    assert time.monotonic() - started < 5
    assert answer.json()["error"] is True and "size" in answer.json()["message"]


def test_upload_url_plans_within_s3s_part_count(api, new_preview):
    preview = new_preview()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "master.mov", "size": 50 * 1024 ** 3})
    assert answer.status_code == 201, answer.text
    assert answer.json()["method"] == "multipart" and 1 <= len(answer.json()["parts"]) <= 10_000


@pytest.mark.parametrize("flag", ["normalize", "multipart"])
@pytest.mark.parametrize("value", [5, [True], "true", 0])
def test_upload_url_flags_are_strict_booleans(api, new_preview, flag, value):
    preview = new_preview()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "clip.mp4", flag: value})
    assert answer.status_code == 400, answer.text
    assert flag in answer.json()["message"]


@pytest.mark.parametrize("size, part_size, words", [
    (10 ** 40, None, "size"), (storage.MAX_OBJECT_BYTES + 1, None, "size"), (0, None, "size"),
    (10_001 * storage.MIN_PART_BYTES, storage.MIN_PART_BYTES, "parts"),
    (1024, storage.MAX_PART_BYTES + 1, "part_size"), (1024, True, "part_size")])
def test_the_upload_protocol_refuses_a_plan_s3_cannot_hold_before_calling_s3(size, part_size, words):
    with pytest.raises(Invalid, match=words):
        uploads.start("previews/x/source.mov", file_name="x.mov", content_type="video/quicktime", size=size,
                      complete_path="x", multipart=True, part_size=part_size)
