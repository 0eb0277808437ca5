"""Orders: a playlist's smart ordering (`sort_options`), encoded into the sort key of
its entries so that DynamoDB keeps the order as videos come and change; and the
explicit `sort` / `order` parameters of list requests, applied in memory."""
from dataclasses import dataclass

from chalicelib.errors import Unprocessable
from chalicelib.services.zype.values import (
    MISSING,
    instant_key,
    is_blank,
    object_list,
    parse_stamp,
    save_error,
    single,
)

MAX_LEVELS = 2
DIRECTIONS = ("asc", "desc")
# `order` on list requests: Roku's template sends `dsc` (sic); anything else is a 422.
ASCENDING = ("asc", "ascending")
DESCENDING = ("desc", "dsc", "descending")
ORDERS = ASCENDING + DESCENDING
# What smart ordering may sort videos by, and the sort_by_type each field accepts.
# Zype documents created_at, published_at and title; the integer, boolean and array
# types need fields of those types, so the video's own are allowed too.
SMART_FIELDS = {
    "created_at": ("date", "datetime"), "published_at": ("date", "datetime"), "updated_at": ("date", "datetime"),
    "title": ("string",), "friendly_title": ("string",),
    "duration": ("integer",), "episode": ("integer",), "season": ("integer",),
    "featured": ("boolean",), "on_air": ("boolean",), "mature_content": ("boolean",),
    "keywords": ("array",),
}
SORT_TYPES = ("date", "datetime", "string", "integer", "array", "boolean")
# Each level must stay well inside DynamoDB's 1,024-byte sort key; longer titles tie
# on their first 100 bytes and fall back to the order they joined in.
_STRING_BYTES = 100
_INTEGER_OFFSET = 10 ** 15
# Order-reversing map over the alphabet the encodings use (hex digits), for `desc`.
_REVERSE = str.maketrans("0123456789abcdef", "fedcba9876543210")
_PRESENT, _NULL = "0", "1"  # nulls sort last in either direction
_DAY = 86_400_000_000
# Stamps sort by their instant, not their text (a stamp kept in its own offset would not).
DATE_FIELDS = ("created_at", "updated_at", "published_at")


@dataclass(frozen=True)
class SortOption:
    direction: str
    sort_by: str
    sort_by_type: str

    def as_json(self) -> dict:
        return {"direction": self.direction, "sort_by": self.sort_by, "sort_by_type": self.sort_by_type}


def parse_sort_options(raw) -> list[dict] | None:
    """Checked `sort_options` (None when not sent, [] clears smart ordering)."""
    if raw is MISSING:
        return None
    try:
        levels = object_list(raw, "sort_options")
    except Unprocessable as error:
        raise save_error("playlist", "sort_options", error.message) from error
    if levels is None:
        return []
    if len(levels) > MAX_LEVELS:
        raise save_error("playlist", "sort_options", f"at most {MAX_LEVELS} levels, got {len(levels)}")
    options = []
    for level in levels:
        direction = str(level.get("direction") or "asc").strip().lower()
        sort_by = str(level.get("sort_by") or "").strip()
        sort_type = str(level.get("sort_by_type") or "").strip().lower()
        if direction not in DIRECTIONS:
            raise save_error("playlist", "sort_options", f"direction must be asc or desc, got {direction!r}")
        if sort_by not in SMART_FIELDS:
            raise save_error("playlist", "sort_options",
                             f"sort_by must be one of {', '.join(SMART_FIELDS)}, got {sort_by!r}")
        if sort_type not in SMART_FIELDS[sort_by]:
            raise save_error("playlist", "sort_options",
                             f"sort_by_type of {sort_by} must be {' or '.join(SMART_FIELDS[sort_by])}, "
                             f"got {sort_type!r}")
        options.append(SortOption(direction, sort_by, sort_type).as_json())
    if len({option["sort_by"] for option in options}) < len(options):
        raise save_error("playlist", "sort_options", "the two levels sort by the same field")
    return options


def order_key(video: dict, sort_options: list[dict]) -> str:
    """A string that sorts like the video under the playlist's sort options."""
    parts = []
    for option in sort_options:
        encoded = _encode(video.get(option["sort_by"]), option["sort_by_type"])
        if encoded is None:
            parts.append(_NULL)
            continue
        if option["direction"] == "desc":
            encoded = encoded.translate(_REVERSE).replace(" ", "~")
        parts.append(_PRESENT + encoded)
    return "".join(parts)


def _encode(value, sort_type: str) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if sort_type in ("date", "datetime"):
        moment = parse_stamp(value)
        if moment is None:
            return None
        # Fixed-width digits of the instant (years 1-9999 in any offset); the date is its UTC day.
        key = instant_key(moment)
        return f"{key // _DAY:07d}" if sort_type == "date" else f"{key:020d}"
    if sort_type == "integer":
        bounded = max(-_INTEGER_OFFSET + 1, min(_INTEGER_OFFSET - 1, int(value)))
        return f"{bounded + _INTEGER_OFFSET:016d}"
    if sort_type == "boolean":
        return "1" if value else "0"
    if sort_type == "array":
        value = "\x00".join(str(item) for item in value)
    # Hex of the case-folded UTF-8 bytes sorts like the string; the space that ends it
    # sorts below every hex digit, so a prefix comes first ("ab" < "abc"). Reversed,
    # the end becomes "~", above every digit, so the prefix comes last.
    return str(value).casefold().encode()[:_STRING_BYTES].hex() + " "


# --- explicit sort / order on list requests -------------------------------------------------

def parse_sort(params: dict, allowed: tuple[str, ...]) -> tuple[str, bool] | None:
    """(field, descending) from `sort` / `order`, or None when no sort was asked for."""
    field = single(params.get("sort", MISSING))
    descending = parse_order(params)
    if is_blank(field):
        return None
    if not isinstance(field, str) or field.strip() not in allowed:
        raise Unprocessable(f"sort must be one of {', '.join(allowed)}, got {field!r}")
    return field.strip(), bool(descending)


def parse_order(params: dict) -> bool | None:
    """`order`: True for descending, False for ascending, None when not sent (checked
    even without `sort`, so that `order=sideways` is refused rather than ignored)."""
    order = single(params.get("order", MISSING))
    if is_blank(order):
        return None
    if not isinstance(order, str) or order.strip().lower() not in ORDERS:
        raise Unprocessable(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    return order.strip().lower() in DESCENDING


def sort_records(records: list[dict], field: str, descending: bool) -> list[dict]:
    """Sorted by `field`, nulls last in either direction, ties in their current order."""
    if field in DATE_FIELDS:
        def key(record):
            moment = parse_stamp(record.get(field))
            return None if moment is None else instant_key(moment)
    else:
        def key(record):
            value = record.get(field)
            return None if value is None else _comparable(value)
    keyed = [(key(record), record) for record in records]
    present = [(value, record) for value, record in keyed if value is not None]
    missing = [record for value, record in keyed if value is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [record for _, record in present] + missing


def _comparable(value):
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [str(item).casefold() for item in value]
    return value
