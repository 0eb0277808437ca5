"""Two studios (tenants) on the test stack, built once per test process."""
import pytest

from tests.permissions import world


@pytest.fixture(scope="session")
def tenants(api, demo) -> world.Tenants:
    return world.build(api, demo)


@pytest.fixture
def a(tenants) -> world.Studio:
    return tenants.a


@pytest.fixture
def b(tenants) -> world.Studio:
    return tenants.b


@pytest.fixture
def dynamodb_operations(monkeypatch):
    """Names of the DynamoDB operations made from now on (the served app runs in this process)."""
    from pynamodb.connection.base import Connection

    calls: list[str] = []
    original = Connection._make_api_call

    def recording(self, operation_name, operation_kwargs):
        calls.append(operation_name)
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", recording)
    return calls
