"""Tokens and passwords held on the organisation or a person are write-only: never
served to anyone, admins included (Zou hides them from everyone but admins). Answers say
whether one is set: `has_chat_token_slack`, `has_password`."""
import pytest

from devstack.demo import DEMO_PASSWORD
from tests.permissions.world import ok

SECRETS = {"chat_token_slack": "xoxb-secret-slack", "chat_webhook_mattermost": "https://mm.example/hooks/secret",
           "chat_token_discord": "discord-secret"}


@pytest.fixture(scope="module")
def organisation(tenants):
    a = tenants.a
    found = ok(a.apis["admin"].get("/data/organisations"))[0]
    return ok(a.apis["admin"].put(f"/data/organisations/{found['id']}", json=SECRETS))


def _leaks(document) -> list[str]:
    text = str(document)
    return [secret for secret in [*SECRETS.values(), "$argon2"] if secret in text]


@pytest.mark.parametrize("identity", ["admin", "manager", "artist", "client", "vendor"])
def test_the_organisations_tokens_are_never_returned(api, tenants, organisation, identity):
    a = tenants.a
    caller = a.apis[identity]
    answers = [organisation, ok(caller.get("/data/organisations")),
               ok(caller.get(f"/data/organisations/{organisation['id']}")), ok(caller.get("/auth/authenticated"))]
    assert [_leaks(answer) for answer in answers] == [[], [], [], []]
    listed = ok(caller.get("/data/organisations"))[0]
    assert {f"has_{name}": listed.get(f"has_{name}") for name in SECRETS} == \
        {f"has_{name}": True for name in SECRETS}
    assert not set(SECRETS) & set(listed)


def test_the_login_answer_holds_no_secret(api, demo, tenants, organisation):
    login = ok(api["anonymous"].post("/auth/login", json={"email": demo["people"]["manager"]["email"],
                                                          "password": DEMO_PASSWORD}))
    assert _leaks(login) == []
    assert login["organisation"]["has_chat_token_slack"] is True
    assert "password" not in login["user"] and login["user"]["has_password"] is True


def test_passwords_are_never_returned_and_cannot_be_filtered_on(tenants):
    a = tenants.a
    for caller in (a.apis["admin"], a.apis["artist"]):
        people = ok(caller.get("/data/persons"))
        assert _leaks(people) == [] and all("password" not in p for p in people)
        me = ok(caller.get(f"/data/persons/{a.people['manager']['id']}"))
        assert "password" not in me and "has_password" in me
    assert a.apis["admin"].get("/data/persons", params={"password": "x"}).status_code == 400
    assert a.apis["admin"].get("/data/organisations", params={"chat_token_slack": "x"}).status_code == 400


def test_a_token_is_cleared_by_writing_an_empty_one(tenants, organisation):
    a = tenants.a
    cleared = ok(a.apis["admin"].put(f"/data/organisations/{organisation['id']}", json={"chat_token_discord": ""}))
    assert cleared["has_chat_token_discord"] is False and cleared["has_chat_token_slack"] is True
    ok(a.apis["admin"].put(f"/data/organisations/{organisation['id']}", json=SECRETS))
