"""Build jobs of playlist movies: start one (a Step Functions execution of the state
machine in infra/resources.yaml, see `build_pipeline`), read, list, delete, download.

A BuildJob record is a child of its playlist: `running` → `succeeded` | `failed`, with
the progress of its chunks (`chunks_done` of `chunks_total`, `chunks_reused` of them
taken from earlier builds) and, when it failed, `failure_reason`."""
import datetime
import json
import time
from dataclasses import dataclass

from chalicelib import auth, aws, events, storage
from chalicelib.auth import Caller
from chalicelib.config import settings
from chalicelib.errors import Conflict, Invalid, NotFound
from chalicelib.models import records
from chalicelib.observability import MetricUnit, add_metric, logger
from chalicelib.services.playlists.build_states import BuildInput
from chalicelib.services.production import data, names

BUILD_RETRY_AFTER = 3  # seconds gazu waits before asking again for a running build
CLAIM_ATTEMPTS = 8
CLAIM_PENDING_SECONDS = 5.0  # a claim's job is created right after it


@dataclass(frozen=True)
class BuildDownload:
    """Where to fetch a finished movie; `url` is None while the build runs."""
    url: str | None
    retry_after: int = BUILD_RETRY_AFTER


def present(build_job: dict) -> dict:
    """Zou's short form, as listed on a playlist."""
    return {"id": build_job["id"], "status": build_job["status"], "created_at": build_job["created_at"]}


def start_build(caller: Caller, playlist_id: str, full: bool = False, quality: str | None = None) -> dict:
    """GET|POST data/playlists/{id}/build/mp4: a `running` job, built in the background.
    While a build of the playlist with the same parameters runs, that job is the answer
    (same id): gazu waits on it like on a new one, and nothing is built or emailed twice.

    `quality`: "full" (the default, and what gazu's `full=true` asks for) builds from the
    full-definition renditions; "web" from the low-definition ones, small and quick."""
    if quality not in (None, "full", "web"):
        raise Invalid(f"quality must be full or web, not {quality}")
    playlist = data.require("Playlist", playlist_id)
    project = data.require_project(playlist["project_id"])
    auth.check_playlist_manage(caller, project)
    parameters = parameters_of({"full": full, "quality": quality or "full"})
    build_job_id = records.new_id()
    running = _claim(_claim_key(playlist_id, parameters), build_job_id)
    if running is not None:
        add_metric("BuildsJoined")
        logger.info("build already running", extra={"build_job_id": running["id"], "playlist_id": playlist_id})
        return running
    try:
        build_job = records.create("BuildJob", {
            "id": build_job_id, "status": "running", "job_type": "movie", "playlist_id": playlist_id,
            "project_id": project["id"], "created_by": caller.id, "ended_at": None, **parameters,
            "chunks_total": 0, "chunks_done": 0, "chunks_reused": 0, "failure_reason": None},
            project_id=project["id"], parent_id=playlist_id, held_by=playlist_id)
    except Exception:
        _release(playlist_id, parameters, build_job_id)
        raise
    add_metric("BuildsStarted")
    events.publish("build-job:new", {"build_job_id": build_job["id"], "playlist_id": playlist_id,
                                     "created_at": build_job["created_at"]}, project["id"])
    try:
        aws.client("stepfunctions").start_execution(
            stateMachineArn=settings().build_state_machine_arn, name=build_job["id"],
            input=json.dumps(BuildInput(build_job_id=build_job["id"])))
    except Exception as error:
        logger.exception("build not started", extra={"build_job_id": build_job["id"]})
        finish(build_job["id"], "failed", {"failure_reason": f"The build could not be started: {error}"})
        raise
    return build_job


# --- one build at a time per playlist and parameters ----------------------------------
# A claim (records.claim: a conditional put) names the job building a playlist with some
# parameters. The first request writes it and starts the job; the others read it and
# answer that job. A claim whose job has ended (or was deleted) is taken over by a
# compare-and-set, so exactly one of the requests racing for it starts the next job.

# The job fields that make two builds of one playlist different builds.
BUILD_PARAMETERS = ("full", "quality")


def parameters_of(fields: dict) -> dict:
    return {name: fields.get(name) for name in BUILD_PARAMETERS}


def _claim_key(playlist_id: str, parameters: dict) -> str:
    return "build#" + playlist_id + "".join(f"#{name}={parameters[name]}" for name in sorted(parameters))


