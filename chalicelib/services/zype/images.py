"""Playlist pictures: the custom thumbnail (served at Zype's four 16:9 sizes) and the
`images` list, updated by index through `images_attributes`.

Files are stored under `zype/images/<image id>/` in the media bucket and served by the
public `/zype/images/...` route, which redirects to a short-lived S3 URL: the URLs in
responses stay valid however long an app caches them, as Zype's CDN URLs do. Image
ids are random UUIDs, so knowing one is the permission to see it.

The resizing is a few lines of Pillow kept here rather than in chalicelib/media/,
which belongs to the preview pipeline."""
import io
import re
import time
import uuid

from chalicelib import storage
from chalicelib.config import settings
from chalicelib.errors import NotFound, Unprocessable
from chalicelib.services.zype.values import (
    MISSING,
    boolean,
    indexed_items,
    is_blank,
    new_object_id,
    now_stamp,
    save_error,
    text,
)

THUMBNAIL_SIZES = ((240, 426), (480, 854), (720, 1280), (1080, 1920))  # (height, width), 16:9
ASPECT_RATIO = 1.78
IMAGE_LAYOUTS = ("landscape", "poster", "square")
FILE_NAMES = ("original.png", *(f"{height}.png" for height, _ in THUMBNAIL_SIZES))
_IMAGE_ID = re.compile(r"^[0-9a-f]{32}$")


def is_upload(value) -> bool:
    """A multipart file part (chalicelib.api.multipart.UploadedFile), by its shape."""
    return hasattr(value, "content") and hasattr(value, "filename")


# --- storage and URLs ----------------------------------------------------------------

def store(upload, model: str, attribute: str, with_thumbnails: bool) -> str:
    """Check that the upload is a picture and store it as PNG (and at the thumbnail
    sizes); the new image id."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(upload.content)) as opened:
            opened.load()
            picture = opened.convert("RGBA" if opened.mode in ("RGBA", "LA", "P") else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        raise save_error(model, attribute, "not a readable image") from error
    image_id = uuid.uuid4().hex
    renditions = {"original.png": picture}
    if with_thumbnails:
        for height, width in THUMBNAIL_SIZES:
            renditions[f"{height}.png"] = ImageOps.fit(picture, (width, height), Image.Resampling.LANCZOS)
    for file_name, rendition in renditions.items():
        buffer = io.BytesIO()
        rendition.save(buffer, format="PNG")
        storage.put_bytes(_key(image_id, file_name), buffer.getvalue(), "image/png")
    return image_id


def delete(image_ids) -> None:
    storage.delete_keys([_key(image_id, name) for image_id in image_ids if image_id for name in FILE_NAMES])


def url(image_id: str, file_name: str) -> str:
    return f"{public_root_url()}/zype/images/{image_id}/{file_name}"


def public_root_url() -> str:
    # PUBLIC_API_URL is the base of the review API, which lives under /api; the
    # publishing API lives at the root beside it.
    api_url = settings().public_api_url.rstrip("/")
    return api_url.removesuffix("/api")


def download_url(image_id: str, file_name: str) -> str:
    """A presigned S3 URL for the public image route."""
    if not _IMAGE_ID.match(image_id or "") or file_name not in FILE_NAMES:
        raise NotFound("Image not found")
    return storage.presigned_get(_key(image_id, file_name), content_type="image/png")


def _key(image_id: str, file_name: str) -> str:
    return f"zype/images/{image_id}/{file_name}"


# --- custom thumbnail --------------------------------------------------------------

def thumbnails(custom_thumbnail: dict | None) -> list[dict]:
    """Zype's thumbnails list for a custom thumbnail (none without one)."""
    if not custom_thumbnail:
        return []
    version = custom_thumbnail["version"]
    return [{"aspect_ratio": ASPECT_RATIO, "height": height, "width": width, "name": None,
             "url": f"{url(custom_thumbnail['image_id'], f'{height}.png')}?{version}"}
            for height, width in THUMBNAIL_SIZES]


