"""What a picture or movie service answers, turned into HTTP by chalicelib.api.http.link:
a presigned S3 link (302), or "still processing" (202)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Download:
    url: str


@dataclass(frozen=True)
class Processing:
    message: str
    retry_after: int = 3
