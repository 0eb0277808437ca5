"""Playlist movies built by the Step Functions state machine, really run by moto: real
ffmpeg on real S3 objects, the job's progress, the emailed link, failures and rebuilds."""
import html
import io
import json
import re
import time
import zipfile

import pytest
import requests

from chalicelib import aws, storage
from chalicelib.config import settings
from chalicelib.media import probe_movie
from chalicelib.models import records
from chalicelib.services.playlists import build_pieces, builds
from chalicelib.services.playlists.entry_previews import movie_entries


def links_in(email: dict) -> list[str]:
    return [html.unescape(url) for url in re.findall(r'href="([^"]+)"', email["body"])]


def emails_to(stack, address: str, subject_part: str) -> list[dict]:
    return [e for e in stack.sent_emails()
            if address in e["destinations"]["ToAddresses"] and subject_part in e["subject"]]


def wait_for_email(stack, address: str, subject_part: str, body_part: str, seconds: float = 20) -> dict:
    """The job is marked ended before its email is sent: wait for the email to follow."""
    deadline = time.monotonic() + seconds
    while True:
        found = [e for e in emails_to(stack, address, subject_part) if body_part in e["body"]]
        if found or time.monotonic() > deadline:
            assert len(found) == 1, f"expected one email about {body_part!r}, got {len(found)}"
            return found[0]
        time.sleep(0.2)


def start_build(api, playlist_id: str, **params) -> dict:
    answer = api["manager"].get(f"/data/playlists/{playlist_id}/build/mp4", params=params)
    assert answer.status_code == 200, answer.text
    job = answer.json()
    assert job["status"] == "running" and job["job_type"] == "movie" and job["playlist_id"] == playlist_id
    return job


def test_a_built_movie_lasts_as_long_as_its_entries_and_is_emailed(api, stack, demo, production, make_preview,
                                                                    new_playlist, wait_for_job, small_chunks,
                                                                    tmp_path, event_log):
    shots = [production.new_shot() for _ in range(3)]
    previews = [make_preview(production.task(shot), seconds=seconds, pattern=n)
                for n, (shot, seconds) in enumerate(zip(shots, (1, 2, 1), strict=False))]
    playlist = new_playlist(name="Dailies", shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                                   for s, p in zip(shots, previews, strict=True)])
    job = start_build(api, playlist["id"])
    done = wait_for_job(playlist["id"], job["id"])
    assert done["status"] == "succeeded", done.get("failure_reason")
    assert (done["chunks_total"], done["chunks_done"], done["chunks_reused"]) == (2, 2, 0)  # 2 + 1 entries
    assert done["ended_at"] is not None

    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/jobs/{job['id']}/build/mp4")
    assert answer.status_code == 302
    downloaded = requests.get(answer.headers["Location"], timeout=30)
    assert downloaded.status_code == 200 and downloaded.headers["Content-Type"] == "video/mp4"
    stamp = job["created_at"][:19].replace("-", "").replace(":", "").replace("T", "_")
    project_slug = production.project["name"].replace("-", "_")
    assert f'filename="{stamp}_{project_slug}_dailies.mp4"' in downloaded.headers["Content-Disposition"]
    movie = tmp_path / "movie.mp4"
    movie.write_bytes(downloaded.content)
    inputs = sum(p["duration"] for p in previews)
    assert probe_movie(str(movie)).duration == pytest.approx(inputs, abs=0.05 * len(previews))
    assert probe_movie(str(movie)).frame_count == 100  # 4 s at 25 fps: every frame copied

    manager = demo["people"]["manager"]
    email = wait_for_email(stack, manager["email"], "playlist download", job["id"])
    from_email = requests.get(links_in(email)[0], timeout=30)
    assert from_email.status_code == 200 and from_email.content == downloaded.content
    assert "Dailies" in email["body"] and f"Hello {manager['first_name']}" in email["body"]

    received = [(name, detail) for name, detail in event_log() if detail.get("build_job_id") == job["id"]]
    assert [name for name, _ in received] == ["build-job:new", "build-job:update"]
    assert received[1][1]["status"] == "succeeded"
    assert list(aws.client("s3").list_objects_v2(
        Bucket=storage.bucket(), Prefix=storage.build_scratch_prefix(job["id"])).get("Contents", [])) == []


