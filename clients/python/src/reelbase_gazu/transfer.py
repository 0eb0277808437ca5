"""Moving a file's bytes to the presigned URLs reelbase answers on `…/upload-url`: one
PUT, or the parts of a multipart upload side by side. Each request is retried on the
failures a retry can fix; a multipart upload keeps what is done in a small state file,
so that uploading the same file to the same record again continues where it stopped."""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import requests

# Statuses of S3 (or a proxy in front of it) that a later try may not get.
RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Kept back from a presigned URL's lifetime before a saved upload is thought too old to resume.
RESUME_MARGIN_SECONDS = 600


@dataclass(frozen=True)
class Settings:
    multipart_threshold: int = 64 * 1024 * 1024
    part_size: int = 32 * 1024 * 1024
    parallel: int = 4
    retries: int = 5
    timeout: float = 300.0
    state_dir: str | None = os.path.join("~", ".cache", "reelbase-gazu")


class UploadError(Exception):
    """S3 refused a part or the file after every retry."""


class _Slice:
    """`length` bytes of a file from `offset`, read as requests sends them (in blocks),
    so that a part is never held in memory whole."""

    def __init__(self, path: str, offset: int, length: int, progress: Callable[[int], None]):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close(), after the request
        self._file.seek(offset)
        self._left = length
        self._length = length
        self.sent = 0
        self._progress = progress

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size is None or size < 0 else min(size, self._left)
        block = self._file.read(size)
        self._left -= len(block)
        self.sent += len(block)
        self._progress(len(block))
        return block

    def close(self) -> None:
        self._file.close()


class _Progress:
    """gazu's `progress_callback(bytes_sent, total)`, safe across the part threads; a
    retried part takes back what its failed try had counted."""

    def __init__(self, callback: Callable[[int, int], None] | None, total: int):
        self._callback = callback
        self._total = total
        self._sent = 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        with self._lock:
            self._sent += count
            sent = self._sent
        if self._callback is not None and count:
            self._callback(sent, self._total)


def _put(session: requests.Session, url: str, path: str, offset: int, length: int, headers: dict,
         settings: Settings, progress: _Progress) -> requests.Response:
    """PUT bytes [offset, offset + length) of `path` to `url`, retried with backoff."""
    last_problem = None
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
        body = _Slice(path, offset, length, progress.add)
        try:
            answer = session.put(url, data=body, headers=headers, timeout=settings.timeout)
        except requests.RequestException as error:
            last_problem = f"{type(error).__name__}: {error}"
            progress.add(-body.sent)
            continue
        finally:
            body.close()
        if answer.status_code not in RETRIED_STATUSES:
            return answer
        last_problem = f"HTTP {answer.status_code}: {answer.text[:300]}"
        progress.add(-body.sent)
    raise UploadError(f"S3 did not take the upload after {settings.retries + 1} tries ({last_problem})")


def put_single(answer: dict, path: str, settings: Settings, callback=None) -> None:
    """The one presigned PUT of a small file."""
    size = os.path.getsize(path)
    with requests.Session() as session:
        answered = _put(session, answer["url"], path, 0, size, dict(answer.get("headers") or {}), settings,
                        _Progress(callback, size))
    # 412: the URL only creates its object, and an earlier try that seemed lost did create it
    # (upload-complete then checks the size that arrived).
    if answered.status_code not in (200, 201, 204, 412):
        raise UploadError(f"S3 refused the upload: HTTP {answered.status_code}: {answered.text[:300]}")


def put_parts(answer: dict, path: str, settings: Settings, state: "ResumeState | None" = None,
              callback=None) -> list[dict]:
    """Every part of a multipart upload, `settings.parallel` at a time; returns the
    [{part_number, etag}] that upload-complete needs. Parts already done (`state`) are skipped."""
    size = os.path.getsize(path)
    part_size = int(answer["part_size"])
    etags = dict(state.etags) if state else {}
    progress = _Progress(callback, size)
    progress.add(sum(min(part_size, size - (n - 1) * part_size) for n in etags))
    lock = threading.Lock()

    def send(part: dict) -> None:
        number = int(part["part_number"])
        offset = (number - 1) * part_size
        length = max(0, min(part_size, size - offset))
        answered = _put(session, part["url"], path, offset, length, {}, settings, progress)
        etag = answered.headers.get("ETag")
        if answered.status_code != 200 or not etag:
            raise UploadError(f"S3 refused part {number}: HTTP {answered.status_code}: {answered.text[:300]}")
        with lock:
            etags[number] = etag
            if state:
                state.save(etags)

    todo = [part for part in answer["parts"] if int(part["part_number"]) not in etags]
    with requests.Session() as session:
        # One connection per part thread (requests' default pool keeps 10).
        with ThreadPoolExecutor(max_workers=max(1, settings.parallel)) as pool:
            for finished in [pool.submit(send, part) for part in todo]:
                finished.result()
    return [{"part_number": number, "etag": etags[number]} for number in sorted(etags)]


class ResumeState:
    """What a multipart upload of one file to one record has done so far, in
    `<state_dir>/<key>.json`: the upload-url answer and the parts' ETags."""

    def __init__(self, state_dir: str, target: str, path: str):
        stat = os.stat(path)
        identity = json.dumps([target, os.path.abspath(path), stat.st_size, stat.st_mtime_ns])
        folder = os.path.expanduser(state_dir)
        self.file = os.path.join(folder, hashlib.sha256(identity.encode()).hexdigest() + ".json")
        self.answer: dict | None = None
        self.etags: dict[int, str] = {}
        self._saved_at = 0.0

    def load(self) -> bool:
        """True when an earlier upload of this file can be continued."""
        try:
            with open(self.file, encoding="utf-8") as handle:
                saved = json.load(handle)
        except (OSError, ValueError):
            return False
        expires = saved.get("saved_at", 0) + (saved.get("answer") or {}).get("expires_in", 0)
        if expires - RESUME_MARGIN_SECONDS < time.time():
            self.forget()
            return False
        self.answer, self._saved_at = saved["answer"], saved["saved_at"]
        self.etags = {int(number): etag for number, etag in (saved.get("etags") or {}).items()}
        return True

    def start(self, answer: dict) -> None:
        self.answer, self._saved_at, self.etags = answer, time.time(), {}
        self.save({})

    def save(self, etags: dict[int, str]) -> None:
        self.etags = dict(etags)
        os.makedirs(os.path.dirname(self.file), exist_ok=True)
        temporary = f"{self.file}.{threading.get_ident()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"answer": self.answer, "saved_at": self._saved_at, "etags": self.etags}, handle)
        os.replace(temporary, self.file)

    def forget(self) -> None:
        try:
            os.remove(self.file)
        except OSError:
            pass
