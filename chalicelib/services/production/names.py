"""File names as Zou gives them (`names_service`), so downloads land under the names
studios' scripts and habits expect.

    preview file   my_proj_sq01_sh010_animation_v2-2.png   (or its original name)
    playlist movie 20240501_102030_big_show_main_pack_client_review_1.mp4
    playlist ZIP   big_show_main_pack_client_review_1.zip
"""
from slugify import slugify

from chalicelib.models import records


def slug(text: str) -> str:
    return slugify(text or "", separator="_")


def uses_original_file_names() -> bool:
    """The studio setting `organisation.use_original_file_name` (one Query)."""
    organisations = records.query_kind("Organisation", limit=1)
    return bool(organisations and organisations[0].get("use_original_file_name"))


def organisation_name() -> str:
    organisations = records.query_kind("Organisation", limit=1)
    return (organisations[0].get("name") if organisations else None) or "Kitsu"


def full_entity_name(entity: dict, related: dict[str, dict]) -> str:
    """`Seq / Shot`, `Ep / Seq / Shot`, `Ep / Seq`, `Episode` or `AssetType / Asset`;
    `related` holds the parents (sequence, episode, asset type) by id."""
    kind = entity.get("type")
    name = entity.get("name", "")
    if kind == "Asset":
        asset_type = related.get(entity.get("entity_type_id")) or {}
        return f"{asset_type.get('name', '')} / {name}" if asset_type else name
    parts = [name]
    parent = related.get(entity.get("parent_id")) if kind in ("Shot", "Sequence", "Edit") else None
    while parent is not None and len(parts) < 3:
        parts.insert(0, parent.get("name", ""))
        parent = related.get(parent.get("parent_id")) if parent.get("type") == "Sequence" else None
    return " / ".join(parts)


def related_records(entities) -> dict[str, dict]:
    """The parents `full_entity_name` needs (sequences, their episodes, asset types):
    at most two BatchGets, however many entities."""
    def parents_of(items) -> set[str]:
        wanted = set()
        for item in items:
            if item.get("type") == "Asset" and item.get("entity_type_id"):
                wanted.add(item["entity_type_id"])
            elif item.get("type") in ("Shot", "Sequence", "Edit") and item.get("parent_id"):
                wanted.add(item["parent_id"])
        return wanted

    related = records.batch_get(parents_of(entities))
    sequences = [r for r in related.values() if r.get("type") == "Sequence"]
    related.update(records.batch_get(parents_of(sequences) - set(related)))
    return related


def preview_file_name(preview: dict, project: dict, entity: dict, task_type: dict, related: dict[str, dict],
                      original_names: bool = False) -> str:
    if original_names and preview.get("original_name"):
        return preview["original_name"]
    base = slug(f"{project.get('name', '')}_{full_entity_name(entity, related)}_{task_type.get('name', '')}"
                f"_v{preview.get('revision') or 0}")
    position = preview.get("position") or 1
    if position > 1:
        base = f"{base}-{position}"
    return f"{base}.{preview.get('extension') or 'bin'}"


def playlist_context(project: dict, playlist: dict, episode: dict | None) -> str:
    """The project's slug; for TV shows followed by the episode, `all_assets` or `main_pack`."""
    context = slug(project.get("name", ""))
    if project.get("production_type") == "tvshow":
        if episode:
            context += f"_{slug(episode.get('name', ''))}"
        elif playlist.get("is_for_all"):
            context += "_all_assets"
        else:
            context += "_main_pack"
    return context


def playlist_movie_name(build_job: dict, project: dict, playlist: dict, episode: dict | None) -> str:
    stamp = build_job["created_at"][:19].replace("-", "").replace(":", "").replace("T", "_")
    return f"{stamp}_{playlist_context(project, playlist, episode)}_{slug(playlist.get('name', ''))}.mp4"


def playlist_zip_name(project: dict, playlist: dict, episode: dict | None) -> str:
    return f"{playlist_context(project, playlist, episode)}_{slug(playlist.get('name', ''))}.zip"
