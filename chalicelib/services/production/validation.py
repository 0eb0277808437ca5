"""Checks and converts request values against a collection's field kinds (pydantic)."""
import functools
import json
import re
from typing import Any

from pydantic import StrictBool, StrictStr, TypeAdapter, ValidationError

from chalicelib.errors import Invalid, TooLarge
from chalicelib.ids import canonical_uuid
from chalicelib.services.production import collections as c

# Bounds on what a request may hold, checked before the text is parsed. Nesting beyond
# MAX_JSON_DEPTH would exhaust Python's recursion (json.loads, then every serializer).
MAX_JSON_BYTES = 2 * 1024 * 1024
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKETS = re.compile(r"[\[\]{}]")

# Zou's column sizes: Project.name and Playlist.name String(80), entity and most other names String(160),
# paths String(400); Text columns are unbounded in Zou, here bounded so that a record
# stays far below DynamoDB's 400 KB item (models.records refuses the rest).
NAME_LENGTHS = {"projects": 80, "playlists": 80}
MAX_NAME_LENGTH = 160
MAX_STR_LENGTH = 400
MAX_TEXT_LENGTH = 100_000
MAX_LIST_ITEMS = 1_000
INT_RANGE = (-(2 ** 31), 2 ** 31 - 1)  # Zou's Integer columns
# Counts, sizes and positions: never below 0.
NON_NEGATIVE = {"nb_frames", "frame_count", "nb_entities_out", "man_days", "nb_episodes", "episode_span",
                "max_retakes", "revision_padding", "retake_count", "size", "revision", "position",
                "nb_drawings", "nb_assets_ready", "duration", "estimation", "number", "completion_rate"}
MAX_FPS = 120
RESOLUTION_SIDES = (16, 8192)
_RESOLUTION = re.compile(r"^(\d{1,5})x(\d{1,5})$")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


@functools.lru_cache(maxsize=None)
def _adapter(kind: str) -> TypeAdapter:
    return TypeAdapter({
        c.STR: StrictStr, c.TEXT: StrictStr, c.INT: int, c.FLOAT: float, c.BOOL: StrictBool,
        c.DICT: dict[str, Any], c.LIST: list[Any], c.UUIDS: list[StrictStr], c.NUMSTR: StrictStr | int | float,
        c.UUID: StrictStr, c.DATE: StrictStr,
    }[kind])


def load_json(raw: bytes | str, what: str = "The body"):
    """JSON text as Python values, or Invalid (TooLarge above MAX_JSON_BYTES): bounded
    size and nesting, valid Unicode (no lone surrogates), no NaN or Infinity, which
    DynamoDB would store and JSON answers could not carry."""
    if len(raw) > MAX_JSON_BYTES:
        raise TooLarge(f"{what} is over {MAX_JSON_BYTES} bytes")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Invalid(f"{what} is not valid UTF-8: {error}") from error
    _check_depth(raw, what)
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except ValueError as error:  # also a number of more than 4,300 digits
        raise Invalid(f"{what} is not valid JSON: {error}") from error
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise Invalid(f"{what} holds invalid Unicode (a lone surrogate \\u{ord(error.object[error.start]):04x})") \
            from error
    return value


def _refuse_constant(constant: str):
    raise ValueError(f"{constant} is not a JSON number")


def _check_depth(text: str, what: str) -> None:
    depth = 0
    for bracket in _JSON_BRACKETS.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise Invalid(f"{what} nests deeper than {MAX_JSON_DEPTH} levels")


def check_value(name: str, kind: str, value):
    """The stored form of `value`, or Invalid naming the field."""
    if value is None:
        return None
    try:
        checked = _adapter(kind).validate_python(value)
    except ValidationError as error:
        raise Invalid(f"Field '{name}' is invalid: {error.errors()[0]['msg']}",
                      {"errors": [{"field": name, "message": error.errors()[0]["msg"]}]}) from error
    if kind == c.INT and isinstance(value, bool):
        raise Invalid(f"Field '{name}' must be an integer")
    if kind == c.UUID:
        return _uuid(name, checked)
    if kind == c.UUIDS:
        return [_uuid(name, item) for item in checked]
    if kind == c.NUMSTR:
        return _numstr(name, checked)
    if kind == c.DATE and not _DATE.match(checked):
        raise Invalid(f"Field '{name}' must be an ISO 8601 date, got {checked!r}")
    return checked


