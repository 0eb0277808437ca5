"""A small production for playlist tests: a 320x180 project at 25 fps whose team is the
demo studio (but the admin), shots with Layout and Animation tasks, ready previews.

`make_preview` is the one place tests get preview files from: the manager uploads a
generated clip (or picture) to its presigned URL and the pipeline's workers make it ready,
with every rendition (devstack/sample_media.py)."""
import json
import pathlib
import uuid
from dataclasses import dataclass, field

import pytest

from chalicelib import storage
from chalicelib.models import records
from chalicelib.services.previews import index
from chalicelib.services.production import collections as c
from chalicelib.services.production import data
from devstack import sample_media
from tests import waiting

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
    project = new_record("projects", {"name": unique("review"), "studio_id": demo["studio"]["id"],
                                      "fps": FPS, "resolution": f"{WIDTH}x{HEIGHT}",
                                      "team": team, "task_types": [t["id"] for t in demo["task_types"].values()],
                                      "task_statuses": [s["id"] for s in demo["statuses"].values()]})
    sequence = new_record("sequences", {"name": "SQ01", "project_id": project["id"]})
    return Production(project, sequence, demo["task_types"], demo["statuses"])


def _first_of_revision(task: dict, revision: int) -> dict:
    return next(p for p in records.query_parent(task["id"], "PreviewFile")
                if p["revision"] == revision and p["position"] == 1)


def _backdated(preview: dict, created_at: str | None) -> dict:
    if not created_at:
        return preview
    preview = records.update(preview["id"], {"created_at": created_at}, expected_kind="PreviewFile")
    index.record_preview(preview)
    return preview


@pytest.fixture
def make_preview(demo):
    """make_preview(task, seconds=1, pattern=0, extension="mp4", revision=0, position=1,
    created_at=None, original_name=None) -> a ready PreviewFile of the task, uploaded by the
    manager and made by the pipeline (movies at the test project's canvas, 320x180 at 25 fps).
    `revision` 0 is the next one; a `position` above 1 is one more preview on the comment of
    that revision's first; `created_at` backdates the processed preview (for tie-breaking
    tests); `original_name` is the uploaded file's name without its extension."""
    manager = demo["people"]["manager"]

    def make(task: dict, seconds: float = 1, pattern: int = 0, extension: str = "mp4", revision: int = 0,
             position: int = 1, created_at: str | None = None, original_name: str | None = None) -> dict:
        if extension == "png":
            path = sample_media.source_picture(WIDTH, HEIGHT, sample_media.PATTERNS[pattern])
        else:
            path = sample_media.source_clip(seconds, FPS, WIDTH, HEIGHT, sample_media.PATTERNS[pattern])
        extra_of = _first_of_revision(task, revision) if position > 1 else None
        filename = f"{original_name}{pathlib.Path(path).suffix}" if original_name else None
        preview = sample_media.upload_preview(manager, task, path, revision=revision, extra_of=extra_of,
                                              filename=filename)
        assert (preview["position"], preview["extension"]) == (position, extension), preview
        return _backdated(preview, created_at)

    return make


@pytest.fixture
def add_preview(demo):
    """add_preview(task, revision=0, position=1, created_at=None) -> a PreviewFile of the task
    as Zou's add-preview leaves it, before any file (`processing`): for tests of playlist
    records that never read a preview's media (make_preview runs the whole pipeline)."""
    manager = demo["people"]["manager"]

    def add(task: dict, revision: int = 0, position: int = 1, created_at: str | None = None) -> dict:
        extra_of = _first_of_revision(task, revision) if position > 1 else None
        preview = sample_media.new_preview(manager, task, revision=revision, extra_of=extra_of)
        assert preview["position"] == position, preview
        return _backdated(preview, created_at)

    return add


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
        return waiting.job_ended(api["manager"], playlist_id, job_id, timeout)

    return wait


@pytest.fixture
def small_chunks(monkeypatch):
    """Builds split playlists into chunks of 2 entries (the default is 5, or more for small movies)."""
    from chalicelib.config import settings

    monkeypatch.setenv("BUILD_CHUNK_SIZE", "2")
    monkeypatch.setenv("BUILD_PIECE_BYTES", "0")  # chunks of 2 whatever their size
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


@pytest.fixture
def recorded_metrics(monkeypatch):
    """Every metric the app adds while the test runs (in this process, as the local
    stack runs the app): recorded_metrics(name) -> its values."""
    from chalicelib import observability

    recorded: list[tuple[str, float]] = []
    add = observability.metrics.add_metric

    def spy(name, unit, value, **kwargs):
        recorded.append((name, value))
        return add(name=name, unit=unit, value=value, **kwargs)

    monkeypatch.setattr(observability.metrics, "add_metric", spy)
    return lambda name: [value for metric, value in list(recorded) if metric == name]


@pytest.fixture
def chunks_by_count(monkeypatch):
    """Chunks of BUILD_CHUNK_SIZE entries however small their movies (no 10 MiB minimum)."""
    from chalicelib.config import settings

    monkeypatch.setenv("BUILD_PIECE_BYTES", "0")
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()
