"""The playlist movie build, one function per state of the Step Functions machine in
infra/resources.yaml (app.py registers each as a Lambda function):

    PlanChunks ──> BuildChunks (Map: one BuildChunk Lambda per chunk) ──> JoinChunks
        └──────────────── any failure (Catch) ──> MarkFailed ──> Fail

Chunks are stored under a key made from their inputs (preview ids and revisions) and
the build parameters, so a rebuild after one entry changed re-makes only that entry's
chunk and the join. Normalized previews share every stream parameter, so chunks and
the join are stream copies; inputs that differ are re-encoded onto the project canvas.

Temporary objects of a build (its plan) live under its scratch prefix, removed when
the build ends either way; chunks are a cache, kept for later builds. What each state
receives and returns is typed in `build_states`."""
import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib import storage
from chalicelib.config import settings
from chalicelib.errors import Conflict
from chalicelib.media import MediaError, concat_movies
from chalicelib.models import records
from chalicelib.observability import logger
from chalicelib.services.playlists import build_errors, builds, entry_previews, notifications
from chalicelib.services.playlists.build_states import (
    ChunkInput,
    ChunkOutput,
    FailInput,
    FailOutput,
    JoinInput,
    JoinOutput,
    PlanInput,
    PlanOutput,
)
from chalicelib.services.production.canvas import build_canvas

# Part of every chunk's key: bump it when chunks are made differently, so that chunks
# cached by an older version are not reused.
CHUNK_FORMAT = 1
DOWNLOAD_THREADS = 8


class BuildFailed(Exception):
    """A build cannot go on; the message is what the requester reads."""


# --- PlanChunks ----------------------------------------------------------------------

def plan(event: PlanInput) -> PlanOutput:
    build_job = _running_job(event["build_job_id"])
    playlist = records.get(build_job["playlist_id"])
    project = records.get(build_job["project_id"])
    if playlist is None or project is None:
        raise BuildFailed("The playlist no longer exists")
    selection = entry_previews.movie_entries(playlist, project)
    movies = selection.movies
    records.update(build_job["id"], selection.on_job())  # what is left out, and why, before anything fails
    if not movies:
        raise BuildFailed(f"The playlist {playlist['name']} has no ready movie preview to build a movie from")
    canvas = build_canvas(project, movies[0])._asdict()
    full = bool(build_job.get("full"))
    size = settings().build_chunk_size
    groups = [movies[start:start + size] for start in range(0, len(movies), size)]
    # A sole chunk is the movie itself (copied, not joined), so it must be a finished
    # one, index in front; other chunks are only read by the join.
    finished = len(groups) == 1
    chunks = []
    for index, group in enumerate(groups):
        inputs = [{"id": m["id"], "revision": m.get("revision")} for m in group]
        chunks.append({"index": index, "key": _content_key(inputs, canvas, full, finished), "inputs": inputs,
                       "finished": finished})
    # The plan goes to S3 rather than through the state machine: a long playlist's
    # would outgrow Step Functions' 256 KB payload limit.
    storage.put_bytes(_plan_key(build_job["id"]), json.dumps(
        {"build_job_id": build_job["id"], "canvas": canvas, "full": full, "chunks": chunks}).encode(),
        "application/json")
    records.update(build_job["id"], {"chunks_total": len(chunks), "chunks_done": 0, "chunks_reused": 0,
                                     "movie_count": len(movies)})
    logger.info("build planned", extra={"build_job_id": build_job["id"], "movies": len(movies),
                                        "chunks": len(chunks)})
    return PlanOutput(chunks=[chunk["index"] for chunk in chunks])


