"""Playlist ZIPs of any size: made outside the request (the make_zip function, run by its
own state machine), answered 202 with Retry-After until ready, then fetched by gazu,
each entry the file as uploaded under its name with its extension."""
import json
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import gazu
import pytest

from chalicelib import aws, storage
from chalicelib.config import settings
from chalicelib.media.ffmpeg import ffmpeg_binary
from chalicelib.models import records
from devstack import sample_media
from devstack.demo import DEMO_PASSWORD


@pytest.fixture
def zip_window(monkeypatch):
    """ZIP requests wait at most this long (seconds) for the archive: none, here."""
    monkeypatch.setenv("ZIP_REQUEST_SECONDS", "0")
    settings.cache_clear()
    yield 0
    monkeypatch.undo()
    settings.cache_clear()


def as_mov(project: dict, seconds: float, pattern: int) -> str:
    """A QuickTime upload: the same streams in a .mov (the pipeline keeps it as uploaded)."""
    source = sample_media.source_clip(seconds, *sample_media.project_canvas(project), sample_media.PATTERNS[pattern])
    target = source.replace(".mp4", ".mov")
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-i", source, "-c", "copy", target],
                   check=True)
    return target


def uploaded(preview: dict) -> bytes:
    return storage.open_object(records.get(preview["id"])["pipeline"]["source_key"]).read()


def test_a_zip_beyond_the_request_window_answers_202_then_arrives_through_gazu(
        api, api_url, demo, production, make_preview, new_playlist, zip_window, tmp_path, unique):
    take, board = production.new_shot("SH200"), production.new_shot("SH210")
    mov = as_mov(production.project, 2, 1)
    movie = sample_media.upload_preview(demo["people"]["manager"], production.task(take), mov)
    picture = make_preview(production.task(board), extension="png")
    sheet = make_preview(production.task(board), revision=picture["revision"], position=2, seconds=1, pattern=3)
    playlist = new_playlist(name=unique("Client Pack"), shots=[
        {"entity_id": take["id"], "preview_file_id": movie["id"]},
        {"entity_id": board["id"], "preview_file_id": picture["id"]}])
    path = f"/data/playlists/{playlist['id']}/download/zip"

    # Ten people ask at once: each is told to come back; one archive is made.
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: api["manager"].get(path), range(10)))
    assert {a.status_code for a in answers} == {202}, [a.text for a in answers]
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers)

    client = gazu.client.create_client(api_url)
    gazu.log_in("manager@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    target = tmp_path / "pack.zip"
    started = time.monotonic()
    gazu.playlist.download_playlist_zip(playlist, str(target), client=client)
    assert time.monotonic() - started < 60  # within gazu's wait for 202s

    slug = production.project["name"].replace("-", "_")
    archive = zipfile.ZipFile(target)
    assert archive.namelist() == [f"{slug}_sq01_sh200_animation_v{movie['revision']}.mov",
                                  f"{slug}_sq01_sh210_animation_v{picture['revision']}.png",
                                  f"{slug}_sq01_sh210_animation_v{picture['revision']}-2.mp4"]
    assert [archive.read(name) for name in archive.namelist()] == [uploaded(movie), uploaded(picture),
                                                                   uploaded(sheet)]
    zips = aws.client("s3").list_objects_v2(Bucket=storage.bucket(),
                                            Prefix=storage.playlist_zip_prefix(playlist["id"]))["Contents"]
    assert [z["Key"].rsplit(".", 1)[1] for z in zips] == ["zip"]  # one archive; its manifest is gone
    stepfunctions = aws.client("stepfunctions")
    made_it = [e for e in stepfunctions.list_executions(stateMachineArn=settings().zip_state_machine_arn)["executions"]
               if json.loads(stepfunctions.describe_execution(executionArn=e["executionArn"])["input"])["zip_key"]
               == zips[0]["Key"]]
    assert [e["status"] for e in made_it] == ["SUCCEEDED"]  # one execution for ten requests and gazu's retries

    # Ready now: the next request is the 302 straight away.
    again = api["manager"].get(path)
    assert again.status_code == 302 and storage.playlist_zip_prefix(playlist["id"]) in again.headers["Location"]


def test_a_zip_that_cannot_be_made_says_why_and_is_tried_again(api, production, make_preview, new_playlist,
                                                               zip_window):
    shot = production.new_shot("SH300")
    movie = make_preview(production.task(shot))
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": movie["id"]}])
    source_key = records.get(movie["id"])["pipeline"]["source_key"]
    kept = storage.open_object(source_key).read()
    storage.delete_keys([source_key])
    path = f"/data/playlists/{playlist['id']}/download/zip"

    assert api["manager"].get(path).status_code == 202
    deadline = time.monotonic() + 30
    while (answer := api["manager"].get(path)).status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert answer.status_code == 400, answer.text
    assert "could not be made" in answer.json()["message"] and "missing from storage" in answer.json()["message"]

    storage.put_bytes(source_key, kept, "video/mp4")  # put back: the next request makes it
    deadline = time.monotonic() + 30
    while (answer := api["manager"].get(path)).status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert answer.status_code == 302, answer.text
