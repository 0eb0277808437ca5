"""The preview workers, fed by S3 `ObjectCreated` events through SQS (the same handlers in
the cloud and in the local stack):

- normalize: an original under `uploads/previews/` (movies, other files) becomes the
  normalized `movie.mp4` at the project's fps and canvas and `low.mp4`, or a stored file;
- images: the normalized `movie.mp4` (or an original under `uploads/pictures/`) becomes the
  thumbnails, the full-size picture and the tile sprite. For a movie the normalize worker
  makes them in its own ffmpeg pass and closes this stage before `movie.mp4` is stored, so
  the images worker finds it done; it still does the work for the segments of a long
  master, a movie long enough for Zou's every-k-th-frame sprite, and uploaded pictures.

A preview is `ready` once every stage its class needs is done (`pipeline.stages`, set at
upload). Each stage is claimed with a compare-and-set on the preview record before any work,
with a lease as long as the invocation may run: a duplicated event finds the stage done or
leased and is skipped; a crashed invocation's lease expires and the redelivered message
(or the sweep's resend, sooner: chalicelib.services.previews.sweep) takes over; after
MAX_ATTEMPTS the preview is `broken`. Media errors make the preview
`broken` with ffmpeg's reason at once (retrying cannot fix a corrupt file). The original
is never deleted, whatever happens."""
import contextlib
import json
import math
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import unquote_plus

from chalicelib import media, storage
from chalicelib.models import records
from chalicelib.observability import MetricUnit, add_metric, logger, set_correlation_id
from chalicelib.services.previews import index, previews
from chalicelib.services.production import canvas

# The low-definition movie is a lighter stream for review over slow links (and what web-
# optimized builds join), so it is encoded at x264's `veryfast`, a notch below the
# high definition's preset above 1280x720 and the same at or below (encoding.high_def_preset).
LOW_DEF_PRESET = "veryfast"
# Attempts at one stage before the preview is marked broken; the queues' maxReceiveCount
# is one more, so the last delivery finds the attempts spent and says so on the preview.
MAX_ATTEMPTS = 3
# Kept back from the invocation's time for uploads and record writes after the last ffmpeg run.
SAFETY_SECONDS = 45
# Bytes per second of movie in /tmp: both encodes (28 and 6 Mb/s) plus two audio tracks.
_ENCODED_BYTES_PER_SECOND = (media.encoding.bits_per_second(media.encoding.HIGH_DEF_BITRATE)
                             + media.encoding.bits_per_second(media.encoding.LOW_DEF_BITRATE)
                             + 2 * media.encoding.bits_per_second(media.encoding.AUDIO_BITRATE)) / 8


@dataclass(frozen=True)
class S3Object:
    key: str
    size: int
    token: str  # tells deliveries of one write apart from a new write, for the logs


@dataclass(frozen=True)
class Job:
    preview: dict
    stage: str
    attempt: int
    started: float


# --- SQS batches ---------------------------------------------------------------------------------

def process_batch(event: dict, context, handle_object) -> dict:
    """Run `handle_object(s3_object, context)` for each S3 object of the batch; failed
    messages are reported (ReportBatchItemFailures), the rest are consumed."""
    # Imported here: app.py loads this module in the API function too, which never runs it.
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    # One processor per invocation: the local stack runs handlers on several threads.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def record_handler(record, lambda_context):
        set_correlation_id(record.message_id)
        try:
            _handle_message(record, lambda_context, handle_object)
        except Exception:
            logger.exception("message failed; SQS will deliver it again", extra={"message_id": record.message_id})
            raise

    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)


def _handle_message(record, context, handle_object) -> None:
    try:
        message = json.loads(record.body)
    except ValueError:
        logger.warning("not an S3 event: skipped", extra={"message_id": record.message_id})
        return
    if not isinstance(message, dict) or message.get("Event") == "s3:TestEvent" or "Records" not in message:
        # S3 sends one test event when a notification is configured.
        logger.info("S3 test event or unknown message: skipped", extra={"message_id": record.message_id})
        return
    from aws_lambda_powertools.utilities.data_classes import S3Event

    for s3_record in S3Event(message).records:
        obj = s3_record.s3.get_object
        token = obj.get("sequencer") or f"{obj.etag}@{s3_record.event_time}"
        # Keys arrive URL-encoded (`quote_plus`; moto even encodes "/" as %2F).
        key = unquote_plus(obj.key)
        handle_object(S3Object(key, int(obj.get("size") or 0), token), context)


