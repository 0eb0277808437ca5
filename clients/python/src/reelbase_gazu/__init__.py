"""Uploads of any size from unchanged gazu scripts.

gazu sends every file as one multipart POST through the API (`gazu.client.upload`),
which API Gateway and Lambda cap at a few megabytes. After `install()`, the three
uploads a review pipeline makes go straight to storage instead, through reelbase's
presigned routes:

- `pictures/preview-files/<id>` (gazu.task.upload_preview_file, add_preview,
  add_extra_preview, publish_preview) -> `pictures/preview-files/<id>/upload-url`;
- `data/working-files/<id>/file` (gazu.files.upload_working_file) and
  `data/output-files/<id>/file` (gazu.client.upload on an output file) ->
  `data/…-files/<id>/upload-url`;

then the PUT (or the parts), then `…/upload-complete`, whose answer is what gazu's POST
would have returned. Every other call of gazu.client.upload (attachments, avatars, batch
comments, CSV imports) and every other gazu function is left alone. Every module of gazu
calls `gazu.client.upload` through the module (`raw.upload`), so that one attribute is
the only thing replaced."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from urllib.parse import parse_qs

import gazu
import gazu.client
from gazu.exception import MethodNotAllowedException, ParameterException, RouteNotFoundException

from .transfer import ResumeState, Settings, UploadError, put_parts, put_single

__all__ = ["install", "uninstall", "installed", "Settings", "UploadError"]

_ID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_PREVIEW = re.compile(rf"^/*pictures/preview-files/(?P<id>{_ID})/*(?:\?(?P<query>.*))?$")
_FILE = re.compile(rf"^/*data/(?P<kind>working-files|output-files)/(?P<id>{_ID})/file/*$")

_gazu_upload = None
_settings = Settings()


def install(*, multipart_threshold: int | None = None, part_size: int | None = None, parallel: int | None = None,
            retries: int | None = None, state_dir: str | None = "", timeout: float | None = None) -> None:
    """Route gazu's preview, working-file and output-file uploads through the presigned
    routes. Call it once, after `import gazu`; calling it again only changes the settings.

    multipart_threshold: files above it (64 MiB) go up as parallel parts of `part_size`
    (32 MiB), `parallel` (4) at a time; each request is tried `retries` + 1 times (5 + 1).
    state_dir: where a multipart upload keeps its progress, to resume (None: no resume)."""
    global _gazu_upload, _settings
    chosen = {name: value for name, value in {
        "multipart_threshold": multipart_threshold, "part_size": part_size, "parallel": parallel,
        "retries": retries, "timeout": timeout}.items() if value is not None}
    if state_dir != "":
        chosen["state_dir"] = state_dir
    _settings = replace(Settings(), **chosen)
    if _gazu_upload is None:
        _gazu_upload = gazu.client.upload
        gazu.client.upload = _upload


def uninstall() -> None:
    """Give gazu its own upload back."""
    global _gazu_upload
    if _gazu_upload is not None:
        gazu.client.upload = _gazu_upload
        _gazu_upload = None


def installed() -> bool:
    return _gazu_upload is not None


def _upload(path, file_path=None, data=None, extra_files=None, files=None, client=gazu.client.default_client,
            progress_callback=None):
    """gazu.client.upload, with the uploads of one file to a preview, working file or
    output file sent straight to storage."""
    plain_file = file_path is not None and not data and not extra_files and not files
    target = _target(path) if plain_file else None
    if target is None:
        return _gazu_upload(path, file_path, data=data, extra_files=extra_files, files=files, client=client,
                            progress_callback=progress_callback)
    route, body = target
    try:
        return _presigned_upload(route, body, file_path, client, progress_callback)
    except (RouteNotFoundException, MethodNotAllowedException):
        # A server without the presigned routes (Zou itself): gazu's POST, as before.
        return _gazu_upload(path, file_path, client=client, progress_callback=progress_callback)


def _target(path: str) -> tuple[str, dict] | None:
    """(upload-url route, body without size) for a path gazu uploads a file to, or None."""
    if match := _PREVIEW.match(path):
        query = parse_qs(match.group("query") or "")
        # Zou: any value of `normalize` other than "true" turns normalization off.
        normalize = (query.get("normalize") or ["true"])[-1].lower() == "true"
        return f"pictures/preview-files/{match.group('id').lower()}/upload-url", {"normalize": normalize}
    if match := _FILE.match(path):
        return f"data/{match.group('kind')}/{match.group('id').lower()}/upload-url", {}
    return None


def _presigned_upload(route: str, body: dict, file_path: str, client, progress_callback) -> dict:
    settings = _settings
    size = os.path.getsize(file_path)
    name = os.path.basename(file_path)
    multipart = size > settings.multipart_threshold
    state = ResumeState(settings.state_dir, f"{client.host} {route}", file_path) \
        if multipart and settings.state_dir else None
    if state is not None and state.load():
        try:
            return _finish(state.answer, put_parts(state.answer, file_path, settings, state, progress_callback),
                           client, state)
        except (ParameterException, UploadError):
            # The upload was given up meanwhile (asked again, completed, expired): start anew.
            state.forget()
    names = {"filename": name} if route.startswith("pictures/") else {"file_name": name}
    wanted = {**body, **names, "size": size}
    if multipart:
        wanted |= {"multipart": True, "part_size": settings.part_size}
    answer = gazu.client.post(route, wanted, client=client)
    if answer.get("method") == "multipart":
        if state is not None:
            state.start(answer)
        parts = put_parts(answer, file_path, settings, state, progress_callback)
    else:
        put_single(answer, file_path, settings, progress_callback)
        parts = None
    return _finish(answer, parts, client, state)


def _finish(answer: dict, parts: list[dict] | None, client, state: ResumeState | None) -> dict:
    completion = {"upload_id": answer["upload_id"], "parts": parts} if parts is not None else {}
    result = gazu.client.post(answer["complete_path"], completion, client=client)
    if state is not None:
        state.forget()
    return result
