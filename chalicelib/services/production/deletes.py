"""Deleting production records without losing data or leaving orphans.

A record that still holds others (a project its sequences and assets, a sequence its
shots, a shot its tasks, a task its comments, previews and working files) is refused
with 400 naming what it holds. With Zou's `?force=true` its whole subtree goes: the
records, their S3 objects, the playlist entries that named them, the playlists' build
jobs (for a project).

What holds what is counted in the records table (chalicelib/models/holding.py): a
record created under another is written in one transaction with that one's counter,
and the transaction fails once the holder is gone or being deleted. So a plain delete
is conditional on a zero count; a forced one marks each holder `deleting` before it
reads what the holder holds, then reads again until the index shows as many records as
the counter says. A record created at the same moment is either refused or found."""
import collections
import re
import time

from chalicelib import storage
from chalicelib.auth import Caller
from chalicelib.errors import Conflict, Invalid
from chalicelib.models import holding, records
from chalicelib.services.files import file_records
from chalicelib.services.playlists import builds, playlists
from chalicelib.services.previews import index, previews
from chalicelib.services.production import collections as c
from chalicelib.services.production import data, tenancy

# Zou's `force` applies to these; anything else that still holds records is refused
# (but what it holds is only leaves, which go with it).
FORCEABLE = ("Project", *c.ENTITY_KINDS, "Task")
# What never holds anything: not marked, not searched for children.
_LEAVES = ("PreviewFile", "WorkingFile", "OutputFile", "AttachmentFile", "Notification", "BuildJob")
# Removal order: what is held before what holds it.
_ORDER = ("AttachmentFile", "PreviewFile", "WorkingFile", "OutputFile", "Notification", "BuildJob", "Comment", "Task",
          "AssetInstance", "Playlist", "Shot", "Scene", "Asset", "Edit", "Concept", "Sequence", "Episode", "Project")
# How long a forced delete waits for the indexes to show what the counters count.
_SETTLE_SECONDS = 10.0
_SETTLE_PAUSE = 0.2


def delete_record(caller: Caller, collection: c.Collection, record_id: str, force: bool = False) -> None:
    """DELETE data/<collection>/{id}[?force=true]."""
    current = data.require(collection.kind, record_id)
    data.check_write(caller, collection, current)
    if current["type"] == "Studio":
        tenancy.check_studio_is_empty(record_id)
    forceable = current["type"] in FORCEABLE
    held = _held(current)
    # gazu sends force=True on task statuses too (remove_task_status): elsewhere it changes nothing.
    if (force and forceable) or (held and not forceable and all(child.kind in _LEAVES for child in held)):
        # A comment's attachment files (or an asset instance's output files) go with it.
        _remove_with_subtree(current)
    else:
        _remove_alone(current, held)


def _remove_alone(record: dict, held: list[records.Record]) -> None:
    if held:
        counts = collections.Counter(child.kind for child in held)
        raise Invalid(f"This {_label(record['type'])} still holds {_describe(counts)}: delete them first, "
                      "or delete it with ?force=true", {"holds": dict(counts)})
    if not records.delete(record["id"], only_if_empty=True):
        raise Invalid(f"Records are being added to this {_label(record['type'])}, or it is being deleted; "
                      "try again")
    _forget(record)
    _unpin(record, [record])


def _remove_with_subtree(root: dict) -> None:
    members = _frozen_subtree(root)
    for member in sorted(members, key=lambda body: _rank(body["type"])):
        _remove(member)
    _unpin(root, members)


# --- what a record holds ---------------------------------------------------------------------

def _held(record: dict) -> list[records.Record]:
    """What would be left orphaned without `record`."""
    if record["type"] == "Project":
        return [member for member in records.in_project(record["id"]) if member.id != record["id"]]
    found = records.under_parent(record["id"])
    if record["type"] == "Task":
        # Working files hang on the task's entity (where gazu lists them) but belong to the task.
        found += [wf for wf in records.under_parent(record["entity_id"], "WorkingFile")
                  if wf.body.get("task_id") == record["id"]]
    return found