def _content_key(inputs: list[dict], canvas: dict, full: bool, finished: bool) -> str:
    content = json.dumps({"format": CHUNK_FORMAT, "inputs": [[i["id"], i["revision"]] for i in inputs],
                          "canvas": canvas, "full": full, "finished": finished}, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()


def _plan_key(build_job_id: str) -> str:
    return f"{storage.build_scratch_prefix(build_job_id)}plan.json"


def _read_plan(build_job_id: str) -> dict:
    return json.loads(storage.open_object(_plan_key(build_job_id)).read())


# --- BuildChunks (one invocation per chunk) ------------------------------------------

def build_chunk(event: ChunkInput) -> ChunkOutput:
    build_job_id, index = event["build_job_id"], event["index"]
    build_plan = _read_plan(build_job_id)
    chunk = build_plan["chunks"][index]
    key = storage.playlist_chunk_key(chunk["key"])
    cached = storage.head(key)
    if cached is not None:
        _count_chunk(build_job_id, reused=True)
        return _chunk_output(index, chunk["key"], True, cached["metadata"])
    with tempfile.TemporaryDirectory(prefix="chunk-") as work_dir:
        inputs = _download([storage.preview_key(i["id"], "movie") for i in chunk["inputs"]], work_dir,
                           [i["id"] for i in chunk["inputs"]])
        out = os.path.join(work_dir, "chunk.mp4")
        try:
            joined = concat_movies(inputs, out, **build_plan["canvas"], reencode=build_plan["full"],
                                   faststart=chunk["finished"])
        except MediaError as error:
            raise BuildFailed(f"Part {index + 1} of {len(build_plan['chunks'])} of the movie could not be "
                              f"made: {error.reason}") from error
        metadata = {"method": joined.method, "duration": f"{joined.info.duration:.6f}"}
        storage.upload_file(out, key, "video/mp4", metadata=metadata)
    _count_chunk(build_job_id, reused=False)
    return _chunk_output(index, chunk["key"], False, metadata)


def _chunk_output(index: int, key: str, reused: bool, metadata: dict) -> ChunkOutput:
    return ChunkOutput(index=index, key=key, reused=reused, method=metadata.get("method", "copy"),
                       duration=float(metadata.get("duration") or 0))


def _download(keys: list[str], work_dir: str, labels: list[str]) -> list[str]:
    """Fetch objects side by side (one GET each); paths in the order of `keys`."""
    paths = [os.path.join(work_dir, f"input-{n:04d}.mp4") for n in range(len(keys))]

    def fetch(n: int) -> None:
        try:
            storage.download_file(keys[n], paths[n])
        except ClientError as error:
            if build_errors.is_transient(error):
                raise build_errors.RetryableBuildError(
                    f"The movie of preview {labels[n]} could not be read: {build_errors.describe(error)}") from error
            raise BuildFailed(f"The movie of preview {labels[n]} is missing from storage") from error

    with ThreadPoolExecutor(max_workers=max(1, min(DOWNLOAD_THREADS, len(keys)))) as pool:
        list(pool.map(fetch, range(len(keys))))
    return paths


def _count_chunk(build_job_id: str, reused: bool) -> None:
    # Progress is for people watching the job; a lost count must not fail the build
    # (nor, raised after the chunk is stored, make a retried attempt count it twice).
    try:
        records.update(build_job_id, lambda job: {
            "chunks_done": (job.get("chunks_done") or 0) + 1,
            "chunks_reused": (job.get("chunks_reused") or 0) + (1 if reused else 0)},
            expected_kind="BuildJob", attempts=50)
    except (Conflict, ClientError, PynamoDBException):
        logger.warning("chunk progress not counted", extra={"build_job_id": build_job_id})


# --- JoinChunks ------------------------------------------------------------------------

def join(event: JoinInput) -> JoinOutput:
    build_job_id = event["build_job_id"]
    built = sorted(event["built"], key=lambda chunk: chunk["index"])
    out_key = storage.playlist_build_key(build_job_id)
    chunk_keys = [storage.playlist_chunk_key(chunk["key"]) for chunk in built]
    if len(built) == 1:
        # One chunk is already the movie: copy it inside S3.
        storage.copy(chunk_keys[0], out_key)
        duration = built[0]["duration"]
    else:
        canvas = _read_plan(build_job_id)["canvas"]
        with tempfile.TemporaryDirectory(prefix="join-") as work_dir:
            paths = _download(chunk_keys, work_dir, [f"part {chunk['index'] + 1}" for chunk in built])
            out = os.path.join(work_dir, "movie.mp4")
            try:
                joined = concat_movies(paths, out, **canvas, methods=[chunk["method"] for chunk in built])
            except MediaError as error:
                raise BuildFailed(f"The parts of the movie could not be joined: {error.reason}") from error
            storage.upload_file(out, out_key, "video/mp4")
            duration = joined.info.duration
    size = (storage.head(out_key) or {}).get("size")
    build_job = builds.finish(build_job_id, "succeeded", {"duration": round(duration, 3), "file_size": size})
    _clean_up(storage.delete_prefix, storage.build_scratch_prefix(build_job_id))
    if build_job is None or build_job["status"] != "succeeded":
        storage.delete_keys([out_key])  # deleted (or ended) while it was being built
        return JoinOutput(build_job_id=build_job_id, status="discarded")
    notifications.email_build_outcome(build_job)
    return JoinOutput(build_job_id=build_job_id, status="succeeded")


# --- MarkFailed ------------------------------------------------------------------------

def fail(event: FailInput) -> FailOutput:
    build_job_id = event["build_job_id"]
    reason = failure_reason(event.get("error") or {})
    build_job = builds.finish(build_job_id, "failed", {"failure_reason": reason})
    _clean_up(storage.delete_prefix, storage.build_scratch_prefix(build_job_id))
    if build_job is not None and build_job["status"] == "failed":
        # Only a job this call failed loses its movie: a job that already succeeded keeps it.
        _clean_up(storage.delete_keys, [storage.playlist_build_key(build_job_id)])
        notifications.email_build_outcome(build_job)
    logger.info("build failed", extra={"build_job_id": build_job_id, "reason": reason})
    return FailOutput(build_job_id=build_job_id, status="failed", failure_reason=reason)


def _clean_up(remove, what) -> None:
    """Once the job has ended nothing may raise: a retried step would end it again and
    email twice. What is left behind is logged (the bucket's lifecycle expires scratch)."""
    try:
        remove(what)
    except Exception:
        logger.exception("build objects not removed", extra={"objects": str(what)})


def failure_reason(error: dict) -> str:
    """What a person can read from a Catch's {Error, Cause}."""
    name = error.get("Error") or "Error"
    try:
        cause = json.loads(error.get("Cause") or "{}")
    except ValueError:
        cause = {"errorMessage": error.get("Cause")}
    message = cause.get("errorMessage") if isinstance(cause, dict) else None
    if name in ("BuildFailed", "MediaError", "RetryableBuildError") and message:
        return message
    if name == "States.Timeout":
        return "The build took too long"
    return f"Unexpected error ({name}: {message})" if message else f"Unexpected error ({name})"


def _running_job(build_job_id: str) -> dict:
    build_job = records.get(build_job_id)
    if build_job is None or build_job.get("type") != "BuildJob":
        raise BuildFailed("The build job no longer exists")
    return build_job
