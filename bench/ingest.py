"""Preview ingest: what the pipeline (S3 event -> SQS -> normalize worker -> S3 event ->
SQS -> images worker -> DynamoDB) costs over doing the same media work bare, and, when a
running Zou is given, how it compares with Zou on the same clips and machine.

For each clip size (10 s, 25 fps, with a tone, and film grain so that the encoder's
choices show), in the same run, on the local stack (moto):
- bare: the worker's media work (one ffmpeg pass: both definitions, the first frame and
  the tile sprite; then the sprite's crop and the thumbnails), on local files, nothing else;
- pipeline: from the end of the presigned PUT (S3 emits the event) until the preview is
  `ready`: downloads and uploads through S3, the queues, the normalize worker (which closes
  the images stage itself; the images worker, on movie.mp4's event, finds it done), and
  every record update;
- Zou (with --zou-url and --zou-token, which ../shared/tools/zou-up.sh prints): the same
  clip published with gazu's publish_preview, timed from the start of the upload until
  the preview is `ready`; then the SSIM of each high-definition movie against the clip
  (ffmpeg's ssim filter).

    .venv/bin/python bench/ingest.py [--rounds 2] [--seconds 10] [--sizes 1280x720,1920x1080]
                                     [--zou-url URL --zou-token TOKEN] [--master-seconds 600]

--master-seconds N adds a long 1080p master of N seconds: normalized whole (bare, one
encode) and through the pipeline in segments (PreviewSegmentsStateMachine), with the
segment count and each step's time from the execution history. Here every segment shares
this machine's cores; in the cloud each has its own Lambda, so event->ready is bounded by
the longest segment plus the stitch, which the bench prints too.

Rounds alternate the runs; ratios are medians of each round's (a shared machine's load
changes between rounds, much less within one). Targets: event->ready / bare <= 1.3;
ours / Zou <= 0.5 at an SSIM no lower than Zou's.
"""
import argparse
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

FPS = "25"


def make_clip(path: pathlib.Path, seconds: float, size: str = "1280x720") -> None:
    from chalicelib.media.ffmpeg import ffmpeg_binary

    # Temporal grain: every frame differs, as in a rendered or shot review movie.
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={FPS}:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
                    "-vf", "noise=alls=10:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)], check=True)


def ssim(distorted: str, reference: str) -> float:
    from chalicelib.media.ffmpeg import ffmpeg_binary

    printed = subprocess.run([ffmpeg_binary(), "-nostdin", "-i", distorted, "-i", reference,
                              "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"],
                             capture_output=True, text=True, check=True).stderr
    return float(re.findall(r"All:([0-9.]+)", printed)[-1])


def bare(clip: pathlib.Path, work: pathlib.Path, width: int, height: int) -> dict:
    """The same media work as the normalize worker, on local files: one ffmpeg pass makes
    both definitions, the first frame and the tile sprite; then the crop and the thumbnails."""
    from chalicelib import media
    from chalicelib.services.previews.pipeline import LOW_DEF_PRESET

    started = time.perf_counter()
    source = media.probe_movie(str(clip), count_frames=False)
    movie = str(work / "movie.mp4")
    renditions = [media.Rendition(movie), media.Rendition(str(work / "low.mp4"), True, LOW_DEF_PRESET)]
    plan = media.pass_tile_plan(renditions, FPS, width, height, source)
    pictures = media.PassPictures(str(work / "first-frame.png"), str(work / "tile.png"), plan)
    media.normalize_renditions(str(clip), renditions, FPS, width, height, source_info=source, pictures=pictures)
    media.crop_tile(pictures.sprite, plan, media.probe_movie(movie).frame_count)
    media.frame_pictures(pictures.first_frame, str(work))
    elapsed = time.perf_counter() - started
    # The tile is made in the same pass now: "with tile" is the same work.
    return {"normalize+thumbnail": elapsed, "with tile": elapsed}


def through_the_pipeline(clip: pathlib.Path, seeded: dict, work: pathlib.Path) -> dict:
    import requests

    from chalicelib import auth, storage
    from chalicelib.models import records
    from chalicelib.services.previews import previews, uploads
    from chalicelib.services.production import production

    manager = auth.Caller(seeded["people"]["manager"])
    task = seeded["tasks"][1]
    comment = production.add_comment(manager, task["id"], {"task_status_id": seeded["statuses"]["wip"]["id"]})
    preview = previews.create_on_comment(manager, task["id"], comment["id"])
    upload = uploads.request_upload(manager, preview["id"], {"filename": clip.name})
    put_started = time.perf_counter()
    response = requests.put(upload["url"], data=clip.read_bytes(), headers=upload["headers"], timeout=120)
    response.raise_for_status()
    started = time.perf_counter()  # the object exists: S3 has emitted its event
    while True:
        body = records.get(preview["id"])
        if body["status"] != "processing":
            break
        time.sleep(0.1)  # each poll is a request to moto, in this process: keep them few
    elapsed = time.perf_counter() - started
    if body["status"] != "ready":
        raise SystemExit(f"the preview ended {body['status']}: {body.get('status_reason')}")
    movie = str(work / "ours.mp4")
    storage.download_file(storage.preview_key(preview["id"], "movie"), movie)
    return {"event->ready": elapsed, "upload->ready": time.perf_counter() - put_started,
            "normalize stage": body["pipeline"]["normalize"]["seconds"],
            "images stage": body["pipeline"]["images"]["seconds"], "ssim": ssim(movie, str(clip))}


