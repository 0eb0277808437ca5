"""The request the matrix sends on each route that needs more than its path ids: a body, a
file, a fresh target for a DELETE. `call_for(targets, method, path, identity)` answers
the request; routes absent from BUILDERS are sent as their filled-in path."""
import requests

from tests.permissions.matrix import PROJECT_COLLECTIONS
from tests.permissions.targets import Call, Targets, png
from devstack import sample_media
from tests.permissions.world import finished_build, ok, tag

BUILDERS: dict[tuple[str, str], object] = {}


def builds(method: str, *paths: str):
    def register(builder):
        for path in paths:
            BUILDERS[(method, path)] = builder
        return builder
    return register


def call_for(t: Targets, method: str, path: str, identity: str) -> Call:
    api_path = f"/api{path}" if path.startswith(("/pictures/", "/movies/")) else path
    builder = BUILDERS.get((method, api_path))
    call = builder(t, identity, api_path) if builder else t.fill(method, api_path)
    if api_path != path:
        call.path = call.path[len("/api"):]
    return call


# --- the generic CRUD -------------------------------------------------------------------------

def new_body(t: Targets, route: str) -> dict:
    """A body for POST data/<route> (by whoever may), each time a new record."""
    a, pid = t.a, t.a.project["id"]
    return {
        "projects": {"name": f"P {tag()}"},
        "episodes": {"name": f"E {tag()}", "project_id": pid},
        "sequences": {"name": f"SQ {tag()}", "project_id": pid},
        "shots": {"name": f"SH {tag()}", "project_id": pid},
        "assets": {"name": f"A {tag()}", "project_id": pid, "entity_type_id": a.asset_type["id"]},
        "entity-types": {"name": f"Type {tag()}"}, "asset-types": {"name": f"Type {tag()}"},
        "asset-instances": {"asset_id": t.records["prop"]["id"], "project_id": pid},
        "task-types": {"name": f"TT {tag()}", "for_entity": "Shot"},
        "task-status": {"name": f"St {tag()}", "short_name": tag()},
        "tasks": {"project_id": pid, "entity_id": a.shot["id"], "task_type_id": a.layout_type["id"], "name": tag()},
        "persons": {"first_name": "New", "email": f"{tag()}@matrix.example", "role": "user"},
        "departments": {"name": f"Dep {tag()}"}, "studios": {"name": f"Studio {tag()}"},
        "organisations": {"name": f"Org {tag()}"}, "output-types": {"name": f"OT {tag()}", "short_name": "ot"},
        "file-status": {"name": f"FS {tag()}"},
        "softwares": {"name": f"Soft {tag()}", "short_name": "sw", "file_extension": ".sw"},
        "comments": {"object_id": a.task["id"], "task_status_id": a.status["id"], "text": "hi", "project_id": pid},
        "preview-background-files": {"name": f"BG {tag()}"},
    }[route]


# Harmless changes: the same name again, or a field nothing reads.
EDITS = {"tasks": {"description": "edited"}, "comments": {"text": "edited"}, "persons": {"phone": "+33 1"},
         "asset-instances": {"description": "edited"}, "projects": {"description": "edited"}}
ITEM_TARGETS = {"episodes": "episode_id", "sequences": "sequence_id", "shots": "shot_id", "assets": "asset_id",
                "entity-types": "entity_type_id", "asset-types": "asset_type_id",
                "asset-instances": "asset_instance_id", "task-types": "task_type_id", "task-status": "task_status_id",
                "tasks": "task_id", "persons": "person_id", "departments": "department_id", "studios": "studio_id",
                "organisations": "organisation_id", "output-types": "output_type_id", "file-status": "file_status_id",
                "softwares": "software_id", "comments": "comment_id", "projects": "project_id",
                "preview-background-files": "preview_background_file_id"}


