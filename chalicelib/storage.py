"""S3: object keys, presigned URLs and small direct transfers for the media bucket.

Clients move file content straight to and from S3 through presigned URLs; the API
only hands out URLs and records what arrived."""
import math
import mimetypes
import re
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from chalicelib import aws
from chalicelib.config import settings
from chalicelib.ids import canonical_uuid

# S3 multipart limits: parts of 5 MiB..5 GiB, at most 10,000 of them, 5 TiB per object.
MIN_PART_BYTES = 5 * 1024 * 1024
MAX_PART_BYTES = 5 * 1024 ** 3
MAX_OBJECT_BYTES = 5 * 1024 ** 4
DEFAULT_PART_BYTES = 100 * 1024 * 1024
MAX_PARTS = 10_000
SINGLE_PUT_LIMIT = 100 * 1024 * 1024  # above this, a multipart upload is offered


def bucket() -> str:
    return settings().media_bucket


def new_upload_id() -> str:
    """Names one upload: every upload writes a key of its own, so none replaces another."""
    return uuid.uuid4().hex


def file_content_key(kind: str, file_id: str, upload_id: str | None = None) -> str:
    """Where a working or output file's content lives: one object per upload under the
    file's id (the record names the one it holds). Without `upload_id`, the single
    object per file of files uploaded before uploads had keys of their own."""
    folder = {"WorkingFile": "working-files", "OutputFile": "output-files"}[kind]
    return f"{folder}/{file_id}/{upload_id}" if upload_id else f"{folder}/{file_id}"


def file_content_prefix(kind: str, file_id: str) -> str:
    return f"{file_content_key(kind, file_id)}/"


