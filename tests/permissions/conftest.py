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
