"""The previews of playlist entries: grouped by task type in the seed's order, revisions
folded together, and the preview an entry shows (its pinned one, or the chosen task
type's newest, or the fallback task types' when the chosen one has none).

Order (the seed's): task type priority desc, task type name, revision desc, position,
creation date. Zou leaves position out on the entity route; the seed's order is used on
every route so that the first preview of a revision is always its position 1.

Reads come from the per-entity preview summaries (`preview_index`, one BatchGet for all
entries) and the task types (one BatchGet), so they do not grow with the entries."""
from dataclasses import dataclass

from chalicelib.models import records
from chalicelib.services.previews import index

# Zou's "light" preview of the playlist routes; kept small, responses carry many.
LIGHT_FIELDS = ("id", "revision", "extension", "width", "height", "duration", "status", "created_at", "task_id")
# Zou's item on `playlists/entities/{id}/preview-files` and in temp playlists.
ENTITY_FIELDS = ("id", "revision", "original_name", "extension", "width", "height", "duration", "status",
                 "created_at", "task_id")
ENTITY_KIND = {"shot": "Shot", "asset": "Asset", "sequence": "Sequence", "episode": "Episode", "edit": "Edit"}


@dataclass
class Catalog:
    """Every preview of some entities, and the task types that order them."""
    previews: dict[str, list[dict]]
    task_types: dict[str, dict]

    def order_key(self, preview: dict):
        task_type = self.task_types.get(preview.get("task_type_id")) or {}
        return (-(task_type.get("priority") or 0), (task_type.get("name") or "").lower(),
                -(preview.get("revision") or 0), preview.get("position") or 0, preview.get("created_at") or "")

    def revisions(self, entity_id: str) -> dict[str, list[list[dict]]]:
        """{task_type_id: [[first, *same-revision siblings], ...]} in display order."""
        grouped: dict[str, dict[tuple, list[dict]]] = {}
        for preview in sorted(self.previews.get(entity_id) or [], key=self.order_key):
            by_revision = grouped.setdefault(preview.get("task_type_id"), {})
            by_revision.setdefault((preview.get("task_id"), preview.get("revision")), []).append(preview)
        return {task_type_id: list(by_revision.values()) for task_type_id, by_revision in grouped.items()}

    def find(self, entity_id: str, preview_id: str | None) -> dict | None:
        if not preview_id:
            return None
        return next((p for p in self.previews.get(entity_id) or [] if p["id"] == preview_id), None)

    def siblings(self, entity_id: str, preview: dict) -> list[dict]:
        """Every preview of the same task and revision, by position (the preview included)."""
        same = [p for p in self.previews.get(entity_id) or []
                if p.get("task_id") == preview.get("task_id") and p.get("revision") == preview.get("revision")]
        return sorted(same, key=self.order_key)

    def choose(self, entity_id: str, preferred_task_types: list[str], usable=None) -> dict | None:
        """The newest preview of the first preferred task type that has one, then of any."""
        revisions = self.revisions(entity_id)
        order = [*preferred_task_types, *(t for t in revisions if t not in preferred_task_types)]
        for task_type_id in order:
            for group in revisions.get(task_type_id) or []:
                if usable is None or usable(group[0]):
                    return group[0]
        return None

    def latest(self, entity_id: str, task_type_id: str | None = None) -> dict | None:
        """Zou's pick for add-entity: highest revision, then newest, of one task type if given."""
        candidates = [p for p in self.previews.get(entity_id) or []
                      if task_type_id is None or p.get("task_type_id") == task_type_id]
        if not candidates:
            return None
        return max(candidates, key=lambda p: (p.get("revision") or 0, p.get("created_at") or ""))


def load(entity_ids, task_type_ids=()) -> Catalog:
    """One BatchGet of the preview summaries, one of the task types they (and the
    fallback list) name."""
    previews = index.previews_by_entity(list(dict.fromkeys(entity_ids)))
    wanted = {p.get("task_type_id") for items in previews.values() for p in items} | set(task_type_ids)
    task_types = {i: t for i, t in records.batch_get(wanted - {None}).items() if t.get("type") == "TaskType"}
    return Catalog(previews, task_types)


def fallback_task_types(project: dict, entity_kind: str, task_types: dict[str, dict]) -> list[str]:
    """The project's task types for this kind of entity, by priority (desc) then name."""
    linked = [task_types[i] for i in project.get("task_types") or [] if i in task_types]
    matching = [t for t in linked if (t.get("for_entity") or "").lower() == entity_kind.lower()]
    return [t["id"] for t in sorted(matching, key=lambda t: (-(t.get("priority") or 0), (t.get("name") or "").lower()))]


def playlist_task_types(playlist: dict, project: dict, task_types: dict[str, dict]) -> list[str]:
    """The task types an entry's preview is taken from, in order: the playlist's own,
    then the fallbacks."""
    kind = ENTITY_KIND.get(playlist.get("for_entity") or "shot", "Shot")
    order = fallback_task_types(project, kind, task_types)
    chosen = playlist.get("task_type_id")
    return [chosen, *(t for t in order if t != chosen)] if chosen else order


def shown_preview(catalog: Catalog, entry: dict, preferred: list[str]) -> dict | None:
    """The preview an entry shows: the pinned one while it exists, else the fallback choice."""
    entity_id = entry_entity_id(entry)
    return catalog.find(entity_id, entry.get("preview_file_id")) or catalog.choose(entity_id, preferred)


