"""Zou's names for entities and preview files (`names_service`): the full entity name
shown in lists, and the file name a preview is downloaded under."""
from slugify import slugify

from chalicelib.models import records


def related_records(entities: list[dict]) -> dict[str, dict]:
    """The parents (sequence, episode) and asset types the full names of `entities` need,
    read in two BatchGets whatever the number of entities."""
    parents = records.batch_get({e.get("parent_id") for e in entities} | {e.get("entity_type_id") for e in entities})
    grandparents = records.batch_get({p.get("parent_id") for p in parents.values() if p.get("type") == "Sequence"})
    return {**parents, **grandparents}


def full_entity_name(entity: dict, related: dict[str, dict]) -> str:
    """'SQ01 / SH010', 'E01 / SQ01 / SH010', 'E01 / SQ01', 'E01', 'Character / Hero'."""
    kind = entity.get("type")
    if kind == "Asset":
        asset_type = related.get(entity.get("entity_type_id")) or {}
        return f"{asset_type.get('name', '')} / {entity['name']}".strip(" /")
    names = [entity["name"]]
    parent = related.get(entity.get("parent_id")) if kind in ("Shot", "Sequence", "Scene") else None
    while parent is not None:
        names.insert(0, parent["name"])
        parent = related.get(parent.get("parent_id")) if parent.get("type") == "Sequence" else None
    return " / ".join(names)


def use_original_file_name() -> bool:
    organisations = records.query_kind("Organisation", limit=1)
    return bool(organisations and organisations[0].get("use_original_file_name"))


def preview_file_name(preview: dict, project: dict, entity: dict | None, task_type: dict | None,
                      related: dict[str, dict] | None = None, extension: str | None = None) -> str:
    """Zou's `get_preview_file_name`: the original name when the organisation asks for it,
    else `<project>_<full entity name>_<task type>_v<revision>[-<position>].<extension>`."""
    extension = extension or preview.get("extension") or "mp4"
    if use_original_file_name() and preview.get("original_name"):
        return f"{preview['original_name']}.{extension}"
    entity_name = full_entity_name(entity, related if related is not None else related_records([entity])) \
        if entity else ""
    base = slugify(f"{project.get('name', '')}_{entity_name}_{(task_type or {}).get('name', '')}"
                   f"_v{preview.get('revision', 1)}", separator="_")
    if (preview.get("position") or 1) > 1:
        base += f"-{preview['position']}"
    return f"{base}.{extension}"