def _claim(key: str, build_job_id: str) -> dict | None:
    """None when `build_job_id` may start; else the running job to answer."""
    for _ in range(CLAIM_ATTEMPTS):
        if records.claim(key, build_job_id):
            return None
        owner = records.claim_owner(key)
        running = _running_job(owner) if owner else None
        if running is not None:
            return running

        def take_over(claim: dict, seen=owner):
            return {"owner": build_job_id} if claim.get("owner") == seen else None

        _, taken = records.transition(f"claim#{key}", take_over, expected_kind="Claim")
        if taken:
            return None
    raise Conflict("Builds of this playlist are being started by other requests; try again")


def _running_job(build_job_id: str) -> dict | None:
    """The claimed job while it runs. Its claim is written just before it, so a job not
    there yet is waited for a moment before the claim counts as stale."""
    deadline = time.monotonic() + CLAIM_PENDING_SECONDS
    while True:
        build_job = records.get_record(build_job_id, consistent=True)
        if build_job is not None:
            return build_job.body if build_job.body.get("status") == "running" else None
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def _release(playlist_id: str, parameters: dict, build_job_id: str) -> None:
    """The job no longer runs: the next request may start another (kept if another took it)."""
    def free(claim: dict):
        return {"owner": None} if claim.get("owner") == build_job_id else None

    records.transition(f"claim#{_claim_key(playlist_id, parameters)}", free, expected_kind="Claim")


def _release_job(build_job: dict) -> None:
    try:
        _release(build_job["playlist_id"], parameters_of(build_job), build_job["id"])
    except Exception:  # a stale claim is taken over by the next request anyway
        logger.exception("build claim not released", extra={"build_job_id": build_job["id"]})


def execution_arn(build_job_id: str) -> str:
    """Executions are named after their job: the ARN follows from the state machine's."""
    machine = settings().build_state_machine_arn
    return f"{machine.replace(':stateMachine:', ':execution:', 1)}:{build_job_id}"


def finish(build_job_id: str, status: str, extra: dict) -> dict | None:
    """End a running job (once); None when it was deleted meanwhile."""
    ended: dict = {}

    def end(current: dict) -> dict:
        ended.clear()
        if current.get("status") != "running":
            return {}
        ended["now"] = True
        return {"status": status, "ended_at": records.now_iso(), **extra}

    updated = records.update(build_job_id, end, expected_kind="BuildJob", attempts=50)
    if updated is not None and ended:
        _release_job(updated)
        events.publish("build-job:update", {"build_job_id": build_job_id, "playlist_id": updated["playlist_id"],
                                            "status": updated["status"]}, updated["project_id"])
        _measure_ended(updated)
    return updated


def _measure_ended(build_job: dict) -> None:
    """BuildsSucceeded with its time and chunks, or BuildsFailed with its time."""
    started, ended = (datetime.datetime.fromisoformat(build_job[key]) for key in ("created_at", "ended_at"))
    seconds = (ended - started).total_seconds()
    add_metric("BuildEntriesSkipped", len(build_job.get("skipped") or []))
    if build_job["status"] == "succeeded":
        add_metric("BuildsSucceeded")
        add_metric("BuildSeconds", seconds, MetricUnit.Seconds)
        add_metric("BuildChunks", build_job.get("chunks_total") or 0)
        add_metric("BuildChunksReused", build_job.get("chunks_reused") or 0)
    else:
        add_metric("BuildsFailed")
        add_metric("FailedBuildSeconds", seconds, MetricUnit.Seconds)


def _job_in_playlist(caller: Caller, playlist_id: str, build_job_id: str, supervisor_access: bool) -> dict:
    playlist = data.require("Playlist", playlist_id)
    project = data.require_project(playlist["project_id"])
    auth.check_playlist_access(caller, playlist, project, supervisor_access=supervisor_access)
    build_job = records.get(build_job_id)
    if not build_job or build_job.get("type") != "BuildJob" or build_job.get("playlist_id") != playlist_id:
        raise NotFound(f"Build job not found: {build_job_id}")
    return build_job


def get_build_job(caller: Caller, playlist_id: str, build_job_id: str) -> dict:
    """A job's status, for whoever may download its movie (the seed; Zou refuses supervisors)."""
    return _job_in_playlist(caller, playlist_id, build_job_id, supervisor_access=True)


