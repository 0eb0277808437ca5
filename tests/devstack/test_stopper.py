"""How `make run` takes its stop requests (devstack.serve.Stopper), in a small process
whose stop never ends: a second Ctrl-C quits at once, and a stop that overruns its
deadline is cut short. (test_stop_and_restart.py runs the whole stack.)"""
import pathlib
import signal
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
NEVER_STOPS = """
import sys, time
from devstack.serve import Stopper
stopper = Stopper(seconds=float(sys.argv[1]))
stopper.serving = sys.argv[2] == "serving"
try:
    print("ready", flush=True)
    stopper.requested.wait() if stopper.serving else time.sleep(60)
except KeyboardInterrupt:
    print("start-up interrupted", flush=True)
    sys.exit(0)
time.sleep(60)  # a stop that never ends
"""


def _start(deadline: float, phase: str = "serving") -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", NEVER_STOPS, str(deadline), phase], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def _finish(process: subprocess.Popen, seconds: float) -> tuple[int, str, float]:
    began = time.monotonic()
    output, _ = process.communicate(timeout=seconds)
    return process.returncode, output, time.monotonic() - began


def test_a_second_ctrl_c_quits_at_once():
    process = _start(deadline=30)
    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    code, output, seconds = _finish(process, 5)
    assert code == 130 and seconds < 1
    assert "stopping… (SIGINT; Ctrl-C again quits at once)" in output
    assert "second stop request: quitting at once" in output


def test_a_stop_that_overruns_its_deadline_is_cut_short():
    process = _start(deadline=1)
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code, output, _ = _finish(process, 5)
    assert code == 1 and time.monotonic() - sent < 2
    assert "not stopped after 1 s: quitting" in output


def test_a_stop_request_during_start_up_interrupts_it():
    process = _start(deadline=30, phase="starting")
    process.send_signal(signal.SIGTERM)
    code, output, seconds = _finish(process, 5)
    assert code == 0 and seconds < 1
    assert "start-up interrupted" in output
