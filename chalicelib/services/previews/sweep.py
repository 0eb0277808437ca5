"""No preview left in `processing`: the scheduled sweep (EventBridge, every few minutes;
the local stack runs it on a timer).

It reads the running-preview markers of the previews created in the last
LOOKBACK_SECONDS (a Query on `by_kind`, bounded on `created_sort`), then those previews
(BatchGet), and for each one still `processing`:

- no upload arrived within the upload timeout (30 minutes by default; a multipart upload
  in progress gets as long as its part URLs live): the preview becomes `missing`, Zou's
  status for a preview without its file, with the reason "no upload received". The file
  may still come later through a new upload URL (the preview never received one).
- its original is in S3 but no worker took it (a lost S3 event), or a stage's worker
  stopped without finishing — a Lambda that timed out or ran out of memory leaves its
  claim's lease to run out, and SQS would deliver the message again only after the
  queue's visibility timeout (6 × the function's) — the stage's S3 event is sent again,
  so a new invocation claims it as attempt n + 1; after pipeline.MAX_ATTEMPTS the
  preview is `broken` with the reason.

Each decision is a compare-and-set on what the sweep read, so a worker that finishes
meanwhile wins, and two sweeps never act twice."""
import datetime
import json
import time
from urllib.parse import quote_plus

from chalicelib import aws, storage
from chalicelib.config import settings
from chalicelib.models import records
from chalicelib.models.records import Record
from chalicelib.observability import add_metric, logger
from chalicelib.services import uploads as upload_protocol
from chalicelib.services.previews import index, pipeline, previews

NO_UPLOAD_REASON = "no upload received"
# Previews older than this are not looked at again: a preview is settled by the first
# sweep after its deadline, so only a sweep stopped for a week would leave one behind.
LOOKBACK_SECONDS = 7 * 24 * 3600
PAGE = 100
# Sending a stage's event again more often than this without any worker taking it means
# the worker cannot run at all (a queue or permission broken): the preview is broken.
MAX_RESENDS = pipeline.MAX_ATTEMPTS


def sweep(now: float | None = None, upload_timeout: float | None = None, worker_grace: float | None = None) -> dict:
    """One pass; returns the ids it made missing, sent again and broke (also logged)."""
    now = time.time() if now is None else now
    upload_timeout = settings().preview_upload_timeout_seconds if upload_timeout is None else upload_timeout
    worker_grace = settings().preview_worker_grace_seconds if worker_grace is None else worker_grace
    report = {"missing": [], "resent": [], "broken": []}
    # Nothing created after this can be overdue yet (a stage's lease starts after the upload).
    newest = now - min(upload_timeout, worker_grace)
    for markers in _marker_pages(now - LOOKBACK_SECONDS, newest):
        found = records.batch_get(marker["preview_file_id"] for marker in markers)
        for preview in found.values():
            if preview.get("status") == "processing":
                outcome = _settle(preview, now, upload_timeout, worker_grace)
                if outcome:
                    report[outcome].append(preview["id"])
    for outcome, ids in report.items():
        if ids:
            add_metric(f"PreviewsSwept{outcome.capitalize()}", len(ids))
    logger.info("preview sweep done", extra={key: len(ids) for key, ids in report.items()})
    return report


def _marker_pages(oldest: float, newest: float):
    condition = Record.created_sort.between(_iso(oldest), _iso(newest))
    page = []
    for marker in Record.by_kind.query(previews.RUNNING_KIND, condition, page_size=PAGE):
        page.append(marker.body)
        if len(page) == PAGE:
            yield page
            page = []
    if page:
        yield page


def _iso(seconds: float) -> str:
    # records.now_iso's format, so that the bounds compare with `created_sort` as strings.
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _seconds(iso: str | None) -> float:
    if not iso:
        return 0.0
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.UTC).timestamp()


def _settle(preview: dict, now: float, upload_timeout: float, worker_grace: float) -> str | None:
    state = preview.get("pipeline") or {}
    if not state.get("received"):
        return _without_upload(preview, state, now, upload_timeout, worker_grace)
    for stage in state.get("stages") or []:
        if not (state.get(stage) or {}).get("done"):
            return _stalled(preview, state, stage, now, worker_grace)
    return None


