"""Zou's /auth routes and the API root that gazu probes."""
from chalice import Blueprint, Response

from chalicelib.api.http import json_response, route
from chalicelib.config import VERSION
from chalicelib.errors import TooManyRequests
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
    try:
        return accounts.log_in(request.json_object())
    except TooManyRequests as error:
        # gazu raises nothing on a 429 and takes its body for the tokens: `login: false`
        # makes it raise AuthFailedException instead of going on with no token.
        return json_response({"login": False, "message": error.message, "error": True}, error.status,
                             {"Retry-After": str(error.retry_after)})


@route(blueprint, "/auth/authenticated")
def authenticated(request):
    return accounts.authenticated(request.caller)


@route(blueprint, "/auth/refresh-token", token_type="refresh")
def refresh_token(request):
    return accounts.refresh(request.headers.get("authorization"))


@route(blueprint, "/auth/logout", public=True)
def log_out(request):
    # Public: gazu logs out with whatever token it holds, an expired one included.
    return accounts.log_out(request.headers.get("authorization"))


@route(blueprint, "/auth/change-password", methods=("POST",))
def change_password(request):
    return accounts.change_password(request.caller, request.json_object())