def content_type_for(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def attachment_disposition(filename: str) -> str:
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so any original name survives.
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def presigned_get(key: str, download_name: str | None = None, content_type: str | None = None,
                  expires: int | None = None) -> str:
    params = {"Bucket": bucket(), "Key": key}
    if download_name:
        params["ResponseContentDisposition"] = attachment_disposition(download_name)
    if content_type:
        params["ResponseContentType"] = content_type
    return aws.client("s3").generate_presigned_url(
        "get_object", Params=params, ExpiresIn=expires or settings().presigned_url_seconds)


# Sent (and signed) with every presigned PUT: S3 refuses it once the key holds an object,
# so a replayed URL cannot replace what was uploaded and processed.
ONLY_NEW_OBJECTS = {"If-None-Match": "*"}


def presigned_put(key: str, content_type: str, expires: int | None = None) -> str:
    """A presigned PUT that creates the object and cannot replace it (send ONLY_NEW_OBJECTS)."""
    return aws.client("s3").generate_presigned_url(
        "put_object", Params={"Bucket": bucket(), "Key": key, "ContentType": content_type, "IfNoneMatch": "*"},
        ExpiresIn=expires or settings().presigned_url_seconds)


def part_size_for(total_bytes: int) -> int:
    return max(DEFAULT_PART_BYTES, math.ceil(total_bytes / MAX_PARTS), MIN_PART_BYTES)


def part_url_seconds() -> int:
    # Parts of a big master go up one after the other: their URLs must outlive the
    # usual presigned lifetime.
    return max(settings().presigned_url_seconds, 3600 * 6)


def start_multipart(key: str, content_type: str, total_bytes: int, part_size: int | None = None) -> dict:
    """A multipart upload with one presigned URL per part (PUT each, keep the ETags),
    valid part_url_seconds(). `part_size` defaults to part_size_for(total_bytes); a
    caller's choice is kept within S3's limits."""
    s3 = aws.client("s3")
    upload_id = s3.create_multipart_upload(Bucket=bucket(), Key=key, ContentType=content_type)["UploadId"]
    part_size = min(max(part_size or part_size_for(total_bytes), MIN_PART_BYTES, math.ceil(total_bytes / MAX_PARTS)),
                    MAX_PART_BYTES)
    count = max(1, math.ceil(total_bytes / part_size))
    urls = [s3.generate_presigned_url("upload_part", ExpiresIn=part_url_seconds(),
                                      Params={"Bucket": bucket(), "Key": key, "UploadId": upload_id,
                                              "PartNumber": number})
            for number in range(1, count + 1)]
    return {"upload_id": upload_id, "part_size": part_size,
            "parts": [{"part_number": n, "url": url} for n, url in enumerate(urls, start=1)]}


def complete_multipart(key: str, upload_id: str, parts: list[dict]) -> None:
    aws.client("s3").complete_multipart_upload(
        Bucket=bucket(), Key=key, UploadId=upload_id, IfNoneMatch="*",
        MultipartUpload={"Parts": [{"PartNumber": int(p["part_number"]), "ETag": p["etag"]} for p in parts]})


def abort_multipart(key: str, upload_id: str) -> None:
    aws.client("s3").abort_multipart_upload(Bucket=bucket(), Key=key, UploadId=upload_id)


def abort_multiparts_of(key: str) -> None:
    """Abort every multipart upload still open on `key` (a retried step's earlier attempt)."""
    answer = aws.client("s3").list_multipart_uploads(Bucket=bucket(), Prefix=key)
    for upload in answer.get("Uploads", []):
        if upload["Key"] == key:
            abort_multipart(key, upload["UploadId"])


def copy_parts(key: str, content_type: str, head: bytes, ranges: list[tuple[str, int, int]], threads: int = 8) -> None:
    """Write `key` as `head` (at least MIN_PART_BYTES) followed by byte ranges (source key,
    first, last inclusive) of other objects, copied by S3 (UploadPartCopy): no byte of
    them passes through here. Every range but the last must be MIN_PART_BYTES..MAX_PART_BYTES."""
    from concurrent.futures import ThreadPoolExecutor

    s3 = aws.client("s3")
    abort_multiparts_of(key)
    upload_id = s3.create_multipart_upload(Bucket=bucket(), Key=key, ContentType=content_type)["UploadId"]
    try:
        def copy_part(number: int) -> dict:
            source, first, last = ranges[number - 2]
            answer = s3.upload_part_copy(Bucket=bucket(), Key=key, UploadId=upload_id, PartNumber=number,
                                         CopySource={"Bucket": bucket(), "Key": source},
                                         CopySourceRange=f"bytes={first}-{last}")
            return {"PartNumber": number, "ETag": answer["CopyPartResult"]["ETag"]}

        first_part = s3.upload_part(Bucket=bucket(), Key=key, UploadId=upload_id, PartNumber=1, Body=head)
        with ThreadPoolExecutor(max_workers=max(1, min(threads, len(ranges)))) as pool:
            parts = list(pool.map(copy_part, range(2, len(ranges) + 2)))
        s3.complete_multipart_upload(Bucket=bucket(), Key=key, UploadId=upload_id, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": first_part["ETag"]}, *parts]})
    except Exception:
        try:
            abort_multipart(key, upload_id)
        except Exception:  # noqa: BLE001 - the first error is the one to report
            pass
        raise


def put_bytes(key: str, content: bytes, content_type: str, only_new: bool = False) -> None:
    """Write an object; with `only_new`, S3 refuses (412) when the key already holds one."""
    extra = {"IfNoneMatch": "*"} if only_new else {}
    aws.client("s3").put_object(Bucket=bucket(), Key=key, Body=content, ContentType=content_type, **extra)


def upload_file(path: str, key: str, content_type: str, metadata: dict | None = None) -> None:
    extra = {"ContentType": content_type}
    if metadata:
        extra["Metadata"] = metadata
    aws.client("s3").upload_file(path, bucket(), key, ExtraArgs=extra, Config=_upload_config())


def _upload_config():
    from boto3.s3.transfer import TransferConfig

    # Multipart pays off for big files only; below this one PUT is cheaper (and the
    # local stack, moto, would copy every part once more to assemble the object).
    return TransferConfig(multipart_threshold=SINGLE_PUT_LIMIT, multipart_chunksize=16 * 1024 * 1024)


def upload_stream(readable, key: str, content_type: str) -> None:
    """Upload from a file-like object of unknown length (multipart, a part at a time)."""
    aws.client("s3").upload_fileobj(readable, bucket(), key, ExtraArgs={"ContentType": content_type})


def download_file(key: str, path: str) -> None:
    """One GET streamed to `path`. (boto3's download_file sends a HEAD first for the size:
    a request more per object, and every request is one more that can fail.) Callers
    fetch several objects at once for throughput."""
    body = aws.client("s3").get_object(Bucket=bucket(), Key=key)["Body"]
    with open(path, "wb") as out:
        for piece in body.iter_chunks(chunk_size=1024 * 1024):
            out.write(piece)


def read_bytes(key: str, first: int | None = None, last: int | None = None) -> bytes | None:
    """An object's bytes (or bytes `first`..`last`, inclusive), None when it is not there."""
    from botocore.exceptions import ClientError

    extra = {"Range": f"bytes={first}-{last}"} if first is not None else {}
    try:
        return aws.client("s3").get_object(Bucket=bucket(), Key=key, **extra)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def open_object(key: str):
    """A streaming body of the object (iterate with `.iter_chunks()`)."""
    return aws.client("s3").get_object(Bucket=bucket(), Key=key)["Body"]


def head(key: str) -> dict | None:
    """Size, type and user metadata of an object, or None when it is not there."""
    from botocore.exceptions import ClientError

    try:
        answer = aws.client("s3").head_object(Bucket=bucket(), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return {"size": answer["ContentLength"], "content_type": answer.get("ContentType"), "etag": answer.get("ETag"),
            "metadata": answer.get("Metadata") or {}}


def delete_keys(keys: list[str]) -> None:
    keys = [k for k in keys if k]
    for start in range(0, len(keys), 1000):  # DeleteObjects takes 1,000 keys at most
        aws.client("s3").delete_objects(
            Bucket=bucket(), Delete={"Objects": [{"Key": k} for k in keys[start:start + 1000]], "Quiet": True})


def delete_prefix(prefix: str) -> None:
    paginator = aws.client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket(), Prefix=prefix):
        delete_keys([item["Key"] for item in page.get("Contents", [])])


# --- where each preview file's objects live --------------------------------------
# The uploaded original keeps its extension; everything derived from it is written by
# the workers under the same prefix, so deleting a preview is one prefix delete.
PREVIEW_PREFIX = "previews/"
UPLOAD_PREFIX = "uploads/previews/"  # S3 events on this prefix start the normalize worker
PICTURE_UPLOAD_PREFIX = "uploads/pictures/"  # S3 events on this prefix start the images worker

PREVIEW_VARIANTS = {
    # S3 events on previews/*/movie.mp4 start the images worker too.
    "movie": "movie.mp4",              # normalized, project fps and size (movies/originals)
    "low": "low.mp4",                  # low definition (movies/low)
    "thumbnail": "thumbnail.png",      # rectangle thumbnail (pictures/thumbnails)
    "thumbnail-square": "thumbnail-square.png",
    "preview": "preview.png",          # previews size (pictures/previews)
    "original": "original.png",        # original-size frame or picture (pictures/originals ... .png)
    "tile": "tile.png",                # scrubbing sprite (movies/tiles)
}


def preview_upload_key(preview_id: str, extension: str, upload_id: str) -> str:
    """An uploaded original, under a key of its own upload (asking for an upload URL
    again never points at the object an earlier URL may still write)."""
    return f"{UPLOAD_PREFIX}{preview_id}/{upload_id}/source.{extension}"


def picture_upload_key(preview_id: str, extension: str, upload_id: str) -> str:
    """Uploaded pictures skip normalize: their own prefix sends them to the images worker."""
    return f"{PICTURE_UPLOAD_PREFIX}{preview_id}/{upload_id}/source.{extension}"


def preview_prefixes(preview_id: str) -> list[str]:
    """Every prefix that holds objects of a preview (the kept original and what was made from it)."""
    return [f"{PREVIEW_PREFIX}{preview_id}/", f"{UPLOAD_PREFIX}{preview_id}/", f"{PICTURE_UPLOAD_PREFIX}{preview_id}/"]


def preview_key(preview_id: str, variant: str) -> str:
    """Key of a processed object of a preview: one of PREVIEW_VARIANTS, or `file.<ext>`
    for files stored as they are (pdf, zip, ...)."""
    return f"{PREVIEW_PREFIX}{preview_id}/{PREVIEW_VARIANTS.get(variant, variant)}"


def preview_frame_key(preview_id: str, frame_number: int) -> str:
    """A frame extracted on request (extract-frame); under the preview's prefix, so deleted with it."""
    return f"{PREVIEW_PREFIX}{preview_id}/frames/{frame_number}.png"


UPLOADED, PICTURE_UPLOADED, PROCESSED = "uploaded", "picture-uploaded", "processed"
_PLACES = ((UPLOAD_PREFIX, UPLOADED), (PICTURE_UPLOAD_PREFIX, PICTURE_UPLOADED), (PREVIEW_PREFIX, PROCESSED))
_VARIANT_OF_FILE = {file_name: variant for variant, file_name in PREVIEW_VARIANTS.items()}
_SOURCE_FILE = re.compile(r"[0-9a-f]{32}/source\.(\w+)")
_STORED_FILE = re.compile(r"file\.(\w+)")


@dataclass(frozen=True)
class PreviewObject:
    """What a preview object's key says (the workers learn their work from S3 events)."""
    preview_id: str
    place: str      # UPLOADED (an original to normalize), PICTURE_UPLOADED or PROCESSED
    variant: str    # "source" for originals; a PREVIEW_VARIANTS name or "file.<ext>" when processed
    extension: str


def parse_preview_key(key: str) -> PreviewObject | None:
    """The preview object a key names, as preview_upload_key, picture_upload_key and
    preview_key build it; None for any other key (extracted frames included)."""
    places = [(prefix, place) for prefix, place in _PLACES if key.startswith(prefix)]
    if not places:
        return None
    prefix, place = places[0]
    preview_id, _, file_name = key[len(prefix):].partition("/")
    if canonical_uuid(preview_id) != preview_id:
        return None  # keys are built from stored ids, which are lowercase
    if place != PROCESSED:
        source = _SOURCE_FILE.fullmatch(file_name)
        return PreviewObject(preview_id, place, "source", source.group(1)) if source else None
    if file_name in _VARIANT_OF_FILE:
        return PreviewObject(preview_id, place, _VARIANT_OF_FILE[file_name], file_name.rpartition(".")[2])
    stored = _STORED_FILE.fullmatch(file_name)
    return PreviewObject(preview_id, place, file_name, stored.group(1)) if stored else None


# --- other pictures ------------------------------------------------------------------

def avatar_key(kind: str, record_id: str) -> str:
    """A person's, project's or organisation's avatar (kind: persons, projects, organisations)."""
    return f"thumbnails/{kind}/{record_id}.png"


def background_key(background_id: str, extension: str) -> str:
    return f"preview-backgrounds/{background_id}/file.{extension}"


def background_thumbnail_key(background_id: str) -> str:
    return f"preview-backgrounds/{background_id}/thumbnail.png"


def attachment_key(attachment_id: str, file_name: str) -> str:
    return f"attachments/{attachment_id}/{file_name}"


def attachment_thumbnail_key(attachment_id: str) -> str:
    return f"attachments/{attachment_id}/thumbnail.png"


def attachment_prefix(attachment_id: str) -> str:
    """Every object of an attachment file (the file and its thumbnail)."""
    return f"attachments/{attachment_id}/"


def copy(source_key: str, key: str, content_type: str | None = None) -> None:
    """Server-side copy inside the media bucket (multipart for big objects; no bytes
    through the function)."""
    extra = {"ContentType": content_type, "MetadataDirective": "REPLACE"} if content_type else {}
    aws.client("s3").copy({"Bucket": bucket(), "Key": source_key}, bucket(), key, ExtraArgs=extra)


# --- playlist builds and archives ------------------------------------------------
PLAYLIST_CHUNK_PREFIX = "playlists/chunks/"    # content-addressed, shared by builds (expire by lifecycle)
PLAYLIST_BUILD_PREFIX = "playlists/builds/"    # one finished movie per build job
PLAYLIST_SCRATCH_PREFIX = "playlists/scratch/"  # a running build's temporary objects
PLAYLIST_ZIP_PREFIX = "playlists/zips/"        # content-addressed ZIPs of a playlist


def playlist_chunk_key(content_key: str) -> str:
    return f"{PLAYLIST_CHUNK_PREFIX}{content_key}.mp4"


def playlist_sound_key(content_key: str) -> str:
    """An entry's sound piece in a build (AAC packets, ADTS), content-addressed like the chunks."""
    return f"{PLAYLIST_CHUNK_PREFIX}{content_key}.aac"


def playlist_layout_key(content_key: str) -> str:
    """Where a chunk's movie piece keeps its layout (init size, fragments), written after it."""
    return f"{PLAYLIST_CHUNK_PREFIX}{content_key}.json"


def playlist_build_key(build_job_id: str) -> str:
    return f"{PLAYLIST_BUILD_PREFIX}{build_job_id}.mp4"


def playlist_hls_key(build_job_id: str) -> str:
    """The HLS playlist of a build's movie (its segments: byte ranges of the movie)."""
    return f"{PLAYLIST_BUILD_PREFIX}{build_job_id}.m3u8"


def build_scratch_prefix(build_job_id: str) -> str:
    return f"{PLAYLIST_SCRATCH_PREFIX}{build_job_id}/"


def playlist_zip_prefix(playlist_id: str) -> str:
    return f"{PLAYLIST_ZIP_PREFIX}{playlist_id}/"
