"""Zou's studio roles on production data: team membership, managers, vendors, clients."""
import pytest

ROLES = ["admin", "manager", "supervisor", "user", "client", "vendor"]


@pytest.fixture
def outsider_project(api, unique):
    answer = api["admin"].post("/data/projects", json={"name": unique("closed"), "team": []})
    assert answer.status_code == 201
    return answer.json()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_its_own_project(api, demo, role):
    answer = api[role].get(f"/data/projects/{demo['project']['id']}")
    assert answer.status_code == 200
    listed = [p["id"] for p in api[role].get("/data/projects").json()]
    assert demo["project"]["id"] in listed


@pytest.mark.parametrize("role", ["manager", "supervisor", "user", "client", "vendor"])
def test_outside_the_team_nothing_is_visible(api, outsider_project, role):
    pid = outsider_project["id"]
    assert api[role].get(f"/data/projects/{pid}").status_code == 403
    assert pid not in [p["id"] for p in api[role].get("/data/projects").json()]
    assert api[role].get(f"/data/projects/{pid}/shots").status_code == 403
    assert api[role].get("/data/shots", params={"project_id": pid}).json() == []


def test_admin_sees_projects_outside_its_teams(api, outsider_project):
    assert api["admin"].get(f"/data/projects/{outsider_project['id']}").status_code == 200


@pytest.mark.parametrize("role,status", [("admin", 201), ("manager", 201), ("supervisor", 403), ("user", 403),
                                         ("client", 403), ("vendor", 403)])
def test_only_managers_create_shots(api, demo, unique, role, status):
    answer = api[role].post(f"/data/projects/{demo['project']['id']}/shots",
                            json={"name": unique("SH"), "sequence_id": demo["sequence"]["id"]})
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize("role,status", [("admin", 201), ("manager", 403), ("user", 403)])
def test_only_admins_create_people(api, unique, role, status):
    answer = api[role].post("/data/persons", json={"first_name": "X", "email": f"{unique()}@example.com"})
    assert answer.status_code == status


def test_vendor_sees_only_assigned_tasks(api, demo):
    vendor_id = demo["people"]["vendor"]["id"]
    tasks = api["vendor"].get("/data/tasks", params={"project_id": demo["project"]["id"]}).json()
    assert tasks and all(vendor_id in t["assignees"] for t in tasks)
    others = [t for t in demo["tasks"] if vendor_id not in t["assignees"]]
    assert api["vendor"].get(f"/data/tasks/{others[0]['id']}").status_code == 403
    assert api["user"].get(f"/data/tasks/{others[0]['id']}").status_code == 200


def test_people_edit_themselves_but_not_their_role(api, demo):
    me = demo["people"]["user"]
    answer = api["user"].put(f"/data/persons/{me['id']}", json={"phone": "123", "role": "admin"})
    assert answer.status_code == 200
    assert answer.json()["phone"] == "123" and answer.json()["role"] == "user"
    assert api["user"].put(f"/data/persons/{demo['people']['client']['id']}", json={"phone": "1"}).status_code == 403


def test_team_management(api, project, demo):
    admin_id = demo["people"]["admin"]["id"]
    team = api["manager"].post(f"/data/projects/{project['id']}/team", json={"person_id": admin_id})
    assert team.status_code == 201 and admin_id in team.json()["team"]
    assert api["user"].post(f"/data/projects/{project['id']}/team", json={"person_id": admin_id}).status_code == 403
    client_id = demo["people"]["client"]["id"]
    assert api["manager"].delete(f"/data/projects/{project['id']}/team/{client_id}").status_code == 204
    assert api["client"].get(f"/data/projects/{project['id']}").status_code == 403
