"""Logs and metrics: the app's one Powertools `Logger` and one `Metrics`.

Every Lambda entry point runs inside `invocation` (app.py registers it as Chalice
middleware): Powertools' `inject_lambda_context` puts the function's name and request id
on every line, with a correlation id read from the event (`API_REQUEST_ID`,
`EXECUTION_NAME`); the SQS workers set one per message (`set_correlation_id`).

Metrics are CloudWatch embedded metric format (EMF): JSON lines in the function's log
stream, under the `reelbase` namespace, which CloudWatch turns into metrics. Services
`add_metric` where things happen; `invocation` flushes them when the invocation ends."""
import functools
import threading

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.jmespath_utils import query

SERVICE = "reelbase"
logger = Logger(service=SERVICE)
metrics = Metrics(namespace=SERVICE, service=SERVICE)

# Where each kind of event carries its correlation id.
API_REQUEST_ID = correlation_paths.API_GATEWAY_REST
# The state machine passes `$$.Execution.Name` to each task (build_states, infra/resources.yaml).
EXECUTION_NAME = "execution"

# Powertools keeps metrics in one set per process, which suits Lambda (one invocation at
# a time); the local stack runs invocations side by side on threads, so the set is only
# touched under this lock.
_metrics_lock = threading.Lock()


def invocation(correlation_id_path: str | None = None):
    """Decorator of a Lambda handler (event, context): the Lambda context and the
    correlation id found at `correlation_id_path` on every log line of the invocation,
    and the metrics it recorded flushed when it ends, whatever happens."""
    def decorate(handler):
        @functools.wraps(handler)
        @logger.inject_lambda_context(correlation_id_path=correlation_id_path, clear_state=True)
        def observed(event, context):
            correlation_id = query(data=event, envelope=correlation_id_path) if correlation_id_path else None
            # Chalice's local server sends no API Gateway request id: the invocation's id stands in.
            set_correlation_id(correlation_id or getattr(context, "aws_request_id", None))
            logger.thread_safe_append_keys(function_name=getattr(context, "function_name", None))
            try:
                return handler(event, context)
            finally:
                flush_metrics()

        return observed

    return decorate


def set_correlation_id(value: str | None) -> None:
    """The correlation id of the lines that follow (one SQS message of a batch, say)."""
    logger.set_correlation_id(value)
    # Powertools' appended keys belong to the process; the local stack's threads each run
    # their own invocation, so the id is also kept as this thread's key, which wins.
    logger.thread_safe_append_keys(correlation_id=value)


def add_metric(name: str, value: float = 1, unit: MetricUnit = MetricUnit.Count) -> None:
    """Add a data point to the invocation's metrics. Never raises: a metric is not worth
    failing the work it measures."""
    try:
        with _metrics_lock:
            metrics.add_metric(name=name, unit=unit, value=value)
    except Exception:
        logger.warning("metric not recorded", extra={"metric": name, "value": repr(value)}, exc_info=True)


def flush_metrics() -> None:
    """Print the metrics recorded so far as one EMF line, and start a new set."""
    with _metrics_lock:
        # Most API requests measure nothing: Powertools would warn about an empty set each time.
        if not metrics.metric_set:
            return
        try:
            metrics.flush_metrics(raise_on_empty_metrics=False)
        except Exception:
            logger.exception("metrics not flushed")
            metrics.clear_metrics()


def count_server_errors(request, get_response):
    """Chalice HTTP middleware: count the API's 5xx answers (ServerErrors)."""
    try:
        response = get_response(request)
    except Exception:
        add_metric("ServerErrors")  # Chalice answers 500 for what escapes the handlers
        raise
    if response.status_code >= 500:
        add_metric("ServerErrors")
    return response
