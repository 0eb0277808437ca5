import math
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


def _mean_difference(first: str, second: str) -> float:
    from PIL import ImageChops, ImageStat

    with Image.open(first) as a, Image.open(second) as b:
        assert a.size == b.size
        return max(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean)


def _one_pass(source, work, fps="25.000", width=1280, height=720):
    from chalicelib.media import PassPictures, Rendition, normalize_renditions, pass_tile_plan, probe_movie

    renditions = [Rendition(str(work / "movie.mp4")), Rendition(str(work / "low.mp4"), True, "veryfast")]
    plan = pass_tile_plan(renditions, fps, width, height, probe_movie(str(source), count_frames=False))
    pictures = PassPictures(str(work / "first-frame.png"), str(work / "sprite.png"), plan)
    normalize_renditions(str(source), renditions, fps, width, height, pictures=pictures)
    return pictures, probe_movie(str(work / "movie.mp4"))


def test_the_one_pass_sprite_is_the_separate_pass_sprite(clip_4x3_stereo, clip_wide_silent, tmp_path):
    from chalicelib.media import crop_tile

    for name, source in (("4x3", clip_4x3_stereo), ("wide", clip_wide_silent)):
        work = tmp_path / name
        work.mkdir()
        pictures, movie_info = _one_pass(source, work)
        # The plan has a spare row; the crop keeps the rows of the real frame count.
        assert pictures.tile.rows == math.ceil(movie_info.frame_count / 8) + 1
        cropped = crop_tile(pictures.sprite, pictures.tile, movie_info.frame_count)
        # What the images worker made before: generate_tile on the finished low-definition movie.
        separate = generate_tile(str(work / "low.mp4"), str(work / "separate.png"))
        assert cropped == separate
        with Image.open(pictures.sprite) as sprite:
            assert sprite.size == (separate.width, separate.height) == (1424, 700)
        # Pixels: the pass's frames are the encoder's input, the separate pass decodes its output.
        assert _mean_difference(pictures.sprite, str(work / "separate.png")) < 3


def test_the_one_pass_first_frame_gives_the_movies_thumbnails(clip_4x3_stereo, tmp_path):
    from chalicelib.media import extract_frame, frame_pictures

    pictures, _ = _one_pass(clip_4x3_stereo, tmp_path)
    extract_frame(str(tmp_path / "movie.mp4"), str(tmp_path / "from-movie.png"), seconds=0.0)
    made = frame_pictures(pictures.first_frame, str(tmp_path))
    assert (made.width, made.height) == (1280, 720)
    assert _mean_difference(made.original, str(tmp_path / "from-movie.png")) < 2
    sizes = {}
    for path in (made.thumbnail, made.thumbnail_square, made.preview):
        with Image.open(path) as picture:
            sizes[path.rsplit("/", 1)[-1]] = picture.size
    assert sizes == {"thumbnail.png": (150, 100), "thumbnail-square.png": (100, 100), "preview.png": (1200, 675)}


def test_a_short_plan_is_refused_and_long_movies_are_left_to_the_separate_pass(tmp_path):
    from chalicelib.media import crop_tile, planned_tile_geometry

    # Zou's every-k-th frame is only known from the real count: no plan near 3,840 frames.
    assert planned_tile_geometry(3_900, Fraction(16, 9)) is None
    assert planned_tile_geometry(250, Fraction(16, 9)).rows == 33
    plan = planned_tile_geometry(16, Fraction(16, 9))
    sprite = tmp_path / "sprite.png"
    Image.new("RGB", (plan.width, plan.height)).save(sprite)
    # 40 frames need 5 rows, more than the 3 planned: the tile filter lost frames to a second sprite.
    assert crop_tile(str(sprite), plan, 40) is None
    assert crop_tile(str(sprite), plan, 9).rows == 2
    with Image.open(sprite) as cropped:
        assert cropped.size == (8 * 178, 200)
