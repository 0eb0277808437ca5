"""The join moves no bytes through compute: pieces of 5 MiB or more are copied by S3
(UploadPartCopy) behind the head the join writes, and the movie reads as one MP4 (frame
count, duration, frame-accurate seeking) and as HLS (fMP4 segments: byte ranges of it)."""
import hashlib
import subprocess

import av
import pytest

from chalicelib import aws, storage
from chalicelib.media import mp4box, normalize_movie
from chalicelib.media.ffmpeg import ffmpeg_binary
from devstack import sample_media
from tests.playlists.test_build_retries import OneInTenFailsOnce
from tests.playlists.test_movie_builds import start_build

SECONDS = 2.0  # of noise at 1280x720: about 7 MB at the full-quality bitrate


@pytest.fixture(scope="module")
def noisy_clip(tmp_path_factory):
    """A normalized 1280x720 movie whose every frame differs (noise over a test pattern)."""
    work = tmp_path_factory.mktemp("noise")
    source, movie = work / "noise-source.mp4", work / "noise.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={SECONDS},noise=alls=60:allf=t",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={SECONDS}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-pix_fmt", "yuv420p", str(source)],
                   check=True)
    normalize_movie(str(source), str(movie), "25", 1280, 720)
    return str(movie)


def frame_digests(path: str, *options: str) -> list[str]:
    """A digest of every picture of `path` as ffmpeg decodes it, in order."""
    raw = subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", *options, "-i", path, "-map", "0:v:0",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], check=True, capture_output=True).stdout
    size = 1280 * 720
    return [hashlib.sha1(raw[n:n + size]).hexdigest() for n in range(0, len(raw), size)]


def frame_at(path: str, frame: int, tmp_path) -> str:
    """The picture ffmpeg gives when asked to seek to `frame` (25 fps), as a digest."""
    out = tmp_path / f"seek-{frame}.gray"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-ss", f"{frame / 25:.6f}", "-i", path,
                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", str(out)], check=True)
    return hashlib.sha1(out.read_bytes()).hexdigest()


def test_big_pieces_are_copied_by_s3_and_the_movie_seeks_to_the_frame_and_streams_as_hls(
        api, production, new_playlist, wait_for_job, small_chunks, noisy_clip, tmp_path):
    answer = api["admin"].put(f"/data/projects/{production.project['id']}", json={"fps": "25",
                                                                                   "resolution": "1280x720"})
    assert answer.status_code == 200, answer.text
    shots = [production.new_shot() for _ in range(3)]
    previews = [sample_media.add_ready_preview(production.task(shot), noisy_clip) for shot in shots]
    playlist = new_playlist(shots=[{"entity_id": s["id"], "preview_file_id": p["id"]}
                                   for s, p in zip(shots, previews, strict=True)])
    done = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"], timeout=300)
    assert done["status"] == "succeeded", done.get("failure_reason")
    frames = 3 * round(SECONDS * 25)
    assert (done["chunks_total"], done["frame_count"], done["join_method"]) == (2, frames, "copy")

    movie = tmp_path / "movie.mp4"
    storage.download_file(storage.playlist_build_key(done["id"]), str(movie))
    assert movie.stat().st_size == done["file_size"]
    with av.open(str(movie)) as container:
        assert container.duration / 1e6 == pytest.approx(frames / 25, abs=0.03)
        assert {stream.type for stream in container.streams} == {"video", "audio"}
    digests = frame_digests(str(movie))
    entry = frame_digests(noisy_clip)
    assert len(digests) == frames and mp4box.video_track(str(movie)).sample_count == frames
    assert digests == entry * 3  # entry e's frame f at movie frame e × 50 + f
    # Seeking lands on the frame asked for: in the first piece, at a cut, in the second piece.
    for frame in (0, 37, 49, 50, 51, 100, 149):
        assert frame_at(str(movie), frame, tmp_path) == digests[frame], frame

    # HLS: the API's playlist (a fresh presigned URL of the movie) reads as the same frames.
    answer = api["manager"].get(f"/data/playlists/{playlist['id']}/jobs/{done['id']}/build/hls.m3u8")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert done["hls_path"].endswith(f"/jobs/{done['id']}/build/hls.m3u8")
    text = answer.text
    assert text.startswith("#EXTM3U") and "#EXT-X-MAP:URI=\"http" in text and text.rstrip().endswith("#EXT-X-ENDLIST")
    url = text.split('#EXT-X-MAP:URI="', 1)[1].split('"', 1)[0]
    assert url.startswith("http") and storage.playlist_build_key(done["id"]) in url
    assert [line for line in text.splitlines() if line.startswith("http")] == [url] * text.count("#EXTINF")
    # Read from a local copy of the movie: ffmpeg 9.0.2 reading the byte ranges from moto's
    # server over HTTP reads every byte (with or without persistent connections) but, in about
    # half of the runs, demuxes only the first segment's frames, without an error.
    local = tmp_path / "movie.m3u8"
    local.write_text(text.replace(url, movie.name))
    assert frame_digests(str(local)) == digests

    # A retried join (one S3 request in ten fails once) aborts what it left open and ends the same.
    events = aws.client("s3").meta.events
    faults = OneInTenFailsOnce([p["id"] for p in previews])
    events.register("before-call.s3", faults, unique_id="test-join-faults")
    try:
        again = wait_for_job(playlist["id"], start_build(api, playlist["id"])["id"], timeout=300)
    finally:
        events.unregister("before-call.s3", unique_id="test-join-faults")
    assert (again["status"], again["join_method"], again["chunks_reused"]) == ("succeeded", "copy", 2)
    assert {name for name, _ in faults.failed} & {"CreateMultipartUpload", "UploadPart", "UploadPartCopy",
                                                  "CompleteMultipartUpload"}
    # No multipart upload of the movie is left open (other tests' uploads may be in progress).
    open_uploads = aws.client("s3").list_multipart_uploads(Bucket=storage.bucket()).get("Uploads") or []
    assert not [u for u in open_uploads if u["Key"].startswith(storage.PLAYLIST_BUILD_PREFIX)]
    storage.download_file(storage.playlist_build_key(again["id"]), str(movie))
    assert frame_digests(str(movie)) == digests
