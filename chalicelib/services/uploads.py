"""The presigned upload protocol, one for previews, working files and output files:
the bytes go straight to S3, never through Lambda or API Gateway.

1. `POST …/upload-url` (each domain reads its own body and checks its own rights)
   answers `start(...)`: one presigned PUT, or a multipart upload with one presigned
   URL per part (above storage.SINGLE_PUT_LIMIT, or when asked):

       {"method": "PUT", "url", "headers": {"Content-Type"}, "expires_in",
        "file_name", "content_type", "size", "complete_path"}
       {"method": "multipart", "upload_id", "part_size", "parts": [{"part_number", "url"}],
        "expires_in", "file_name", "content_type", "size", "complete_path"}

   The record uploaded to keeps `pending(answer)` until the upload completes.
2. The client PUTs the file (with `headers`, which S3 checks: a presigned PUT only
   creates its object, so a replayed URL answers 412 rather than replace it), or each
   part (keeping the ETags S3 answers).
3. `POST <complete_path>` `{"upload_id"?, "parts"?: [{"part_number", "etag"}]}`:
   `finish` joins the parts and checks what S3 holds against what was announced.
   (A preview's pipeline starts as soon as its object lands, so after a single PUT
   this step is optional for previews; it still tells the client what arrived.)

An upload that is asked for again, or never completed, is given up with `abandon`
(the bucket's lifecycle rule drops forgotten parts after two days anyway)."""
from typing import Annotated

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from chalicelib import storage
from chalicelib.config import settings
from chalicelib.errors import Invalid
from chalicelib.services.files.bodies import parse


class _Body(BaseModel):
    # defer_build: schemas are built on first use, not at cold start.
    model_config = ConfigDict(extra="ignore", defer_build=True)


class UploadedPart(_Body):
    part_number: Annotated[StrictInt, Field(ge=1, le=storage.MAX_PARTS)]
    etag: StrictStr = Field(min_length=1)


class UploadComplete(_Body):
    upload_id: StrictStr | None = None
    parts: list[UploadedPart] | None = None


def start(key: str, *, file_name: str, content_type: str, size: int | None, complete_path: str,
          multipart: bool = False, part_size: int | None = None) -> dict:
    """The answer to `upload-url` for an upload of `size` bytes (None: not announced)
    to `key`, signed for `content_type`."""
    _check_plan(size, part_size)
    if multipart or (size or 0) > storage.SINGLE_PUT_LIMIT:
        # Without an announced size there is one part, which S3 lets hold up to 5 GiB.
        started = storage.start_multipart(key, content_type, size or storage.MIN_PART_BYTES, part_size)
        how = {"method": "multipart", **started, "expires_in": storage.part_url_seconds()}
    else:
        how = {"method": "PUT", "url": storage.presigned_put(key, content_type),
               "headers": {"Content-Type": content_type, **storage.ONLY_NEW_OBJECTS},
               "expires_in": settings().presigned_url_seconds}
    return {**how, "file_name": file_name, "content_type": content_type, "size": size,
            "complete_path": complete_path}


def _check_plan(size, part_size) -> None:
    # Before any planning: an unbounded size (1e40) would have the part planner sign
    # parts forever. S3 holds at most 5 TiB in at most 10,000 parts.
    for name, value in (("size", size), ("part_size", part_size)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise Invalid(f"{name} must be an integer number of bytes")
    if size is not None and not 1 <= size <= storage.MAX_OBJECT_BYTES:
        raise Invalid(f"size must be between 1 and {storage.MAX_OBJECT_BYTES} bytes (S3's largest object)")
    if part_size is not None and not storage.MIN_PART_BYTES <= part_size <= storage.MAX_PART_BYTES:
        raise Invalid(f"part_size must be between {storage.MIN_PART_BYTES} and {storage.MAX_PART_BYTES} bytes")
    if size and part_size and -(-size // part_size) > storage.MAX_PARTS:
        raise Invalid(f"size / part_size needs more than {storage.MAX_PARTS} parts; choose a bigger part_size")


def pending(answer: dict) -> dict:
    """What the record uploaded to keeps of a started upload, for `finish` and `abandon`."""
    return {"upload_id": answer.get("upload_id"), "size": answer["size"], "file_name": answer["file_name"],
            "content_type": answer["content_type"]}


def abandon(key: str | None, started: dict | None) -> None:
    """Give up a multipart upload that was started and not completed (a single PUT
    leaves nothing to free)."""
    if key and started and started.get("upload_id"):
        try:
            storage.abort_multipart(key, started["upload_id"])
        except ClientError:
            pass  # already completed or aborted: nothing left to free


def read_completion(raw_body) -> UploadComplete:
    return parse(UploadComplete, raw_body)


def finish(key: str, started: dict, completion: UploadComplete) -> dict:
    """Complete the upload `started` (its `pending`): join the parts of a multipart
    upload, then check that S3 holds a non-empty object of the announced size.
    Returns what S3 holds (storage.head); Invalid says what the client should redo."""
    if started.get("upload_id"):
        if completion.upload_id != started["upload_id"]:
            raise Invalid("upload_id does not name the upload in progress for this file")
        if not completion.parts:
            raise Invalid("parts ([{part_number, etag}, ...]) are needed to complete a multipart upload")
        try:
            storage.complete_multipart(key, started["upload_id"], [part.model_dump() for part in completion.parts])
        except ClientError as error:
            raise Invalid(f"S3 refused to complete the upload: {error.response['Error'].get('Message', error)}") \
                from error
    stored = storage.head(key)
    if stored is None:
        raise Invalid("Nothing has been uploaded yet: PUT the content to the presigned URL first")
    if stored["size"] == 0:
        storage.delete_keys([key])
        raise Invalid("The uploaded file is empty (0 bytes)")
    if started.get("size") is not None and stored["size"] != started["size"]:
        # Taken away, so that the same URL (which only creates) can be used again.
        storage.delete_keys([key])
        raise Invalid(f"{stored['size']} bytes arrived but {started['size']} were announced; upload again")
    return stored
