"""The content of working and output files, kept in S3 under a key derived from the
file's id (storage.file_content_key). Small files may come through the API as
gazu sends them (multipart POST); anything bigger goes straight to S3 through
presigned URLs, and the API only records what arrived. Downloads are redirects to
presigned GETs, so no body ever crosses Lambda or API Gateway compression."""
from botocore.exceptions import ClientError

from chalicelib import auth, storage
from chalicelib.auth import Caller
from chalicelib.config import settings
from chalicelib.errors import Invalid, NotFound, TooLarge
from chalicelib.models import records
from chalicelib.services.files import file_records, output_files, working_files
from chalicelib.services.files.bodies import UploadComplete, UploadUrl, parse
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
    """A multipart upload started earlier and never completed is aborted (the bucket's
    lifecycle rule would drop its parts after two days anyway)."""
    pending = file_record.get("pending_upload") or {}
    if pending.get("upload_id"):
        try:
            storage.abort_multipart(storage.file_content_key(file_record["type"], file_record["id"]),
                                    pending["upload_id"])
        except ClientError:
            pass  # already completed or aborted: nothing left to free


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
    "multipart"?, "part_size"?}: one presigned PUT, or presigned part URLs for a
    multipart upload (above storage.SINGLE_PUT_LIMIT, or when asked). Either way the
    client then POSTs .../upload-complete."""
    body = parse(UploadUrl, raw_body)
    file_record = _writable(caller, kind, file_id)
    file_name = body.file_name or _default_name(file_record)
    content_type = body.content_type or storage.content_type_for(file_name)
    key = storage.file_content_key(kind, file_id)
    _abandon_pending(file_record)
    if body.multipart or body.size > storage.SINGLE_PUT_LIMIT:
        multipart = storage.start_multipart(key, content_type, body.size, body.part_size)
        upload_id = multipart["upload_id"]
        how = {"method": "multipart", **multipart}
    else:
        upload_id = None
        how = {"method": "PUT", "url": storage.presigned_put(key, content_type),
               "headers": {"Content-Type": content_type}, "expires_in": settings().presigned_url_seconds}
    data.apply_update(COLLECTIONS[kind], file_record, {"pending_upload": {
        "upload_id": upload_id, "size": body.size, "file_name": file_name, "content_type": content_type}})
    return {**how, "file_name": file_name, "content_type": content_type, "size": body.size,
            "complete_path": f"{_route(kind, file_id)}/upload-complete"}


def complete_upload(caller: Caller, kind: str, file_id: str, raw_body) -> dict:
    """POST .../upload-complete {"upload_id"?, "parts"?: [{"part_number", "etag"}]}: joins
    the parts of a multipart upload, checks what S3 holds, and records its size and
    content type on the file."""
    body = parse(UploadComplete, raw_body)
    file_record = _writable(caller, kind, file_id)
    pending = file_record.get("pending_upload")
    if not pending:
        raise Invalid(f"No upload is in progress for this file; POST {_route(kind, file_id)}/upload-url first")
    key = storage.file_content_key(kind, file_id)
    if pending["upload_id"]:
        if body.upload_id != pending["upload_id"]:
            raise Invalid("upload_id does not name the upload in progress for this file")
        if not body.parts:
            raise Invalid("parts ([{part_number, etag}, ...]) are needed to complete a multipart upload")
        try:
            storage.complete_multipart(key, pending["upload_id"], [part.model_dump() for part in body.parts])
        except ClientError as error:
            raise Invalid(f"S3 refused to complete the upload: {error.response['Error'].get('Message', error)}") \
                from error
    stored = storage.head(key)
    if stored is None:
        raise Invalid("Nothing has been uploaded yet: PUT the content to the presigned URL first")
    if stored["size"] == 0:
        storage.delete_keys([key])
        raise Invalid("The uploaded file is empty (0 bytes)")
    if stored["size"] != pending["size"]:
        raise Invalid(f"{stored['size']} bytes arrived but {pending['size']} were announced; upload again")
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
