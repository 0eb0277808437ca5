"""Zou's preview annotations: per `time`, a drawing of objects with ids, changed by
additions, updates and deletions (Zou's `update_preview_file_annotations`). Pure: the
preview service reads and stores them."""
from chalicelib.errors import Invalid

CHANGE_KINDS = ("additions", "updates", "deletions")


def checked_changes(body: dict) -> dict[str, list[dict]]:
    """The three lists of changes of an update-annotations body, checked."""
    return {name: _checked_list(name, body.get(name)) for name in CHANGE_KINDS}


def _checked_list(name: str, value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Invalid(f"{name} must be a list of objects with a time")
    for item in value:
        objects = item.get("objects") if name == "deletions" else (item.get("drawing") or {}).get("objects")
        if not isinstance(objects, list):
            what = "objects (a list of ids)" if name == "deletions" else "drawing.objects (a list)"
            raise Invalid(f"Each of {name} needs {what}")
    return value


def apply_annotation_changes(annotations: list[dict], additions: list[dict], updates: list[dict],
                             deletions: list[dict]) -> list[dict]:
    """Zou's `update_preview_file_annotations`: annotations are per `time`, each a drawing of
    objects with ids. Additions add unknown objects (or a new time), updates replace objects
    by id, deletions remove object ids; times left without objects disappear."""
    by_time = {a.get("time"): {**a, "drawing": {**(a.get("drawing") or {}),
                                                "objects": list((a.get("drawing") or {}).get("objects") or [])}}
               for a in annotations}
    for addition in additions:
        current = by_time.get(addition.get("time"))
        if current is None:
            by_time[addition.get("time")] = addition
            continue
        known = {o.get("id") for o in current["drawing"]["objects"]}
        current["drawing"]["objects"] += [o for o in addition["drawing"]["objects"] if o.get("id") not in known]
    for update in updates:
        current = by_time.get(update.get("time"))
        if current is None:
            continue
        replacements = {o.get("id"): o for o in update["drawing"]["objects"]}
        objects = [replacements.pop(o.get("id"), o) for o in current["drawing"]["objects"]]
        current["drawing"]["objects"] = objects + list(replacements.values())
    for deletion in deletions:
        current = by_time.get(deletion.get("time"))
        if current is not None:
            removed = set(deletion["objects"])
            current["drawing"]["objects"] = [o for o in current["drawing"]["objects"] if o.get("id") not in removed]
    kept = [a for a in by_time.values() if a["drawing"]["objects"]]
    return sorted(kept, key=lambda a: (a.get("time") is None, a.get("time") or 0))
