"""A small studio for preview tests: a 24 fps, 640x360 project (cheap to encode, and not
the defaults, so the tests see the project's settings applied) and tiny generated clips."""
import time
from pathlib import Path

import pytest
from PIL import Image
from preview_helpers import (
    PROJECT_FPS,
    PROJECT_HEIGHT,
    PROJECT_WIDTH,
    Previews,
    make_clip,
    s3_bytes,
)

from tests.media_streams import read_streams


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("preview-clips")
    picture = folder / "board.jpg"
    Image.new("RGB", (300, 200), (200, 40, 40)).save(picture, "JPEG")
    corrupt = folder / "corrupt.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    pdf = folder / "notes.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return {
        "4x3": make_clip(folder / "clip 4x3.mp4", "320x240", "30", audio="44100:1"),
        "wide": make_clip(folder / "wide.mov", "400x160", "25"),
        "picture": picture,
        "corrupt": corrupt,
        "pdf": pdf,
    }


@pytest.fixture(scope="session")
def studio(api, demo):
    """A project (24 fps, 640x360) whose team is every demo person but the admin, with a
    shot, its Animation task (assigned to the artist) and a status to comment with."""
    admin = api["admin"]
    team = [p["id"] for role, p in demo["people"].items() if role != "admin"]
    project = admin.post("/data/projects", json={"name": f"previews {time.time_ns()}", "team": team,
                                                 "fps": PROJECT_FPS, "resolution": f"{PROJECT_WIDTH}x{PROJECT_HEIGHT}"})
    assert project.status_code == 201, project.text
    project = project.json()
    sequence = admin.post(f"/data/projects/{project['id']}/sequences", json={"name": "SQ01"}).json()
    shots = [admin.post(f"/data/projects/{project['id']}/shots",
                        json={"name": name, "sequence_id": sequence["id"]}).json() for name in ("SH010", "SH020")]
    task_type = demo["task_types"]["Animation"]
    tasks = [admin.post("/data/tasks", json={
        "project_id": project["id"], "entity_id": shot["id"], "task_type_id": task_type["id"],
        "task_status_id": demo["statuses"]["todo"]["id"], "assignees": [demo["people"]["user"]["id"]]}).json()
        for shot in shots]
    return {"project": project, "sequence": sequence, "shots": shots, "tasks": tasks, "task": tasks[0],
            "status": demo["statuses"]["wip"], "task_type": task_type}


@pytest.fixture
def previews(api, studio) -> Previews:
    return Previews(api, studio)


@pytest.fixture(scope="session")
def s3_streams():
    """PyAV reading an S3 object: {"video": {...}, "audio": {...}, "format": {...}, "count": n}."""
    return lambda key: read_streams(s3_bytes(key))


@pytest.fixture(scope="session")
def ready_movie(api, studio, clips) -> dict:
    """One processed movie preview shared by the tests that only read it."""
    return Previews(api, studio).ready(clips["4x3"])


@pytest.fixture
def fresh_task(api, studio, demo, unique) -> dict:
    """A new shot of the studio project with its Animation task (no previews yet)."""
    project_id = studio["project"]["id"]
    shot = api["admin"].post(f"/data/projects/{project_id}/shots",
                             json={"name": unique("SH"), "sequence_id": studio["sequence"]["id"]}).json()
    task = api["admin"].post("/data/tasks", json={
        "project_id": project_id, "entity_id": shot["id"], "task_type_id": studio["task_type"]["id"],
        "task_status_id": demo["statuses"]["todo"]["id"], "assignees": [demo["people"]["user"]["id"]]})
    assert task.status_code == 201, task.text
    return task.json()
