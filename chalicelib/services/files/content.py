"""The content of working and output files, kept in S3 under a key of each upload's own
(storage.file_content_key), which the file record names. Small files may come through
the API as gazu sends them (multipart POST); anything bigger goes straight to S3
through presigned URLs (chalicelib.services.uploads), and the API only records what
arrived. Downloads are redirects to presigned GETs, so no body ever crosses Lambda or
API Gateway compression.

Nothing is overwritten: an upload to a working file that already holds content makes
its next revision (Zou would replace the content), and an output file's earlier
content stays in S3, listed on the record, until the file is deleted."""
from chalicelib import auth, storage
from chalicelib.auth import Caller
from chalicelib.config import settings
from chalicelib.errors import Invalid, NotFound, TooLarge
from chalicelib.models import records
from chalicelib.services.files import file_records, output_files, working_files
from chalicelib.services import uploads as upload_protocol
from chalicelib.services.files.bodies import UploadUrl, parse
from chalicelib.services.production import data

COLLECTIONS = {"WorkingFile": file_records.WORKING_FILES, "OutputFile": file_records.OUTPUT_FILES}


def _readable(caller: Caller, kind: str, file_id: str) -> dict:
    if kind == "WorkingFile":
        return working_files.readable(caller, file_id)
    return output_files.readable(caller, file_id)


def _writable(caller: Caller, kind: str, file_id: str) -> dict:
    if kind == "WorkingFile":
        # Zou's rule for a working file's content (WorkingFileFileResource): task access.
        return working_files.readable(caller, file_id)
    output_file = file_records.require_file(kind, file_id)
    auth.check_output_file_content_access(caller, output_file, data.require_project(output_file["project_id"]))
    return output_file


def _route(kind: str, file_id: str) -> str:
    return f"data/{COLLECTIONS[kind].route}/{file_id}"


def _serialized(kind: str, file_record: dict) -> dict:
    if kind == "OutputFile":
        return file_records.serialize_output_files([file_record])[0]
    return data.serialize(file_record)


def _record_content(kind: str, file_record: dict, key: str, size: int, content_type: str, file_name: str) -> dict:
    """What arrived in S3, on the file record: Zou's `size`, and what a download needs.
    Content it held before (an output file's, or a working file's written at the same
    moment) is listed in `previous_contents`, never dropped."""
    def changes(current: dict) -> dict:
        earlier = list(current.get("previous_contents") or [])
        if current.get("uploaded_at"):
            earlier.append({name: current.get(name) for name in (
                "size", "content_type", "original_file_name", "uploaded_at")} | {"key": content_key(current)})
        return {"size": size, "content_type": content_type, "original_file_name": file_name, "content_key": key,
                "uploaded_at": records.now_iso(), "pending_upload": None, "previous_contents": earlier}

    updated = records.update(file_record["id"], changes, expected_kind=kind)
    if updated is None:
        raise NotFound(f"{file_records.LABELS[kind]} not found: {file_record['id']}")
    return _serialized(kind, updated)


def content_key(file_record: dict) -> str:
    """Where the file's content is: the key its upload recorded (files uploaded before
    uploads had keys of their own have one key per file)."""
    return file_record.get("content_key") or storage.file_content_key(file_record["type"], file_record["id"])


def _upload_target(caller: Caller, kind: str, file_record: dict) -> dict:
    """The file a new upload goes to: this one, or for a working file that already holds
    content, its next revision."""
    if kind == "WorkingFile" and file_record.get("uploaded_at"):
        return working_files.next_revision(caller, file_record)
    return file_record


def _default_name(file_record: dict) -> str:
    return _download_name(file_record.get("path") or "") or file_record["id"]


def _download_name(client_name: str) -> str:
    """The last part of a client's file name, without control characters (it ends up in
    a Content-Disposition header); Windows clients may send their backslashes."""
    base = client_name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in base if char.isprintable())


def _abandon_pending(file_record: dict) -> None:
    """A new upload replaces one started earlier and never completed."""
    pending = file_record.get("pending_upload") or {}
    upload_protocol.abandon(pending.get("key") or content_key(file_record), pending)


