"""Fixtures of the contract tests: a studio with a shot, its task and a comment status."""
import time

import pytest


@pytest.fixture(scope="session")
def studio(api, demo):
    admin = api["admin"]
    team = [p["id"] for role, p in demo["people"].items() if role != "admin"]
    project = admin.post("/data/projects", json={"name": f"contract {time.time_ns()}", "team": team,
                                                 "fps": "24", "resolution": "640x360"})
    assert project.status_code == 201, project.text
    project = project.json()
    sequence = admin.post(f"/data/projects/{project['id']}/sequences", json={"name": "SQ01"}).json()
    shot = admin.post(f"/data/projects/{project['id']}/shots",
                      json={"name": "SH010", "sequence_id": sequence["id"]}).json()
    task_type = demo["task_types"]["Animation"]
    task = admin.post("/data/tasks", json={
        "project_id": project["id"], "entity_id": shot["id"], "task_type_id": task_type["id"],
        "task_status_id": demo["statuses"]["todo"]["id"], "assignees": [demo["people"]["user"]["id"]]})
    assert task.status_code == 201, task.text
    return {"project": project, "sequence": sequence, "shot": shot, "task": task.json(),
            "task_type": task_type, "status": demo["statuses"]["wip"]}


@pytest.fixture
def new_preview(api, studio):
    """A comment on the studio task and a preview file on it (Zou's add-preview)."""
    def make(role: str = "manager") -> dict:
        task = studio["task"]
        comment = api[role].post(f"/actions/tasks/{task['id']}/comment",
                                 json={"task_status_id": studio["status"]["id"], "comment": "take"})
        assert comment.status_code == 201, comment.text
        preview = api[role].post(f"/actions/tasks/{task['id']}/comments/{comment.json()['id']}/add-preview", json={})
        assert preview.status_code == 201, preview.text
        return preview.json()

    return make
