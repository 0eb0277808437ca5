"""Zou's /auth routes and the API root that gazu probes."""
from chalice import Blueprint, Response

from chalicelib.api.http import route
from chalicelib.config import VERSION
from chalicelib.services.production import accounts

blueprint = Blueprint(__name__)


@route(blueprint, "/", public=True)
def api_root(request):
    return {"api": "reelbase", "version": VERSION}


@blueprint.route("/", methods=["HEAD"], name="api_root_head")
def api_root_head():
    # gazu's host_is_up() sends HEAD {host} and wants exactly 200.
    return Response(body="", status_code=200)


@route(blueprint, "/auth/login", methods=("POST",), public=True)
def log_in(request):
    return accounts.log_in(request.json_object())


@route(blueprint, "/auth/authenticated")
def authenticated(request):
    return accounts.authenticated(request.caller)


@route(blueprint, "/auth/refresh-token", token_type="refresh")
def refresh_token(request):
    return accounts.refresh(request.caller.id)


@route(blueprint, "/auth/logout", public=True)
def log_out(request):
    # Tokens are stateless and short-lived; logging out is the client forgetting them.
    return {"logout": True}
