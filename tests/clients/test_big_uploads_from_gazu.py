"""A gazu 1.3.1 script, unchanged but for `reelbase_gazu.install()`, uploads a 200 MB
review movie and big working and output files: straight to S3 (parts side by side), the
movie normalized to `ready` by the workers, the files downloaded back byte for byte."""
import hashlib
import os
import subprocess
import time

import gazu
import pytest
import requests
import reelbase_gazu
from reelbase_gazu import transfer

from chalicelib import aws, storage
from chalicelib.media.ffmpeg import ffmpeg_binary
from chalicelib.models import records
from tests.media_streams import read_streams

MB = 1_000_000


@pytest.fixture(scope="module")
def big_movie(tmp_path_factory):
    """A real movie of over 200 MB that normalizes fast: 30 lossless frames of 4K
    testsrc2 with fine grain (the grain makes it big; scaled down to 640x360 it averages
    away), with a 44.1 kHz mono tone."""
    path = tmp_path_factory.mktemp("big") / "review take.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=25,noise=alls=6:allf=t",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-frames:v", "30", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                    "-c:a", "aac", "-ac", "1", "-shortest", str(path)], check=True)
    assert path.stat().st_size > 200 * MB
    return path


def _random_file(path, size: int):
    with path.open("wb") as handle:
        for _ in range(size // MB):
            handle.write(os.urandom(MB))
        handle.write(os.urandom(size % MB))
    return path


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(MB), b""):
            digest.update(block)
    return digest.hexdigest()


def _wait_ready(preview_id: str, client, timeout: float = 150) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        preview = gazu.files.get_preview_file(preview_id, client=client)
        if preview["status"] != "processing" or time.monotonic() > deadline:
            return preview
        time.sleep(0.5)


def _source_object(preview_id: str) -> dict:
    key = records.get(preview_id)["pipeline"]["source_key"]
    return aws.client("s3").head_object(Bucket=storage.bucket(), Key=key)


def test_publish_preview_of_a_200_mb_movie_reaches_ready(installed, manager, shot_task, big_movie, tmp_path):
    installed(part_size=32 * 1024 * 1024, parallel=4, state_dir=str(tmp_path / "state"))
    task = gazu.task.get_task(shot_task["task"]["id"], client=manager)
    comment, preview = gazu.task.publish_preview(task, shot_task["status"], comment="big take",
                                                 preview_file_path=str(big_movie), client=manager)
    assert comment["object_id"] == task["id"]
    assert preview["extension"] == "mp4" and preview["original_name"] == "review take"
    # The original went to S3 in parts (a multipart object's ETag ends with its part count).
    source = _source_object(preview["id"])
    assert source["ContentLength"] == big_movie.stat().st_size
    assert source["ETag"].strip('"').endswith(f"-{-(-big_movie.stat().st_size // (32 * 1024 * 1024))}")

    ready = _wait_ready(preview["id"], manager)
    assert ready["status"] == "ready", ready
    assert (ready["width"], ready["height"]) == (640, 360)
    gazu.files.download_preview_movie(ready, str(tmp_path / "movie.mp4"), client=manager)
    movie = read_streams(tmp_path / "movie.mp4")
    assert (movie["video"]["width"], movie["video"]["height"], movie["video"]["r_frame_rate"]) == (640, 360, 24)
    assert (movie["audio"]["sample_rate"], movie["audio"]["channels"]) == (44100, 1)
    # Nothing is left of the upload in progress; the state of the resumable upload is gone.
    assert records.get(preview["id"])["pipeline"]["upload"] is None
    assert not list((tmp_path / "state").glob("*.json"))


def test_big_working_and_output_files_go_up_in_parallel_parts(installed, manager, shot_task, tmp_path):
    installed(multipart_threshold=16 * 1024 * 1024, part_size=8 * 1024 * 1024, parallel=4, state_dir=None)
    task = gazu.task.get_task(shot_task["task"]["id"], client=manager)
    scene = _random_file(tmp_path / "scene.blend", 96 * MB + 12345)
    working_file = gazu.files.new_working_file(task, name="layout", client=manager)
    uploaded = gazu.files.upload_working_file(working_file, str(scene), client=manager)
    assert uploaded["id"] == working_file["id"] and uploaded["size"] == scene.stat().st_size
    gazu.files.download_working_file(working_file, str(tmp_path / "back.blend"), client=manager)
    assert _sha256(tmp_path / "back.blend") == _sha256(scene)

    # A small file takes the single presigned PUT, and the next upload makes the next revision, as through the API.
    sketch = _random_file(tmp_path / "sketch.blend", 3 * MB)
    revised = gazu.files.upload_working_file(working_file, str(sketch), client=manager)
    assert revised["id"] != working_file["id"] and revised["revision"] == working_file["revision"] + 1
    assert revised["size"] == 3 * MB

    # gazu 1.3.1 has no wrapper for output files: scripts call gazu.client.upload on their route.
    output_type = gazu.files.get_output_type_by_name("Cache", client=manager) \
        or gazu.files.all_output_types(client=manager)[0]
    output_file = gazu.files.new_entity_output_file(shot_task["shot"], output_type, task["task_type"],
                                                    "cache", working_file=working_file, client=manager)
    cache = _random_file(tmp_path / "cache.abc", 40 * MB)
    stored = gazu.client.upload(f"data/output-files/{output_file['id']}/file", str(cache), client=manager)
    assert stored["id"] == output_file["id"] and stored["size"] == 40 * MB
    answer = requests.get(f"{manager.host}/data/output-files/{output_file['id']}/file",
                          headers={"Authorization": f"Bearer {manager.tokens['access_token']}"}, timeout=60)
    assert answer.status_code == 200 and hashlib.sha256(answer.content).hexdigest() == _sha256(cache)


