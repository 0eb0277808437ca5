"""File paths from a project's file tree: the records a template needs, gathered in
a couple of BatchGets and handed to the pure renderer (file_tree.py); setting a
project's tree; and guessing entities back from a path (file_tree_guess.py)."""
from typing import ClassVar

from chalicelib import auth
from chalicelib.auth import Caller
from chalicelib.models import records
from chalicelib.services.files import file_tree, file_tree_guess
from chalicelib.services.files.bodies import GuessFromPath, SetFileTree, parse
from chalicelib.services.files.file_tree import FileTreeError
from chalicelib.services.production import collections as c
from chalicelib.services.production import data

# Zou picks the template by entity type; anything not temporal is an asset (Edit, Concept...).
KIND_BY_TYPE = {"Shot": "shot", "Sequence": "sequence", "Scene": "scene", "Episode": "episode"}


def entity_kind(entity: dict) -> str:
    return KIND_BY_TYPE.get(entity.get("type"), "asset")


def instance_kind(asset_instance: dict) -> str:
    # An instance of an asset inside another asset has a target asset; a shot casting has none.
    return "instance_asset" if asset_instance.get("target_asset_id") else "instance"


def render(project: dict, entity: dict, *, mode: str, sep: str, name: str, revision: int, task: dict | None = None,
           task_type: dict | None = None, software: dict | None = None, output_type: dict | None = None,
           asset_instance: dict | None = None, asset: dict | None = None, representation: str = "",
           nb_elements: int = 1) -> tuple[str, str]:
    """(folder_path, file_name) for `entity` (the temporal entity of an instance), by
    Zou's rules. The caller passes the records it already holds; the entity's
    ancestors, asset type and department are fetched here."""
    tree = project.get("file_tree")
    if not tree:
        raise FileTreeError(f"No file tree is set for project {project['name']}; "
                            f"POST actions/projects/{project['id']}/set-file-tree first")
    placed_asset = asset or entity
    found = records.batch_get([entity.get("parent_id"), entity.get("entity_type_id"),
                               placed_asset.get("entity_type_id"), (task_type or {}).get("department_id")])
    parent = found.get(entity.get("parent_id"))
    context = {
        "project": project, "task": task, "task_type": task_type, "software": software,
        "output_type": output_type, "name": name, "revision": revision, "representation": representation,
        "nb_elements": nb_elements, "department": found.get((task_type or {}).get("department_id")),
        # Zou renders <Shot>, <Scene> and (without an instance) <Asset> from the entity itself.
        "shot": entity, "scene": entity, "asset": placed_asset,
        **_sequence_and_episode(entity, parent),
    }
    asset_type = found.get(placed_asset.get("entity_type_id"))
    if asset_type is not None and asset_type.get("type") == "AssetType":
        context["asset_type"] = asset_type
    if asset_instance is not None:
        # Zou names a temporal entity's type by its entity type: the asset type for an
        # asset, "Shot" or "Scene" otherwise (reelbase keeps those as record kinds).
        temporal_type = found.get(entity.get("entity_type_id")) or {"id": None, "name": entity["type"]}
        context.update(instance=asset_instance, temporal_entity=entity, temporal_entity_type=temporal_type)
        kind = instance_kind(asset_instance)
    else:
        kind = entity_kind(entity)
    return file_tree.render(tree, mode, kind, context, sep)


def _sequence_and_episode(entity: dict, parent: dict | None) -> dict:
    kind = entity.get("type")
    if kind == "Episode":
        return {"episode": entity}
    if kind == "Sequence":
        return {"sequence": entity, "episode": parent}
    if kind in ("Shot", "Scene") and parent is not None:
        # Only shots and scenes sit two levels down; one more read for their episode.
        episode = records.get(parent["parent_id"]) if parent.get("parent_id") else None
        return {"sequence": parent, "episode": episode}
    return {}


# --- the project's tree ------------------------------------------------------------

def set_file_tree(caller: Caller, project_id: str, raw_body) -> dict:
    """POST actions/projects/{id}/set-file-tree {"tree_name": "default" | "simple"}."""
    body = parse(SetFileTree, raw_body)
    project = data.require_project(project_id)
    auth.check_manager_project_access(caller, project)
    tree = file_tree.load_template(body.tree_name)
    return data.serialize(data.apply_update(c.COLLECTIONS["projects"], project, {"file_tree": tree}))


