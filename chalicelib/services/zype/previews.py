"""The one place publishing touches the review side's media. A video may be promoted
from a movie preview; the preview pipeline (PreviewFile records with `status`,
`duration`, `extension`, `task_id`, and the thumbnail route) belongs to the review API,
so everything publishing assumes about it is in `published_media`."""
from chalicelib.config import settings
from chalicelib.ids import is_uuid
from chalicelib.models import records
from chalicelib.services.zype.values import save_error

MOVIE_EXTENSIONS = ("mp4", "mov", "m4v", "webm", "mkv", "avi", "mxf")


def published_media(preview_file_id: str) -> dict:
    """What a video takes from its preview: duration (whole seconds) and thumbnail URL.
    Only a ready movie can be published (Zype serves video, not stills or sounds)."""
    preview = records.get(preview_file_id) if is_uuid(preview_file_id) else None
    if preview is None or preview.get("type") != "PreviewFile":
        raise save_error("video", "preview_file_id", "no such preview file")
    extension = str(preview.get("extension") or "").lower().lstrip(".")
    if preview.get("status") != "ready" or extension not in MOVIE_EXTENSIONS:
        raise save_error("video", "preview_file_id", "the preview must be a ready movie")
    duration = preview.get("duration")
    api_url = settings().public_api_url or "/api"
    return {
        "duration": round(float(duration)) if duration not in (None, "") else None,
        "thumbnail_url": f"{api_url}/pictures/thumbnails/preview-files/{preview['id']}.png",
    }
