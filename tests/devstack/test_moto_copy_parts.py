"""The local stack's faster UploadPartCopy and CompleteMultipartUpload (devstack/moto_fixes.py)
give the object, ETag and checksum S3 (and moto before the fix) gives."""
import base64
import binascii
import hashlib
import os

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

from chalicelib import aws, storage

MIB = 1024 * 1024


def test_a_movie_joined_from_copied_ranges_is_byte_exact_with_s3s_etag_and_checksum(stack, unique):
    sources = {f"bench/{unique}/piece-{n}": os.urandom(6 * MIB + 1000 * n) for n in range(3)}
    for key, content in sources.items():
        storage.put_bytes(key, content, "video/mp4")
    head = os.urandom(5 * MIB)
    ranges = [(key, 1000, len(content) - 1) for key, content in sources.items()]
    ranges[-1] = (ranges[-1][0], 17, 4096)  # the last part may be small
    out_key = f"bench/{unique}/movie.mp4"

    storage.copy_parts(out_key, "video/mp4", head, ranges)

    expected = head + b"".join(sources[key][first:last + 1] for key, first, last in ranges)
    assert storage.read_bytes(out_key) == expected
    parts = [head] + [sources[key][first:last + 1] for key, first, last in ranges]
    md5s = b"".join(hashlib.md5(part).digest() for part in parts)
    answer = aws.client("s3").head_object(Bucket=storage.bucket(), Key=out_key)
    assert answer["ETag"].strip('"') == f"{hashlib.md5(md5s).hexdigest()}-{len(parts)}"
    # moto without awscrt stands a CRC32 of the whole object in for CRC64NVME.
    stored = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].get_object(storage.bucket(), out_key)
    assert (stored.checksum_type, stored.checksum_value) == (
        "FULL_OBJECT", base64.b64encode(binascii.crc32(expected).to_bytes(4, "big")).decode())
