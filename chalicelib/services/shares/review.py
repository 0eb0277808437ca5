"""The review page's files (chalicelib/review_page, packaged with the code) and the
headers they are served with: a CSP that runs only our script, no framing, no referrer
(the page's address holds the link's token)."""
import functools
import pathlib
from urllib.parse import urlsplit

from chalicelib import aws
from chalicelib.errors import NotFound

PAGE_DIR = pathlib.Path(__file__).resolve().parents[2] / "review_page"
ASSETS = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}


@functools.lru_cache(maxsize=8)
def _read(name: str) -> str:
    return (PAGE_DIR / name).read_text(encoding="utf-8")


def page() -> str:
    return _read("index.html")


def asset(name: str) -> tuple[str, str]:
    if name not in ASSETS:
        raise NotFound(f"No such file: {name}")
    return _read(name), ASSETS[name]


@functools.lru_cache(maxsize=1)
def _media_origins() -> str:
    # Media are presigned S3 links the API redirects to: S3's own host (moto's locally).
    endpoint = urlsplit(aws.client("s3").meta.endpoint_url or "")
    origins = ["https://*.amazonaws.com"]
    if endpoint.scheme and endpoint.netloc:
        origins.append(f"{endpoint.scheme}://{endpoint.netloc}")
    return " ".join(dict.fromkeys(origins))


def security_headers() -> dict[str, str]:
    media = _media_origins()
    policy = "; ".join([
        "default-src 'none'", "script-src 'self'", "style-src 'self'", f"img-src 'self' {media} data:",
        f"media-src 'self' {media} blob:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
        "form-action 'self'"])
    return {"Content-Security-Policy": policy, "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}
