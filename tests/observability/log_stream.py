"""What the app writes to its log stream, read back as CloudWatch would: the Powertools
log lines (one JSON document a line) and the EMF documents of its metrics."""
import io
import json
import time


class LogLines:
    """The app's log lines written since the fixture began, parsed."""

    def __init__(self):
        self.stream = io.StringIO()

    def __call__(self, **matching) -> list[dict]:
        lines = [json.loads(line) for line in self.stream.getvalue().splitlines() if line.strip()]
        return [line for line in lines if all(line.get(key) == value for key, value in matching.items())]

    def mark(self) -> int:
        return len(self())

    def since(self, mark: int, **matching) -> list[dict]:
        return [line for line in self()[mark:] if all(line.get(key) == value for key, value in matching.items())]

    def wait_for(self, seconds: float = 30, **matching) -> dict:
        """The one line matching, once written (a worker may still be finishing)."""
        deadline = time.monotonic() + seconds
        while not self(**matching):
            assert time.monotonic() < deadline, f"no log line with {matching}"
            time.sleep(0.1)
        (line,) = self(**matching)
        return line


class EmfLines:
    """The EMF documents printed on stdout (Powertools prints metrics; CloudWatch reads them)."""

    def __init__(self, capsys):
        self._capsys = capsys
        self.documents: list[dict] = []

    def read(self) -> list[dict]:
        for line in self._capsys.readouterr().out.splitlines():
            try:
                document = json.loads(line)
            except ValueError:
                continue
            if isinstance(document, dict) and "_aws" in document:
                self.documents.append(document)
        return self.documents

    def wait_for(self, metric: str, accept=lambda document: True, seconds: float = 30) -> dict:
        """The first document holding `metric` that `accept`s; metrics are flushed when
        the invocation ends, a moment after what they measure is visible."""
        deadline = time.monotonic() + seconds
        while True:
            found = [d for d in self.read() if metric in d and accept(d)]
            if found:
                return found[0]
            assert time.monotonic() < deadline, f"no EMF line with {metric}; saw {self.documents}"
            time.sleep(0.2)

    def wait_for_total(self, metric: str, total: float, seconds: float = 30) -> list[dict]:
        """The documents holding `metric`, once its values add up to `total` (the local
        stack's invocations share one metric set, so one flush may carry another's points)."""
        deadline = time.monotonic() + seconds
        while sum(value for document in self.read() if metric in document for value in values(document, metric)) \
                < total:
            assert time.monotonic() < deadline, f"{metric} does not reach {total}; saw {self.documents}"
            time.sleep(0.2)
        return [document for document in self.documents if metric in document]


def units(document: dict) -> dict[str, str]:
    """{metric name: unit} of an EMF document, checked to be in the app's namespace."""
    (directive,) = document["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "reelbase" and ["service"] in directive["Dimensions"]
    assert document["service"] == "reelbase"
    return {metric["Name"]: metric["Unit"] for metric in directive["Metrics"]}


def values(document: dict, metric: str) -> list[float]:
    value = document[metric]
    return value if isinstance(value, list) else [value]
