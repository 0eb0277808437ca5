"""What `make run` prints: the app's Powertools logs as one short line per event, and
blocks of text (the banner, emails) that no log line can cut in two.

The app logs JSON for CloudWatch. Here the Powertools formatters stay (their keys, the
correlation id), only their serializer changes: every handler whose formatter is a
`LambdaPowertoolsFormatter` gets `short_line`, whichever Logger (or service name) it
belongs to. Only `devstack.serve` does this; the tests read the JSON the cloud gets."""
import datetime
import json
import logging
import os
import sys

# Keys every line has, or that only CloudWatch needs.
_QUIET_KEYS = {
    "level", "location", "message", "timestamp", "service", "sampling_rate", "xray_trace_id", "cold_start",
    "function_name", "function_arn", "function_memory_size", "function_request_id", "correlation_id",
    "exception", "exception_name", "exception_notes", "stack_trace",
}
_LONGEST_VALUE = 80


def prefer_short_lines() -> None:
    """Before the app loads: EMF metric blobs are for CloudWatch, and would be one long JSON
    line per invocation here (POWERTOOLS_METRICS_DISABLED=false in the environment keeps them)."""
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")


def use_short_lines(loggers: list[logging.Logger] | None = None) -> int:
    """Once the app is loaded: every Powertools handler (of `loggers`, or of every logger)
    prints `short_line`s; returns how many."""
    from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

    changed = 0
    for handler in _handlers(loggers):
        if isinstance(handler.formatter, LambdaPowertoolsFormatter):
            handler.formatter.json_serializer = short_line
            changed += 1
    return changed


def short_line(log: dict) -> str:
    """`20:19:05 INFO  previews  [3f2a9c1e] preview normalized  preview_file_id=… seconds=1.4`"""
    who = str(log.get("function_name") or log.get("service") or "")
    who = who.removeprefix("reelbase-").removeprefix("reelbase")
    parts = [datetime.datetime.now().strftime("%H:%M:%S"), f"{log.get('level', ''):<5}"]
    if who:
        parts.append(f"{who:<10}")
    if log.get("correlation_id"):
        parts.append(f"[{str(log['correlation_id'])[:8]}]")
    parts.append(str(log.get("message", "")))
    details = [f"{key}={_short(value)}" for key, value in log.items() if key not in _QUIET_KEYS and value is not None]
    if log.get("exception"):
        details.append(f"error={_exception_summary(str(log['exception']))}")
    return " ".join(parts) + ("  " + " ".join(details) if details else "")


def short_request_lines(server, app, config) -> None:
    """Chalice's local server logs each request Apache-style on stderr; here it is one short
    line like the others: `20:47:23 HTTP  POST /api/data/tasks/…/working-files/new 201`."""
    import functools

    from chalice.local import ChaliceRequestHandler

    # On top of the handler the server has (devstack.gateway's, which answers unknown routes).
    base = getattr(server.RequestHandlerClass, "func", ChaliceRequestHandler)

    class ShortLineRequestHandler(base):
        def log_request(self, code="-", size="-") -> None:
            status = getattr(code, "value", code)  # an HTTPStatus, or a number
            print_block(f"{datetime.datetime.now():%H:%M:%S} HTTP  {self.command} {_short(self.path, 160)} {status}")

    server.RequestHandlerClass = functools.partial(ShortLineRequestHandler, app_object=app, config=config)


def print_block(text: str) -> None:
    """Print `text` whole: log handlers wait until it is out."""
    handlers = _handlers()
    for handler in handlers:
        handler.acquire()
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    finally:
        for handler in reversed(handlers):
            handler.release()


def _handlers(loggers: list[logging.Logger] | None = None) -> list[logging.Handler]:
    if loggers is None:
        loggers = [logging.getLogger()] + [
            logger for logger in list(logging.Logger.manager.loggerDict.values()) if isinstance(logger, logging.Logger)]
    found: dict[int, logging.Handler] = {}
    for logger in loggers:
        for handler in logger.handlers:
            found.setdefault(id(handler), handler)
    return list(found.values())


def _short(value, longest: int = _LONGEST_VALUE) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, separators=(",", ":"))
    return text if len(text) <= longest else text[:longest - 1] + "…"


def _exception_summary(trace: str) -> str:
    """`ValueError: bad input (pipeline.py:123)`: the error and where it was raised."""
    lines = [line.strip() for line in trace.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    where = next((line for line in reversed(lines) if line.startswith('File "')), "")
    if where:
        path, _, rest = where[len('File "'):].partition('", line ')
        where = f" ({os.path.basename(path)}:{rest.split(',')[0]})"
    return lines[-1] + where
