"""Zou's `<id>.<extension>` path segments, read in chalicelib.api before any service runs."""
import pytest

from chalicelib.api.file_names import file_id
from chalicelib.errors import Invalid

PREVIEW_ID = "0b7e6a52-3f5c-4b8e-9d1a-6c2f4e8a1b3d"


@pytest.mark.parametrize("segment", [f"{PREVIEW_ID}.png", f"{PREVIEW_ID}.mp4", f"{PREVIEW_ID.upper()}.PNG"])
def test_the_id_of_a_file_name_whatever_its_extension(segment):
    assert file_id(segment) == PREVIEW_ID


def test_a_download_route_takes_the_bare_id_too():
    assert file_id(PREVIEW_ID, extension_required=False) == PREVIEW_ID
    assert file_id(f"{PREVIEW_ID}.mp4", extension_required=False) == PREVIEW_ID


@pytest.mark.parametrize("segment", [PREVIEW_ID, f"{PREVIEW_ID}.", f"{PREVIEW_ID}.tar.gz", f"{PREVIEW_ID}.p-g",
                                     f"{PREVIEW_ID}.toolongext", "not-an-id.png", f"{PREVIEW_ID[:-1]}.png", "", None])
def test_anything_else_is_refused_with_the_shape_expected(segment):
    with pytest.raises(Invalid, match=r"Expected <id>\.<extension>"):
        file_id(segment)
