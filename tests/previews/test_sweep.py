"""No preview left in `processing`: the sweep (chalicelib.services.previews.sweep), run here
with test-shortened times against the served stack, its workers consuming the real queues."""
import time

from chalicelib import aws, storage
from chalicelib.config import settings
from chalicelib.models import records
from chalicelib.services.previews import pipeline, sweep

KIND = "PreviewFile"


def _queues_idle(timeout: float = 30) -> None:
    """Every message of both preview queues consumed (or in a worker's hands, then done)."""
    sqs = aws.client("sqs")
    urls = [sqs.get_queue_url(QueueName=name)["QueueUrl"]
            for name in (settings().preview_normalize_queue, settings().preview_images_queue)]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = [sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"] for url in urls]
        if all(int(c["ApproximateNumberOfMessages"]) + int(c["ApproximateNumberOfMessagesNotVisible"]) == 0
               for c in counts):
            return
        time.sleep(0.2)
    raise AssertionError("the preview queues did not drain")


def _mid_encode(preview: dict, key: str, attempts: int, lease_until: float, started_at: float) -> None:
    """The record as the normalize worker's claim leaves it (what a killed worker leaves behind)."""
    records.update(preview["id"], {"original_name": "clip", "status": "processing", "pipeline": {
        "kind": "movie", "source_key": key, "source_extension": "mp4", "encode": True,
        "stages": ["normalize", "images"], "received": True, "variants": ["source"], "upload": None,
        "announced_at": started_at, "normalize": {"attempts": attempts, "lease_until": lease_until,
                                                  "started_at": started_at}}}, expected_kind=KIND)


def test_a_preview_whose_upload_never_comes_ends_missing(previews, api, clips):
    waiting = previews.new()  # gazu's publish_preview after a 413: the preview, and no file
    announced = previews.new()
    answer = api["manager"].post(f"/pictures/preview-files/{announced['id']}/upload-url",
                                 json={"filename": "take.mp4", "size": 5_000_000})
    assert answer.status_code == 201, answer.text
    time.sleep(1.2)

    # Within the time allowed, nothing happens.
    assert not set(sweep.sweep(upload_timeout=3600, worker_grace=3600)["missing"]) & {waiting["id"],
                                                                                       announced["id"]}
    report = sweep.sweep(upload_timeout=1, worker_grace=3600)
    assert {waiting["id"], announced["id"]} <= set(report["missing"])
    for preview in (waiting, announced):
        swept = previews.wait(preview, timeout=1)
        assert (swept["status"], swept["status_reason"]) == ("missing", "no upload received")
        # Downloads say so at once, rather than "still processing" for ever.
        movie = api["manager"].get(f"/movies/originals/preview-files/{preview['id']}.mp4")
        assert movie.status_code == 404 and "no upload received" in movie.json()["message"]
    # A second sweep finds nothing more to do with them.
    assert not set(sweep.sweep(upload_timeout=1, worker_grace=1)["missing"]) & {waiting["id"], announced["id"]}
    # Zou's running list holds missing previews too.
    running = {p["id"] for p in api["admin"].get("/data/playlists/preview-files/running").json()}
    assert {waiting["id"], announced["id"]} <= running


def test_a_preview_whose_upload_arrived_but_no_worker_took_it_is_processed(previews, clips):
    preview = previews.new()
    key = storage.preview_upload_key(preview["id"], "mp4", storage.new_upload_id())
    # The object lands before the preview expects it: its S3 event is consumed and skipped, as if lost.
    storage.put_bytes(key, clips["4x3"].read_bytes(), "video/mp4", only_new=True)
    _queues_idle()
    records.update(preview["id"], {"original_name": "clip", "pipeline": {
        "kind": "movie", "source_key": key, "source_extension": "mp4", "encode": True,
        "stages": ["normalize", "images"], "received": False, "variants": [], "upload": None,
        "announced_at": time.time() - 5}}, expected_kind=KIND)
    time.sleep(1.2)

    assert preview["id"] in sweep.sweep(upload_timeout=1, worker_grace=1)["resent"]
    assert previews.wait(preview)["status"] == "ready"


def test_a_worker_killed_mid_encode_is_retried_then_ready(previews, clips):
    preview = previews.new()
    key = storage.preview_upload_key(preview["id"], "mp4", storage.new_upload_id())
    started = time.time()
    # A worker has claimed the encode (attempt 1, leased), and its original is in S3:
    # the S3 event finds the stage leased and is skipped.
    _mid_encode(preview, key, attempts=1, lease_until=started + 600, started_at=started)
    storage.put_bytes(key, clips["4x3"].read_bytes(), "video/mp4", only_new=True)
    _queues_idle()
    assert records.get(preview["id"])["status"] == "processing"
    # Its Lambda was killed (timeout, out of memory): the lease ran out and nothing finished.
    _mid_encode(preview, key, attempts=1, lease_until=time.time() - 10, started_at=started - 1000)
    time.sleep(1.2)  # the sweep looks at previews older than its shortest time

    report = sweep.sweep(upload_timeout=3600, worker_grace=1)
    assert preview["id"] in report["resent"]
    ready = previews.wait(preview)
    assert ready["status"] == "ready", ready
    normalize = records.get(preview["id"])["pipeline"]["normalize"]
    assert normalize["attempts"] == 2 and normalize["done"] and normalize["resends"] == 1


def test_a_worker_that_keeps_dying_ends_broken_with_the_reason(previews):
    attempts = pipeline.MAX_ATTEMPTS
    preview = previews.new()
    key = storage.preview_upload_key(preview["id"], "mp4", storage.new_upload_id())
    _mid_encode(preview, key, attempts=attempts, lease_until=time.time() - 10, started_at=time.time() - 2000)
    time.sleep(1.2)  # the sweep looks at previews older than its shortest time
    # Still leased a moment ago: not yet.
    assert preview["id"] not in sweep.sweep(upload_timeout=3600, worker_grace=600)["broken"]

    assert preview["id"] in sweep.sweep(upload_timeout=3600, worker_grace=1)["broken"]
    broken = previews.wait(preview, timeout=1)
    assert broken["status"] == "broken"
    assert broken["status_reason"] == (f"the normalize worker stopped {attempts} times without finishing "
                                       "(timed out or ran out of memory)")
