"""Fragmented MP4 pieces of a playlist movie, and the few boxes that make a movie of them
without reading them again (ISO/IEC 14496-12 movie fragments, as CMAF and HLS use them).

A chunk's piece is its video and its sound muxed into one fragmented MP4: an init
(`ftyp` + `moov`, no samples) then fragments (`moof` + `mdat`) of about
`FRAGMENT_SECONDS`. `place` stamps each fragment with where it lands in the movie (the
`tfdt` decode time of each track, the `mfhd` sequence number), so that the pieces' media
bytes, laid end to end after one init, are the movie: the join copies them as they are
(S3 UploadPartCopy) behind a head it writes (`movie_head`: chunk 0's init with the
movie's duration, a `sidx` indexing every fragment, padding to S3's smallest part).
`hls_playlist` describes the same bytes as HLS fMP4 segments (byte ranges of the movie)."""
from __future__ import annotations

import math
import os
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from . import encoding, mp4box
from .ffmpeg import DEFAULT_TIMEOUT_S, MediaError, run_ffmpeg_into
from .timeline import AAC_FRAME

FRAGMENT_SECONDS = 4  # about the length of an HLS segment
_MOVIE_TIMESCALE = 1000  # ffmpeg's mvhd time scale


@dataclass(frozen=True)
class Layout:
    """Where a placed piece's bytes are: its init, then fragments of (bytes, video frames)."""
    init_size: int
    fragments: list[tuple[int, int]]

    @property
    def media_size(self) -> int:
        return sum(size for size, _ in self.fragments)

    @property
    def frames(self) -> int:
        return sum(frames for _, frames in self.fragments)


def video_timescale(fps: Fraction) -> int:
    """A time scale of at least 10,000 in which every frame lasts a whole number of ticks."""
    return fps.numerator * max(1, math.ceil(10_000 / fps.numerator))


def ticks_per_frame(fps: Fraction) -> int:
    return int(video_timescale(fps) / fps)


