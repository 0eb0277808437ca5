"""The app's log stream as CloudWatch would receive it from the local stack: one
correlation id per API request, SQS message and build execution on every line, and the
EMF metrics a studio graphs (previews normalized, builds, emails, server errors)."""
import logging
import time

from log_stream import units, values

from chalicelib import observability
from chalicelib.services.production import data
from tests import waiting


def notify_clients(api, studio) -> dict:
    playlist = api["manager"].post("/data/playlists", json={"name": f"for clients {time.time_ns()}",
                                                            "project_id": studio["project"]["id"], "for_client": True})
    assert playlist.status_code == 201, playlist.text
    answer = api["manager"].post(f"/data/playlists/{playlist.json()['id']}/notify-clients", json={})
    assert answer.status_code == 200, answer.text
    return playlist.json()


def test_one_api_request_logs_under_one_correlation_id(api, studio, log_lines):
    first = log_lines.mark()
    notify_clients(api, studio)  # one email (and one log line) for each of the two clients
    first_request = log_lines.since(first, function_name="api_handler")
    second = log_lines.mark()
    notify_clients(api, studio)
    second_request = log_lines.since(second, function_name="api_handler")

    assert [line["message"] for line in first_request] == ["email sent", "email sent"]
    (first_id,) = {line.get("correlation_id") for line in first_request}
    (second_id,) = {line.get("correlation_id") for line in second_request}
    assert first_id and second_id and first_id != second_id
    assert all(line["service"] == "reelbase" and line["cold_start"] in (True, False) for line in first_request)


def test_an_email_counts_as_sent(api, studio, emf):
    notify_clients(api, studio)  # two clients
    documents = emf.wait_for_total("EmailsSent", 2)
    assert sum(sum(values(document, "EmailsSent")) for document in documents) == 2
    assert {units(document)["EmailsSent"] for document in documents} == {"Count"}


def test_a_normalized_preview_emits_its_seconds_and_bytes(studio, upload_preview, clip, emf, log_lines):
    preview = upload_preview(studio["tasks"][0])

    normalized = emf.wait_for("PreviewsNormalized",
                              accept=lambda d: clip.stat().st_size in values(d, "PreviewNormalizeBytes"))
    assert units(normalized).items() >= {"PreviewsNormalized": "Count", "PreviewNormalizeSeconds": "Seconds",
                                      "PreviewNormalizeBytes": "Bytes"}.items()
    assert all(0 < seconds < 90 for seconds in values(normalized, "PreviewNormalizeSeconds"))
    # Each worker's lines carry the id of the SQS message it is working on. The normalize
    # worker makes the pictures in its pass; the images worker, woken by movie.mp4, says so.
    log_lines.wait_for(message="stage done", preview_file_id=preview["id"], stage="normalize")
    log_lines.wait_for(message="nothing to do: skipped", preview_file_id=preview["id"], stage="images")
    stages = {stage: log_lines(preview_file_id=preview["id"], stage=stage) for stage in ("normalize", "images")}
    assert [line["message"] for line in stages["normalize"]] == ["stage started", "stage done"]
    (normalize_message,) = {line["correlation_id"] for line in stages["normalize"]}
    (images_message,) = {line["correlation_id"] for line in stages["images"]}
    assert normalize_message != images_message
    assert {line["function_name"] for line in stages["normalize"]} == {"normalize_preview"}
    assert {line["function_name"] for line in stages["images"]} == {"preview_images"}


def test_a_built_movie_emits_its_chunks_and_seconds(api, studio, upload_preview, emf, log_lines):
    previews = [upload_preview(task) for task in studio["tasks"]]
    playlist = api["manager"].post("/data/playlists", json={
        "name": f"dailies {time.time_ns()}", "project_id": studio["project"]["id"],
        "shots": [{"entity_id": shot["id"], "preview_file_id": preview["id"]}
                  for shot, preview in zip(studio["shots"], previews, strict=True)]}).json()
    job = api["manager"].get(f"/data/playlists/{playlist['id']}/build/mp4").json()
    done = wait_for_job(api, playlist["id"], job["id"])
    assert done["status"] == "succeeded", done.get("failure_reason")

    built = emf.wait_for("BuildsSucceeded", accept=lambda d: values(d, "BuildChunks") == [done["chunks_total"]])
    assert units(built).items() >= {"BuildsSucceeded": "Count", "BuildSeconds": "Seconds", "BuildChunks": "Count",
                                 "BuildChunksReused": "Count"}.items()
    assert values(built, "BuildChunksReused") == [done["chunks_reused"]]
    assert 0 < values(built, "BuildSeconds")[0] < 120
    # Every step of the execution logs under its name, which is the job's id.
    planned = log_lines.wait_for(message="build planned", build_job_id=job["id"])
    assert planned["correlation_id"] == job["id"] and planned["function_name"] == "plan_build"


def test_a_build_without_movies_counts_as_failed(api, studio, emf, log_lines):
    playlist = api["manager"].post("/data/playlists", json={"name": f"empty {time.time_ns()}",
                                                            "project_id": studio["project"]["id"]}).json()
    job = api["manager"].get(f"/data/playlists/{playlist['id']}/build/mp4").json()
    assert wait_for_job(api, playlist["id"], job["id"])["status"] == "failed"

    failed = emf.wait_for("BuildsFailed")
    assert units(failed)["FailedBuildSeconds"] == "Seconds"
    marked = log_lines.wait_for(message="build failed", build_job_id=job["id"])
    assert marked["correlation_id"] == job["id"] and marked["function_name"] == "fail_build"


def test_an_unexpected_error_counts_as_a_server_error(api, studio, emf, log_lines, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the table is on fire")

    monkeypatch.setattr(data, "get_record", broken)
    mark = log_lines.mark()
    answer = api["admin"].get(f"/data/projects/{studio['project']['id']}")
    assert answer.status_code == 500

    errors = emf.wait_for("ServerErrors")
    assert units(errors)["ServerErrors"] == "Count" and values(errors, "ServerErrors") == [1.0]
    (logged,) = log_lines.since(mark, message="unhandled error")
    assert logged["correlation_id"] and logged["exception_name"] == "RuntimeError"


def test_chalice_logs_through_the_app_logger_unchanged(stack):
    """Chalice's log (named after the app) is Powertools' logger: one JSON handler, INFO."""
    assert stack.app.log is logging.getLogger(observability.SERVICE)
    assert stack.app.log.handlers == [observability.logger.registered_handler]
    assert stack.app.log.getEffectiveLevel() == logging.INFO


def test_a_metric_that_cannot_be_recorded_fails_nothing(log_lines):
    observability.add_metric("PreviewsNormalized", "not a number")
    (warning,) = log_lines(message="metric not recorded")
    assert warning["metric"] == "PreviewsNormalized" and warning["level"] == "WARNING"


def wait_for_job(api, playlist_id: str, job_id: str, seconds: float = 120) -> dict:
    return waiting.job_ended(api["manager"], playlist_id, job_id, seconds)
