"""Who may do what with previews: the seed's table, with Zou's nuances (zou.md §8).
The studio project's team is every demo person but the admin; its Animation task is
assigned to the artist, in the supervisor's department; the vendor has no task there."""
import pytest
from preview_helpers import Previews

ROLES = ["admin", "manager", "supervisor", "user", "client", "vendor"]


def _allowed(role: str, allowed: set, answer, ok: int) -> None:
    expected = ok if role in allowed else 403
    assert answer.status_code == expected, (role, answer.status_code, answer.text)


@pytest.mark.parametrize("role", ROLES)
def test_uploading_needs_task_action_access(api, studio, clips, role):
    comment = api["manager"].post(f"/actions/tasks/{studio['task']['id']}/comment",
                                  json={"task_status_id": studio["status"]["id"]}).json()
    answer = api[role].post(f"/actions/tasks/{studio['task']['id']}/comments/{comment['id']}/add-preview", json={})
    # Zou: clients of the team may add previews; vendors only on tasks assigned to them.
    _allowed(role, {"admin", "manager", "supervisor", "user", "client"}, answer, 201)
    preview = Previews(api, studio).new()
    with clips["pdf"].open("rb") as handle:
        upload = api[role].post(f"/pictures/preview-files/{preview['id']}", files={"file": ("notes.pdf", handle)})
    _allowed(role, {"admin", "manager", "supervisor", "user", "client"}, upload, 201)


@pytest.mark.parametrize("role", ROLES)
def test_reading_needs_task_access(api, ready_movie, role):
    everyone_but_vendors = set(ROLES) - {"vendor"}
    _allowed(role, everyone_but_vendors, api[role].get(f"/movies/originals/preview-files/{ready_movie['id']}.mp4"), 302)
    _allowed(role, everyone_but_vendors, api[role].get(f"/pictures/thumbnails/preview-files/{ready_movie['id']}.png"),
             302)
    _allowed(role, everyone_but_vendors, api[role].get(f"/data/preview-files/{ready_movie['id']}"), 200)
    _allowed(role, everyone_but_vendors, api[role].get(f"/actions/preview-files/{ready_movie['id']}/extract-tile"),
             302)


@pytest.mark.parametrize("role", ROLES)
def test_annotating_needs_a_manager_supervisor_or_client(api, ready_movie, role):
    answer = api[role].put(f"/actions/preview-files/{ready_movie['id']}/update-annotations",
                           json={"additions": [{"time": 0, "drawing": {"objects": [{"id": role}]}}]})
    _allowed(role, {"admin", "manager", "supervisor", "client"}, answer, 200)


@pytest.mark.parametrize("role", ROLES)
def test_set_main_preview_needs_entity_access(api, ready_movie, role):
    # The seed's rule (project access), not Zou's (which also refuses clients).
    answer = api[role].put(f"/actions/preview-files/{ready_movie['id']}/set-main-preview", json={})
    _allowed(role, {"admin", "manager", "supervisor", "user", "client"}, answer, 200)


@pytest.mark.parametrize("role", ROLES)
def test_managers_extract_frames_edit_and_delete(api, studio, ready_movie, role):
    frame = api[role].get(f"/actions/preview-files/{ready_movie['id']}/extract-frame", params={"frame_number": 1})
    _allowed(role, {"admin", "manager"}, frame, 302)
    preview = Previews(api, studio).new()
    _allowed(role, {"admin", "manager"}, api[role].put(f"/data/preview-files/{preview['id']}",
                                                      json={"description": role}), 200)
    _allowed(role, {"admin", "manager"}, api[role].delete(f"/data/preview-files/{preview['id']}"), 204)


@pytest.mark.parametrize("role", ROLES)
def test_running_previews_are_for_admins(api, role):
    _allowed(role, {"admin"}, api[role].get("/data/playlists/preview-files/running"), 200)


def test_outsiders_see_only_the_thumbnail_of_a_shared_assets_main_preview(api, demo, clips, unique):
    admin = api["admin"]
    project = admin.post("/data/projects", json={"name": unique("library"),
                                                 "team": [demo["people"]["manager"]["id"]]}).json()
    asset_type = demo["assets"][0]["entity_type_id"]
    asset = admin.post(f"/data/projects/{project['id']}/asset-types/{asset_type}/assets/new",
                       json={"name": "Lamp", "is_shared": True}).json()
    task = admin.post("/data/tasks", json={"project_id": project["id"], "entity_id": asset["id"],
                                           "task_type_id": demo["task_types"]["Modeling"]["id"],
                                           "task_status_id": demo["statuses"]["todo"]["id"]}).json()
    library = Previews(api, {"task": task, "status": demo["statuses"]["wip"]})
    preview = library.ready(clips["picture"])
    thumbnail = f"/pictures/thumbnails/preview-files/{preview['id']}.png"
    assert api["client"].get(thumbnail).status_code == 403  # not the main preview yet
    assert api["manager"].put(f"/actions/preview-files/{preview['id']}/set-main-preview", json={}).status_code == 200
    assert api["client"].get(thumbnail).status_code == 302
    assert api["client"].get(f"/pictures/originals/preview-files/{preview['id']}.png").status_code == 302
    assert api["client"].get(f"/pictures/previews/preview-files/{preview['id']}.png").status_code == 403
    assert api["vendor"].get(thumbnail).status_code == 403
