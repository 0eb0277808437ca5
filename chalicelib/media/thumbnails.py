"""Still images of a preview: the full-size original, and Zou's thumbnail sizes.

Zou's sizes (`zou/app/utils/thumbnail.py`): thumbnails are fitted (never
cropped) onto a transparent canvas of exactly the target size; the "previews"
picture is 1200 px wide at the source's aspect ratio.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from fractions import Fraction

from . import limits
from .encoding import fps_fraction
from .ffmpeg import DEFAULT_TIMEOUT_S, MediaError, run_ffmpeg_into
from .probe import probe_movie

RECTANGLE_SIZE = (150, 100)  # thumbnails-<id>
SQUARE_SIZE = (100, 100)  # thumbnails-square-<id>
PREVIEW_WIDTH = 1200  # previews-<id>; the height follows the aspect ratio
BIG_SQUARE_SIZE = (400, 400)  # avatars
BIG_RECTANGLE_SIZE = (300, 200)  # preview-background thumbnails

ORIGINAL_NAME = "original.png"
THUMBNAIL_NAME = "thumbnail.png"
THUMBNAIL_SQUARE_NAME = "thumbnail-square.png"
PREVIEW_NAME = "preview.png"


@dataclass(frozen=True)
class PictureInfo:
    width: int
    height: int
    file_size: int


@dataclass(frozen=True)
class PreviewPictures:
    """The four pictures stored for a preview, and the original's measurements."""

    original: str
    thumbnail: str
    thumbnail_square: str
    preview: str
    width: int
    height: int
    file_size: int


