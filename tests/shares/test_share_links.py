"""Zou's share links, against the local stack: the manager's routes and every guest route,
with the shapes and statuses real Zou 1.0.94 answers (probed side by side: see README)."""
import datetime

import gazu
import pytest
import requests

from chalicelib.models import records, shares
from tests.playlists.conftest import new_record

LINK_FIELDS = {"id", "token", "playlist_id", "created_by", "expiration_date", "is_active", "can_comment",
               "created_at", "updated_at", "type", "has_password"}


@pytest.fixture
def shared(api, production, make_preview, new_playlist):
    """A playlist of two shots (a movie and a picture) and its entries' previews."""
    first, second = production.new_shot(), production.new_shot()
    movie = make_preview(production.task(first), seconds=1)
    picture = make_preview(production.task(second), extension="png")
    playlist = new_playlist()
    for shot, preview in ((first, movie), (second, picture)):
        answer = api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity",
                                     json={"entity_id": shot["id"], "preview_file_id": preview["id"]})
        assert answer.status_code == 200, answer.text
    return {"playlist": playlist, "movie": movie, "picture": picture, "shots": [first, second]}


def new_link(api, playlist_id: str, **body) -> dict:
    answer = api["manager"].post(f"/data/playlists/{playlist_id}/share", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def guest_get(api, token: str, path: str = "", **params) -> requests.Response:
    return api["anonymous"].get(f"/shared/playlists/{token}{path}", params=params)


def test_a_link_has_zous_fields_lasts_to_the_end_of_its_day_and_hides_its_password(api, shared):
    playlist_id = shared["playlist"]["id"]
    link = new_link(api, playlist_id, expiration_date="2030-01-10", password="secret-words")
    assert set(link) == LINK_FIELDS
    assert link["expiration_date"].startswith("2030-01-10T23:59:59")
    assert (link["can_comment"], link["is_active"], link["has_password"], link["type"]) == (
        True, True, True, "PlaylistShareLink")
    assert len(link["token"]) >= 22  # at least 128 bits in URL-safe base64
    stored = shares.by_token(link["token"])
    assert stored["password"].startswith("$argon2") and "secret-words" not in str(stored)
    listed = api["manager"].get(f"/data/playlists/{playlist_id}/share")
    assert listed.status_code == 200
    assert [item["token"] for item in listed.json()] == [link["token"]]
    assert "password" not in listed.json()[0]
    plain = new_link(api, playlist_id, can_comment=False)
    assert (plain["expiration_date"], plain["has_password"], plain["can_comment"]) == (None, False, False)


def test_bad_bodies_and_people_who_do_not_manage_the_project_are_refused(api, shared):
    playlist_id = shared["playlist"]["id"]
    bad = api["manager"].post(f"/data/playlists/{playlist_id}/share", json={"expiration_date": "nope"})
    assert bad.status_code == 400 and "ISO 8601" in bad.json()["message"]
    for role in ("user", "client", "supervisor", "vendor"):
        assert api[role].post(f"/data/playlists/{playlist_id}/share", json={}).status_code == 403, role
        assert api[role].get(f"/data/playlists/{playlist_id}/share").status_code == 403, role
    assert api["anonymous"].get(f"/data/playlists/{playlist_id}/share").status_code == 401
    assert api["manager"].post(f"/data/playlists/{shared['shots'][0]['id']}/share", json={}).status_code == 404


def test_the_guest_reads_the_playlist_its_context_and_its_entries_media(api, shared, production):
    token = new_link(api, shared["playlist"]["id"])["token"]
    answer = guest_get(api, token)
    assert answer.status_code == 200, answer.text
    playlist = answer.json()
    assert playlist["id"] == shared["playlist"]["id"]
    assert (playlist["project_name"], playlist["project_fps"]) == (production.project["name"], "25")
    assert [s["preview_file_id"] for s in playlist["shots"]] == [shared["movie"]["id"], shared["picture"]["id"]]
    assert [s["name"] for s in playlist["shots"]] == [s["name"] for s in shared["shots"]]
    assert {s["parent_name"] for s in playlist["shots"]} == {"SQ01"}
    context = guest_get(api, token, "/context").json()
    assert context["project"] == {"id": production.project["id"], "name": production.project["name"], "fps": "25",
                                  "ratio": production.project.get("ratio"), "resolution": "320x180", "team": []}
    assert {s["id"] for s in context["task_statuses"]} == set(production.project["task_statuses"])
    movie, picture = shared["movie"]["id"], shared["picture"]["id"]
    assert guest_get(api, token, f"/preview-files/{movie}").json()["id"] == movie
    for path in (f"/movies/originals/preview-files/{movie}.mp4", f"/pictures/thumbnails/preview-files/{movie}.png",
                 f"/movies/tiles/preview-files/{movie}.png", f"/preview-files/{movie}/download",
                 f"/pictures/originals/preview-files/{picture}.png"):
        answer = guest_get(api, token, path)
        assert answer.status_code == 302, (path, answer.text)
        content = requests.get(answer.headers["Location"], timeout=30)
        assert content.status_code == 200 and len(content.content) > 100, path
    assert "attachment" in requests.get(guest_get(api, token, f"/preview-files/{movie}/download").headers[
        "Location"], timeout=30).headers.get("Content-Disposition", "")


def test_a_guest_reaches_nothing_of_another_playlist_or_project(api, shared, production, make_preview,
                                                                 new_playlist):
    token = new_link(api, shared["playlist"]["id"])["token"]
    elsewhere = production.new_shot()
    other_preview = make_preview(production.task(elsewhere), extension="png")
    other_playlist = new_playlist()
    api["manager"].post(f"/actions/playlists/{other_playlist['id']}/add-entity",
                        json={"entity_id": elsewhere["id"], "preview_file_id": other_preview["id"]})
    for path in (f"/preview-files/{other_preview['id']}",
                 f"/pictures/thumbnails/preview-files/{other_preview['id']}.png",
                 f"/pictures/originals/preview-files/{other_preview['id']}.png",
                 f"/movies/originals/preview-files/{other_preview['id']}.mp4",
                 f"/preview-files/{other_preview['id']}/download",
                 f"/preview-files/{production.project['id']}"):
        assert guest_get(api, token, path).status_code == 403, path
    guest = api["anonymous"].post(f"/shared/playlists/{token}/guest", json={"first_name": "Ann"}).json()
    other_task = production.task(elsewhere)
    answer = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={
        "guest_id": guest["id"], "task_id": other_task["id"], "task_status_id": production.statuses["wip"]["id"],
        "text": "not mine"})
    assert answer.status_code == 403
    answer = api["anonymous"].put(f"/shared/playlists/{token}/annotations", json={
        "guest_id": guest["id"], "preview_file_id": other_preview["id"], "additions": []})
    assert answer.status_code == 403
    # A guest of another link is refused here, and a token of another playlist is not this playlist's.
    other_token = new_link(api, other_playlist["id"])["token"]
    other_guest = api["anonymous"].post(f"/shared/playlists/{other_token}/guest", json={}).json()
    task = production.task(shared["shots"][0])
    answer = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={
        "guest_id": other_guest["id"], "task_id": task["id"], "task_status_id": production.statuses["wip"]["id"]})
    assert answer.status_code == 403
    assert api["manager"].delete(f"/data/playlists/{shared['playlist']['id']}/share/{other_token}").status_code == 404
    assert api["manager"].post(f"/data/playlists/{shared['playlist']['id']}/share/{other_token}/invite",
                               json={"emails": ["a@example.com"]}).status_code == 404
    assert guest_get(api, other_token).status_code == 200  # untouched
    # The other playlist's built movie is not this link's either.
    other_job = records.create("BuildJob", {"status": "succeeded", "job_type": "movie",
                                            "playlist_id": other_playlist["id"],
                                            "project_id": other_playlist["project_id"]},
                               project_id=other_playlist["project_id"], parent_id=other_playlist["id"])
    assert guest_get(api, token, f"/jobs/{other_job['id']}/build/mp4").status_code == 403