def _without_upload(preview: dict, state: dict, now: float, upload_timeout: float, worker_grace: float) -> str | None:
    announced = max(_seconds(preview.get("created_at")), state.get("announced_at") or 0)
    allowed = upload_timeout
    if (state.get("upload") or {}).get("upload_id"):
        # A big master goes up part after part: as long as its part URLs live.
        allowed = max(upload_timeout, storage.part_url_seconds())
    if now < announced + allowed:
        return None
    source_key = state.get("source_key")
    if source_key and storage.head(source_key) is not None:
        # It did arrive, but no worker ever took it.
        first_stage = (state.get("stages") or ["normalize"])[0]
        return _stalled(preview, state, first_stage, now, worker_grace)
    return _mark_missing(preview, state)


def _mark_missing(preview: dict, seen: dict) -> str | None:
    def decide(body: dict):
        current = body.get("pipeline") or {}
        if body.get("status") != "processing" or current.get("received") or \
                current.get("source_key") != seen.get("source_key"):
            return None  # the upload came (or a new one was asked for) meanwhile
        return {"status": "missing", "status_reason": NO_UPLOAD_REASON, "pipeline": {**current, "upload": None}}

    body, changed = records.transition(preview["id"], decide, expected_kind=previews.KIND)
    if not changed:
        return None
    upload_protocol.abandon(seen.get("source_key"), seen.get("upload"))
    index.record_preview(body)
    logger.warning("preview missing", extra={"preview_file_id": preview["id"], "reason": NO_UPLOAD_REASON})
    return "missing"


def _stalled(preview: dict, state: dict, stage: str, now: float, worker_grace: float) -> str | None:
    """Send the stage's event again when its worker is gone, or break the preview when
    the attempts (or the resends nobody took) are spent."""
    claim = state.get(stage) or {}
    if claim.get("lease_until", 0) > now - worker_grace:
        return None  # a worker holds it (or held it until a moment ago)
    attempts, resends = claim.get("attempts", 0), claim.get("resends", 0)
    # A stage never claimed is as old as the preview's last change (its upload, the stage before).
    last_seen = max(claim.get("started_at") or 0, claim.get("resent_at") or 0,
                    0 if attempts else _seconds(preview.get("updated_at")))
    if now < last_seen + worker_grace:
        return None  # SQS or a resend may still bring it to a worker
    if attempts >= pipeline.MAX_ATTEMPTS or resends >= MAX_RESENDS:
        reason = (f"the {stage} worker stopped {attempts} times without finishing (timed out or ran out of memory)"
                  if attempts >= pipeline.MAX_ATTEMPTS else
                  f"no worker took the {stage} stage after {resends} resends")
        pipeline.mark_broken(preview["id"], stage, reason)
        logger.warning("preview broken by the sweep", extra={"preview_file_id": preview["id"], "reason": reason})
        return "broken"
    key = _stage_object(preview, state, stage)
    if key is None:
        return None

    def decide(body: dict):
        current = body.get("pipeline") or {}
        if body.get("status") != "processing" or (current.get(stage) or {}) != claim:
            return None  # a worker moved on meanwhile
        return {"pipeline": {**current, stage: {**claim, "resends": resends + 1, "resent_at": now}}}

    _, changed = records.transition(preview["id"], decide, expected_kind=previews.KIND)
    if not changed:
        return None
    _send_again(stage, key)
    logger.warning("stage sent again", extra={"preview_file_id": preview["id"], "stage": stage, "s3_key": key,
                                              "attempts": attempts})
    return "resent"


def _stage_object(preview: dict, state: dict, stage: str) -> str | None:
    """The S3 object whose event starts the stage: the original, or the normalized movie."""
    if stage == "normalize" or state.get("kind") == "picture":
        return state.get("source_key")
    if "movie" in (state.get("variants") or []):
        return storage.preview_key(preview["id"], "movie")
    return None


def _send_again(stage: str, key: str) -> None:
    """The message S3 would have sent for the object, on the stage's queue."""
    head = storage.head(key) or {}
    queue = settings().preview_normalize_queue if stage == "normalize" else settings().preview_images_queue
    sqs = aws.client("sqs")
    message = {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": settings().region,
        "eventTime": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "eventName": "ObjectCreated:Put", "s3": {
            "s3SchemaVersion": "1.0", "configurationId": "preview-sweep",
            "bucket": {"name": storage.bucket(), "arn": f"arn:aws:s3:::{storage.bucket()}"},
            "object": {"key": quote_plus(key), "size": head.get("size", 0), "sequencer": f"sweep-{time.time_ns()}"}}}]}
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName=queue)["QueueUrl"], MessageBody=json.dumps(message))