def extract_frame(
    movie_path: str,
    out_png: str,
    *,
    frame_number: int | None = None,
    seconds: float | None = None,
    fps: str | float | Fraction | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> PictureInfo:
    """Write one full-size frame of the movie as PNG: by `frame_number` (counted from 1) or at `seconds`.

    `fps` converts frame numbers to time; without it the movie's own rate is
    used. Frame 0 (Zou's default) and negative times give the first frame.
    """
    if (frame_number is None) == (seconds is None):
        raise ValueError("give exactly one of frame_number or seconds")
    if frame_number is not None:
        rate = fps_fraction(fps if fps is not None else probe_movie(movie_path, count_frames=False).fps)
        # Zou seeks to (N - 1) / fps. ffmpeg's input seek returns the first
        # frame whose timestamp is >= the target, so a target rounded a hair
        # above the frame's own timestamp would give the next frame; aiming
        # half a frame earlier lands on frame N whatever the rounding.
        seconds = float((frame_number - Fraction(3, 2)) / rate)
    seconds = max(seconds, 0.0)
    # -ss before -i seeks in the input (fast) and is frame-accurate when decoding.
    run_ffmpeg_into(
        out_png,
        [
            *("-ss", f"{seconds:.6f}", "-i", movie_path),
            *("-map", "0:V:0", "-frames:v", "1", "-update", "1", "-f", "image2"),
        ],
        timeout=timeout,
        empty_reason=f"no frame at {seconds:.3f} s",
    )
    return _measure(out_png)


def picture_to_png(src_path: str, out_png: str) -> PictureInfo:
    """Convert an uploaded picture (jpg, png…) to an sRGB PNG; measure the PNG, as Zou stores it."""
    image = _open_srgb(src_path)
    # Keep an alpha channel only when the picture has one: a PNG of an opaque
    # JPEG is a third smaller without it.
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    # No EXIF handling, as in Zou: orientation is not applied and metadata is dropped.
    image.save(out_png, format="PNG")
    return PictureInfo(image.width, image.height, os.path.getsize(out_png))


def fit_thumbnail(src_png: str, out_png: str, size: tuple[int, int]) -> tuple[int, int]:
    """Fit the picture into `size` keeping its aspect, centred on a transparent canvas of exactly `size`."""
    from PIL import Image

    image = _open_srgb(src_png).convert("RGBA")
    target_width, target_height = size
    if image.width < target_width and image.height < target_height:
        # Zou's one distorting step: a picture smaller than the target in both
        # directions is stretched to fill it.
        image = image.resize(size, Image.Resampling.LANCZOS)
    else:
        image.thumbnail(size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    canvas.paste(image, ((target_width - image.width) // 2, (target_height - image.height) // 2))
    canvas.save(out_png, format="PNG")
    return canvas.size


def resize_to_width(src_png: str, out_png: str, width: int = PREVIEW_WIDTH) -> tuple[int, int]:
    """Scale the picture (up or down) to `width`; height = ceil(width × h / w), as Zou's (1200, 0) size."""
    from PIL import Image

    image = _open_srgb(src_png).convert("RGBA")
    height = math.ceil(width * image.height / image.width)
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    image.save(out_png, format="PNG")
    return image.size


def movie_pictures(movie_path: str, out_dir: str) -> PreviewPictures:
    """Original (the movie's first frame, full size) and its three variants, written into `out_dir`."""
    original = os.path.join(out_dir, ORIGINAL_NAME)
    extract_frame(movie_path, original, seconds=0.0)
    return _variants(original, out_dir)


def frame_pictures(frame_png: str, out_dir: str) -> PreviewPictures:
    """As `movie_pictures`, from the first frame already written as PNG (by the renditions'
    pass, `normalize.PassPictures`): it becomes the original, in `out_dir`."""
    original = os.path.join(out_dir, ORIGINAL_NAME)
    if os.path.abspath(frame_png) != os.path.abspath(original):
        os.replace(frame_png, original)
    return _variants(original, out_dir)


def picture_pictures(picture_path: str, out_dir: str) -> PreviewPictures:
    """Original (the picture as sRGB PNG) and its three variants, written into `out_dir`."""
    original = os.path.join(out_dir, ORIGINAL_NAME)
    picture_to_png(picture_path, original)
    return _variants(original, out_dir)


def _variants(original: str, out_dir: str) -> PreviewPictures:
    paths = {
        name: os.path.join(out_dir, name) for name in (THUMBNAIL_NAME, THUMBNAIL_SQUARE_NAME, PREVIEW_NAME)
    }
    fit_thumbnail(original, paths[THUMBNAIL_NAME], RECTANGLE_SIZE)
    fit_thumbnail(original, paths[THUMBNAIL_SQUARE_NAME], SQUARE_SIZE)
    resize_to_width(original, paths[PREVIEW_NAME], PREVIEW_WIDTH)
    measured = _measure(original)
    return PreviewPictures(
        original=original,
        thumbnail=paths[THUMBNAIL_NAME],
        thumbnail_square=paths[THUMBNAIL_SQUARE_NAME],
        preview=paths[PREVIEW_NAME],
        width=measured.width,
        height=measured.height,
        file_size=measured.file_size,
    )


def _open_srgb(path: str):
    """Open a picture and convert it to sRGB using its embedded ICC profile, if any.

    Raises `MediaError` when Pillow cannot read it.
    """
    import io

    from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

    # The cap is checked on the header, before anything is decoded: a small PNG can
    # declare gigapixels. (Pillow itself would only refuse twice its MAX_IMAGE_PIXELS.)
    cap = limits.max_picture_pixels()
    Image.MAX_IMAGE_PIXELS = cap
    # Zou loads truncated uploads rather than rejecting them.
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        image = Image.open(path)
        if image.width * image.height > cap:
            raise MediaError(f"the picture is {image.width}x{image.height} pixels, above the {cap} "
                             "this worker can decode")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise MediaError(f"not a readable picture: {error}") from error
    icc_profile = image.info.get("icc_profile")
    # As in Zou, only CMYK and RGB(A) pictures are colour-managed; a CMYK JPEG
    # shown without its profile has wildly wrong colours.
    if icc_profile and image.mode in ("CMYK", "RGB", "RGBA"):
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        try:
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=output_mode,
            )
        except ImageCms.PyCMSError:
            # A broken profile is not worth refusing the upload for.
            image = image.convert(output_mode)
    return image


def _measure(png_path: str) -> PictureInfo:
    from PIL import Image

    with Image.open(png_path) as image:
        return PictureInfo(image.width, image.height, os.path.getsize(png_path))