class Zou:
    """A project per clip size on a running Zou, through the real gazu."""

    def __init__(self, url: str, token: str):
        import gazu

        self.gazu = gazu
        gazu.set_host(url)
        gazu.client.set_tokens({"access_token": token})
        self.tasks = {}
        self.status = gazu.task.get_task_status_by_short_name("wip") or gazu.task.all_task_statuses()[0]
        self.task_type = gazu.task.new_task_type("Bench ingest", for_entity="Shot")

    def task(self, width: int, height: int) -> dict:
        if (width, height) not in self.tasks:
            gazu = self.gazu
            project = gazu.project.new_project(f"bench ingest {width}x{height} {time.time():.0f}")
            gazu.project.update_project({"id": project["id"], "fps": FPS, "resolution": f"{width}x{height}"})
            gazu.project.add_task_type(project, self.task_type, 1)
            sequence = gazu.shot.new_sequence(project, "SQ01")
            shot = gazu.shot.new_shot(project, sequence, "SH01")
            self.tasks[width, height] = gazu.task.new_task(shot, self.task_type)
        return self.tasks[width, height]

    def publish(self, clip: pathlib.Path, width: int, height: int, work: pathlib.Path) -> dict:
        gazu = self.gazu
        task = self.task(width, height)
        started = time.perf_counter()
        _, preview = gazu.task.publish_preview(task, self.status, comment="bench", preview_file_path=str(clip))
        while True:
            body = gazu.files.get_preview_file(preview["id"])
            if body["status"] != "processing":
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        if body["status"] != "ready":
            raise SystemExit(f"Zou's preview ended {body['status']}")
        movie = str(work / "zou.mp4")
        gazu.files.download_preview_movie(body, movie)
        return {"upload->ready": elapsed, "ssim": ssim(movie, str(clip))}


def long_master(seconds: float, seeded: dict, work: pathlib.Path) -> dict:
    import datetime

    import requests

    from chalicelib import auth, aws, media
    from chalicelib.config import settings
    from chalicelib.models import records
    from chalicelib.services.previews import previews, uploads
    from chalicelib.services.production import production

    clip = work / "master.mp4"
    make_clip(clip, seconds, "1920x1080")
    _project_size(seeded, 1920, 1080)
    started = time.perf_counter()
    media.normalize_renditions(str(clip), [media.Rendition(str(work / "whole.mp4")),
                                           media.Rendition(str(work / "whole-low.mp4"), True, "veryfast")],
                               FPS, 1920, 1080)
    single = time.perf_counter() - started
    manager = auth.Caller(seeded["people"]["manager"])
    task = seeded["tasks"][1]
    comment = production.add_comment(manager, task["id"], {"task_status_id": seeded["statuses"]["wip"]["id"]})
    preview = previews.create_on_comment(manager, task["id"], comment["id"])
    upload = uploads.request_upload(manager, preview["id"], {"filename": clip.name})
    with open(clip, "rb") as body:
        requests.put(upload["url"], data=body, headers=upload["headers"], timeout=600).raise_for_status()
    started = time.perf_counter()
    while records.get(preview["id"])["status"] == "processing":
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    body = records.get(preview["id"])
    stepfunctions = aws.client("stepfunctions")
    execution = next(e for e in stepfunctions.list_executions(
        stateMachineArn=settings().segments_state_machine_arn)["executions"] if e["name"].startswith(preview["id"]))
    history = stepfunctions.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)["events"]
    entered, steps = {}, {"segment": [], "stitch": []}
    for event in history:
        stamp = event["timestamp"]
        stamp = stamp.timestamp() if isinstance(stamp, datetime.datetime) else float(stamp)
        if event["type"] == "TaskStateEntered":
            entered[event["id"]] = (event["stateEnteredEventDetails"]["name"], stamp)
        elif event["type"] == "TaskStateExited":
            start_id = max(i for i, (name, _) in entered.items() if name == event["stateExitedEventDetails"]["name"]
                           and i < event["id"])
            name, begun = entered.pop(start_id)
            steps["segment" if name == "EncodeSegment" else "stitch"].append(stamp - begun)
    # What one Lambda per segment would take: the longest segment encoded alone, on this
    # machine with nothing else running (the pipeline above ran them all side by side).
    planned = body["pipeline"]["segments"]["segments"]
    first, frames = max(planned, key=lambda segment: segment[1] or len(planned) * 10 ** 9)
    started = time.perf_counter()
    media.segments.encode_segment(str(clip), [media.Rendition(str(work / "segment.mp4")),
                                              media.Rendition(str(work / "segment-low.mp4"), True, "veryfast")],
                                  FPS, 1920, 1080, first, frames, source_info=media.probe_movie(str(clip)))
    alone = time.perf_counter() - started
    return {"status": body["status"], "segments": len(planned), "segment alone": alone,
            "single": single, "event->ready": elapsed, "longest segment": max(steps["segment"], default=0),
            "stitch": sum(steps["stitch"]), "frames": body["frame_count"]}


