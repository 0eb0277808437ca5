"""Preview ingest: what the pipeline (S3 event -> SQS -> normalize worker -> S3 event ->
SQS -> images worker -> DynamoDB) costs over doing the same media work bare.

For one 10 s 720p clip, in the same run, on the local stack (moto):
- bare: the worker's ffmpeg normalize (Zou's normalize makes both the high- and the
  low-definition movie) and the thumbnails, on local files, nothing else;
- pipeline: from the end of the presigned PUT (S3 emits the event) until the preview is
  `ready`: downloads and uploads through S3, both queues, both workers (the images worker
  also makes the tile sprite), and every record update.

    .venv/bin/python bench/ingest.py [rounds] [seconds of clip]

Rounds alternate bare and pipeline runs; the ratio reported is the median of each round's
pipeline / bare (a shared machine's load changes between rounds, much less within one).
Target: <= 1.3.
"""
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))


def make_clip(path: pathlib.Path, seconds: float) -> None:
    from chalicelib.media.ffmpeg import ffmpeg_binary

    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)],
                   check=True)


def bare(clip: pathlib.Path, work: pathlib.Path) -> dict:
    """The same ffmpeg work as the normalize worker, then the thumbnails; and the tile apart."""
    from chalicelib import media
    from chalicelib.services.previews.pipeline import LOW_DEF_PRESET

    started = time.perf_counter()
    source = media.probe_movie(str(clip), count_frames=False)
    movie = str(work / "movie.mp4")
    media.normalize_movie(str(clip), movie, "25.000", 1280, 720, source_info=source)
    media.normalize_movie(str(clip), str(work / "low.mp4"), "25.000", 1280, 720, low_def=True,
                          source_info=source, preset=LOW_DEF_PRESET)
    media.movie_pictures(movie, str(work))
    normalize_and_thumbnail = time.perf_counter() - started
    media.generate_tile(movie, str(work / "tile.png"))
    return {"normalize+thumbnail": normalize_and_thumbnail, "with tile": time.perf_counter() - started}


def through_the_pipeline(clip: pathlib.Path, seeded: dict) -> dict:
    import requests

    from chalicelib import auth
    from chalicelib.models import records
    from chalicelib.services.previews import previews, uploads
    from chalicelib.services.production import production

    manager = auth.Caller(seeded["people"]["manager"])
    task = seeded["tasks"][1]
    comment = production.add_comment(manager, task["id"], {"task_status_id": seeded["statuses"]["wip"]["id"]})
    preview = previews.create_on_comment(manager, task["id"], comment["id"])
    upload = uploads.request_upload(manager, preview["id"], {"filename": clip.name})
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
    return {"event->ready": elapsed, "normalize stage": body["pipeline"]["normalize"]["seconds"],
            "images stage": body["pipeline"]["images"]["seconds"]}


def main(rounds: int = 2, seconds: float = 10.0) -> None:
    from devstack.stack import LocalStack, free_port

    stack = LocalStack(moto_port=free_port(), api_port=None).start()
    try:
        from devstack import demo

        seeded = demo.seed()  # its project: 25 fps, 1280x720
        with tempfile.TemporaryDirectory(prefix="bench-ingest-") as work:
            work_dir = pathlib.Path(work)
            clip = work_dir / "clip.mp4"
            make_clip(clip, seconds)
            bare_runs, pipeline_runs = [], []
            for _ in range(rounds):
                round_dir = pathlib.Path(tempfile.mkdtemp(dir=work))
                bare_runs.append(bare(clip, round_dir))
                pipeline_runs.append(through_the_pipeline(clip, seeded))
    finally:
        stack.stop()
    ratios = [p["event->ready"] / b["normalize+thumbnail"] for p, b in zip(pipeline_runs, bare_runs, strict=True)]
    with_tile = [p["event->ready"] / b["with tile"] for p, b in zip(pipeline_runs, bare_runs, strict=True)]
    print(f"clip: {seconds:g} s, 1280x720 at 25 fps with audio; {rounds} round(s)")
    for number, (b, p, ratio) in enumerate(zip(bare_runs, pipeline_runs, ratios, strict=True), start=1):
        print(f"round {number}: bare normalize (high + low def) + thumbnails {b['normalize+thumbnail']:6.2f} s "
              f"(+ tile {b['with tile']:6.2f} s) | pipeline event -> ready {p['event->ready']:6.2f} s "
              f"(normalize stage {p['normalize stage']:.2f} s, then images stage {p['images stage']:.2f} s) "
              f"| ratio {ratio:.2f}")
    print(f"ratio event->ready / bare normalize+thumbnail: {statistics.median(ratios):.2f}  (median; target <= 1.3)")
    print(f"ratio event->ready / bare with the tile too:   {statistics.median(with_tile):.2f}  "
          "(the pipeline's own overhead: S3, SQS, DynamoDB)")


if __name__ == "__main__":
    main(*(float(arg) if index else int(arg) for index, arg in enumerate(sys.argv[1:])))
