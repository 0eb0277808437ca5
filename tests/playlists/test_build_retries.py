"""Builds outlast transient AWS failures: every Lambda state of the build state machine
retries them (with backoff and jitter) before its Catch, and moto's Step Functions
interpreter, which runs the definition of infra/resources.yaml here, applies those
Retry fields as AWS does. The faults are injected below botocore's own retries, so each
one reaches the step and only the state machine's Retry can save the build."""
import json
import math
import threading
from types import SimpleNamespace

import pytest

from chalicelib import aws, storage
from chalicelib.config import settings
from chalicelib.media import probe_movie
from chalicelib.services.playlists import build_errors, builds
from devstack import provision, sample_media

ENTRIES = 30
CLIP_SECONDS = 0.4  # 10 frames at 25 fps
OBJECT_OPERATIONS = ("GetObject", "HeadObject", "PutObject", "CopyObject", "UploadPart", "CreateMultipartUpload",
                     "CompleteMultipartUpload", "UploadPartCopy", "ListObjectsV2", "DeleteObjects")


class OneInTenFailsOnce:
    """A botocore `before-call` hook on the app's S3 client: of the requests for the
    build's objects, the 1st, 11th, 21st... of each kind of object (plan, chunks, movie,
    previews) answers a 500 InternalError, once per request (operation and path).
    Answered here, the 500 never reaches botocore's retry handler: the step sees it."""

    def __init__(self, preview_ids: list[str]):
        self.places = [("previews", f"/{storage.PREVIEW_PREFIX}{i}/") for i in preview_ids] + [
            ("scratch", storage.PLAYLIST_SCRATCH_PREFIX), ("chunks", storage.PLAYLIST_CHUNK_PREFIX),
            ("builds", storage.PLAYLIST_BUILD_PREFIX)]
        self.seen: set[tuple[str, str]] = set()
        self.counts: dict[str, int] = {}
        self.failed: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, model, params, **kwargs):
        path = params.get("url_path", "") + "?" + str(params.get("query_string", ""))
        place = next((name for name, part in self.places if part in path), None)
        if place is None or model.name not in OBJECT_OPERATIONS:
            return None
        with self.lock:
            if (model.name, path) in self.seen:
                return None
            self.seen.add((model.name, path))
            self.counts[place] = self.counts.get(place, 0) + 1
            if self.counts[place] % 10 != 1:
                return None
            self.failed.append((model.name, path))
        response = SimpleNamespace(status_code=500, headers={}, raw=None, text="", content=b"")
        return response, {"Error": {"Code": "InternalError", "Message": "We encountered an internal error."},
                          "ResponseMetadata": {"HTTPStatusCode": 500}}


@pytest.fixture
def s3_faults():
    """install(preview_ids) -> the hook, removed after the test."""
    events = aws.client("s3").meta.events
    installed = []

    def install(preview_ids):
        hook = OneInTenFailsOnce(preview_ids)
        events.register("before-call.s3", hook, unique_id="test-s3-faults")
        installed.append(hook)
        return hook

    yield install
    events.unregister("before-call.s3", unique_id="test-s3-faults")


