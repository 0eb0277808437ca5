import datetime
import uuid

import gazu
import jwt
import pytest

from chalicelib import auth
from chalicelib.config import settings
from chalicelib.models import records


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_logout_revokes_the_access_and_the_refresh_token(new_account):
    account = new_account()
    tokens = account.tokens()
    access, refresh = account.as_token(tokens["access_token"]), account.as_token(tokens["refresh_token"])
    assert access.get("/auth/authenticated").status_code == 200
    refreshed = refresh.get("/auth/refresh-token")
    assert refreshed.status_code == 200
    assert access.get("/auth/logout").json() == {"logout": True}
    # Logging out again with the same (now revoked) token is no error.
    assert access.get("/auth/logout").json() == {"logout": True}
    for token in (tokens["access_token"], tokens["refresh_token"], refreshed.json()["access_token"]):
        answer = account.as_token(token).get("/auth/authenticated" if token != tokens["refresh_token"]
                                             else "/auth/refresh-token")
        assert answer.status_code == 401, token
        assert answer.json()["message"] == "Token has been revoked"
    # A new login opens a new session.
    assert account.as_token(account.tokens()["access_token"]).get("/data/projects").status_code == 200


def test_revoked_token_ids_are_kept_until_the_token_would_expire(new_account):
    tokens = new_account().tokens()
    access, refresh = _claims(tokens["access_token"]), _claims(tokens["refresh_token"])
    assert access["rti"] == refresh["jti"]
    auth.revoke_session(f"Bearer {tokens['access_token']}")
    denied_access = records.get_record(f"revoked#{access['jti']}")
    denied_refresh = records.get_record(f"revoked#{refresh['jti']}")
    assert denied_access.expires_at.timestamp() == int(access["exp"])
    # The refresh token's own expiry, to the second.
    assert abs(denied_refresh.expires_at.timestamp() - refresh["exp"]) <= 1


def test_gazu_log_out_ends_the_session_it_held(api_url, new_account):
    account = new_account()
    client = gazu.client.create_client(api_url)
    tokens = dict(gazu.log_in(account.email, account.password, client=client))
    gazu.log_out(client=client)
    holding_access = gazu.client.create_client(api_url)
    gazu.client.set_tokens({"access_token": tokens["access_token"]}, client=holding_access)
    with pytest.raises(gazu.exception.NotAuthenticatedException):
        gazu.project.all_projects(client=holding_access)
    # A client that would refresh its expired access token finds the refresh token ended too.
    holding_refresh = gazu.client.create_client(api_url, use_refresh_token=True)
    gazu.client.set_tokens({"access_token": auth.issue_access_token(account.id, datetime.timedelta(seconds=-1),
                                                                    refresh_id=str(uuid.uuid4())),
                            "refresh_token": tokens["refresh_token"]}, client=holding_refresh)
    with pytest.raises(gazu.exception.NotAuthenticatedException):
        gazu.project.all_projects(client=holding_refresh)


def test_logging_out_with_an_expired_access_token_still_ends_its_refresh_token(new_account):
    account = new_account()
    tokens = account.tokens()
    refresh_id = _claims(tokens["refresh_token"])["jti"]
    expired = auth.issue_access_token(account.id, datetime.timedelta(seconds=-5), refresh_id=refresh_id)
    assert account.as_token(expired).get("/auth/logout").status_code == 200
    answer = account.as_token(tokens["refresh_token"]).get("/auth/refresh-token")
    assert answer.status_code == 401
    assert answer.json()["message"] == "Token has been revoked"


def test_logout_without_a_genuine_token_revokes_nothing(new_account, api):
    account = new_account()
    tokens = account.tokens()
    assert api["anonymous"].get("/auth/logout").status_code == 200
    forged = jwt.encode({**_claims(tokens["access_token"])}, "x" * 40, algorithm="HS256")
    assert account.as_token(forged).get("/auth/logout").status_code == 200
    assert account.as_token(tokens["access_token"]).get("/auth/authenticated").status_code == 200


def test_access_tokens_last_one_working_day_and_gazu_refreshes_them(api_url, new_account):
    account = new_account()
    claims = _claims(account.tokens()["access_token"])
    lifetime = claims["exp"] - claims["iat"]
    assert abs(lifetime - settings().access_token_minutes * 60) < 1
    assert lifetime <= 12 * 3600 < 7 * 86400
    # A gazu client that refreshes carries on past the access token's end.
    client = gazu.client.create_client(api_url, use_refresh_token=True)
    gazu.log_in(account.email, account.password, client=client)
    refresh_id = _claims(client.tokens["refresh_token"])["jti"]
    client.tokens["access_token"] = auth.issue_access_token(account.id, datetime.timedelta(seconds=-1),
                                                            refresh_id=refresh_id)
    assert gazu.client.get_current_user(client=client)["id"] == account.id
    assert _claims(client.tokens["access_token"])["rti"] == refresh_id
