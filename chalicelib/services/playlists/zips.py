"""ZIP of a playlist (`GET data/playlists/{id}/download/zip`): every preview of each
entry's revision (sub-previews included), each as it was uploaded where the original
is kept ("preserves original file names and formats"), under Zou's file names with the
original's extension.

The archive is made outside the request, by the `make_zip` function run by a state
machine of its own (PlaylistZipStateMachine in infra/resources.yaml; the local stack
runs it too), so API Gateway's 29 s do not bound its size. The request waits for it up
to `ZIP_REQUEST_SECONDS`, then answers 202 with Retry-After (gazu asks again, silently),
and once it exists the 302 to it. The archive is streamed from S3 to S3 (objects read a
megabyte at a time, parts of the ZIP uploaded as they fill), so neither memory nor /tmp
limit it. Its key is made from its contents, so asking again for an unchanged playlist
reuses it, and one claim per key makes it once however many ask."""
import datetime
import hashlib
import io
import json
import time

from chalicelib import auth, aws, storage
from chalicelib.auth import Caller
from chalicelib.config import settings
from chalicelib.errors import Invalid
from chalicelib.models import records
from chalicelib.observability import MetricUnit, add_metric, logger
from chalicelib.services.playlists import entry_previews
from chalicelib.services.previews.links import Download, Processing
from chalicelib.services.production import data, names

ZIP_FORMAT = 2  # part of the key: bump when the archive's layout changes
READ_BYTES = 1024 * 1024
ZIP_RETRY_AFTER = 3  # seconds gazu waits before asking again
POLL_SECONDS = 0.25
CLAIM_PENDING_SECONDS = 30


def zip_link(caller: Caller, playlist_id: str) -> Download | Processing:
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
        _request_zip(key, files)
        if not _wait_for(key, settings().zip_request_seconds):
            return Processing("The ZIP of this playlist is being made", ZIP_RETRY_AFTER)
    episode = records.get(playlist["episode_id"]) if playlist.get("episode_id") else None
    return Download(storage.presigned_get(key, download_name=names.playlist_zip_name(project, playlist, episode),
                                          content_type="application/zip"))


