"""reelbase: Zou-compatible review API and Zype-style publishing API on Chalice.

Only wiring lives here: blueprints under /api (gazu's host), event handlers, and the
Lambda functions Step Functions runs."""
from chalice import Chalice

from chalicelib import models
from chalicelib.api import auth_routes, data_routes, playlist_routes
from chalicelib.services import build_pipeline

app = Chalice(app_name="reelbase")
# Downloads redirect to S3, but small binary bodies (multipart uploads, PNG frames)
# still cross API Gateway and must not be mangled into text.
app.api.binary_types.extend(["multipart/form-data", "video/mp4", "image/png", "application/zip"])

models.configure()

app.register_blueprint(auth_routes.blueprint, url_prefix="/api")
app.register_blueprint(data_routes.blueprint, url_prefix="/api")
app.register_blueprint(playlist_routes.blueprint, url_prefix="/api")


# --- the playlist movie build's states (infra/resources.yaml: PlaylistMovieStateMachine) ---

@app.lambda_function(name="plan_build")
def plan_build(event, context):
    return build_pipeline.plan(event)


@app.lambda_function(name="build_chunk")
def build_chunk(event, context):
    return build_pipeline.build_chunk(event)


@app.lambda_function(name="join_build")
def join_build(event, context):
    return build_pipeline.join(event)


@app.lambda_function(name="fail_build")
def fail_build(event, context):
    return build_pipeline.fail(event)
