from fractions import Fraction

from PIL import Image

from chalicelib.media import MovieInfo, generate_tile, tile_geometry


def movie(
    frame_count: int, fps: float, width: int = 1280, height: int = 720, sar: Fraction = Fraction(1)
) -> MovieInfo:
    return MovieInfo(
        width=width,
        height=height,
        duration=frame_count / fps,
        fps=fps,
        frame_count=frame_count,
        video_codec="h264",
        pix_fmt="yuv420p",
        has_audio=True,
        sample_aspect_ratio=sar,
    )


def test_tile_sprite_of_two_seconds_at_25_fps(normalized_pair, tmp_path):
    out = tmp_path / "tile.png"
    geometry = generate_tile(str(normalized_pair["4x3"][0]), str(out))
    # Zou's observed sprite: 50 frames, 8 columns, 7 rows of 178x100 tiles.
    assert (geometry.columns, geometry.rows, geometry.tile_width, geometry.tile_height) == (8, 7, 178, 100)
    assert geometry.frame_step == 1
    with Image.open(out) as sprite:
        assert sprite.size == (geometry.width, geometry.height) == (1424, 700)
        grey = sprite.convert("L")
        # The last row holds frames 48 and 49; the six slots after them stay black.
        assert grey.crop((0, 600, 356, 700)).getextrema()[1] > 100
        assert grey.crop((356, 600, 1424, 700)).getextrema()[1] < 20


def test_ntsc_rate_does_not_blow_up_the_sprite():
    # Zou read 29.97 fps as 30000 and made a 1424x48000 sprite of 3 s; 90 frames need 12 rows.
    geometry = tile_geometry(movie(90, 29.97))
    assert (geometry.rows, geometry.frame_step, geometry.height) == (12, 1, 1200)


def test_long_movies_keep_every_kth_frame_in_480_rows():
    geometry = tile_geometry(movie(10_000, 25))
    assert (geometry.rows, geometry.frame_step) == (480, 3)
    assert tile_geometry(movie(3_840, 25)).frame_step == 1


def test_tiles_follow_the_display_aspect():
    assert tile_geometry(movie(25, 25, 640, 480)).tile_width == 134
    assert tile_geometry(movie(25, 25, 720, 480, Fraction(32, 27))).tile_width == 178
