"""Every write that names another record checks it: an existing record of the right
kind, of the same project (or studio, for studio-wide records); else 400 naming the
field and the id. A record of another studio is answered as unknown."""
import pytest

from chalicelib.models import records
from chalicelib.services.production import collections as c
from chalicelib.services.production import references
from tests.permissions.world import ok, tag

# Studio-wide kinds, and the kinds that live in a project.
STUDIO_KINDS = ("Person", "Department", "TaskType", "TaskStatus", "AssetType", "Studio", "Software", "OutputType",
                "FileStatus", "PreviewBackgroundFile")


@pytest.fixture(scope="module")
def foreign(tenants):
    """foreign(kind) -> the id of a record of that kind in studio B (of B's project when it
    belongs to one): what studio A's writes must never name."""
    b = tenants.b
    known = {"Project": b.project, "Sequence": b.sequence, "Shot": b.shot, "Task": b.task, "PreviewFile": b.preview,
             "Person": b.people["manager"], "Department": b.department, "TaskType": b.task_type,
             "TaskStatus": b.status, "AssetType": b.asset_type, "Studio": b.studio}
    made = {kind: record["id"] for kind, record in known.items()}

    def of(kind: str) -> str:
        if kind not in made:
            # Only the kind, project and studio matter to the check: a bare record will do.
            body = {"name": f"B {kind} {tag()}", "studio_id": b.studio["id"]} if kind in STUDIO_KINDS else \
                {"name": f"B {kind}", "project_id": b.project["id"], "entity_id": b.shot["id"]}
            made[kind] = records.create(kind, body, project_id=body.get("project_id"))["id"]
        return made[kind]

    return of


@pytest.fixture(scope="module")
def asset(tenants):
    a = tenants.a
    return ok(a.apis["manager"].post(f"/data/projects/{a.project['id']}/asset-types/{a.asset_type['id']}/assets/new",
                                     json={"name": f"Prop {tag()}"}), 201)


def base_body(route: str, a, asset) -> dict:
    """A body studio A's admin may create on `route`."""
    pid = a.project["id"]
    return {
        "projects": {"name": f"P {tag()}"},
        "episodes": {"name": f"E {tag()}", "project_id": pid},
        "sequences": {"name": f"SQ {tag()}", "project_id": pid},
        "shots": {"name": f"SH {tag()}", "project_id": pid},
        "assets": {"name": f"A {tag()}", "project_id": pid, "entity_type_id": a.asset_type["id"]},
        "entity-types": {"name": f"Type {tag()}"},
        "asset-instances": {"asset_id": asset["id"], "project_id": pid},
        "task-types": {"name": f"TT {tag()}", "for_entity": "Shot"},
        "task-status": {"name": f"St {tag()}", "short_name": tag()},
        "tasks": {"project_id": pid, "entity_id": a.shot["id"], "task_type_id": a.layout_type["id"],
                  "name": tag()},
        "persons": {"first_name": "New", "email": f"{tag()}@tenancy.example", "role": "user"},
        "departments": {"name": f"Dep {tag()}"},
        "studios": {"name": f"Studio {tag()}"},
        "organisations": {"name": f"Org {tag()}"},
        "output-types": {"name": f"OT {tag()}", "short_name": "ot"},
        "file-status": {"name": f"FS {tag()}"},
        "softwares": {"name": f"Soft {tag()}", "short_name": "sw", "file_extension": ".sw"},
        "comments": {"object_id": a.task["id"], "task_status_id": a.status["id"], "text": "hi", "project_id": pid},
        "preview-background-files": {"name": f"BG {tag()}"},
    }[route]


# Every id field of every collection the generic CRUD creates. A project named in another
# studio is refused as a permission (403, see test_tenancy), a person's studio by the
# founding rule (403); every other field is a 400 naming it.
ID_FIELDS = [(route, name) for route, collection in c.COLLECTIONS.items() if not collection.own_routes
             for name, kind in collection.fields.items()
             if kind in (c.UUID, c.UUIDS) and name not in references.UNCHECKED
             and name != collection.project_field and (route, name) != ("persons", "studio_id")]


def _expected_kind(route: str, name: str) -> str:
    kinds = references.kinds_of(c.COLLECTIONS[route].kind, name)
    return kinds[0] if kinds[0] not in c.ENTITY_KINDS else ("Shot" if "Shot" in kinds else kinds[0])


