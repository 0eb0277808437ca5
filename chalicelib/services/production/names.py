"""File names as Zou gives them (`names_service`), so downloads land under the names
studios' scripts and habits expect; and the full entity names lists show.

    preview file   my_proj_sq01_sh010_animation_v2-2.png   (or `<original name>-2.png`)
    playlist movie 20240501_102030_big_show_main_pack_client_review_1.mp4
    playlist ZIP   big_show_main_pack_client_review_1.zip
"""
import re
import unicodedata

from slugify import slugify

from chalicelib.models import records
from chalicelib.services.production import tenancy

# Kinds whose full name walks up their parents (a shot's sequence, a sequence's or an
# edit's episode); any other kind but Episode is named after its entity type.
_CHILD_KINDS = ("Shot", "Scene", "Sequence", "Edit")


# Longest name kept from an upload (ZIP tools and most file systems stop at 255 bytes).
MAX_FILE_NAME_CHARS = 200
_UNSAFE_IN_NAME = re.compile(r'[/\\:*?"<>|]')


def safe_file_name(name: str, fallback: str = "file") -> str:
    """`name` (from an upload) as one path segment: no separators (`/`, `\\`), no
    control characters, no `..`, no leading dot, at most MAX_FILE_NAME_CHARS characters,
    so that it never climbs out of a ZIP or a folder, on Unix or Windows."""
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char
                   for char in unicodedata.normalize("NFC", name or ""))
    text = _UNSAFE_IN_NAME.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text).strip(" .")
    return text[:MAX_FILE_NAME_CHARS].strip(" .") or fallback


def slug(text: str) -> str:
    return slugify(text or "", separator="_")


def uses_original_file_names(studio_id: str | None) -> bool:
    """The studio's setting `organisation.use_original_file_name` (one Query)."""
    return bool((tenancy.organisation_of(studio_id) or {}).get("use_original_file_name"))


def organisation_name(studio_id: str | None) -> str:
    return (tenancy.organisation_of(studio_id) or {}).get("name") or "Kitsu"


def full_entity_name(entity: dict, related: dict[str, dict]) -> str:
    """`Seq / Shot`, `Ep / Seq / Shot`, `Ep / Seq`, `Episode` or `AssetType / Asset`;
    `related` holds the parents (sequence, episode, entity type) by id."""
    kind = entity.get("type")
    name = entity.get("name", "")
    if kind == "Episode":
        return name
    if kind not in _CHILD_KINDS:
        entity_type = related.get(entity.get("entity_type_id")) or {}
        return f"{entity_type.get('name', '')} / {name}" if entity_type else name
    parts = [name]
    parent = related.get(entity.get("parent_id"))
    while parent is not None and len(parts) < 3:
        parts.insert(0, parent.get("name", ""))
        parent = related.get(parent.get("parent_id")) if parent.get("type") == "Sequence" else None
    return " / ".join(parts)


def related_records(entities) -> dict[str, dict]:
    """The parents (sequences, episodes) and entity types that the full names of
    `entities` need: two BatchGets, however many entities."""
    entities = list(entities)
    related = records.batch_get({e.get("parent_id") for e in entities} | {e.get("entity_type_id") for e in entities})
    sequences = [r for r in related.values() if r.get("type") == "Sequence"]
    related.update(records.batch_get({s.get("parent_id") for s in sequences} - set(related)))
    return related


def preview_file_name(preview: dict, project: dict, entity: dict | None, task_type: dict | None,
                      related: dict[str, dict] | None = None, *, original_names: bool | None = None,
                      extension: str | None = None) -> str:
    """Zou's `get_preview_file_name`: the original name (stored without its extension)
    when the organisation asks for it, else `<project>_<full entity name>_<task type>_v<revision>`
    slugified; then `-<position>` past the first position, then `.<extension>`.

    `original_names` is the organisation's setting (read here when not given: a ZIP reads
    it once for all its entries); `extension` is the served file's, the preview's by default."""
    if original_names is None:
        original_names = uses_original_file_names(project.get("studio_id"))
    if original_names and preview.get("original_name"):
        base = safe_file_name(preview["original_name"])
    else:
        entity_name = ""
        if entity:
            entity_name = full_entity_name(entity, related if related is not None else related_records([entity]))
        revision = preview.get("revision")
        base = slug(f"{project.get('name', '')}_{entity_name}_{(task_type or {}).get('name', '')}"
                    f"_v{1 if revision is None else revision}")
    position = preview.get("position") or 1
    if position > 1:
        base = f"{base}-{position}"
    return f"{base}.{safe_file_name(extension or preview.get('extension') or 'bin', 'bin')}"


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