def test_a_guest_reaches_nothing_of_another_project(api, shared, demo, add_preview, unique):
    token = new_link(api, shared["playlist"]["id"])["token"]
    project = new_record("projects", {"name": unique("elsewhere"), "studio_id": demo["studio"]["id"],
                                      "team": [demo["people"]["manager"]["id"]]})
    shot = new_record("shots", {"name": "SH900", "project_id": project["id"]})
    task_type = next(iter(demo["task_types"].values()))
    task = new_record("tasks", {"project_id": project["id"], "entity_id": shot["id"], "task_type_id": task_type["id"],
                                "task_status_id": demo["statuses"]["wip"]["id"]})
    preview = add_preview(task)
    for path in (f"/preview-files/{preview['id']}", f"/pictures/thumbnails/preview-files/{preview['id']}.png",
                 f"/movies/originals/preview-files/{preview['id']}.mp4", f"/preview-files/{preview['id']}/download"):
        assert guest_get(api, token, path).status_code == 403, path
    guest = api["anonymous"].post(f"/shared/playlists/{token}/guest", json={}).json()
    answer = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={
        "guest_id": guest["id"], "task_id": task["id"], "task_status_id": demo["statuses"]["wip"]["id"]})
    assert answer.status_code == 403
    assert all(c["person_id"] != guest["id"] for c in records.query_parent(task["id"], "Comment"))


