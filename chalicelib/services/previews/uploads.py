"""Getting a preview's file into S3: gazu's multipart POST through the API (small files),
or the presigned upload protocol straight to S3 (any size; chalicelib.services.uploads).
Either way the original lands under its upload prefix, the S3 event starts the workers
(chalicelib.services.previews.pipeline), and the request answers at once."""
import os
import time

from chalicelib import auth, storage
from chalicelib.auth import Caller
from chalicelib.errors import Invalid
from chalicelib.models import records
from chalicelib.services import uploads as upload_protocol
from chalicelib.services.previews import index, previews
from chalicelib.services.production import collections as c
from chalicelib.services.production.validation import check_value

# Zou's classes of upload (zou.md §1.1), decided by the file name's extension.
PICTURE_EXTENSIONS = frozenset({"jpe", "jpeg", "jpg", "png"})
MOVIE_EXTENSIONS = frozenset({"avi", "m4v", "mkv", "mov", "mp4", "webm", "wmv"})
FILE_EXTENSIONS = frozenset({
    "ae", "ai", "blend", "clip", "comp", "diff", "exr", "fbx", "fla", "flv", "gif", "glb", "gltf", "hip", "kra",
    "ma", "mb", "md", "mp3", "obj", "pdf", "psd", "psb", "rar", "rev", "riv", "sai", "sai2", "sbbkp", "svg",
    "swf", "tvpp", "wav", "zip"})
# What each class needs done before the preview is `ready`.
STAGES = {"movie": ["normalize", "images"], "picture": ["images"], "file": ["normalize"]}


def classify(filename: str) -> tuple[str | None, str, str]:
    """(movie | picture | file | None, extension, original name) from an upload's file name."""
    base = os.path.basename(filename or "")
    stem, dot, extension = base.rpartition(".")
    extension = extension.lower() if dot else ""
    stem = stem if dot else base
    if extension in MOVIE_EXTENSIONS:
        return "movie", extension, stem
    if extension in PICTURE_EXTENSIONS:
        return "picture", extension, stem
    if extension in FILE_EXTENSIONS:
        return "file", extension, stem
    return None, extension, stem


def served_extension(kind: str, extension: str) -> str:
    # gazu builds download URLs from `extension`: every movie is served as mp4, every picture as png.
    return {"movie": "mp4", "picture": "png"}.get(kind, extension)


def source_key(preview_id: str, kind: str, extension: str) -> str:
    """Where a new upload of the preview's original goes: a key of this upload alone."""
    upload_id = storage.new_upload_id()
    if kind == "picture":
        return storage.picture_upload_key(preview_id, extension, upload_id)
    return storage.preview_upload_key(preview_id, extension, upload_id)


def _normalize_flag(value) -> bool:
    # Zou: any value other than "true" turns normalization off.
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    return str(value).lower() == "true"


def _check_can_upload(caller: Caller, ctx, allow_pending: bool) -> None:
    """Zou's checks, in Zou's order: no re-upload (a presigned upload may be asked for
    again until its file has arrived), then task action access."""
    pipeline = ctx.preview.get("pipeline") or {}
    if ctx.preview.get("original_name") is not None and not (allow_pending and not pipeline.get("received")):
        raise Invalid("This preview file already has its file; re-uploads are not allowed. Add a new preview.")
    auth.check_preview_upload_access(caller, ctx.task, ctx.project, ctx.task_type, ctx.entity)


def _classify_or_remove(ctx, filename: str) -> tuple[str, str, str]:
    """An unknown extension deletes the preview, as Zou does: it was made for this file."""
    kind, extension, original_name = classify(filename)
    if kind is None:
        previews.remove(ctx.preview)
        raise Invalid(f"Wrong file format, extension: {extension or '(none)'}")
    return kind, extension, original_name


def _expect_upload(ctx, key: str, kind: str, extension: str, original_name: str, normalize: bool,
                   size: int | None, allow_pending: bool, upload: dict | None = None) -> dict:
    """Record where the original will land and what must be made of it, before it lands,
    so that the worker the S3 event starts finds its instructions (and `upload`, the
    presigned upload's `pending`, for upload-complete). The workers process only the
    object at `key`."""

    def decide(body: dict):
        pipeline = body.get("pipeline") or {}
        if body.get("original_name") is not None and not (allow_pending and not pipeline.get("received")):
            return None  # a concurrent upload got there first
        return {
            "original_name": original_name, "extension": served_extension(kind, extension),
            "status": "processing", "status_reason": None,
            "data": {**(body.get("data") or {}), **({"original_file_size": size} if size else {})},
            "pipeline": {"kind": kind, "source_key": key, "source_extension": extension, "encode": normalize,
                         "stages": STAGES[kind], "received": False, "variants": [], "upload": upload,
                         # The sweep's clock for "no upload received" (services/previews/sweep.py).
                         "announced_at": time.time()},
        }

    preview, changed = records.transition(ctx.preview["id"], decide, expected_kind=previews.KIND)
    if not changed:
        raise Invalid("This preview file already has its file; re-uploads are not allowed. Add a new preview.")
    index.record_preview(preview)
    return preview


# --- gazu: multipart POST pictures/preview-files/{id} -------------------------------------------