def _uuid(name: str, value: str) -> str:
    record_id = canonical_uuid(value)
    if record_id is None:
        raise Invalid(f"Field '{name}' must be a UUID, got {value!r}")
    return record_id


def _numstr(name: str, value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise Invalid(f"Field '{name}' must be a number, got {value!r}") from error
    if number <= 0:
        raise Invalid(f"Field '{name}' must be positive")
    return str(int(number)) if number == int(number) else str(number)


def clean_body(collection: c.Collection, body: dict, creating: bool) -> dict:
    """Writable fields of `body`, checked. Read-only and computed fields are ignored
    (gazu PUTs back whole dicts), and so are fixed fields on update; on create an
    unknown field is refused, on update it is ignored, as Zou does."""
    if not isinstance(body, dict):
        raise Invalid("The body must be a JSON object")
    ignored = set(c.READ_ONLY) | set(collection.server_set)
    unknown = [key for key in body if key not in collection.fields and key not in ignored]
    if unknown and creating:
        raise Invalid(f"Unknown field(s) for {collection.route}: {', '.join(sorted(unknown))}")
    frozen = () if creating else collection.fixed
    cleaned = {key: check_value(key, collection.fields[key], value)
               for key, value in body.items() if key in collection.fields and key not in frozen}
    for key, value in cleaned.items():
        check_bounds(collection.route, key, collection.fields[key], value)
    if creating:
        missing = [key for key in collection.required if cleaned.get(key) in (None, "")]
        if missing:
            raise Invalid(f"Missing required field(s): {', '.join(missing)}")
    elif any(key in collection.required and cleaned[key] in (None, "") for key in cleaned):
        raise Invalid("A required field cannot be emptied")
    return cleaned


def check_bounds(route: str, name: str, kind: str, value) -> None:
    """Invalid naming the field when a checked value is outside what the field means."""
    if value is None:
        return
    if kind in (c.STR, c.TEXT, c.DATE, c.UUID):
        # Paths are kept whole (reelbase finds files by paths longer than Zou's String(400)).
        limit = (MAX_TEXT_LENGTH if kind == c.TEXT or name == "path" or name.endswith("_path") else
                 NAME_LENGTHS.get(route, MAX_NAME_LENGTH) if name == "name" else MAX_STR_LENGTH)
        if len(value) > limit:
            _out_of_bounds(name, f"at most {limit} characters")
        if "\x00" in value:
            _out_of_bounds(name, "no NUL character")
    elif kind in (c.LIST, c.UUIDS) and len(value) > MAX_LIST_ITEMS:
        _out_of_bounds(name, f"at most {MAX_LIST_ITEMS} items")
    elif kind in (c.INT, c.FLOAT) and not isinstance(value, bool):
        low = 0 if name in NON_NEGATIVE else INT_RANGE[0]
        if not low <= value <= INT_RANGE[1]:
            _out_of_bounds(name, f"between {low} and {INT_RANGE[1]}")
    if route == "projects" and name == "fps" and not 1 <= float(value) <= MAX_FPS:
        _out_of_bounds(name, f"between 1 and {MAX_FPS} frames per second")
    if route == "projects" and name == "resolution":
        match = _RESOLUTION.match(value)
        low, high = RESOLUTION_SIDES
        if not match or not all(low <= int(side) <= high for side in match.groups()):
            _out_of_bounds(name, f"WIDTHxHEIGHT (like 1920x1080), each side {low} to {high} pixels")


def _out_of_bounds(name: str, what: str):
    message = f"Field '{name}' must be {what}"
    raise Invalid(message, {"errors": [{"field": name, "message": message}]})


_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


def parse_filter(collection: c.Collection, name: str, raw: str):
    """A query-string value converted to the field's type (gazu sends True/False)."""
    kind = collection.fields.get(name, c.UUID if name == "id" else c.STR)
    if raw in ("None", "null"):
        return None
    if kind == c.BOOL:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise Invalid(f"Filter '{name}' must be true or false, got {raw!r}")
    if kind in (c.INT, c.FLOAT):
        try:
            return int(raw) if kind == c.INT else float(raw)
        except ValueError as error:
            raise Invalid(f"Filter '{name}' must be a number, got {raw!r}") from error
    if kind == c.UUID:
        return _uuid(name, raw)
    if kind in (c.UUIDS, c.DICT, c.LIST):
        raise Invalid(f"Filter '{name}' cannot be used as an equality filter")
    return raw
