"""The playlist movie build, one function per state of the Step Functions machine in
infra/resources.yaml (app.py registers each as a Lambda function):

    PlanChunks ──> BuildChunks (Map: one BuildChunk Lambda per chunk) ──> JoinChunks
        └──────────────── any failure (Catch) ──> MarkFailed ──> Fail

The movie is frame-exact: it holds the sum of its entries' frames at the project's fps,
each entry from the frame where the previous one ended, the sound sample-aligned to it
(chalicelib/media/timeline.py). A chunk is one fragmented MP4 piece: its entries' video
copied end to end (an entry not in the build's format is conformed once) and its sound
(its entries' sound pieces, each encoded on the movie's packet grid and cached), stamped
with where it lands in the movie
(chalicelib/media/fragments.py). Pieces are stored under keys made from what they hold
(`build_pieces`), so a rebuild after one entry changed re-makes only that chunk's piece (and
the pieces after it, if its length changed) and the join, which has S3 copy the pieces
behind a head it writes (UploadPartCopy), or joins them here when a piece is too small
for S3 to copy (`join_method` on the job); it also stores the movie's HLS playlist.

Temporary objects of a build (its plan) live under its scratch prefix, removed when
the build ends either way; chunks are a cache, kept for later builds. What each state
receives and returns is typed in `build_states`."""
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

