"""A fresh publishing site (studio) per test, with its api_key and app_key, and a
recorder of the DynamoDB calls the served app makes (it runs in this process)."""
import io
from dataclasses import dataclass

import pytest
import requests


class Zype:
    """requests against the root Zype API with one credential."""

    def __init__(self, base_url: str, params: dict | None = None, headers: dict | None = None):
        self.base_url = base_url
        self.auth_params = params or {}
        self.headers = headers or {}
        self.session = requests.Session()

    def request(self, method: str, path: str, params=None, **kwargs) -> requests.Response:
        merged = list(self.auth_params.items())
        if isinstance(params, dict):
            merged += list(params.items())
        elif params:
            merged += list(params)
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, f"{self.base_url}{path}", params=merged,
                                    headers={**self.headers, **kwargs.pop("headers", {})}, timeout=60, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    # --- shortcuts that assert success ----------------------------------------------

    def created(self, path: str, wrapper: str, **fields) -> dict:
        answer = self.post(path, json={wrapper: fields})
        assert answer.status_code == 201, answer.text
        return answer.json()["response"]

    def category(self, title: str, values: list[str]) -> dict:
        return self.created("/categories", "category", title=title, values=values)

    def video(self, title: str, **fields) -> dict:
        return self.created("/videos", "video", title=title, **fields)

    def playlist(self, title: str, **fields) -> dict:
        return self.created("/playlists", "playlist", title=title, **fields)

    def add(self, playlist_id: str, *video_ids: str) -> requests.Response:
        answer = self.put(f"/playlists/{playlist_id}/add_videos", params=[("video_id[]", v) for v in video_ids])
        assert answer.status_code == 200, answer.text
        return answer

    def titles(self, path: str, **params) -> list[str]:
        answer = self.get(path, params=params)
        assert answer.status_code == 200, answer.text
        return [record["title"] for record in answer.json()["response"]]


@dataclass
class Site:
    studio: dict
    api_key: str
    app_key: str
    zype: Zype      # read-write (api_key)
    app: Zype       # read-only (app_key)


@pytest.fixture
def site(api, stack, unique) -> Site:
    studio = api["admin"].post("/data/studios", json={"name": unique("studio")})
    assert studio.status_code == 201, studio.text
    studio = studio.json()
    issued = {}
    for kind in ("api_key", "app_key"):
        answer = api["admin"].post(f"/data/studios/{studio['id']}/zype-keys", json={"kind": kind, "name": kind})
        assert answer.status_code == 201, answer.text
        issued[kind] = answer.json()["key"]
    return Site(studio, issued["api_key"], issued["app_key"],
                Zype(stack.api_url, {"api_key": issued["api_key"]}),
                Zype(stack.api_url, {"app_key": issued["app_key"]}))


@pytest.fixture
def zype(site) -> Zype:
    return site.zype


@pytest.fixture
def dynamodb_calls(monkeypatch) -> list[str]:
    """Names of the DynamoDB operations made from now on (clear it to start counting)."""
    from pynamodb.connection.base import Connection

    calls: list[str] = []
    original = Connection._make_api_call

    def recording(self, operation_name, operation_kwargs):
        calls.append(operation_name)
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", recording)
    return calls


def png(width: int = 64, height: int = 48, color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()