def test_a_failing_chunk_fails_the_job_and_says_so(api, stack, demo, production, make_preview, new_playlist,
                                                  wait_for_job, small_chunks):
    shots = [production.new_shot() for _ in range(3)]
    previews = [make_preview(production.task(shot)) for shot in shots]
    storage.put_bytes(storage.preview_key(previews[2]["id"], "movie"), b"not a movie at all", "video/mp4")
    playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                   for s, p in zip(shots, previews, strict=True)])
    job = start_build(api, playlist["id"])
    done = wait_for_job(playlist["id"], job["id"])
    assert done["status"] == "failed"
    assert "Part 2 of 2" in done["failure_reason"]
    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/jobs/{job['id']}/build/mp4")
    assert answer.status_code == 400 and "failed" in answer.json()["message"]
    email = wait_for_email(stack, demo["people"]["manager"]["email"], "playlist build failed", playlist["name"])
    assert "failed" in email["body"] and "Part 2 of 2" in email["body"] and playlist["name"] in email["body"]
    # Temporary objects are removed; no movie is left behind.
    assert storage.head(storage.playlist_build_key(job["id"])) is None
    assert storage.head(f"{storage.build_scratch_prefix(job['id'])}plan.json") is None


def test_a_rebuild_after_one_change_remakes_one_chunk(api, production, make_preview, new_playlist, wait_for_job,
                                                      small_chunks, tmp_path):
    shots = [production.new_shot() for _ in range(4)]
    previews = [make_preview(production.task(shot), pattern=n) for n, shot in enumerate(shots)]
    playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                   for s, p in zip(shots, previews, strict=True)])
    first = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"])
    assert first["status"] == "succeeded" and (first["chunks_total"], first["chunks_reused"]) == (2, 0)

    retake = make_preview(production.task(shots[3]), seconds=2, pattern=4)
    current = api["manager"].get(f"/data/playlists/{playlist['id']}").json()
    current["shots"][3]["preview_file_id"] = retake["id"]
    assert api["manager"].put(f"/data/playlists/{playlist['id']}", json=current).status_code == 200
    second = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"])
    assert second["status"] == "succeeded"
    assert (second["chunks_total"], second["chunks_done"], second["chunks_reused"]) == (2, 2, 1)
    assert second["duration"] == pytest.approx(5.0, abs=0.2)

    unchanged = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"])
    assert (unchanged["chunks_reused"], unchanged["status"]) == (2, "succeeded")


def test_full_quality_builds_copy_the_previews_in_the_project_format(api, production, make_preview, new_playlist,
                                                                     wait_for_job):
    shots = [production.new_shot() for _ in range(2)]
    previews = [make_preview(production.task(shot), pattern=n) for n, shot in enumerate(shots)]
    playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                   for s, p in zip(shots, previews, strict=True)])
    done = wait_for_job(playlist["id"], start_build(api, playlist["id"], full="true")["id"])
    assert done["status"] == "succeeded" and done["duration"] == 2.0 and done["frame_count"] == 50
    assert (done["full"], done["quality"]) == (True, "full")
    # Previews normalized in the project's format are copied, not encoded again.
    assert first_chunk_method(done) == "copy"


def first_chunk_method(build_job: dict) -> str:
    """How the build's first chunk was made ("copy" or "conform"), from its stored piece's layout."""
    project, playlist = records.get(build_job["project_id"]), records.get(build_job["playlist_id"])
    build = build_pieces.build_format(project, build_job["quality"])
    chunk = build_pieces.plan_chunks(movie_entries(playlist, project).movies, build, settings().build_chunk_size,
                                     settings().build_piece_bytes)[0]
    return json.loads(storage.read_bytes(storage.playlist_layout_key(chunk["key"])))["method"]


def test_a_playlist_without_movies_fails_with_a_reason(api, production, make_preview, new_playlist, wait_for_job):
    shot = production.new_shot()
    picture = make_preview(production.task(shot), extension="png")
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": picture["id"]}])
    done = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"])
    assert done["status"] == "failed" and "no ready movie" in done["failure_reason"]


