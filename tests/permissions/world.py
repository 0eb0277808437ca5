"""Two studios on one stack, as a new user would set them up: studio A (the demo studio)
with a project whose team holds one person per identity of the permission matrix, a
second project of A, and studio B, founded by A's admin and run by its own admin.

Everything goes through the API as the person who would do it, except what the API only
makes slowly (ready previews, finished build movies), stored the way the pipelines leave
it (devstack/sample_media.py)."""
import uuid
from dataclasses import dataclass, field

from chalicelib import auth, storage
from chalicelib.models import records
from devstack import sample_media

# The matrix's identities, in the order the table lists them.
IDENTITIES = (
    "admin", "manager", "supervisor", "supervisor_other_dept", "artist", "artist_unassigned", "client",
    "vendor", "vendor_unassigned", "manager_other_project", "admin_other_studio", "no_token", "revoked_token",
)
# Who is on project A's team, with their studio role.
TEAM_ROLES = {
    "manager": "manager", "supervisor": "supervisor", "supervisor_other_dept": "supervisor", "artist": "user",
    "artist_unassigned": "user", "client": "client", "vendor": "vendor", "vendor_unassigned": "vendor",
}


def revoked_token(someone: dict) -> str:
    """A token of `someone` that no longer works: issued, then revoked by logging out with it."""
    token = auth.issue_tokens(someone)["access_token"]
    auth.revoke_session(f"Bearer {token}")
    return token


FPS, WIDTH, HEIGHT = "25", 320, 180


def ok(answer, status: int = 200) -> dict:
    assert answer.status_code == status, f"{answer.request.method} {answer.request.url}: {answer.status_code} " \
                                         f"{answer.text[:300]}"
    return answer.json() if answer.content else {}


def tag() -> str:
    return uuid.uuid4().hex[:8]


@dataclass
class Studio:
    studio: dict
    people: dict = field(default_factory=dict)  # identity -> person
    apis: dict = field(default_factory=dict)    # identity -> Api
    department: dict | None = None
    task_type: dict | None = None
    layout_type: dict | None = None
    status: dict | None = None
    done: dict | None = None
    asset_type: dict | None = None
    project: dict | None = None
    sequence: dict | None = None
    shot: dict | None = None
    task: dict | None = None
    preview: dict | None = None
    zype_api_key: str = ""
    zype_app_key: str = ""


def person(api, body: dict) -> dict:
    return ok(api.post("/data/persons", json={"first_name": body.get("role", "someone"), "last_name": tag(),
                                              "email": f"{tag()}@tenancy.example", **body}), 201)


def as_person(api, someone: dict):
    return api.as_token(auth.issue_tokens(someone)["access_token"])


def clip() -> str:
    return sample_media.source_clip(1, FPS, WIDTH, HEIGHT)


def ready_movie(task: dict, movie: str) -> dict:
    """A movie preview of `task`, uploaded by an admin of its studio and made ready (every
    rendition) by the pipeline."""
    studio_id = records.get(task["project_id"]).get("studio_id")
    admin = next(p for p in records.query_studio(studio_id, "Person") if p.get("role") == "admin")
    return sample_media.upload_preview(admin, task, movie)


def finished_build(playlist: dict) -> dict:
    job = records.create("BuildJob", {"status": "succeeded", "job_type": "movie", "playlist_id": playlist["id"],
                                      "project_id": playlist["project_id"], "ended_at": None},
                         project_id=playlist["project_id"], parent_id=playlist["id"])
    storage.put_bytes(storage.playlist_build_key(job["id"]), b"movie", "video/mp4")
    storage.put_bytes(storage.playlist_hls_key(job["id"]), b"#EXTM3U\n#EXT-X-ENDLIST\n",
                      "application/vnd.apple.mpegurl")
    return job


def build_studio_a(api, demo, movie: str) -> Studio:
    admin = api["admin"]
    a = Studio(demo["studio"])
    a.people["admin"], a.apis["admin"] = demo["people"]["admin"], admin
    a.department = ok(admin.get("/data/departments", params={"name": "Animation"}))[0]
    lighting = ok(admin.post("/data/departments", json={"name": f"Lighting {tag()}"}), 201)
    for identity, role in {**TEAM_ROLES, "manager_other_project": "manager"}.items():
        departments = [a.department["id"]] if identity == "supervisor" else \
            [lighting["id"]] if identity == "supervisor_other_dept" else []
        a.people[identity] = person(admin, {"role": role, "departments": departments,
                                            "notifications_enabled": identity == "client"})
        a.apis[identity] = as_person(admin, a.people[identity])
    a.task_type = demo["task_types"]["Animation"]
    a.layout_type = demo["task_types"]["Layout"]
    a.status, a.done = demo["statuses"]["todo"], demo["statuses"]["done"]
    a.asset_type = ok(admin.get("/data/entity-types", params={"name": "Character"}))[0]
    team = [a.people[identity]["id"] for identity in TEAM_ROLES]
    a.project = ok(admin.post("/data/projects", json={
        "name": f"Project A {tag()}", "team": team, "fps": FPS, "resolution": f"{WIDTH}x{HEIGHT}",
        "task_types": [a.task_type["id"], a.layout_type["id"]],
        "task_statuses": [s["id"] for s in demo["statuses"].values()], "asset_types": [a.asset_type["id"]]}), 201)
    manager = a.apis["manager"]
    ok(manager.post(f"/actions/projects/{a.project['id']}/set-file-tree", json={"tree_name": "simple"}))
    a.sequence = ok(manager.post(f"/data/projects/{a.project['id']}/sequences", json={"name": "SQ01"}), 201)
    a.shot = ok(manager.post(f"/data/projects/{a.project['id']}/shots",
                             json={"name": "SH010", "sequence_id": a.sequence["id"]}), 201)
    a.task = ok(manager.post("/data/tasks", json={
        "project_id": a.project["id"], "entity_id": a.shot["id"], "task_type_id": a.task_type["id"],
        "task_status_id": a.status["id"], "assignees": [a.people["artist"]["id"], a.people["vendor"]["id"]]}), 201)
    a.preview = ready_movie(a.task, movie)
    return a


