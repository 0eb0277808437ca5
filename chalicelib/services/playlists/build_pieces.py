"""What a playlist movie is made of, for `build_pipeline`: its format, read from the project
when the build starts, and its chunks, each a movie piece (its video and sound in one
fragmented MP4, placed at the chunk's frame) and a sound piece per entry, cached under keys
made from what they hold (see chalicelib/media/timeline.py for why the sound is cut where it is).

- Full quality (gazu's `full=true`, and the default) is made from the full-definition
  renditions on the project's canvas; web quality (`quality=web`) from the low-definition
  ones (6 Mb/s), on the low-definition canvas (1280 wide, or the project's when narrower).
  Both have their own keys.
- An entry already in the build's format is copied. Any other (another canvas, fps or
  encoder, a wrong frame count) is conformed once, by the same encode that normalizes its
  rendition, and that conformed piece is cached like a chunk."""
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from fractions import Fraction

from chalicelib import storage
from chalicelib.media import MediaError, assemble, encoding, fragments, mp4box, timeline
from chalicelib.observability import logger
from chalicelib.services.production.canvas import preview_canvas

# Part of every piece's key: bump it when pieces are made differently.
PIECE_FORMAT = 4
# The previews pipeline encodes low-definition movies with this preset (pipeline.LOW_DEF_PRESET).
LOW_DEF_PRESET = "veryfast"
# Sound fed to a piece's encoder after its end (see `assemble.audio_piece`).
LEAD_OUT_SAMPLES = 2 * timeline.AAC_FRAME
QUALITIES = ("full", "web")
# Movie a chunk may hold once it has BUILD_CHUNK_SIZE entries, however small its bytes: chunks
# are what runs in parallel. Past it, a small piece makes the join download the pieces, which
# for movies that small is cheap.
MAX_CHUNK_SECONDS = 60
# Entries' sound pieces encoded side by side in one chunk (ffmpeg's AAC encoder uses one core).
SOUND_THREADS = max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class BuildFormat:
    quality: str  # "full" or "web"
    fps: str  # exact, "25/1", "24000/1001"
    width: int
    height: int

    @property
    def rate(self) -> Fraction:
        return Fraction(self.fps)

    @property
    def rendition(self) -> str:
        return "low" if self.quality == "web" else "movie"

    @property
    def audio_bitrate(self) -> str:
        # The pieces' sound is encoded once more: above the previews' 128k where nothing may be lost.
        return encoding.AUDIO_BITRATE if self.quality == "web" else "192k"

    def video(self) -> assemble.VideoFormat:
        if self.quality == "web":
            return assemble.VideoFormat(self.rate, self.width, self.height, encoding.LOW_DEF_BITRATE, LOW_DEF_PRESET)
        return assemble.VideoFormat(self.rate, self.width, self.height, encoding.HIGH_DEF_BITRATE,
                                    encoding.high_def_preset(self.width, self.height))


