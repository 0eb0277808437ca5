"""The content of working and output files, kept in S3 under a key derived from the
file's id (storage.file_content_key). Small files may come through the API as
gazu sends them (multipart POST); anything bigger goes straight to S3 through
presigned URLs (chalicelib.services.uploads), and the API only records what arrived.
Downloads are redirects to presigned GETs, so no body ever crosses Lambda or API
Gateway compression."""
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
        return working_files.changeable(caller, file_id)
    output_file = file_records.require_file(kind, file_id)
    auth.check_output_file_content_access(caller, output_file, data.require_project(output_file["project_id"]))
    return output_file


def _route(kind: str, file_id: str) -> str:
    return f"data/{COLLECTIONS[kind].route}/{file_id}"


def _serialized(kind: str, file_record: dict) -> dict:
    if kind == "OutputFile":
        return file_records.serialize_output_files([file_record])[0]
    return data.serialize(file_record)


def _record_content(kind: str, file_record: dict, size: int, content_type: str, file_name: str) -> dict:
    """What arrived in S3, on the file record: Zou's `size`, and what a download needs."""
    updated = data.apply_update(COLLECTIONS[kind], file_record, {
        "size": size, "content_type": content_type, "original_file_name": file_name,
        "uploaded_at": records.now_iso(), "pending_upload": None})
    return _serialized(kind, updated)


def _default_name(file_record: dict) -> str:
    return _download_name(file_record.get("path") or "") or file_record["id"]


def _download_name(client_name: str) -> str:
    """The last part of a client's file name, without control characters (it ends up in
    a Content-Disposition header); Windows clients may send their backslashes."""
    base = client_name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in base if char.isprintable())


def _abandon_pending(file_record: dict) -> None:
    """A new upload replaces one started earlier and never completed."""
    key = storage.file_content_key(file_record["type"], file_record["id"])
    upload_protocol.abandon(key, file_record.get("pending_upload"))


# --- through the API (gazu's upload_working_file) ------------------------------------

def upload_through_api(caller: Caller, kind: str, file_id: str, uploaded: dict) -> dict:
    """POST data/working-files/{id}/file: the multipart `file` part (with `filename`,
    `content_type` and `content`), up to the API upload cap."""
    file_record = _writable(caller, kind, file_id)
    part = uploaded.get("file")
    if part is None:
        raise Invalid("The multipart body has no 'file' part")
    if not part.content:
        raise Invalid("The uploaded file is empty (0 bytes)")
    limit = settings().max_api_upload_bytes
    if len(part.content) > limit:
        raise TooLarge(f"Uploads through the API are limited to {limit} bytes; "
                       f"POST {_route(kind, file_id)}/upload-url for a presigned upload of bigger files")
    file_name = _download_name(part.filename) or _default_name(file_record)
    # requests sends file parts as application/octet-stream: the name says more.
    content_type = part.content_type
    if not content_type or content_type == "application/octet-stream":
        content_type = storage.content_type_for(file_name)
    _abandon_pending(file_record)
    storage.put_bytes(storage.file_content_key(kind, file_id), part.content, content_type)
    return _record_content(kind, file_record, len(part.content), content_type, file_name)


# --- straight to S3 -------------------------------------------------------------------------

def start_upload(caller: Caller, kind: str, file_id: str, raw_body) -> dict:
    """POST data/{working,output}-files/{id}/upload-url {"size", "file_name"?, "content_type"?,
    "multipart"?, "part_size"?}: the upload protocol's answer (chalicelib.services.uploads);
    the client then POSTs .../upload-complete."""
    body = parse(UploadUrl, raw_body)
    file_record = _writable(caller, kind, file_id)
    file_name = body.file_name or _default_name(file_record)
    _abandon_pending(file_record)
    answer = upload_protocol.start(storage.file_content_key(kind, file_id), file_name=file_name,
                                   content_type=body.content_type or storage.content_type_for(file_name),
                                   size=body.size, complete_path=f"{_route(kind, file_id)}/upload-complete",
                                   multipart=body.multipart, part_size=body.part_size)
    data.apply_update(COLLECTIONS[kind], file_record, {"pending_upload": upload_protocol.pending(answer)})
    return answer


def complete_upload(caller: Caller, kind: str, file_id: str, raw_body) -> dict:
    """POST .../upload-complete {"upload_id"?, "parts"?: [{"part_number", "etag"}]}: the
    protocol's checks of what S3 holds, then its size and content type on the file."""
    completion = upload_protocol.read_completion(raw_body)
    file_record = _writable(caller, kind, file_id)
    pending = file_record.get("pending_upload")
    if not pending:
        raise Invalid(f"No upload is in progress for this file; POST {_route(kind, file_id)}/upload-url first")
    stored = upload_protocol.finish(storage.file_content_key(kind, file_id), pending, completion)
    return _record_content(kind, file_record, stored["size"], stored["content_type"] or pending["content_type"],
                           pending["file_name"])


# --- download -----------------------------------------------------------------------------

def download_url(caller: Caller, kind: str, file_id: str) -> str:
    """GET data/working-files/{id}/file: a short-lived presigned GET that names the file
    as it was uploaded (Content-Disposition: attachment)."""
    file_record = _readable(caller, kind, file_id)
    if not file_record.get("uploaded_at"):
        raise NotFound(f"{file_records.LABELS[kind]} not found for: {file_id}")
    return storage.presigned_get(storage.file_content_key(kind, file_id),
                                 download_name=file_record.get("original_file_name") or _default_name(file_record),
                                 content_type=file_record.get("content_type"))