def apply_custom_thumbnail(current: dict | None, upload, delete_flag) -> tuple[dict | None, list[str]]:
    """(the new custom thumbnail, image ids whose files can go once the record is saved)."""
    retired = []
    if boolean(delete_flag, "delete_custom_thumbnail") and current:
        retired.append(current["image_id"])
        current = None
    if upload is MISSING or is_blank(upload):
        return current, retired
    if not is_upload(upload):
        raise save_error("playlist", "custom_thumbnail", "send the image as a multipart file attachment")
    image_id = store(upload, "playlist", "custom_thumbnail", with_thumbnails=True)
    if current:
        retired.append(current["image_id"])
    # The version in the URLs (Zype puts the upload time there) makes caches fetch anew.
    return {"image_id": image_id, "version": int(time.time())}, retired


# --- images_attributes ---------------------------------------------------------------

def serialize_images(images: list[dict]) -> list[dict]:
    return [{"_id": image["_id"], "caption": image.get("caption"), "title": image.get("title"),
             "layout": image.get("layout", "landscape"), "updated_at": image["updated_at"],
             "url": url(image["image_id"], "original.png") if image.get("image_id") else image.get("url")}
            for image in images]


def apply_images_attributes(images: list[dict], raw, model: str) -> tuple[list[dict], list[str]]:
    """Zype's index-based update: entry N changes the image at position N (or the one
    whose id it names), `_destroy` removes it, and an entry past the end adds one.
    Positions are those before the request, so removals do not shift later entries.
    Returns (the new list, image ids whose files can go once the record is saved)."""
    try:
        entries = indexed_items(raw, "images_attributes")
    except Unprocessable as error:
        raise save_error(model, "images", error.message) from error
    result = [dict(image) for image in images]
    destroyed: set[str] = set()
    stored: list[str] = []
    try:
        for index, attributes in entries:
            target = _image_at(result, index, attributes, model)
            if boolean(attributes.get("_destroy"), "_destroy"):
                if target is not None:
                    destroyed.add(target["_id"])
                continue
            if target is None:
                target = {"_id": new_object_id(), "title": None, "caption": None, "layout": "landscape",
                          "url": None, "image_id": None}
                result.append(target)
            stored += _update_image(target, attributes, model)
    except Exception:
        delete(stored)  # nothing is saved: do not leave the new files behind
        raise
    retired = [image["image_id"] for image in result if image["_id"] in destroyed and image.get("image_id")]
    retired += [old for old in _replaced(images, result) if old]
    return [image for image in result if image["_id"] not in destroyed], retired


def _image_at(images: list[dict], index: int | None, attributes: dict, model: str) -> dict | None:
    wanted_id = attributes.get("id") or attributes.get("_id")
    if wanted_id:
        found = next((image for image in images if image["_id"] == wanted_id), None)
        if found is None:
            raise save_error(model, "images", f"no image {wanted_id}")
        return found
    if index is not None and index < len(images):
        return images[index]
    return None


def _update_image(image: dict, attributes: dict, model: str) -> list[str]:
    for name in ("title", "caption"):
        if name in attributes:
            image[name] = text(attributes[name], f"images_attributes {name}")
    if not is_blank(attributes.get("layout")):
        layout = str(attributes["layout"]).strip().lower()
        if layout not in IMAGE_LAYOUTS:
            raise save_error(model, "images", f"layout must be one of {', '.join(IMAGE_LAYOUTS)}")
        image["layout"] = layout
    attachment = attributes.get("attachment", MISSING)
    stored = []
    if is_upload(attachment):
        image["image_id"] = store(attachment, model, "images", with_thumbnails=False)
        image["url"] = None
        stored.append(image["image_id"])
    elif not is_blank(attachment):
        # Zype's OpenAPI describes `attachment` as the URL where the image is hosted.
        image["url"] = text(attachment, "images_attributes attachment")
        image["image_id"] = None
    image["updated_at"] = now_stamp()
    return stored


def _replaced(before: list[dict], after: list[dict]) -> list[str]:
    """Stored files of images whose attachment was replaced."""
    now = {image["_id"]: image.get("image_id") for image in after}
    return [image.get("image_id") for image in before
            if image["_id"] in now and image.get("image_id") and now[image["_id"]] != image.get("image_id")]