# --- the normalize worker -------------------------------------------------------------------------

def normalize_object(obj: S3Object, context) -> None:
    upload = storage.parse_preview_key(obj.key)
    if upload is None or upload.place != storage.UPLOADED:
        logger.info("not a preview upload: skipped", extra={"s3_key": obj.key})
        return
    _run_stage(upload.preview_id, "normalize", obj, context, lambda job, work: _normalize(job, obj, work, context),
               original=True)


def _normalize(job: Job, obj: S3Object, work: str, context) -> None:
    preview = job.preview
    pipeline = preview["pipeline"]
    extension = pipeline.get("source_extension") or storage.parse_preview_key(obj.key).extension
    if pipeline["kind"] == "file":
        # Stored as it is: a server-side copy, no bytes through the function.
        storage.copy(obj.key, storage.preview_key(preview["id"], f"file.{extension}"),
                     storage.content_type_for(f"x.{extension}"))
        advance(job, {"file_size": obj.size}, ["file"], done=True)
        return
    normalize = pipeline.get("encode", True)
    _check_space(work, obj.size, "the original")
    source = os.path.join(work, f"source.{extension}")
    storage.download_file(obj.key, source)
    # The frame count needs a demux pass; the normalized movie is counted instead when there is one.
    source_info = media.probe_movie(source, count_frames=not normalize, timeout=_time_left(context, share=0.2))
    original = {"original_width": source_info.width, "original_height": source_info.height,
                "original_duration": source_info.duration, "original_file_size": obj.size}
    if not normalize:
        # Zou's normalize=false: the upload itself is the movie.
        storage.copy(obj.key, storage.preview_key(preview["id"], "movie"), "video/mp4")
        advance(job, {**movie_fields(source_info, obj.size), "data": original}, ["movie"], done=True)
        return
    if media.browser_playable(source_info, extension):
        # Watchable at once: the movie routes serve the upload until the normalized movie is stored.
        advance(job, {"source_playable": True}, [])
    _check_space(work, obj.size + source_info.duration * _ENCODED_BYTES_PER_SECOND, "the normalized movies")
    project, entity = _project_and_entity(preview)
    fps, width, height = canvas.preview_canvas(project, entity)
    from chalicelib.services.previews import segments  # it builds on this module's stages

    if segments.wanted(source_info):
        # A long master: parallel Lambdas encode its segments (services/previews/segments.py).
        advance(job, {"data": original}, [])
        segments.start(job, obj.key, source_info, (fps, width, height))
        return
    movie, low = os.path.join(work, "movie.mp4"), os.path.join(work, "low.mp4")
    renditions = [media.Rendition(movie), media.Rendition(low, True, LOW_DEF_PRESET)]
    pictures = _pass_pictures(work, renditions, (fps, width, height), source_info)
    # One decode of the upload feeds both encoders and the pictures (one ffmpeg): the
    # source, often the biggest file of the lot, is read and retimed once.
    media.normalize_renditions(source, renditions, fps, width, height, source_info=source_info, pictures=pictures,
                               timeout=_time_left(context, share=0.9))
    movie_info = media.probe_movie(movie)
    # Everything but movie.mp4 is stored and recorded first: its S3 event starts the images
    # worker, which must then find the images stage done (or find low.mp4, a fifth of the
    # movie's bits, to decode for the tile, when the pictures could not be made in the pass).
    if pictures is not None:
        _close_images(job, pictures, movie_info.frame_count, work)
    storage.upload_file(low, storage.preview_key(preview["id"], "low"), "video/mp4")
    advance(job, {**movie_fields(movie_info, os.path.getsize(movie)), "data": original}, ["low"])
    storage.upload_file(movie, storage.preview_key(preview["id"], "movie"), "video/mp4")
    advance(job, {}, ["movie"], done=True)
    add_metric("PreviewsNormalized")
    add_metric("PreviewNormalizeSeconds", time.time() - job.started, MetricUnit.Seconds)
    add_metric("PreviewNormalizeBytes", obj.size, MetricUnit.Bytes)  # of the original


