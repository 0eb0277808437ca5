"""The app's log stream read back while a test runs (log_stream.py), and a small
production to make it speak: a 320x180 project at 25 fps, two shots with a task each,
two clients on the team."""
import subprocess
import time
import uuid

import pytest
import requests

from chalicelib.media.ffmpeg import ffmpeg_binary
from chalicelib.observability import logger
from log_stream import EmfLines, LogLines

FPS, WIDTH, HEIGHT = "25", 320, 180


@pytest.fixture
def log_lines():
    """The logger's handler writes here instead of stdout while the test runs."""
    lines = LogLines()
    handler = logger.registered_handler
    previous = handler.setStream(lines.stream)
    yield lines
    handler.setStream(previous)


@pytest.fixture
def emf(capsys):
    return EmfLines(capsys)


@pytest.fixture(scope="module")
def studio(api, demo):
    admin = api["admin"]
    second_client = admin.post("/data/persons", json={
        "first_name": "Second", "last_name": "Client", "email": f"client-{uuid.uuid4().hex[:8]}@example.com",
        "role": "client", "notifications_enabled": True})
    assert second_client.status_code == 201, second_client.text
    team = [p["id"] for role, p in demo["people"].items() if role != "admin"] + [second_client.json()["id"]]
    project = admin.post("/data/projects", json={
        "name": f"observed {uuid.uuid4().hex[:8]}", "team": team, "fps": FPS, "resolution": f"{WIDTH}x{HEIGHT}",
        "task_types": [t["id"] for t in demo["task_types"].values()]})
    assert project.status_code == 201, project.text
    project = project.json()
    sequence = admin.post(f"/data/projects/{project['id']}/sequences", json={"name": "SQ01"}).json()
    shots = [admin.post(f"/data/projects/{project['id']}/shots", json={"name": name, "sequence_id": sequence["id"]})
             .json() for name in ("SH010", "SH020")]
    tasks = [admin.post("/data/tasks", json={
        "project_id": project["id"], "entity_id": shot["id"], "task_type_id": demo["task_types"]["Animation"]["id"],
        "task_status_id": demo["statuses"]["todo"]["id"]}).json() for shot in shots]
    return {"project": project, "shots": shots, "tasks": tasks, "status": demo["statuses"]["wip"]}


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("observed") / "take.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", f"testsrc=size={WIDTH}x{HEIGHT}:rate={FPS}:duration=1", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)], check=True)
    return path


@pytest.fixture
def upload_preview(api, studio, clip):
    """upload_preview(task) -> the preview, once the pipeline has made it ready (presigned
    PUT -> S3 event -> SQS -> the normalize and images workers)."""
    manager = api["manager"]

    def upload(task: dict) -> dict:
        comment = manager.post(f"/actions/tasks/{task['id']}/comment",
                               json={"task_status_id": studio["status"]["id"], "comment": "take"})
        assert comment.status_code == 201, comment.text
        preview = manager.post(f"/actions/tasks/{task['id']}/comments/{comment.json()['id']}/add-preview", json={})
        assert preview.status_code == 201, preview.text
        preview = preview.json()
        answer = manager.post(f"/pictures/preview-files/{preview['id']}/upload-url", json={"filename": clip.name})
        assert answer.status_code == 201, answer.text
        upload = answer.json()
        put = requests.put(upload["url"], data=clip.read_bytes(), headers=upload["headers"], timeout=30)
        assert put.status_code == 200, put.text
        deadline = time.monotonic() + 90
        while True:
            current = api["admin"].get(f"/data/preview-files/{preview['id']}").json()
            if current["status"] != "processing" or time.monotonic() > deadline:
                assert current["status"] == "ready", current
                return current
            time.sleep(0.2)

    return upload