def test_revoking_stops_the_link_at_once_and_answers_it_inactive(api, shared):
    playlist_id = shared["playlist"]["id"]
    token = new_link(api, playlist_id)["token"]
    assert guest_get(api, token).status_code == 200
    answer = api["manager"].delete(f"/data/playlists/{playlist_id}/share/{token}")
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    for path in ("", "/context", "/comments", f"/preview-files/{shared['movie']['id']}"):
        assert guest_get(api, token, path).status_code == 404, path
    assert api["manager"].get(f"/data/playlists/{playlist_id}/share").json() == []
    assert api["manager"].delete(f"/data/playlists/{playlist_id}/share/no-such-token").status_code == 404


def test_an_expired_link_stops_and_a_link_lasts_through_its_day(api, shared):
    playlist_id = shared["playlist"]["id"]
    today = datetime.datetime.now(datetime.UTC).date()
    assert guest_get(api, new_link(api, playlist_id, expiration_date=today.isoformat())["token"]).status_code == 200
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert guest_get(api, new_link(api, playlist_id, expiration_date=yesterday)["token"]).status_code == 404
    link = new_link(api, playlist_id, expiration_date=(today + datetime.timedelta(days=1)).isoformat())
    assert guest_get(api, link["token"]).status_code == 200
    # The link's day ends (its stored end moved into the past): refused from the next request.
    records.update(shares._key(link["token"]), {"expiration_date": "2000-01-01T23:59:59.999999"})
    assert guest_get(api, link["token"]).status_code == 404


def test_a_password_is_asked_for_checked_and_throttled(api, shared):
    link = new_link(api, shared["playlist"]["id"], password="right-password")
    token = link["token"]
    missing = guest_get(api, token)
    assert missing.status_code == 404 and missing.json()["data"] == {"password_required": True}
    assert guest_get(api, token, password="wrong").status_code == 404
    assert guest_get(api, token, password="right-password").status_code == 200
    assert api["anonymous"].post(f"/shared/playlists/{token}/guest", json={}).status_code == 404
    for _ in range(10):
        assert guest_get(api, token, password="wrong").status_code == 404
    throttled = guest_get(api, token, password="right-password")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0


