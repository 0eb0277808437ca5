"""Studio-wide settings (task types, task statuses, asset types, departments, the
organisation; output types, file statuses and softwares too) are written by the studio's
admins only, as in Zou (its CRUD's default: admin only). A manager of another studio, or
a manager on no project, gets 403."""
import pytest

from tests.permissions.world import ok, person, as_person, tag

SETTINGS = {
    "task-types": lambda: {"name": f"TT {tag()}", "for_entity": "Shot"},
    "task-status": lambda: {"name": f"St {tag()}", "short_name": tag()},
    "entity-types": lambda: {"name": f"Type {tag()}"},
    "asset-types": lambda: {"name": f"Type {tag()}"},
    "departments": lambda: {"name": f"Dep {tag()}"},
    "organisations": lambda: {"name": f"Org {tag()}"},
    "output-types": lambda: {"name": f"OT {tag()}", "short_name": "ot"},
    "file-status": lambda: {"name": f"FS {tag()}"},
    "softwares": lambda: {"name": f"Soft {tag()}", "short_name": "s", "file_extension": ".s"},
}


@pytest.fixture(scope="module")
def lone_manager(tenants):
    """A manager of studio A on no project at all."""
    return as_person(tenants.a.apis["admin"], person(tenants.a.apis["admin"], {"role": "manager"}))


@pytest.mark.parametrize("route", sorted(SETTINGS))
def test_only_the_studios_admins_write_its_settings(tenants, lone_manager, route):
    a, b = tenants.a, tenants.b
    record = ok(a.apis["admin"].post(f"/data/{route}", json=SETTINGS[route]()), 201)
    item = f"/data/{route}/{record['id']}"
    for caller in (b.apis["manager"], lone_manager, a.apis["manager"], a.apis["supervisor"]):
        assert caller.post(f"/data/{route}", json=SETTINGS[route]()).status_code == 403, route
    # B's admin creates B's own settings, never touches A's.
    for caller in (b.apis["manager"], b.apis["admin"], lone_manager, a.apis["manager"], a.apis["supervisor"]):
        assert caller.put(item, json={"name": f"renamed {tag()}"}).status_code == 403, route
        assert caller.delete(item).status_code == 403, route
    assert ok(a.apis["admin"].get(item))["name"] == record["name"]
    assert ok(a.apis["admin"].put(item, json={"name": f"renamed {tag()}"}))["name"] != record["name"]
    assert a.apis["admin"].delete(item).status_code == 204


def test_a_manager_elsewhere_cannot_let_clients_finish_tasks(tenants):
    a, b = tenants.a, tenants.b
    done = f"/data/task-status/{a.done['id']}"
    assert b.apis["manager"].put(done, json={"is_client_allowed": True}).status_code == 403
    assert b.apis["manager"].delete(f"/data/task-status/{a.status['id']}").status_code == 403
    assert b.apis["manager"].put(f"/data/task-types/{a.task_type['id']}", json={"name": "Mine"}).status_code == 403
    assert ok(a.apis["admin"].get(done))["is_client_allowed"] is False
    answer = a.apis["client"].post(f"/actions/tasks/{a.task['id']}/comment",
                                   json={"task_status_id": a.done["id"], "comment": "done!"})
    assert answer.status_code == 403