def _register_crud() -> None:
    for route, param in ITEM_TARGETS.items():
        base, item = f"/api/data/{route}", f"/api/data/{route}/{{{param}}}"

        def create(t, identity, path, route=route):
            return Call("POST", f"/api/data/{route}", json=new_body(t, route))

        def listing(t, identity, path, route=route, param=param):
            return Call("GET", f"/api/data/{route}", listed=t.ids[param])

        def edit(t, identity, path, route=route, param=param):
            edit = EDITS.get(route) or {"name": ok(t.api().get(f"/data/{route}/{t.ids[param]}"))["name"]}
            return Call("PUT", f"/api/data/{route}/{t.ids[param]}", json=edit)

        def delete(t, identity, path, route=route):
            # A fresh record, made by the admin (the project's manager for a project's records).
            maker = t.api("manager") if route in (*PROJECT_COLLECTIONS, "projects") else t.api()
            fresh = ok(maker.post(f"/data/{route}", json=new_body(t, route)), 201)
            return Call("DELETE", f"/api/data/{route}/{fresh['id']}")

        BUILDERS[("GET", base)] = listing
        BUILDERS[("POST", base)] = create
        BUILDERS[("PUT", item)] = edit
        BUILDERS[("DELETE", item)] = delete


_register_crud()


# --- sessions ---------------------------------------------------------------------------------

@builds("POST", "/api/auth/login")
def _login(t, identity, path):
    from devstack.demo import DEMO_PASSWORD

    return Call("POST", "/api/auth/login", json={"email": "manager@demo.reelbase.dev", "password": DEMO_PASSWORD})


@builds("POST", "/api/auth/change-password")
def _change_password(t, identity, path):
    # Past the permission check a wrong current password is refused (400), so no identity's
    # password (nor its tokens) changes here.
    return Call("POST", "/api/auth/change-password", ok=(400,),
                json={"old_password": "not the password", "password": "a new password", "password_2": "a new password"})


@builds("GET", "/api/auth/refresh-token")
def _refresh(t, identity, path):
    return Call("GET", "/api/auth/refresh-token", refresh=True)


# --- production ---------------------------------------------------------------------------------

@builds("GET", "/api/data/projects/open", "/api/data/projects/all")
def _project_lists(t, identity, path):
    return Call("GET", path, listed=t.ids["project_id"])


for _kind, _record in (("shots", "shot_id"), ("sequences", "sequence_id"), ("episodes", "episode_id"),
                       ("assets", "asset_id")):
    @builds("GET", f"/api/data/{_kind}/all")
    def _all(t, identity, path, kind=_kind, record=_record):
        return Call("GET", f"/api/data/{kind}/all", listed=t.ids[record])

    @builds("POST", f"/api/data/projects/{{project_id}}/{_kind}")
    def _new_in_project(t, identity, path, kind=_kind):
        body = {"name": f"{kind[:2].upper()} {tag()}"}
        if kind == "shots":
            body["sequence_id"] = t.ids["sequence_id"]
        return Call("POST", f"/api/data/projects/{t.ids['project_id']}/{kind}", json=body)


@builds("POST", "/api/data/projects/{project_id}/asset-types/{asset_type_id}/assets/new")
def _new_asset(t, identity, path):
    return Call("POST", f"/api/data/projects/{t.ids['project_id']}/asset-types/{t.ids['asset_type_id']}/assets/new",
                json={"name": f"Asset {tag()}"})


@builds("POST", "/api/data/projects/{project_id}/team")
def _add_member(t, identity, path):
    return Call("POST", f"/api/data/projects/{t.ids['project_id']}/team", json={"person_id": t.ids["person_id"]})


@builds("POST", "/api/data/assets/{asset_id}/asset-asset-instances")
def _new_instance(t, identity, path):
    return Call("POST", f"/api/data/assets/{t.ids['asset_id']}/asset-asset-instances",
                json={"asset_to_instantiate_id": t.records["prop"]["id"]})


@builds("POST", "/api/actions/tasks/{task_id}/comment")
def _comment(t, identity, path):
    return Call("POST", f"/api/actions/tasks/{t.ids['task_id']}/comment",
                json={"task_status_id": t.a.status["id"], "comment": f"note {tag()}"})


# --- files ------------------------------------------------------------------------------------

@builds("POST", "/api/data/tasks/{task_id}/working-files/new")
def _new_working_file(t, identity, path):
    return Call("POST", f"/api/data/tasks/{t.ids['task_id']}/working-files/new", json={"name": f"w{tag()}"})


