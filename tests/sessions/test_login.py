import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import gazu
import pytest

from chalicelib.auth import tokens
from chalicelib.models.sessions import Attempts


def _timed(call) -> tuple[float, int]:
    started = time.perf_counter()
    status = call().status_code
    return time.perf_counter() - started, status


def test_login_costs_the_same_for_an_unknown_email_and_a_wrong_password(new_account):
    account = new_account()
    unknown, wrong = [], []
    # Interleaved, so that both kinds see the same load on a shared machine.
    for _ in range(5):
        seconds, status = _timed(lambda: account.api.post("/auth/login", json={
            "email": f"nobody-{uuid.uuid4().hex[:8]}@sessions.test", "password": "wrong-password"}))
        assert status == 401
        unknown.append(seconds)
        seconds, status = _timed(lambda: account.log_in("wrong-password"))
        assert status == 401
        wrong.append(seconds)
    ratio = statistics.median(unknown) / statistics.median(wrong)
    # Before: 52 ms against 344 ms (a ratio of 0.15), as no password was hashed for unknown addresses.
    assert 0.5 < ratio < 2, (unknown, wrong)


def test_both_refusals_say_the_same(new_account):
    account = new_account()
    unknown = account.api.post("/auth/login", json={"email": f"x-{account.email}", "password": "wrong-password"})
    wrong = account.log_in("wrong-password")
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_ten_failures_in_a_window_throttle_the_account_with_429_and_retry_after(api_url, new_account):
    account, neighbour = new_account(), new_account()
    for _ in range(tokens.ATTEMPT_LIMIT):
        assert account.log_in("wrong-password").status_code == 401
    throttled = account.log_in("wrong-password")
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= tokens.ATTEMPT_WINDOW_SECONDS
    assert throttled.json()["login"] is False
    # The right password waits too (or throttling would not stop guessing), and gazu says why it failed.
    assert account.log_in().status_code == 429
    with pytest.raises(gazu.exception.AuthFailedException):
        gazu.log_in(account.email, account.password, client=gazu.client.create_client(api_url))
    # Other accounts are not affected.
    assert neighbour.log_in().status_code == 200


def test_an_unknown_address_is_throttled_like_an_account(api):
    email = f"nobody-{uuid.uuid4().hex[:8]}@sessions.test"
    answers = [api["anonymous"].post("/auth/login", json={"email": email, "password": "wrong-password"}).status_code
               for _ in range(tokens.ATTEMPT_LIMIT + 1)]
    assert answers == [401] * tokens.ATTEMPT_LIMIT + [429]


def test_a_burst_of_parallel_guesses_gets_no_more_than_the_limit_checked(new_account):
    account = new_account()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: account.log_in("wrong-password").status_code,
                                 range(tokens.ATTEMPT_LIMIT + 8)))
    assert statuses.count(401) == tokens.ATTEMPT_LIMIT
    assert statuses.count(429) == 8


def test_the_window_ends_and_a_right_password_clears_the_count(new_account):
    account = new_account()
    for _ in range(tokens.ATTEMPT_LIMIT):
        assert account.log_in("wrong-password").status_code == 401
    assert account.log_in().status_code == 429
    # Fifteen minutes later (the counter's window moved into the past, as time would):
    counter = Attempts.get(f"attempts#password#{account.email}")
    counter.update(actions=[Attempts.window_ends.set(time.time() - 1)])
    assert account.log_in().status_code == 200
    # A success starts the count again from nothing.
    for _ in range(tokens.ATTEMPT_LIMIT - 1):
        assert account.log_in("wrong-password").status_code == 401
    assert account.log_in().status_code == 200
    assert account.log_in("wrong-password").status_code == 401


def test_current_password_checks_count_as_attempts(new_account):
    account = new_account()
    me = account.as_token(account.tokens()["access_token"])
    for _ in range(tokens.ATTEMPT_LIMIT):
        answer = me.post("/auth/change-password", json={"old_password": "guess-guess", "password": "new-password-1"})
        assert answer.status_code == 400
    answer = me.post("/auth/change-password", json={"old_password": account.password, "password": "new-password-1"})
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