def list_playlist_jobs(caller: Caller, playlist_id: str) -> list[dict]:
    playlist = data.require("Playlist", playlist_id)
    auth.check_playlist_access(caller, playlist, data.require_project(playlist["project_id"]), supervisor_access=True)
    return sorted(records.query_parent(playlist_id, "BuildJob"), key=lambda j: j["created_at"], reverse=True)


def list_project_jobs(caller: Caller, project_id: str) -> list[dict]:
    """GET data/projects/{pid}/build-jobs: admin only, as in Zou."""
    auth.check_admin(caller, data.require_project(project_id))
    return sorted(records.query_project(project_id, "BuildJob"), key=lambda j: j["created_at"], reverse=True)


def delete_build_job(caller: Caller, playlist_id: str, build_job_id: str) -> None:
    remove_build_job(_job_in_playlist(caller, playlist_id, build_job_id, supervisor_access=False))


def remove_build_job(build_job: dict) -> None:
    """The record, its movie and temporary objects; a running build is stopped."""
    if build_job.get("status") == "running":
        try:
            aws.client("stepfunctions").stop_execution(executionArn=execution_arn(build_job["id"]),
                                                       cause="Build job deleted")
        except Exception:
            logger.exception("build not stopped", extra={"build_job_id": build_job["id"]})
    records.delete(build_job["id"])
    if build_job.get("status") == "running":
        _release_job(build_job)
    storage.delete_keys([storage.playlist_build_key(build_job["id"]), storage.playlist_hls_key(build_job["id"])])
    storage.delete_prefix(storage.build_scratch_prefix(build_job["id"]))
    events.publish("build-job:delete", {"build_job_id": build_job["id"], "playlist_id": build_job["playlist_id"]},
                   build_job.get("project_id"))


def download_build(caller: Caller, playlist_id: str, build_job_id: str) -> BuildDownload:
    """GET data/playlists/{pid}/jobs/{jid}/build/mp4: a link under Zou's file name."""
    auth.block_vendor(caller)
    build_job = _job_in_playlist(caller, playlist_id, build_job_id, supervisor_access=True)
    if build_job["status"] == "running":
        return BuildDownload(url=None)
    if build_job["status"] != "succeeded":
        reason = build_job.get("failure_reason") or "unknown reason"
        raise Invalid(f"Build is not finished: it failed ({reason})")
    return BuildDownload(url=movie_link(build_job))


def hls_path(build_job: dict) -> str:
    """The API path of a build's HLS playlist (on the job as `hls_path`)."""
    return f"/api/data/playlists/{build_job['playlist_id']}/jobs/{build_job['id']}/build/hls.m3u8"


def hls_playlist(caller: Caller, playlist_id: str, build_job_id: str) -> str | None:
    """GET .../jobs/{jid}/build/hls.m3u8: the build's HLS playlist, its segments (byte ranges
    of the movie) at a fresh presigned URL of the movie; None while the build runs."""
    auth.block_vendor(caller)
    build_job = _job_in_playlist(caller, playlist_id, build_job_id, supervisor_access=True)
    if build_job["status"] == "running":
        return None
    stored = storage.read_bytes(storage.playlist_hls_key(build_job_id)) if build_job["status"] == "succeeded" else None
    if stored is None:
        raise NotFound("This build has no HLS playlist")
    movie_key = storage.playlist_build_key(build_job_id)
    url = storage.presigned_get(movie_key, content_type="video/mp4")
    # The stored playlist names the movie by its file name, next to it in the bucket.
    return stored.decode().replace(f'"{movie_key.rsplit("/", 1)[-1]}"', f'"{url}"').replace(
        f'\n{movie_key.rsplit("/", 1)[-1]}\n', f"\n{url}\n")


def movie_link(build_job: dict, expires: int | None = None) -> str:
    playlist = records.get(build_job["playlist_id"]) or {}
    related = records.batch_get([build_job["project_id"], playlist.get("episode_id")])
    file_name = names.playlist_movie_name(build_job, related.get(build_job["project_id"]) or {}, playlist,
                                          related.get(playlist.get("episode_id")))
    return storage.presigned_get(storage.playlist_build_key(build_job["id"]), download_name=file_name,
                                 content_type="video/mp4", expires=expires)