@builds("POST", "/api/data/tasks/{task_id}/working-file-path")
def _working_file_path(t, identity, path):
    return Call("POST", f"/api/data/tasks/{t.ids['task_id']}/working-file-path", json={"name": "main"})


@builds("PUT", "/api/actions/working-files/{working_file_id}/comment")
def _working_file_comment(t, identity, path):
    return Call("PUT", f"/api/actions/working-files/{t.ids['working_file_id']}/comment", json={"comment": "wip"})


@builds("PUT", "/api/data/working-files/{working_file_id}")
def _edit_working_file(t, identity, path):
    return Call("PUT", f"/api/data/working-files/{t.ids['working_file_id']}", json={"description": "edited"})


@builds("GET", "/api/data/working-files")
def _working_files(t, identity, path):
    return Call("GET", "/api/data/working-files", listed=t.ids["working_file_id"])


@builds("GET", "/api/data/output-files")
def _output_files(t, identity, path):
    return Call("GET", "/api/data/output-files", listed=t.ids["output_file_id"])


@builds("PUT", "/api/data/output-files/{output_file_id}")
def _edit_output_file(t, identity, path):
    return Call("PUT", f"/api/data/output-files/{t.ids['output_file_id']}", json={"comment": "edited"})


@builds("DELETE", "/api/data/working-files/{working_file_id}")
def _delete_working_file(t, identity, path):
    fresh = ok(t.api("artist").post(f"/data/tasks/{t.ids['task_id']}/working-files/new", json={"name": tag()}), 201)
    return Call("DELETE", f"/api/data/working-files/{fresh['id']}")


def _fresh_output_file(t) -> dict:
    return ok(t.api("artist").post(f"/data/entities/{t.ids['entity_id']}/output-files/new", json={
        "output_type_id": t.ids["output_type_id"], "task_type_id": t.ids["task_type_id"], "name": tag()}), 201)


@builds("DELETE", "/api/data/output-files/{output_file_id}")
def _delete_output_file(t, identity, path):
    return Call("DELETE", f"/api/data/output-files/{_fresh_output_file(t)['id']}")


for _kind in ("working-files", "output-files"):
    _param = "working_file_id" if _kind == "working-files" else "output_file_id"

    @builds("POST", f"/api/data/{_kind}/{{{_param}}}/file")
    def _upload_content(t, identity, path, kind=_kind, param=_param):
        return Call("POST", f"/api/data/{kind}/{t.ids[param]}/file", files={"file": ("content.bin", b"content")})

    @builds("POST", f"/api/data/{_kind}/{{{_param}}}/upload-url")
    def _upload_url(t, identity, path, kind=_kind, param=_param):
        return Call("POST", f"/api/data/{kind}/{t.ids[param]}/upload-url", json={"size": 7})

    @builds("POST", f"/api/data/{_kind}/{{{_param}}}/upload-complete")
    def _upload_complete(t, identity, path, kind=_kind, param=_param):
        # Started and sent by the file's author; the caller completes it.
        # (An upload to a file that holds content goes to its next revision: complete_path names it.)
        started = ok(t.api("artist").post(f"/data/{kind}/{t.ids[param]}/upload-url", json={"size": 7}))
        assert requests.put(started["url"], data=b"content", headers=started["headers"], timeout=30).ok
        return Call("POST", f"/api/{started['complete_path']}", json={})


_OUTPUT_BODY_PATHS = ("/output-files/new", "/output-files/next-revision", "/output-file-path")
for _prefix in ("/api/data/entities/{entity_id}",
                "/api/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}"):
    for _suffix in _OUTPUT_BODY_PATHS:
        @builds("POST", f"{_prefix}{_suffix}")
        def _output_body(t, identity, path, prefix=_prefix, suffix=_suffix):
            call = t.fill("POST", f"{prefix}{suffix}")
            call.json = {"output_type_id": t.ids["output_type_id"], "task_type_id": t.ids["task_type_id"],
                         "name": f"o{tag()}"}
            return call


