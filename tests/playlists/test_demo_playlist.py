"""`make run` as a person starts it (its own local stack and demo data, in a process of its
own on free ports): every preview of the demo playlist downloads, with all its pictures,
as the README tour fetches them."""
import io
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from PIL import Image

from devstack.demo import DEMO_PASSWORD
from devstack.stack import DUMMY_AWS, ROOT, free_port
from tests.media_streams import read_streams

START_SECONDS = 600  # the demo's previews go through the whole pipeline on a shared machine


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """(api url, manager headers, demo playlist) of a running `python -m devstack.serve`."""
    log_path = tmp_path_factory.mktemp("make-run") / "make-run.log"
    ports = {"REELBASE_MOTO_PORT": str(free_port()), "REELBASE_API_PORT": str(free_port())}
    # Not this process's environment: it points at the tests' own stack.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
           "PYTHONUNBUFFERED": "1", "BLESSED_QUERY_TIMEOUT_SECONDS": "0.05", **DUMMY_AWS, **ports}
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "devstack.serve"], cwd=ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield _demo_playlist(process, f"http://127.0.0.1:{ports['REELBASE_API_PORT']}/api", log_path)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _demo_playlist(process, api: str, log_path) -> tuple[str, dict, dict]:
    """Once the demo playlist exists (it is made after its previews are ready)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            login = requests.post(f"{api}/auth/login", timeout=10,
                                  json={"email": "manager@demo.reelbase.dev", "password": DEMO_PASSWORD})
            if login.status_code == 200:
                headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
                found = requests.get(f"{api}/data/playlists", params={"name": "Demo review"}, headers=headers,
                                     timeout=10).json()
                if found:
                    return api, headers, found[0]
        except requests.ConnectionError:
            pass  # not serving yet
        time.sleep(0.5)
    pytest.fail(f"no demo playlist after {START_SECONDS} s:\n{log_path.read_text()[-4000:]}")


def _download(api: str, headers: dict, path: str) -> bytes:
    """A download route's object: a 302 to a presigned S3 GET (or the bytes themselves)."""
    answer = requests.get(f"{api}{path}", headers=headers, allow_redirects=False, timeout=30)
    assert answer.status_code in (200, 302), (path, answer.status_code, answer.text)
    if answer.status_code == 302:
        answer = requests.get(answer.headers["Location"], timeout=30)
        assert answer.status_code == 200, (path, answer.status_code, answer.text)
    assert answer.content, path
    return answer.content


def _picture_size(content: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(content)) as picture:
        assert picture.format == "PNG"
        return picture.size


def test_every_demo_playlist_preview_downloads_with_its_pictures(make_run):
    api, headers, playlist = make_run
    project = requests.get(f"{api}/data/projects/{playlist['project_id']}", headers=headers, timeout=10).json()
    entries = requests.get(f"{api}/data/playlists/{playlist['id']}", headers=headers, timeout=10).json()["shots"]
    assert len(entries) == 3 and all(entry.get("preview_file_id") for entry in entries)
    width, height = (int(n) for n in project["resolution"].split("x"))
    for entry in entries:
        preview_id = entry["preview_file_id"]
        preview = requests.get(f"{api}/data/preview-files/{preview_id}", headers=headers, timeout=10).json()
        assert (preview["status"], preview["width"], preview["height"]) == ("ready", width, height)

        movie = read_streams(_download(api, headers, f"/movies/originals/preview-files/{preview_id}.mp4"))
        assert (movie["video"]["width"], movie["video"]["height"]) == (width, height)
        assert movie["video"]["r_frame_rate"] == int(project["fps"]) and movie["audio"] is not None
        assert movie["format"]["duration"] == pytest.approx(preview["duration"], abs=0.1)
        low = read_streams(_download(api, headers, f"/movies/low/preview-files/{preview_id}.mp4"))
        assert low["video"]["width"] == 1280

        pictures = {route: _picture_size(_download(api, headers, f"/pictures/{route}/preview-files/{preview_id}.png"))
                    for route in ("thumbnails", "thumbnails-square", "previews", "originals")}
        assert pictures == {"thumbnails": (150, 100), "thumbnails-square": (100, 100), "previews": (1200, 675),
                            "originals": (width, height)}
        tile_width, _ = _picture_size(_download(api, headers, f"/movies/tiles/preview-files/{preview_id}.png"))
        assert tile_width == 8 * 178  # 8 columns of 16:9 tiles, 100 px high
