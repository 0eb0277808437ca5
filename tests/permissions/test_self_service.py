"""Nobody changes their own role, studio, departments or active flag (PUT data/persons/{self}):
as in Zou, those fields are ignored; the rest of the edit applies."""
import pytest

from tests.permissions.world import ok

LOCKED = ("role", "studio_id", "departments", "active")


@pytest.mark.parametrize("identity", ["artist", "supervisor", "client", "vendor", "manager", "admin"])
def test_a_person_edits_themselves_but_not_their_role_studio_departments_or_flag(a, b, identity):
    me = ok(a.apis["admin"].get(f"/data/persons/{a.people[identity]['id']}"))
    answer = a.apis[identity].put(f"/data/persons/{me['id']}", json={
        "role": "admin" if identity != "admin" else "user", "studio_id": b.studio["id"], "departments": [],
        "active": False, "phone": f"+33 {identity}"})
    assert answer.status_code == 200, answer.text
    after = ok(a.apis["admin"].get(f"/data/persons/{me['id']}"))
    assert {name: after[name] for name in LOCKED} == {name: me[name] for name in LOCKED}
    assert after["phone"] == f"+33 {identity}"


def test_a_supervisor_may_not_lift_their_own_department_restriction(a):
    supervisor = a.people["supervisor_other_dept"]
    # Lighting supervisors may not act on the Animation task...
    comment = {"task_status_id": a.status["id"], "comment": "looks good"}
    assert a.apis["supervisor_other_dept"].post(f"/actions/tasks/{a.task['id']}/batch-comment",
                                                json={"comments": [comment]}).status_code == 403
    # ... and emptying their departments (no restriction at all) changes nothing.
    ok(a.apis["supervisor_other_dept"].put(f"/data/persons/{supervisor['id']}", json={"departments": []}))
    assert ok(a.apis["admin"].get(f"/data/persons/{supervisor['id']}"))["departments"] == supervisor["departments"]
    assert a.apis["supervisor_other_dept"].post(f"/actions/tasks/{a.task['id']}/batch-comment",
                                                json={"comments": [comment]}).status_code == 403


def test_the_studio_admin_still_changes_other_peoples_roles(a):
    someone = ok(a.apis["admin"].post("/data/persons", json={"first_name": "Promoted", "role": "user",
                                                             "email": "promoted@tenancy.example"}), 201)
    changed = ok(a.apis["admin"].put(f"/data/persons/{someone['id']}", json={"role": "supervisor"}))
    assert changed["role"] == "supervisor"
    assert a.apis["manager"].put(f"/data/persons/{someone['id']}", json={"role": "admin"}).status_code == 403
