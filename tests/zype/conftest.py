"""A fresh publishing site (studio) per test, with its api_key and app_key, and a
recorder of the DynamoDB calls the served app makes (it runs in this process)."""
import uuid
from dataclasses import dataclass

import pytest

from tests.zype.helpers import Zype
from tests import waiting


@dataclass
class Site:
    studio: dict
    admin: object   # an Api as the studio's own admin (keys are theirs to issue)
    api_key: str
    app_key: str
    zype: Zype      # read-write (api_key)
    app: Zype       # read-only (app_key)


def new_site(api, stack) -> Site:
    """A new studio (a tenant): the demo admin founds it and adds its first admin, who
    issues its keys."""
    from chalicelib import auth

    studio = api["admin"].post("/data/studios", json={"name": f"studio-{uuid.uuid4().hex[:8]}"})
    assert studio.status_code == 201, studio.text
    studio = studio.json()
    person = api["admin"].post("/data/persons", json={"first_name": "Site", "role": "admin", "studio_id": studio["id"],
                                                      "email": f"admin-{uuid.uuid4().hex[:8]}@site.example"})
    assert person.status_code == 201, person.text
    admin = api["admin"].as_token(auth.issue_tokens(person.json())["access_token"])
    issued = {}
    for kind in ("api_key", "app_key"):
        answer = admin.post(f"/data/studios/{studio['id']}/zype-keys", json={"kind": kind, "name": kind})
        assert answer.status_code == 201, answer.text
        issued[kind] = answer.json()["key"]
    return Site(studio, admin, issued["api_key"], issued["app_key"],
                Zype(stack.api_url, {"api_key": issued["api_key"]}),
                Zype(stack.api_url, {"app_key": issued["app_key"]}))


@pytest.fixture
def site(api, stack) -> Site:
    return new_site(api, stack)


@pytest.fixture
def zype(site) -> Zype:
    return site.zype


@pytest.fixture(scope="session")
def review_task(api, demo) -> dict:
    """A task of a review project of its own (the demo's stay as they are), for previews
    that videos are promoted from."""
    admin, team = api["admin"], [p["id"] for role, p in demo["people"].items() if role != "admin"]
    project = admin.post("/data/projects", json={"name": f"publishing {uuid.uuid4().hex[:8]}", "team": team,
                                                 "fps": "25", "resolution": "320x180"}).json()
    sequence = admin.post(f"/data/projects/{project['id']}/sequences", json={"name": "SQ01"}).json()
    shot = admin.post(f"/data/projects/{project['id']}/shots",
                      json={"name": "SH010", "sequence_id": sequence["id"]}).json()
    task = admin.post("/data/tasks", json={"project_id": project["id"], "entity_id": shot["id"],
                                           "task_type_id": demo["task_types"]["Animation"]["id"],
                                           "task_status_id": demo["statuses"]["todo"]["id"]})
    assert task.status_code == 201, task.text
    return task.json()


@pytest.fixture(scope="session")
def review_previews(demo, review_task) -> dict:
    """Previews of the review task, made as a studio makes them (uploaded, then processed by
    the pipeline): a ready 2 s movie, a ready picture, and one still waiting for its file."""
    from devstack import sample_media

    manager = demo["people"]["manager"]
    return {
        "movie": sample_media.upload_preview(manager, review_task, sample_media.source_clip(2, "25", 320, 180)),
        "picture": sample_media.upload_preview(manager, review_task, sample_media.source_picture(320, 180)),
        "processing": sample_media.new_preview(manager, review_task),
    }


@pytest.fixture(autouse=True)
def dynamodb_calls(monkeypatch):
    """Names of the DynamoDB operations made from now on (clear it to start counting).
    Every publishing test also checks that nothing it did scanned a table."""
    calls = waiting.record_dynamodb_operations(monkeypatch)
    yield calls
    assert "Scan" not in calls