def test_jobs_listing_download_while_running_and_deletion(api, production, new_playlist, event_log):
    playlist = new_playlist()
    running = records.create("BuildJob", {"status": "running", "job_type": "movie", "playlist_id": playlist["id"],
                                          "project_id": production.project["id"]},
                             project_id=production.project["id"], parent_id=playlist["id"])
    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/jobs/{running['id']}/build/mp4")
    assert answer.status_code == 202 and int(answer.headers["Retry-After"]) > 0
    finished = records.create("BuildJob", {"status": "succeeded", "job_type": "movie", "playlist_id": playlist["id"],
                                           "project_id": production.project["id"]},
                              project_id=production.project["id"], parent_id=playlist["id"])
    storage.put_bytes(storage.playlist_build_key(finished["id"]), b"movie", "video/mp4")
    listed = api["manager"].get(f"/data/playlists/{playlist['id']}/jobs").json()
    assert [j["id"] for j in listed] == [finished["id"], running["id"]]
    in_project = api["admin"].get(f"/data/projects/{production.project['id']}/build-jobs").json()
    assert {finished["id"], running["id"]} <= {j["id"] for j in in_project}
    with_previews = api["manager"].get(f"/data/projects/{production.project['id']}/playlists/{playlist['id']}")
    assert [j["id"] for j in with_previews.json()["build_jobs"]] == [finished["id"], running["id"]]
    assert api["manager"].get(f"/data/playlists/{playlist['id']}").json()["build_jobs"] == \
        [running["id"], finished["id"]]

    other = new_playlist()
    assert api["manager"].get(f"/data/playlists/{other['id']}/jobs/{finished['id']}").status_code == 404
    assert api["manager"].delete(f"/data/playlists/{playlist['id']}/jobs/{finished['id']}").status_code == 204
    assert storage.head(storage.playlist_build_key(finished["id"])) is None
    assert api["manager"].get(f"/data/playlists/{playlist['id']}/jobs/{finished['id']}").status_code == 404
    assert ("build-job:delete", {"build_job_id": finished["id"], "playlist_id": playlist["id"],
                                 "project_id": production.project["id"]}) in event_log()


def test_zip_holds_every_preview_of_each_revision_under_zou_names(api, production, make_preview, new_playlist):
    shot = production.new_shot("SH100")
    movie = make_preview(production.task(shot), revision=3, position=1)
    picture = make_preview(production.task(shot), revision=3, position=2, extension="png")
    make_preview(production.task(shot), revision=2)  # another revision: not in the ZIP
    playlist = new_playlist(name="To Client", shots=[{"entity_id": shot["id"], "preview_file_id": movie["id"]}])
    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/download/zip")
    assert answer.status_code == 302
    downloaded = requests.get(answer.headers["Location"], timeout=30)
    project_slug = production.project["name"].replace("-", "_")
    assert f'filename="{project_slug}_to_client.zip"' in downloaded.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(downloaded.content))
    base = f"{project_slug}_sq01_sh100_animation_v3"
    assert archive.namelist() == [f"{base}.mp4", f"{base}-2.png"]
    # Each as it was uploaded ("preserves original formats"), not a rendition made from it.
    assert archive.read(f"{base}-2.png") == uploaded(picture)
    assert archive.read(f"{base}.mp4") == uploaded(movie)
    # Asked again, the same archive is served.
    again = api["manager"].get(f"/data/playlists/{playlist['id']}/download/zip")
    assert again.headers["Location"].split("?")[0] == answer.headers["Location"].split("?")[0]


def uploaded(preview: dict) -> bytes:
    """The file as uploaded, kept beside the renditions made from it."""
    return storage.open_object(records.get(preview["id"])["pipeline"]["source_key"]).read()


@pytest.fixture
def original_file_names(api):
    """The organisation's `use_original_file_name` setting, on for one test."""
    organisation = records.query_kind("Organisation", limit=1)[0]
    path = f"/data/organisations/{organisation['id']}"
    assert api["admin"].put(path, json={"use_original_file_name": True}).status_code == 200
    yield
    api["admin"].put(path, json={"use_original_file_name": False})


def test_zip_entries_keep_their_extension_under_original_file_names(api, production, make_preview, new_playlist,
                                                                     original_file_names):
    shot = production.new_shot("SH110")
    # The upload routes keep the uploaded file's name without its extension ("take 12.mp4").
    movie = make_preview(production.task(shot), revision=1, position=1, original_name="take 12")
    picture = make_preview(production.task(shot), revision=1, position=2, extension="png", original_name="board")
    assert (movie["original_name"], picture["original_name"]) == ("take 12", "board")
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": movie["id"]}])
    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/download/zip")
    assert answer.status_code == 302, answer.text
    archive = zipfile.ZipFile(io.BytesIO(requests.get(answer.headers["Location"], timeout=30).content))
    assert archive.namelist() == ["take 12.mp4", "board-2.png"]
    assert archive.read("board-2.png") == uploaded(picture)


def test_deleting_a_running_build_leaves_nothing_behind(api, production, make_preview, new_playlist):
    shot = production.new_shot()
    preview = make_preview(production.task(shot))
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": preview["id"]}])
    job = start_build(api, playlist["id"])
    assert api["manager"].delete(f"/data/playlists/{playlist['id']}/jobs/{job['id']}").status_code == 204
    execution = builds.execution_arn(job["id"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if aws.client("stepfunctions").describe_execution(executionArn=execution)["status"] != "RUNNING":
            break
        time.sleep(0.2)
    time.sleep(1)  # a stopped execution's last Lambda may still be finishing
    assert storage.head(storage.playlist_build_key(job["id"])) is None
    assert records.get(job["id"]) is None
