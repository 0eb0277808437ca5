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

from chalicelib.local.stack import LocalStack, free_port  # noqa: E402


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


def main() -> None:
    stack = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    try:
        from chalicelib import auth
        from chalicelib.local import demo

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

        width = max(len(label) for label, _, _ in rows)
        print(f"{'request':<{width}}  calls  operations")
        for label, count, names in rows:
            print(f"{label:<{width}}  {count:>5}  {names}")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