def _pass_pictures(work: str, renditions: list, canvas: tuple, source_info: media.MovieInfo):
    """What the renditions' pass should also make: the first frame and the tile sprite;
    None for a movie long enough for Zou's every-k-th frame sprite (the images worker
    makes it from the finished movie, as for the segments of a long master)."""
    tile_plan = media.pass_tile_plan(renditions, *canvas, source_info)
    if tile_plan is None:
        return None
    return media.PassPictures(os.path.join(work, "first-frame.png"), os.path.join(work, "tile.png"), tile_plan)


def _close_images(job: Job, pictures: media.PassPictures, frame_count: int, work: str) -> None:
    """Store the pictures of the renditions' pass and close the images stage, in this
    invocation's claim of the preview (movie.mp4, whose event would start the images
    worker, is not stored yet). A sprite that came out short leaves the stage open: the
    images worker makes everything from the movie, as before."""
    started = time.time()
    preview_id = job.preview["id"]
    if media.crop_tile(pictures.sprite, pictures.tile, frame_count) is None:
        logger.warning("the pass's sprite is short: the images worker makes the pictures",
                       extra={"preview_file_id": preview_id, "frame_count": frame_count,
                              "planned_rows": pictures.tile.rows})
        return
    variants = _upload_pictures(preview_id, media.frame_pictures(pictures.first_frame, work))
    storage.upload_file(pictures.sprite, storage.preview_key(preview_id, "tile"), "image/png")
    advance(Job(job.preview, "images", job.attempt, started), {}, [*variants, "tile"], done=True)


def movie_fields(info: media.MovieInfo, file_size: int) -> dict:
    return {"width": info.width, "height": info.height, "duration": round(info.duration, 3),
            "fps": info.fps, "frame_count": info.frame_count, "file_size": file_size}


def _project_and_entity(preview: dict) -> tuple[dict, dict | None]:
    related = records.batch_get([preview["project_id"], preview.get("entity_id")])
    return related.get(preview["project_id"]) or {}, related.get(preview.get("entity_id"))


# --- the images worker ----------------------------------------------------------------------------

def images_object(obj: S3Object, context) -> None:
    source = storage.parse_preview_key(obj.key)
    picture = source is not None and source.place == storage.PICTURE_UPLOADED
    movie = source is not None and source.place == storage.PROCESSED and source.variant == "movie"
    if not picture and not movie:
        logger.info("not a preview picture or normalized movie: skipped", extra={"s3_key": obj.key})
        return
    work = _picture_images if picture else _movie_images
    _run_stage(source.preview_id, "images", obj, context, lambda job, work_dir: work(job, obj, work_dir, context),
               original=picture)


def _picture_images(job: Job, obj: S3Object, work: str, context) -> None:
    _check_space(work, obj.size * 8, "the picture")
    source = os.path.join(work, "source." + storage.parse_preview_key(obj.key).extension)
    storage.download_file(obj.key, source)
    pictures = media.picture_pictures(source, work)
    variants = _upload_pictures(job.preview["id"], pictures)
    advance(job, {"width": pictures.width, "height": pictures.height, "file_size": pictures.file_size,
                   "data": {"original_file_size": obj.size}}, variants, done=True)


