"""The playlist movie build, one function per state of the Step Functions machine in
infra/resources.yaml (app.py registers each as a Lambda function):

    PlanChunks ──> BuildChunks (Map: one BuildChunk Lambda per chunk) ──> JoinChunks
        └──────────────── any failure (Catch) ──> MarkFailed ──> Fail

The movie is frame-exact: it holds the sum of its entries' frames at the project's fps,
each entry from the frame where the previous one ended, the sound sample-aligned to it
(chalicelib/media/timeline.py). A chunk is a video piece (its entries' video copied end to
end; an entry not in the build's format is conformed once) and a sound piece (its sound
encoded on the movie's packet grid), each stored under a key made from what it holds
(`build_pieces`), so a rebuild after one entry changed re-makes only that chunk's pieces
(and the sound of the chunks after it, if its length changed) and the join.

Temporary objects of a build (its plan) live under its scratch prefix, removed when
the build ends either way; chunks are a cache, kept for later builds. What each state
receives and returns is typed in `build_states`."""
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

from botocore.exceptions import ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib import storage
from chalicelib.config import settings
from chalicelib.errors import Conflict
from chalicelib.media import MediaError, assemble
from chalicelib.models import records
from chalicelib.observability import logger
from chalicelib.services.playlists import build_errors, build_pieces, builds, entry_previews, notifications
from chalicelib.services.playlists.build_pieces import BuildFormat
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
    # The project as it is now, not as its previews were made.
    build = build_pieces.build_format(project, build_job.get("quality") or "full")
    chunks = build_pieces.plan_chunks(movies, build, settings().build_chunk_size)
    # The plan goes to S3 rather than through the state machine: a long playlist's
    # would outgrow Step Functions' 256 KB payload limit.
    storage.put_bytes(_plan_key(build_job["id"]), json.dumps(
        {"build_job_id": build_job["id"], "format": asdict(build), "chunks": chunks}).encode(),
        "application/json")
    frames = sum(entry["frames"] for chunk in chunks for entry in chunk["inputs"])
    records.update(build_job["id"], {"chunks_total": len(chunks), "chunks_done": 0, "chunks_reused": 0,
                                     "movie_count": len(movies), "frame_count": frames, "fps": build.fps,
                                     "width": build.width, "height": build.height})
    logger.info("build planned", extra={"build_job_id": build_job["id"], "movies": len(movies),
                                        "chunks": len(chunks), "frames": frames})
    return PlanOutput(chunks=[chunk["index"] for chunk in chunks])


def _plan_key(build_job_id: str) -> str:
    return f"{storage.build_scratch_prefix(build_job_id)}plan.json"


def _read_plan(build_job_id: str) -> tuple[dict, BuildFormat]:
    build_plan = json.loads(storage.open_object(_plan_key(build_job_id)).read())
    return build_plan, BuildFormat(**build_plan["format"])


# --- BuildChunks (one invocation per chunk) ------------------------------------------

def build_chunk(event: ChunkInput) -> ChunkOutput:
    build_job_id, index = event["build_job_id"], event["index"]
    build_plan, build = _read_plan(build_job_id)
    chunk = build_plan["chunks"][index]
    video_key, sound_key = storage.playlist_chunk_key(chunk["key"]), _sound_key(chunk)
    cached_video, cached_sound = storage.head(video_key), storage.head(sound_key)
    duration = float(sum(entry["frames"] for entry in chunk["inputs"]) / build.rate)
    if cached_video is not None and cached_sound is not None:
        _count_chunk(build_job_id, reused=True)
        return _chunk_output(index, chunk["key"], True, cached_video["metadata"].get("method", "copy"), duration)
    rendition_keys = [build_pieces.rendition_key(entry["id"], build) for entry in chunk["inputs"]]
    with tempfile.TemporaryDirectory(prefix="chunk-") as work_dir:
        try:
            if cached_video is None:
                paths = _download(rendition_keys, work_dir, [entry["id"] for entry in chunk["inputs"]])
            else:
                # Only the sound changed (an entry before it changed length): stream what it reads.
                paths = [storage.presigned_get(key) for key in rendition_keys]
            # The sound is encoded (one core) while the video is copied and uploaded.
            with ThreadPoolExecutor(max_workers=1) as beside:
                sound = beside.submit(_make_sound, chunk, build, paths, work_dir, sound_key) \
                    if cached_sound is None else None
                if cached_video is None:
                    out = os.path.join(work_dir, "video.mp4")
                    method = build_pieces.video_piece(chunk, build, paths, work_dir, out)
                    storage.upload_file(out, video_key, "video/mp4", metadata={"method": method})
                else:
                    method = cached_video["metadata"].get("method", "copy")
                if sound is not None:
                    sound.result()
        except MediaError as error:
            raise BuildFailed(f"Part {index + 1} of {len(build_plan['chunks'])} of the movie could not be "
                              f"made: {error.reason}") from error
    _count_chunk(build_job_id, reused=False)
    return _chunk_output(index, chunk["key"], False, method, duration)


def _make_sound(chunk: dict, build: BuildFormat, paths: list[str], work_dir: str, key: str) -> None:
    out = os.path.join(work_dir, "sound.aac")
    build_pieces.sound_piece(chunk, build, paths, out)
    storage.upload_file(out, key, "audio/aac")


def _sound_key(chunk: dict) -> str:
    return storage.playlist_chunk_key(chunk["sound_key"]).removesuffix(".mp4") + ".aac"


def _chunk_output(index: int, key: str, reused: bool, method: str, duration: float) -> ChunkOutput:
    return ChunkOutput(index=index, key=key, reused=reused, method=method, duration=duration)


def _download(keys: list[str], work_dir: str, labels: list[str]) -> list[str]:
    """Fetch objects side by side (one GET each); paths in the order of `keys`."""
    paths = [os.path.join(work_dir, f"input-{n:04d}{os.path.splitext(keys[n])[1]}") for n in range(len(keys))]

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
    """The movie: every chunk's video copied end to end, their sound pieces' packets in one track."""
    build_job_id = event["build_job_id"]
    build_plan, build = _read_plan(build_job_id)
    chunks = build_plan["chunks"]
    out_key = storage.playlist_build_key(build_job_id)
    frames = [sum(entry["frames"] for entry in chunk["inputs"]) for chunk in chunks]
    keys = [storage.playlist_chunk_key(chunk["key"]) for chunk in chunks] + [_sound_key(chunk) for chunk in chunks]
    with tempfile.TemporaryDirectory(prefix="join-") as work_dir:
        paths = _download(keys, work_dir, [f"part {n % len(chunks) + 1}" for n in range(len(keys))])
        out = os.path.join(work_dir, "movie.mp4")
        try:
            assemble.assemble_movie(paths[:len(chunks)], frames, build.rate, paths[len(chunks):], out)
        except MediaError as error:
            raise BuildFailed(f"The parts of the movie could not be joined: {error.reason}") from error
        storage.upload_file(out, out_key, "video/mp4")
    size = (storage.head(out_key) or {}).get("size")
    duration = float(sum(frames) / build.rate)
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
