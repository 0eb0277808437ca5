"""Where every entry of a playlist movie lands, in frames and in audio samples.

A build of entries of n_0, n_1, ... frames holds exactly Σ n_i frames; entry i starts at
frame F_i = Σ_{j<i} n_j and its sound at sample S(F_i) = round(F_i × rate / fps) (exact
at 24, 25, 30, 50, 60 and 23.976 fps; within half a sample at 29.97).

AAC codes sound in packets of 1,024 samples, each decoded from two overlapping transforms
(the packet before and its own), and an encoder starts with one packet of priming. Entry
boundaries almost never fall on a packet boundary, so packets cannot be copied across a
join, and re-encoding the whole movie's sound in one pass is the slowest step of a build.
So the sound is encoded in pieces, one per chunk of entries, that fall on the movie's own
packet grid: the piece of chunk k covers samples [A_k, A_{k+1}) with A_k = S(F_k) rounded
down to a multiple of 1,024 (its `phase` is what was rounded off). Its encoder is fed one
packet's worth of the sound before A_k (the lead-in), and its first packet (priming and
lead-in) is dropped: the next packet's first transform then covers the same sound as the
previous piece's last one, so the two overlap-add as if one encoder had made both.
Every piece keeps exactly (A_{k+1} - A_k) / 1,024 packets (the last one, one more to flush),
and the joined stream begins with a packet that decodes to the 1,024 samples of priming
the muxer is told to skip."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

AAC_FRAME = 1024  # samples in one AAC-LC packet
LEAD_PACKETS = 2  # packets of sound before a piece its encoder is fed, then dropped


def samples_at(frame: int, fps: Fraction, sample_rate: int) -> int:
    """The first audio sample of video frame `frame`."""
    return round(frame * sample_rate / fps)


@dataclass(frozen=True)
class AudioSpan:
    """The sound one chunk's piece holds."""
    start: int  # S(F_k): the chunk's first sample
    length: int  # samples of the chunk's entries: S(F_{k+1}) - S(F_k)
    last: bool  # the movie's last chunk: its piece also flushes the encoder

    @property
    def phase(self) -> int:
        """Samples from the piece's packet-grid start A_k to the chunk's first sample."""
        return self.start % AAC_FRAME

    @property
    def lead_in(self) -> int:
        """Samples before the chunk (from the entries before it) the piece's encoder is fed."""
        return LEAD_PACKETS * AAC_FRAME + self.phase

    @property
    def encoded(self) -> int:
        """Samples the piece's encoder is fed: lead-in, then the chunk's sound up to the grid
        (the last chunk: all of it)."""
        return self.lead_in + (self.length if self.last else self.packets * AAC_FRAME - self.phase)

    @property
    def dropped(self) -> int:
        """The packets the piece's encoder makes before those it keeps."""
        return LEAD_PACKETS

    @property
    def packets(self) -> int:
        """Packets the piece keeps, after dropping its encoder's first."""
        if self.last:
            return -(-(self.phase + self.length) // AAC_FRAME) + 1
        return (self.phase + self.length) // AAC_FRAME


def audio_spans(frame_counts: list[list[int]], fps: Fraction, sample_rate: int) -> list[AudioSpan]:
    """The sound of each chunk, given the frame count of each of its entries."""
    spans, frame = [], 0
    for number, chunk in enumerate(frame_counts):
        start = samples_at(frame, fps, sample_rate)
        frame += sum(chunk)
        spans.append(AudioSpan(start, samples_at(frame, fps, sample_rate) - start, number == len(frame_counts) - 1))
    return spans


def entry_samples(frame_counts: list[int], first_frame: int, fps: Fraction, sample_rate: int) -> list[int]:
    """How many samples each entry of a chunk starting at `first_frame` lasts."""
    lengths, frame = [], first_frame
    for frames in frame_counts:
        lengths.append(samples_at(frame + frames, fps, sample_rate) - samples_at(frame, fps, sample_rate))
        frame += frames
    return lengths


def adts_packets(stream: bytes) -> list[bytes]:
    """Split an ADTS byte stream (ffmpeg's `-f adts`) into its packets, headers kept."""
    packets, offset = [], 0
    while offset + 7 <= len(stream):
        if stream[offset] != 0xFF or stream[offset + 1] & 0xF0 != 0xF0:
            raise ValueError(f"not an ADTS header at byte {offset}")
        length = ((stream[offset + 3] & 0x03) << 11) | (stream[offset + 4] << 3) | (stream[offset + 5] >> 5)
        if length < 7:
            raise ValueError(f"bad ADTS frame length at byte {offset}")
        packets.append(stream[offset:offset + length])
        offset += length
    return packets