def _movie_images(job: Job, obj: S3Object, work: str, context) -> None:
    preview_id = job.preview["id"]
    # The first frame is read through a presigned URL (faststart: the index, then one frame),
    # so the full-size movie is never downloaded.
    pictures = media.movie_pictures(storage.presigned_get(obj.key), work)
    variants = _upload_pictures(preview_id, pictures)
    # The tile decodes every frame: from the low-definition movie when there is one (same
    # frames, same display aspect, so the same geometry at 100 px a tile, and a fifth of the bits).
    has_low = "low" in ((job.preview.get("pipeline") or {}).get("variants") or [])
    tile_source_key = storage.preview_key(preview_id, "low") if has_low else obj.key
    _check_space(work, obj.size, "the normalized movie")
    tile_source = os.path.join(work, "tile-source.mp4")
    storage.download_file(tile_source_key, tile_source)
    tile = os.path.join(work, "tile.png")
    try:
        media.generate_tile(tile_source, tile, timeout=_time_left(context))
        storage.upload_file(tile, storage.preview_key(preview_id, "tile"), "image/png")
        variants.append("tile")
    except media.MediaError as error:
        # As Zou: a preview without a tile is still ready; the tile route answers 404.
        logger.warning("tile failed", extra={"preview_file_id": preview_id, "reason": error.reason})
    advance(job, {}, variants, done=True)


def _upload_pictures(preview_id: str, pictures: media.PreviewPictures) -> list[str]:
    uploads = {"original": pictures.original, "thumbnail": pictures.thumbnail,
               "thumbnail-square": pictures.thumbnail_square, "preview": pictures.preview}
    # Side by side: each is a small PUT, and together they are what stands between the
    # encode's end and `ready`.
    with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
        list(pool.map(lambda item: storage.upload_file(item[1], storage.preview_key(preview_id, item[0]),
                                                       "image/png"), uploads.items()))
    return list(uploads)


# --- stages: claim, advance, break ------------------------------------------------------------------

def _run_stage(preview_id: str, stage: str, obj: S3Object, context, work, original: bool = False) -> None:
    """`original`: `obj` is an uploaded original, processed only if it is the one the
    preview expects (an earlier upload URL may still write its own key)."""
    log = {"preview_file_id": preview_id, "stage": stage, "s3_key": obj.key, "token": obj.token}
    job = claim(preview_id, stage, _time_left(context) + SAFETY_SECONDS, source_key=obj.key if original else None)
    if job is None:
        return
    logger.info("stage started", extra={**log, "attempt": job.attempt})
    try:
        with _work_dir(stage) as work_dir:
            work(job, work_dir)
    except media.MediaError as error:
        mark_broken(preview_id, stage, error.reason)
        logger.warning("preview broken", extra={**log, "reason": error.reason})
        return
    except Exception as error:
        if job.attempt >= MAX_ATTEMPTS:
            mark_broken(preview_id, stage, f"{stage} failed {job.attempt} times; last error: {error}")
            logger.exception("preview broken after its last attempt", extra=log)
            return
        release(preview_id, stage)
        raise  # the message stays on the queue: SQS delivers it again
    logger.info("stage done", extra={**log, "seconds": round(time.time() - job.started, 3)})


def claim(preview_id: str, stage: str, lease_seconds: float, source_key: str | None = None) -> Job | None:
    """Take `stage` of the preview for this invocation, or None (logged) when there is
    nothing to do: deleted, not processing, already done, or leased by another invocation."""
    now = time.time()
    outcome = {}

    def decide(body: dict):
        pipeline = body.get("pipeline") or {}
        state = pipeline.get(stage) or {}
        if body.get("status") != "processing":
            outcome["skip"] = f"the preview is {body.get('status')}"
        elif stage not in (pipeline.get("stages") or []):
            outcome["skip"] = f"the preview expects no {stage} (no upload was announced)"
        elif source_key and pipeline.get("source_key") != source_key:
            outcome["skip"] = "not the upload the preview expects"
        elif state.get("done"):
            outcome["skip"] = "already done (duplicate event)"
        elif state.get("lease_until", 0) > now:
            outcome["skip"] = "being processed by another invocation (duplicate event)"
        elif state.get("attempts", 0) >= MAX_ATTEMPTS:
            outcome["broken"] = f"{stage} did not finish in {MAX_ATTEMPTS} attempts (timed out?)"
            return {"status": "broken", "status_reason": outcome["broken"]}
        else:
            outcome["attempt"] = state.get("attempts", 0) + 1
            # The original has arrived: it is served by movies/source from now on.
            variants = sorted(set(pipeline.get("variants") or []) | {"source"})
            return {"pipeline": {**pipeline, "received": True, "variants": variants, stage: {
                **state, "attempts": outcome["attempt"], "lease_until": now + lease_seconds, "started_at": now}}}
        return None

    body, changed = records.transition(preview_id, decide, expected_kind=previews.KIND)
    log = {"preview_file_id": preview_id, "stage": stage}
    if body is None:
        logger.info("preview deleted: skipped", extra=log)
        return None
    if "broken" in outcome and changed:
        index.record_preview(body)
        add_metric("PreviewsBroken")
        logger.warning("preview broken", extra={**log, "reason": outcome["broken"]})
        return None
    if not changed:
        logger.info("nothing to do: skipped", extra={**log, "reason": outcome.get("skip")})
        return None
    return Job(body, stage, outcome["attempt"], now)


