"""One local stack per test process: moto on a free port, every resource from infra/,
the app served over HTTP, SQS workers and the Step Functions glue, as `make run` has."""
import os
import pathlib
import sys
import uuid

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.stack import DUMMY_AWS, LocalStack, free_port  # noqa: E402

# Never reach for real AWS, whatever the machine has configured.
os.environ.update(DUMMY_AWS)
for _name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(_name, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A skipped test is a failed one: every test runs on a machine with only Python 3.12
    (ffmpeg is bundled, media are read back with PyAV), so a skip can only hide a gap."""
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome, report.longrepr = "failed", f"skipped ({reason}): tests must not skip"
    return report


@pytest.fixture(scope="session")
def stack():
    local = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    yield local
    local.stop()


@pytest.fixture(scope="session")
def demo(stack):
    from devstack import demo as demo_data

    return demo_data.seed()


class Api:
    """requests against the served app, as a given person."""

    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url
        self.token = token
        self.session = requests.Session()

    def as_token(self, token: str | None) -> "Api":
        return Api(self.base_url, token)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, f"{self.base_url}{path}", headers=headers, timeout=60, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def tokens(demo) -> dict:
    from chalicelib import auth

    return {role: auth.issue_tokens(person)["access_token"] for role, person in demo["people"].items()}


@pytest.fixture(scope="session")
def api_url(stack) -> str:
    return f"{stack.api_url}/api"


@pytest.fixture(scope="session")
def api(api_url, tokens) -> dict:
    """An Api per role of the demo studio: api['manager'].get('/data/projects')."""
    return {role: Api(api_url, token) for role, token in tokens.items()} | {"anonymous": Api(api_url)}


@pytest.fixture
def unique():
    return lambda prefix="x": f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def project(api, demo, unique):
    """A fresh project whose team holds every demo person but the admin."""
    team = [p["id"] for role, p in demo["people"].items() if role != "admin"]
    answer = api["admin"].post("/data/projects", json={"name": unique("project"), "team": team,
                                                        "fps": "25", "resolution": "1280x720"})
    assert answer.status_code == 201, answer.text
    return answer.json()