def test_a_30_entry_build_succeeds_first_time_through_injected_s3_faults(api, production, new_playlist,
                                                                          wait_for_job, s3_faults, recorded_metrics,
                                                                          chunks_by_count):
    clip = sample_media.normalized_clip(CLIP_SECONDS, *sample_media.project_canvas(production.project))
    shots = [production.new_shot() for _ in range(ENTRIES)]
    # Ready previews stored directly (one normalized clip): this test is about the build,
    # and 30 runs of the preview pipeline would only slow it down.
    previews = [sample_media.add_ready_preview(production.task(shot), clip) for shot in shots]
    playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                   for s, p in zip(shots, previews, strict=True)])
    faults = s3_faults([p["id"] for p in previews])

    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/build/mp4")
    assert answer.status_code == 200, answer.text
    done = wait_for_job(playlist["id"], answer.json()["id"], timeout=300)

    assert done["status"] == "succeeded", done.get("failure_reason")
    chunks = math.ceil(ENTRIES / settings().build_chunk_size)
    assert (done["chunks_total"], done["chunks_done"]) == (chunks, chunks)
    # About one request in ten failed, in each step: the plan, the chunks and the join.
    failed_places = {path.split("/")[1] for _, path in faults.failed}
    assert {"playlists", "previews"} <= failed_places
    assert any(storage.PLAYLIST_BUILD_PREFIX in path for _, path in faults.failed)  # the join's upload
    assert len(faults.failed) >= 6 and len(faults.failed) * 12 >= len(faults.seen)
    # Each fault was retried by the state machine, not absorbed below it.
    history = aws.client("stepfunctions").get_execution_history(
        executionArn=builds.execution_arn(done["id"]), maxResults=1000)["events"]
    retried = [e for e in history if "RetryableBuildError" in json.dumps(e, default=str) and "Failed" in e["type"]]
    assert len(retried) >= 3
    assert not [e for e in history if e["type"] == "ExecutionFailed"]
    # ... and counted: one BuildTransientErrors per step attempt that a fault cut short.
    assert 3 <= sum(recorded_metrics("BuildTransientErrors")) <= len(faults.failed)

    movie = probe_movie(_download(done["id"]))
    assert movie.frame_count == ENTRIES * probe_movie(clip).frame_count


def _download(build_job_id: str) -> str:
    import tempfile

    path = tempfile.NamedTemporaryFile(suffix=".mp4", delete=False).name
    storage.download_file(storage.playlist_build_key(build_job_id), path)
    return path


def test_transient_aws_errors_are_told_from_lasting_ones():
    from botocore.exceptions import ClientError, EndpointConnectionError

    def client_error(code, status):
        return ClientError({"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
                           "PutObject")

    assert build_errors.is_transient(client_error("SlowDown", 503))
    assert build_errors.is_transient(client_error("InternalError", 500))
    assert build_errors.is_transient(client_error("ThrottlingException", 400))
    assert build_errors.is_transient(EndpointConnectionError(endpoint_url="http://s3"))
    assert not build_errors.is_transient(client_error("NoSuchKey", 404))
    assert not build_errors.is_transient(client_error("AccessDenied", 403))
    assert not build_errors.is_transient(ValueError("bad input"))
    # boto3's S3UploadFailedError is raised while handling the ClientError of the part.
    from boto3.exceptions import S3UploadFailedError

    try:
        try:
            raise client_error("SlowDown", 503)
        except ClientError as error:
            raise S3UploadFailedError(f"Failed to upload: {error}") from None
    except S3UploadFailedError as wrapped:
        assert build_errors.is_transient(wrapped)

    @build_errors.retryable_step(lambda event: f"Part {event['index'] + 1} of the movie")
    def step(event):
        raise client_error("SlowDown", 503)

    with pytest.raises(build_errors.RetryableBuildError, match=r"^Part 3 of the movie: SlowDown"):
        step({"index": 2})


def test_every_lambda_state_retries_transient_errors_with_jitter_before_its_catch():
    template = provision.load_template()
    definition = template["Resources"]["PlaylistMovieStateMachine"]["Properties"]["Definition"]

    def tasks(states):
        for name, state in states.items():
            if state["Type"] == "Task":
                yield name, state
            if state["Type"] == "Map":
                yield from tasks(state["ItemProcessor"]["States"])

    found = dict(tasks(definition["States"]))
    assert set(found) == {"PlanChunks", "BuildChunk", "JoinChunks", "MarkFailed"}
    for name, state in found.items():
        transient = next(r for r in state["Retry"] if "RetryableBuildError" in r["ErrorEquals"])
        assert {"Lambda.ServiceException", "Lambda.TooManyRequestsException"} <= set(transient["ErrorEquals"]), name
        assert transient["JitterStrategy"] == "FULL" and transient["MaxDelaySeconds"] >= 1, name
        assert transient["MaxAttempts"] >= 3 and transient["BackoffRate"] > 1, name
        assert any("States.Timeout" in r["ErrorEquals"] for r in state["Retry"]), name
