"""Read what a build needs to know about an MP4 straight from its boxes (ISO/IEC 14496-12):
each track's kind, time scale, exact sample count and duration, and the H.264 decoder
configuration (avcC: the SPS and PPS every frame of the track is decoded with).

ffmpeg only estimates frame counts without a demux pass, and prints no extradata at all;
the `moov` box holds both exactly, and reading it costs one seek and a few kilobytes."""
from __future__ import annotations

import struct
from dataclasses import dataclass, replace

from .ffmpeg import MediaError

# Boxes that only hold other boxes, on the way from moov down to the sample tables.
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}


@dataclass(frozen=True)
class Track:
    kind: str  # "vide", "soun", ...
    timescale: int  # ticks per second of the media
    sample_count: int  # frames of a video track, AAC packets of an audio track
    duration_ticks: int  # sum of the sample durations (stts), in `timescale`
    codec: str  # the sample entry: "avc1", "mp4a", ...
    decoder_config: bytes = b""  # avcC of an H.264 track


def tracks(path: str) -> list[Track]:
    """The tracks of the MP4 at `path`, the samples of its fragments (`moof`) counted in.
    Raises `MediaError` when it has no `moov` box."""
    moov = _moov(path)
    found = [_track(trak) for trak in _children(moov, b"trak")]
    mvex = _find(moov, [b"mvex"])
    if mvex is None:
        return found
    ids = [struct.unpack_from(">I", tkhd, 20 if tkhd[:1] == b"\1" else 12)[0]
           for tkhd in (_find(trak, [b"tkhd"]) or b"\0" * 24 for trak in _children(moov, b"trak"))]
    defaults = {struct.unpack_from(">I", trex, 4)[0]: struct.unpack_from(">I", trex, 12)[0]
                for trex in _children(mvex, b"trex")}
    totals = _fragment_samples(path, defaults)
    return [replace(track, sample_count=track.sample_count + totals.get(track_id, (0, 0))[0],
                    duration_ticks=track.duration_ticks + totals.get(track_id, (0, 0))[1])
            for track, track_id in zip(found, ids, strict=True)]


def _fragment_samples(path: str, default_durations: dict[int, int]) -> dict[int, tuple[int, int]]:
    """(samples, ticks) of each track id over the movie fragments of `path`."""
    totals: dict[int, tuple[int, int]] = {}
    for moof in _top_level_bodies(path, b"moof"):
        for traf in _children(moof, b"traf"):
            tfhd = _find(traf, [b"tfhd"]) or b""
            flags = int.from_bytes(tfhd[1:4], "big")
            track_id = struct.unpack_from(">I", tfhd, 4)[0]
            position = 8 + (8 if flags & 0x01 else 0) + (4 if flags & 0x02 else 0)
            default = struct.unpack_from(">I", tfhd, position)[0] if flags & 0x08 \
                else default_durations.get(track_id, 0)
            count, ticks = totals.get(track_id, (0, 0))
            for trun in _children(traf, b"trun"):
                run_flags = int.from_bytes(trun[1:4], "big")
                samples = struct.unpack_from(">I", trun, 4)[0]
                if run_flags & 0x100:
                    offset = 8 + (4 if run_flags & 0x01 else 0) + (4 if run_flags & 0x04 else 0)
                    stride = 4 * bin(run_flags & 0xF00).count("1")
                    ticks += sum(struct.unpack_from(">I", trun, offset + n * stride)[0] for n in range(samples))
                else:
                    ticks += samples * default
                count += samples
            totals[track_id] = (count, ticks)
    return totals


def _top_level_bodies(path: str, wanted: bytes):
    with open(path, "rb") as movie:
        while len(header := movie.read(8)) == 8:
            size, kind = struct.unpack(">I4s", header)
            header_size = 8
            if size == 1:
                size, header_size = struct.unpack(">Q", movie.read(8))[0], 16
            elif size == 0:
                return
            if kind == wanted:
                yield movie.read(size - header_size)
            else:
                movie.seek(size - header_size, 1)


def video_track(path: str) -> Track:
    for track in tracks(path):
        if track.kind == "vide":
            return track
    raise MediaError(f"no video track in {path}")


def _moov(path: str) -> bytes:
    with open(path, "rb") as movie:
        while header := movie.read(8):
            if len(header) < 8:
                break
            size, kind = struct.unpack(">I4s", header)
            header_size = 8
            if size == 1:
                size = struct.unpack(">Q", movie.read(8))[0]
                header_size = 16
            elif size == 0:  # the last box runs to the end of the file
                size = header_size + len(movie.read()) if kind != b"moov" else 0
            if kind == b"moov":
                return movie.read(size - header_size) if size else movie.read()
            movie.seek(size - header_size, 1)
    raise MediaError("not an MP4 movie (no moov box)")


def _boxes(payload: bytes):
    offset = 0
    while offset + 8 <= len(payload):
        size, kind = struct.unpack_from(">I4s", payload, offset)
        header_size = 8
        if size == 1:
            size = struct.unpack_from(">Q", payload, offset + 8)[0]
            header_size = 16
        elif size == 0:
            size = len(payload) - offset
        if size < header_size:
            return
        yield kind, payload[offset + header_size:offset + size]
        offset += size