# --- through the API (gazu's upload_working_file) ------------------------------------

def upload_through_api(caller: Caller, kind: str, file_id: str, uploaded: dict) -> dict:
    """POST data/working-files/{id}/file: the multipart `file` part (with `filename`,
    `content_type` and `content`), up to the API upload cap."""
    checked = _writable(caller, kind, file_id)
    part = uploaded.get("file")
    if part is None:
        raise Invalid("The multipart body has no 'file' part")
    if not part.content:
        raise Invalid("The uploaded file is empty (0 bytes)")
    limit = settings().max_api_upload_bytes
    if len(part.content) > limit:
        raise TooLarge(f"Uploads through the API are limited to {limit} bytes. Upload big files straight to "
                       "storage: from gazu scripts, pip install clients/python (the reelbase-gazu package of the "
                       "reelbase repository) and call reelbase_gazu.install() after import gazu; other clients "
                       f"POST {_route(kind, file_id)}/upload-url for presigned upload URLs.")
    file_name = _download_name(part.filename) or _default_name(checked)
    # requests sends file parts as application/octet-stream: the name says more.
    content_type = part.content_type
    if not content_type or content_type == "application/octet-stream":
        content_type = storage.content_type_for(file_name)
    file_record = _upload_target(caller, kind, checked)
    _abandon_pending(file_record)
    key = storage.file_content_key(kind, file_record["id"], storage.new_upload_id())
    storage.put_bytes(key, part.content, content_type, only_new=True)
    return _record_content(kind, file_record, key, len(part.content), content_type, file_name)


# --- straight to S3 -------------------------------------------------------------------------

def start_upload(caller: Caller, kind: str, file_id: str, raw_body) -> dict:
    """POST data/{working,output}-files/{id}/upload-url {"size", "file_name"?, "content_type"?,
    "multipart"?, "part_size"?}: the upload protocol's answer (chalicelib.services.uploads);
    the client then POSTs .../upload-complete."""
    body = parse(UploadUrl, raw_body)
    file_record = _upload_target(caller, kind, _writable(caller, kind, file_id))
    file_name = body.file_name or _default_name(file_record)
    _abandon_pending(file_record)
    key = storage.file_content_key(kind, file_record["id"], storage.new_upload_id())
    answer = upload_protocol.start(key, file_name=file_name,
                                   content_type=body.content_type or storage.content_type_for(file_name),
                                   size=body.size, complete_path=f"{_route(kind, file_record['id'])}/upload-complete",
                                   multipart=body.multipart, part_size=body.part_size)
    data.apply_update(COLLECTIONS[kind], file_record, {"pending_upload": {**upload_protocol.pending(answer),
                                                                          "key": key}})
    return answer


def complete_upload(caller: Caller, kind: str, file_id: str, raw_body) -> dict:
    """POST .../upload-complete {"upload_id"?, "parts"?: [{"part_number", "etag"}]}: the
    protocol's checks of what S3 holds, then its size and content type on the file."""
    completion = upload_protocol.read_completion(raw_body)
    file_record = _writable(caller, kind, file_id)
    pending = file_record.get("pending_upload")
    if not pending:
        raise Invalid(f"No upload is in progress for this file; POST {_route(kind, file_id)}/upload-url first")
    key = pending.get("key") or content_key(file_record)
    stored = upload_protocol.finish(key, pending, completion)
    return _record_content(kind, file_record, key, stored["size"], stored["content_type"] or pending["content_type"],
                           pending["file_name"])


# --- download -----------------------------------------------------------------------------

def download_url(caller: Caller, kind: str, file_id: str) -> str:
    """GET data/working-files/{id}/file: a short-lived presigned GET that names the file
    as it was uploaded (Content-Disposition: attachment)."""
    file_record = _readable(caller, kind, file_id)
    if not file_record.get("uploaded_at"):
        raise NotFound(f"{file_records.LABELS[kind]} not found for: {file_id}")
    return storage.presigned_get(content_key(file_record),
                                 download_name=file_record.get("original_file_name") or _default_name(file_record),
                                 content_type=file_record.get("content_type"))
