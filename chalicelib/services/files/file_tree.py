"""Zou file trees: the templates that name working, output and preview files.

A tree maps a mode (``working``, ``output``, ``preview``, or any custom one)
to a mountpoint, a root and two template sections, ``folder_path`` and
``file_name``, each keyed by entity kind plus an optional ``style``.

This module is pure: the caller gathers the objects a template may need into a
plain ``context`` dict (Zou-shaped dicts with ``id`` and ``name``) and turns
:class:`FileTreeError` into a 400. Scripts rely on the exact paths Zou builds,
so the rendering rules below follow Zou's ``file_tree_service``; where Zou
crashes instead of answering, the comment says what we do instead. Reading a
path back into entities is :mod:`chalicelib.services.files.file_tree_guess`.

Context keys read by ``render``:

- ``project`` (required by ``<Project>``), ``shot`` (``<Shot>``),
  ``task`` (``<Task>``), ``asset_type`` (``<AssetType>``),
  ``temporal_entity`` (``<TemporalEntity>``),
  ``temporal_entity_type`` (``<TemporalEntityType>``): a missing one raises;
- ``episode`` (absent: ``e001``), ``sequence``, ``scene``, ``asset``,
  ``task_type``, ``department``, ``instance`` (absent: empty);
- ``output_type`` (absent: Geometry), ``software`` (absent: 3dsmax);
- ``name``, ``representation`` (strings), ``revision`` (int, default 1),
  ``nb_elements`` (int; above 1 adds ``_[1-N]`` to the file name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from slugify import slugify

from chalicelib.errors import Invalid

TREE_FOLDER = Path(__file__).with_name("trees")
TREE_NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")

KINDS = ("shot", "sequence", "scene", "episode", "asset", "instance", "instance_asset")
STYLE_KEY = "style"
SECTIONS = ("folder_path", "file_name")

TOKEN_PATTERN = re.compile(r"<([\w.]*)>")
# Zou renders only these fields; any other `<Token.field>` falls back to `name`.
RENDERED_FIELDS = frozenset({"id", "name", "short_name", "number"})

# What Zou get-or-creates when the request names no software or output type.
# The service layer may create these rows; rendering only needs the names.
DEFAULT_SOFTWARE = {"name": "3dsmax", "short_name": "max", "file_extension": ".max"}
DEFAULT_OUTPUT_TYPE = {"name": "Geometry", "short_name": ""}
DEFAULT_EPISODE_NAME = "e001"


class FileTreeError(Invalid):
    """The tree cannot answer: unknown tree name, malformed tree, unknown token,
    or an object the template needs is missing from the context (HTTP 400)."""


# --- Loading and validating -------------------------------------------------


def load_template(tree_name: str) -> dict:
    """Return a fresh copy of a shipped tree (``default`` or ``simple``)."""
    # fullmatch, not match: the name becomes a file name, so no `../` tails.
    if not isinstance(tree_name, str) or not TREE_NAME_PATTERN.fullmatch(tree_name):
        raise FileTreeError("Selected tree is not available")
    tree_path = TREE_FOLDER / f"{tree_name}.json"
    if not tree_path.is_file():
        raise FileTreeError("Selected tree is not available")
    return json.loads(tree_path.read_text(encoding="utf-8"))


def validate_tree(tree: object) -> None:
    """Check the structure of a whole tree (not its tokens: the shipped
    ``default`` tree carries Zou's ``<OuputType>`` typo and must stay
    storable; unknown tokens are reported when a path is rendered)."""
    if not isinstance(tree, Mapping) or not tree:
        raise FileTreeError("A file tree must be a non-empty object of modes")
    for mode, section in tree.items():
        _check_mode(mode, section)


def _check_mode(mode: str, section: object) -> None:
    if not isinstance(section, Mapping):
        raise FileTreeError(f"File tree mode {mode} must be an object")
    for key in ("mountpoint", "root"):
        if not isinstance(section.get(key), str):
            raise FileTreeError(f"File tree mode {mode} needs a string {key}")
    for section_name in SECTIONS:
        templates = section.get(section_name)
        if not isinstance(templates, Mapping):
            raise FileTreeError(f"File tree mode {mode} needs a {section_name} object")
        for kind, template in templates.items():
            if not isinstance(template, str):
                raise FileTreeError(
                    f"File tree {mode}.{section_name}.{kind} must be a string"
                )


def _mode_section(tree: object, mode: str) -> Mapping:
    if not isinstance(tree, Mapping) or not tree:
        raise FileTreeError("No file tree is set for this project")
    if mode not in tree:
        raise FileTreeError(f"Mode {mode} cannot be found on the file tree")
    section = tree[mode]
    _check_mode(mode, section)
    return section


def _template(section: Mapping, mode: str, section_name: str, kind: str) -> str:
    if kind not in KINDS:
        raise FileTreeError(f"Unknown file tree kind: {kind}")
    template = section[section_name].get(kind)
    if template is None:
        raise FileTreeError(
            f"The file tree has no {kind} template in {mode}.{section_name}"
        )
    return template


# --- Rendering ------------------------------------------------------------


def render(
    tree: Mapping, mode: str, kind: str, context: Mapping, sep: str = "/"
) -> tuple[str, str]:
    """Return ``(folder_path, file_name)``; the folder includes mountpoint and root."""
    section = _mode_section(tree, mode)
    folder_template = _template(section, mode, "folder_path", kind)
    file_template = _template(section, mode, "file_name", kind)

    folder_style = section["folder_path"].get(STYLE_KEY, "")
    folder = _substitute(folder_template, context, folder_style, ids=[])
    folder_path = root_prefix(section, sep) + folder.replace("/", sep)

    file_style = section["file_name"].get(STYLE_KEY, "")
    ids: list[str] = []
    # Zou styles file-name tokens lowercase, then slugifies and styles the whole name.
    file_name = _substitute(file_template, context, "lowercase", ids)
    file_name = style_text(slugify(file_name, separator="_"), file_style)
    for entity_id in ids:
        # Ids stay verbatim even through the whole-name slugify.
        slugged_id = style_text(slugify(entity_id, separator="_"), file_style)
        file_name = file_name.replace(slugged_id, entity_id)
    nb_elements = context.get("nb_elements") or 1
    if nb_elements > 1:
        file_name += f"_[1-{nb_elements}]"
    return folder_path, file_name


def full_path(
    tree: Mapping,
    mode: str,
    kind: str,
    context: Mapping,
    sep: str = "/",
    extension: str = "",
) -> str:
    """``folder + sep + file_name + extension``, the ``path`` Zou stores."""
    folder_path, file_name = render(tree, mode, kind, context, sep)
    return f"{folder_path}{sep}{file_name}{extension}"


def root_prefix(section: Mapping, sep: str) -> str:
    # Like Zou, mountpoint and root are joined with `sep` but their own `/`
    # are kept, so guessing from a path sees the same prefix render builds.
    if section["root"]:
        return f"{section['mountpoint']}{sep}{section['root']}{sep}"
    return f"{section['mountpoint']}{sep}"


def style_text(text: str, style: str) -> str:
    if style == "uppercase":
        return text.upper()
    if style == "lowercase":
        return text.lower()
    return text


def _substitute(template: str, context: Mapping, style: str, ids: list[str]) -> str:
    def token_value(match: re.Match) -> str:
        variable = match.group(1)
        token, _, field = variable.partition(".")
        renderer = TOKEN_RENDERERS.get(token)
        if renderer is None:
            raise FileTreeError(f"Unknown token in the file tree: <{variable}>")
        text, is_id = renderer(context, token, field or "name")
        if is_id:
            ids.append(text)
            return text
        return style_text(slugify(text, separator="_"), style)

    return TOKEN_PATTERN.sub(token_value, template)


def _field_value(obj: Mapping, field: str) -> tuple[str, bool]:
    """The text for `<Token.field>` and whether it is an id (kept verbatim)."""
    if field not in RENDERED_FIELDS or obj.get(field) is None:
        # Zou would fail on an allowed field the object lacks; name is kinder.
        field = "name"
    value = obj.get(field)
    return ("" if value is None else str(value)), field == "id"


def _from_object(
    key: str,
    *,
    required: bool = False,
    when_absent: str = "",
    fallback: Mapping | None = None,
    transform: Callable[[str], str] | None = None,
):
    def render_token(context: Mapping, token: str, field: str) -> tuple[str, bool]:
        obj = context.get(key) or fallback
        if obj is None:
            if required:
                raise FileTreeError(f"<{token}> needs a {key} and none was given")
            return when_absent, False
        text, is_id = _field_value(obj, field)
        if transform is not None and not is_id:
            text = transform(text)
        return text, is_id

    return render_token


def _sequence_name(name: str) -> str:
    # Zou's rule: a name holding "Seq" becomes S + the rest padded to 3 digits
    # ("Seq5" -> "S005"). Zou crashes while applying it; we apply it.
    if "Seq" in name:
        return "S" + name.split("Seq", 1)[1].zfill(3)
    return name


def _instance(context: Mapping, token: str, field: str) -> tuple[str, bool]:
    instance = context.get("instance")
    if not instance:
        return "", False
    number = str(instance.get("number") or 0).zfill(4)
    # Zou renders the padded number for any field but name; an id we keep as an id.
    if field == "id" and instance.get("id"):
        return str(instance["id"]), True
    if field == "name" or field not in RENDERED_FIELDS:
        return (instance.get("name") or number), False
    return number, False


def _context_text(key: str):
    def render_token(context: Mapping, token: str, field: str) -> tuple[str, bool]:
        value = context.get(key)
        return ("" if value is None else str(value)), False

    return render_token


def _revision(context: Mapping, token: str, field: str) -> tuple[str, bool]:
    revision = context.get("revision")
    return str(1 if revision is None else revision).zfill(3), False


TOKEN_RENDERERS = {
    "Project": _from_object("project", required=True),
    "Episode": _from_object("episode", when_absent=DEFAULT_EPISODE_NAME),
    "Sequence": _from_object("sequence", transform=_sequence_name),
    "Scene": _from_object("scene"),
    "Shot": _from_object("shot", required=True),
    "AssetType": _from_object("asset_type", required=True),
    "Asset": _from_object("asset"),
    "TaskType": _from_object("task_type"),
    "Department": _from_object("department"),
    "Task": _from_object("task", required=True),
    "OutputType": _from_object(
        "output_type", fallback=DEFAULT_OUTPUT_TYPE, transform=str.lower
    ),
    "Software": _from_object("software", fallback=DEFAULT_SOFTWARE),
    "TemporalEntity": _from_object("temporal_entity", required=True),
    "TemporalEntityType": _from_object(
        "temporal_entity_type", required=True, transform=str.lower
    ),
    "Instance": _instance,
    "Name": _context_text("name"),
    "OutputFile": _context_text("name"),
    "WorkingFile": _context_text("name"),
    "Representation": _context_text("representation"),
    "Version": _revision,
    "Revision": _revision,
}