# --- guess_from_path -------------------------------------------------------------

def guess_from_path(caller: Caller, raw_body) -> list[dict]:
    """POST data/entities/guess_from_path: the templates `file_path` fits, with the ids
    of the production records its names resolve to."""
    body = parse(GuessFromPath, raw_body)
    project = data.require_project(body.project_id)
    auth.check_project_access(caller, project)
    tree = project.get("file_tree")
    if not tree:
        raise FileTreeError(f"No file tree is set for project {project['name']}")
    file_tree_guess.check_under_a_root(tree, body.file_path, body.sep)
    return file_tree_guess.guess_from_path(tree, body.file_path, body.sep, _ProjectLookup(project))


class _ProjectLookup:
    """Resolves a name found in a path to a record id, within one project (studio-wide
    names within its studio); names match case-insensitively through the by_name index, then by their parents."""

    # token -> (kind, parent token whose id the record's parent_id must equal, required)
    CHILDREN: ClassVar[dict[str, tuple[str, str | None, bool]]] = {
        "Episode": ("Episode", None, False),
        "Sequence": ("Sequence", "Episode", False),
        "Scene": ("Scene", "Sequence", False),
        "Shot": ("Shot", "Sequence", True),
    }
    STUDIO_WIDE: ClassVar[dict[str, str]] = {
        "AssetType": "AssetType",
        "TaskType": "TaskType",
        "Department": "Department",
        "OutputType": "OutputType",
        "Software": "Software",
    }

    def __init__(self, project: dict):
        self.project = project

    def __call__(self, token: str, name: str, parent_ids: dict[str, str]) -> str | None:
        if token == "Project":
            named = records.query_name("Project", name)
            return self.project["id"] if any(p["id"] == self.project["id"] for p in named) else None
        if token in self.STUDIO_WIDE:
            return self._first(self._in_studio(self.STUDIO_WIDE[token], name))
        if token in self.CHILDREN:
            kind, parent_token, parent_required = self.CHILDREN[token]
            parent_id = parent_ids.get(parent_token) if parent_token else None
            if parent_required and not parent_id:
                return None
            return self._first(self._in_project(kind, name), parent_id=parent_id)
        if token == "Asset":
            if not parent_ids.get("AssetType"):
                return None
            assets = [a for a in self._in_project("Asset", name) if a.get("entity_type_id") == parent_ids["AssetType"]]
            return self._first(assets)
        if token == "Task":
            return self._task(name, parent_ids)
        if token == "TemporalEntityType":
            # An asset type, or a kind: reelbase has no entity-type rows for shots or scenes.
            kind = next((kind for kind in c.ENTITY_KINDS if kind.lower() == name.lower()), None)
            return kind or self._first(self._in_studio("AssetType", name))
        if token == "TemporalEntity":
            entity_type = parent_ids.get("TemporalEntityType")
            if entity_type in c.ENTITY_KINDS:
                return self._first(self._in_project(entity_type, name))
            assets = [a for a in self._in_project("Asset", name) if a.get("entity_type_id") == entity_type]
            return self._first(assets) if entity_type else None
        if token == "Instance":
            return self._first(self._in_project("AssetInstance", name))
        return None

    def _in_studio(self, kind: str, name: str) -> list[dict]:
        return [r for r in records.query_name(kind, name) if r.get("studio_id") == self.project.get("studio_id")]

    def _in_project(self, kind: str, name: str) -> list[dict]:
        return [r for r in records.query_name(kind, name) if r.get("project_id") == self.project["id"]]

    @staticmethod
    def _first(candidates: list[dict], parent_id: str | None = None) -> str | None:
        for candidate in candidates:
            if parent_id is None or candidate.get("parent_id") == parent_id:
                return candidate["id"]
        return None

    def _task(self, name: str, parent_ids: dict[str, str]) -> str | None:
        entity_id = next((parent_ids[t] for t in ("Scene", "Asset", "Shot") if parent_ids.get(t)), None)
        if not entity_id or not parent_ids.get("TaskType"):
            return None
        tasks = [t for t in records.query_parent(entity_id, "Task")
                 if t.get("task_type_id") == parent_ids["TaskType"] and (t.get("name") or "").lower() == name.lower()]
        return self._first(tasks)
