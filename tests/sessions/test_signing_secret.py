import dataclasses
import datetime
import json
import pathlib
import subprocess
import sys

import jwt
import pytest

from chalicelib.auth import tokens
from chalicelib.config import settings

ROOT = pathlib.Path(__file__).resolve().parents[2]
# What .chalice/config.json held for the dev stage until it was taken out: anyone who
# read the repository could sign tokens with it.
COMMITTED_DEV_SECRET = "dev-only-jwt-secret-not-for-production-use"


def _forged_admin_token(demo, secret: str) -> str:
    now = datetime.datetime.now(datetime.UTC)
    return jwt.encode({"sub": demo["people"]["admin"]["id"], "type": "access", "iat": now,
                       "exp": now + datetime.timedelta(hours=1), "jti": "forged"}, secret, algorithm="HS256")


def test_no_stage_of_the_chalice_config_holds_a_signing_secret():
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    environments = [config.get("environment_variables", {})]
    environments += [stage.get("environment_variables", {}) for stage in config["stages"].values()]
    environments += [function.get("environment_variables", {}) for function in config.get("lambda_functions",
                                                                                            {}).values()]
    assert all("JWT_SECRET" not in environment for environment in environments)
    assert COMMITTED_DEV_SECRET not in json.dumps(config)


def test_an_admin_token_forged_with_the_once_committed_secret_is_refused(api, demo):
    answer = api["anonymous"].as_token(_forged_admin_token(demo, COMMITTED_DEV_SECRET)).get("/data/persons")
    assert answer.status_code == 401
    assert settings().jwt_secret_plain != COMMITTED_DEV_SECRET


def test_a_stage_given_the_once_committed_secret_refuses_to_sign_or_accept(monkeypatch, demo):
    published = dataclasses.replace(settings(), jwt_secret_plain=COMMITTED_DEV_SECRET)
    monkeypatch.setattr(tokens, "settings", lambda: published)
    with pytest.raises(RuntimeError, match="published"):
        tokens.issue_access_token(demo["people"]["admin"]["id"])
    with pytest.raises(RuntimeError, match="published"):
        tokens.authenticate(f"Bearer {_forged_admin_token(demo, COMMITTED_DEV_SECRET)}")
    short = dataclasses.replace(settings(), jwt_secret_plain="short-secret")
    monkeypatch.setattr(tokens, "settings", lambda: short)
    with pytest.raises(RuntimeError, match="too short"):
        tokens.issue_access_token(demo["people"]["admin"]["id"])


def test_every_run_of_the_local_stack_signs_with_a_new_random_secret():
    # In a separate process: setting a local stack's environment here would change the
    # secret of the stack the other tests use.
    program = (
        "import os\n"
        "from devstack.stack import LocalStack\n"
        "os.environ['JWT_SECRET'] = 'from-the-shell'\n"
        "for _ in range(2):\n"
        "    LocalStack(moto_port=1, api_port=None)._set_environment()\n"
        "    print(os.environ['JWT_SECRET'])\n")
    printed = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True,
                             timeout=120).stdout.split()
    assert len(printed) == 2 and printed[0] != printed[1]
    assert all(len(secret) >= 32 and secret != "from-the-shell" for secret in printed)
    assert settings().jwt_secret_plain not in printed
