"""Zou's `/<id>.<extension>` picture and movie paths. API Gateway path parameters are
whole segments, so those routes take the segment as `{file_name}` and read the id here;
services receive the id."""
import re

from chalicelib.errors import Invalid
from chalicelib.ids import canonical_uuid

_EXTENSION = re.compile(r"[A-Za-z0-9]{1,8}")


def file_id(file_name: str, extension_required: bool = True) -> str:
    """The id of `<id>.<extension>` (or of a bare `<id>` when no extension is required).
    The extension is not compared with what is stored: the route already says which
    object it serves."""
    stem, dot, extension = (file_name or "").partition(".")
    extension_ok = bool(_EXTENSION.fullmatch(extension)) if dot else not extension_required
    record_id = canonical_uuid(stem)
    if record_id is None or not extension_ok:
        raise Invalid(f"Expected <id>.<extension>, got {file_name!r}")
    return record_id
