"""`make run` prints the app's Powertools logs as one short line per event (devstack/logs.py),
whatever the Logger's service name; the formatter keeps its keys and correlation id."""
import io
import logging
import re
import sys
import uuid

from aws_lambda_powertools import Logger

from devstack import logs


def _logger(short: bool = True) -> tuple[Logger, io.StringIO]:
    """A Logger of its own: the app's loggers in this test process keep their JSON."""
    stream = io.StringIO()
    logger = Logger(service=f"reelbase-test-{uuid.uuid4().hex[:6]}", stream=stream)
    if short:
        assert logs.use_short_lines([logging.getLogger(logger.service)]) == 1
    return logger, stream


def test_a_log_event_becomes_one_short_line_with_its_keys():
    logger, stream = _logger()
    logger.set_correlation_id("3f2a9c1e-0000-4000-8000-000000000000")
    logger.append_keys(preview_file_id="p-1")
    logger.info("preview normalized", extra={"seconds": 1.5, "sizes": {"movie": 10}})
    [line] = stream.getvalue().splitlines()
    assert re.fullmatch(r"\d\d:\d\d:\d\d INFO  test-\w{6}\s+\[3f2a9c1e\] preview normalized  "
                        r'preview_file_id=p-1 seconds=1.5 sizes=\{"movie":10\}', line), line


def test_an_exception_is_summed_up_on_its_line():
    logger, stream = _logger()
    try:
        {}["missing"]
    except KeyError:
        raised_on = sys.exc_info()[2].tb_lineno
        logger.exception("SQS handler failed", extra={"queue": "uploads"})
    [line] = stream.getvalue().splitlines()
    assert line.endswith(f"SQS handler failed  queue=uploads error=KeyError: 'missing' (test_logs.py:{raised_on})")


def test_the_cloud_format_stays_json_until_asked():
    logger, stream = _logger(short=False)
    logger.info("hello")
    assert stream.getvalue().startswith('{"level":"INFO"')
