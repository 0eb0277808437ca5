"""notify-clients tells the project's clients about playlists shared with them only
(`for_client`), and emails only those whose notifications are on; the others still get
the notification record (Zou: email only when `notifications_enabled`)."""
import time

import pytest

from chalicelib.models import records
from tests.permissions.world import ok, person, tag


@pytest.fixture(scope="module")
def quiet_client(tenants):
    """A client of project A who turned notifications off."""
    a = tenants.a
    quiet = person(a.apis["admin"], {"role": "client", "notifications_enabled": False})
    ok(a.apis["manager"].post(f"/data/projects/{a.project['id']}/team", json={"person_id": quiet["id"]}), 201)
    return quiet


def _playlist(a, for_client: bool) -> dict:
    return ok(a.apis["manager"].post("/data/playlists", json={"name": f"review {tag()}", "project_id": a.project["id"],
                                                              "for_client": for_client}), 201)


def test_clients_hear_nothing_of_an_internal_playlist(stack, tenants, quiet_client):
    a = tenants.a
    playlist = _playlist(a, for_client=False)
    before = len(stack.sent_emails())
    assert ok(a.apis["manager"].post(f"/data/playlists/{playlist['id']}/notify-clients", json={})) == \
        {"status": "success"}
    time.sleep(0.1)
    assert len(stack.sent_emails()) == before
    assert records.query_parent(playlist["id"], "Notification") == []


def test_clients_are_told_of_a_client_playlist_and_emailed_if_they_want(stack, tenants, quiet_client):
    a = tenants.a
    playlist = _playlist(a, for_client=True)
    before = len(stack.sent_emails())
    ok(a.apis["manager"].post(f"/data/playlists/{playlist['id']}/notify-clients", json={}))
    emailed = [e["destinations"]["ToAddresses"] for e in stack.sent_emails()[before:]]
    assert emailed == [[a.people["client"]["email"]]]
    notified = sorted(n["person_id"] for n in records.query_parent(playlist["id"], "Notification"))
    assert notified == sorted([a.people["client"]["id"], quiet_client["id"]])
    # The client may open what they were told about.
    assert a.apis["client"].get(f"/data/playlists/{playlist['id']}").status_code == 200