def build_format(project: dict, quality: str) -> BuildFormat:
    """The project's canvas now. A project without a width gets 16:9, so that the format
    never depends on which previews are in the playlist."""
    fps, width, height = preview_canvas(project)
    width = width or encoding.even(height * 16 // 9)
    width, height = encoding.even(width), encoding.even(height)
    if quality == "web" and width > encoding.LOW_DEF_WIDTH:
        # Zou's low definition is 1280 wide; a narrower canvas is already small.
        width, height = encoding.low_def_size(width, height)
    return BuildFormat(quality, encoding.ffmpeg_rate(encoding.fps_fraction(fps)), width, height)


def entry_frames(preview: dict, rate: Fraction) -> int:
    """How many frames an entry holds at the build's fps: its own count when it was
    normalized at that fps, else its duration at the build's fps (what conforming makes)."""
    frame_count, fps, duration = preview.get("frame_count"), preview.get("fps"), preview.get("duration") or 0
    if frame_count and fps and abs(encoding.fps_fraction(fps) - rate) < Fraction(1, 1000):
        return int(frame_count)
    if not duration and frame_count and fps:
        duration = frame_count / float(fps)
    return max(1, round(Fraction(str(duration)) * rate))


def plan_chunks(movies: list[dict], build: BuildFormat, size: int, piece_bytes: int = 0) -> list[dict]:
    """The chunks of a build: `size` entries or more (`chunk_bounds`), the chunk's sound span, and
    each entry's sound piece (its span on the packet grid, the sound before and after it,
    its key), and the key of the chunk's movie piece. The sound is cut per entry, not per
    chunk: a rebuild after one entry changed encodes that entry's sound and its
    neighbours' (whose lead-in or lead-out it is), not the whole chunk's."""
    rate, sample_rate = build.rate, encoding.AUDIO_SAMPLE_RATE
    entries = [{"id": m["id"], "revision": m.get("revision"), "frames": entry_frames(m, rate)} for m in movies]
    first_frames, frame = [], 0
    for entry in entries:
        first_frames.append(frame)
        entry["samples"] = timeline.samples_at(frame + entry["frames"], rate, sample_rate) - \
            timeline.samples_at(frame, rate, sample_rate)
        frame += entry["frames"]
    entry_spans = timeline.audio_spans([[entry["frames"]] for entry in entries], rate, sample_rate)
    sounds = []
    for number, (entry, span) in enumerate(zip(entries, entry_spans, strict=True)):
        lead_in = _around(reversed(entries[:number]), span.lead_in, from_end=True)[::-1]
        lead_out = [] if span.last else _around(entries[number + 1:], LEAD_OUT_SAMPLES, from_end=False)
        sound = {"span": asdict(span), "lead_in": lead_in, "lead_out": lead_out}
        sounds.append({**sound, "key": _key({"bitrate": build.audio_bitrate, "rendition": build.rendition,
                                              "inputs": _ids([entry], "samples"), **sound})})
    bounds = chunk_bounds(entries, [_estimated_bytes(movie, build) for movie in movies], size, piece_bytes, rate)
    spans = timeline.audio_spans([[e["frames"] for e in entries[a:b]] for a, b in bounds], rate, sample_rate)
    chunks = []
    for index, ((start, end), span) in enumerate(zip(bounds, spans, strict=True)):
        inputs = entries[start:end]
        video_key = _key({"video": build.video().__dict__, "inputs": _ids(inputs, "frames")})
        sound_keys = [sound["key"] for sound in sounds[start:end]]
        chunks.append({"index": index, "inputs": inputs, "first_frame": first_frames[start],
                       "sound": {"span": asdict(span)}, "sounds": sounds[start:end],
                       # The movie piece: both, placed at the chunk's frame (see fragments.place).
                       "key": _key({"piece": [video_key, sound_keys, first_frames[start], build.fps,
                                              fragments.FRAGMENT_SECONDS]})})
    return chunks


def chunk_bounds(entries: list[dict], estimated_bytes: list[int], size: int, piece_bytes: int,
                 rate: Fraction) -> list[tuple[int, int]]:
    """[start, end) of each chunk: at least `size` entries, more until their movies hold
    `piece_bytes` (S3 copies only parts of 5 MiB or more but the last: short or still
    entries make small pieces), never past MAX_CHUNK_SECONDS of movie once `size` is met.
    Playlists of ordinary review movies reach `piece_bytes` within `size` entries, so their
    chunks stay `size` long and one entry's change moves no other chunk's bounds."""
    bounds, start, held_bytes, held_frames = [], 0, 0, 0
    for number, entry in enumerate(entries):
        if number - start >= size and (held_bytes >= piece_bytes or held_frames >= MAX_CHUNK_SECONDS * rate):
            bounds.append((start, number))
            start, held_bytes, held_frames = number, 0, 0
        held_bytes += estimated_bytes[number]
        held_frames += entry["frames"]
    if entries:
        bounds.append((start, len(entries)))
    return bounds


def _estimated_bytes(movie: dict, build: BuildFormat) -> int:
    """What an entry adds to its chunk's piece: its movie's size; for web builds, read from
    the low-definition movie, that size scaled by the two bitrates (the record keeps the
    full one's)."""
    size = int(movie.get("file_size") or 0)
    if build.rendition == "low":
        size = size * encoding.bits_per_second(encoding.LOW_DEF_BITRATE) // \
            encoding.bits_per_second(encoding.HIGH_DEF_BITRATE)
    return size


def _around(entries, wanted: int, from_end: bool) -> list[dict]:
    """The sound sources next to a chunk: whole entries, nearest first, until `wanted` samples."""
    sources = []
    for entry in entries:
        take = min(wanted, entry["samples"])
        sources.append({"id": entry["id"], "revision": entry["revision"], "samples": take,
                        "start": entry["samples"] - take if from_end else 0})
        wanted -= take
        if wanted <= 0:
            break
    return sources


def _ids(inputs: list[dict], measure: str) -> list:
    return [[i["id"], i["revision"], i[measure]] for i in inputs]


def _key(content: dict) -> str:
    content = {"format": PIECE_FORMAT, **content}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


# --- making the pieces ------------------------------------------------------------------

def rendition_key(preview_id: str, build: BuildFormat) -> str:
    """The rendition a build reads; a preview without a low-definition movie gives its full one."""
    key = storage.preview_key(preview_id, build.rendition)
    if build.rendition != "movie" and storage.head(key) is None:
        return storage.preview_key(preview_id, "movie")
    return key


def video_inputs(chunk: dict, build: BuildFormat, paths: list[str], work_dir: str) -> tuple[list[str], str]:
    """The movies whose video the chunk's piece copies (the entries downloaded at `paths`,
    or their conformed pieces), and "copy" or "conform"."""
    video_format = build.video()
    reference = assemble.reference_decoder_config(video_format)
    pieces, method = [], "copy"
    for number, (entry, path) in enumerate(zip(chunk["inputs"], paths, strict=True)):
        reason = assemble.copyable(mp4box.video_track(path), video_format, entry["frames"], reference)
        if reason is None:
            pieces.append(path)
            continue
        logger.info("entry conformed", extra={"preview_file_id": entry["id"], "reason": reason})
        method = "conform"
        pieces.append(_conformed(entry, path, build, os.path.join(work_dir, f"conformed-{number:04d}.mp4")))
    return pieces, method


def _conformed(entry: dict, path: str, build: BuildFormat, out: str) -> str:
    key = storage.playlist_chunk_key("conformed-" + _key({"video": build.video().__dict__, "entry": _ids(
        [entry], "frames"), "rendition": build.rendition}))
    if storage.head(key) is not None:
        storage.download_file(key, out)
        return out
    assemble.conform_video(path, out, build.video(), entry["frames"])
    storage.upload_file(out, key, "video/mp4")
    return out


def chunk_sound(chunk: dict, build: BuildFormat, paths: list[str], out: str, threads: int = SOUND_THREADS) -> None:
    """The chunk's sound into `out`: each entry's sound piece (from the cache, or encoded
    from the entries downloaded at `paths`, side by side, and cached), end to end. Pieces
    on the packet grid join as they are: together they are the chunk's span."""
    local = {entry["id"]: path for entry, path in zip(chunk["inputs"], paths, strict=True)}
    work_dir = os.path.dirname(os.path.abspath(out))

    def piece(number: int) -> bytes:
        sound = chunk["sounds"][number]
        key = storage.playlist_sound_key(sound["key"])
        cached = storage.read_bytes(key)
        if cached is not None:
            return cached
        encoded = os.path.join(work_dir, f"sound-{number:04d}.aac")
        _entry_sound(sound, chunk["inputs"][number], paths[number], local, build, encoded)
        with open(encoded, "rb") as encoded_file:
            content = encoded_file.read()
        storage.put_bytes(key, content, "audio/aac")
        return content

    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(chunk["sounds"])))) as pool:
        pieces = list(pool.map(piece, range(len(chunk["sounds"]))))
    with open(out, "wb") as sound_file:
        sound_file.write(b"".join(pieces))