@pytest.mark.parametrize(("route", "name"), ID_FIELDS, ids=[f"{r}.{n}" for r, n in ID_FIELDS])
def test_a_created_record_may_not_name_a_record_of_another_studio(tenants, foreign, asset, route, name):
    a = tenants.a
    collection = c.COLLECTIONS[route]
    foreign_id = foreign(_expected_kind(route, name))
    body = {**base_body(route, a, asset), name: [foreign_id] if collection.fields[name] == c.UUIDS else foreign_id}
    answer = a.apis["admin"].post(f"/data/{route}", json=body)
    assert answer.status_code == 400, answer.text
    assert name in answer.json()["message"] and foreign_id in answer.json()["message"]
    assert answer.json()["data"] == {"field": name, "id": foreign_id}


@pytest.mark.parametrize(("route", "name"), [(r, n) for r, n in ID_FIELDS if r in ("tasks", "shots", "comments")])
def test_an_updated_record_may_not_name_a_record_of_another_studio(tenants, foreign, asset, route, name):
    a = tenants.a
    record = ok(a.apis["admin"].post(f"/data/{route}", json=base_body(route, a, asset)), 201)
    foreign_id = foreign(_expected_kind(route, name))
    value = [foreign_id] if c.COLLECTIONS[route].fields[name] == c.UUIDS else foreign_id
    answer = a.apis["admin"].put(f"/data/{route}/{record['id']}", json={name: value})
    assert answer.status_code == 400 and answer.json()["data"] == {"field": name, "id": foreign_id}


def test_a_project_of_another_studio_or_none_is_refused(tenants):
    a, b = tenants.a, tenants.b
    assert a.apis["admin"].post("/data/shots", json={"name": "x", "project_id": b.project["id"]}).status_code == 403
    unknown_id = "00000000-0000-4000-8000-0000000000aa"
    unknown = a.apis["admin"].post("/data/shots", json={"name": "x", "project_id": unknown_id})
    assert unknown.status_code == 400 and unknown.json()["data"]["field"] == "project_id"


def test_records_of_another_project_of_the_studio_are_refused_too(tenants):
    a = tenants.a
    answer = a.apis["manager"].post("/data/tasks", json={
        "project_id": a.project["id"], "entity_id": tenants.other_shot["id"], "task_type_id": a.task_type["id"]})
    assert answer.status_code == 400 and "another project" in answer.json()["message"]
    assert answer.json()["data"] == {"field": "entity_id", "id": tenants.other_shot["id"]}


def test_a_task_assignee_must_be_of_the_studio(tenants):
    a, b = tenants.a, tenants.b
    answer = a.apis["manager"].put(f"/data/tasks/{a.task['id']}", json={"assignees": [b.people["manager"]["id"]]})
    assert answer.status_code == 400 and answer.json()["data"] == {"field": "assignees",
                                                                   "id": b.people["manager"]["id"]}


# --- the routes with bodies of their own ----------------------------------------------------

@pytest.fixture
def playlist(tenants):
    a = tenants.a
    return ok(a.apis["manager"].post("/data/playlists", json={"name": f"review {tag()}",
                                                              "project_id": a.project["id"]}), 201)


def _refused(answer, field_name: str, record_id: str) -> None:
    assert answer.status_code == 400, answer.text
    assert answer.json()["data"] == {"field": field_name, "id": record_id}
    assert field_name in answer.json()["message"] and record_id in answer.json()["message"]


def test_a_playlist_entry_may_not_pin_a_shot_or_preview_of_another_project(tenants, playlist):
    a, b = tenants.a, tenants.b
    url = f"/data/playlists/{playlist['id']}"
    manager = a.apis["manager"]
    _refused(manager.put(url, json={"shots": [{"entity_id": b.shot["id"], "preview_file_id": b.preview["id"]}]}),
             "entity_id", b.shot["id"])
    _refused(manager.put(url, json={"shots": [{"entity_id": a.shot["id"], "preview_file_id": b.preview["id"]}]}),
             "preview_file_id", b.preview["id"])
    _refused(manager.put(url, json={"shots": [{"entity_id": tenants.other_shot["id"]}]}),
             "entity_id", tenants.other_shot["id"])
    _refused(manager.put(url, json={"shots": [{"entity_id": a.shot["id"],
                                               "preview_file_id": tenants.other_preview["id"]}]}),
             "preview_file_id", tenants.other_preview["id"])
    assert ok(manager.get(url))["shots"] == []
    pinned = ok(manager.put(url, json={"shots": [{"entity_id": a.shot["id"], "preview_file_id": a.preview["id"]}]}))
    assert pinned["shots"] == [{"entity_id": a.shot["id"], "preview_file_id": a.preview["id"]}]


