"""The real path on moto with the real ffmpeg: presigned upload -> S3 event -> SQS ->
worker -> objects in S3 and a `ready` (or `broken`) preview."""
import math
import threading
import time

import requests
from chalice.local import LambdaContext
from preview_helpers import (
    PROJECT_HEIGHT,
    PROJECT_WIDTH,
    eventually,
    picture_size,
    s3_bytes,
    s3_event_body,
    s3_keys,
    sqs_event,
)

from chalicelib import aws, storage
from chalicelib.models import records
from chalicelib.services.previews import index, pipeline


def _context():
    return LambdaContext("test", memory_size=1024, max_runtime_ms=900_000)


def test_presigned_movie_becomes_ready_in_the_project_format(previews, clips, s3_streams, studio):
    preview = previews.new()
    answered = previews.presigned_put(preview, clips["4x3"])
    assert answered["status"] == "processing" and answered["extension"] == "mp4"
    assert answered["original_name"] == "clip 4x3"

    ready = previews.wait(preview)
    assert ready["status"] == "ready", ready
    movie = s3_streams(storage.preview_key(preview["id"], "movie"))
    assert (movie["video"]["width"], movie["video"]["height"]) == (PROJECT_WIDTH, PROJECT_HEIGHT)
    assert movie["video"]["r_frame_rate"] == 24
    assert movie["video"]["codec_name"] == "h264" and movie["video"]["pix_fmt"] == "yuv420p"
    # Zou's audio: the source's 44.1 kHz mono is kept, and lasts as long as the video.
    assert (movie["audio"]["sample_rate"], movie["audio"]["channels"]) == (44100, 1)
    assert math.isclose(movie["audio"]["duration"], movie["video"]["duration"], abs_tol=0.025)
    assert (ready["width"], ready["height"], ready["fps"]) == (PROJECT_WIDTH, PROJECT_HEIGHT, 24.0)
    assert ready["frame_count"] == 24 and math.isclose(ready["duration"], 1.0, abs_tol=0.05)
    assert ready["file_size"] == len(s3_bytes(storage.preview_key(preview["id"], "movie")))
    assert ready["data"]["original_width"] == 320 and ready["data"]["original_file_size"] > 0
    low = s3_streams(storage.preview_key(preview["id"], "low"))
    assert (low["video"]["width"], low["video"]["height"]) == (1280, 720)  # Zou's low def: 1280 wide

    # Zou's picture sizes, from the first frame of the normalized movie.
    assert picture_size(storage.preview_key(preview["id"], "thumbnail")) == (150, 100)
    assert picture_size(storage.preview_key(preview["id"], "thumbnail-square")) == (100, 100)
    assert picture_size(storage.preview_key(preview["id"], "preview")) == (1200, 675)
    assert picture_size(storage.preview_key(preview["id"], "original")) == (PROJECT_WIDTH, PROJECT_HEIGHT)
    # The tile sprite: 8 columns of 178x100 (16:9) tiles, one per frame.
    assert picture_size(storage.preview_key(preview["id"], "tile")) == (8 * 178, math.ceil(24 / 8) * 100)
    # The original is kept; playlists find the preview in its entity's summary.
    assert s3_keys(f"{storage.UPLOAD_PREFIX}{preview['id']}/") == [records.get(preview["id"])["pipeline"]["source_key"]]
    def summary():
        previews_of_entity = index.previews_by_entity([preview["entity_id"]])[preview["entity_id"]]
        return {k: v for item in previews_of_entity if item["id"] == preview["id"]
                for k, v in item.items() if k in ("id", "status", "width")}

    expected = {"id": preview["id"], "status": "ready", "width": PROJECT_WIDTH}
    assert eventually(summary, expected) == expected
    # Zou: a ready first-position preview becomes its task's last preview.
    assert eventually(lambda: records.get(studio["task"]["id"])["last_preview_file_id"], preview["id"]) == \
        preview["id"]


