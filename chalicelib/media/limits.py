"""What one media call may use, derived from the memory of the function running it, so
that a hostile upload makes its preview `broken` instead of killing the invocation."""
from __future__ import annotations

import os

# Lambda sets this for every function; the local stack does not, and gets this much.
LOCAL_MEMORY_MB = 4096

# A decoded picture is 4 bytes a pixel (RGBA), and colour conversion, resizing and the
# thumbnail canvas each hold another copy: a picture may take a quarter of the memory.
_BYTES_PER_PIXEL_AT_WORK = 16
# Above Zou's biggest useful original (a 12K plate); Pillow's default stops at ~89 Mpx.
MAX_PICTURE_PIXELS = 100_000_000


def function_memory_bytes() -> int:
    megabytes = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") or LOCAL_MEMORY_MB
    return int(megabytes) * 1024 * 1024


def max_picture_pixels() -> int:
    """The most pixels a picture may have for this function to decode it."""
    return min(MAX_PICTURE_PIXELS, function_memory_bytes() // _BYTES_PER_PIXEL_AT_WORK)


def ffmpeg_address_space_bytes() -> int:
    """The address space an ffmpeg child may map: the function's memory (`FFMPEG_MEMORY_MB`
    overrides it). ffmpeg past it fails to allocate and exits with an error."""
    override = os.environ.get("FFMPEG_MEMORY_MB")
    return int(override) * 1024 * 1024 if override else function_memory_bytes()
