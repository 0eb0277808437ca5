"""Long masters in parallel: a movie over PREVIEW_SEGMENT_THRESHOLD_SECONDS (shortened
here) is normalized by the segments state machine (moto runs the template's definition):
each segment encoded by its own invocation, then stitched without re-encoding. The result
is the movie a single encode makes: the same frames, frame for frame, the source's audio
rate and channels, as long as the video."""
import json
import subprocess

import pytest
from preview_helpers import make_clip, s3_keys

from chalicelib import aws, media, storage
from chalicelib.config import settings
from chalicelib.media.ffmpeg import ffmpeg_binary
from chalicelib.models import records

SECONDS = 6


@pytest.fixture
def short_segments(monkeypatch):
    """Segments of 1 s for movies over 2 s."""
    monkeypatch.setenv("PREVIEW_SEGMENT_THRESHOLD_SECONDS", "2")
    monkeypatch.setenv("PREVIEW_SEGMENT_SECONDS", "1")
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()


def _frame_psnrs(first: str, second: str, tmp_path) -> list[float]:
    stats = tmp_path / "psnr.txt"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-i", first, "-i", second,
                    "-lavfi", f"[0:v][1:v]psnr=stats_file={stats}", "-f", "null", "-"], check=True)
    values = [line.split("psnr_avg:")[1].split()[0] for line in stats.read_text().splitlines()]
    return [float("inf") if value == "inf" else float(value) for value in values]


def test_a_long_master_is_normalized_in_parallel_segments_frame_for_frame(previews, tmp_path, short_segments,
                                                                         studio):
    # 30 fps in, the project's 24 fps out: the segments resample as the single encode does.
    master = make_clip(tmp_path / "master.mp4", "320x240", "30", seconds=SECONDS, audio="44100:1")
    preview = previews.new()
    previews.presigned_put(preview, master)
    ready = previews.wait(preview, timeout=240)
    assert ready["status"] == "ready", ready

    executions = aws.client("stepfunctions").list_executions(
        stateMachineArn=settings().segments_state_machine_arn)["executions"]
    ours = [e for e in executions if e["name"].startswith(preview["id"])]
    assert [e["status"] for e in ours] == ["SUCCEEDED"]
    history = aws.client("stepfunctions").get_execution_history(executionArn=ours[0]["executionArn"],
                                                                maxResults=1000)["events"]
    segment_runs = [e for e in history if e["type"] == "TaskStateEntered"
                    and json.loads(e["stateEnteredEventDetails"]["input"]).get("index") is not None]
    plan = records.get(preview["id"])["pipeline"]["segments"]["segments"]
    assert len(segment_runs) == len(plan) >= 5

    stitched = tmp_path / "stitched.mp4"
    storage.download_file(storage.preview_key(preview["id"], "movie"), str(stitched))
    whole = tmp_path / "whole.mp4"
    project = studio["project"]
    width, height = (int(side) for side in project["resolution"].split("x"))
    media.normalize_movie(str(master), str(whole), project["fps"], width, height)
    stitched_info, whole_info = media.probe_movie(str(stitched)), media.probe_movie(str(whole))
    assert stitched_info.frame_count == whole_info.frame_count == ready["frame_count"] == int(SECONDS * 24)
    assert (stitched_info.sample_rate, stitched_info.channels) == (44100, 1)
    # Frame k of the stitched movie is frame k of the single encode (two encodes of the same
    # frames: ~40 dB or more; a frame off by one in this moving test pattern: under 25 dB).
    assert min(_frame_psnrs(str(stitched), str(whole), tmp_path)) > 35
    streams = subprocess.run([ffmpeg_binary(), "-nostdin", "-i", str(stitched), "-map", "0:a", "-f", "null", "-"],
                             capture_output=True, text=True).stderr
    audio_seconds = _last_time(streams)
    assert abs(audio_seconds - stitched_info.frame_count / 24) <= 1024 / 44100 + 0.001
    low = media.probe_movie(_download(preview["id"], "low", tmp_path))
    assert low.frame_count == stitched_info.frame_count
    # The segments are removed once stitched.
    assert s3_keys(f"{storage.PREVIEW_PREFIX}{preview['id']}/segments/") == []


def _last_time(ffmpeg_stderr: str) -> float:
    stamp = ffmpeg_stderr.rsplit("time=", 1)[1].split()[0]
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _download(preview_id: str, variant: str, tmp_path) -> str:
    path = tmp_path / f"{variant}.mp4"
    storage.download_file(storage.preview_key(preview_id, variant), str(path))
    return str(path)


def test_a_master_that_cannot_be_segmented_is_broken_with_the_reason(previews, tmp_path, short_segments):
    # Segments that fail (here: the original is removed once the plan is made) end the
    # preview broken, with the reason, not processing for ever.
    master = make_clip(tmp_path / "master.mp4", "320x240", "25", seconds=4)
    preview = previews.new()
    original = {}
    client = aws.client("s3")

    def remove_the_original(params, **kwargs):
        if params.get("Key", "").endswith("0000-hd.mp4") and "key" not in original:
            original["key"] = records.get(preview["id"])["pipeline"]["source_key"]
            client.delete_object(Bucket=storage.bucket(), Key=original["key"])

    client.meta.events.register("before-parameter-build.s3.HeadObject", remove_the_original, unique_id="rm-orig")
    try:
        previews.presigned_put(preview, master)
        ended = previews.wait(preview, timeout=240)
    finally:
        client.meta.events.unregister("before-parameter-build.s3.HeadObject", unique_id="rm-orig")
    assert ended["status"] == "broken"
    # The segment's ffmpeg could not read the original: its own words are the reason.
    assert ended["status_reason"].startswith("normalize failed: "), ended["status_reason"]
    assert "404 Not Found" in ended["status_reason"]
