"""Temporary playlists (`POST data/projects/{pid}/playlists/temp`): one entry per task
given, with the preview of the task's type (or of the project's fallback task types);
nothing is stored. Reads are batched: tasks, entities, parents, previews, task types."""
from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.models import records
from chalicelib.services.playlists import entry_previews
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, names, references
from chalicelib.services.production.validation import check_value

# Zou names these kinds after the entity type; anything else is an asset.
_NAMED_KINDS = ("Shot", "Sequence", "Episode", "Edit", "Concept")


def temp_playlist(caller: Caller, project_id: str, body: dict, sort: bool = False) -> list[dict]:
    project = data.require_project(project_id)
    auth.check_project_access(caller, project)
    task_ids = check_value("task_ids", c.UUIDS, body.get("task_ids") or [])
    if not task_ids:
        return []
    tasks = references.check(references.owner_of_project(project), "Playlist", {"task_ids": task_ids})
    for task in tasks.values():
        auth.check_task_access(caller, task, project)
    entities = records.batch_get(t["entity_id"] for t in tasks.values())
    first_entity = entities.get(tasks[task_ids[0]]["entity_id"]) or {}
    kind = first_entity.get("type") if first_entity.get("type") in _NAMED_KINDS else "Asset"
    catalog = entry_previews.load(list(entities), project.get("task_types") or [])
    fallback = entry_previews.fallback_task_types(project, kind, catalog.task_types)
    parents = names.related_records(entities.values())
    entries = [_entry(tasks[task_id], entities.get(tasks[task_id]["entity_id"]) or {}, parents, catalog, fallback)
               for task_id in task_ids]
    if sort:
        # Zou sorts on (episode_name, name): every entry has an episode_name.
        entries.sort(key=lambda e: (e["episode_name"], e["name"]))
    return entries


def _entry(task: dict, entity: dict, parents: dict, catalog, fallback: list[str]) -> dict:
    entry = {"id": entity.get("id", task["entity_id"]), "name": entity.get("name", ""),
             "preview_file_task_id": task["id"], "parent_name": "", "episode_id": "", "episode_name": "",
             "sequence_id": "", "sequence_name": "", "asset_type_id": "", "asset_type_name": ""}
    kind = entity.get("type")
    parent = parents.get(entity.get("parent_id") or entity.get("entity_type_id") or "") or {}
    if kind == "Shot":
        episode = parents.get(parent.get("parent_id") or "") or {}
        entry.update(parent_name=parent.get("name", ""), sequence_id=parent.get("id", ""),
                     sequence_name=parent.get("name", ""), episode_id=episode.get("id", ""),
                     episode_name=episode.get("name", ""))
    elif kind in ("Sequence", "Edit"):
        entry.update(parent_name=parent.get("name", ""), episode_id=parent.get("id", ""),
                     episode_name=parent.get("name", ""))
    elif kind != "Episode":
        entry.update(parent_name=parent.get("name", ""), asset_type_id=parent.get("id", ""),
                     asset_type_name=parent.get("name", ""))
    groups = entry_previews.entity_groups(catalog, entry["id"])
    entry["preview_files"] = groups
    chosen = next((groups[t][0] for t in [task["task_type_id"], *fallback] if groups.get(t)), None)
    if chosen is not None:
        entry.update({
            "preview_file_id": chosen["id"], "preview_file_extension": chosen["extension"],
            "preview_file_width": chosen["width"], "preview_file_height": chosen["height"],
            "preview_file_duration": chosen["duration"], "preview_file_revision": chosen["revision"],
            "preview_file_status": chosen["status"], "preview_file_annotations": chosen["annotations"] or [],
            "preview_file_previews": chosen["previews"],
        })
    return entry