def _wait_for(key: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if storage.head(key) is not None:
            return True
        if time.monotonic() + POLL_SECONDS > deadline:
            return False
        time.sleep(POLL_SECONDS)


# --- one execution per archive ------------------------------------------------------
# The claim names the execution making the archive. A request that finds it claimed
# looks at that execution: running, it waits; stopped (or gone) without the archive, the
# claim is taken over by a compare-and-set and one request starts another; failed, one
# request frees the claim and answers why (400), and the next one tries again.

def _request_zip(key: str, files: list[list[str]]) -> None:
    claim_key = f"zip#{key}"
    execution = records.new_id()
    if not records.claim(claim_key, execution):
        claim = records.get_record(f"claim#{claim_key}", consistent=True)
        owner = claim.body.get("owner") if claim else None
        status = _execution_status(owner) if owner else None
        if status == "RUNNING" or (owner and status is None and _recent(claim.body.get("updated_at")
                                                                         or claim.created_sort)):
            return  # being made (or about to be: its claim is written just before it starts)
        failure = _failure_of(owner) if status == "FAILED" else None

        def take_over(claim: dict, seen=owner):
            # After a failure the claim is only freed: this request reports it, the next tries again.
            return {"owner": None if failure else execution} if claim.get("owner") == seen else None

        _, taken = records.transition(f"claim#{claim_key}", take_over, expected_kind="Claim")
        if failure and taken:
            raise Invalid(f"The ZIP of this playlist could not be made: {failure}")
        if not taken or failure:
            return  # another request took it: its execution makes the archive
    # The list goes to S3 rather than into the execution's input: a long playlist's
    # would outgrow Step Functions' 256 KB payload limit.
    storage.put_bytes(_manifest_key(key), json.dumps({"key": key, "files": files}).encode(), "application/json")
    aws.client("stepfunctions").start_execution(
        stateMachineArn=settings().zip_state_machine_arn, name=execution,
        input=json.dumps({"zip_key": key}))
    add_metric("ZipsStarted")
    logger.info("zip requested", extra={"zip_key": key, "execution": execution, "files": len(files)})


def _recent(claimed_at: str) -> bool:
    age = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - datetime.datetime.fromisoformat(claimed_at)
    return age.total_seconds() < CLAIM_PENDING_SECONDS


def _execution_arn(execution: str) -> str:
    machine = settings().zip_state_machine_arn
    return f"{machine.replace(':stateMachine:', ':execution:', 1)}:{execution}"


def _failure_of(execution: str) -> str:
    """What a failed execution's Lambda said (its errorMessage), for people."""
    answer = aws.client("stepfunctions").describe_execution(executionArn=_execution_arn(execution))
    try:
        return json.loads(answer.get("cause") or "{}").get("errorMessage") or answer.get("error") or "unknown error"
    except (ValueError, AttributeError):
        return answer.get("cause") or answer.get("error") or "unknown error"


def _execution_status(execution: str) -> str | None:
    """RUNNING, SUCCEEDED, FAILED, ...; None when it is not there (yet)."""
    try:
        return aws.client("stepfunctions").describe_execution(executionArn=_execution_arn(execution))["status"]
    except aws.client("stepfunctions").exceptions.ExecutionDoesNotExist:
        return None  # claimed, not started yet (or long gone)


def _manifest_key(key: str) -> str:
    return key.removesuffix(".zip") + ".json"


def make_zip(event: dict) -> dict:
    """The MakeZip state: the archive `zip_key` names, from the manifest the request wrote."""
    key = event["zip_key"]
    started = time.monotonic()
    if storage.head(key) is None:
        manifest = json.loads(storage.open_object(_manifest_key(key)).read())
        write_zip(manifest["files"], key)
        add_metric("ZipsMade")
        add_metric("ZipSeconds", time.monotonic() - started, MetricUnit.Seconds)
    size = (storage.head(key) or {}).get("size")
    storage.delete_keys([_manifest_key(key)])
    logger.info("zip made", extra={"zip_key": key, "bytes": size, "seconds": round(time.monotonic() - started, 3)})
    return {"zip_key": key, "size": size}


# --- what goes in ------------------------------------------------------------------------

def source_of(preview: dict) -> tuple[str, str]:
    """(S3 key, extension) of what the archive holds for a preview: the file as uploaded
    where the original is kept (a .mov stays a .mov), else Zou's sources: the normalized
    movie, the original-size PNG, the file as stored."""
    pipeline = preview.get("pipeline") or {}
    if pipeline.get("source_key") and "source" in (pipeline.get("variants") or []):
        return pipeline["source_key"], (pipeline.get("source_extension") or preview.get("extension") or "bin")
    extension = preview.get("extension") or ""
    if extension == "mp4":
        return storage.preview_key(preview["id"], "movie"), "mp4"
    if extension == "png":
        return storage.preview_key(preview["id"], "original"), "png"
    return storage.preview_key(preview["id"], f"file.{extension}"), extension


def archive_files(playlist: dict, project: dict) -> list[list[str]]:
    """[[S3 key, name in the archive]] in playlist order, each preview once."""
    entries = playlist.get("shots") or []
    entity_ids = [entry_previews.entry_entity_id(e) for e in entries]
    catalog = entry_previews.load(entity_ids, [*(project.get("task_types") or []), playlist.get("task_type_id")])
    preferred = entry_previews.playlist_task_types(playlist, project, catalog.task_types)
    entities = records.batch_get(entity_ids)
    related = names.related_records(entities.values())
    original_names = names.uses_original_file_names(project.get("studio_id"))
    chosen, seen = [], set()
    for entry in entries:
        entity_id = entry_previews.entry_entity_id(entry)
        shown = entry_previews.shown_preview(catalog, entry, preferred)
        if shown is None or entity_id not in entities:
            continue
        for preview in catalog.siblings(entity_id, shown):
            if preview["id"] in seen or preview.get("status") not in (None, "ready"):
                continue
            seen.add(preview["id"])
            chosen.append((entity_id, preview))
    # The summaries do not say where the original is: one BatchGet of the full records.
    full = records.batch_get([preview["id"] for _, preview in chosen])
    files = []
    for entity_id, summary in chosen:
        preview = full.get(summary["id"]) or summary
        key, extension = source_of(preview)
        task_type = catalog.task_types.get(preview.get("task_type_id")) or {}
        files.append([key, names.preview_file_name(preview, project, entities[entity_id], task_type, related,
                                                   original_names=original_names, extension=extension)])
    return files


def write_zip(files: list[list[str]], key: str) -> None:
    # Stored, not deflated, as Zou does: movies and PNGs do not compress.
    from zipstream import ZIP_STORED, ZipStream  # only ZIP requests pay for its import

    archive = ZipStream(compress_type=ZIP_STORED)
    used = set()
    for source, name in files:
        archive.add(_object_chunks(source, name), _unique(name, used))
    # Buffered: boto3 takes a short read for a short part, and S3 refuses parts under 5 MiB.
    reader = io.BufferedReader(_IterableReader(iter(archive)), buffer_size=READ_BYTES)
    storage.upload_stream(reader, key, "application/zip")


def _object_chunks(key: str, name: str):
    # A generator: the object is only opened when the archive reaches it.
    from botocore.exceptions import ClientError

    try:
        body = storage.open_object(key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise ZipFailed(f"The file of {name} is missing from storage") from error
        raise
    yield from body.iter_chunks(READ_BYTES)


class ZipFailed(Exception):
    """The archive cannot be made; the message is what the requester reads."""


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
