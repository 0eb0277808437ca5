"""How a build's entries are grouped into chunks (build_pieces.chunk_bounds, plan_chunks)."""
from fractions import Fraction

from chalicelib.media.timeline import AudioSpan
from chalicelib.services.playlists import build_pieces
from chalicelib.services.playlists.build_pieces import BuildFormat

MIB = 1024 * 1024
RATE = Fraction(25)


def entries(count: int, frames: int = 250) -> list[dict]:
    return [{"frames": frames}] * count


def test_review_movies_make_chunks_of_the_set_size_whatever_their_bytes_vary():
    sizes = [5 * MIB, 9 * MIB, 4 * MIB, 6 * MIB] * 3
    assert build_pieces.chunk_bounds(entries(12), sizes, 5, 10 * MIB, RATE) == [(0, 5), (5, 10), (10, 12)]


def test_small_movies_are_grouped_until_their_piece_can_be_copied_by_s3():
    sizes = [1 * MIB] * 25
    bounds = build_pieces.chunk_bounds(entries(25, frames=25), sizes, 5, 10 * MIB, RATE)
    assert bounds == [(0, 10), (10, 20), (20, 25)]  # the last chunk may be small: it is the last part


def test_a_chunk_of_tiny_movies_stops_at_a_minute_of_movie():
    bounds = build_pieces.chunk_bounds(entries(48, frames=25 * 5), [1000] * 48, 5, 10 * MIB, RATE)
    assert bounds == [(0, 12), (12, 24), (24, 36), (36, 48)]


def test_the_bounds_cover_every_entry_once_and_an_empty_playlist_has_none():
    sizes = [(n * 7919) % (3 * MIB) for n in range(37)]
    bounds = build_pieces.chunk_bounds(entries(37), sizes, 3, 10 * MIB, RATE)
    assert bounds[0][0] == 0 and bounds[-1][1] == 37
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert build_pieces.chunk_bounds([], [], 5, 10 * MIB, RATE) == []


def test_planned_chunks_follow_the_bounds_and_their_sound_pieces_tile_them():
    movies = [{"id": f"p{n}", "revision": 1, "frame_count": 40, "fps": "25", "duration": 1.6,
               "file_size": 3 * MIB} for n in range(9)]
    build = BuildFormat("full", "25/1", 1280, 720)
    chunks = build_pieces.plan_chunks(movies, build, 2, 10 * MIB)
    assert [len(chunk["inputs"]) for chunk in chunks] == [4, 4, 1]
    assert [chunk["first_frame"] for chunk in chunks] == [0, 160, 320]
    for chunk in chunks:
        # The entries' sound pieces, end to end, are exactly the chunk's span on the packet grid.
        chunk_span = AudioSpan(**chunk["sound"]["span"])
        entry_spans = [AudioSpan(**sound["span"]) for sound in chunk["sounds"]]
        assert entry_spans[0].start == chunk_span.start
        assert sum(span.packets for span in entry_spans) == chunk_span.packets
        assert entry_spans[-1].last == chunk_span.last