@builds("POST", "/api/actions/projects/{project_id}/set-file-tree")
def _file_tree(t, identity, path):
    return Call("POST", f"/api/actions/projects/{t.ids['project_id']}/set-file-tree", json={"tree_name": "simple"})


@builds("POST", "/api/data/entities/guess_from_path", "/api/data/entities/guess-from-path")
def _guess(t, identity, path):
    return Call("POST", path, json={
        "project_id": t.ids["project_id"], "file_path": "/simple/productions/x/shots/sq01/sh010/animation"})


# --- previews ---------------------------------------------------------------------------------

@builds("GET", "/api/data/preview-files")
def _previews(t, identity, path):
    return Call("GET", "/api/data/preview-files", listed=t.ids["preview_file_id"])


@builds("PUT", "/api/data/preview-files/{preview_file_id}")
def _edit_preview(t, identity, path):
    return Call("PUT", f"/api/data/preview-files/{t.ids['preview_file_id']}", json={"description": "edited"})


@builds("DELETE", "/api/data/preview-files/{preview_file_id}")
def _delete_preview(t, identity, path):
    # Deleting needs no media: a preview as add-preview leaves it.
    fresh = sample_media.new_preview(t.a.people["manager"], t.a.task)
    return Call("DELETE", f"/api/data/preview-files/{fresh['id']}")


@builds("POST", "/api/actions/tasks/{task_id}/comments/{comment_id}/add-preview")
def _add_preview(t, identity, path):
    return Call("POST", f"/api/actions/tasks/{t.ids['task_id']}/comments/{t.ids['comment_id']}/add-preview", json={})


def _batch(t, path: str, with_task: bool) -> Call:
    item = {"task_status_id": t.a.status["id"], "text": f"batch {tag()}"}
    if with_task:
        item["task_id"] = t.ids["task_id"]
    return Call("POST", path, json={"comments": [item]})


@builds("POST", "/api/actions/tasks/{task_id}/batch-comment")
def _task_batch(t, identity, path):
    return _batch(t, f"/api/actions/tasks/{t.ids['task_id']}/batch-comment", with_task=False)


@builds("POST", "/api/actions/tasks/batch-comment")
def _tasks_batch(t, identity, path):
    return _batch(t, "/api/actions/tasks/batch-comment", with_task=True)


@builds("PUT", "/api/actions/preview-files/{preview_file_id}/set-main-preview")
def _set_main(t, identity, path):
    return Call("PUT", f"/api/actions/preview-files/{t.ids['preview_file_id']}/set-main-preview", json={})


@builds("PUT", "/api/actions/preview-files/{preview_file_id}/update-position")
def _position(t, identity, path):
    return Call("PUT", f"/api/actions/preview-files/{t.ids['preview_file_id']}/update-position", json={"position": 1})


@builds("PUT", "/api/actions/preview-files/{preview_file_id}/update-annotations")
def _annotate(t, identity, path):
    return Call("PUT", f"/api/actions/preview-files/{t.ids['preview_file_id']}/update-annotations",
                json={"additions": [{"time": 0, "drawing": {"objects": [{"id": tag()}]}}]})


@builds("GET", "/api/actions/preview-files/{preview_file_id}/extract-frame")
def _frame(t, identity, path):
    return Call("GET", f"/api/actions/preview-files/{t.ids['preview_file_id']}/extract-frame",
                params={"frame_number": 1})


@builds("GET", "/api/data/attachment-files/{attachment_file_id}/file/{file_name}")
def _attachment_file(t, identity, path):
    return Call("GET", f"/api/data/attachment-files/{t.ids['attachment_file_id']}/file/ref.png")


@builds("POST", "/api/data/projects/{project_id}/settings/preview-background-files")
def _add_background(t, identity, path):
    return Call("POST", f"/api/data/projects/{t.ids['project_id']}/settings/preview-background-files",
                json={"preview_background_file_id": t.ids["preview_background_file_id"]})


@builds("DELETE", "/api/data/projects/{project_id}/settings/preview-background-files/{preview_background_file_id}")
def _remove_background(t, identity, path):
    other = ok(t.api().post("/data/preview-background-files", json={"name": f"BG {tag()}"}), 201)
    return Call("DELETE", f"/api/data/projects/{t.ids['project_id']}/settings/preview-background-files/{other['id']}")


