"""How the matrix calls each route: the records of studio A it targets (built once per
test process on top of tests/permissions/world.py) and, per route, the request a caller
sends. A route that destroys its target (DELETE) gets a fresh one for each call.

A route's request is the generic one (path ids filled in from `Targets.ids`, no body)
unless BUILDERS gives its own. A builder answers a `Call`; `ok` lists statuses that also
prove the permission check passed when success needs more than one request (a presigned
upload S3 never received)."""
import io
import uuid
from dataclasses import dataclass, field

import requests

from chalicelib import auth
from tests.permissions.world import Tenants, finished_build, ok, person, revoked_token, tag
from tests.zype.helpers import Zype


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Call:
    method: str
    path: str
    params: dict | None = None
    json: object = None
    files: dict | None = None
    data: dict | None = None
    ok: tuple = ()              # statuses besides 2xx/3xx that prove the check passed
    listed: str | None = None   # the id a list route's answer holds for those who see it
    refresh: bool = False       # the route takes a refresh token


@dataclass
class Targets:
    tenants: Tenants
    base_url: str                                # the stack, without /api
    ids: dict = field(default_factory=dict)      # path parameter -> id
    records: dict = field(default_factory=dict)  # name -> record
    revoked: str = ""                            # the manager's token, no longer valid

    @property
    def a(self):
        return self.tenants.a

    def api(self, identity: str = "admin"):
        return self.a.apis[identity]

    # --- the caller of each identity

    def send(self, identity: str, call: Call) -> requests.Response:
        headers, params = {}, dict(call.params or {})
        if identity in ("zype_api_key", "zype_app_key", "zype_key_other_studio"):
            studio = self.tenants.b if identity == "zype_key_other_studio" else self.a
            kind = "app_key" if identity == "zype_app_key" else "api_key"
            params[kind] = getattr(studio, f"zype_{kind}")
        elif identity == "revoked_token":
            headers["Authorization"] = f"Bearer {self.revoked}"
        elif identity != "no_token":
            someone = self.tenants.b.people["admin"] if identity == "admin_other_studio" else self.a.people[identity]
            tokens = auth.issue_tokens(someone)
            headers["Authorization"] = f"Bearer {tokens['refresh_token' if call.refresh else 'access_token']}"
        return requests.request(call.method, f"{self.base_url}{call.path}", params=params, json=call.json,
                                files=call.files, data=call.data, headers=headers, allow_redirects=False,
                                timeout=120)

    def fill(self, method: str, path: str) -> Call:
        filled = path
        for name, value in self.ids.items():
            filled = filled.replace(f"{{{name}}}", value)
        assert "{" not in filled, f"no id for {path}"
        return Call(method, filled)


