"""`make run` stops when asked, whatever is in flight, and starts again at once (issue 18).
Each test starts `python -m devstack.serve` as `make run` does, on ports of its own."""
import signal
import threading
import time

import pytest
import requests

from devstack.hooks_for_tests import HANG_PATH, HANGING
from devstack.stack import STOP_SECONDS, free_port
from tests.devstack.served import ServedStack, anonymous_projects_answer, listening_works


@pytest.fixture
def ports():
    return free_port(), free_port()


@pytest.fixture
def served():
    """Starts stacks; whatever a test leaves running is killed after it."""
    stacks = []

    def start(moto_port, api_port, test_routes=False):
        stacks.append(ServedStack(moto_port, api_port, test_routes))
        return stacks[-1].started()

    yield start
    for stack in stacks:
        stack.kill()


def _moto_buckets(moto_port: int) -> list[str]:
    import boto3

    s3 = boto3.session.Session().client("s3", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{moto_port}")
    return [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def test_a_stopped_stack_starts_again_at_once_on_the_same_ports(served, ports):
    first = served(*ports)
    for _ in range(20):  # connections, each leaving a socket in TIME_WAIT once closed
        assert anonymous_projects_answer(first) == 401
    assert _moto_buckets(ports[0])

    first.signal(signal.SIGINT)
    assert first.gone_within(STOP_SECONDS) < STOP_SECONDS
    assert first.process.returncode == 0
    assert "stopping…" in first.output and "stopped in" in first.output

    again = served(*ports)
    assert anonymous_projects_answer(again) == 401
    assert _moto_buckets(ports[0])
    again.signal(signal.SIGINT)
    again.gone_within(STOP_SECONDS)
    assert again.process.returncode == 0


def test_sigterm_ends_a_stack_with_a_request_hanging_within_5_s(served, ports):
    stack = served(*ports, test_routes=True)
    client_ended = threading.Event()

    def hanging_client():
        try:
            requests.get(f"{stack.api_url}{HANG_PATH}", timeout=60)
        except requests.RequestException:
            pass  # the connection closes with the stack
        client_ended.set()

    threading.Thread(target=hanging_client, daemon=True).start()
    stack.wait_for(HANGING, 30)

    sent = stack.signal(signal.SIGTERM)
    stack.gone_within(STOP_SECONDS)
    assert time.monotonic() - sent < STOP_SECONDS
    assert listening_works(ports[0]) and listening_works(ports[1])
    assert "stopping… (SIGTERM" in stack.output and "stopped in" in stack.output
    assert client_ended.wait(2), "the hanging request's connection outlived the stack"


def test_a_port_in_use_is_refused_with_a_clear_message(ports):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", ports[1]))
        taken.listen()
        stack = ServedStack(*ports)
        stack.gone_within(60)
    assert stack.process.returncode == 1
    assert f"Port {ports[1]} is busy; stop what uses it or pick another port" in stack.output
