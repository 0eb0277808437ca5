"""Writes docs/permissions.md from the permission matrix (tests/permissions/matrix.py).

    .venv/bin/python -m tests.permissions.document        # rewrite docs/permissions.md
    tests/permissions/test_document.py                    # fails when the file is stale
"""
import pathlib

from tests.permissions.matrix import DESCRIPTIONS, IDENTITIES, MATRIX, MEDIA_PREFIXES

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "permissions.md"

COLUMNS = {
    "admin": "adm", "manager": "mgr", "supervisor": "sup", "supervisor_other_dept": "sup²", "artist": "art",
    "artist_unassigned": "art²", "client": "cli", "vendor": "ven", "vendor_unassigned": "ven²",
    "manager_other_project": "mgr·P2", "admin_other_studio": "adm·B", "no_token": "anon", "revoked_token": "rev",
    "zype_api_key": "key", "zype_app_key": "app", "zype_key_other_studio": "key·B",
}
GROUPS = ("Sessions and the API root", "Production data (the generic CRUD and Zou's production routes)",
          "Working and output files", "Preview files", "Playlists",
          "Pictures and movies (also served at the root, without /api)",
          "Publishing: the studio's Zype keys and the Zype API")
SESSIONS, PRODUCTION, FILES, PREVIEWS, PLAYLISTS, MEDIA, PUBLISHING = range(len(GROUPS))
_FILE_WORDS = ("working-file", "output-file", "/data/files/", "set-file-tree", "guess")
_PREVIEW_WORDS = ("preview-files", "attachment-files", "batch-comment", "add-preview", "settings/preview-background")
# Differences that are not one route's.
GENERAL_DIFFERENCES = (
    ("`PUT /api/data/persons/{person_id}` on oneself (role, studio, departments, active)", "Zou",
     "the fields are ignored, not refused, as gazu PUTs whole dicts back (Zou lets admins change their own; "
     "nobody may here)"),
    ("`POST /api/data/playlists/{playlist_id}/notify-clients` on a playlist not for clients", "neither",
     "nobody is notified: clients would get a link they may not open (Zou notifies them)"),
    ("the organisation's tokens (`data/organisations`, `auth/login`, `auth/authenticated`)", "neither",
     "never returned, to admins either (Zou returns them to admins): write-only secrets"),
    ("every route", "neither", "Zou has one tenant; here a studio is one (the seed says nothing)"),
)


def _group_of(path: str) -> int:
    if not path.startswith("/api") or "zype-keys" in path:
        return PUBLISHING
    if path.startswith(("/api/pictures", "/api/movies")):
        return MEDIA
    if path == "/api" or path.startswith("/api/auth"):
        return SESSIONS
    if "/playlists/entities/" in path:
        return PLAYLISTS
    if any(word in path for word in _PREVIEW_WORDS):
        return PREVIEWS
    if "playlists" in path or "build-jobs" in path:
        return PLAYLISTS
    if any(word in path for word in _FILE_WORDS) or ("output-types" in path and "/entities/" in path):
        return FILES
    return PRODUCTION


