"""The build-ready and notify-clients emails carry a review link: the review page of a share
link made for that email, which works at once and ends when the email's download does."""
import datetime
import html
import re

import requests

from chalicelib.config import settings
from chalicelib.models import shares
from tests.playlists.test_movie_builds import start_build, wait_for_email


def review_tokens(email: dict) -> list[str]:
    return [html.unescape(url).rsplit("/review/", 1)[1] for url in re.findall(r'href="([^"]+)"', email["body"])
            if "/review/" in url]


def expected_end() -> str:
    ends = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=settings().email_link_seconds)
    return f"{ends.date().isoformat()}T23:59:59"


def test_the_build_email_links_to_a_review_page_that_opens(api, stack, demo, production, make_preview,
                                                          new_playlist):
    shot = production.new_shot()
    preview = make_preview(production.task(shot), seconds=1)
    playlist = new_playlist()
    api["manager"].post(f"/actions/playlists/{playlist['id']}/add-entity",
                        json={"entity_id": shot["id"], "preview_file_id": preview["id"]})
    job = start_build(api, playlist["id"])
    email = wait_for_email(stack, demo["people"]["manager"]["email"], "playlist download", job["id"], seconds=120)
    [token] = review_tokens(email)
    link = shares.by_token(token)
    assert link["playlist_id"] == playlist["id"] and link["expiration_date"].startswith(expected_end())
    assert "Download Playlist Build" in email["body"]
    page = requests.get(f"{stack.api_url}/review/{token}", timeout=30)
    assert page.status_code == 200 and "review.js" in page.text
    shared = api["anonymous"].get(f"/shared/playlists/{token}")
    assert shared.status_code == 200 and [b["id"] for b in shared.json()["build_jobs"]] == [job["id"]]
    # Where each entry is in the built movie, for the review page: one second at 25 fps.
    assert shared.json()["build_movie"] == {"build_job_id": job["id"], "fps": "25/1", "frame_count": 25,
                                            "entries": [{"index": 0, "frame_in": 0, "frames": 25}]}
    movie = api["anonymous"].get(f"/shared/playlists/{token}/jobs/{job['id']}/build/mp4")
    assert movie.status_code == 302 and requests.get(movie.headers["Location"], timeout=30).content[4:8] == b"ftyp"


def test_the_notify_clients_email_links_to_a_review_page(api, stack, demo, new_playlist):
    playlist = new_playlist(for_client=True)
    before = len(stack.sent_emails())
    assert api["manager"].post(f"/data/playlists/{playlist['id']}/notify-clients", json={}).status_code == 200
    [email] = stack.sent_emails()[before:]
    [token] = review_tokens(email)
    assert shares.by_token(token)["expiration_date"].startswith(expected_end())
    assert api["anonymous"].get(f"/shared/playlists/{token}").status_code == 200
