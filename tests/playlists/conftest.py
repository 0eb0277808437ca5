"""A small production for playlist tests: a 320x180 project at 25 fps whose team is the
demo studio (but the admin), shots with Layout and Animation tasks, ready previews.

`make_preview` is the one place tests get preview files from: today it stores them the
way the preview pipeline leaves them (devstack/sample_media.py); once the
pipeline's upload routes exist it can upload through them instead."""
import json
import time
import uuid
from dataclasses import dataclass, field

import pytest

from chalicelib import storage
from chalicelib.services.production import collections as c
from chalicelib.services.production import data
from devstack import sample_media

FPS, WIDTH, HEIGHT = "25", 320, 180


def new_record(route: str, body: dict) -> dict:
    collection = c.COLLECTIONS[route]
    return data.store_new(collection, data.prepare_new(collection, body))


@dataclass
class Production:
    project: dict
    sequence: dict
    task_types: dict
    statuses: dict
    shots: list = field(default_factory=list)
    tasks: dict = field(default_factory=dict)  # (shot id, task type name) -> task

    def new_shot(self, name: str | None = None, assignees: dict | None = None) -> dict:
        shot = new_record("shots", {"name": name or f"SH{len(self.shots) + 1:03d}-{uuid.uuid4().hex[:4]}",
                                    "project_id": self.project["id"], "parent_id": self.sequence["id"]})
        for type_name in ("Layout", "Animation"):
            self.tasks[(shot["id"], type_name)] = new_record("tasks", {
                "project_id": self.project["id"], "entity_id": shot["id"],
                "task_type_id": self.task_types[type_name]["id"], "task_status_id": self.statuses["todo"]["id"],
                "assignees": (assignees or {}).get(type_name, [])})
        self.shots.append(shot)
        return shot

    def task(self, shot: dict, type_name: str = "Animation") -> dict:
        return self.tasks[(shot["id"], type_name)]


@pytest.fixture
def production(demo, unique) -> Production:
    team = [p["id"] for role, p in demo["people"].items() if role != "admin"]
    project = new_record("projects", {"name": unique("review"), "fps": FPS, "resolution": f"{WIDTH}x{HEIGHT}",
                                      "team": team, "task_types": [t["id"] for t in demo["task_types"].values()],
                                      "task_statuses": [s["id"] for s in demo["statuses"].values()]})
    sequence = new_record("sequences", {"name": "SQ01", "project_id": project["id"]})
    return Production(project, sequence, demo["task_types"], demo["statuses"])


@pytest.fixture
def make_preview():
    """make_preview(task, seconds=1, pattern=0, ...) -> a ready PreviewFile of the task.
    Movies are normalized to the test project's canvas (320x180, 25 fps)."""
    def make(task: dict, seconds: float = 1, pattern: int = 0, extension: str = "mp4", **fields) -> dict:
        if extension != "mp4":
            return sample_media.add_ready_preview(task, extension=extension, content=fields.pop("content", b"x"),
                                                  **fields)
        clip = sample_media.normalized_clip(seconds, FPS, WIDTH, HEIGHT, sample_media.PATTERNS[pattern])
        return sample_media.add_ready_preview(task, clip, **fields)

    return make


@pytest.fixture
def new_playlist(api, production, unique):
    """new_playlist(**fields) -> a playlist of the production, created by the manager."""
    def create(**fields) -> dict:
        body = {"name": unique("playlist"), "project_id": production.project["id"], **fields}
        answer = api["manager"].post("/data/playlists", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    return create


@pytest.fixture
def wait_for_job(api):
    def wait(playlist_id: str, job_id: str, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            job = api["manager"].get(f"/data/playlists/{playlist_id}/jobs/{job_id}").json()
            if job["status"] != "running" or time.monotonic() > deadline:
                return job
            time.sleep(0.2)

    return wait


@pytest.fixture
def small_chunks(monkeypatch):
    """Builds split playlists into chunks of 2 entries (the default is 10)."""
    from chalicelib.config import settings

    monkeypatch.setenv("BUILD_CHUNK_SIZE", "2")
    settings.cache_clear()
    yield 2
    monkeypatch.undo()
    settings.cache_clear()


@pytest.fixture(scope="session")
def event_log(stack):
    """Events published on the bus, read back through a rule that copies them to a queue:
    event_log() -> [(name, detail), ...] received since the last call."""
    from chalicelib import aws
    from chalicelib.config import settings

    sqs, bus = aws.client("sqs"), settings().event_bus_name
    queue_url = sqs.create_queue(QueueName=f"test-events-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = aws.client("events")
    events.put_rule(Name="test-everything", EventBusName=bus, EventPattern=json.dumps({"source": ["reelbase.zou"]}))
    events.put_targets(Rule="test-everything", EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])

    def read() -> list[tuple[str, dict]]:
        received = []
        while True:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return received
            for message in messages:
                body = json.loads(message["Body"])
                received.append((body["detail-type"], body["detail"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    read()
    return read


def object_exists(key: str) -> bool:
    return storage.head(key) is not None
