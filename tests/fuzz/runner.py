"""Fuzzing the API from its own OpenAPI document with schemathesis, against a local stack.

Each operation of the served document gets `per_operation` generated cases for every
credential (the demo studio's six roles and an anonymous caller under /api; the Zype
api_key, app_key and no key at the root), half schema-valid and half schema-breaking
(schemathesis' positive and negative modes). Half of the cases that name ids take the
demo's real ids, so that handlers run past their 404. It counts what the issue asks:
cases, server errors (5xx or no answer), answers that break the document's response
schemas, and answers slower than SLOW_SECONDS.

    python -m tests.fuzz.runner --per-operation 3 --seed 1   (what `make fuzz` runs)
"""
import argparse
import collections
import json
import sys
import time
from dataclasses import dataclass, field

import hypothesis
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

SLOW_SECONDS = 10
REQUEST_TIMEOUT = 60


@dataclass
class Finding:
    operation: str
    credential: str
    status: int | None
    detail: str

    def line(self) -> str:
        return f"{self.operation} as {self.credential}: {self.status} {self.detail[:300]}"


@dataclass
class Report:
    cases: int = 0
    server_errors: list[Finding] = field(default_factory=list)
    schema_violations: list[Finding] = field(default_factory=list)
    slow: list[Finding] = field(default_factory=list)
    statuses: collections.Counter = field(default_factory=collections.Counter)
    operations: set = field(default_factory=set)

    def summary(self) -> str:
        lines = [f"operations: {len(self.operations)}", f"cases: {self.cases}",
                 f"server errors: {len(self.server_errors)}",
                 f"answers that break the schema: {len(self.schema_violations)}",
                 f"answers slower than {SLOW_SECONDS} s: {len(self.slow)}",
                 "statuses: " + ", ".join(f"{s}={n}" for s, n in sorted(self.statuses.items(), key=str))]
        for title, findings in (("server errors", self.server_errors), ("schema violations", self.schema_violations),
                                ("slow answers", self.slow)):
            if findings:
                lines.append(f"--- {title} (by operation) ---")
                grouped = collections.Counter(f.operation for f in findings)
                first = {}
                for finding in findings:
                    first.setdefault(finding.operation, finding)
                for operation, count in grouped.most_common():
                    lines.append(f"{count:5d}  {first[operation].line()}")
        return "\n".join(lines)


@dataclass
class Credential:
    name: str
    headers: dict
    query: dict


def credentials_for(path: str, tokens: dict, zype_keys: dict) -> list[Credential]:
    if path.split("/")[1] in ("playlists", "videos", "categories", "zype"):
        return [Credential(kind, {}, {kind: key}) for kind, key in zype_keys.items()] + [Credential("no key", {}, {})]
    return [Credential(role, {"Authorization": f"Bearer {token}"}, {}) for role, token in tokens.items()] + [
        Credential("anonymous", {}, {})]


def _strategy(operation):
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    try:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    except Exception:  # noqa: BLE001 - an operation with nothing to negate
        pass
    return st.one_of(strategies)


def _known_id(path: str, name: str, known_ids: dict) -> str | None:
    if name == "id":
        return known_ids.get(path.split("/")[1])
    return known_ids.get(name)


