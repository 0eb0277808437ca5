"""What every publishing record shares: reading it within the caller's site, creating
it, and changing it under the optimistic lock."""
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.auth import ZypeCaller
from chalicelib.errors import Conflict, NotFound
from chalicelib.models import zype as table
from chalicelib.services.zype.values import is_object_id, new_object_id, now_stamp

ATTEMPTS = 4
LABELS = {table.PLAYLIST: "Playlist", table.VIDEO: "Video", table.CATEGORY: "Category"}


@dataclass
class Listing:
    """One page of a list and its pagination numbers."""
    items: list[dict]
    pagination: dict


def require(caller: ZypeCaller, kind: str, record_id: str) -> table.ZypeItem:
    """The record if it belongs to the caller's site; any other id is simply not found."""
    item = table.get(kind, record_id) if is_object_id(record_id) else None
    if item is None or item.site_kind != f"{caller.site_id}#{kind}":
        raise NotFound(f"{LABELS[kind]} not found")
    return item


def site_bodies(site_id: str, kind: str) -> list[dict]:
    return [item.body for item in table.query_site(site_id, kind)]


def new_body(site_id: str) -> dict:
    stamp = now_stamp()
    return {"_id": new_object_id(), "site_id": site_id, "created_at": stamp, "updated_at": stamp,
            "deleted_at": None}


def retrying(change: Callable[[], object]):
    """Run a read-change-write function again when another request wrote in between."""
    for _ in range(ATTEMPTS - 1):
        try:
            return change()
        except table.Contended:
            continue
    try:
        return change()
    except table.Contended as error:
        raise Conflict("This record is being changed by another request; try again") from error