def test_differently_shaped_movies_get_identical_video_parameters_and_zous_audio(previews, clips, s3_streams):
    # 320x240 at 30 fps with mono 44.1 kHz audio, and 400x160 at 25 fps in a mov without audio.
    first, second = previews.ready(clips["4x3"]), previews.ready(clips["wide"])
    shared = ("codec_name", "profile", "pix_fmt", "width", "height", "r_frame_rate", "time_base",
              "sample_aspect_ratio")
    probed = [s3_streams(storage.preview_key(p["id"], "movie")) for p in (first, second)]
    first_video, second_video = ({k: p["video"].get(k) for k in shared} for p in probed)
    assert first_video == second_video
    # Zou's audio: the source's rate and channels kept; Zou's silent track (44.1 kHz stereo) when there is none.
    assert [(p["audio"]["codec_name"], p["audio"]["sample_rate"], p["audio"]["channels"]) for p in probed] == [
        ("aac", 44100, 1), ("aac", 44100, 2)]
    for p in probed:
        assert abs(p["audio"]["duration"] - p["video"]["duration"]) < 0.025
    assert probed[0]["count"] == probed[1]["count"] == 2
    assert second["extension"] == "mp4" and second["original_name"] == "wide"


def test_multipart_presigned_upload_for_big_masters(api, previews, clips):
    preview = previews.new()
    answer = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                 json={"filename": "master.mov", "multipart": True})
    assert answer.status_code == 201, answer.text
    upload = answer.json()
    assert upload["method"] == "multipart" and len(upload["parts"]) == 1
    assert upload["preview_file"]["id"] == preview["id"] and upload["file_name"] == "master.mov"
    put = requests.put(upload["parts"][0]["url"], data=clips["wide"].read_bytes(), timeout=30)
    assert put.status_code == 200
    done = api["manager"].post(f"/{upload['complete_path']}", json={
        "upload_id": upload["upload_id"], "parts": [{"part_number": 1, "etag": put.headers["ETag"]}]})
    assert done.status_code == 200, done.text
    assert previews.wait(preview)["status"] == "ready"
    assert api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-complete",
                               json={"upload_id": "nope", "parts": []}).status_code == 400


def test_pictures_get_thumbnails_without_normalizing(previews, clips):
    preview = previews.new()
    answered = previews.presigned_put(preview, clips["picture"])
    assert answered["extension"] == "png" and answered["status"] == "processing"
    ready = previews.wait(preview)
    assert ready["status"] == "ready" and (ready["width"], ready["height"]) == (300, 200)
    assert picture_size(storage.preview_key(preview["id"], "thumbnail")) == (150, 100)
    assert picture_size(storage.preview_key(preview["id"], "preview")) == (1200, 800)
    assert picture_size(storage.preview_key(preview["id"], "original")) == (300, 200)
    assert not s3_keys(storage.preview_key(preview["id"], "movie"))
    assert ready["file_size"] == len(s3_bytes(storage.preview_key(preview["id"], "original")))


def test_other_files_are_stored_ready_without_thumbnails(api, previews, clips):
    through_api = previews.new()
    answer = previews.api_upload(through_api, clips["pdf"])
    assert answer.status_code == 201 and answer.json()["status"] == "ready"
    assert answer.json()["extension"] == "pdf" and answer.json()["file_size"] == clips["pdf"].stat().st_size
    presigned = previews.new()
    previews.presigned_put(presigned, clips["pdf"])
    assert previews.wait(presigned)["status"] == "ready"
    for preview in (through_api, presigned):
        original = api["manager"].get(f"/pictures/originals/preview-files/{preview['id']}.pdf")
        assert original.status_code == 302
        assert requests.get(original.headers["Location"], timeout=10).content == clips["pdf"].read_bytes()
        assert api["manager"].get(f"/pictures/thumbnails/preview-files/{preview['id']}.png").status_code == 404


