"""What a picture or movie route answers, decided by the services and turned into HTTP by
chalicelib.api.media_routes: a presigned S3 link (302), or "still processing" (202)."""
import re
from dataclasses import dataclass

from chalicelib.errors import Invalid

_FILE_NAME = re.compile(r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
                        r"(?:\.([A-Za-z0-9]{1,8}))?$")


@dataclass(frozen=True)
class Download:
    url: str


@dataclass(frozen=True)
class Processing:
    message: str
    retry_after: int = 3


def parse_file_name(file_name: str, extension_required: bool = True) -> tuple[str, str | None]:
    """`<uuid>.<ext>` -> (id, ext). API Gateway path parameters are whole segments, so Zou's
    `/<id>.png` routes take the whole segment and split it here."""
    match = _FILE_NAME.match(file_name or "")
    if not match or (extension_required and not match.group(2)):
        raise Invalid(f"Expected <id>.<extension>, got {file_name!r}")
    return match.group(1).lower(), (match.group(2) or "").lower() or None
