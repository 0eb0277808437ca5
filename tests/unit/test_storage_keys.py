"""The S3 key grammar: storage.py builds every preview key and parses them back."""
import pytest

from chalicelib import storage

PREVIEW_ID = "5f0c2a9e-7d41-4b8e-9c3a-2e6f81d0b4a7"  # fixed: it names the tests (pytest-xdist)
UPLOAD_ID = "0c9d7a4be1f24c3f9a8b6d5e4f3a2b1c"


@pytest.mark.parametrize("extension", ["mov", "mp4", "pdf", "sai2"])
def test_uploaded_originals_parse_back(extension):
    movie_or_file = storage.parse_preview_key(storage.preview_upload_key(PREVIEW_ID, extension, UPLOAD_ID))
    assert movie_or_file == storage.PreviewObject(PREVIEW_ID, storage.UPLOADED, "source", extension)
    picture = storage.parse_preview_key(storage.picture_upload_key(PREVIEW_ID, extension, UPLOAD_ID))
    assert picture == storage.PreviewObject(PREVIEW_ID, storage.PICTURE_UPLOADED, "source", extension)


@pytest.mark.parametrize("variant", [*storage.PREVIEW_VARIANTS, "file.pdf", "file.zip"])
def test_processed_objects_parse_back_to_the_key_they_came_from(variant):
    key = storage.preview_key(PREVIEW_ID, variant)
    parsed = storage.parse_preview_key(key)
    assert (parsed.preview_id, parsed.place, parsed.variant) == (PREVIEW_ID, storage.PROCESSED, variant)
    assert storage.preview_key(parsed.preview_id, parsed.variant) == key
    assert parsed.extension == key.rsplit(".", 1)[1]


@pytest.mark.parametrize("key", [
    "elsewhere/unknown.mp4",
    storage.preview_frame_key(PREVIEW_ID, 12),
    f"{storage.UPLOAD_PREFIX}{PREVIEW_ID}/other.mp4",
    f"{storage.UPLOAD_PREFIX}{PREVIEW_ID}/{UPLOAD_ID}/source.",
    f"{storage.UPLOAD_PREFIX}{PREVIEW_ID}/source.mp4",  # an upload's own key names the upload
    f"{storage.UPLOAD_PREFIX}{PREVIEW_ID.upper()}/{UPLOAD_ID}/source.mp4",  # ids in keys are lowercase
    f"{storage.UPLOAD_PREFIX}not-an-id/{UPLOAD_ID}/source.mp4",
    f"{storage.PREVIEW_PREFIX}{PREVIEW_ID}/movie.mov",
    f"{storage.PREVIEW_PREFIX}{PREVIEW_ID}/movie.mp4/more",
    storage.playlist_build_key(PREVIEW_ID),
    storage.file_content_key("WorkingFile", PREVIEW_ID),
    storage.file_content_key("WorkingFile", PREVIEW_ID, UPLOAD_ID),
])
def test_other_keys_are_not_preview_objects(key):
    assert storage.parse_preview_key(key) is None