def advance(job: Job, changes: dict, variants: list[str], done: bool = False) -> None:
    """Store what the stage produced; with `done`, close the stage (and make the preview
    `ready` when it was the last one)."""

    def decide(body: dict):
        if body.get("status") != "processing":
            return None
        pipeline = dict(body.get("pipeline") or {})
        pipeline["variants"] = sorted(set(pipeline.get("variants") or []) | set(variants))
        if done:
            pipeline[job.stage] = {**(pipeline.get(job.stage) or {}), "done": True, "lease_until": 0,
                                   "seconds": round(time.time() - job.started, 3)}
        wanted = {**changes, "pipeline": pipeline}
        if "data" in changes:
            wanted["data"] = {**(body.get("data") or {}), **changes["data"]}
        if all((pipeline.get(stage) or {}).get("done") for stage in pipeline.get("stages") or []):
            wanted["status"] = "ready"
        return wanted

    body, changed = records.transition(job.preview["id"], decide, expected_kind=previews.KIND)
    if body is None:
        # Deleted while we worked: do not leave what we wrote behind.
        for prefix in storage.preview_prefixes(job.preview["id"]):
            storage.delete_prefix(prefix)
        return
    if changed:
        index.record_preview(body)
        if body["status"] == "ready":
            previews.on_ready(body)


def mark_broken(preview_id: str, stage: str, reason: str) -> None:
    def decide(body: dict):
        if body.get("status") != "processing":
            return None
        pipeline = dict(body.get("pipeline") or {})
        pipeline[stage] = {**(pipeline.get(stage) or {}), "lease_until": 0}
        return {"status": "broken", "status_reason": reason[:500], "pipeline": pipeline}

    body, changed = records.transition(preview_id, decide, expected_kind=previews.KIND)
    if changed:
        index.record_preview(body)
        add_metric("PreviewsBroken")


def release(preview_id: str, stage: str) -> None:
    """Give the stage back after a failure that a retry may fix."""
    def decide(body: dict):
        pipeline = dict(body.get("pipeline") or {})
        if not (pipeline.get(stage) or {}).get("lease_until"):
            return None
        pipeline[stage] = {**pipeline[stage], "lease_until": 0}
        return {"pipeline": pipeline}

    records.transition(preview_id, decide, expected_kind=previews.KIND)


# --- Lambda's limits -------------------------------------------------------------------------------

@contextlib.contextmanager
def _work_dir(stage: str):
    # Lambda's /tmp outlives the invocation: everything goes in a directory removed at the end.
    work_dir = tempfile.mkdtemp(prefix=f"reelbase-{stage}-")
    try:
        yield work_dir
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _time_left(context, share: float = 1.0) -> float:
    """Seconds an ffmpeg run may take: a share of what is left of the invocation, minus
    the time kept for uploads, so that a stuck encode ends as `broken (timed out)` rather
    than as a killed invocation."""
    left = context.get_remaining_time_in_millis() / 1000 if context is not None else 900.0
    return max(5.0, (left - SAFETY_SECONDS) * share)


def _check_space(work_dir: str, needed_bytes: float, what: str) -> None:
    free = shutil.disk_usage(work_dir).free
    if needed_bytes > free:
        raise media.MediaError(f"{what} needs about {math.ceil(needed_bytes / 1e6)} MB of temporary storage; "
                               f"the worker has {free // 1_000_000} MB")
