"""What an id is, wherever one arrives: a path, a body field, a file name, an S3 key."""
import uuid

import pytest

from chalicelib import ids
from chalicelib.api.file_names import file_id
from chalicelib.api.http import require_uuid
from chalicelib.errors import Invalid
from chalicelib.services.production import collections as c
from chalicelib.services.production.validation import check_value

RECORD_ID = str(uuid.uuid4())
NOT_IDS = ["", "not-a-uuid", RECORD_ID[:-1], RECORD_ID + "0", RECORD_ID + "\n", RECORD_ID.replace("-", ""),
           "{" + RECORD_ID + "}", f"urn:uuid:{RECORD_ID}", None, 12, uuid.UUID(RECORD_ID)]


def test_ids_are_the_dashed_hex_form_in_either_case():
    assert ids.is_uuid(RECORD_ID) and ids.is_uuid(RECORD_ID.upper())
    assert ids.canonical_uuid(RECORD_ID.upper()) == RECORD_ID
    assert not any(ids.is_uuid(value) for value in NOT_IDS)
    assert {ids.canonical_uuid(value) for value in NOT_IDS} == {None}


def test_every_reader_of_ids_lowercases_them_and_names_what_it_refused():
    assert require_uuid(RECORD_ID.upper(), "task_id") == RECORD_ID
    assert check_value("task_id", c.UUID, RECORD_ID.upper()) == RECORD_ID
    assert file_id(f"{RECORD_ID.upper()}.PNG") == RECORD_ID
    with pytest.raises(Invalid, match="^task_id must be a UUID, got 'nope'$"):
        require_uuid("nope", "task_id")
    with pytest.raises(Invalid, match="^Field 'task_id' must be a UUID, got 'nope'$"):
        check_value("task_id", c.UUID, "nope")
    with pytest.raises(Invalid, match="^Expected <id>.<extension>"):
        file_id(f"{RECORD_ID}\n.png")