# --- playlists --------------------------------------------------------------------------------

def _fresh_playlist(t) -> dict:
    return ok(t.api("manager").post("/data/playlists", json={"name": f"p {tag()}", "project_id": t.ids["project_id"],
                                                             "shots": [{"entity_id": t.ids["shot_id"]}]}), 201)


@builds("GET", "/api/data/playlists")
def _playlists(t, identity, path):
    return Call("GET", "/api/data/playlists", listed=t.ids["playlist_id"])


@builds("POST", "/api/data/playlists")
def _new_playlist(t, identity, path):
    return Call("POST", "/api/data/playlists", json={"name": f"p {tag()}", "project_id": t.ids["project_id"]})


@builds("PUT", "/api/data/playlists/{playlist_id}")
def _edit_playlist(t, identity, path):
    return Call("PUT", f"/api/data/playlists/{t.ids['playlist_id']}", json={"name": t.records["playlist"]["name"]})


@builds("DELETE", "/api/data/playlists/{playlist_id}")
def _delete_playlist(t, identity, path):
    return Call("DELETE", f"/api/data/playlists/{_fresh_playlist(t)['id']}")


@builds("GET", "/api/data/projects/{project_id}/episodes/{episode_id}/playlists")
def _episode_playlists(t, identity, path):
    return Call("GET", f"/api/data/projects/{t.ids['project_id']}/episodes/main/playlists")


@builds("POST", "/api/data/projects/{project_id}/playlists/temp")
def _temp(t, identity, path):
    return Call("POST", f"/api/data/projects/{t.ids['project_id']}/playlists/temp",
                json={"task_ids": [t.ids["task_id"]]})


@builds("POST", "/api/actions/playlists/{playlist_id}/add-entity")
def _add_entity(t, identity, path):
    return Call("POST", f"/api/actions/playlists/{t.ids['playlist_id']}/add-entity",
                json={"entity_id": t.ids["shot_id"]})


@builds("POST", "/api/actions/playlists/{playlist_id}/add-entities")
def _add_entities(t, identity, path):
    return Call("POST", f"/api/actions/playlists/{t.ids['playlist_id']}/add-entities",
                json={"entities": [{"entity_id": t.ids["shot_id"]}]})


@builds("POST", "/api/data/playlists/{playlist_id}/notify-clients")
def _notify(t, identity, path):
    return Call("POST", f"/api/data/playlists/{t.ids['playlist_id']}/notify-clients", json={})


@builds("DELETE", "/api/data/playlists/{playlist_id}/jobs/{job_id}")
def _delete_job(t, identity, path):
    job = finished_build(t.records["playlist"])
    return Call("DELETE", f"/api/data/playlists/{t.ids['playlist_id']}/jobs/{job['id']}")


# --- pictures and movies ---------------------------------------------------------------------

def _fresh_preview(t) -> dict:
    """A preview awaiting its file, on the target task's comment."""
    return ok(t.api("manager").post(f"/actions/tasks/{t.ids['task_id']}/comments/{t.ids['comment_id']}/add-preview",
                                    json={}), 201)


@builds("POST", "/api/pictures/preview-files/{preview_file_id}")
def _upload_preview(t, identity, path):
    return Call("POST", f"/api/pictures/preview-files/{_fresh_preview(t)['id']}", files={"file": ("frame.png", png())})


@builds("POST", "/api/pictures/preview-files/{preview_file_id}/upload-url")
def _preview_upload_url(t, identity, path):
    return Call("POST", f"/api/pictures/preview-files/{_fresh_preview(t)['id']}/upload-url",
                json={"filename": "frame.png", "size": 100})


@builds("POST", "/api/pictures/preview-files/{preview_file_id}/upload-complete")
def _preview_upload_complete(t, identity, path):
    # Completing needs a multipart upload S3 holds; past the permission check, an empty body is a 400.
    preview = _fresh_preview(t)
    ok(t.api("manager").post(f"/pictures/preview-files/{preview['id']}/upload-url",
                             json={"filename": "clip.mp4", "multipart": True, "size": 100}), 201)
    return Call("POST", f"/api/pictures/preview-files/{preview['id']}/upload-complete", json={}, ok=(400,))


