"""Names from uploads never climb out of the ZIP or folder they land in."""
import pytest

from chalicelib.services.production import names


@pytest.mark.parametrize("original", ["..\\..\\windows\\evil", "../../etc/passwd", "a\x00b\r\nc", "..", "C:\\x",
                                      "/abs/path", "ok..\u202e..name"])
def test_an_original_name_becomes_one_safe_zip_entry(original):
    entry = names.preview_file_name({"original_name": original, "extension": "mp4", "position": 1}, {}, None, None,
                                    original_names=True)
    assert entry.endswith(".mp4")
    assert "/" not in entry and "\\" not in entry and ".." not in entry and ":" not in entry
    assert all(ord(char) >= 32 and char != "\u202e" for char in entry)
    assert not entry.startswith(".")


def test_a_plain_original_name_is_kept():
    preview = {"original_name": "SH010 anim v2", "extension": "mov", "position": 2}
    assert names.preview_file_name(preview, {}, None, None, original_names=True) == "SH010 anim v2-2.mov"


def test_a_long_name_is_cut_and_an_extension_cannot_carry_a_path():
    assert len(names.safe_file_name("x" * 1000)) == names.MAX_FILE_NAME_CHARS
    preview = {"original_name": "clip", "extension": "../../x", "position": 1}
    entry = names.preview_file_name(preview, {}, None, None, original_names=True)
    assert entry.startswith("clip.") and "/" not in entry and ".." not in entry
