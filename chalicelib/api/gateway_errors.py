"""Errors answered before a handler runs (an unknown route, a method or media type the
route does not take, a body too large) in the shape each client family reads: Zou's
`{"error": true, "message"}` under /api (gazu maps its statuses to exceptions), Zype's
`{"message"}` at the root. Chalice's own answers (`{"Code", "Message"}`) are rewritten
by `chalice_errors`; in the cloud, API Gateway's by the GatewayResponses of
infra/resources.yaml, which carry the same messages."""
import json

from chalice import Response

# Zou's routes: /api, and the media routes Kitsu's reverse proxy serves without it.
ZOU_PREFIXES = ("/api/", "/pictures/", "/movies/")

# Werkzeug's texts, as Zou (Flask) answers them.
NOT_FOUND = ("404 Not Found: The requested URL was not found on the server. "
             "If you entered the URL manually please check your spelling and try again.")
METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL."
UNSUPPORTED_MEDIA_TYPE = ("415 Unsupported Media Type: The server does not support the media type "
                          "transmitted in the request.")
# Werkzeug's 413 text, and how to send what is too big for the API (gazu raises
# TooBigFileException with a text of its own; a script's author reads this one in the logs).
BIG_FILES_HINT = ("Upload big files straight to storage: from gazu scripts, pip install clients/python "
                  "(the reelbase-gazu package of the reelbase repository) and call reelbase_gazu.install() "
                  "after import gazu; other clients POST .../upload-url for presigned upload URLs.")
TOO_LARGE = ("413 Request Entity Too Large: The data value transmitted exceeds the capacity limit. "
             + BIG_FILES_HINT)


def is_zou_path(path: str) -> bool:
    path = (path or "/").split("?")[0]
    return path == "/api" or path.startswith(ZOU_PREFIXES)


def error_body(path: str, message: str) -> dict:
    return {"error": True, "message": message} if is_zou_path(path) else {"message": message}


def not_found(path: str) -> tuple[int, dict, bytes]:
    """Status, headers and body for a path no route serves."""
    return 404, {"Content-Type": "application/json"}, json.dumps(error_body(path, NOT_FOUND)).encode()


def chalice_errors(request, get_response):
    """HTTP middleware: Chalice's 405, 415 and other pre-handler errors in the caller's shape."""
    response = get_response(request)
    body = response.body
    if isinstance(body, dict) and "Code" in body and "Message" in body:
        path = getattr(request, "path", "") or ""
        message = {405: METHOD_NOT_ALLOWED, 415: UNSUPPORTED_MEDIA_TYPE,
                   413: TOO_LARGE}.get(response.status_code, body["Message"])
        response = Response(body=json.dumps(error_body(path, message)), status_code=response.status_code,
                            headers={**(response.headers or {}), "Content-Type": "application/json"})
    return response