def fuzz(base_url: str, tokens, zype_keys: dict, known_ids: dict, *, per_operation: int, seed: int,
         rotate: bool = False, select=None) -> Report:
    """Run the cases and count the findings; `select(path, method)` limits the operations.
    With `rotate`, each operation runs as one credential only, the next one in turn (the
    quick slice); otherwise as every credential."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    report = Report()
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    for number, operation in enumerate(operations):
        if select and not select(operation.path, operation.method.upper()):
            continue
        # Fresh tokens for each operation: a fuzzed logout revokes the token it was sent with.
        credentials = credentials_for(operation.path, tokens() if callable(tokens) else tokens, zype_keys)
        if rotate:
            credentials = [credentials[number % len(credentials)]]
        for credential in credentials:
            _fuzz_operation(report, session, base_url, operation, credential, known_ids,
                            per_operation=per_operation, seed=seed + number)
    return report


def _fuzz_operation(report: Report, session, base_url: str, operation, credential: Credential, known_ids: dict,
                    *, per_operation: int, seed: int) -> None:
    path, method = operation.path, operation.method.upper()
    label = f"{method} {path}"
    report.operations.add(label)
    counter = {"n": 0}

    @hypothesis.seed(seed)
    @hypothesis.settings(max_examples=per_operation, database=None, deadline=None, derandomize=False,
                         phases=[hypothesis.Phase.generate], suppress_health_check=list(hypothesis.HealthCheck),
                         print_blob=False)
    @hypothesis.given(case=_strategy(operation))
    def run_case(case):
        counter["n"] += 1
        if method != "DELETE" and counter["n"] % 2 == 0:
            for name in list(case.path_parameters or {}):
                known = _known_id(path, name, known_ids)
                if known:
                    case.path_parameters[name] = known
        if case.query:
            for name in ("api_key", "app_key"):
                case.query.pop(name, None)
        report.cases += 1
        started = time.monotonic()
        try:
            response = case.call(base_url=base_url, session=session, headers=credential.headers,
                                 params=credential.query, timeout=REQUEST_TIMEOUT, allow_redirects=False)
        except requests.RequestException as error:
            report.server_errors.append(Finding(label, credential.name, None, f"no answer: {error}"))
            report.statuses["none"] += 1
            return
        elapsed = time.monotonic() - started
        status = response.status_code
        report.statuses[status] += 1
        if elapsed > SLOW_SECONDS:
            report.slow.append(Finding(label, credential.name, status, f"{elapsed:.1f} s"))
        if status >= 500:
            report.server_errors.append(Finding(label, credential.name, status, response.text))
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except Exception as failure:  # noqa: BLE001 - schemathesis raises its failure group
            detail = f"{type(failure).__name__}: {failure}".replace("\n", " ")
            report.schema_violations.append(Finding(label, credential.name, status, detail))

    run_case()


def start_stack():
    """A fresh local stack with the demo studio; returns (stack, tokens, zype keys, known ids)."""
    import os

    from devstack.stack import DUMMY_AWS, LocalStack, free_port
    os.environ.update(DUMMY_AWS)
    from chalice import local
    local.ChaliceRequestHandler.log_message = lambda *args: None  # one line per case otherwise
    stack = LocalStack(moto_port=free_port(), api_port=free_port()).start()
    from chalicelib import auth
    from devstack import demo

    seeded = demo.seed()
    zype = demo.seed_zype(seeded)

    def tokens() -> dict:
        return {role: auth.issue_tokens(person)["access_token"] for role, person in seeded["people"].items()}
    task = seeded["tasks"][0]
    known_ids = {
        "project_id": seeded["project"]["id"], "sequence_id": seeded["sequence"]["id"],
        "shot_id": seeded["shots"][0]["id"], "asset_id": seeded["assets"][0]["id"],
        "entity_id": seeded["shots"][0]["id"], "task_id": task["id"], "task_type_id": task["task_type_id"],
        "task_status_id": task["task_status_id"], "person_id": seeded["people"]["user"]["id"],
        "studio_id": seeded["people"]["admin"]["studio_id"],
    }
    for kind, records in (("videos", zype.get("videos")), ("categories", zype.get("categories")),
                          ("playlists", zype.get("playlists"))):
        if records:
            known_ids[kind] = records[0]["_id"]
    keys = {kind: zype["keys"][kind] for kind in ("api_key", "app_key")} if "keys" in zype else {}
    return stack, tokens, keys, known_ids


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-operation", type=int, default=3, help="cases per operation and credential")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rotate", action="store_true", help="one credential per operation, in turn")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    stack, tokens, zype_keys, known_ids = start_stack()
    try:
        report = fuzz(stack.api_url, tokens, zype_keys, known_ids, per_operation=args.per_operation, seed=args.seed,
                      rotate=args.rotate)
    finally:
        stack.stop()
    print(report.summary(), flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"operations": len(report.operations), "cases": report.cases,
                       "server_errors": len(report.server_errors),
                       "schema_violations": len(report.schema_violations), "slow": len(report.slow),
                       "statuses": {str(status): count for status, count in report.statuses.items()}}, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