def test_a_playlist_entry_pins_a_preview_of_its_own_entity(tenants, playlist):
    a = tenants.a
    other_shot = ok(a.apis["manager"].post(f"/data/projects/{a.project['id']}/shots",
                                           json={"name": f"SH {tag()}", "sequence_id": a.sequence["id"]}), 201)
    answer = a.apis["manager"].put(f"/data/playlists/{playlist['id']}", json={
        "shots": [{"entity_id": other_shot["id"], "preview_file_id": a.preview["id"]}]})
    _refused(answer, "preview_file_id", a.preview["id"])


def test_a_playlist_created_with_entries_checks_them(tenants):
    a, b = tenants.a, tenants.b
    answer = a.apis["manager"].post("/data/playlists", json={"name": "x", "project_id": a.project["id"],
                                                             "shots": [{"entity_id": b.shot["id"]}]})
    _refused(answer, "entity_id", b.shot["id"])


@pytest.mark.parametrize("route", ["add-entity", "add-entities"])
def test_adding_entities_checks_the_entity_and_the_preview(tenants, playlist, route):
    a, b = tenants.a, tenants.b

    def add(entry):
        body = entry if route == "add-entity" else {"entities": [entry]}
        return a.apis["manager"].post(f"/actions/playlists/{playlist['id']}/{route}", json=body)

    _refused(add({"entity_id": b.shot["id"]}), "entity_id", b.shot["id"])
    _refused(add({"entity_id": tenants.other_shot["id"]}), "entity_id", tenants.other_shot["id"])
    _refused(add({"entity_id": a.shot["id"], "preview_file_id": b.preview["id"]}), "preview_file_id", b.preview["id"])
    added = ok(add({"entity_id": a.shot["id"], "preview_file_id": a.preview["id"]}))
    assert added["shots"] == [{"entity_id": a.shot["id"], "preview_file_id": a.preview["id"]}]


def test_a_temp_playlist_names_tasks_of_its_project_only(tenants):
    a, b = tenants.a, tenants.b
    path = f"/data/projects/{a.project['id']}/playlists/temp"
    _refused(a.apis["manager"].post(path, json={"task_ids": [b.task["id"]]}), "task_ids", b.task["id"])
    _refused(a.apis["manager"].post(path, json={"task_ids": [tenants.other_task["id"]]}), "task_ids",
             tenants.other_task["id"])
    entry = ok(a.apis["manager"].post(path, json={"task_ids": [a.task["id"]]}))[0]
    assert entry["preview_file_task_id"] == a.task["id"] and entry["preview_file_id"]


def test_a_comment_takes_a_status_and_an_author_of_the_studio(tenants):
    a, b = tenants.a, tenants.b
    path = f"/actions/tasks/{a.task['id']}/comment"
    _refused(a.apis["artist"].post(path, json={"task_status_id": b.status["id"], "comment": "x"}),
             "task_status_id", b.status["id"])
    _refused(a.apis["manager"].post(path, json={"task_status_id": a.status["id"], "comment": "x",
                                                "person_id": b.people["manager"]["id"]}),
             "person_id", b.people["manager"]["id"])
    batch = a.apis["manager"].post(f"/actions/tasks/{a.task['id']}/batch-comment",
                                   json={"comments": [{"task_status_id": b.status["id"], "text": "x"}]})
    _refused(batch, "task_status_id", b.status["id"])


def test_a_comments_previews_attachments_and_mentions_are_of_its_project(tenants, foreign):
    a, b = tenants.a, tenants.b
    base = {"object_id": a.task["id"], "task_status_id": a.status["id"], "text": "x"}
    for name, foreign_id in (("preview_files", b.preview["id"]), ("preview_files", tenants.other_preview["id"]),
                             ("attachment_files", foreign("AttachmentFile")),
                             ("mentions", b.people["client"]["id"]), ("department_mentions", b.department["id"])):
        _refused(a.apis["manager"].post("/data/comments", json={**base, name: [foreign_id]}), name, foreign_id)


