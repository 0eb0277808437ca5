"""The JSON bodies of the files routes, read as Zou's `blueprints/files/schemas.py`
reads them. Unknown keys are ignored: gazu sends a few Zou does not read (`task_id`
on new working files, `nb_elements` on output paths)."""
import uuid
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from chalicelib import storage
from chalicelib.errors import Invalid

Uuid = Annotated[uuid.UUID, AfterValidator(str)]
# A bare MIME type (RFC 9110 tokens): it is signed into the presigned PUT.
ContentType = Annotated[StrictStr, Field(max_length=255, pattern=r"^[\w!#$%&'*+.^`|~-]+/[\w!#$%&'*+.^`|~-]+$")]
# The name a download is saved under: no control characters (it goes into a header).
DownloadName = Annotated[StrictStr, Field(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f\x7f]+$")]
# Zou's columns: name String(250), representation String(20), extension String(10).
FileName = Annotated[StrictStr, Field(min_length=1, max_length=250)]
Separator = Annotated[StrictStr, Field(min_length=1, max_length=4)]
# Zou's revision (Integer): 1 and up, 0 asks for the next one (gazu's default).
Revision = Annotated[StrictInt, Field(ge=0, le=2 ** 31 - 1)]


class _Body(BaseModel):
    # defer_build: schemas are built on first use, not at cold start (each costs milliseconds).
    model_config = ConfigDict(extra="ignore", defer_build=True)


class _PathOptions(_Body):
    """Zou reads the separator as `sep` on some routes and `separator` on others, and
    gazu sends whichever it likes; either is honoured, `sep` first."""
    sep: Separator = "/"
    separator: Separator | None = None

    @property
    def path_separator(self) -> str:
        if "sep" in self.model_fields_set or self.separator is None:
            return self.sep
        return self.separator


class NewWorkingFile(_PathOptions):
    name: FileName
    mode: StrictStr = "working"
    description: StrictStr = ""
    comment: StrictStr = ""
    person_id: Uuid | None = None
    software_id: Uuid | None = None
    revision: Revision = 0  # 0: the next one for (task, name)


class WorkingFilePath(_PathOptions):
    name: FileName = "main"
    mode: StrictStr = "working"
    software_id: Uuid | None = None
    revision: Revision = 0


class WorkingFileComment(_Body):
    comment: StrictStr = Field(min_length=1)


class _OutputIdentity(_Body):
    name: FileName = "main"
    output_type_id: Uuid
    task_type_id: Uuid


class NextOutputRevision(_OutputIdentity):
    pass


class OutputFilePath(_OutputIdentity, _PathOptions):
    mode: StrictStr = "output"
    revision: Revision = 0  # 0: the next one
    representation: Annotated[StrictStr, Field(max_length=20)] = ""
    nb_elements: Annotated[StrictInt, Field(ge=1, le=2 ** 31 - 1)] = 1


class NewOutputFile(OutputFilePath):
    comment: StrictStr = ""
    extension: Annotated[StrictStr, Field(max_length=10)] = ""
    person_id: Uuid | None = None
    working_file_id: Uuid | None = None
    file_status_id: Uuid | None = None


class SetFileTree(_Body):
    tree_name: StrictStr = Field(min_length=1, max_length=80)


class GuessFromPath(_Body):
    project_id: Uuid
    file_path: StrictStr = Field(min_length=1)
    sep: Separator = "/"


class UploadUrl(_Body):
    """What the client is about to upload; `multipart`/`part_size` force and shape
    a multipart upload (otherwise chosen above storage.SINGLE_PUT_LIMIT)."""
    size: Annotated[StrictInt, Field(ge=1, le=storage.MAX_OBJECT_BYTES)]
    file_name: DownloadName | None = None
    content_type: ContentType | None = None
    multipart: StrictBool = False
    part_size: Annotated[StrictInt, Field(ge=storage.MIN_PART_BYTES, le=storage.MAX_PART_BYTES)] | None = None


def parse[Body: BaseModel](model: type[Body], raw_body) -> Body:
    """`raw_body` checked against `model`, or Invalid naming each bad field."""
    if not isinstance(raw_body, dict):
        raise Invalid("The body must be a JSON object")
    try:
        return model.model_validate(raw_body)
    except ValidationError as error:
        problems = [{"field": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
                    for item in error.errors()]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise Invalid(f"Invalid body: {summary}", {"errors": problems}) from error