def build_targets(tenants: Tenants, base_url: str) -> Targets:
    t = Targets(tenants, base_url, revoked=revoked_token(tenants.a.people["manager"]))
    a, admin, manager, artist = tenants.a, tenants.a.apis["admin"], tenants.a.apis["manager"], tenants.a.apis["artist"]
    pid = a.project["id"]
    subject = person(admin, {"role": "user"})
    ok(admin.post(f"/pictures/thumbnails/persons/{subject['id']}", files={"file": ("me.png", png())}), 201)
    ok(manager.post(f"/pictures/thumbnails/projects/{pid}", files={"file": ("p.png", png())}), 201)
    organisation = ok(admin.get("/data/organisations"))[0]
    ok(admin.post(f"/pictures/thumbnails/organisations/{organisation['id']}", files={"file": ("o.png", png())}), 201)
    episode = ok(manager.post(f"/data/projects/{pid}/episodes", json={"name": "E01"}), 201)
    ok(manager.post(f"/data/projects/{pid}/sequences", json={"name": "SQ02", "episode_id": episode["id"]}), 201)
    new_asset = f"/data/projects/{pid}/asset-types/{a.asset_type['id']}/assets/new"
    env, prop = (ok(manager.post(new_asset, json={"name": name}), 201) for name in ("Env", "Prop"))
    instance = ok(manager.post(f"/data/assets/{env['id']}/asset-asset-instances",
                               json={"asset_to_instantiate_id": prop["id"]}), 201)
    comment = ok(manager.post(f"/actions/tasks/{a.task['id']}/comment", data={
        "task_status_id": a.status["id"], "comment": "with a picture"}, files={"file": ("ref.png", png())}), 201)
    attachment = ok(manager.get(f"/data/tasks/{a.task['id']}/attachment-files"))[0]
    playlist = ok(manager.post("/data/playlists", json={"name": f"internal {tag()}", "project_id": pid, "shots": [
        {"entity_id": a.shot["id"], "preview_file_id": a.preview["id"]}]}), 201)
    job = finished_build(playlist)
    working_file = ok(artist.post(f"/data/tasks/{a.task['id']}/working-files/new", json={"name": "main"}), 201)
    ok(artist.post(f"/data/working-files/{working_file['id']}/file", files={"file": ("scene.blend", b"blend")}), 201)
    output_type = ok(admin.post("/data/output-types", json={"name": f"Movie {tag()}", "short_name": "mov"}), 201)
    output_file = ok(artist.post(f"/data/entities/{a.shot['id']}/output-files/new", json={
        "output_type_id": output_type["id"], "task_type_id": a.task_type["id"]}), 201)
    ok(artist.post(f"/data/output-files/{output_file['id']}/file", files={"file": ("out.mov", b"mov")}), 201)
    background = ok(admin.post("/data/preview-background-files", json={"name": f"Sky {tag()}"}), 201)
    ok(admin.post(f"/pictures/preview-background-files/{background['id']}", files={"file": ("sky.png", png())}), 201)
    ok(manager.post(f"/data/projects/{pid}/settings/preview-background-files",
                    json={"preview_background_file_id": background["id"]}), 201)
    share_link = ok(manager.post(f"/data/playlists/{playlist['id']}/share", json={}), 201)
    zype = Zype(base_url, {"api_key": a.zype_api_key})
    t.records.update({"subject": subject, "organisation": organisation, "episode": episode, "env": env,
                      "prop": prop, "instance": instance, "comment": comment, "attachment": attachment,
                      "playlist": playlist, "share_link": share_link, "working_file": working_file,
                      "output_type": output_type,
                      "output_file": output_file, "background": background, "zype": zype,
                      "zype_playlist": zype.playlist("A's picks"), "zype_video": zype.video("A's film"),
                      "zype_category": zype.category("Genre", ["Drama"])})
    t.ids.update({
        "project_id": pid, "episode_id": episode["id"], "sequence_id": a.sequence["id"], "shot_id": a.shot["id"],
        "asset_id": env["id"], "entity_id": a.shot["id"], "entity_type_id": a.asset_type["id"],
        "asset_type_id": a.asset_type["id"], "asset_instance_id": instance["id"], "temporal_entity_id": a.shot["id"],
        "task_type_id": a.task_type["id"], "task_status_id": a.status["id"], "task_id": a.task["id"],
        "person_id": subject["id"], "department_id": a.department["id"], "studio_id": a.studio["id"],
        "organisation_id": organisation["id"], "output_type_id": output_type["id"],
        "file_status_id": output_file["file_status_id"], "software_id": working_file["software_id"],
        "comment_id": comment["id"], "preview_file_id": a.preview["id"], "working_file_id": working_file["id"],
        "output_file_id": output_file["id"], "preview_background_file_id": background["id"],
        "attachment_file_id": attachment["id"], "playlist_id": playlist["id"], "job_id": job["id"],
        "file_id": working_file["id"], "token": share_link["token"], "name": "review.js",
        "image_id": uuid.uuid4().hex, "file_name": "original.png"})
    return t