def test_team_members_are_people_of_the_studio(tenants):
    a, b = tenants.a, tenants.b
    answer = a.apis["manager"].post(f"/data/projects/{a.project['id']}/team",
                                    json={"person_id": b.people["client"]["id"]})
    _refused(answer, "person_id", b.people["client"]["id"])
    assert b.people["client"]["id"] not in ok(a.apis["admin"].get(f"/data/projects/{a.project['id']}"))["team"]


def test_a_projects_background_is_one_of_the_studio(tenants, foreign):
    a = tenants.a
    background = foreign("PreviewBackgroundFile")
    answer = a.apis["manager"].post(f"/data/projects/{a.project['id']}/settings/preview-background-files",
                                    json={"preview_background_file_id": background})
    _refused(answer, "preview_background_file_id", background)


def test_working_files_name_software_and_people_of_the_studio(tenants, foreign):
    a, b = tenants.a, tenants.b
    software = foreign("Software")
    new = f"/data/tasks/{a.task['id']}/working-files/new"
    _refused(a.apis["artist"].post(new, json={"name": "main", "software_id": software}), "software_id", software)
    _refused(a.apis["artist"].post(new, json={"name": "main", "person_id": b.people["manager"]["id"]}),
             "person_id", b.people["manager"]["id"])
    _refused(a.apis["artist"].post(f"/data/tasks/{a.task['id']}/working-file-path",
                                   json={"name": "main", "software_id": software}), "software_id", software)
    working_file = ok(a.apis["artist"].post(new, json={"name": "main"}), 201)
    _refused(a.apis["artist"].put(f"/data/working-files/{working_file['id']}", json={"software_id": software}),
             "software_id", software)


def test_an_output_file_names_types_statuses_and_a_working_file_of_its_project(tenants, foreign):
    a, b = tenants.a, tenants.b
    output_type = ok(a.apis["admin"].post("/data/output-types", json={"name": f"Cache {tag()}",
                                                                      "short_name": "cch"}), 201)
    other_working_file = ok(a.apis["manager_other_project"].post(
        f"/data/tasks/{tenants.other_task['id']}/working-files/new", json={"name": "main"}), 201)
    base = {"output_type_id": output_type["id"], "task_type_id": a.task_type["id"]}
    new = f"/data/entities/{a.shot['id']}/output-files/new"
    artist = a.apis["artist"]
    for name, foreign_id in (("output_type_id", foreign("OutputType")), ("task_type_id", b.task_type["id"]),
                             ("person_id", b.people["manager"]["id"]), ("file_status_id", foreign("FileStatus")),
                             ("working_file_id", other_working_file["id"])):
        _refused(artist.post(new, json={**base, name: foreign_id}), name, foreign_id)
    for route in ("output-files/next-revision", "output-file-path"):
        answer = artist.post(f"/data/entities/{a.shot['id']}/{route}", json={**base, "task_type_id": b.task_type["id"]})
        _refused(answer, "task_type_id", b.task_type["id"])
    output_file = ok(artist.post(new, json=base), 201)
    _refused(a.apis["manager"].put(f"/data/output-files/{output_file['id']}",
                                   json={"file_status_id": foreign("FileStatus")}), "file_status_id",
             foreign("FileStatus"))


def test_an_asset_instance_instantiates_an_asset_of_its_project(tenants, asset, foreign):
    a = tenants.a
    answer = a.apis["manager"].post(f"/data/assets/{asset['id']}/asset-asset-instances",
                                    json={"asset_to_instantiate_id": foreign("Asset")})
    assert answer.status_code in (400, 404)
    assert records.query_parent(asset["id"], "AssetInstance") == []


def test_checking_many_references_reads_them_in_one_batch(tenants, playlist, dynamodb_operations):
    a = tenants.a
    shots = [ok(a.apis["manager"].post(f"/data/projects/{a.project['id']}/shots",
                                       json={"name": f"SH {tag()}", "sequence_id": a.sequence["id"]}), 201)
             for _ in range(30)]
    dynamodb_operations.clear()
    ok(a.apis["manager"].put(f"/data/playlists/{playlist['id']}", json={"shots": [{"entity_id": s["id"]}
                                                                                   for s in shots]}))
    assert "Scan" not in dynamodb_operations
    # One for the caller (the person and its revoked-token ids), one for all 30 references.
    assert dynamodb_operations.count("BatchGetItem") == 2
    assert dynamodb_operations.count("GetItem") <= 4  # the playlist, its project, the write's re-read
