"""A vendor reads the comments of the tasks assigned to them only, as their previews and
files: not those of the other tasks of the project."""
import pytest

from tests.permissions.world import ok, tag


@pytest.fixture(scope="module")
def comments(tenants):
    """A comment on the task assigned to the vendor, and one on a task that is not."""
    a = tenants.a
    layout = ok(a.apis["manager"].post("/data/tasks", json={
        "project_id": a.project["id"], "entity_id": a.shot["id"], "task_type_id": a.layout_type["id"],
        "name": tag()}), 201)
    said = {}
    for task in (a.task, layout):
        said[task["id"]] = ok(a.apis["manager"].post(f"/actions/tasks/{task['id']}/comment", json={
            "task_status_id": a.status["id"], "comment": f"note {tag()}"}), 201)
    return {"assigned": (a.task, said[a.task["id"]]), "other": (layout, said[layout["id"]])}


def test_a_vendor_reads_the_comments_of_their_tasks(tenants, comments):
    vendor = tenants.a.apis["vendor"]
    task, comment = comments["assigned"]
    assert comment["id"] in [c["id"] for c in ok(vendor.get(f"/data/tasks/{task['id']}/comments"))]
    assert comment["id"] in [c["id"] for c in ok(vendor.get("/data/comments", params={"object_id": task["id"]}))]
    assert ok(vendor.get(f"/data/comments/{comment['id']}"))["id"] == comment["id"]


@pytest.mark.parametrize("identity", ["vendor", "vendor_unassigned"])
def test_a_vendor_reads_no_comment_of_a_task_not_assigned_to_them(tenants, comments, identity):
    vendor = tenants.a.apis[identity]
    task, comment = comments["other"]
    assert vendor.get(f"/data/tasks/{task['id']}/comments").status_code == 403
    assert ok(vendor.get("/data/comments", params={"object_id": task["id"]})) == []
    assert comment["id"] not in [c["id"] for c in ok(vendor.get("/data/comments"))]
    assert vendor.get(f"/data/comments/{comment['id']}").status_code == 403
    # The same answer as the task's previews and attachments.
    assert vendor.get(f"/data/tasks/{task['id']}/attachment-files").status_code == 403


def test_the_rest_of_the_team_reads_every_comment(tenants, comments):
    task, comment = comments["other"]
    for identity in ("artist", "client", "supervisor"):
        listed = ok(tenants.a.apis[identity].get(f"/data/tasks/{task['id']}/comments"))
        assert comment["id"] in [c["id"] for c in listed], identity
