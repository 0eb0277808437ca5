"""Reading a path back into the entities it names (Zou's `guess_from_path`): the folder
templates of a file tree (chalicelib.services.files.file_tree) matched against a path,
each captured name resolved through a lookup the caller provides. Pure, like the renderer."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from chalicelib.services.files import file_tree

# Tokens guess_from_path keeps as text instead of looking up an entity.
TEXT_TOKENS = frozenset({"Name", "OutputFile", "WorkingFile", "Representation"})
REVISION_TOKENS = frozenset({"Version", "Revision"})

# lookup(token, name, parent_ids) -> id or None; see guess_from_path.
Lookup = Callable[[str, str, dict[str, str]], str | None]


def guess_from_path(
    tree: Mapping, file_path: str, sep: str, lookup: Lookup
) -> list[dict]:
    """List the folder templates a path fits, with the ids its names resolve to.

    For each mode whose styled root prefixes the styled path, each folder
    template is matched element by element against the rest of the path
    (extra elements such as the file name are ignored). Captured names have
    ``_`` turned back into spaces and are resolved in template order through
    ``lookup(token, name, parent_ids)``, where ``parent_ids`` holds the ids
    resolved so far (``{"Project": id, "Sequence": id, ...}``); it must match
    names case-insensitively and return an id or None. A template with a name
    that does not resolve is not listed: a path to a shot that does not exist
    guesses nothing (Zou lists the partial match; reelbase answers []).
    """
    file_tree.validate_tree(tree)
    matches: list[dict] = []
    for section in tree.values():
        style = section["folder_path"].get(file_tree.STYLE_KEY, "")
        root = file_tree.style_text(file_tree.root_prefix(section, sep), style)
        styled_path = file_tree.style_text(file_path, style)
        if not styled_path.startswith(root):
            continue
        elements = styled_path[len(root) :].split(sep)
        if elements and elements[-1] == "":
            elements.pop()  # a folder path given with a trailing separator

        for kind, template in section["folder_path"].items():
            if kind == file_tree.STYLE_KEY:
                continue
            captured = _match_template(template, elements, style)
            if not captured:
                continue
            resolved = _resolve(captured, lookup)
            if resolved is None:
                continue
            match = {"Template": kind, **resolved}
            if match not in matches:
                matches.append(match)
    return matches


def check_under_a_root(tree: Mapping, file_path: str, sep: str) -> None:
    """Refuse a path that no mode's root prefixes, naming the roots it missed
    (guess_from_path would only answer an empty list)."""
    file_tree.validate_tree(tree)
    roots = []
    for section in tree.values():
        style = section["folder_path"].get(file_tree.STYLE_KEY, "")
        root = file_tree.style_text(file_tree.root_prefix(section, sep), style)
        if file_tree.style_text(file_path, style).startswith(root):
            return
        roots.append(root)
    raise file_tree.FileTreeError(
        f"{file_path} is under none of the file tree roots: {', '.join(roots)}"
    )


def _match_template(
    template: str, elements: list[str], style: str
) -> list[tuple[str, str]] | None:
    """Token names and values captured from the path, in template order, or
    None when a literal differs. Templates are always written with `/`."""
    captured: list[tuple[str, str]] = []
    seen: set[str] = set()
    for template_element, element in zip(template.split("/"), elements, strict=False):
        pattern, tokens = _element_pattern(template_element, style)
        found = pattern.fullmatch(element)
        if found is None:
            return None
        for token, value in zip(tokens, found.groups(), strict=True):
            if token not in seen:
                seen.add(token)
                captured.append((token, value.replace("_", " ")))
    return captured


def _element_pattern(template_element: str, style: str) -> tuple[re.Pattern, list[str]]:
    # Literals must be equal once styled like the path (so `v<Version>` or
    # `instance_<Instance.number>` still match); each token captures the rest.
    # Only name-valued tokens are captured: a short_name, number or id cannot
    # be looked up by name.
    parts: list[str] = []
    tokens: list[str] = []
    position = 0
    for token_match in file_tree.TOKEN_PATTERN.finditer(template_element):
        parts.append(
            re.escape(file_tree.style_text(template_element[position : token_match.start()], style))
        )
        token, _, field = token_match.group(1).partition(".")
        if field in ("", "name"):
            parts.append("(.+?)")
            tokens.append(token)
        else:
            parts.append("(?:.+?)")
        position = token_match.end()
    parts.append(re.escape(file_tree.style_text(template_element[position:], style)))
    return re.compile("".join(parts)), tokens


def _resolve(captured: list[tuple[str, str]], lookup: Lookup) -> dict[str, str] | None:
    resolved: dict[str, str] = {}
    parent_ids: dict[str, str] = {}
    for token, value in captured:
        if token in TEXT_TOKENS:
            resolved[token] = value
            continue
        if token in REVISION_TOKENS:
            try:
                resolved[token] = str(int(value))
            except ValueError:
                return None
            continue
        entity_id = lookup(token, value, dict(parent_ids))
        if entity_id is None:
            return None
        resolved[token] = parent_ids[token] = entity_id
    return resolved
