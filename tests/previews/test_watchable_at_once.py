"""Beyond Zou: while a browser-playable upload (H.264 + AAC in MP4) is normalized, the
preview says so (`source_playable`) and the movie routes serve the upload itself to a
player (a request for byte ranges), so a reviewer watches it seconds after the upload;
once the normalized movie is stored, they serve that. gazu's downloads (no Range) and an
upload a browser cannot play wait as before (202)."""
import threading

import requests
from chalicelib import media, storage
from chalicelib.models import records


def _held_encodes(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """(entered, release): the normalize worker's encode sets `entered`, then waits for
    `release` and runs for real, so the test looks at the preview while it is normalized."""
    entered, release = threading.Event(), threading.Event()
    encode = media.normalize_renditions

    def held(*args, **kwargs):
        entered.set()
        release.wait(timeout=60)
        return encode(*args, **kwargs)

    monkeypatch.setattr(media, "normalize_renditions", held)
    return entered, release


def test_a_playable_upload_is_served_while_it_is_normalized(api, previews, clips, monkeypatch):
    entered, release = _held_encodes(monkeypatch)
    preview = previews.new()
    try:
        previews.presigned_put(preview, clips["4x3"])
        assert entered.wait(timeout=30)
        source_key = records.get(preview["id"])["pipeline"]["source_key"]
        during = api["manager"].get(f"/data/preview-files/{preview['id']}").json()
        assert (during["status"], during["source_playable"]) == ("processing", True)
        # gazu's download_preview_movie waits for the normalized movie, as with Zou.
        answer = api["manager"].get(f"/movies/originals/preview-files/{preview['id']}.mp4")
        assert answer.status_code == 202
        for route in ("originals", "low"):
            answer = api["manager"].get(f"/movies/{route}/preview-files/{preview['id']}.mp4",
                                        headers={"Range": "bytes=0-"})
            assert answer.status_code == 302, answer.text
            assert source_key in requests.utils.unquote(answer.headers["Location"])
            played = requests.get(answer.headers["Location"], timeout=10)
            assert played.status_code == 200 and played.content == clips["4x3"].read_bytes()
        # Pictures still wait: they come from the normalized movie.
        assert api["manager"].get(f"/pictures/thumbnails/preview-files/{preview['id']}.png").status_code == 202
    finally:
        release.set()
    ready = previews.wait(preview)
    assert ready["status"] == "ready"
    answer = api["manager"].get(f"/movies/originals/preview-files/{preview['id']}.mp4")
    assert storage.preview_key(preview["id"], "movie") in requests.utils.unquote(answer.headers["Location"])


def test_an_upload_a_browser_cannot_play_waits_for_its_normalized_movie(api, previews, clips, monkeypatch):
    entered, release = _held_encodes(monkeypatch)
    preview = previews.new()
    try:
        previews.presigned_put(preview, clips["wide"])  # a QuickTime .mov
        assert entered.wait(timeout=30)
        assert records.get(preview["id"])["source_playable"] is False
        answer = api["manager"].get(f"/movies/originals/preview-files/{preview['id']}.mp4",
                                    headers={"Range": "bytes=0-"})
        assert answer.status_code == 202
    finally:
        release.set()
    assert previews.wait(preview)["status"] == "ready"


def test_clients_cannot_set_source_playable(api, previews, clips):
    preview = previews.new()
    answer = api["manager"].put(f"/data/preview-files/{preview['id']}", json={"source_playable": True})
    assert answer.status_code in (200, 400)
    assert records.get(preview["id"])["source_playable"] is False


def test_what_browsers_play_as_it_is(clips):
    four_by_three = media.probe_movie(str(clips["4x3"]), count_frames=False)
    assert media.browser_playable(four_by_three, "mp4")
    assert not media.browser_playable(four_by_three, "mov")
    assert not media.browser_playable(media.probe_movie(str(clips["wide"]), count_frames=False), "mov")
