"""A per-entity summary of its preview files, kept current by the preview service, so
that playlists read the previews of all their entries with one BatchGet instead of one
Query per entry.

Stored as one record per entity (`previews#<entity_id>`), apart from the entity itself,
so that preview processing and entity edits never contend for the same item."""
from chalicelib.errors import Conflict
from chalicelib.models import records

SUMMARY_FIELDS = ("id", "task_id", "task_type_id", "entity_id", "revision", "position", "extension", "status",
                  "width", "height", "duration", "created_at", "updated_at", "original_name", "file_size",
                  "person_id", "validation_status")


def _index_id(entity_id: str) -> str:
    return f"previews#{entity_id}"


def summary(preview: dict) -> dict:
    return {field: preview.get(field) for field in SUMMARY_FIELDS}


def record_preview(preview: dict) -> None:
    """Insert or refresh `preview` (needs `entity_id`) in its entity's summary."""
    _change(preview["entity_id"], lambda items: [i for i in items if i["id"] != preview["id"]] + [summary(preview)])


def remove_preview(entity_id: str, preview_id: str) -> None:
    _change(entity_id, lambda items: [i for i in items if i["id"] != preview_id])


def _change(entity_id: str, edit) -> None:
    for _ in range(5):
        changed = records.update(_index_id(entity_id), lambda body: {"previews": edit(body.get("previews") or [])})
        if changed is not None:
            return
        try:
            records.create("EntityPreviews", {"id": _index_id(entity_id), "entity_id": entity_id,
                                              "previews": edit([])})
            return
        except Conflict:
            continue  # created concurrently: update it instead
    raise Conflict(f"The preview summary of {entity_id} is busy; try again")


def forget_entity(entity_id: str) -> None:
    """A deleted entity's summary goes with it."""
    records.delete(_index_id(entity_id))


def previews_by_entity(entity_ids) -> dict[str, list[dict]]:
    """Summaries of every preview of each entity (one BatchGet per 100 entities)."""
    entity_ids = [e for e in entity_ids if e]
    found = records.batch_get(_index_id(e) for e in entity_ids)
    return {e: list((found.get(_index_id(e)) or {}).get("previews") or []) for e in entity_ids}