def test_a_corrupt_movie_is_broken_with_a_reason_and_kept(api, previews, clips):
    preview = previews.new()
    previews.presigned_put(preview, clips["corrupt"])
    broken = previews.wait(preview)
    assert broken["status"] == "broken"
    assert broken["status_reason"] and "media" in broken["status_reason"].lower()
    assert s3_keys(f"{storage.UPLOAD_PREFIX}{preview['id']}/")  # the original is never lost
    source = api["manager"].get(f"/movies/source/preview-files/{preview['id']}.mp4")
    assert requests.get(source.headers["Location"], timeout=10).content == clips["corrupt"].read_bytes()
    answer = api["manager"].get(f"/movies/originals/preview-files/{preview['id']}.mp4")
    assert answer.status_code == 404 and broken["status_reason"] in answer.json()["message"]
    running = api["admin"].get("/data/playlists/preview-files/running", params={"limit": 1000}).json()
    assert preview["id"] in {p["id"] for p in running}


def test_a_duplicated_event_is_processed_once(stack, previews, clips):
    preview = previews.new()
    previews.presigned_put(preview, clips["4x3"])
    key = records.get(preview["id"])["pipeline"]["source_key"]
    handler = stack.app.handler_map["normalize_preview"]
    duplicates = [threading.Thread(target=handler, args=(sqs_event(s3_event_body(key)), _context()))
                  for _ in range(2)]
    for thread in duplicates:  # racing the worker's own delivery of the real event
        thread.start()
    for thread in duplicates:
        thread.join()
    ready = previews.wait(preview)
    assert ready["status"] == "ready"
    movie_written = aws.client("s3").head_object(Bucket=storage.bucket(),
                                                 Key=storage.preview_key(preview["id"], "movie"))["LastModified"]
    # Once more through the real queue, after the work is done.
    sqs = aws.client("sqs")
    queue = next(source.queue for source in stack.app.event_sources if source.name == "normalize_preview")
    queue_url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=s3_event_body(key))
    _wait_for_empty_queue(sqs, queue_url)
    stored = records.get(preview["id"])
    assert stored["pipeline"]["normalize"]["attempts"] == 1
    # The normalize worker made the pictures in its pass: the images worker never took the stage.
    assert stored["pipeline"]["images"]["done"] and "attempts" not in stored["pipeline"]["images"]
    assert aws.client("s3").head_object(Bucket=storage.bucket(), Key=storage.preview_key(
        preview["id"], "movie"))["LastModified"] == movie_written


def test_a_duplicated_movie_event_finds_the_pictures_made_and_is_skipped(stack, previews, clips):
    ready = previews.ready(clips["4x3"])
    stored = records.get(ready["id"])
    assert set(stored["pipeline"]["variants"]) >= {"original", "thumbnail", "thumbnail-square", "preview", "tile",
                                                   "low", "movie"}
    tile_key = storage.preview_key(ready["id"], "tile")
    tile_written = aws.client("s3").head_object(Bucket=storage.bucket(), Key=tile_key)["LastModified"]
    movie_event = sqs_event(s3_event_body(storage.preview_key(ready["id"], "movie")))
    for _ in range(2):  # movie.mp4's event, delivered twice more
        assert stack.app.handler_map["preview_images"](movie_event, _context()) == {"batchItemFailures": []}
    after = records.get(ready["id"])
    assert after["pipeline"] == stored["pipeline"] and "attempts" not in after["pipeline"]["images"]
    assert aws.client("s3").head_object(Bucket=storage.bucket(), Key=tile_key)["LastModified"] == tile_written


