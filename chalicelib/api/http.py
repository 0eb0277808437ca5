"""The one place where HTTP meets the services: authentication, path-id validation,
JSON parsing, and domain exceptions turned into Zou-shaped JSON errors."""
import json
from dataclasses import dataclass, field

from chalice import Response

from chalicelib import auth
from chalicelib.api.gateway_errors import BIG_FILES_HINT
from chalicelib.config import settings
from chalicelib.errors import DomainError, InternalError, Invalid, TooLarge
from chalicelib.ids import canonical_uuid
from chalicelib.observability import logger
from chalicelib.services.previews.links import Processing
from chalicelib.services.production.validation import load_json

# Bodies the routes accept; Chalice answers 415 for any other Content-Type.
BODY_TYPES = [
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
]


def require_uuid(value, name: str = "id") -> str:
    record_id = canonical_uuid(value)
    if record_id is None:
        raise Invalid(f"{name} must be a UUID, got {value!r}")
    return record_id


@dataclass
class ApiRequest:
    """What a handler needs of the request: the caller, parameters and body."""
    raw: object
    caller: auth.Caller | None
    _json: object = field(default=None, init=False)
    _json_read: bool = field(default=False, init=False)

    @property
    def headers(self):
        return self.raw.headers

    @property
    def method(self) -> str:
        return self.raw.method

    @property
    def body_bytes(self) -> bytes:
        return self.raw.raw_body or b""

    def query(self) -> dict[str, list[str]]:
        params = self.raw.query_params
        if not params:
            return {}
        return {key: params.getlist(key) for key in params.keys()}

    def arg(self, name: str, default=None):
        values = self.query().get(name)
        return values[-1] if values else default

    def json(self, default=None):
        """The JSON body (an empty body gives `default`, or {})."""
        if not self._json_read:
            raw = self.body_bytes
            if not raw.strip():
                self._json = {} if default is None else default
            else:
                self._json = load_json(raw)
            self._json_read = True
        return self._json

    def json_object(self) -> dict:
        body = self.json()
        if not isinstance(body, dict):
            raise Invalid("The body must be a JSON object")
        return body

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()

    def multipart(self):
        from chalicelib.api.multipart import parse_multipart

        self._check_upload_size()
        return parse_multipart(self.headers.get("content-type") or "", self.body_bytes)

    def multipart_pairs(self):
        """Every part in order, repeated names kept."""
        from chalicelib.api.multipart import parse_multipart_pairs

        self._check_upload_size()
        return parse_multipart_pairs(self.headers.get("content-type") or "", self.body_bytes)

    def _check_upload_size(self) -> None:
        limit = settings().max_api_upload_bytes
        if len(self.body_bytes) > limit + 64 * 1024:
            raise TooLarge(f"Uploads through the API are limited to {limit} bytes. {BIG_FILES_HINT}")


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body=json.dumps(body, default=str), status_code=status,
                    headers={"Content-Type": "application/json", **(headers or {})})


def created(body) -> Response:
    return json_response(body, 201)


def no_content() -> Response:
    return Response(body="", status_code=204)


def redirect(url: str) -> Response:
    return Response(body="", status_code=302, headers={"Location": url, "Cache-Control": "no-store"})


def still_processing(message: str, retry_after: int = 3) -> Response:
    # gazu retries a 202 with Retry-After silently for up to a minute.
    return json_response({"message": message, "status": "processing"}, 202, {"Retry-After": str(retry_after)})


def link(result) -> Response:
    """What a picture or movie service answered: a presigned S3 link (302), or "still
    processing" (202 with Retry-After, on which gazu waits and asks again)."""
    if isinstance(result, Processing):
        return still_processing(result.message, result.retry_after)
    return redirect(result.url)


def error_response(error: DomainError) -> Response:
    body = {"message": error.message, "error": True}
    if error.data:
        body["data"] = error.data
    # gazu raises nothing on a 409 and hands the error back as if it were the record:
    # a conflict ("busy, try again") answers 400 so that a script stops (ParameterException).
    status = 400 if error.status == 409 else error.status
    retry_after = getattr(error, "retry_after", None)
    return json_response(body, status, {"Retry-After": str(retry_after)} if retry_after else None)


def validate_path_ids(path_params: dict, free_params: tuple = ()) -> dict:
    """Path parameters named `id` or `*_id` as canonical UUIDs (Invalid otherwise),
    except those in `free_params`, which the handler checks itself."""
    for key, value in path_params.items():
        if (key == "id" or key.endswith("_id")) and key not in free_params:
            path_params[key] = require_uuid(value, key)
    return path_params


def serve(call, render_error, path: str, method: str) -> Response:
    """Run `call()` and turn its result into a response: domain errors through
    `render_error`, anything unexpected logged and answered as a 500 in the same shape."""
    try:
        result = call()
    except DomainError as error:
        return render_error(error)
    except Exception:
        logger.exception("unhandled error", extra={"path": path, "method": method})
        return render_error(InternalError("Internal server error."))
    if isinstance(result, Response):
        return result
    return json_response(result)


def register(blueprint, path: str, methods, name: str, view) -> None:
    view.__name__ = name
    blueprint.route(path, methods=list(methods), content_types=BODY_TYPES, name=name)(view)


def route(blueprint, path: str, methods=("GET",), public: bool = False, token_type: str = "access",
          name: str | None = None, free_params: tuple = ()):
    """Register `handler(request, **path_params)` on `blueprint` with auth and error
    handling. Path parameters named `id` or `*_id` must be UUIDs (400 otherwise), except
    those in `free_params`, which the handler checks itself (Zou's episode `main`/`all`)."""
    def decorate(handler):
        def view(**path_params):
            chalice_request = blueprint.current_request

            def call():
                validate_path_ids(path_params, free_params)
                caller = None
                if not public:
                    caller = auth.authenticate(chalice_request.headers.get("authorization"), token_type)
                return handler(ApiRequest(chalice_request, caller), **path_params)

            return serve(call, error_response, path, chalice_request.method)

        register(blueprint, path, methods, name or handler.__name__, view)
        return handler

    return decorate
