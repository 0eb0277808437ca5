import datetime

import gazu
import pytest

from chalicelib import auth
from devstack.demo import DEMO_PASSWORD


def test_missing_token_is_401(api):
    answer = api["anonymous"].get("/data/projects")
    assert answer.status_code == 401
    assert answer.json()["error"] is True


def test_malformed_token_is_401(api):
    for header in ("Bearer not-a-jwt", "Basic abc", "Bearer"):
        answer = api["anonymous"].get("/data/projects", headers={"Authorization": header})
        assert answer.status_code == 401, header


def test_badly_signed_token_is_401(api, demo):
    import jwt

    forged = jwt.encode({"sub": demo["people"]["admin"]["id"], "type": "access",
                         "exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)},
                        "another-secret-of-enough-length-for-hs256", algorithm="HS256")
    answer = api["anonymous"].as_token(forged).get("/data/projects")
    assert answer.status_code == 401
    assert "Invalid token" in answer.json()["message"]


def test_expired_token_says_signature_has_expired(api, demo):
    expired = auth.issue_access_token(demo["people"]["manager"]["id"], datetime.timedelta(seconds=-5))
    answer = api["anonymous"].as_token(expired).get("/data/projects")
    assert answer.status_code == 401
    assert answer.json()["message"] == "Signature has expired"


def test_refresh_token_is_not_an_access_token(api, demo):
    refresh = auth.issue_tokens(demo["people"]["manager"])["refresh_token"]
    assert api["anonymous"].as_token(refresh).get("/data/projects").status_code == 401
    answer = api["anonymous"].as_token(refresh).get("/auth/refresh-token")
    assert answer.status_code == 200
    assert api["anonymous"].as_token(answer.json()["access_token"]).get("/data/projects").status_code == 200


def test_login_with_wrong_password_is_refused(api):
    answer = api["anonymous"].post("/auth/login", json={"email": "manager@demo.reelbase.dev", "password": "nope"})
    assert answer.status_code == 401
    answer = api["anonymous"].post("/auth/login", json={"email": "", "password": "x"})
    assert answer.status_code == 400


def test_gazu_refreshes_an_expired_token_and_carries_on(api_url, demo):
    client = gazu.client.create_client(api_url)
    tokens = gazu.log_in("manager@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    assert tokens["login"] is True
    client.use_refresh_token = True
    expired = auth.issue_access_token(demo["people"]["manager"]["id"], datetime.timedelta(seconds=-1))
    client.tokens["access_token"] = expired
    projects = gazu.project.all_projects(client=client)
    assert any(p["name"] == "Demo Short" for p in projects)
    assert client.tokens["access_token"] != expired


def test_gazu_session_probes(api_url, demo):  # logs in as a demo person
    client = gazu.client.create_client(api_url)
    assert gazu.client.host_is_up(client=client) is True
    assert gazu.client.host_is_valid(client=client) is True
    assert gazu.client.get_api_version(client=client) == "0.1.0"
    gazu.log_in("user@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    current = gazu.client.get_current_user(client=client)
    assert current["email"] == "user@demo.reelbase.dev"
    assert gazu.person.get_organisation(client=client)["name"] == "Demo Studio"
    gazu.log_out(client=client)
    with pytest.raises(gazu.exception.AuthFailedException):
        gazu.log_in("user@demo.reelbase.dev", "wrong", client=client)


def test_in_the_cloud_tokens_are_signed_with_the_secret_kept_in_ssm(stack, demo, monkeypatch):
    import dataclasses
    import uuid

    import jwt

    from chalicelib import aws
    from chalicelib.auth import tokens
    from chalicelib.config import settings

    name = f"/reelbase/test/jwt-secret-{uuid.uuid4().hex[:8]}"
    secret = f"ssm-secret-{uuid.uuid4().hex}"
    aws.client("ssm").put_parameter(Name=name, Value=secret, Type="SecureString")
    cloud = dataclasses.replace(settings(), jwt_secret_plain="", jwt_secret_parameter=name)
    monkeypatch.setattr(tokens, "settings", lambda: cloud)
    person_id = demo["people"]["user"]["id"]
    token = auth.issue_access_token(person_id)
    assert jwt.decode(token, secret, algorithms=["HS256"])["sub"] == person_id
    assert auth.person_id_from_header(f"Bearer {token}") == person_id
    monkeypatch.setattr(tokens, "settings", lambda: dataclasses.replace(cloud, jwt_secret_parameter=""))
    with pytest.raises(RuntimeError, match="JWT_SECRET or JWT_SECRET_PARAMETER"):
        auth.issue_access_token(person_id)
