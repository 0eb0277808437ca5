import pytest
from PIL import Image

from chalicelib.media import (
    MediaError,
    extract_frame,
    fit_thumbnail,
    movie_pictures,
    picture_pictures,
    resize_to_width,
)


def grey_level(png_path) -> int:
    with Image.open(png_path) as image:
        return image.convert("L").getpixel((16, 16))


def test_movie_pictures_have_zous_exact_sizes(normalized_pair, tmp_path):
    pictures = movie_pictures(str(normalized_pair["4x3"][0]), str(tmp_path))
    expected = {
        pictures.original: (1280, 720),
        pictures.thumbnail: (150, 100),
        pictures.thumbnail_square: (100, 100),
        pictures.preview: (1200, 675),
    }
    for path, size in expected.items():
        with Image.open(path) as image:
            assert (image.format, image.size) == ("PNG", size)
    assert (pictures.width, pictures.height) == (1280, 720)


def test_thumbnail_is_fitted_on_a_transparent_canvas(normalized_pair, tmp_path):
    pictures = movie_pictures(str(normalized_pair["4x3"][0]), str(tmp_path))
    with Image.open(pictures.thumbnail) as thumbnail:
        alpha = thumbnail.getchannel("A")
        # A 16:9 frame fills 150x84 of the 150x100 canvas: no crop, clear bands above and below.
        assert alpha.getpixel((75, 2)) == 0 and alpha.getpixel((75, 97)) == 0
        assert alpha.getpixel((75, 50)) == 255
        assert alpha.getbbox() == (0, 8, 150, 92)


def test_picture_smaller_than_target_is_stretched_to_fill_it(tmp_path):
    small = tmp_path / "small.png"
    Image.new("RGB", (64, 36), "red").save(small)
    out = tmp_path / "thumb.png"
    assert fit_thumbnail(str(small), str(out), (150, 100)) == (150, 100)
    with Image.open(out) as thumbnail:
        assert thumbnail.getchannel("A").getextrema() == (255, 255)


def test_portrait_preview_keeps_its_aspect(tmp_path):
    portrait = tmp_path / "portrait.png"
    Image.new("RGB", (1080, 1920), "blue").save(portrait)
    # ceil(1200 × 1920 / 1080) = 2134
    assert resize_to_width(str(portrait), str(tmp_path / "preview.png")) == (1200, 2134)


def test_jpg_picture_becomes_png_original_with_thumbnails(tmp_path):
    upload = tmp_path / "photo.jpg"
    Image.radial_gradient("L").resize((800, 533)).convert("RGB").save(upload, quality=90)
    out_dir = tmp_path / "pictures"
    out_dir.mkdir()

    pictures = picture_pictures(str(upload), str(out_dir))

    assert (pictures.width, pictures.height) == (800, 533)
    # Zou measures the converted PNG, not the upload.
    assert pictures.file_size == (out_dir / "original.png").stat().st_size
    with Image.open(pictures.original) as original:
        assert (original.format, original.mode, original.size) == ("PNG", "RGB", (800, 533))
    for path, size in (
        (pictures.thumbnail, (150, 100)),
        (pictures.thumbnail_square, (100, 100)),
        (pictures.preview, (1200, 800)),
    ):
        with Image.open(path) as image:
            assert image.size == size


def test_cmyk_jpg_is_converted_to_rgb(tmp_path):
    upload = tmp_path / "print.jpg"
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(upload)
    pictures = picture_pictures(str(upload), str(tmp_path))
    with Image.open(pictures.original) as original:
        assert original.mode == "RGB"
        red, green, blue = original.getpixel((150, 100))
        assert red > 200 and green < 60 and blue < 60


def test_unreadable_picture_raises_media_error(tmp_path):
    upload = tmp_path / "photo.jpg"
    upload.write_bytes(b"not a picture at all")
    with pytest.raises(MediaError, match="not a readable picture"):
        picture_pictures(str(upload), str(tmp_path))


@pytest.mark.parametrize("frame_number", [1, 2, 11, 30])
def test_extract_frame_by_number_counts_from_one(numbered_frames_clip, tmp_path, frame_number):
    out = tmp_path / "frame.png"
    # Frame N (from 1) of the numbered clip has grey level 5 × (N - 1).
    extract_frame(str(numbered_frames_clip), str(out), frame_number=frame_number, fps="29.97")
    assert grey_level(out) == 5 * (frame_number - 1)


def test_extract_frame_zero_and_time_zero_give_the_first_frame(numbered_frames_clip, tmp_path):
    out = tmp_path / "frame.png"
    info = extract_frame(str(numbered_frames_clip), str(out), frame_number=0)
    assert grey_level(out) == 0
    assert (info.width, info.height) == (32, 32)
    extract_frame(str(numbered_frames_clip), str(out), seconds=0.5)
    # 0.5 s at 29.97 fps falls on frame index 15 (0.5005 s), the first at or after it.
    assert grey_level(out) == 75


def test_extract_frame_past_the_end_is_a_media_error(numbered_frames_clip, tmp_path):
    out = tmp_path / "frame.png"
    with pytest.raises(MediaError, match="no frame at 5.000 s"):
        extract_frame(str(numbered_frames_clip), str(out), seconds=5)
    assert not out.exists()
