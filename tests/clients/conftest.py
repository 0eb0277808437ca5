"""The reelbase-gazu client (clients/python) against the test stack, with the real gazu.
The package is imported from its source folder, as `pip install clients/python` would
install it (the shared virtualenv is not changed by the tests)."""
import sys
import time

import gazu
import pytest

from devstack.demo import DEMO_PASSWORD
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "clients" / "python" / "src"))

import reelbase_gazu  # noqa: E402


@pytest.fixture
def installed():
    """reelbase_gazu.install(...) for one test; gazu gets its own upload back afterwards."""
    yield reelbase_gazu.install
    reelbase_gazu.uninstall()


@pytest.fixture
def manager(api_url, demo):
    client = gazu.client.create_client(api_url)
    gazu.log_in("manager@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    return client


@pytest.fixture(scope="module")
def shot_task(api, demo):
    """A 24 fps 640x360 project with one shot and its Animation task."""
    admin = api["admin"]
    team = [p["id"] for role, p in demo["people"].items() if role != "admin"]
    project = admin.post("/data/projects", json={"name": f"big uploads {time.time_ns()}", "team": team,
                                                 "fps": "24", "resolution": "640x360"}).json()
    # Working and output files need their paths from a file tree.
    assert admin.post(f"/actions/projects/{project['id']}/set-file-tree", json={"tree_name": "simple"}).ok
    sequence = admin.post(f"/data/projects/{project['id']}/sequences", json={"name": "SQ01"}).json()
    shot = admin.post(f"/data/projects/{project['id']}/shots",
                      json={"name": "SH010", "sequence_id": sequence["id"]}).json()
    task = admin.post("/data/tasks", json={
        "project_id": project["id"], "entity_id": shot["id"], "task_type_id": demo["task_types"]["Animation"]["id"],
        "task_status_id": demo["statuses"]["todo"]["id"], "assignees": [demo["people"]["user"]["id"]]})
    assert task.status_code == 201, task.text
    return {"project": project, "shot": shot, "task": task.json(), "status": demo["statuses"]["wip"]}
