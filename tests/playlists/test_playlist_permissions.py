"""Who may do what on every playlist route (the seed's rules): viewing needs project
access, vendors are blocked, clients see only playlists for clients; creating, editing,
adding entities, building and notifying need a manager; ZIP and movie downloads need a
supervisor and playlist access; build jobs need playlist access."""
import pytest

from chalicelib import storage
from chalicelib.models import records

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")


def expect(*statuses) -> dict:
    return dict(zip(ROLES, statuses, strict=True))


# (label, method, path, body): {role: status} on a playlist that is NOT for clients.
# Reads first, then writes, deletions last: every role gets fresh records.
ROUTES = [
    ("list project", "GET", "/data/projects/{pid}/playlists", None, expect(200, 200, 200, 200, 200, 403)),
    ("list episode", "GET", "/data/projects/{pid}/episodes/main/playlists", None,
     expect(200, 200, 200, 200, 200, 403)),
    ("list all", "GET", "/data/playlists?project_id={pid}", None, expect(200, 200, 200, 200, 200, 403)),
    ("get", "GET", "/data/playlists/{plid}", None, expect(200, 200, 200, 200, 403, 403)),
    ("get in project", "GET", "/data/projects/{pid}/playlists/{plid}", None, expect(200, 200, 200, 200, 403, 403)),
    ("entity previews", "GET", "/data/playlists/entities/{shot}/preview-files", None,
     expect(200, 200, 200, 200, 200, 403)),
    ("temp", "POST", "/data/projects/{pid}/playlists/temp", {"task_ids": ["{task}"]},
     expect(200, 200, 200, 200, 200, 403)),
    # The seed over Zou: supervisors read the status of the jobs they may download.
    ("jobs of playlist", "GET", "/data/playlists/{plid}/jobs", None, expect(200, 200, 200, 403, 403, 403)),
    ("job", "GET", "/data/playlists/{plid}/jobs/{job}", None, expect(200, 200, 200, 403, 403, 403)),
    ("download movie", "GET", "/data/playlists/{plid}/jobs/{job}/build/mp4", None,
     expect(302, 302, 302, 403, 403, 403)),
    ("download zip", "GET", "/data/playlists/{plid}/download/zip", None, expect(302, 302, 302, 403, 403, 403)),
    ("jobs of project", "GET", "/data/projects/{pid}/build-jobs", None, expect(200, 403, 403, 403, 403, 403)),
    ("create", "POST", "/data/playlists", {"name": "new", "project_id": "{pid}"},
     expect(201, 201, 403, 403, 403, 403)),
    ("edit", "PUT", "/data/playlists/{plid}", {"name": "renamed"}, expect(200, 200, 403, 403, 403, 403)),
    ("add entity", "POST", "/actions/playlists/{plid}/add-entity", {"entity_id": "{shot}"},
     expect(200, 200, 403, 403, 403, 403)),
    ("add entities", "POST", "/actions/playlists/{plid}/add-entities", {"entities": [{"entity_id": "{shot}"}]},
     expect(200, 200, 403, 403, 403, 403)),
    ("notify clients", "POST", "/data/playlists/{plid}/notify-clients", {}, expect(200, 200, 403, 403, 403, 403)),
    ("build movie", "GET", "/data/playlists/{plid}/build/mp4", None, expect(200, 200, 403, 403, 403, 403)),
    ("build movie (POST)", "POST", "/data/playlists/{plid}/build/mp4", None, expect(200, 200, 403, 403, 403, 403)),
    ("delete job", "DELETE", "/data/playlists/{plid}/jobs/{job}", None, expect(204, 204, 403, 403, 403, 403)),
    ("delete", "DELETE", "/data/playlists/{plid}", None, expect(204, 204, 403, 403, 403, 403)),
]

# The same routes on a playlist for clients, where they differ for the client.
CLIENT_PLAYLIST = {"get": 200, "get in project": 200, "jobs of playlist": 200, "job": 200, "download movie": 302,
                   "download zip": 302, "delete job": 204}


@pytest.fixture
def stage(production, make_preview):
    """A shot with a movie, a playlist of it (internal or for clients), a finished build."""
    shot = production.new_shot()
    preview = make_preview(production.task(shot), seconds=0.2)  # the ZIP reads it

    def playlist_with_job(for_client: bool) -> dict:
        playlist = records.create("Playlist", {
            "name": f"matrix {for_client}", "project_id": production.project["id"], "episode_id": None,
            "task_type_id": None, "for_client": for_client, "for_entity": "shot", "is_for_all": False,
            "shots": [{"entity_id": shot["id"], "preview_file_id": preview["id"]}]},
            project_id=production.project["id"])
        job = records.create("BuildJob", {"status": "succeeded", "job_type": "movie", "playlist_id": playlist["id"],
                                          "project_id": production.project["id"], "ended_at": None},
                             project_id=production.project["id"], parent_id=playlist["id"])
        storage.put_bytes(storage.playlist_build_key(job["id"]), b"movie", "video/mp4")
        return {"pid": production.project["id"], "plid": playlist["id"], "job": job["id"], "shot": shot["id"],
                "task": production.task(shot)["id"]}

    return playlist_with_job


def _fill(value, ids: dict):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def _statuses(caller, ids: dict) -> dict:
    seen = {}
    for label, method, path, body, _ in ROUTES:
        kwargs = {"json": _fill(body, ids)} if body is not None else {}
        seen[label] = caller.request(method, _fill(path, ids), **kwargs).status_code
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_on_an_internal_playlist(api, stage, role):
    seen = _statuses(api[role], stage(for_client=False))
    assert seen == {label: statuses[role] for label, _, _, _, statuses in ROUTES}


@pytest.mark.parametrize("role", ["supervisor", "client"])
def test_permission_matrix_on_a_client_playlist(api, stage, role):
    seen = _statuses(api[role], stage(for_client=True))
    wanted = {label: statuses[role] for label, _, _, _, statuses in ROUTES}
    if role == "client":
        wanted.update(CLIENT_PLAYLIST)
    else:
        wanted.update({"download movie": 302, "download zip": 302})
    assert seen == wanted


def test_every_playlist_route_needs_a_token(api, stage):
    ids = stage(for_client=True)
    for label, method, path, body, _ in ROUTES:
        kwargs = {"json": _fill(body, ids)} if body is not None else {}
        assert api["anonymous"].request(method, _fill(path, ids), **kwargs).status_code == 401, label


def test_outside_the_team_nothing_is_allowed(api, unique):
    closed = api["admin"].post("/data/projects", json={"name": unique("closed"), "team": []}).json()
    playlist = api["admin"].post("/data/playlists", json={"name": "x", "project_id": closed["id"]}).json()
    for role in ("manager", "supervisor", "client"):
        assert api[role].get(f"/data/projects/{closed['id']}/playlists").status_code == 403
        assert api[role].get(f"/data/playlists/{playlist['id']}").status_code == 403
        assert api[role].post("/data/playlists", json={"name": "y", "project_id": closed["id"]}).status_code == 403
        assert playlist["id"] not in [p["id"] for p in api[role].get("/data/playlists").json()]
