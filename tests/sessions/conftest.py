"""People of their own for session tests: logging out, changing passwords and failing
logins must not touch the demo studio's accounts, which every other test logs in as."""
import uuid
from dataclasses import dataclass

import pytest


@dataclass
class Account:
    person: dict
    email: str
    password: str
    api: object  # tests/conftest.py's Api, with no token

    @property
    def id(self) -> str:
        return self.person["id"]

    def log_in(self, password: str | None = None):
        return self.api.post("/auth/login", json={"email": self.email, "password": password or self.password})

    def tokens(self) -> dict:
        answer = self.log_in()
        assert answer.status_code == 200, answer.text
        return answer.json()

    def as_token(self, token: str):
        return self.api.as_token(token)


@pytest.fixture
def new_account(api):
    """new_account(role="user") -> an Account created by the demo admin."""
    def make(role: str = "user") -> Account:
        email = f"{role}-{uuid.uuid4().hex[:10]}@sessions.test"
        password = f"pw-{uuid.uuid4().hex[:12]}"
        answer = api["admin"].post("/data/persons", json={"first_name": "Session", "last_name": role,
                                                          "email": email, "password": password, "role": role})
        assert answer.status_code == 201, answer.text
        return Account(answer.json(), email, password, api["anonymous"])

    return make