def _entry_sound(sound: dict, entry: dict, path: str, local: dict, build: BuildFormat, out: str) -> None:
    """Encode one entry's sound piece; its neighbours are read where they are: downloaded
    with the chunk, or through a presigned URL."""

    def around(sources: list[dict]) -> list[assemble.AudioSource]:
        return [assemble.AudioSource(local.get(s["id"]) or storage.presigned_get(rendition_key(s["id"], build)),
                                     s["samples"], s["start"]) for s in sources]

    span = timeline.AudioSpan(**sound["span"])
    entries = [assemble.AudioSource(path, entry["samples"])]
    try:
        assemble.audio_piece(span, around(sound["lead_in"]), entries, out, lead_out=around(sound["lead_out"]),
                             bitrate=build.audio_bitrate)
    except MediaError:
        if not sound["lead_in"] and not sound["lead_out"]:
            raise
        # A neighbour that cannot be read is its own entry's failure; here its sound is only
        # what the encoder hears around the piece, and silence does instead.
        logger.warning("sound piece made without its neighbours", extra={"preview_file_id": entry["id"]})
        silent = [assemble.AudioSource(None, s["samples"]) for s in sound["lead_in"]]
        assemble.audio_piece(span, silent, entries, out, bitrate=build.audio_bitrate)
