"""What several test directories wait on or count, in one place."""
import time


def _poll(read, done, timeout: float) -> dict:
    """`read()` every 0.2 s until `done(value)` or `timeout` seconds: the last value read."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def preview_processed(admin_api, preview_id: str, timeout: float = 60) -> dict:
    """The preview file once it is no longer `processing` (or when the time is up)."""
    return _poll(lambda: admin_api.get(f"/data/preview-files/{preview_id}").json(),
                 lambda preview: preview["status"] != "processing", timeout)


def job_ended(manager_api, playlist_id: str, job_id: str, timeout: float = 120) -> dict:
    """The build job once it is no longer `running` (or when the time is up)."""
    return _poll(lambda: manager_api.get(f"/data/playlists/{playlist_id}/jobs/{job_id}").json(),
                 lambda job: job["status"] != "running", timeout)


def record_dynamodb_operations(monkeypatch) -> list[str]:
    """Names of the DynamoDB operations made from now on (the served app runs in this process)."""
    from pynamodb.connection.base import Connection

    calls: list[str] = []
    original = Connection._make_api_call

    def recording(self, operation_name, operation_kwargs):
        calls.append(operation_name)
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", recording)
    return calls
