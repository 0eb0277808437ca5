import pytest


def _still_works(account, token: str) -> bool:
    answer = account.as_token(token).get("/auth/authenticated")
    assert answer.status_code in (200, 401), answer.text
    return answer.status_code == 200


def test_changing_ones_password_needs_the_current_one_and_eight_characters(new_account):
    account = new_account()
    me = account.as_token(account.tokens()["access_token"])
    for body in ({"password": "a"}, {"password": "long-enough-pw"},
                 {"password": "long-enough-pw", "current_password": "not-my-password"},
                 {"password": "short", "current_password": account.password}):
        answer = me.put(f"/data/persons/{account.id}", json=body)
        assert answer.status_code == 400, body
    assert account.log_in().status_code == 200  # nothing changed
    changed = me.put(f"/data/persons/{account.id}", json={"password": "long-enough-pw",
                                                          "current_password": account.password})
    assert changed.status_code == 200, changed.text
    assert "password" not in changed.json() and "tokens_valid_after" not in changed.json()
    assert account.log_in().status_code == 401
    assert account.log_in("long-enough-pw").status_code == 200


def test_zou_change_password_route_checks_the_old_password_and_the_length(new_account):
    account = new_account()
    me = account.as_token(account.tokens()["access_token"])
    wrong_old = me.post("/auth/change-password", json={"old_password": "nope-nope", "password": "new-password-1",
                                                       "password_2": "new-password-1"})
    assert wrong_old.status_code == 400
    too_short = me.post("/auth/change-password", json={"old_password": account.password, "password": "1234567",
                                                       "password_2": "1234567"})
    assert too_short.status_code == 400
    mismatch = me.post("/auth/change-password", json={"old_password": account.password, "password": "new-password-1",
                                                      "password_2": "new-password-2"})
    assert mismatch.status_code == 400
    done = me.post("/auth/change-password", json={"old_password": account.password, "password": "new-password-1",
                                                  "password_2": "new-password-1"})
    assert done.status_code == 200, done.text
    assert done.json()["success"] is True
    assert account.log_in("new-password-1").status_code == 200


def test_a_password_change_ends_every_session_opened_before_it(new_account):
    account = new_account()
    laptop, workstation = account.tokens(), account.tokens()
    answer = account.as_token(laptop["access_token"]).post("/auth/change-password", json={
        "old_password": account.password, "password": "brand-new-password", "password_2": "brand-new-password"})
    assert answer.status_code == 200, answer.text
    for token in (laptop["access_token"], workstation["access_token"]):
        refused = account.as_token(token).get("/auth/authenticated")
        assert refused.status_code == 401 and refused.json()["message"] == "Token has been revoked"
    assert account.as_token(workstation["refresh_token"]).get("/auth/refresh-token").status_code == 401
    # The client that changed it carries on with the pair in the answer, and new logins work.
    assert _still_works(account, answer.json()["access_token"])
    assert account.as_token(answer.json()["refresh_token"]).get("/auth/refresh-token").status_code == 200
    assert _still_works(account, account.log_in("brand-new-password").json()["access_token"])


@pytest.mark.parametrize("change", [
    {"password": "reset-by-the-admin"},
    {"active": False},
    {"role": "client"},
])
def test_an_admin_reset_deactivation_or_role_change_ends_the_persons_sessions(api, new_account, change):
    account = new_account()
    before = account.tokens()
    assert _still_works(account, before["access_token"])
    answer = api["admin"].put(f"/data/persons/{account.id}", json=change)
    assert answer.status_code == 200, answer.text
    assert not _still_works(account, before["access_token"])
    assert account.as_token(before["refresh_token"]).get("/auth/refresh-token").status_code == 401
    if change.get("active") is False:
        # Active again, the old tokens stay ended.
        assert api["admin"].put(f"/data/persons/{account.id}", json={"active": True}).status_code == 200
        assert not _still_works(account, before["access_token"])
        assert _still_works(account, account.tokens()["access_token"])
    else:
        password = change.get("password", account.password)
        assert _still_works(account, account.log_in(password).json()["access_token"])


def test_changes_that_keep_the_credentials_keep_the_sessions(api, new_account):
    account = new_account()
    token = account.tokens()["access_token"]
    me = account.as_token(token)
    whole = me.get(f"/data/persons/{account.id}").json()
    # gazu PUTs back the whole dict: same e-mail, no password, so no proof is needed.
    assert me.put(f"/data/persons/{account.id}", json={**whole, "phone": "+33 1 23 45 67 89"}).status_code == 200
    same_role = api["admin"].put(f"/data/persons/{account.id}", json={"role": "user", "last_name": "Same"})
    assert same_role.status_code == 200
    assert _still_works(account, token)


def test_changing_ones_email_needs_the_password(new_account):
    account = new_account()
    me = account.as_token(account.tokens()["access_token"])
    new_email = f"moved-{account.email}"
    assert me.put(f"/data/persons/{account.id}", json={"email": new_email}).status_code == 400
    assert me.put(f"/data/persons/{account.id}", json={"email": new_email,
                                                       "current_password": "wrong-password"}).status_code == 400
    moved = me.put(f"/data/persons/{account.id}", json={"email": new_email, "current_password": account.password})
    assert moved.status_code == 200, moved.text
    assert moved.json()["email"] == new_email
    assert account.api.post("/auth/login", json={"email": new_email, "password": account.password}).status_code == 200


def test_an_admin_sets_passwords_of_eight_characters_at_least(api, new_account):
    account = new_account()
    assert api["admin"].put(f"/data/persons/{account.id}", json={"password": "short"}).status_code == 400
    created = api["admin"].post("/data/persons", json={"first_name": "Tiny", "email": f"tiny-{account.email}",
                                                       "password": "1234"})
    assert created.status_code == 400
