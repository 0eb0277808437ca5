"""Two studios (tenants) on the test stack, built once per test process."""
import pytest

from tests.permissions import world
from tests import waiting


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
    return waiting.record_dynamodb_operations(monkeypatch)
