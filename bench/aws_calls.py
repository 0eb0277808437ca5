"""How many AWS calls representative requests make, counted with a botocore event hook
on every client the app uses. Lists are measured at two sizes: the count must not grow
with the list (batch reads, no N+1).

    .venv/bin/python bench/aws_calls.py
"""
import pathlib
import sys
import threading

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from devstack.stack import LocalStack, free_port  # noqa: E402


class CallCounter:
    """Counts API calls made by request threads (not by the local SQS pollers)."""

    def __init__(self):
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, model, **_):
        if threading.current_thread().name.startswith("sqs-"):
            return
        with self._lock:
            self.calls.append(model.name)

    def attach(self, client) -> None:
        client.meta.events.register("before-call", self)


def _attach_everywhere(counter: CallCounter) -> None:
    from chalicelib import aws
    from chalicelib.models.records import Record

    for service in ("s3", "sqs", "ses", "stepfunctions", "events"):
        counter.attach(aws.client(service))
    counter.attach(Record._get_connection().connection.client)


def measure(counter: CallCounter, method: str, url: str, token: str, **kwargs) -> tuple[int, list[str]]:
    before = len(counter.calls)
    answer = requests.request(method, url, headers={"Authorization": f"Bearer {token}"}, timeout=60, **kwargs)
    answer.raise_for_status()
    return len(counter.calls) - before, counter.calls[before:]


def _playlist_rows(row, api: str, token: str, seeded: dict) -> None:
    """A playlist read at 5 and at 50 entries, each entity with two previews."""
    from chalicelib.models import records
    from chalicelib.services.previews import index

    project_id = seeded["project"]["id"]
    shots = sorted(records.query_project(project_id, "Shot"), key=lambda s: s["created_at"])[:50]
    animation = seeded["task_types"]["Animation"]["id"]
    for shot in shots:
        for revision in (1, 2):
            index.record_preview({"id": records.new_id(), "entity_id": shot["id"], "task_id": records.new_id(),
                                          "task_type_id": animation, "revision": revision, "position": 1,
                                          "extension": "mp4", "status": "ready", "created_at": records.now_iso()})
    for size in (5, 50):
        playlist = requests.post(f"{api}/data/playlists", headers={"Authorization": f"Bearer {token}"}, timeout=30,
                                 json={"name": f"bench {size}", "project_id": project_id,
                                       "shots": [{"entity_id": s["id"]} for s in shots[:size]]}).json()
        row(f"GET /data/projects/{{pid}}/playlists/{{id}} ({size} entries)", "GET",
            f"/data/projects/{project_id}/playlists/{playlist['id']}")
        row(f"GET /data/playlists/{{id}} ({size} entries)", "GET", f"/data/playlists/{playlist['id']}")
    row("POST /actions/playlists/{id}/add-entity (no preview given)", "POST",
        f"/actions/playlists/{playlist['id']}/add-entity", json={"entity_id": seeded["shots"][0]["id"]})


def main() -> None:
    stack = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    try:
        from chalicelib import auth
        from devstack import demo

        seeded = demo.seed()
        token = auth.issue_tokens(seeded["people"]["manager"])["access_token"]
        api = f"{stack.api_url}/api"
        counter = CallCounter()
        _attach_everywhere(counter)
        project_id = seeded["project"]["id"]
        rows = []

        def row(label, method, path, **kwargs):
            count, names = measure(counter, method, f"{api}{path}", token, **kwargs)
            rows.append((label, count, ", ".join(sorted(set(names)))))

        row("GET /data/projects", "GET", "/data/projects")
        row("GET /data/projects/{id}", "GET", f"/data/projects/{project_id}")
        row("GET /data/tasks/{id}/full", "GET", f"/data/tasks/{seeded['tasks'][0]['id']}/full")
        row("GET /data/shots/all?project_id= (3 shots)", "GET", "/data/shots/all", params={"project_id": project_id})
        for n in range(4, 51):
            requests.post(f"{api}/data/projects/{project_id}/shots", json={"name": f"BENCH{n:03d}"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=30).raise_for_status()
        row("GET /data/shots/all?project_id= (50 shots)", "GET", "/data/shots/all", params={"project_id": project_id})
        row("POST /data/projects/{id}/shots", "POST", f"/data/projects/{project_id}/shots",
            json={"name": "BENCH-NEW", "sequence_id": seeded["sequence"]["id"]})
        row("GET /data/task-status?is_default=True", "GET", "/data/task-status", params={"is_default": "True"})
        _playlist_rows(row, api, token, seeded)

        width = max(len(label) for label, _, _ in rows)
        print(f"{'request':<{width}}  calls  operations")
        for label, count, names in rows:
            print(f"{label:<{width}}  {count:>5}  {names}")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