def upload_through_api(caller: Caller, preview_id: str, files: dict, query: dict[str, list[str]]) -> dict:
    """The file is in the request (at most the API's 5 MB); store it and return at once."""
    ctx = previews.load(preview_id)
    _check_can_upload(caller, ctx, allow_pending=False)
    upload = files.get("file")
    if upload is None:
        raise Invalid("File not provided.")
    kind, extension, original_name = _classify_or_remove(ctx, upload.filename)
    if not upload.content:
        previews.remove(ctx.preview)
        raise Invalid("The uploaded file is empty.")
    normalize = _normalize_flag((query.get("normalize") or [None])[-1])
    if kind == "file":
        return previews.serialize(store_file(ctx, extension, original_name, upload.content), relations=False)
    preview = _expect_upload(ctx, source_key(preview_id, kind, extension), kind, extension, original_name, normalize,
                             len(upload.content), allow_pending=False)
    try:
        storage.put_bytes(preview["pipeline"]["source_key"], upload.content, storage.content_type_for(upload.filename),
                          only_new=True)
    except Exception:
        # Nothing landed: let the client try again.
        records.update(preview_id, {"original_name": None, "pipeline": {}}, expected_kind=previews.KIND)
        raise
    return previews.serialize(preview, relations=False)


def store_file(ctx, extension: str, original_name: str, content: bytes) -> dict:
    """pdf, zip, ...: stored as they are and `ready` (no worker, no thumbnails)."""
    storage.put_bytes(storage.preview_key(ctx.preview["id"], f"file.{extension}"), content,
                      storage.content_type_for(f"x.{extension}"), only_new=True)
    preview, _ = records.transition(ctx.preview["id"], lambda body: {
        "original_name": original_name, "extension": extension, "status": "ready", "status_reason": None,
        "file_size": len(content),
        "pipeline": {"kind": "file", "stages": [], "received": True, "variants": ["file"]}},
        expected_kind=previews.KIND)
    index.record_preview(preview)
    previews.on_ready(preview)
    return preview


# --- presigned: straight to S3 ---------------------------------------------------------------------

def request_upload(caller: Caller, preview_id: str, body: dict) -> dict:
    """POST pictures/preview-files/{id}/upload-url {"filename", "size"?, "normalize"?, "multipart"?, "part_size"?}:
    the upload protocol's answer (a presigned PUT, or one presigned URL per part for big
    masters) with the preview file under `preview_file`."""
    if not isinstance(body, dict):
        raise Invalid("The body must be a JSON object")
    filename = check_value("filename", c.STR, body.get("filename"))
    if not filename:
        raise Invalid("Missing filename")
    size = check_value("size", c.INT, body.get("size"))
    if size is not None and not 0 < size <= storage.MAX_OBJECT_BYTES:
        raise Invalid(f"size must be between 1 and {storage.MAX_OBJECT_BYTES} bytes")
    # Strict booleans: 5 or a list is refused, not taken as "truthy".
    normalize = _normalize_flag(check_value("normalize", c.BOOL, body.get("normalize")))
    multipart = bool(check_value("multipart", c.BOOL, body.get("multipart")))
    part_size = check_value("part_size", c.INT, body.get("part_size"))
    ctx = previews.load(preview_id)
    _check_can_upload(caller, ctx, allow_pending=True)
    kind, extension, original_name = _classify_or_remove(ctx, filename)
    earlier = ctx.preview.get("pipeline") or {}
    key = source_key(preview_id, kind, extension)
    answer = upload_protocol.start(key, file_name=filename, content_type=storage.content_type_for(filename),
                                   size=size, complete_path=f"pictures/preview-files/{preview_id}/upload-complete",
                                   multipart=multipart, part_size=part_size)
    try:
        preview = _expect_upload(ctx, key, kind, extension, original_name, normalize,
                                 size, allow_pending=True, upload=upload_protocol.pending(answer))
    except Invalid:
        upload_protocol.abandon(key, upload_protocol.pending(answer))
        raise
    # Asked again before the file arrived (a failed PUT is retried with a new URL).
    upload_protocol.abandon(earlier.get("source_key"), earlier.get("upload"))
    return {**answer, "preview_file": previews.serialize(preview, relations=False)}


def complete_upload(caller: Caller, preview_id: str, body: dict) -> dict:
    """POST pictures/preview-files/{id}/upload-complete {"upload_id"?, "parts"?: [{"part_number", "etag"}]}:
    needed to join a multipart upload; after a single PUT it checks what arrived."""
    ctx = previews.load(preview_id)
    auth.check_preview_upload_access(caller, ctx.task, ctx.project, ctx.task_type, ctx.entity)
    completion = upload_protocol.read_completion(body)
    pipeline = ctx.preview.get("pipeline") or {}
    if not pipeline.get("source_key") or not pipeline.get("upload"):
        raise Invalid(f"No upload is in progress for this preview file; "
                      f"POST pictures/preview-files/{preview_id}/upload-url first")
    upload_protocol.finish(pipeline["source_key"], pipeline["upload"], completion)
    preview = records.update(preview_id, lambda current: {"pipeline": {**(current.get("pipeline") or {}),
                                                                       "upload": None}},
                             expected_kind=previews.KIND)
    return previews.serialize(preview, relations=False)
