"""What a build job tells about its playlist: the entries it left out and why (on the job
and in its email), one job at a time per playlist and parameters, and its progress."""
import html
import time
from concurrent.futures import ThreadPoolExecutor

import gazu

from chalicelib.media import probe_movie
from chalicelib.models import records
from devstack import sample_media
from devstack.demo import DEMO_PASSWORD


def emails_about(stack, address: str, text: str) -> list[dict]:
    return [e for e in stack.sent_emails() if address in e["destinations"]["ToAddresses"]
            and text in html.unescape(e["body"])]


def wait_for_emails(stack, address: str, text: str, seconds: float = 20) -> list[dict]:
    """Every email to `address` mentioning `text`, once at least one came (and a moment
    more, for a duplicate to show)."""
    deadline = time.monotonic() + seconds
    while not emails_about(stack, address, text) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    return emails_about(stack, address, text)


def test_skipped_entries_are_listed_on_the_job_and_in_the_email(api, stack, demo, production, make_preview,
                                                               add_preview, new_playlist, wait_for_job,
                                                               recorded_metrics):
    movie_shot, picture_shot, broken_shot, processing_shot, empty_shot = [production.new_shot() for _ in range(5)]
    movie = make_preview(production.task(movie_shot))
    picture = make_preview(production.task(picture_shot), extension="png")
    clip = sample_media.normalized_clip(1, *sample_media.project_canvas(production.project))
    broken = sample_media.add_ready_preview(production.task(broken_shot), clip, status="broken")
    processing = add_preview(production.task(processing_shot))
    playlist = new_playlist(name="Mixed", shots=[
        {"entity_id": movie_shot["id"], "preview_file_id": movie["id"]},
        {"entity_id": picture_shot["id"], "preview_file_id": picture["id"]},
        {"entity_id": broken_shot["id"], "preview_file_id": broken["id"]},
        {"entity_id": processing_shot["id"], "preview_file_id": processing["id"]},
        {"entity_id": empty_shot["id"]}])

    job = api["manager"].get(f"/data/playlists/{playlist['id']}/build/mp4").json()
    done = wait_for_job(playlist["id"], job["id"])

    assert done["status"] == "succeeded", done.get("failure_reason")
    assert (done["entry_count"], done["movie_count"]) == (5, 1)
    assert [(s["position"], s["entity_id"], s["preview_file_id"], s["reason"]) for s in done["skipped"]] == [
        (2, picture_shot["id"], picture["id"], "picture"),
        (3, broken_shot["id"], broken["id"], "broken"),
        (4, processing_shot["id"], processing["id"], "still processing"),
        (5, empty_shot["id"], None, "no preview")]
    line = (f"1 of 5 entries, 4 skipped: {picture_shot['name']} (picture), {broken_shot['name']} (broken), "
            f"{processing_shot['name']} (still processing), {empty_shot['name']} (no preview).")
    emails = wait_for_emails(stack, demo["people"]["manager"]["email"], done["id"])
    assert len(emails) == 1 and "playlist download" in emails[0]["subject"]
    assert line in html.unescape(emails[0]["body"])
    assert 4 in recorded_metrics("BuildEntriesSkipped")


def test_a_build_of_only_skipped_entries_fails_and_says_which(api, stack, demo, production, make_preview,
                                                              add_preview, new_playlist, wait_for_job):
    picture_shot, processing_shot = production.new_shot(), production.new_shot()
    picture = make_preview(production.task(picture_shot), extension="png")
    processing = add_preview(production.task(processing_shot))
    playlist = new_playlist(shots=[{"entity_id": picture_shot["id"], "preview_file_id": picture["id"]},
                                   {"entity_id": processing_shot["id"], "preview_file_id": processing["id"]}])
    job = api["manager"].get(f"/data/playlists/{playlist['id']}/build/mp4").json()
    done = wait_for_job(playlist["id"], job["id"])
    assert done["status"] == "failed" and "no ready movie" in done["failure_reason"]
    assert [s["reason"] for s in done["skipped"]] == ["picture", "still processing"]
    emails = wait_for_emails(stack, demo["people"]["manager"]["email"], playlist["name"])
    assert len(emails) == 1 and "failed" in emails[0]["subject"]
    assert f"0 of 2 entries, 2 skipped: {picture_shot['name']} (picture)" in html.unescape(emails[0]["body"])


def test_concurrent_build_requests_give_one_job_and_one_email(api, stack, demo, production, make_preview,
                                                              new_playlist, wait_for_job, recorded_metrics):
    shot = production.new_shot()
    movie = make_preview(production.task(shot))
    playlist = new_playlist(shots=[{"entity_id": shot["id"], "preview_file_id": movie["id"]}])
    path = f"/data/playlists/{playlist['id']}/build/mp4"

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: api["manager"].get(path), range(10)))
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    job = answers[0].json()
    assert job["status"] == "running" and job["job_type"] == "movie"
    assert [j["id"] for j in records.query_parent(playlist["id"], "BuildJob")] == [job["id"]]
    assert (sum(recorded_metrics("BuildsStarted")), sum(recorded_metrics("BuildsJoined"))) == (1, 9)

    done = wait_for_job(playlist["id"], job["id"])
    assert done["status"] == "succeeded", done.get("failure_reason")
    assert len(wait_for_emails(stack, demo["people"]["manager"]["email"], job["id"])) == 1
    # Other parameters are another build; once this one ended, a request starts a new one.
    full = api["manager"].get(path, params={"full": "true"}).json()
    after = api["manager"].get(path).json()
    assert len({job["id"], full["id"], after["id"]}) == 3
    for started in (full, after):
        assert wait_for_job(playlist["id"], started["id"])["status"] == "succeeded"


def test_two_gazu_scripts_building_one_playlist_wait_on_one_job(api_url, production, make_preview, new_playlist,
                                                                tmp_path):
    shots = [production.new_shot() for _ in range(2)]
    playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": make_preview(production.task(s))["id"]}
                                   for s in shots])
    clients = []
    for _ in range(2):
        client = gazu.client.create_client(api_url)
        gazu.log_in("manager@demo.reelbase.dev", DEMO_PASSWORD, client=client)
        clients.append(client)
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = list(pool.map(lambda c: gazu.playlist.build_playlist_movie(playlist, client=c), clients))
    assert jobs[0]["id"] == jobs[1]["id"] and jobs[0]["status"] == "running"  # a job dict, not a 409 dict
    # Both wait on it the way gazu does: the download answers 202 until the movie exists.
    for n, client in enumerate(clients):
        target = tmp_path / f"movie-{n}.mp4"
        gazu.playlist.download_playlist_build(playlist, jobs[n], str(target), client=client)
        assert probe_movie(str(target)).duration > 1.5
    assert gazu.playlist.get_build_job(playlist, jobs[0], client=clients[0])["status"] == "succeeded"