def test_a_guest_comments_on_an_entry_and_the_studio_reads_it_through_zous_comment_routes(
        api, shared, production, api_url, tokens):
    token = new_link(api, shared["playlist"]["id"])["token"]
    guest = api["anonymous"].post(f"/shared/playlists/{token}/guest", json={"first_name": "Ann", "last_name": "Lee"})
    assert guest.status_code == 201 and guest.json()["is_guest"] is True and guest.json()["role"] == "client"
    again = api["anonymous"].post(f"/shared/playlists/{token}/guest", json={"guest_id": guest.json()["id"]})
    assert again.status_code == 200 and again.json()["id"] == guest.json()["id"]
    task = production.task(shared["shots"][0])
    missing = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={})
    assert missing.status_code == 400
    done = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={
        "guest_id": guest.json()["id"], "task_id": task["id"], "task_status_id": production.statuses["done"]["id"]})
    assert done.status_code == 400 and "not allowed" in done.json()["message"]
    answer = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={
        "guest_id": guest.json()["id"], "task_id": task["id"], "task_status_id": production.statuses["wip"]["id"],
        "text": "Frame 12: the hat is too red"})
    assert answer.status_code == 201, answer.text
    comment = answer.json()
    assert (comment["object_id"], comment["person_id"]) == (task["id"], guest.json()["id"])
    listed = guest_get(api, token, "/comments").json()
    assert [c["id"] for c in listed] == [comment["id"]] and listed[0]["person"]["is_guest"] is True
    gazu.set_host(api_url)
    gazu.client.set_tokens({"access_token": tokens["manager"]})
    read = gazu.task.all_comments_for_task(task["id"])
    by_guest = [(c["id"], c["text"]) for c in read if c["person_id"] == guest.json()["id"]]
    assert by_guest == [(comment["id"], "Frame 12: the hat is too red")]
    annotated = api["anonymous"].put(f"/shared/playlists/{token}/annotations", json={
        "guest_id": guest.json()["id"], "preview_file_id": shared["movie"]["id"],
        "additions": [{"time": 0.4, "drawing": {"objects": [{"id": "line-1", "type": "path"}]}}]})
    assert annotated.status_code == 200, annotated.text
    assert len(annotated.json()["annotations"]) == 1


def test_a_link_without_comments_refuses_guest_writes(api, shared, production):
    token = new_link(api, shared["playlist"]["id"], can_comment=False)["token"]
    guest = api["anonymous"].post(f"/shared/playlists/{token}/guest", json={}).json()
    task = production.task(shared["shots"][0])
    answer = api["anonymous"].post(f"/shared/playlists/{token}/comments", json={
        "guest_id": guest["id"], "task_id": task["id"], "task_status_id": production.statuses["wip"]["id"]})
    assert answer.status_code == 403
    assert api["anonymous"].put(f"/shared/playlists/{token}/annotations", json={
        "guest_id": guest["id"], "preview_file_id": shared["movie"]["id"]}).status_code == 403


def test_invitations_email_the_review_page(api, shared, demo):
    playlist_id = shared["playlist"]["id"]
    token = new_link(api, playlist_id)["token"]
    client = demo["people"]["client"]
    answer = api["manager"].post(f"/data/playlists/{playlist_id}/share/{token}/invite", json={
        "emails": ["reviewer@example.com"], "person_ids": [client["id"]], "message": "Notes by Friday"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sent": ["reviewer@example.com", client["email"]]}
    bad = api["manager"].post(f"/data/playlists/{playlist_id}/share/{token}/invite", json={"emails": ["nope"]})
    assert bad.status_code == 400
    assert api["client"].post(f"/data/playlists/{playlist_id}/share/{token}/invite",
                              json={"emails": ["x@example.com"]}).status_code == 403


def test_the_review_page_is_served_with_its_security_headers(stack, api, shared):
    token = new_link(api, shared["playlist"]["id"])["token"]
    page = requests.get(f"{stack.api_url}/review/{token}", timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "<script src=\"../review-assets/review.js\"" in page.text and "<style" not in page.text
    script = requests.get(f"{stack.api_url}/review-assets/review.js", timeout=30)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert requests.get(f"{stack.api_url}/review-assets/other.js", timeout=30).status_code == 404
