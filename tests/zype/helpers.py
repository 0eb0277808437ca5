"""Clients and fixtures data for the publishing API tests."""
import io

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


def png(width: int = 64, height: int = 48, color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()
