"""`python -m devstack.serve` as a subprocess, the way `make run` starts it, on ports a
test chooses and without the demo data (it is not what these tests are about)."""
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time

import requests

from devstack.stack import DUMMY_AWS

ROOT = pathlib.Path(__file__).resolve().parents[2]
READY = "Ctrl-C stops everything."
START_SECONDS = 120  # moto imports a backend per service on first use: slow on a busy machine


class ServedStack:
    def __init__(self, moto_port: int, api_port: int, test_routes: bool = False, demo: bool = False):
        self.moto_port, self.api_port = moto_port, api_port
        self.api_url = f"http://127.0.0.1:{api_port}"
        # Only what the stack needs: nothing of the test process's own stack (its endpoint, ports).
        env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
        env.update(DUMMY_AWS, PYTHONUNBUFFERED="1", REELBASE_DEVSTACK_TEST_ROUTES="1" if test_routes else "")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack.serve", "--moto-port", str(moto_port), "--api-port", str(api_port),
             *([] if demo else ["--no-demo"])], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._new_line = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        with self._new_line:
            while not any(text in line for line in self.lines):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self._new_line.wait(0.5)  # the last lines
                    raise AssertionError(f"{text!r} not printed (exit code {self.process.poll()}):\n{self.output}")
                self._new_line.wait(0.2)

    def started(self) -> "ServedStack":
        self.wait_for(READY, START_SECONDS)
        return self

    def signal(self, number: int) -> float:
        """Sends `number`; returns when it was sent (time.monotonic())."""
        sent = time.monotonic()
        self.process.send_signal(number)
        return sent

    def gone_within(self, seconds: float) -> float:
        """Waits for the process to end; returns how long after the call it ended."""
        began = time.monotonic()
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {seconds} s:\n{self.output}") from None
        return time.monotonic() - began

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def listening_works(port: int) -> bool:
    """Can a server listen on `port` now (binding as servers do, with SO_REUSEADDR)?"""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(("127.0.0.1", port))
            server.listen()
            return True
        except OSError:
            return False


def anonymous_projects_answer(stack: ServedStack) -> int:
    """A request through the API's authorizer: 401 without a token."""
    return requests.get(f"{stack.api_url}/api/data/projects", timeout=30).status_code