def _frozen_subtree(root: dict) -> list[dict]:
    """Every record under `root`, and `root`, once nothing more can be added to them."""
    if holding.mark_deleting(root["id"]) is None:
        return []
    if root["type"] == "Project":
        # Marking the project is enough: a record of a project is created only while its
        # project is not being deleted (records.create checks it).
        def holders(found: list[records.Record]) -> set[str]:
            return {root["id"], *(member.id for member in found if member.kind not in _LEAVES)}

        return [root, *(member.body for member in _settled(root, holders))]
    found: dict[str, dict] = {root["id"]: root}
    waiting = [root]
    while waiting:
        node = waiting.pop()
        for child in _settled(node, lambda _, node_id=node["id"]: {node_id}):
            if child.id in found:
                continue
            found[child.id] = child.body
            if child.kind not in _LEAVES and holding.mark_deleting(child.id) is not None:
                waiting.append(child.body)
    return list(found.values())


def _settled(record: dict, holders_of) -> list[records.Record]:
    """What `record` holds, read again until the index shows, for each holder among
    `holders_of(found)`, at least as many records as its counter says (the index lags
    behind the table by a moment)."""
    deadline = time.monotonic() + _SETTLE_SECONDS
    while True:
        found = _held(record)
        seen = collections.Counter(member.held_by for member in found if member.held_by)
        expected = holding.children_counts(holders_of(found))
        if all(seen[holder] >= count for holder, count in expected.items()):
            return found
        if time.monotonic() > deadline:
            raise Conflict(f"What this {_label(record['type'])} holds is still being written; delete it again")
        time.sleep(_SETTLE_PAUSE)


# --- removing one record -----------------------------------------------------------------------

def _remove(body: dict) -> None:
    kind = body["type"]
    if kind == "PreviewFile":
        previews.remove(body)
    elif kind in ("WorkingFile", "OutputFile"):
        file_records.remove_file(body)
    elif kind == "Playlist":
        playlists.remove_playlist(body)
    elif kind == "BuildJob":
        builds.remove_build_job(body)
    else:
        records.delete(body["id"])
        _forget(body)


def _forget(body: dict) -> None:
    """What outlives a deleted record unless removed with it: its unique name, its
    previews summary, its objects in S3."""
    kind, record_id = body["type"], body["id"]
    collection = c.COLLECTIONS.get(c.KIND_TO_ROUTE.get(kind, ""))
    if collection is not None:
        data.release_unique(collection, body)
    if kind in c.ENTITY_KINDS:
        index.forget_entity(record_id)
    elif kind == "AttachmentFile":
        storage.delete_prefix(storage.attachment_prefix(record_id))
    elif kind == "Project":
        storage.delete_keys([storage.avatar_key("projects", record_id)])


def _unpin(root: dict, removed: list[dict]) -> None:
    """Playlist entries naming a removed entity or preview go too (a project's playlists
    went with it)."""
    if root["type"] == "Project" or not root.get("project_id"):
        return
    entity_ids = {body["id"] for body in removed if body["type"] in c.ENTITY_KINDS}
    preview_ids = {body["id"] for body in removed if body["type"] == "PreviewFile"}
    if not entity_ids and not preview_ids:
        return

    def named(entry: dict) -> bool:
        return entry.get("entity_id") in entity_ids or entry.get("preview_file_id") in preview_ids

    for playlist in records.query_project(root["project_id"], "Playlist"):
        if any(named(entry) for entry in playlist.get("shots") or []):
            records.update(playlist["id"], lambda body: {"shots": [
                entry for entry in body.get("shots") or [] if not named(entry)]}, expected_kind="Playlist")


# --- words ---------------------------------------------------------------------------------

def _rank(kind: str) -> int:
    return _ORDER.index(kind) if kind in _ORDER else 0


def _label(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def _plural(kind: str, count: int) -> str:
    label = _label(kind)
    return label if count == 1 else f"{label}s"


def _describe(counts: collections.Counter) -> str:
    return ", ".join(f"{count} {_plural(kind, count)}" for kind, count in sorted(counts.items()))