def entry_entity_id(entry: dict) -> str | None:
    return entry.get("entity_id") or entry.get("id") or entry.get("shot_id")


# --- shapes --------------------------------------------------------------------

def light(preview: dict) -> dict:
    out = {field: preview.get(field) for field in LIGHT_FIELDS}
    out["duration"] = float(out["duration"] or 0)
    return out


def light_groups(catalog: Catalog, entity_id: str) -> dict | list:
    """`preview_files` of an entry: {task_type_id: [light preview + "previews"]}, or []
    when the entity has none (as Zou answers)."""
    revisions = catalog.revisions(entity_id)
    if not revisions:
        return []
    return {task_type_id: [{**light(group[0]), "previews": [light(p) for p in group[1:]]} for group in groups]
            for task_type_id, groups in revisions.items()}


def entity_item(preview: dict, siblings: list[dict]) -> dict:
    out = {field: preview.get(field) for field in ENTITY_FIELDS}
    out["duration"] = float(out["duration"] or 0)
    out["annotations"] = preview.get("annotations") or []
    out["previews"] = [{**{field: p.get(field) for field in ENTITY_FIELDS}, "duration": float(p.get("duration") or 0),
                        "annotations": p.get("annotations") or [], "position": p.get("position"),
                        "task_type_id": p.get("task_type_id")} for p in siblings]
    return out


def entity_groups(catalog: Catalog, entity_id: str) -> dict:
    """{task_type_id: [item]}: the shape of `playlists/entities/{id}/preview-files`."""
    return {task_type_id: [entity_item(group[0], group[1:]) for group in groups]
            for task_type_id, groups in catalog.revisions(entity_id).items()}


def with_previews(entries: list[dict], catalog: Catalog, preferred: list[str]) -> list[dict]:
    """Entries of the project playlist route: `id`, `preview_files` and the shown
    preview's `preview_file_*` fields (the key is dropped when there is none)."""
    shaped = []
    for entry in entries:
        entity_id = entry_entity_id(entry)
        out = {**entry, "id": entity_id, "preview_files": light_groups(catalog, entity_id)}
        preview = shown_preview(catalog, entry, preferred)
        if preview is None:
            out.pop("preview_file_id", None)
        else:
            group = catalog.siblings(entity_id, preview)
            out.update({
                "preview_file_id": preview["id"], "preview_file_extension": preview.get("extension"),
                "preview_file_revision": preview.get("revision"), "preview_file_width": preview.get("width"),
                "preview_file_height": preview.get("height"),
                "preview_file_duration": float(preview.get("duration") or 0),
                "preview_file_status": preview.get("status"), "preview_file_task_id": preview.get("task_id"),
                "preview_file_previews": [light(p) for p in group if p["id"] != preview["id"]],
            })
        shaped.append(out)
    return shaped


# --- what a movie build takes from the entries -------------------------------------

# Zou's picture extensions (uploads of these become pictures, not movies).
PICTURE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "tif", "tiff", "bmp", "exr", "psd"})


@dataclass
class MovieEntries:
    """The movies a build joins, in entry order, and every entry it leaves out with why:
    `picture`, `document`, `broken`, `still processing` or `no preview` (nothing is
    dropped silently: the job lists them and its email says so)."""
    movies: list[dict]
    skipped: list[dict]
    entry_count: int

    def on_job(self) -> dict:
        return {"entry_count": self.entry_count, "movie_count": len(self.movies), "skipped": self.skipped}


def skip_reason(preview: dict | None) -> str | None:
    """Why an entry showing `preview` has no place in a movie (None: it has one)."""
    if preview is None:
        return "no preview"
    if preview.get("status") == "broken":
        return "broken"
    if preview.get("status") not in (None, "ready"):
        return "still processing"
    extension = (preview.get("extension") or "").lower()
    if extension == "mp4":
        return None
    return "picture" if extension in PICTURE_EXTENSIONS else "document"


def movie_entries(playlist: dict, project: dict) -> MovieEntries:
    entries = playlist.get("shots") or []
    catalog = load([entry_entity_id(e) for e in entries],
                   [*(project.get("task_types") or []), playlist.get("task_type_id")])
    preferred = playlist_task_types(playlist, project, catalog.task_types)
    movies, skipped = [], []
    for position, entry in enumerate(entries, start=1):
        preview = shown_preview(catalog, entry, preferred)
        reason = skip_reason(preview)
        if reason is None:
            movies.append(preview)
        else:
            skipped.append({"position": position, "entity_id": entry_entity_id(entry),
                            "preview_file_id": (preview or {}).get("id"), "reason": reason})
    if skipped:
        entities = records.batch_get([s["entity_id"] for s in skipped])
        for item in skipped:
            item["entity_name"] = (entities.get(item["entity_id"]) or {}).get("name")
    return MovieEntries(movies, skipped, len(entries))


def skipped_summary(skipped: list[dict]) -> str:
    """`SH002 (picture), SH003 (broken)`: the entries a build left out, for people."""
    return ", ".join(f"{item.get('entity_name') or 'entry ' + str(item['position'])} ({item['reason']})"
                     for item in skipped)
