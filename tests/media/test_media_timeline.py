"""The sample arithmetic of frame-exact builds, and the MP4 boxes they read."""
from fractions import Fraction

from chalicelib.media import mp4box, normalize_movie, timeline


def test_entries_start_on_the_sample_of_their_first_frame():
    assert timeline.samples_at(25, Fraction(25), 48000) == 48000
    assert timeline.samples_at(1, Fraction(24000, 1001), 48000) == 2002
    assert timeline.entry_samples([13, 7], 0, Fraction(25), 48000) == [13 * 1920, 7 * 1920]


def test_sound_pieces_tile_the_movie_on_the_packet_grid():
    chunks = [[13, 7], [11, 9], [6]]
    spans = timeline.audio_spans(chunks, Fraction(25), 48000)
    total = sum(map(sum, chunks)) * 1920
    assert [span.start for span in spans] == [0, 20 * 1920, 40 * 1920]
    assert sum(span.length for span in spans) == total
    # Each piece but the last ends on the grid where the next begins.
    for span, following in zip(spans, spans[1:], strict=False):
        assert span.start - span.phase + span.packets * timeline.AAC_FRAME == following.start - following.phase
    # All the packets decode to the movie's sound, less than one packet longer.
    decoded = (sum(span.packets for span in spans) - 1) * timeline.AAC_FRAME
    assert total <= decoded < total + timeline.AAC_FRAME
    assert spans[-1].last and not spans[0].last


def test_adts_packets_are_split_on_their_headers():
    def packet(payload: bytes) -> bytes:
        length = 7 + len(payload)
        return bytes([0xFF, 0xF1, 0x50, 0x80 | (length >> 11), (length >> 3) & 0xFF, ((length & 7) << 5) | 0x1F,
                      0xFC]) + payload
    stream = packet(b"ab") + packet(b"") + packet(b"xyz")
    assert timeline.adts_packets(stream) == [packet(b"ab"), packet(b""), packet(b"xyz")]


def test_mp4_boxes_give_exact_frame_counts_and_the_decoder_config(clip_4x3_with_audio, tmp_path):
    movie = tmp_path / "movie.mp4"
    normalize_movie(str(clip_4x3_with_audio), str(movie), "25", 320, 240, preset="ultrafast")
    kinds = {track.kind: track for track in mp4box.tracks(str(movie))}
    assert kinds["vide"].sample_count == 50 and kinds["vide"].codec == "avc1"
    assert Fraction(kinds["vide"].duration_ticks, kinds["vide"].timescale) == 2
    config = kinds["vide"].decoder_config
    assert config[0] == 1 and config[1] in (66, 77, 100)  # avcC version 1, an H.264 profile
    # The decoding part leaves out only the VUI: a config differing there decodes alike.
    core = mp4box.decoding_config(config)
    assert core != config and core.endswith(b"|" + mp4box._parameter_sets(config)[1])
