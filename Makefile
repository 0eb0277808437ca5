# Two commands: `make test` and `make run`. Both set up .venv on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12 is the Lambda runtime we target: prefer python3.12 on PATH, else pyenv's.
PYTHON312 := $(shell for p in python3.12 $$(command -v pyenv >/dev/null && echo $$(pyenv root)/versions/3.12*/bin/python3.12); do \
	if $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then command -v $$p || echo $$p; break; fi; done)
# Never reach for real AWS from here.
export AWS_ACCESS_KEY_ID ?= testing
export AWS_SECRET_ACCESS_KEY ?= testing
export AWS_DEFAULT_REGION ?= us-east-1
export AWS_EC2_METADATA_DISABLED := true
# chalice.cli imports blessed, which probes the terminal for seconds (see spec/stack.md §6).
export BLESSED_QUERY_TIMEOUT_SECONDS := 0.05

.PHONY: test run venv browser lint package clean bench fuzz

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON312)" ]; then echo "error: Python 3.12 is required (python3.12 on PATH or pyenv's 3.12.x); install it first" >&2; exit 1; fi
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The review page's browser test drives Debian's Chromium (pip never downloads a browser):
# installed here when missing and apt is usable; without it that one test is skipped.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo -n"; \
		{ $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium chromium-driver; } \
		|| echo "warning: chromium could not be installed; the browser test will be skipped" >&2; \
	fi

test: venv browser
	$(PY) -m pytest -q -n 2 tests

# `make run RUN_ARGS="--api-port 8080 --no-demo"`; `python -m devstack.serve --help` lists them.
run: venv
	$(PY) -m devstack.serve $(RUN_ARGS)

package: venv
	$(PY) infra/build_package.py prod

# cfn-lint reads the packaged (merged) template, so `lint` packages first.
lint: package
	$(VENV)/bin/cfn-lint out/sam.yaml
	$(VENV)/bin/ruff check --line-length 120 --select E,F,W,B --ignore B008 --per-file-ignores "tests/media/test_media_probe.py:E501" app.py chalicelib tests bench infra devstack clients

# At least 5,000 schemathesis cases from the served OpenAPI document, every role (tests/fuzz/runner.py).
fuzz: venv
	mkdir -p out
	$(PY) -m tests.fuzz.runner --per-operation 3 --seed 1 --json out/fuzz.json

bench: venv
	$(PY) bench/aws_calls.py

clean:
	rm -rf $(VENV) out .pytest_cache
