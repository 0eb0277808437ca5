"""Zou's revision and position rules for preview files (zou.md §6.2): which revision and
position a new preview takes, how a revision moves, how a revision's previews are
reordered.

DynamoDB has no unique constraint, so each (task, revision, position) is held by a claim
record while a preview has it: two requests can never give two previews the same slot."""
from chalicelib.errors import Conflict, Invalid
from chalicelib.models import records
from chalicelib.services.previews import index
from chalicelib.services.production import collections as c

KIND = c.COLLECTIONS["preview-files"].kind
_SLOT_TRIES = 20


def _slot(task_id: str, revision: int, position: int) -> str:
    return f"preview#{task_id}#{revision}#{position}"


def claim_new_slot(task: dict, project: dict, comment: dict, requested_revision: int,
                   preview_id: str) -> tuple[int, int]:
    """The (revision, position) a new preview on `comment` takes, claimed for `preview_id`.
    Revision 0 asks for Zou's automatic revision: the next one, or the comment's own when
    it already has previews (the new one then goes after them)."""
    existing = records.query_parent(task["id"], KIND)
    on_comment = sorted((p for p in existing if p["id"] in (comment.get("preview_files") or [])),
                        key=lambda p: (p["revision"], p["position"]))
    new_revision = requested_revision == 0 and not on_comment
    if new_revision:
        revision = max((p["revision"] for p in existing), default=0) + 1
    else:
        revision = requested_revision or on_comment[0]["revision"]
        if not on_comment and any(p["revision"] == revision and p["position"] == 1 for p in existing):
            raise Invalid(f"Revision {revision} already exists for this task")
    position = 1 if new_revision else sum(1 for p in existing if p["revision"] == revision) + 1
    for _ in range(_SLOT_TRIES):
        if position > 1 and project.get("is_single_preview_per_revision"):
            raise Invalid("This project allows one preview per revision")
        if records.claim(_slot(task["id"], revision, position), preview_id):
            return revision, position
        # Another request took the slot since we counted (the index we counted from is
        # eventually consistent, so recounting could see the same thing): step past it.
        if new_revision:
            revision += 1
        elif position == 1 and not on_comment:
            raise Invalid(f"Revision {revision} already exists for this task")
        else:
            position += 1
    raise Conflict("Too many previews are being added to this task at once; try again")


def release_slot(preview: dict) -> None:
    records.release(_slot(preview["task_id"], preview["revision"], preview["position"]))


def revision_siblings(preview: dict) -> list[dict]:
    """The previews of the same task and revision, by position."""
    return sorted((p for p in records.query_parent(preview["task_id"], KIND) if p["revision"] == preview["revision"]),
                  key=lambda p: (p["position"], p["created_at"]))


def move_to_revision(preview: dict, revision: int) -> None:
    """Zou: the position-1 preview takes its siblings along; another moves alone."""
    if revision < 1:
        raise Invalid("revision must be 1 or more")
    moving = revision_siblings(preview) if preview["position"] == 1 else [preview]
    claimed = []
    for item in moving:
        if not records.claim(_slot(item["task_id"], revision, item["position"]), item["id"]):
            for key in claimed:
                records.release(key)
            raise Invalid(f"Revision {revision} already exists for this task")
        claimed.append(_slot(item["task_id"], revision, item["position"]))
    for item in moving:
        moved = records.update(item["id"], {"revision": revision}, expected_kind=KIND)
        release_slot(item)
        if moved:
            index.record_preview(moved)


def move_to_position(preview: dict, position: int) -> list[dict]:
    """The revision's previews with `preview` at `position` (from 1) and the others
    renumbered after it; a position outside 1..n changes nothing."""
    siblings = revision_siblings(preview)
    if not 1 <= position <= len(siblings):
        return siblings
    ordered = [p for p in siblings if p["id"] != preview["id"]]
    ordered.insert(position - 1, preview)
    renumbered = []
    for number, sibling in enumerate(ordered, start=1):
        if sibling["position"] != number:
            # The set of positions stays 1..n, so each slot claim stays held.
            sibling = records.update(sibling["id"], {"position": number}, expected_kind=KIND) or sibling
            index.record_preview(sibling)
        renumbered.append(sibling)
    return renumbered