from botocore.exceptions import ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib import storage
from chalicelib.config import settings
from chalicelib.errors import Conflict
from chalicelib.media import MediaError, fragments, timeline
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
    chunks = build_pieces.plan_chunks(movies, build, settings().build_chunk_size, settings().build_piece_bytes)
    # The plan goes to S3 rather than through the state machine: a long playlist's
    # would outgrow Step Functions' 256 KB payload limit.
    storage.put_bytes(_plan_key(build_job["id"]), json.dumps(
        {"build_job_id": build_job["id"], "playlist_id": build_job["playlist_id"], "format": asdict(build),
         "chunks": chunks}).encode(),
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
    piece_key, layout_key = storage.playlist_chunk_key(chunk["key"]), storage.playlist_layout_key(chunk["key"])
    duration = float(sum(entry["frames"] for entry in chunk["inputs"]) / build.rate)
    cached = _cached_layout(layout_key)
    if cached is not None:
        _count_chunk(build_job_id, reused=True)
        return _chunk_output(index, chunk["key"], True, cached, duration)
    rendition_keys = [build_pieces.rendition_key(entry["id"], build) for entry in chunk["inputs"]]
    with tempfile.TemporaryDirectory(prefix="chunk-") as work_dir:
        try:
            sound_out = os.path.join(work_dir, "sound.aac")
            paths = _download(rendition_keys, work_dir, [entry["id"] for entry in chunk["inputs"]])
            # The sound is encoded (ffmpeg's AAC encoder: a core a piece) while the video is copied.
            with ThreadPoolExecutor(max_workers=1) as beside:
                sound = beside.submit(build_pieces.chunk_sound, chunk, build, paths, sound_out)
                videos, method = build_pieces.video_inputs(chunk, build, paths, work_dir)
                sound.result()
            piece = os.path.join(work_dir, "piece.mp4")
            frames = [entry["frames"] for entry in chunk["inputs"]]
            fragments.mux_piece(videos, frames, build.rate, sound_out, piece)
            span = timeline.AudioSpan(**chunk["sound"]["span"])
            # Sequence numbers rise through the movie: a chunk has fewer fragments than frames.
            layout = fragments.place(piece, chunk["first_frame"], span.start - span.phase, build.rate,
                                     chunk["first_frame"] + 1)
            if layout.frames != sum(frames):
                raise MediaError(f"the piece has {layout.frames} frames instead of {sum(frames)}")
        except MediaError as error:
            raise BuildFailed(f"Part {index + 1} of {len(build_plan['chunks'])} of the movie could not be "
                              f"made: {error.reason}") from error
        storage.upload_file(piece, piece_key, "video/mp4")
    described = {"method": method, "init_size": layout.init_size, "fragments": layout.fragments}
    # Written after the piece: a layout found means its piece is there.
    storage.put_bytes(layout_key, json.dumps(described).encode(), "application/json")
    _count_chunk(build_job_id, reused=False)
    return _chunk_output(index, chunk["key"], False, described, duration)


def _cached_layout(key: str) -> dict | None:
    content = storage.read_bytes(key)
    return json.loads(content) if content is not None else None


def _chunk_output(index: int, key: str, reused: bool, described: dict, duration: float) -> ChunkOutput:
    return ChunkOutput(index=index, key=key, reused=reused, method=described.get("method", "copy"),
                       duration=duration, init_size=described["init_size"],
                       fragments=[list(fragment) for fragment in described["fragments"]])


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
    """The movie: a head (the first piece's init, told the whole duration, and an index of
    every fragment), then every piece's fragments as they are. S3 copies them (UploadPartCopy)
    when each piece but the last has at least S3's smallest part; otherwise they are
    downloaded and uploaded again (the job's `join_method` says which)."""
    build_job_id = event["build_job_id"]
    build_plan, build = _read_plan(build_job_id)
    built = sorted(event["built"], key=lambda output: output["index"])
    if [output["index"] for output in built] != list(range(len(build_plan["chunks"]))):
        raise BuildFailed("The parts of the movie are not all there")
    keys = [storage.playlist_chunk_key(output["key"]) for output in built]
    layouts = [fragments.Layout(output["init_size"], [tuple(f) for f in output["fragments"]]) for output in built]
    out_key = storage.playlist_build_key(build_job_id)
    init = storage.read_bytes(keys[0], 0, layouts[0].init_size - 1)
    if init is None:
        raise BuildFailed("Part 1 of the movie is missing from storage")
    method, reason = _join_method(layouts)
    try:
        if method == "copy":
            head, init_size = fragments.movie_head(init, layouts, build.rate, pad_to=storage.MIN_PART_BYTES)
            storage.copy_parts(out_key, "video/mp4", head, _copy_ranges(keys, layouts))
        else:
            head, init_size = fragments.movie_head(init, layouts, build.rate)
            _join_through_here(out_key, head, keys, layouts)
    except MediaError as error:
        raise BuildFailed(f"The parts of the movie could not be joined: {error.reason}") from error
    storage.put_bytes(storage.playlist_hls_key(build_job_id), fragments.hls_playlist(
        os.path.basename(out_key), len(head), init_size, layouts, build.rate).encode(), HLS_CONTENT_TYPE)
    size = len(head) + sum(layout.media_size for layout in layouts)
    duration = float(sum(layout.frames for layout in layouts) / build.rate)
    logger.info("build joined", extra={"build_job_id": build_job_id, "join_method": method, "reason": reason})
    build_job = builds.finish(build_job_id, "succeeded", {
        "duration": round(duration, 3), "file_size": size, "join_method": method,
        "hls_path": builds.hls_path({"id": build_job_id, "playlist_id": build_plan.get("playlist_id")}),
        **({"join_method_reason": reason} if reason else {})})
    _clean_up(storage.delete_prefix, storage.build_scratch_prefix(build_job_id))
    if build_job is None or build_job["status"] != "succeeded":
        # deleted (or ended) while it was being built
        storage.delete_keys([out_key, storage.playlist_hls_key(build_job_id)])
        return JoinOutput(build_job_id=build_job_id, status="discarded")
    notifications.email_build_outcome(build_job)
    return JoinOutput(build_job_id=build_job_id, status="succeeded")


HLS_CONTENT_TYPE = "application/vnd.apple.mpegurl"


def _join_method(layouts: list) -> tuple[str, str | None]:
    """"copy" (server-side), or "download" and why."""
    small = [n + 1 for n, layout in enumerate(layouts[:-1]) if layout.media_size < storage.MIN_PART_BYTES]
    if small:
        return "download", (f"part {small[0]} of {len(layouts)} is smaller than S3's smallest copied part "
                            f"({storage.MIN_PART_BYTES // (1024 * 1024)} MiB)")
    if len(layouts) + 1 + sum(layout.media_size // storage.MAX_PART_BYTES for layout in layouts) > storage.MAX_PARTS:
        return "download", "the movie has more parts than S3 joins"
    return "copy", None


def _copy_ranges(keys: list[str], layouts: list) -> list[tuple[str, int, int]]:
    """Each piece's fragments (after its init) as ranges of at most S3's largest part; a
    piece too large for one part is split so that no range but the last is below the smallest."""
    ranges = []
    for key, layout in zip(keys, layouts, strict=True):
        first, end = layout.init_size, layout.init_size + layout.media_size
        while end - first > storage.MAX_PART_BYTES:
            ranges.append((key, first, first + storage.MAX_PART_BYTES // 2 - 1))
            first += storage.MAX_PART_BYTES // 2
        ranges.append((key, first, end - 1))
    return ranges


def _join_through_here(out_key: str, head: bytes, keys: list[str], layouts: list) -> None:
    with tempfile.TemporaryDirectory(prefix="join-") as work_dir:
        paths = _download(keys, work_dir, [f"part {n + 1}" for n in range(len(keys))])
        out = os.path.join(work_dir, "movie.mp4")
        with open(out, "wb") as movie:
            movie.write(head)
            for path, layout in zip(paths, layouts, strict=True):
                with open(path, "rb") as piece:
                    piece.seek(layout.init_size)
                    shutil.copyfileobj(piece, movie, 1024 * 1024)
        storage.upload_file(out, out_key, "video/mp4")


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
