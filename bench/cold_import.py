"""Cold import time of the API handler module (`app.py`), as a Lambda cold start pays it:
a fresh interpreter per run, median of several runs, the bare interpreter start measured
side by side and subtracted. Target: at most 400 ms; ffmpeg and Pillow must load lazily.

    .venv/bin/python bench/cold_import.py
"""
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
RUNS = 7
ENV = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
       "AWS_SECRET_ACCESS_KEY": "testing", "AWS_EC2_METADATA_DISABLED": "true",
       "RECORDS_TABLE": "bench", "MEDIA_BUCKET": "bench", "JWT_SECRET": "bench-secret-of-enough-length-0000"}


def _median_seconds(code: str) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    bare = _median_seconds("pass")
    with_app = _median_seconds("import app")
    heavy = subprocess.run([sys.executable, "-c", "import app, sys; print(sorted(m for m in ('PIL', 'imageio_ffmpeg',"
                            " 'moto', 'zipstream') if m in sys.modules))"],
                           cwd=ROOT, env=ENV, check=True, capture_output=True, text=True).stdout.strip()
    import_ms = (with_app - bare) * 1000
    print(f"interpreter start       {bare * 1000:7.1f} ms")
    print(f"interpreter + import app {with_app * 1000:7.1f} ms")
    print(f"cold import of app.py    {import_ms:7.1f} ms   (target <= 400 ms: {'ok' if import_ms <= 400 else 'OVER'})")
    print(f"heavy modules loaded at import: {heavy}")


if __name__ == "__main__":
    main()
