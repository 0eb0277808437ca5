"""Playlist share links (Zou's PlaylistShareLink) in the records table.

  share#<sha256 of the token>   one link: its Zou-shaped body (id, token, playlist_id, ...)
                                with parent_id = the playlist, so a playlist's links are one
                                Query by_parent; a guest request reads its link with one GetItem.

The item is keyed by a hash of the token so that the key alone (in a log of DynamoDB
calls, a backup listing) does not open the playlist."""
import hashlib

from pynamodb.exceptions import PutError

from chalicelib.errors import Conflict
from chalicelib.models import records
from chalicelib.models.records import Record, conditional_failure, created_sort_of, now_iso

SHARE_KIND = "PlaylistShareLink"


def _key(token: str) -> str:
    return f"share#{hashlib.sha256(token.encode()).hexdigest()}"


def create(body: dict, project_id: str) -> dict:
    """Store a new link (`body` holds id, token, playlist_id)."""
    stamp = now_iso()
    body = {**body, "type": SHARE_KIND, "created_at": stamp, "updated_at": stamp}
    records.check_item_size(body)
    created_sort = created_sort_of(body)
    item = Record(id=_key(body["token"]), kind=SHARE_KIND, created_sort=created_sort,
                  kind_sort=f"{SHARE_KIND}#{created_sort}", project_id=project_id, parent_id=body["playlist_id"],
                  body=body)
    try:
        item.save(condition=Record.id.does_not_exist())
    except PutError as error:
        if conditional_failure(error):
            raise Conflict("This share token is taken; try again") from error
        raise
    return body


def by_token(token: str) -> dict | None:
    body = records.get(_key(token))
    return body if body and body.get("type") == SHARE_KIND else None


def of_playlist(playlist_id: str) -> list[dict]:
    return records.query_parent(playlist_id, SHARE_KIND)


def deactivate(token: str) -> dict | None:
    return records.update(_key(token), {"is_active": False}, expected_kind=SHARE_KIND)