def _wait_for_empty_queue(sqs, queue_url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        if attributes["ApproximateNumberOfMessages"] == attributes["ApproximateNumberOfMessagesNotVisible"] == "0":
            return
        time.sleep(0.1)
    raise AssertionError("the queue was not drained")


def test_test_events_and_unknown_keys_are_skipped(stack):
    handler = stack.app.handler_map["normalize_preview"]
    test_event = '{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"reelbase-dev-media"}'
    answer = handler(sqs_event(test_event, "not json", '{"Records": []}'), _context())
    assert answer == {"batchItemFailures": []}
    storage.put_bytes("elsewhere/unknown.mp4", b"x", "video/mp4")
    assert handler(sqs_event(s3_event_body("elsewhere/unknown.mp4")), _context()) == {"batchItemFailures": []}


def test_a_failed_message_is_reported_alone_and_retried(stack, api, previews, clips):
    preview = previews.new()
    # The upload is announced, but its S3 event arrives before any object exists (a transient error).
    announced = api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                    json={"filename": "late.mp4"}).json()
    key = records.get(preview["id"])["pipeline"]["source_key"]
    storage.put_bytes("elsewhere/skipped.mp4", b"x", "video/mp4")
    event = sqs_event(s3_event_body("elsewhere/skipped.mp4"), s3_event_body("elsewhere/skipped.mp4"))
    second_body = event["Records"][1]["body"]
    event["Records"][1]["body"] = second_body.replace("elsewhere%2Fskipped.mp4", key.replace("/", "%2F"))
    answer = stack.app.handler_map["normalize_preview"](event, _context())
    assert answer == {"batchItemFailures": [{"itemIdentifier": "message-1"}]}
    state = records.get(preview["id"])["pipeline"]["normalize"]
    assert state["attempts"] == 1 and state["lease_until"] == 0  # given back for the retry
    requests.put(announced["url"], data=clips["4x3"].read_bytes(), headers=announced["headers"], timeout=30)
    ready = previews.wait(preview)
    assert ready["status"] == "ready" and records.get(preview["id"])["pipeline"]["normalize"]["attempts"] == 2


def test_a_stage_that_never_finishes_is_broken_not_retried_forever(stack, api, previews):
    preview = previews.new()
    api["manager"].post(f"/pictures/preview-files/{preview['id']}/upload-url", json={"filename": "stuck.mp4"})
    # Three invocations took the stage and were killed (their leases ran out).
    records.update(preview["id"], lambda body: {"pipeline": {**body["pipeline"], "normalize": {
        "attempts": pipeline.MAX_ATTEMPTS, "lease_until": time.time() - 1}}})
    obj = pipeline.S3Object(records.get(preview["id"])["pipeline"]["source_key"], 10, "redelivered")
    pipeline.normalize_object(obj, _context())
    broken = records.get(preview["id"])
    assert broken["status"] == "broken" and "3 attempts" in broken["status_reason"]


def test_normalize_false_keeps_the_upload_as_the_movie(previews, clips, s3_streams, api):
    preview = previews.new()
    answer = previews.api_upload(preview, clips["4x3"], query="?normalize=false")
    assert answer.status_code == 201, answer.text
    ready = previews.wait(preview)
    assert ready["status"] == "ready" and (ready["width"], ready["height"]) == (320, 240)
    assert s3_streams(storage.preview_key(preview["id"], "movie"))["video"]["r_frame_rate"] == 30
    # No low-definition movie: the low route falls back to the movie, as Zou's does.
    low = api["manager"].get(f"/movies/low/preview-files/{preview['id']}.mp4")
    assert low.status_code == 302 and "/movie.mp4" in low.headers["Location"]


def test_deleting_a_preview_removes_its_objects(api, previews, clips):
    ready = previews.ready(clips["picture"])
    assert s3_keys(f"{storage.PREVIEW_PREFIX}{ready['id']}/")
    assert api["manager"].delete(f"/data/preview-files/{ready['id']}").status_code == 204
    for prefix in storage.preview_prefixes(ready["id"]):
        assert s3_keys(prefix) == []
    assert api["manager"].get(f"/data/preview-files/{ready['id']}").status_code == 404
    summary = index.previews_by_entity([ready["entity_id"]])[ready["entity_id"]]
    assert ready["id"] not in {p["id"] for p in summary}
