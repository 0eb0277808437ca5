"""reelbase: Zou-compatible review API and Zype-style publishing API on Chalice.

Only wiring lives here: blueprints under /api (gazu's host) and at the root (Zype's),
event handlers, and the Lambda functions Step Functions runs."""
from chalice import Chalice, ConvertToMiddleware, Rate

from chalicelib import models, observability
from chalicelib.api import (
    auth_routes,
    gateway_errors,
    data_routes,
    files_routes,
    media_routes,
    openapi,
    playlist_routes,
    preview_routes,
    share_routes,
    zype_routes,
)
from chalicelib.config import settings
from chalicelib.services.playlists import build_pipeline, zips
from chalicelib.services.playlists.build_errors import retryable_step
from chalicelib.services.previews import pipeline, segments, sweep

# Chalice's own log is the logger named after the app, which is also Powertools' logger
# (service "reelbase"): Chalice must not give it a plain-text handler and the ERROR level.
app = Chalice(app_name="reelbase", configure_logs=False)
# Downloads redirect to S3, but small binary bodies (multipart uploads, PNG frames)
# still cross API Gateway and must not be mangled into text.
app.api.binary_types.extend(["multipart/form-data", "video/mp4", "image/png", "application/zip"])

models.configure()
# Chalice's own 405/415 answers in Zou's error shape under /api, Zype's at the root.
app.register_middleware(gateway_errors.chalice_errors, "http")

# Every entry point logs with its Lambda context and a correlation id, and flushes its
# metrics when it ends (chalicelib/observability.py). API requests are correlated by
# API Gateway's request id, build steps by their Step Functions execution; SQS batches
# set one per message (previews.pipeline.process_batch).
app.register_middleware(ConvertToMiddleware(observability.invocation(observability.API_REQUEST_ID)), "http")
app.register_middleware(observability.count_server_errors, "http")
app.register_middleware(ConvertToMiddleware(observability.invocation()), "sqs")
app.register_middleware(ConvertToMiddleware(observability.invocation()), "scheduled")
app.register_middleware(ConvertToMiddleware(observability.invocation(observability.EXECUTION_NAME)), "pure_lambda")

app.register_blueprint(auth_routes.blueprint, url_prefix="/api")
app.register_blueprint(data_routes.blueprint, url_prefix="/api")
app.register_blueprint(files_routes.blueprint, url_prefix="/api")
app.register_blueprint(preview_routes.blueprint, url_prefix="/api")
app.register_blueprint(playlist_routes.blueprint, url_prefix="/api")
# Share links and their guests (Zou's), and the review page a client opens from the email.
app.register_blueprint(share_routes.blueprint, url_prefix="/api")
app.register_blueprint(share_routes.review_blueprint)
app.register_blueprint(media_routes.make_blueprint(), url_prefix="/api")
# Kitsu's reverse proxy strips /api, so tools that talk to Zou directly use /pictures and /movies.
app.register_blueprint(media_routes.make_blueprint(), name_prefix="root_")
app.register_blueprint(zype_routes.keys_blueprint, url_prefix="/api")
# Zype's API lives at the root, where Zype's clients expect /playlists, /videos, ...
app.register_blueprint(zype_routes.blueprint)
# The OpenAPI document of every route above, public, at both hosts' roots.
app.register_blueprint(openapi.make_blueprint(), url_prefix="/api")
app.register_blueprint(openapi.make_blueprint(), name_prefix="root_")


# Preview workers (chalicelib.services.previews.pipeline): S3 ObjectCreated -> SQS -> here.
# Queue names are per stage, so they are read from the stage's settings when the app is
# loaded (Chalice needs them to package the event source mappings).

@app.on_sqs_message(queue=settings().preview_normalize_queue, batch_size=1, name="normalize_preview")
def normalize_preview(event):
    # One movie per invocation: its encode gets the whole 15 minutes.
    return pipeline.process_batch(event.to_dict(), event.context, pipeline.normalize_object)


@app.on_sqs_message(queue=settings().preview_images_queue, batch_size=4, name="preview_images")
def preview_images(event):
    # Thumbnails and tiles are light: a burst (a batch comment of pictures) shares invocations,
    # and a failed message is reported alone (ReportBatchItemFailures).
    return pipeline.process_batch(event.to_dict(), event.context, pipeline.images_object)


# Long masters, normalized in segments by parallel Lambdas (infra/resources.yaml:
# PreviewSegmentsStateMachine; chalicelib.services.previews.segments).

@app.lambda_function(name="encode_preview_segment")
@retryable_step(lambda event: f"Segment {event['index'] + 1} of the movie")
def encode_preview_segment(event, context):
    return segments.encode_segment(event)


@app.lambda_function(name="stitch_preview_segments")
@retryable_step(lambda event: "Stitching the segments of the movie")
def stitch_preview_segments(event, context):
    return segments.stitch(event)


@app.lambda_function(name="fail_preview_segments")
@retryable_step(lambda event: "Recording the failure")
def fail_preview_segments(event, context):
    return segments.fail(event)


# No preview left in `processing` (chalicelib.services.previews.sweep): EventBridge runs it,
# the local stack runs it on a timer (devstack/workers.py).

@app.schedule(Rate(5, unit=Rate.MINUTES), name="sweep_previews")
def sweep_previews(event):
    return sweep.sweep()


# --- the playlist movie build's states (infra/resources.yaml: PlaylistMovieStateMachine) ---

# A transient AWS failure leaves each as RetryableBuildError, which the state machine
# retries (build_errors); the text says which step, part or entry it was.

@app.lambda_function(name="plan_build")
@retryable_step(lambda event: "Planning the movie")
def plan_build(event, context):
    return build_pipeline.plan(event)


@app.lambda_function(name="build_chunk")
@retryable_step(lambda event: f"Part {event['index'] + 1} of the movie")
def build_chunk(event, context):
    return build_pipeline.build_chunk(event)


@app.lambda_function(name="join_build")
@retryable_step(lambda event: "Joining the parts of the movie")
def join_build(event, context):
    return build_pipeline.join(event)


@app.lambda_function(name="fail_build")
@retryable_step(lambda event: "Recording the failure")
def fail_build(event, context):
    return build_pipeline.fail(event)


# --- playlist ZIPs, made outside the request (infra/resources.yaml: PlaylistZipStateMachine) ---

@app.lambda_function(name="make_zip")
@retryable_step(lambda event: "Making the ZIP")
def make_zip(event, context):
    return zips.make_zip(event)
