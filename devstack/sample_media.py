"""Ready preview files made on this machine, as the preview pipeline leaves them: a
generated clip normalized to the project's fps and size, stored at the preview's movie
key, a PreviewFile record under its task, and the entity's preview summary refreshed.

For the demo studio and the tests only (nothing in the product imports it)."""
import atexit
import functools
import os
import pathlib
import shutil
import subprocess
import tempfile

from chalicelib import storage
from chalicelib.media import encoding, normalize_movie
from chalicelib.media.ffmpeg import ffmpeg_binary
from chalicelib.models import records
from chalicelib.services.previews import index
from chalicelib.services.production.canvas import preview_canvas

# lavfi sources that look different from each other, so joined clips are told apart.
PATTERNS = ("testsrc2", "smptebars", "rgbtestsrc", "testsrc", "smptehdbars", "yuvtestsrc")
_WORK_DIR = pathlib.Path(tempfile.gettempdir()) / f"reelbase-sample-media-{os.getpid()}"
atexit.register(shutil.rmtree, _WORK_DIR, ignore_errors=True)


def project_canvas(project: dict) -> tuple[str, int, int]:
    fps, width, height = preview_canvas(project)
    # A project without a width follows its sources: these are made 16:9.
    return fps, width or encoding.even(height * 16 // 9), height


@functools.lru_cache(maxsize=64)
def normalized_clip(seconds: float, fps: str, width: int, height: int, pattern: str = PATTERNS[0],
                    preset: str = "ultrafast") -> str:
    """A normalized movie of `seconds` (made once per process and arguments)."""
    _WORK_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"{pattern}-{seconds:g}s-{width}x{height}-{fps.replace('/', '_')}-{preset}"
    source, normalized = _WORK_DIR / f"{stem}-source.mp4", _WORK_DIR / f"{stem}.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"{pattern}=size={width}x{height}:rate={fps}:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", str(source)],
                   check=True)
    normalize_movie(str(source), str(normalized), fps, width, height, preset=preset)
    return str(normalized)


def add_ready_preview(task: dict, movie_path: str | None = None, *, extension: str = "mp4",
                      content: bytes | None = None, revision: int | None = None, position: int = 1,
                      duration: float | None = None, width: int | None = None, height: int | None = None,
                      created_at: str | None = None, status: str = "ready") -> dict:
    """Store a processed preview of `task` (a movie from `movie_path`, or raw `content`
    for pictures and other files) the way the preview pipeline does; returns its body."""
    from chalicelib.media import probe_movie

    if revision is None:
        existing = records.query_parent(task["id"], "PreviewFile")
        revision = max((p.get("revision") or 0 for p in existing), default=0) + 1
    preview_id = records.new_id()
    if extension == "mp4" and movie_path:
        info = probe_movie(movie_path, count_frames=False)
        duration = info.duration if duration is None else duration
        width, height = width or info.width, height or info.height
        storage.upload_file(movie_path, storage.preview_key(preview_id, "movie"), "video/mp4")
        file_size = os.path.getsize(movie_path)
    else:
        key = storage.preview_key(preview_id, "original" if extension == "png" else f"file.{extension}")
        storage.put_bytes(key, content or b"", storage.content_type_for(f"x.{extension}"))
        file_size = len(content or b"")
    body = {"id": preview_id, "task_id": task["id"], "entity_id": task["entity_id"],
            "task_type_id": task["task_type_id"], "project_id": task["project_id"], "revision": revision,
            "position": position, "extension": extension, "status": status, "width": width, "height": height,
            "duration": duration or 0, "original_name": f"sample_v{revision}.{extension}", "file_size": file_size,
            "annotations": [], "validation_status": "neutral"}
    if created_at:
        body["created_at"] = created_at
    stored = records.create("PreviewFile", body, project_id=task["project_id"], parent_id=task["id"])
    index.record_preview(stored)
    return stored
