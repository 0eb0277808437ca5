"""A fresh publishing site (studio) per test, with its api_key and app_key, and a
recorder of the DynamoDB calls the served app makes (it runs in this process)."""
import uuid
from dataclasses import dataclass

import pytest

from tests.zype.helpers import Zype


@dataclass
class Site:
    studio: dict
    api_key: str
    app_key: str
    zype: Zype      # read-write (api_key)
    app: Zype       # read-only (app_key)


def new_site(api, stack) -> Site:
    studio = api["admin"].post("/data/studios", json={"name": f"studio-{uuid.uuid4().hex[:8]}"})
    assert studio.status_code == 201, studio.text
    studio = studio.json()
    issued = {}
    for kind in ("api_key", "app_key"):
        answer = api["admin"].post(f"/data/studios/{studio['id']}/zype-keys", json={"kind": kind, "name": kind})
        assert answer.status_code == 201, answer.text
        issued[kind] = answer.json()["key"]
    return Site(studio, issued["api_key"], issued["app_key"],
                Zype(stack.api_url, {"api_key": issued["api_key"]}),
                Zype(stack.api_url, {"app_key": issued["app_key"]}))


@pytest.fixture
def site(api, stack) -> Site:
    return new_site(api, stack)


@pytest.fixture
def zype(site) -> Zype:
    return site.zype


@pytest.fixture(autouse=True)
def dynamodb_calls(monkeypatch):
    """Names of the DynamoDB operations made from now on (clear it to start counting).
    Every publishing test also checks that nothing it did scanned a table."""
    from pynamodb.connection.base import Connection

    calls: list[str] = []
    original = Connection._make_api_call

    def recording(self, operation_name, operation_kwargs):
        calls.append(operation_name)
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", recording)
    yield calls
    assert "Scan" not in calls
