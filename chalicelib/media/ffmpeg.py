"""Locate and run the ffmpeg binary; turn its failures into `MediaError`.

Product code uses the static ffmpeg that imageio-ffmpeg bundles (the Lambda
image has no system ffmpeg and no ffprobe). `FFMPEG_BINARY` overrides it, which
is how a Lambda layer or a developer's own build can be used instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import subprocess
import tempfile
from collections.abc import Sequence

from . import limits

FFMPEG_BINARY_ENV = "FFMPEG_BINARY"

# Lambda stops at 900 s; an encode that runs longer than this is stuck, and we
# would rather report it than have the whole invocation killed.
DEFAULT_TIMEOUT_S = 600.0

# How much of ffmpeg's stderr a reason carries: enough to say what went wrong,
# short enough to store on a preview file and show to a user.
_REASON_LINES = 3
_REASON_CHARS = 300

# ffmpeg prefixes many log lines with "[demuxer @ 0x55d1...]"; the address
# changes on every run and tells a user nothing.
_CONTEXT_PREFIX = re.compile(r"^\[[^\]]*@ 0x[0-9a-f]+\]\s*")
# "Error opening input file /tmp/x.mp4." only repeats the path; the line
# around it says why.
_PATH_ONLY_LINE = re.compile(r"^Error opening (?:input|output) file .*\.$")


class MediaError(Exception):
    """A media file could not be read or produced. `reason` is short and human-readable."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def ffmpeg_binary() -> str:
    """The ffmpeg executable to run: `$FFMPEG_BINARY`, else imageio-ffmpeg's bundled one."""
    override = os.environ.get(FFMPEG_BINARY_ENV)
    if override:
        return override
    # Imported here so that importing chalicelib.media stays cheap for the
    # many handlers that never run ffmpeg.
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(
    args: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `ffmpeg -nostdin -hide_banner <args>`; return the finished process.

    With `check`, a non-zero exit raises `MediaError` carrying the tail of stderr.
    """
    # -nostdin: ffmpeg otherwise reads the terminal for interactive keys, which
    # hangs or eats input when run from a worker thread or a test runner.
    command = [ffmpeg_binary(), "-nostdin", "-hide_banner", *args]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # File names and tags in foreign encodings must not crash us.
            errors="replace",
        )
    except FileNotFoundError as error:
        raise MediaError(f"ffmpeg binary not found: {command[0]}") from error
    _bound_memory(child.pid)
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        child.kill()
        child.communicate()
        raise MediaError(f"ffmpeg timed out after {timeout:g} s") from error
    process = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    if check and process.returncode != 0:
        raise MediaError(stderr_reason(process.stderr) or f"ffmpeg exited with code {process.returncode}")
    return process


def _bound_memory(pid: int) -> None:
    # Set on the running child (a preexec_fn is unsafe in a threaded worker): what it
    # mapped while starting stays, anything past the bound fails to allocate.
    limit = limits.ffmpeg_address_space_bytes()
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
    except (ProcessLookupError, PermissionError, ValueError):
        pass  # already finished, or the platform refuses: the timeout still bounds it


def run_ffmpeg_into(
    dst: str,
    args: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    empty_reason: str = "ffmpeg produced no output",
) -> None:
    """Run ffmpeg with `args` writing its one output to `dst`; `dst` appears only on success.

    ffmpeg writes to a temporary file next to `dst` that is then renamed, so a
    failed or killed run never leaves a half-written `dst`, and the rename
    stays on one filesystem (Lambda's /tmp) where it is atomic. `args` must
    name the output format (`-f`), or the extension of `dst` decides it.
    """
    run_ffmpeg_outputs(args, [(dst, [])], timeout=timeout, empty_reason=empty_reason)


def run_ffmpeg_outputs(
    args: Sequence[str],
    outputs: Sequence[tuple[str, Sequence[str]]],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    empty_reason: str = "ffmpeg produced no output",
) -> None:
    """One ffmpeg run of `args` (inputs, filters) writing several outputs, each
    `(dst, its output options)`; as `run_ffmpeg_into`, every `dst` appears only
    when the whole run succeeded."""
    partials = []
    with contextlib.ExitStack() as stack:
        command = ["-loglevel", "error", *args]
        for number, (dst, output_args) in enumerate(outputs):
            # -loglevel error: the stderr tail we report is then the error itself,
            # not the last progress line.
            work_dir = stack.enter_context(tempfile.TemporaryDirectory(
                dir=os.path.dirname(os.path.abspath(dst)), prefix=".ffmpeg-"))
            partial = os.path.join(work_dir, f"output-{number}" + os.path.splitext(dst)[1])
            partials.append(partial)
            command += [*output_args, "-y", partial]
        run_ffmpeg(command, timeout=timeout)
        if not all(os.path.exists(partial) for partial in partials):
            # ffmpeg exits 0 when there was nothing to write (e.g. a seek past the end).
            raise MediaError(empty_reason)
        for partial, (dst, _) in zip(partials, outputs, strict=True):
            os.replace(partial, dst)


def stderr_reason(stderr: str) -> str:
    """The last few distinct lines of ffmpeg's stderr, joined into one short sentence."""
    lines: list[str] = []
    # Progress reports end in "\r" rather than "\n".
    for raw_line in reversed(re.split(r"[\r\n]+", stderr)):
        line = _CONTEXT_PREFIX.sub("", raw_line.strip())
        if not line or line in lines or line.startswith("frame=") or _PATH_ONLY_LINE.match(line):
            continue
        lines.append(line)
        if len(lines) == _REASON_LINES:
            break
    reason = "; ".join(reversed(lines))
    if len(reason) > _REASON_CHARS:
        reason = "…" + reason[-(_REASON_CHARS - 1) :]
    return reason
