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
    """ISO 8601 (any offset; no offset means UTC) or Unix seconds, as an aware datetime:
    in UTC, or in its own offset when its UTC instant leaves years 1-9999
    (0001-01-01T00:00:00+05:00 is a valid time whose UTC date is in year 0)."""
    value = single(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise Unprocessable(f"{name} must be an ISO 8601 time or Unix seconds, got {value!r}")
    if isinstance(value, (int, float)) or (isinstance(value, str) and _UNIX.match(value.strip())):
        try:
            return datetime.datetime.fromtimestamp(float(value), tz=datetime.UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise Unprocessable(f"{name} is out of range (years 1 to 9999): {value!r}") from error
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
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            return parsed
    raise Unprocessable(f"{name} must be an ISO 8601 time (2017-01-01T00:00:00-00:00) or Unix seconds "
                        f"(1483228800), got {value!r}")


def stamp(moment: datetime.datetime) -> str:
    """Zype's timestamp shape, in UTC: 2015-10-22T14:56:53.896+00:00. Fixed width (the
    year has four digits, also before 1000), so stored UTC stamps sort as strings. A
    time whose UTC instant leaves years 1-9999 keeps its own offset."""
    try:
        moment = moment.astimezone(datetime.UTC)
    except OverflowError:
        pass
    offset = moment.utcoffset() or datetime.timedelta(0)
    sign, minutes = ("-", -offset) if offset < datetime.timedelta(0) else ("+", offset)
    hours, rest = divmod(int(minutes.total_seconds()) // 60, 60)
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
            f"{moment.second:02d}.{moment.microsecond // 1000:03d}{sign}{hours:02d}:{rest:02d}")


def now_stamp() -> str:
    return stamp(datetime.datetime.now(datetime.UTC))


def parse_stamp(value: str | None) -> datetime.datetime | None:
    """A stored stamp as an aware datetime; None for no stamp (or one that is not ISO,
    which older code could store: it then reads as unset rather than failing every filter)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


_EPOCH = datetime.datetime(1, 1, 1)
_MICROSECOND = datetime.timedelta(microseconds=1)
_DAY_MICROSECONDS = 86_400_000_000


def instant_key(moment: datetime.datetime) -> int:
    """The instant as microseconds from 0000-12-31T00:00Z: an integer that orders every
    aware time of years 1-9999 in any offset, even those whose UTC date is year 0 or 10000."""
    local = (moment.replace(tzinfo=None) - _EPOCH) // _MICROSECOND
    return local - (moment.utcoffset() or datetime.timedelta(0)) // _MICROSECOND + _DAY_MICROSECONDS


# --- arrays of hashes a grouped query string left unsplit (chalicelib.api.rails_params) ---

class Unsplit:
    """Values of `name[][key][]` from a grouped query string, in order, for `count`
    hashes; `part(i)` is what hash i holds until a reader splits them."""

    def __init__(self, values: list, count: int):
        self.values = values
        self.count = count

    def part(self, position: int) -> "UnsplitPart":
        return UnsplitPart(self, position)


class UnsplitPart:
    def __init__(self, whole: Unsplit, position: int):
        self.whole = whole
        self.position = position

    def __repr__(self) -> str:
        return f"<values {self.whole.values!r} not split between {self.whole.count} hashes>"



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


def split_unsplit(parts: list[UnsplitPart], accepts) -> list[list] | None:
    """The values of `parts` (the hashes of one array, in order) split into contiguous
    runs, run i accepted by `accepts(i, value)` and naming a value once: the gem writes
    each hash's values together. A split where every hash has a value is preferred; None when no split or
    more than one fits (the caller then refuses rather than guess)."""
    values = parts[0].whole.values
    for least in (1, 0):
        ways = _split_ways(values, len(parts), accepts, least)
        if ways[0][0] == 1:
            return _one_split(values, len(parts), accepts, least, ways)
        if ways[0][0] > 1:
            return None
    return None


def _split_ways(values: list, count: int, accepts, least: int) -> list[list[int]]:
    # ways[i][j]: how many splits (capped at 2) give values[j:] to hashes i..
    ways = [[0] * (len(values) + 1) for _ in range(count + 1)]
    ways[count][len(values)] = 1
    for i in range(count - 1, -1, -1):
        for j in range(len(values), -1, -1):
            ways[i][j] = min(sum(ways[i + 1][k] for k in _run_ends(values, i, j, accepts, least)), 2)
    return ways


def _run_ends(values: list, i: int, j: int, accepts, least: int) -> list[int]:
    # A hash names each value once, so a repeated value starts the next hash's run.
    ends, k, seen = [], j, set()
    while True:
        if k - j >= least:
            ends.append(k)
        if k == len(values) or not accepts(i, values[k]) or str(values[k]).casefold() in seen:
            return ends
        seen.add(str(values[k]).casefold())
        k += 1


def _one_split(values: list, count: int, accepts, least: int, ways) -> list[list]:
    runs, j = [], 0
    for i in range(count):
        k = next(end for end in _run_ends(values, i, j, accepts, least) if ways[i + 1][end])
        runs.append(values[j:k])
        j = k
    return runs