def mux_piece(videos: Sequence[str], frames: Sequence[int], fps: Fraction, sound: str, out: str, *,
              timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """The video of `videos` (of `frames` frames each, same encoding) copied end to end, and
    `sound` (AAC packets, ADTS, beginning with one packet of lead-in the movie skips), in one
    fragmented MP4 at `out`."""
    lead = Fraction(AAC_FRAME, encoding.AUDIO_SAMPLE_RATE)
    with tempfile.TemporaryDirectory(prefix="piece-") as work_dir:
        listing = os.path.join(work_dir, "video.ffconcat")
        with open(listing, "w", encoding="utf-8") as list_file:
            list_file.write(video_list(videos, frames, fps))
        run_ffmpeg_into(out, [
            # -copyts and the sound 1,024 samples early: the muxer writes the audio edit list
            # that skips the movie's first packet, as in a whole movie; the concat demuxer
            # starts the video's first picture at 0.
            "-copyts", "-f", "concat", "-safe", "0", "-i", listing,
            "-itsoffset", f"-{float(lead):.9f}", "-f", "aac", "-i", sound,
            "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-bsf:a", "aac_adtstoasc",
            "-video_track_timescale", str(video_timescale(fps)), "-frag_duration", str(FRAGMENT_SECONDS * 1_000_000),
            "-movflags", "+empty_moov+default_base_moof+delay_moov+negative_cts_offsets+skip_trailer",
            "-f", "mp4"], timeout=timeout)


def video_list(paths: Sequence[str], frames: Sequence[int], fps: Fraction) -> str:
    """An ffconcat listing of `paths`, each placed at the sum of the durations before it."""
    lines = ["ffconcat version 1.0"]
    for path, count in zip(paths, frames, strict=True):
        quoted = os.path.abspath(path).replace("'", "'\\''")
        # Given here, each duration is the video's own, not the container's (which counts
        # a longer audio track).
        lines += [f"file '{quoted}'", f"duration {float(count / fps):.9f}"]
    return "\n".join(lines) + "\n"


def place(path: str, first_frame: int, first_sample: int, fps: Fraction, sequence: int) -> Layout:
    """Stamp the fragments of the piece at `path` (in place) to start at movie frame
    `first_frame` and, for the sound, at track sample `first_sample` (the piece's first
    packet, on the movie's packet grid); number them from `sequence`."""
    with open(path, "r+b") as piece:
        data = bytearray(piece.read())
        init_size, kinds = 0, track_kinds(bytes(data))
        starts = {kinds.get("vide"): first_frame * ticks_per_frame(fps), kinds.get("soun"): first_sample}
        first_seen: dict[int, int] = {}
        fragments = []
        for kind, offset, size in _top_level(data):
            if kind in (b"ftyp", b"moov"):
                init_size = offset + size
            elif kind == b"moof":
                frames = _restamp(data, offset, size, starts, first_seen, sequence + len(fragments), kinds["vide"])
                fragments.append([size, frames])
            elif kind == b"mdat" and fragments:
                fragments[-1][0] += size
            elif kind not in (b"free", b"skip", b"styp"):
                raise MediaError(f"unexpected {kind!r} box in a movie piece")
        piece.seek(0)
        piece.write(data)
    if not fragments:
        raise MediaError("the movie piece has no fragments")
    return Layout(init_size, [(size, frames) for size, frames in fragments])


def track_kinds(data: bytes) -> dict[str, int]:
    """The track id of each kind ("vide", "soun") in the `moov` of `data`."""
    moov = next((body for kind, body in mp4box.boxes(data) if kind == b"moov"), None)
    if moov is None:
        raise MediaError("no moov box in the movie piece")
    kinds = {}
    for kind, trak in mp4box.boxes(moov):
        if kind != b"trak":
            continue
        tkhd = mp4box.child(trak, b"tkhd")
        handler = mp4box.child(mp4box.child(trak, b"mdia"), b"hdlr")
        track_id = struct.unpack_from(">I", tkhd, 20 if tkhd[:1] == b"\1" else 12)[0]
        kinds[handler[8:12].decode("latin-1")] = track_id
    if "vide" not in kinds or "soun" not in kinds:
        raise MediaError("the movie piece lacks its video or its sound")
    return kinds


def _top_level(data: bytearray):
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        if size < 8:
            raise MediaError("a box with a 64-bit or open size in a movie piece")
        yield kind, offset, size
        offset += size


def _restamp(data: bytearray, offset: int, size: int, starts: dict, first_seen: dict, sequence: int,
             video_id: int) -> int:
    """Rewrite one moof's sequence number and decode times; its video sample count."""
    frames, end, position = 0, offset + size, offset + 8
    while position < end:
        box_size, kind = struct.unpack_from(">I4s", data, position)
        if kind == b"mfhd":
            struct.pack_into(">I", data, position + 12, sequence)
        elif kind == b"traf":
            track_id, inner = None, position + 8
            while inner < position + box_size:
                inner_size, inner_kind = struct.unpack_from(">I4s", data, inner)
                if inner_kind == b"tfhd":
                    track_id = struct.unpack_from(">I", data, inner + 12)[0]
                elif inner_kind == b"tfdt":
                    wide = data[inner + 8] == 1
                    old = struct.unpack_from(">Q" if wide else ">I", data, inner + 12)[0]
                    first = first_seen.setdefault(track_id, old)
                    new = starts[track_id] + old - first
                    if not wide and new >= 1 << 32:
                        raise MediaError("a 32-bit fragment time overflows")
                    struct.pack_into(">Q" if wide else ">I", data, inner + 12, new)
                elif inner_kind == b"trun" and track_id == video_id:
                    frames += struct.unpack_from(">I", data, inner + 12)[0]
                inner += inner_size
        position += box_size
    return frames


# --- the movie's head ----------------------------------------------------------------

def movie_head(init: bytes, layouts: list[Layout], fps: Fraction, pad_to: int = 0) -> tuple[bytes, int]:
    """The bytes before the first fragment of the movie joined from `layouts`: the first
    piece's `ftyp` and `moov` (its `mvex` told the movie's duration), padding (a `free` box)
    to at least `pad_to` bytes in all, and a `sidx` indexing every fragment (for seeking and
    duration). Returns the head and the size of its init (ftyp + moov)."""
    frames = sum(layout.frames for layout in layouts)
    duration_ms = round(Fraction(frames) / fps * _MOVIE_TIMESCALE)
    kinds = track_kinds(init)
    parts = []
    for kind, body in mp4box.boxes(init):
        if kind == b"moov":
            body = _moov_with_duration(body, duration_ms)
        parts.append(_box(kind, body))
    head_init = b"".join(parts)
    sidx = _sidx(kinds["vide"], fps, [fragment for layout in layouts for fragment in layout.fragments])
    padding = b""
    if pad_to and len(head_init) + len(sidx) < pad_to:
        padding = _box(b"free", bytes(max(0, pad_to - len(head_init) - len(sidx) - 8)))
    return head_init + padding + sidx, len(head_init)


def _moov_with_duration(moov: bytes, duration_ms: int) -> bytes:
    out = []
    for kind, body in mp4box.boxes(moov):
        if kind == b"mvhd":
            body = bytearray(body)
            if body[0] == 1:
                struct.pack_into(">Q", body, 24, duration_ms)
            else:
                struct.pack_into(">I", body, 16, duration_ms)
            body = bytes(body)
        elif kind == b"mvex":
            kept = [_box(k, b) for k, b in mp4box.boxes(body) if k != b"mehd"]
            body = _box(b"mehd", b"\1\0\0\0" + struct.pack(">Q", duration_ms)) + b"".join(kept)
        out.append(_box(kind, body))
    return b"".join(out)


def _sidx(track_id: int, fps: Fraction, fragments: list[tuple[int, int]]) -> bytes:
    tick = ticks_per_frame(fps)
    body = b"\1\0\0\0" + struct.pack(">IIQQHH", track_id, video_timescale(fps), 0, 0, 0, len(fragments))
    for size, frames in fragments:
        if size >= 1 << 31:
            raise MediaError("a movie fragment of 2 GiB or more")
        # reference_type 0 (media), then starts_with_SAP 1, SAP_type 1.
        body += struct.pack(">III", size, frames * tick, 0x90000000)
    return _box(b"sidx", body)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


# --- HLS -------------------------------------------------------------------------------

def hls_playlist(movie_uri: str, head_size: int, init_size: int, layouts: list[Layout], fps: Fraction) -> str:
    """An HLS media playlist (fMP4 segments) over the movie's bytes: its init, then every
    fragment as a byte range of the movie at `movie_uri`."""
    fragments = [fragment for layout in layouts for fragment in layout.fragments]
    longest = max(Fraction(frames) / fps for _, frames in fragments)
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", f"#EXT-X-TARGETDURATION:{math.ceil(longest)}",
             "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-INDEPENDENT-SEGMENTS",
             f'#EXT-X-MAP:URI="{movie_uri}",BYTERANGE="{init_size}@0"']
    offset = head_size
    for size, frames in fragments:
        lines += [f"#EXTINF:{float(Fraction(frames) / fps):.6f},", f"#EXT-X-BYTERANGE:{size}@{offset}", movie_uri]
        offset += size
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"
