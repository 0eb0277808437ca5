"""Record ids: UUIDs written 8-4-4-4-12 in hex, the form gazu checks before sending one
(gazu.md §2), stored and compared lowercase. The one place that says what an id is."""
import re

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_uuid(value) -> bool:
    """An id in the 8-4-4-4-12 form, in either case. Not `uuid.UUID`'s other spellings
    (braces, `urn:uuid:`, 32 bare digits): one id has one spelling, so lookups stay exact."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def canonical_uuid(value) -> str | None:
    """`value` as ids are stored (lowercase), or None when it is not an id."""
    return value.lower() if is_uuid(value) else None
