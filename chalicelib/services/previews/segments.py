"""Long masters normalized by parallel Lambdas (infra/resources.yaml:
PreviewSegmentsStateMachine; locally the same definition runs on moto).

A movie longer than PREVIEW_SEGMENT_THRESHOLD_SECONDS is not encoded by the normalize
worker itself: it plans the segments (media.segments.plan_segments), keeps its claim of
the `normalize` stage for the state machine's run and starts it. A Map encodes every
segment (both definitions, video only) side by side; Stitch joins them without
re-encoding, adds the sound (encoded once, for the whole movie) and stores `low.mp4` then
`movie.mp4` exactly as the worker would, which starts the images worker. Fail marks the
preview broken with the reason. So event -> ready for a long master costs one segment's
encode plus the stitch, not the whole encode.

Every step is idempotent (events and retries arrive twice): a segment already stored is
not encoded again; a stitch of a stage already done changes nothing."""
import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from chalicelib import aws, media, storage
from chalicelib.config import settings
from chalicelib.models import records
from chalicelib.observability import add_metric, logger
from chalicelib.services.previews import pipeline, previews

STAGE = "normalize"
# The claim the state machine holds: its Map and Stitch each run within one Lambda's
# 15 minutes, with the retries' waits on top.
LEASE_SECONDS = 3 * 3600


def wanted(source_info: media.MovieInfo) -> bool:
    return source_info.duration > settings().preview_segment_threshold_seconds and \
        media.segments.segmentable(source_info)


def start(job: pipeline.Job, source_key: str, source_info: media.MovieInfo, canvas: tuple) -> None:
    """Plan the segments, hand the stage to the state machine, start it."""
    fps, width, height = canvas
    rate = media.encoding.fps_fraction(fps)
    segment_frames = max(2, int(settings().preview_segment_seconds * rate))
    plan = {"fps": fps, "width": width, "height": height, "attempt": job.attempt, "source_key": source_key,
            "segments": media.segments.plan_segments(source_info.duration, fps, segment_frames),
            "source": _source_fields(source_info)}
    lease_until = time.time() + LEASE_SECONDS

    def decide(body: dict):
        pipeline_state = dict(body.get("pipeline") or {})
        if body.get("status") != "processing" or pipeline_state.get("source_key") != source_key:
            return None
        pipeline_state[STAGE] = {**(pipeline_state.get(STAGE) or {}), "lease_until": lease_until}
        return {"pipeline": {**pipeline_state, "segments": plan}}

    body, changed = records.transition(job.preview["id"], decide, expected_kind=previews.KIND)
    if not changed:
        return
    # The name makes a repeated start of the same attempt a no-op.
    aws.client("stepfunctions").start_execution(
        stateMachineArn=settings().segments_state_machine_arn, name=f"{job.preview['id']}-{job.attempt}",
        input=json.dumps({"preview_file_id": job.preview["id"], "indexes": list(range(len(plan["segments"])))}))
    add_metric("PreviewsSegmented")
    logger.info("normalizing in segments", extra={"preview_file_id": job.preview["id"],
                                                  "segments": len(plan["segments"])})


def _source_fields(info: media.MovieInfo) -> dict:
    return {"width": info.width, "height": info.height, "duration": info.duration, "fps": info.fps,
            "video_codec": info.video_codec, "pix_fmt": info.pix_fmt, "has_audio": info.has_audio,
            "audio_codec": info.audio_codec, "sample_rate": info.sample_rate, "channels": info.channels,
            "sample_aspect_ratio": str(info.sample_aspect_ratio), "frame_count": 0}


def _source_info(plan: dict) -> media.MovieInfo:
    from fractions import Fraction

    fields = dict(plan["source"])
    fields["sample_aspect_ratio"] = Fraction(fields["sample_aspect_ratio"])
    return media.MovieInfo(**fields)


def _plan(preview_id: str) -> tuple[dict, dict] | tuple[None, None]:
    preview = records.get(preview_id)
    plan = ((preview or {}).get("pipeline") or {}).get("segments")
    if not preview or preview.get("status") != "processing" or not plan:
        return None, None
    return preview, plan