_MEDIA_FILES = {
    "/api/movies/originals/preview-files/{file_name}": "{preview_file_id}.mp4",
    "/api/movies/originals/preview-files/{file_name}/download": "{preview_file_id}",
    "/api/movies/low/preview-files/{file_name}": "{preview_file_id}.mp4",
    "/api/movies/source/preview-files/{file_name}": "{preview_file_id}.mp4",
    "/api/movies/tiles/preview-files/{file_name}": "{preview_file_id}.png",
    "/api/pictures/originals/preview-files/{file_name}": "{preview_file_id}.png",
    "/api/pictures/originals/preview-files/{file_name}/download": "{preview_file_id}",
    "/api/pictures/thumbnails/preview-files/{file_name}": "{preview_file_id}.png",
    "/api/pictures/thumbnails-square/preview-files/{file_name}": "{preview_file_id}.png",
    "/api/pictures/previews/preview-files/{file_name}": "{preview_file_id}.png",
    "/api/pictures/thumbnails/persons/{file_name}": "{person_id}.png",
    "/api/pictures/thumbnails/projects/{file_name}": "{project_id}.png",
    "/api/pictures/thumbnails/organisations/{file_name}": "{organisation_id}.png",
    "/api/pictures/preview-background-files/{file_name}": "{preview_background_file_id}.png",
    "/api/pictures/thumbnails/preview-background-files/{file_name}": "{preview_background_file_id}.png",
    "/api/pictures/thumbnails/attachment-files/{file_name}": "{attachment_file_id}.png",
}
for _path, _file in _MEDIA_FILES.items():
    @builds("GET", _path)
    def _media(t, identity, path, file_name=_file):
        return Call("GET", path.replace("{file_name}", file_name.format(**t.ids)))


_AVATAR_OWNERS = {"persons": "person_id", "projects": "project_id", "organisations": "organisation_id"}
for _plural, _param in _AVATAR_OWNERS.items():
    @builds("POST", f"/api/pictures/thumbnails/{_plural}/{{file_name}}")
    def _avatar(t, identity, path, plural=_plural, param=_param):
        return Call("POST", f"/api/pictures/thumbnails/{plural}/{t.ids[param]}", files={"file": ("a.png", png())})


@builds("POST", "/api/pictures/preview-background-files/{file_name}")
def _background_upload(t, identity, path):
    return Call("POST", f"/api/pictures/preview-background-files/{t.ids['preview_background_file_id']}",
                files={"file": ("sky.png", png())})


# --- Zype keys and the publishing API ----------------------------------------------------------

@builds("POST", "/api/data/studios/{studio_id}/zype-keys")
def _issue_key(t, identity, path):
    return Call("POST", f"/api/data/studios/{t.ids['studio_id']}/zype-keys", json={"kind": "app_key", "name": tag()})


@builds("DELETE", "/api/data/studios/{studio_id}/zype-keys/{zype_key_id}")
def _revoke_key(t, identity, path):
    issued = ok(t.api().post(f"/data/studios/{t.ids['studio_id']}/zype-keys", json={"kind": "app_key"}), 201)
    return Call("DELETE", f"/api/data/studios/{t.ids['studio_id']}/zype-keys/{issued['id']}")


_ZYPE = {"playlists": ("zype_playlist", "playlist", {"title": "A list"}),
         "videos": ("zype_video", "video", {"title": "A film"}),
         "categories": ("zype_category", "category", {"title": "Mood", "values": ["Calm"]})}
