"""ZIP of a playlist (`GET data/playlists/{id}/download/zip`): every preview of each
entry's revision (sub-previews included) under Zou's file names.

The archive is streamed from S3 to S3 (objects read a megabyte at a time, parts of the
ZIP uploaded as they fill), so neither memory nor /tmp limit its size. Its key is made
from its contents, so asking again for an unchanged playlist reuses it."""
import hashlib
import io
import json

from chalicelib import auth, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid
from chalicelib.models import records
from chalicelib.services.playlists import entry_previews
from chalicelib.services.production import data, names

ZIP_FORMAT = 1  # part of the key: bump when the archive's layout changes
READ_BYTES = 1024 * 1024


def zip_link(caller: Caller, playlist_id: str) -> str:
    playlist = data.require("Playlist", playlist_id)
    project = data.require_project(playlist["project_id"])
    auth.block_vendor(caller)
    auth.check_playlist_access(caller, playlist, project, supervisor_access=True)
    files = archive_files(playlist, project)
    if not files:
        raise Invalid("This playlist has no preview to put in a ZIP")
    digest = hashlib.sha256(json.dumps([ZIP_FORMAT, files]).encode()).hexdigest()
    key = f"{storage.playlist_zip_prefix(playlist_id)}{digest}.zip"
    if storage.head(key) is None:
        write_zip(files, key)
    episode = records.get(playlist["episode_id"]) if playlist.get("episode_id") else None
    return storage.presigned_get(key, download_name=names.playlist_zip_name(project, playlist, episode),
                                 content_type="application/zip")


def source_key(preview: dict) -> str:
    """Zou's sources: the normalized movie, the original-size PNG, the file as uploaded."""
    extension = preview.get("extension") or ""
    if extension == "mp4":
        return storage.preview_key(preview["id"], "movie")
    if extension == "png":
        return storage.preview_key(preview["id"], "original")
    return storage.preview_key(preview["id"], f"file.{extension}")


def archive_files(playlist: dict, project: dict) -> list[list[str]]:
    """[[S3 key, name in the archive]] in playlist order, each preview once."""
    entries = playlist.get("shots") or []
    entity_ids = [entry_previews.entry_entity_id(e) for e in entries]
    catalog = entry_previews.load(entity_ids, [*(project.get("task_types") or []), playlist.get("task_type_id")])
    preferred = entry_previews.playlist_task_types(playlist, project, catalog.task_types)
    entities = records.batch_get(entity_ids)
    related = names.related_records(entities.values())
    original_names = names.uses_original_file_names(project.get("studio_id"))
    files, seen = [], set()
    for entry in entries:
        entity_id = entry_previews.entry_entity_id(entry)
        shown = entry_previews.shown_preview(catalog, entry, preferred)
        if shown is None or entity_id not in entities:
            continue
        for preview in catalog.siblings(entity_id, shown):
            if preview["id"] in seen or preview.get("status") not in (None, "ready"):
                continue
            seen.add(preview["id"])
            task_type = catalog.task_types.get(preview.get("task_type_id")) or {}
            files.append([source_key(preview), names.preview_file_name(
                preview, project, entities[entity_id], task_type, related, original_names=original_names)])
    return files


def write_zip(files: list[list[str]], key: str) -> None:
    # Stored, not deflated, as Zou does: movies and PNGs do not compress.
    from zipstream import ZIP_STORED, ZipStream  # only ZIP requests pay for its import

    archive = ZipStream(compress_type=ZIP_STORED)
    used = set()
    for source, name in files:
        archive.add(_object_chunks(source), _unique(name, used))
    # Buffered: boto3 takes a short read for a short part, and S3 refuses parts under 5 MiB.
    reader = io.BufferedReader(_IterableReader(iter(archive)), buffer_size=READ_BYTES)
    storage.upload_stream(reader, key, "application/zip")


def _object_chunks(key: str):
    # A generator: the object is only opened when the archive reaches it.
    yield from storage.open_object(key).iter_chunks(READ_BYTES)


def _unique(name: str, used: set) -> str:
    candidate, number = name, 1
    while candidate in used:
        number += 1
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem}_{number}.{extension}" if dot else f"{name}_{number}"
    used.add(candidate)
    return candidate


class _IterableReader(io.RawIOBase):
    """A read-only file over an iterator of bytes, for boto3's upload_fileobj."""

    def __init__(self, chunks):
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not len(self._pending):
            try:
                self._pending = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