def segment_key(preview_id: str, attempt: int, index: int, rendition: str) -> str:
    return f"{storage.PREVIEW_PREFIX}{preview_id}/segments/{attempt}-{index:04d}-{rendition}.mp4"


# --- EncodeSegment (one invocation per segment) ------------------------------------------

def encode_segment(event: dict) -> dict:
    preview_id, index = event["preview_file_id"], event["index"]
    preview, plan = _plan(preview_id)
    if plan is None:
        return {"index": index, "skipped": True}
    keys = {rendition: segment_key(preview_id, plan["attempt"], index, rendition) for rendition in ("hd", "ld")}
    if all(storage.head(key) is not None for key in keys.values()):
        return {"index": index, "skipped": True}  # a retried or repeated step
    first_frame, frames = plan["segments"][index]
    with tempfile.TemporaryDirectory(prefix="segment-") as work_dir:
        paths = {rendition: os.path.join(work_dir, f"{rendition}.mp4") for rendition in keys}
        # ffmpeg seeks in the original through a presigned URL: only its segment is read.
        media.segments.encode_segment(
            storage.presigned_get(plan["source_key"]),
            [media.Rendition(paths["hd"]), media.Rendition(paths["ld"], True, pipeline.LOW_DEF_PRESET)],
            plan["fps"], plan["width"], plan["height"], first_frame, frames, source_info=_source_info(plan))
        for rendition, key in keys.items():
            storage.upload_file(paths[rendition], key, "video/mp4")
    return {"index": index, "skipped": False}


# --- Stitch -------------------------------------------------------------------------------

def stitch(event: dict) -> dict:
    preview_id = event["preview_file_id"]
    preview, plan = _plan(preview_id)
    if plan is None:
        return {"status": "skipped"}
    count, attempt = len(plan["segments"]), plan["attempt"]
    job = pipeline.Job(preview, STAGE, attempt, time.time())
    with tempfile.TemporaryDirectory(prefix="stitch-") as work_dir:
        pieces = {rendition: [os.path.join(work_dir, f"{index:04d}-{rendition}.mp4") for index in range(count)]
                  for rendition in ("hd", "ld")}
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda args: storage.download_file(*args),
                          [(segment_key(preview_id, attempt, index, rendition), pieces[rendition][index])
                           for rendition in pieces for index in range(count)]))
        frames = sum(media.mp4box.video_track(path).sample_count for path in pieces["hd"])
        sound = os.path.join(work_dir, "sound.mp4")
        media.segments.encode_sound(storage.presigned_get(plan["source_key"]), sound, frames, plan["fps"],
                                    source_info=_source_info(plan))
        movie, low = os.path.join(work_dir, "movie.mp4"), os.path.join(work_dir, "low.mp4")
        media.segments.join_segments(pieces["ld"], plan["fps"], sound, low)
        media.segments.join_segments(pieces["hd"], plan["fps"], sound, movie)
        movie_info = media.probe_movie(movie)
        # As the worker: low.mp4 first, so the images worker (movie.mp4's event) finds it.
        storage.upload_file(low, storage.preview_key(preview_id, "low"), "video/mp4")
        pipeline.advance(job, pipeline.movie_fields(movie_info, os.path.getsize(movie)), ["low"])
        storage.upload_file(movie, storage.preview_key(preview_id, "movie"), "video/mp4")
        pipeline.advance(job, {}, ["movie"], done=True)
    storage.delete_prefix(f"{storage.PREVIEW_PREFIX}{preview_id}/segments/")
    add_metric("PreviewsNormalized")
    return {"status": "stitched", "frames": frames}


# --- Fail -----------------------------------------------------------------------------------

def fail(event: dict) -> dict:
    preview_id = event["preview_file_id"]
    error = event.get("error") or {}
    try:
        cause = json.loads(error.get("Cause") or "{}").get("errorMessage") or error.get("Cause")
    except (TypeError, ValueError):
        cause = error.get("Cause")
    reason = f"normalize failed: {cause or error.get('Error') or 'unknown error'}"
    pipeline.mark_broken(preview_id, STAGE, reason)
    storage.delete_prefix(f"{storage.PREVIEW_PREFIX}{preview_id}/segments/")
    logger.warning("segmented normalize failed", extra={"preview_file_id": preview_id, "reason": reason})
    return {"status": "broken"}
