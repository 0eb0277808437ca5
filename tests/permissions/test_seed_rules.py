"""Where the seed and Zou differ and no gazu script relies on Zou's stricter rule, the
seed is followed (docs/permissions.md lists each)."""
from tests.permissions.world import finished_build, ok, tag


def test_a_supervisor_reads_the_status_of_a_build_they_may_download(tenants):
    a = tenants.a
    playlist = ok(a.apis["manager"].post("/data/playlists", json={"name": f"r {tag()}",
                                                                  "project_id": a.project["id"]}), 201)
    job = finished_build(playlist)
    supervisor = a.apis["supervisor"]
    assert supervisor.get(f"/data/playlists/{playlist['id']}/jobs/{job['id']}/build/mp4").status_code == 302
    assert ok(supervisor.get(f"/data/playlists/{playlist['id']}/jobs/{job['id']}"))["status"] == "succeeded"
    assert job["id"] in [j["id"] for j in ok(supervisor.get(f"/data/playlists/{playlist['id']}/jobs"))]
    assert a.apis["artist"].get(f"/data/playlists/{playlist['id']}/jobs/{job['id']}").status_code == 403


def test_team_members_list_the_projects_output_files(tenants):
    a = tenants.a
    output_type = ok(a.apis["admin"].post("/data/output-types", json={"name": f"Movie {tag()}",
                                                                      "short_name": "mov"}), 201)
    published = ok(a.apis["artist"].post(f"/data/entities/{a.shot['id']}/output-files/new", json={
        "output_type_id": output_type["id"], "task_type_id": a.task_type["id"]}), 201)
    path = f"/data/projects/{a.project['id']}/output-files"
    for identity in ("artist", "artist_unassigned", "client", "supervisor", "manager"):
        assert published["id"] in [f["id"] for f in ok(a.apis[identity].get(path))], identity
    assert a.apis["vendor"].get(path).status_code == 403
    assert a.apis["manager_other_project"].get(path).status_code == 403


def test_a_client_of_the_team_sets_the_main_preview(tenants):
    a = tenants.a
    entity = ok(a.apis["client"].put(f"/actions/preview-files/{a.preview['id']}/set-main-preview", json={}))
    assert entity["preview_file_id"] == a.preview["id"]
    assert a.apis["vendor_unassigned"].put(f"/actions/preview-files/{a.preview['id']}/set-main-preview",
                                           json={}).status_code == 403
