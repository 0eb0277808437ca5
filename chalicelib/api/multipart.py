"""multipart/form-data bodies (gazu's uploads), parsed by python-multipart."""
from dataclasses import dataclass

from chalicelib.errors import Invalid


@dataclass
class UploadedFile:
    field_name: str
    filename: str
    content_type: str
    content: bytes


def parse_multipart(content_type_header: str, body: bytes) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """(form fields, files by field name). A part without a filename is a field, even
    when it carries its own content type (gazu's batch-comment `comments` part)."""
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for name, value in parse_multipart_pairs(content_type_header, body):
        if isinstance(value, UploadedFile):
            files[name] = value
        else:
            fields[name] = value
    return fields, files


def parse_multipart_pairs(content_type_header: str, body: bytes) -> list[tuple[str, "str | UploadedFile"]]:
    """Every part in body order, repeated names kept (Rails-style `video_id[]` fields)."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    mime, options = parse_options_header(content_type_header)
    boundary = options.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise Invalid("Expected a multipart/form-data body with a boundary")
    parts: list[tuple[str, str | UploadedFile]] = []
    current: dict = {}

    def on_part_begin():
        current.clear()
        current.update(headers={}, data=bytearray(), header_name=b"", header_value=b"")

    def on_header_field(data, start, end):
        current["header_name"] += data[start:end]

    def on_header_value(data, start, end):
        current["header_value"] += data[start:end]

    def on_header_end():
        current["headers"][current["header_name"].decode("latin-1").lower()] = current["header_value"]
        current["header_name"], current["header_value"] = b"", b""

    def on_part_data(data, start, end):
        current["data"] += data[start:end]

    def on_part_end():
        _, disposition = parse_options_header(current["headers"].get("content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        if filename is not None:
            part_type = current["headers"].get("content-type", b"application/octet-stream")
            parts.append((name, UploadedFile(name, filename.decode("utf-8", "replace"),
                                             part_type.decode("latin-1"), bytes(current["data"]))))
        else:
            parts.append((name, bytes(current["data"]).decode("utf-8", "replace")))

    parser = MultipartParser(boundary, callbacks={
        "on_part_begin": on_part_begin, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    try:
        parser.write(body)
        parser.finalize()
    except Exception as error:  # python-multipart raises several error types
        raise Invalid(f"Malformed multipart body: {error}") from error
    return parts
