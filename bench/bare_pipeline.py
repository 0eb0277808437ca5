"""The media pipeline on its own, no AWS: generate clips of mixed shapes, normalize
them, make thumbnails and tiles, then build the playlist both ways and print how
much faster stream-copy concatenation is than re-encoding.

    .venv/bin/python bench/bare_pipeline.py [clip count] [seconds per clip]
"""

import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from chalicelib import media
from chalicelib.media.ffmpeg import ffmpeg_binary

# (size, rate, audio): the shapes uploads arrive in.
SHAPES = [("640x480", "24", True), ("1920x800", "30", False), ("1280x720", "30000/1001", True)]


def make_clip(path: pathlib.Path, size: str, rate: str, seconds: float, audio: bool) -> None:
    args = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=sample_rate=44100:duration={seconds}"]
    command = [ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", *args]
    subprocess.run([*command, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)], check=True)


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {elapsed:7.2f} s")
    return result, elapsed


def main(clip_count: int = 6, seconds: float = 4.0) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-media-") as work:
        work_dir = pathlib.Path(work)
        sources = []
        for index in range(clip_count):
            size, rate, audio = SHAPES[index % len(SHAPES)]
            sources.append(work_dir / f"source-{index}.mp4")
            make_clip(sources[-1], size, rate, seconds, audio)

        def normalize_all():
            outputs = []
            for index, source in enumerate(sources):
                outputs.append(str(work_dir / f"normalized-{index}.mp4"))
                media.normalize_movie(str(source), outputs[-1], "25.000", 1920, 1080)
            return outputs

        normalized, normalize_seconds = timed(f"normalize {clip_count} × {seconds:g} s (1080p)", normalize_all)

        def stills():
            media.movie_pictures(normalized[0], str(work_dir))
            media.generate_tile(normalized[0], str(work_dir / "tile.png"))

        def join_by_copy():
            return media.concat_copy(normalized, str(work_dir / "playlist-copy.mp4"))

        def join_by_reencode():
            return media.concat_reencode(normalized, str(work_dir / "playlist-reencode.mp4"), "25.000", 1920, 1080)

        timed("thumbnails + tile, one movie", stills)
        copied, copy_seconds = timed("concat: demuxer, stream copy", join_by_copy)
        encoded, encode_seconds = timed("concat: filter, re-encode", join_by_reencode)
        print(f"durations: copy {copied.duration:.2f} s, re-encode {encoded.duration:.2f} s")
        print(f"stream copy is {encode_seconds / copy_seconds:.0f}× faster than re-encoding")
        print(f"normalizing costs {normalize_seconds / (clip_count * seconds):.2f} s per second of movie")


if __name__ == "__main__":
    main(*(float(arg) if index else int(arg) for index, arg in enumerate(sys.argv[1:])))