def boxes(payload: bytes):
    """(kind, body) of each box in `payload`, in order."""
    return _boxes(payload)


def child(payload: bytes, kind: bytes) -> bytes:
    """The body of the first `kind` box in `payload` (empty when there is none)."""
    return next((body for found, body in _boxes(payload) if found == kind), b"")


def _children(payload: bytes, kind: bytes) -> list[bytes]:
    return [body for found, body in _boxes(payload) if found == kind]


def _find(payload: bytes, path: list[bytes]) -> bytes | None:
    for kind in path:
        found = _children(payload, kind)
        if not found:
            return None
        payload = found[0]
    return payload


def _track(trak: bytes) -> Track:
    mdia = _find(trak, [b"mdia"]) or b""
    handler = _find(mdia, [b"hdlr"]) or b"\0" * 12
    mdhd = _find(mdia, [b"mdhd"]) or b""
    # mdhd: version 1 has 64-bit times, then the time scale follows the two dates.
    timescale = struct.unpack_from(">I", mdhd, 20 if mdhd[:1] == b"\1" else 12)[0] if mdhd else 0
    stbl = _find(mdia, [b"minf", b"stbl"]) or b""
    stts = _find(stbl, [b"stts"]) or b""
    sample_count = duration = 0
    if stts:
        (entries,) = struct.unpack_from(">I", stts, 4)
        for n in range(entries):
            count, delta = struct.unpack_from(">II", stts, 8 + 8 * n)
            sample_count += count
            duration += count * delta
    codec, decoder_config = "", b""
    stsd = _find(stbl, [b"stsd"])
    if stsd and len(stsd) >= 16:
        # stsd: version/flags, entry count, then the first sample entry box.
        entry_kind, entry = next(_boxes(stsd[8:]), (b"", b""))
        codec = entry_kind.decode("latin-1")
        if entry_kind in (b"avc1", b"avc3"):
            # A visual sample entry has 78 bytes of fixed fields before its own boxes.
            decoder_config = _find(entry[78:], [b"avcC"]) or b""
    return Track(kind=handler[8:12].decode("latin-1"), timescale=timescale, sample_count=sample_count,
                 duration_ticks=duration, codec=codec, decoder_config=decoder_config)


def decoding_config(avcc: bytes) -> bytes:
    """What of an avcC decides how pictures decode: profile, level, every SPS field before
    the VUI, and the PPS. The VUI (colour description, timing) is the source's and changes
    no picture; copied streams keep theirs in band. Unparsable configs are kept whole."""
    try:
        sps, pps = _parameter_sets(avcc)
        return _sps_core(sps) + b"|" + pps
    except (IndexError, ValueError):
        return avcc


def _parameter_sets(avcc: bytes) -> tuple[bytes, bytes]:
    if len(avcc) < 7 or avcc[0] != 1:
        raise ValueError("not an avcC")
    offset, sets = 5, []
    for count_mask in (0x1F, 0xFF):
        count = avcc[offset] & count_mask
        offset += 1
        for _ in range(count):
            length = int.from_bytes(avcc[offset:offset + 2], "big")
            sets.append((count_mask, avcc[offset + 2:offset + 2 + length]))
            offset += 2 + length
    spss = [unit for mask, unit in sets if mask == 0x1F]
    ppss = [unit for mask, unit in sets if mask == 0xFF]
    if len(spss) != 1 or len(ppss) != 1:
        raise ValueError("one SPS and one PPS expected")
    return spss[0], ppss[0]


class _Bits:
    def __init__(self, rbsp: bytes):
        self.bits, self.position = int.from_bytes(rbsp, "big"), 0
        self.size = len(rbsp) * 8

    def u(self, count: int) -> int:
        if self.position + count > self.size:
            raise IndexError("past the end of the SPS")
        self.position += count
        return (self.bits >> (self.size - self.position)) & ((1 << count) - 1)

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
        return (1 << zeros) - 1 + (self.u(zeros) if zeros else 0)


def _sps_core(sps: bytes) -> bytes:
    # Emulation prevention bytes (00 00 03) are not part of the syntax.
    rbsp = sps[1:].replace(b"\x00\x00\x03", b"\x00\x00")
    bits = _Bits(rbsp)
    profile = bits.u(8)
    bits.u(16)  # constraint flags, level
    bits.ue()
    if profile in (100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135):
        if bits.ue() == 3:
            bits.u(1)
        bits.ue()
        bits.ue()
        bits.u(1)
        if bits.u(1):
            raise ValueError("scaling matrices: compared whole")
    bits.ue()
    poc_type = bits.ue()
    if poc_type == 0:
        bits.ue()
    elif poc_type == 1:
        raise ValueError("POC type 1: compared whole")
    bits.ue()
    bits.u(1)
    bits.ue()
    bits.ue()
    if not bits.u(1):
        bits.u(1)
    bits.u(1)
    if bits.u(1):
        for _ in range(4):
            bits.ue()
    # Everything read so far, up to the VUI flag.
    return sps[:1] + (bits.bits >> (bits.size - bits.position)).to_bytes((bits.position + 7) // 8, "big")
