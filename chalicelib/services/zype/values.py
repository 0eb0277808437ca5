"""Reading Zype parameter values. They arrive as strings from query strings and forms
and as typed values from JSON, so every reader accepts both. An empty string means
"not sent" (Zype's own clients fill every slot of their URL templates, §0.7 of the
spec); a malformed non-empty value is a 422 naming the parameter, never a 500."""
import datetime
import math
import os
import re
import time
from decimal import Decimal, InvalidOperation

from chalicelib.errors import Invalid, Unprocessable

_TRUE = {"true", "1", "t", "yes", "y", "on"}
_FALSE = {"false", "0", "f", "no", "n", "off"}
_UNIX = re.compile(r"^-?\d+(\.\d+)?$")
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_WORD = re.compile(r"[^\W_]+")


class Missing:
    """Marks a parameter that was not sent (as opposed to sent as null)."""


MISSING = Missing()


def is_blank(value) -> bool:
    return value is MISSING or value is None or (isinstance(value, str) and not value.strip())


def single(value):
    """A name sent twice (`page=1&page=2`) counts once, the last time, as Rack reads it."""
    if isinstance(value, list) and value and all(isinstance(item, (str, int, float, bool)) for item in value):
        return value[-1]
    return value


def save_error(model: str, attribute: str, detail: str = "") -> Unprocessable:
    """Rails' wording, which Zype answers with: `Could not save playlist: Categories is invalid`."""
    label = attribute.replace("_", " ").capitalize()
    return Unprocessable(f"Could not save {model}: {label} is invalid{f' ({detail})' if detail else ''}")


# --- scalars ---------------------------------------------------------------------

def boolean(value, name: str) -> bool | None:
    value = single(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise Unprocessable(f"{name} must be true or false, got {value!r}")


def integer(value, name: str) -> int | None:
    value = single(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise Unprocessable(f"{name} must be an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise Unprocessable(f"{name} must be an integer, got {value!r}")


def text(value, name: str) -> str | None:
    value = single(value)
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Unprocessable(f"{name} must be a string, got {type(value).__name__}")
    return str(value)


def price(value, name: str) -> str | None:
    """A price as Zype answers it: a decimal string ("4.99", "5.0"), from a string or a number."""
    value = single(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise Unprocessable(f"{name} must be a price such as \"4.99\", got {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise Unprocessable(f"{name} must be a price such as \"4.99\", got {value!r}") from error
    if not amount.is_finite() or amount < 0:
        raise Unprocessable(f"{name} must be a price of zero or more, got {value!r}")
    text_form = format(amount.normalize(), "f")
    return text_form if "." in text_form else f"{text_form}.0"


def instant(value, name: str) -> datetime.datetime | None:
    """ISO 8601 (any offset; no offset means UTC) or Unix seconds, as an aware UTC datetime."""
    value = single(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise Unprocessable(f"{name} must be an ISO 8601 time or Unix seconds, got {value!r}")
    if isinstance(value, (int, float)) or (isinstance(value, str) and _UNIX.match(value.strip())):
        try:
            return datetime.datetime.fromtimestamp(float(value), tz=datetime.UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise Unprocessable(f"{name} is out of range: {value!r}") from error
    if not isinstance(value, str):
        raise Unprocessable(f"{name} must be an ISO 8601 time or Unix seconds, got {value!r}")
    raw = value.strip()
    # An unencoded '+' in a query string arrives as a space: 2017-01-01T00:00:00 00:00.
    candidates = [raw, re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw)]
    for candidate in candidates:
        try:
            parsed = datetime.datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed.astimezone(datetime.UTC)
    raise Unprocessable(f"{name} must be an ISO 8601 time (2017-01-01T00:00:00-00:00) or Unix seconds "
                        f"(1483228800), got {value!r}")


def stamp(moment: datetime.datetime) -> str:
    """Zype's timestamp shape, in UTC: 2015-10-22T14:56:53.896+00:00. Fixed width, so
    stored stamps also sort as strings."""
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


def now_stamp() -> str:
    return stamp(datetime.datetime.now(datetime.UTC))


def parse_stamp(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


# --- collections --------------------------------------------------------------------

def string_list(value, name: str) -> list[str] | None:
    """A list of strings: a JSON array, repeated `name[]=`, or one comma-separated value."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, dict) and all(str(k).isdigit() for k in value):
        value = [value[k] for k in sorted(value, key=int)]
    if not isinstance(value, list):
        raise Unprocessable(f"{name} must be a list of strings")
    items = []
    for item in value:
        if isinstance(item, str):
            items += [part.strip() for part in item.split(",") if part.strip()]
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            items.append(str(item))
        else:
            raise Unprocessable(f"{name} must be a list of strings")
    return items


def indexed_items(value, name: str) -> list[tuple[int | None, dict]]:
    """Arrays of objects updated by index (`images_attributes[0][title]`): a JSON list
    (position = index), a hash keyed by index strings, or `name[][k]` hashes."""
    if value is MISSING or value is None:
        return []
    if isinstance(value, list):
        pairs = list(enumerate(value))
    elif isinstance(value, dict) and all(str(k).strip().isdigit() for k in value):
        pairs = sorted(((int(k), v) for k, v in value.items()), key=lambda pair: pair[0])
    elif isinstance(value, dict):
        pairs = [(None, value)]
    else:
        raise Unprocessable(f"{name} must be a list of objects")
    for _, item in pairs:
        if not isinstance(item, dict):
            raise Unprocessable(f"{name} must be a list of objects")
    return pairs


def object_list(value, name: str) -> list[dict] | None:
    """A list of objects whose positions carry no meaning (categories, sort_options)."""
    if value is MISSING or value is None:
        return None
    if value == "" or value == [""]:
        return []  # `playlist[sort_options][]=` clears
    return [item for _, item in indexed_items(value, name)]


# --- ids and words -------------------------------------------------------------------

def new_object_id() -> str:
    """A 24-hex id shaped like Zype's Mongo ObjectIds: 4 bytes of time, then 8 random."""
    return f"{int(time.time()):08x}{os.urandom(8).hex()}"


def is_object_id(value) -> bool:
    return isinstance(value, str) and bool(_OBJECT_ID.match(value))


def words(value) -> list[str]:
    return _WORD.findall(str(value or "").casefold())


def keywords_of(title: str | None) -> list[str]:
    """Zype's `_keywords`: the title's words, lowercased, unique, sorted."""
    return sorted(set(words(title)))


def ceil_div(total: int, size: int) -> int:
    return math.ceil(total / size) if size else 0


def resource_params(params: dict, name: str) -> dict:
    """The `{"playlist": {...}}` / `playlist[...]` part of a write; Rails' strong
    parameters refuse a write without it, and so do we (rather than saving nothing)."""
    fields = params.get(name)
    if not isinstance(fields, dict) or not fields:
        raise Invalid(f"param is missing or the value is empty: {name}")
    return fields