for _plural, (_record, _singular, _fields) in _ZYPE.items():
    @builds("GET", f"/{_plural}")
    def _zype_list(t, identity, path, plural=_plural, record=_record):
        return Call("GET", f"/{plural}", params={"per_page": 500}, listed=t.records[record]["_id"])

    @builds("POST", f"/{_plural}")
    def _zype_create(t, identity, path, plural=_plural, singular=_singular, fields=_fields):
        return Call("POST", f"/{plural}", json={singular: fields})

    @builds("GET", f"/{_plural}/{{id}}")
    def _zype_get(t, identity, path, plural=_plural, record=_record):
        return Call("GET", f"/{plural}/{t.records[record]['_id']}")

    @builds("PUT", f"/{_plural}/{{id}}")
    def _zype_edit(t, identity, path, plural=_plural, record=_record, singular=_singular):
        return Call("PUT", f"/{plural}/{t.records[record]['_id']}",
                    json={singular: {"description": "edited"}})

    @builds("DELETE", f"/{_plural}/{{id}}")
    def _zype_delete(t, identity, path, plural=_plural, singular=_singular, fields=_fields):
        fresh = t.records["zype"].created(f"/{plural}", singular, **fields)
        return Call("DELETE", f"/{plural}/{fresh['_id']}")


@builds("GET", "/playlists/{id}/videos")
def _zype_playlist_videos(t, identity, path):
    return Call("GET", f"/playlists/{t.records['zype_playlist']['_id']}/videos")


for _action in ("add_videos", "remove_videos"):
    @builds("PUT", f"/playlists/{{id}}/{_action}")
    def _zype_membership(t, identity, path, action=_action):
        return Call("PUT", f"/playlists/{t.records['zype_playlist']['_id']}/{action}",
                    params={"video_id[]": t.records["zype_video"]["_id"]})


@builds("GET", "/zype/images/{image_id}/{file_name}")
def _zype_image(t, identity, path):
    return Call("GET", f"/zype/images/{t.ids['image_id']}/original.png")



# --- share links ------------------------------------------------------------------------------

@builds("DELETE", "/api/data/playlists/{playlist_id}/share/{token}")
def revoke_share_link(t: Targets, identity: str, path: str) -> Call:
    playlist_id = t.ids["playlist_id"]
    link = ok(t.api().post(f"/data/playlists/{playlist_id}/share", json={}), 201)
    return Call("DELETE", f"/api/data/playlists/{playlist_id}/share/{link['token']}")


@builds("POST", "/api/data/playlists/{playlist_id}/share/{token}/invite")
def invite_to_share_link(t: Targets, identity: str, path: str) -> Call:
    return Call("POST", t.fill("POST", path).path, json={"emails": ["reviewer@matrix.example"], "message": "hi"})


def _shared(t: Targets, tail: str) -> str:
    return f"/api/shared/playlists/{t.ids['token']}{tail}"


def _guest_id(t: Targets) -> str:
    return ok(requests.post(f"{t.base_url}{_shared(t, '/guest')}", json={"first_name": "Matrix"}, timeout=60),
              201)["id"]


@builds("POST", "/api/shared/playlists/{token}/comments")
def guest_comment(t: Targets, identity: str, path: str) -> Call:
    body = {"guest_id": _guest_id(t), "task_id": t.a.preview["task_id"], "task_status_id": t.ids["task_status_id"],
            "text": "from the matrix"}
    # 400: the target status is not open to clients; the link and the task were accepted first.
    return Call("POST", _shared(t, "/comments"), json=body, ok=(400,))


@builds("PUT", "/api/shared/playlists/{token}/annotations")
def guest_annotations(t: Targets, identity: str, path: str) -> Call:
    return Call("PUT", _shared(t, "/annotations"), json={"guest_id": _guest_id(t),
                                                         "preview_file_id": t.a.preview["id"], "additions": []})


def _shared_media(t: Targets, identity: str, path: str) -> Call:
    # 404: the target preview has no such rendition; the link and the preview were accepted first.
    return Call("GET", path.replace("{token}", t.ids["token"]).replace("{file_name}", f"{t.a.preview['id']}.png"),
                ok=(404,))


for _tail in ("/movies/originals/preview-files/{file_name}", "/pictures/thumbnails/preview-files/{file_name}",
              "/pictures/originals/preview-files/{file_name}", "/movies/tiles/preview-files/{file_name}"):
    BUILDERS[("GET", f"/api/shared/playlists/{{token}}{_tail}")] = _shared_media
