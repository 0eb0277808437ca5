"""reelbase: Zou-compatible review API and Zype-style publishing API on Chalice.

Only wiring lives here: blueprints under /api (gazu's host) and at the root (Zype's), and event handlers."""
from chalice import Chalice

from chalicelib import models
from chalicelib.api import auth_routes, data_routes, zype_routes

app = Chalice(app_name="reelbase")
# Downloads redirect to S3, but small binary bodies (multipart uploads, PNG frames)
# still cross API Gateway and must not be mangled into text.
app.api.binary_types.extend(["multipart/form-data", "video/mp4", "image/png", "application/zip"])

models.configure()

app.register_blueprint(auth_routes.blueprint, url_prefix="/api")
app.register_blueprint(data_routes.blueprint, url_prefix="/api")
app.register_blueprint(zype_routes.keys_blueprint, url_prefix="/api")
# Zype's API lives at the root, where Zype's clients expect /playlists, /videos, ...
app.register_blueprint(zype_routes.blueprint)
