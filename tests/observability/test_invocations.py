"""`observability.invocation` on a plain handler, without the stack: what every entry
point of app.py gets (Lambda context and correlation id on each line, metrics flushed
at the end, whatever happens)."""
import threading
from dataclasses import dataclass

import pytest
from log_stream import EmfLines, values

from chalicelib import observability
from chalicelib.observability import logger


@dataclass
class Context:
    """The fields of Lambda's context object that Powertools reads."""
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test"


@observability.invocation(observability.EXECUTION_NAME)
def build_step(event, context):
    logger.info("step ran", extra={"step": event["step"]})
    observability.add_metric("BuildChunks", event.get("chunks", 1))
    if event.get("fail"):
        raise RuntimeError("the step failed")
    return {"done": event["step"]}


def test_each_line_carries_the_function_and_the_correlation_id(log_lines):
    assert build_step({"step": "plan", "execution": "job-1"}, Context("plan_build", "req-1")) == {"done": "plan"}
    (line,) = log_lines(message="step ran")
    assert (line["correlation_id"], line["function_name"], line["function_request_id"]) == \
        ("job-1", "plan_build", "req-1")


def test_without_a_correlation_id_in_the_event_the_request_id_stands_in(log_lines):
    build_step({"step": "join"}, Context("join_build", "req-2"))
    assert log_lines(message="step ran")[0]["correlation_id"] == "req-2"


def test_a_failing_handler_still_flushes_its_metrics(capsys):
    with pytest.raises(RuntimeError):
        build_step({"step": "chunk", "execution": "job-3", "chunks": 7, "fail": True}, Context("build_chunk", "r"))
    (document,) = [d for d in EmfLines(capsys).read() if "BuildChunks" in d]
    assert values(document, "BuildChunks") == [7.0]


def test_invocations_side_by_side_keep_their_own_ids(log_lines):
    """The local stack runs invocations on threads of one process: each keeps its id."""
    started = threading.Barrier(2)

    @observability.invocation(observability.EXECUTION_NAME)
    def slow_step(event, context):
        started.wait(5)  # both invocations have set their ids before either logs
        logger.info("step ran", extra={"step": event["execution"]})

    threads = [threading.Thread(target=slow_step, args=({"execution": name}, Context(name, name)))
               for name in ("job-a", "job-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    lines = log_lines(message="step ran")
    assert sorted((line["step"], line["correlation_id"], line["function_name"]) for line in lines) == \
        [("job-a", "job-a", "job-a"), ("job-b", "job-b", "job-b")]


def test_an_invocation_that_measured_nothing_prints_no_metrics(capsys, recwarn):
    @observability.invocation()
    def quiet(event, context):
        return "ok"

    assert quiet({}, Context("api_handler", "r")) == "ok"
    assert EmfLines(capsys).read() == [] and not [w for w in recwarn if "metrics" in str(w.message)]
