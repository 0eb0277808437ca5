"""HTTP for the Zype-compatible publishing API: Zype's credentials (`api_key` /
`app_key`, or our bearer tokens), one Rails-style parameter tree merged from the query
string, form or multipart body and JSON body (Zype's clients use all of them, spec §2),
the `{"response": ...}` envelope and the `{"message": ...}` error shape.

It shares the dispatch of chalicelib.api.http; only the parts Zype does differently
are here."""
from dataclasses import dataclass
from urllib.parse import parse_qsl

from chalice import Response

from chalicelib import auth
from chalicelib.api.http import ApiRequest, json_response, register, serve
from chalicelib.api.rails_params import ParamTree
from chalicelib.auth import ZypeCaller
from chalicelib.errors import DomainError, Invalid
from chalicelib.services.zype.store import Listing


@dataclass
class ZypeRequest:
    raw: object
    caller: ZypeCaller | None
    params: dict


def read_params(request: ApiRequest) -> dict:
    """Query string, then body: a JSON body wins over the query string for the same key."""
    tree = ParamTree()
    tree.add_grouped(request.query())
    content_type = request.content_type
    if content_type == "multipart/form-data":
        for name, value in request.multipart_pairs():
            tree.add(name, value)
    elif content_type == "application/x-www-form-urlencoded":
        for name, value in parse_qsl(request.body_bytes.decode("utf-8", "replace"), keep_blank_values=True):
            tree.add(name, value)
    elif request.body_bytes.strip():
        tree.add_json(request.json_object())
    return tree.tree


def _credential(params: dict, headers, name: str, header: str) -> str | None:
    # Query or body parameter (Zype's docs, zype-python), or header (zype-gem).
    value = params.get(name) or headers.get(header)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{name} must be a string")
    return value


def zype_error(error: DomainError) -> Response:
    return json_response({"message": error.message}, error.status)


def zype_route(blueprint, path: str, methods=("GET",), public: bool = False, name: str | None = None):
    """Register `handler(request, **path_params)` with Zype's auth, parameters and errors."""
    def decorate(handler):
        def view(**path_params):
            chalice_request = blueprint.current_request

            def call():
                api_request = ApiRequest(chalice_request, None)
                params = read_params(api_request)
                caller = None
                if not public:
                    headers = chalice_request.headers
                    caller = auth.authenticate_zype(headers.get("authorization"),
                                                    _credential(params, headers, "api_key", "x-zype-key"),
                                                    _credential(params, headers, "app_key", "x-zype-app-key"))
                return handler(ZypeRequest(chalice_request, caller, params), **path_params)

            return serve(call, zype_error, path, chalice_request.method)

        register(blueprint, path, methods, name or handler.__name__, view)
        return handler

    return decorate


def one(record: dict, status: int = 200) -> Response:
    return json_response({"response": record}, status)


def many(listing: Listing) -> dict:
    return {"response": listing.items, "pagination": listing.pagination}