INTRO = """# Permissions

Generated from `tests/permissions/matrix.py` by `python -m tests.permissions.document`;
`tests/permissions/test_document.py` fails when this file and the table disagree, and
`tests/permissions/test_matrix.py` runs every cell against the local stack.

## The rules

- **A studio is a tenant.** Every caller belongs to a studio (`person.studio_id`); studio-wide
  records (task types, statuses, asset types, departments, people, the organisation, output
  types, file statuses, softwares, preview backgrounds) and projects carry their `studio_id`;
  the records of a project belong to its project. Nothing of another studio is readable or
  writable, whatever the role: lists leave it out, reads and writes answer 403 (the Zype API
  answers 404, as it does for another site's records). "Admin" means admin of their studio.
  Names (departments, asset types, ...) are unique within a studio, e-mail addresses across all
  of them (they log in).
- **A new studio** is created by an admin, who may then add its first people (its first admin
  among them); once it has people, only its own admins add more. That admin reads the studio's
  record, nothing in it.
- **References.** A write that names another record (an entity, a preview, a task, a status,
  a person, a department, ...) must name an existing record of the right kind, of the same
  project, or of the same studio for studio-wide records; otherwise 400, with
  `{"field": ..., "id": ...}` in `data`. Another studio's records are answered as unknown.
  One BatchGet reads them all. Two exceptions keep Zou's behaviour: a playlist's unknown
  `task_type_id` (or one of another studio) is stored as null, as Zou does; a `project_id` of
  another studio is refused as a permission (403).
- **Self-service.** Nobody changes their own role, studio, departments or active flag, admins
  included: on `PUT data/persons/{self}` those fields are ignored (as Zou ignores them for
  non-admins) and the rest of the edit applies. A person's studio never changes.
- **Studio-wide settings** are written by the studio's admins only (Zou's CRUD default), read
  by everyone of the studio.
- **Secrets are write-only**: the organisation's `chat_token_slack`, `chat_webhook_mattermost`,
  `chat_token_discord` and people's `password` are never returned, to anyone (Zou returns the
  organisation's to admins); answers hold `has_<name>` (true when one is set), and lists
  cannot be filtered on them.
- **Vendors** see only what they are assigned to: tasks, their comments, previews and files.
- **Client notifications** (`notify-clients`) go to the project's clients for playlists shared
  with clients (`for_client`) only, and are e-mailed only to those whose notifications are on
  (`notifications_enabled`, as Zou); the others still get the notification record.

## Where the seed and Zou differ

| routes | followed | why |
|---|---|---|
{differences}

## Who is who

The targets are studio A's records (project A, its shot, its Animation task assigned to the
artist and the vendor, a ready movie preview of it, an internal playlist, ...).

| column | identity |
|---|---|
{legend}
In the tables, **✓** allowed, **·** refused (401 or 403; 404 on the Zype API), **✓∅** allowed
but the target is not in the answer (a list of the caller's own studio, or of what they may see).

"""


def _cell(rule, identity: str) -> str:
    if identity not in rule.allowed:
        return "·"
    if rule.sees is not None and identity not in rule.sees:
        return "✓∅"
    return "✓"


def _differences() -> str:
    by_note: dict[str, list[tuple[str, str]]] = {}
    for (method, path), rule in MATRIX.items():
        if rule.note:
            by_note.setdefault(rule.note, []).append((method, path))
    rows = []
    for note, routes in by_note.items():
        followed, why = note.split(": ", 1)
        if len(routes) > 4:  # a family of collections: their writes
            families = sorted({path.split("/")[3] for _, path in routes})
            shown = "POST, PUT, DELETE of " + ", ".join(f"`/api/data/{family}`" for family in families)
        else:
            shown = ", ".join(f"`{method} {path}`" for method, path in routes)
        rows.append(f"| {shown} | {followed} | {why} |\n")
    rows += [f"| {what} | {followed} | {why} |\n" for what, followed, why in GENERAL_DIFFERENCES]
    return "".join(rows)


def render() -> str:
    differences = _differences()
    legend = "".join(f"| {COLUMNS[identity]} | {DESCRIPTIONS[identity]} |\n" for identity in IDENTITIES)
    parts = [INTRO.replace("{differences}", differences).replace("{legend}", legend)]
    header = "| route | " + " | ".join(COLUMNS[i] for i in IDENTITIES) + " |\n" + \
             "|---|" + "---|" * len(IDENTITIES) + "\n"
    for index, title in enumerate(GROUPS):
        rows = sorted((path, method) for (method, path) in MATRIX if _group_of(path) == index)
        if not rows:
            continue
        parts.append(f"## {title}\n\n{header}")
        for path, method in rows:
            rule = MATRIX[(method, path)]
            shown = path[len("/api"):] if path.startswith(MEDIA_PREFIXES) else path
            parts.append(f"| `{method} {shown}` | " + " | ".join(_cell(rule, i) for i in IDENTITIES) + " |\n")
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def main() -> None:
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