def _project_size(seeded: dict, width: int, height: int) -> None:
    from chalicelib.models import records

    records.update(seeded["project"]["id"], {"resolution": f"{width}x{height}", "fps": FPS})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--sizes", default="1280x720,1920x1080")
    parser.add_argument("--zou-url")
    parser.add_argument("--zou-token")
    parser.add_argument("--master-seconds", type=float, default=0)
    options = parser.parse_args()
    sizes = [tuple(int(side) for side in size.split("x")) for size in options.sizes.split(",")]

    from devstack.stack import LocalStack, free_port

    zou = Zou(options.zou_url, options.zou_token) if options.zou_url else None
    results = {size: [] for size in sizes}
    stack = LocalStack(moto_port=free_port(), api_port=None).start()
    try:
        from devstack import demo

        seeded = demo.seed()
        with tempfile.TemporaryDirectory(prefix="bench-ingest-") as work:
            for width, height in sizes:
                clip = pathlib.Path(work) / f"clip-{width}x{height}.mp4"
                make_clip(clip, options.seconds, f"{width}x{height}")
                _project_size(seeded, width, height)
                for _ in range(options.rounds):
                    round_dir = pathlib.Path(tempfile.mkdtemp(dir=work))
                    run = {"bare": bare(clip, round_dir, width, height),
                           "ours": through_the_pipeline(clip, seeded, round_dir)}
                    if zou:
                        run["zou"] = zou.publish(clip, width, height, round_dir)
                    results[width, height].append(run)
            master = long_master(options.master_seconds, seeded, pathlib.Path(work)) \
                if options.master_seconds else None
    finally:
        stack.stop()
    _report(results, options)
    if master:
        print(f"\nlong master: {options.master_seconds:g} s 1920x1080 -> {master['status']}, {master['frames']} "
              f"frames, {master['segments']} segments")
        print(f"  single encode (bare, both definitions) {master['single']:.1f} s | pipeline in segments "
              f"event->ready {master['event->ready']:.1f} s (every segment on this machine's cores)")
        print(f"  longest segment in the pipeline {master['longest segment']:.1f} s (sharing the cores); "
              f"stitch {master['stitch']:.1f} s")
        bound = master["segment alone"] + master["stitch"]
        print(f"  longest segment encoded alone {master['segment alone']:.1f} s + stitch = {bound:.1f} s: "
              f"event->ready with a Lambda per segment, {bound / master['single']:.2f} of the single encode")


def _report(results: dict, options) -> None:
    print(f"clips: {options.seconds:g} s at {FPS} fps with grain and a tone; {options.rounds} round(s) each")
    for (width, height), runs in results.items():
        print(f"\n{width}x{height}")
        for number, run in enumerate(runs, start=1):
            bare_run, ours = run["bare"], run["ours"]
            line = (f"  round {number}: bare normalize (both definitions) + thumbnails "
                    f"{bare_run['normalize+thumbnail']:6.2f} s (+ tile {bare_run['with tile']:6.2f} s) | ours "
                    f"event->ready {ours['event->ready']:6.2f} s (upload->ready {ours['upload->ready']:6.2f} s; "
                    f"normalize {ours['normalize stage']:.2f} s, images {ours['images stage']:.2f} s) "
                    f"SSIM {ours['ssim']:.6f}")
            if "zou" in run:
                line += f" | Zou upload->ready {run['zou']['upload->ready']:6.2f} s SSIM {run['zou']['ssim']:.6f}"
            print(line)
        ratio = statistics.median(r["ours"]["event->ready"] / r["bare"]["normalize+thumbnail"] for r in runs)
        with_tile = statistics.median(r["ours"]["event->ready"] / r["bare"]["with tile"] for r in runs)
        print(f"  event->ready / bare normalize+thumbnail: {ratio:.2f} (median; target <= 1.3); "
              f"/ bare with the tile too: {with_tile:.2f} (the pipeline's own overhead: S3, SQS, DynamoDB)")
        if all("zou" in r for r in runs):
            versus = statistics.median(r["ours"]["event->ready"] / r["zou"]["upload->ready"] for r in runs)
            whole = statistics.median(r["ours"]["upload->ready"] / r["zou"]["upload->ready"] for r in runs)
            ours_ssim = statistics.median(r["ours"]["ssim"] for r in runs)
            zou_ssim = statistics.median(r["zou"]["ssim"] for r in runs)
            print(f"  ours event->ready / Zou upload->ready: {versus:.2f} (median; target <= 0.5); "
                  f"ours upload->ready / Zou's: {whole:.2f}; SSIM ours {ours_ssim:.6f} vs Zou {zou_ssim:.6f} "
                  f"({'not lower' if ours_ssim >= zou_ssim else 'LOWER'})")


if __name__ == "__main__":
    main()
