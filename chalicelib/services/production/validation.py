"""Checks and converts request values against a collection's field kinds (pydantic)."""
import functools
import re
from typing import Any

from pydantic import StrictBool, StrictStr, TypeAdapter, ValidationError

from chalicelib.errors import Invalid
from chalicelib.ids import canonical_uuid
from chalicelib.services.production import collections as c

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


@functools.lru_cache(maxsize=None)
def _adapter(kind: str) -> TypeAdapter:
    return TypeAdapter({
        c.STR: StrictStr, c.TEXT: StrictStr, c.INT: int, c.FLOAT: float, c.BOOL: StrictBool,
        c.DICT: dict[str, Any], c.LIST: list[Any], c.UUIDS: list[StrictStr], c.NUMSTR: StrictStr | int | float,
        c.UUID: StrictStr, c.DATE: StrictStr,
    }[kind])


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
    if creating:
        missing = [key for key in collection.required if cleaned.get(key) in (None, "")]
        if missing:
            raise Invalid(f"Missing required field(s): {', '.join(missing)}")
    elif any(key in collection.required and cleaned[key] in (None, "") for key in cleaned):
        raise Invalid("A required field cannot be emptied")
    return cleaned


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