def test_an_interrupted_multipart_upload_resumes_from_its_finished_parts(installed, manager, shot_task, tmp_path,
                                                                         monkeypatch):
    installed(multipart_threshold=8 * 1024 * 1024, part_size=5 * 1024 * 1024, parallel=2, retries=1,
              state_dir=str(tmp_path / "state"))
    task = gazu.task.get_task(shot_task["task"]["id"], client=manager)
    scene = _random_file(tmp_path / "shot.blend", 30 * MB)  # 6 parts of 5 MiB
    working_file = gazu.files.new_working_file(task, name="resumed", client=manager)
    real_put = transfer._put
    network = {"down_for_part": 4}
    sent = []

    def flaky_put(session, url, path, offset, length, headers, settings, progress):
        number = offset // (5 * 1024 * 1024) + 1
        if number == network["down_for_part"]:
            raise transfer.UploadError("the network went away")
        sent.append(number)
        return real_put(session, url, path, offset, length, headers, settings, progress)

    monkeypatch.setattr(transfer, "_put", flaky_put)
    with pytest.raises(transfer.UploadError):
        gazu.files.upload_working_file(working_file, str(scene), client=manager)
    assert len(list((tmp_path / "state").glob("*.json"))) == 1
    before, network["down_for_part"] = sorted(sent), None
    sent.clear()

    uploaded = gazu.files.upload_working_file(working_file, str(scene), client=manager)
    # Only the parts that had not arrived went up again.
    assert 4 in sent and not set(sent) & set(before) and sorted(sent + before) == [1, 2, 3, 4, 5, 6]
    assert uploaded["id"] == working_file["id"] and uploaded["size"] == 30 * MB
    assert not list((tmp_path / "state").glob("*.json"))
    gazu.files.download_working_file(working_file, str(tmp_path / "back.blend"), client=manager)
    assert _sha256(tmp_path / "back.blend") == _sha256(scene)


def test_other_uploads_still_take_gazus_own_post(installed, manager, shot_task, tmp_path):
    from PIL import Image

    gazus_own = gazu.client.upload
    installed()
    assert reelbase_gazu.installed() and gazu.client.upload is not gazus_own
    avatar = tmp_path / "avatar.png"
    Image.new("RGB", (64, 64), (10, 200, 30)).save(avatar)
    answered = gazu.files.upload_project_avatar(shot_task["project"], str(avatar), client=manager)
    assert "thumbnail_path" in answered
    reelbase_gazu.uninstall()
    assert not reelbase_gazu.installed() and gazu.client.upload is gazus_own


def test_without_the_client_a_big_post_gets_413_saying_how_to_upload_it(manager, shot_task, tmp_path, api):
    assert not reelbase_gazu.installed()
    movie = _random_file(tmp_path / "too big.mp4", 6 * MB)
    task = gazu.task.get_task(shot_task["task"]["id"], client=manager)
    comment = gazu.task.add_comment(task, shot_task["status"], "too big", client=manager)
    preview = gazu.task.create_preview(task, comment, client=manager)
    with pytest.raises(gazu.exception.TooBigFileException):
        gazu.task.upload_preview_file(preview, str(movie), client=manager)
    with movie.open("rb") as handle:
        answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}", files={"file": (movie.name, handle)})
    assert answer.status_code == 413
    assert "pip install clients/python" in answer.json()["message"]
    assert "reelbase_gazu.install()" in answer.json()["message"]


def test_a_server_without_presigned_routes_gets_gazus_own_post(installed, manager, shot_task, tmp_path,
                                                               monkeypatch):
    # Zou itself has no upload-url route: its 404 sends the upload through gazu's POST, as before.
    installed(state_dir=None)
    gazus_post = gazu.client.post
    asked = []

    def zou_post(path, data, client=None):
        if path.endswith("/upload-url"):
            asked.append(path)
            raise gazu.exception.RouteNotFoundException(path)
        return gazus_post(path, data, client=client)

    monkeypatch.setattr(gazu.client, "post", zou_post)
    task = gazu.task.get_task(shot_task["task"]["id"], client=manager)
    working_file = gazu.files.new_working_file(task, name="zou", client=manager)
    small = _random_file(tmp_path / "small.blend", 200_000)
    uploaded = gazu.files.upload_working_file(working_file, str(small), client=manager)
    assert asked == [f"data/working-files/{working_file['id']}/upload-url"]
    assert uploaded["id"] == working_file["id"] and uploaded["size"] == 200_000
