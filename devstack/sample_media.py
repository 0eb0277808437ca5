"""Preview files for the demo studio and the tests, made the way a studio makes them:
`upload_preview` posts a comment and Zou's add-preview, PUTs a generated clip (or picture)
to its presigned S3 URL, and returns the preview once the pipeline's workers (on the local
stack's queues) have made it `ready` with every rendition: movie, low, pictures and tile.

`add_ready_preview` stores only a normalized movie and a `ready` record, without the
pipeline: the build benchmark uses it to make hundreds of entries quickly.

Nothing in the product imports this module."""
import atexit
import functools
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

from chalicelib import auth, storage
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
def source_clip(seconds: float, fps: str, width: int, height: int, pattern: str = PATTERNS[0]) -> str:
    """A generated movie as a studio would upload it (H.264 and a 440 Hz tone), made once per
    process and arguments; the pipeline normalizes it to the project's canvas."""
    _WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = _WORK_DIR / f"{pattern}-{seconds:g}s-{width}x{height}-{fps.replace('/', '_')}-source.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"{pattern}=size={width}x{height}:rate={fps}:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", str(path)],
                   check=True)
    return str(path)


@functools.lru_cache(maxsize=16)
def source_picture(width: int, height: int, pattern: str = PATTERNS[0]) -> str:
    """A generated PNG picture (the first frame of a lavfi pattern), made once per process."""
    _WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = _WORK_DIR / f"{pattern}-{width}x{height}.png"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"{pattern}=size={width}x{height}:rate=1:duration=1",
                    "-frames:v", "1", str(path)], check=True)
    return str(path)


def new_preview(person: dict, task: dict, *, revision: int = 0, extra_of: dict | None = None,
                comment: str = "new take") -> dict:
    """A preview of `task` by `person` as Zou's add-preview leaves it, before its file: a
    comment (in the task's status) and a preview on it (`revision` 0 is the next one), or,
    given `extra_of`, one more preview on that preview's comment (its revision, the next position)."""
    from chalicelib.services.previews import previews
    from chalicelib.services.production import production

    caller = auth.Caller(person)
    task = records.get(task["id"])
    if extra_of is not None:
        return previews.add_extra_preview(caller, task["id"], extra_of["comments"][0], extra_of["id"])
    status_id = task.get("task_status_id") or _default_status_id(task)
    posted = production.add_comment(caller, task["id"], {"task_status_id": status_id, "comment": comment})
    return previews.add_preview(caller, task["id"], posted["id"], {"revision": revision})


def start_upload(person: dict, task: dict, path: str, *, revision: int = 0, extra_of: dict | None = None,
                 comment: str = "new take", filename: str | None = None) -> dict:
    """A new preview of `task` (see `new_preview`) with the file at `path` PUT to its
    presigned S3 URL under `filename` (its original name; by default one from the task and
    revision); returns it `processing` (the S3 event has started the workers)."""
    import requests

    from chalicelib.services.previews import uploads

    preview = new_preview(person, task, revision=revision, extra_of=extra_of, comment=comment)
    filename = filename or f"{task['id'][:8]}_v{preview['revision']}{pathlib.Path(path).suffix}"
    caller = auth.Caller(person)
    upload = uploads.request_upload(caller, preview["id"], {"filename": filename, "size": os.path.getsize(path)})
    with open(path, "rb") as source:
        put = requests.put(upload["url"], data=source, headers=upload["headers"], timeout=60)
    put.raise_for_status()
    uploads.complete_upload(caller, preview["id"], {})  # checks that S3 holds what was announced
    return preview


def upload_preview(person: dict, task: dict, path: str, *, revision: int = 0, extra_of: dict | None = None,
                   comment: str = "new take", filename: str | None = None, timeout: float = 180) -> dict:
    """`start_upload`, returned once the pipeline's workers have made the preview `ready`
    (raises when it ends up anything else)."""
    preview = start_upload(person, task, path, revision=revision, extra_of=extra_of, comment=comment,
                           filename=filename)
    return wait_until_processed(preview["id"], timeout)


def wait_until_processed(preview_id: str, timeout: float = 180) -> dict:
    """The preview once the pipeline is done with it; it must be `ready`."""
    deadline = time.monotonic() + timeout
    while (preview := records.get(preview_id))["status"] == "processing":
        if time.monotonic() > deadline:
            raise TimeoutError(f"preview {preview_id} still processing after {timeout:g} s: {preview.get('pipeline')}")
        time.sleep(0.1)
    if preview["status"] != "ready":
        raise RuntimeError(f"preview {preview_id} is {preview['status']}: {preview.get('status_reason')}")
    return preview


def _default_status_id(task: dict) -> str:
    """The default status of the task's studio (statuses are per studio)."""
    studio_id = (records.get(task["project_id"]) or {}).get("studio_id")
    return next(s["id"] for s in records.query_studio(studio_id, "TaskStatus") if s.get("is_default"))


@functools.lru_cache(maxsize=64)
def normalized_clip(seconds: float, fps: str, width: int, height: int, pattern: str = PATTERNS[0],
                    preset: str = "ultrafast") -> str:
    """A normalized movie of `seconds` (made once per process and arguments), for `add_ready_preview`."""
    source = source_clip(seconds, fps, width, height, pattern)
    normalized = pathlib.Path(source).with_name(pathlib.Path(source).stem + f"-normalized-{preset}.mp4")
    normalize_movie(str(source), str(normalized), fps, width, height, preset=preset)
    return str(normalized)


def add_ready_preview(task: dict, movie_path: str | None = None, *, extension: str = "mp4",
                      content: bytes | None = None, revision: int | None = None, position: int = 1,
                      duration: float | None = None, width: int | None = None, height: int | None = None,
                      created_at: str | None = None, status: str = "ready") -> dict:
    """Store a `ready` preview of `task` without the pipeline: the movie at `movie_path`
    (or raw `content` for other files) and the record, but no low-definition movie, pictures
    or tile. For the build benchmark only: the demo and the tests use `upload_preview`."""
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
