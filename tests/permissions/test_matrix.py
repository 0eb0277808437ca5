"""Every route × every identity of tests/permissions/matrix.py, against the local stack.
A route of the app missing from the table fails; so does a row naming no route."""
import json

import pytest

from tests.permissions.calls import call_for
from tests.permissions.matrix import IDENTITIES, MATRIX, MEDIA_PREFIXES, rule_for
from tests.permissions.targets import build_targets

# Every row, and the media rows again at the root (the same blueprint, served twice).
ROUTES = sorted({*MATRIX, *((method, path[len("/api"):]) for method, path in MATRIX
                            if path.startswith(MEDIA_PREFIXES))})


@pytest.fixture(scope="session")
def targets(stack, tenants):
    return build_targets(tenants, stack.api_url)


def test_every_route_of_the_app_is_in_the_table(stack):
    served = {(method, path) for path, methods in stack.app.routes.items() for method in methods}
    assert sorted(route for route in served if rule_for(*route) is None) == []
    assert sorted(set(ROUTES) - served) == []


def _listed(answer) -> set:
    document = answer.json()
    items = document.get("response", document.get("data")) if isinstance(document, dict) else document
    return {item.get("id") or item.get("_id") for item in items if isinstance(item, dict)}


def _outcome(path: str, answer, call) -> str:
    if 200 <= answer.status_code < 400 or answer.status_code in call.ok:
        return "allowed"
    if answer.status_code in (401, 403) or (answer.status_code == 404 and not path.startswith("/api")):
        return "refused"
    return f"{answer.status_code}: {answer.text[:200]}"


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_route(targets, method, path):
    rule = rule_for(method, path)
    # The refused first: a wrongly allowed write then shows here, before any allowed one ran.
    order = sorted(IDENTITIES, key=lambda identity: identity in rule.allowed)
    wrong = {}
    for identity in order:
        call = call_for(targets, method, path, identity)
        answer = targets.send(identity, call)
        wanted = "allowed" if identity in rule.allowed else "refused"
        seen = _outcome(path, answer, call)
        if seen != wanted:
            wrong[identity] = f"{wanted} expected, got {seen}"
        elif wanted == "allowed" and call.listed and rule.sees is not None:
            if (call.listed in _listed(answer)) != (identity in rule.sees):
                wrong[identity] = f"{'should' if identity in rule.sees else 'should not'} list {call.listed}"
    assert wrong == {}, json.dumps(wrong, indent=1)
