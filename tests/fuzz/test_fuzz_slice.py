"""The CI slice of `make fuzz`: a fixed seed, one credential per operation in turn, every
operation of the served OpenAPI document, against a stack of its own (a subprocess, so
that the cases' writes never meet other tests' records)."""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIN_CASES = 500


def test_a_fixed_seed_slice_of_the_fuzz_finds_no_server_error_no_schema_break_no_slow_answer(tmp_path):
    figures_file = tmp_path / "fuzz.json"
    run = subprocess.run([sys.executable, "-m", "tests.fuzz.runner", "--rotate", "--per-operation", "2", "--seed", "1",
                          "--json", str(figures_file)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    summary = run.stdout[run.stdout.find("operations:"):]
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(figures_file.read_text())
    assert figures["cases"] >= MIN_CASES, summary
    assert figures["operations"] >= 250, summary  # every operation of the document ran
    assert (figures["server_errors"], figures["schema_violations"], figures["slow"]) == (0, 0, 0), summary
    # The cases get past authentication (only the anonymous caller's, about one in six, are 401):
    # a token revoked by a fuzzed logout must not turn the rest into 401s.
    assert figures["statuses"].get("401", 0) <= figures["cases"] // 4, summary
