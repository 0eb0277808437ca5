"""Helpers of the preview tests: tiny generated clips, the preview flow through the served
API (presigned PUT -> S3 event -> SQS -> worker), and direct reads of S3 and SQS."""
import io
import json
import subprocess
import time
from pathlib import Path
from urllib.parse import quote_plus

import requests
from PIL import Image

from chalicelib import aws, storage
from chalicelib.media.ffmpeg import ffmpeg_binary

PROJECT_FPS = "24"
PROJECT_WIDTH, PROJECT_HEIGHT = 640, 360


def make_clip(path: Path, size: str, rate: str, seconds: float = 1, audio: str | None = None) -> Path:
    """A testsrc clip (ultrafast H.264); `audio` is "rate:channels" for a sine tone."""
    args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        sample_rate, channels = audio.split(":")
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={sample_rate}:duration={seconds}",
                 "-c:a", "aac", "-ac", channels]
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", *args, "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)], check=True)
    return path


class Previews:
    """Steps of the preview flow, as a given role, through the served API."""

    def __init__(self, api, studio):
        self.api = api
        self.studio = studio

    def new(self, role: str = "manager", task: dict | None = None, revision: int | None = None) -> dict:
        """A comment on the task and a preview on it (Zou's add-preview)."""
        task = task or self.studio["task"]
        comment = self.api[role].post(f"/actions/tasks/{task['id']}/comment",
                                      json={"task_status_id": self.studio["status"]["id"], "comment": "take"})
        assert comment.status_code == 201, comment.text
        body = {} if revision is None else {"revision": revision}
        preview = self.api[role].post(f"/actions/tasks/{task['id']}/comments/{comment.json()['id']}/add-preview",
                                      json=body)
        assert preview.status_code == 201, preview.text
        return preview.json()

    def presigned_put(self, preview: dict, path: Path, role: str = "manager", **options) -> dict:
        answer = self.api[role].post(f"/pictures/preview-files/{preview['id']}/upload-url",
                                     json={"filename": path.name, **options})
        assert answer.status_code == 201, answer.text
        upload = answer.json()
        put = requests.put(upload["url"], data=path.read_bytes(), headers=upload["headers"], timeout=30)
        assert put.status_code == 200, put.text
        return answer.json()["preview_file"]

    def api_upload(self, preview: dict, path: Path, role: str = "manager", query: str = ""):
        with path.open("rb") as handle:
            return self.api[role].post(f"/pictures/preview-files/{preview['id']}{query}",
                                       files={"file": (path.name, handle)})

    def wait(self, preview: dict, timeout: float = 90) -> dict:
        """The preview once it is no longer processing."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.api["admin"].get(f"/data/preview-files/{preview['id']}").json()
            if current["status"] != "processing" or time.monotonic() > deadline:
                return current
            time.sleep(0.1)

    def ready(self, path: Path, **options) -> dict:
        """A new preview with `path` uploaded, once processed."""
        preview = self.new()
        self.presigned_put(preview, path, **options)
        processed = self.wait(preview)
        assert processed["status"] == "ready", processed
        return processed


# --- S3 and SQS, read directly ----------------------------------------------------------------

def s3_bytes(key: str) -> bytes:
    return aws.client("s3").get_object(Bucket=storage.bucket(), Key=key)["Body"].read()


def s3_keys(prefix: str) -> list[str]:
    answer = aws.client("s3").list_objects_v2(Bucket=storage.bucket(), Prefix=prefix)
    return sorted(item["Key"] for item in answer.get("Contents", []))


def picture_size(key: str) -> tuple[int, int]:
    with Image.open(io.BytesIO(s3_bytes(key))) as picture:
        return picture.size


def s3_event_body(key: str) -> str:
    """The message S3 puts on the queue for a new object (as moto writes it)."""
    head = aws.client("s3").head_object(Bucket=storage.bucket(), Key=key)
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": "2026-11-24T10:00:00.000Z", "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "test",
               "bucket": {"name": storage.bucket(), "arn": f"arn:aws:s3:::{storage.bucket()}"},
               "object": {"key": quote_plus(key), "size": head["ContentLength"], "eTag": head["ETag"].strip('"')}}}]})


def sqs_event(*bodies: str) -> dict:
    """A Lambda SQS event holding these message bodies."""
    return {"Records": [{"messageId": f"message-{n}", "receiptHandle": f"receipt-{n}", "body": body,
                         "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                         "md5OfBody": "", "eventSource": "aws:sqs",
                         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:test", "awsRegion": "us-east-1"}
                        for n, body in enumerate(bodies)]}




def eventually(read, expected, timeout: float = 10):
    """`read()` once it equals `expected` (what follows a preview becoming ready, such as its
    task's last preview, is written just after the status)."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return value
