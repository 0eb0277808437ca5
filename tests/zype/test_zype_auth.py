"""Zype credentials: api_key reads and writes, app_key only reads, bearer tokens by role."""
from tests.zype.helpers import Zype


def test_app_key_reads_but_is_refused_on_every_write(site):
    playlist = site.zype.playlist("Readable")
    video = site.zype.video("Readable video")
    category = site.zype.category("Genre", ["comedy"])
    assert site.app.get("/playlists").status_code == 200
    assert site.app.get(f"/playlists/{playlist['_id']}/videos").status_code == 200
    writes = [("POST", "/playlists", {"playlist": {"title": "x"}}),
              ("PUT", f"/playlists/{playlist['_id']}", {"playlist": {"title": "x"}}),
              ("DELETE", f"/playlists/{playlist['_id']}", None),
              ("PUT", f"/playlists/{playlist['_id']}/add_videos", {"video_id": [video["_id"]]}),
              ("PUT", f"/playlists/{playlist['_id']}/remove_videos", {"video_id": [video["_id"]]}),
              ("POST", "/videos", {"video": {"title": "x"}}),
              ("PUT", f"/videos/{video['_id']}", {"video": {"title": "x"}}),
              ("DELETE", f"/videos/{video['_id']}", None),
              ("POST", "/categories", {"category": {"title": "x"}}),
              ("PUT", f"/categories/{category['_id']}", {"category": {"title": "x"}}),
              ("DELETE", f"/categories/{category['_id']}", None)]
    for method, path, body in writes:
        answer = site.app.request(method, path, json=body)
        assert answer.status_code == 403, (method, path)
        assert answer.json() == {"message": "An app_key is read-only: it may not create or modify resources"}
    assert site.zype.get(f"/playlists/{playlist['_id']}").json()["response"]["title"] == "Readable"
    assert site.zype.get(f"/videos/{video['_id']}").status_code == 200


def test_missing_or_unknown_credentials_are_401_with_a_message(site, stack):
    anonymous = Zype(stack.api_url)
    answer = anonymous.get("/playlists")
    assert answer.status_code == 401
    assert set(answer.json()) == {"message"}
    assert Zype(stack.api_url, {"api_key": "not-a-key"}).get("/playlists").status_code == 401
    # An app_key cannot be promoted by sending it as an api_key.
    answer = Zype(stack.api_url, {"api_key": site.app_key}).post("/playlists", json={"playlist": {"title": "x"}})
    assert answer.status_code == 401


def test_keys_are_accepted_in_headers_and_json_bodies(site, stack):
    by_header = Zype(stack.api_url, headers={"x-zype-key": site.api_key})
    assert by_header.post("/playlists", json={"playlist": {"title": "Header"}}).status_code == 201
    anonymous = Zype(stack.api_url)
    answer = anonymous.post("/playlists", json={"api_key": site.api_key, "playlist": {"title": "Body"}})
    assert answer.status_code == 201
    assert Zype(stack.api_url, headers={"x-zype-app-key": site.app_key}).get("/playlists").status_code == 200


def test_bearer_tokens_write_for_managers_and_read_for_artists(stack, tokens):
    manager = Zype(stack.api_url, headers={"Authorization": f"Bearer {tokens['manager']}"})
    artist = Zype(stack.api_url, headers={"Authorization": f"Bearer {tokens['user']}"})
    vendor = Zype(stack.api_url, headers={"Authorization": f"Bearer {tokens['vendor']}"})
    playlist = manager.playlist("Studio picks")
    assert artist.get(f"/playlists/{playlist['_id']}").json()["response"]["title"] == "Studio picks"
    answer = artist.put(f"/playlists/{playlist['_id']}", json={"playlist": {"title": "Mine now"}})
    assert answer.status_code == 403
    assert answer.json() == {"message": "Only admins and managers may change published content"}
    assert vendor.get("/playlists").status_code == 403


def test_only_admins_issue_list_and_revoke_keys(site, api, stack):
    studio_id = site.studio["id"]
    assert api["manager"].post(f"/data/studios/{studio_id}/zype-keys", json={"kind": "api_key"}).status_code == 403
    listed = site.admin.get(f"/data/studios/{studio_id}/zype-keys").json()
    assert sorted(key["kind"] for key in listed) == ["api_key", "app_key"]
    assert all("key" not in key for key in listed)  # the secret is shown once, at issue
    assert site.admin.post(f"/data/studios/{studio_id}/zype-keys", json={"kind": "root"}).status_code == 400

    api_key_id = next(key["id"] for key in listed if key["kind"] == "api_key")
    assert site.admin.delete(f"/data/studios/{studio_id}/zype-keys/{api_key_id}").status_code == 204
    assert Zype(stack.api_url, {"api_key": site.api_key}).get("/playlists").status_code == 401
    assert site.app.get("/playlists").status_code == 200