def build_studio_b(api, movie: str) -> Studio:
    """Founded by studio A's admin, who adds its first admin; everything else is B's own."""
    studio = ok(api["admin"].post("/data/studios", json={"name": f"Studio B {tag()}"}), 201)
    b = Studio(studio)
    b.people["admin"] = person(api["admin"], {"role": "admin", "studio_id": studio["id"]})
    admin = b.apis["admin"] = as_person(api["admin"], b.people["admin"])
    for identity, role in (("manager", "manager"), ("client", "client")):
        b.people[identity] = person(admin, {"role": role})
        b.apis[identity] = as_person(admin, b.people[identity])
    b.department = ok(admin.post("/data/departments", json={"name": "Animation"}), 201)
    b.task_type = ok(admin.post("/data/task-types", json={"name": "Animation", "for_entity": "Shot",
                                                          "department_id": b.department["id"]}), 201)
    b.layout_type = ok(admin.post("/data/task-types", json={"name": "Layout", "for_entity": "Shot"}), 201)
    b.status = ok(admin.post("/data/task-status", json={"name": "Todo", "short_name": "todo",
                                                        "is_default": True}), 201)
    b.done = ok(admin.post("/data/task-status", json={"name": "Done", "short_name": "done", "is_done": True,
                                                      "is_client_allowed": False}), 201)
    b.asset_type = ok(admin.post("/data/entity-types", json={"name": "Character"}), 201)
    b.project = ok(admin.post("/data/projects", json={
        "name": f"Project B {tag()}", "team": [b.people["manager"]["id"], b.people["client"]["id"]],
        "fps": FPS, "resolution": f"{WIDTH}x{HEIGHT}", "task_types": [b.task_type["id"]],
        "task_statuses": [b.status["id"], b.done["id"]]}), 201)
    b.sequence = ok(admin.post(f"/data/projects/{b.project['id']}/sequences", json={"name": "SQ01"}), 201)
    b.shot = ok(admin.post(f"/data/projects/{b.project['id']}/shots",
                           json={"name": "SH010", "sequence_id": b.sequence["id"]}), 201)
    b.task = ok(admin.post("/data/tasks", json={
        "project_id": b.project["id"], "entity_id": b.shot["id"], "task_type_id": b.task_type["id"],
        "task_status_id": b.status["id"]}), 201)
    b.preview = ready_movie(b.task, movie)
    return b


def zype_keys(studio: Studio) -> None:
    for kind in ("api_key", "app_key"):
        issued = ok(studio.apis["admin"].post(f"/data/studios/{studio.studio['id']}/zype-keys",
                                              json={"kind": kind, "name": kind}), 201)
        setattr(studio, f"zype_{kind}", issued["key"])


@dataclass
class Tenants:
    a: Studio
    b: Studio
    other_project: dict      # a second project of studio A, whose only member is manager_other_project
    other_shot: dict
    other_task: dict
    other_preview: dict
    movie: str


def build(api, demo) -> Tenants:
    movie = clip()
    a = build_studio_a(api, demo, movie)
    b = build_studio_b(api, movie)
    zype_keys(a)
    zype_keys(b)
    other = ok(api["admin"].post("/data/projects", json={
        "name": f"Project A2 {tag()}", "team": [a.people["manager_other_project"]["id"]],
        "fps": FPS, "resolution": f"{WIDTH}x{HEIGHT}"}), 201)
    other_manager = a.apis["manager_other_project"]
    ok(other_manager.post(f"/actions/projects/{other['id']}/set-file-tree", json={"tree_name": "simple"}))
    sequence = ok(other_manager.post(f"/data/projects/{other['id']}/sequences", json={"name": "SQ01"}), 201)
    shot = ok(other_manager.post(f"/data/projects/{other['id']}/shots",
                                 json={"name": "SH010", "sequence_id": sequence["id"]}), 201)
    task = ok(other_manager.post("/data/tasks", json={
        "project_id": other["id"], "entity_id": shot["id"], "task_type_id": a.task_type["id"],
        "task_status_id": a.status["id"]}), 201)
    return Tenants(a, b, other, shot, task, ready_movie(task, movie), movie)
