"""A production per test, built through the API as a manager would: a project, an
episode, a sequence, two shots, an asset, tasks, and on the first shot's task a comment
with an attachment, a picture preview (processed) and a working file with content."""
import io
import uuid
from dataclasses import dataclass

import pytest
from PIL import Image

from chalicelib import storage
from chalicelib.models import records
from tests import waiting


@dataclass
class Production:
    project: dict
    episode: dict
    sequence: dict
    shot: dict
    other_shot: dict
    asset: dict
    task: dict            # on `shot`: holds the comment, the preview and the working file
    other_task: dict      # on `other_shot`
    asset_task: dict
    comment: dict
    attachment_id: str
    preview: dict
    working_file: dict


def created(answer) -> dict:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def wait_until_processed(api, preview_id: str, timeout: float = 60) -> dict:
    return waiting.preview_processed(api["admin"], preview_id, timeout)


def new_task(api, demo, project: dict, entity: dict, type_name: str = "Animation"):
    return api["manager"].post("/data/tasks", json={
        "project_id": project["id"], "entity_id": entity["id"], "task_type_id": demo["task_types"][type_name]["id"],
        "task_status_id": demo["statuses"]["todo"]["id"]})


def object_keys(prefix: str) -> list[str]:
    from chalicelib import aws

    listed = aws.client("s3").list_objects_v2(Bucket=storage.bucket(), Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def orphans_of(record_id: str) -> list[str]:
    """Records still naming a deleted record as their parent (by the index and by key)."""
    return [record.id for record in records.under_parent(record_id)]


@pytest.fixture
def production(api, demo) -> Production:
    manager = api["manager"]
    team = [demo["people"][role]["id"] for role in ("manager", "supervisor", "user", "client", "vendor")]
    project = created(api["admin"].post("/data/projects", json={"name": f"Deletes {uuid.uuid4().hex[:8]}",
                                                                 "team": team}))
    pid = project["id"]
    created(manager.post(f"/actions/projects/{pid}/set-file-tree", json={"tree_name": "default"}))
    episode = created(manager.post(f"/data/projects/{pid}/episodes", json={"name": "EP01"}))
    sequence = created(manager.post(f"/data/projects/{pid}/sequences", json={"name": "SQ01",
                                                                              "episode_id": episode["id"]}))
    shot = created(manager.post(f"/data/projects/{pid}/shots", json={"name": "SH010", "sequence_id": sequence["id"]}))
    other_shot = created(manager.post(f"/data/projects/{pid}/shots", json={"name": "SH020",
                                                                            "sequence_id": sequence["id"]}))
    character = api["admin"].get("/data/entity-types", params={"name": "Character"}).json()[0]
    asset = created(manager.post(f"/data/projects/{pid}/asset-types/{character['id']}/assets/new",
                                 json={"name": "Hero"}))
    task = created(new_task(api, demo, project, shot))
    other_task = created(new_task(api, demo, project, other_shot))
    asset_task = created(new_task(api, demo, project, asset, "Modeling"))
    comment = created(manager.post(f"/actions/tasks/{task['id']}/comment", data={
        "task_status_id": demo["statuses"]["wip"]["id"], "comment": "notes"},
        files={"file": ("notes.txt", b"keep the red")}))
    preview = created(manager.post(f"/actions/tasks/{task['id']}/comments/{comment['id']}/add-preview", json={}))
    created(manager.post(f"/pictures/preview-files/{preview['id']}", files={"file": ("frame.png", png_bytes())}))
    preview = wait_until_processed(api, preview["id"])
    assert preview["status"] == "ready", preview
    working_file = created(manager.post(f"/data/tasks/{task['id']}/working-files/new", json={"name": "main"}))
    created(manager.post(f"/data/working-files/{working_file['id']}/file", files={"file": ("scene.blend", b"blend")}))
    return Production(project, episode, sequence, shot, other_shot, asset, task, other_task, asset_task, comment,
                      comment["attachment_files"][0], preview, working_file)
