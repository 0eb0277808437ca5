"""Which words of a video `q` finds it by (the fields the keyword filter reads), kept in
the term rows of chalicelib/models/zype_terms.py as the video changes."""
from chalicelib.models import zype_terms
from chalicelib.services.zype import lists
from chalicelib.services.zype.values import words

FIELDS = ("title", "description", "short_description", "keywords", "source_id")


def video_words(video: dict) -> set[str]:
    found = set()
    for name in FIELDS:
        value = video.get(name)
        found.update(words(" ".join(map(str, value)) if isinstance(value, list) else value))
    return found


def _rows(site_id: str, video: dict | None) -> dict:
    if not video:
        return {}
    created_key = lists.video_keys(site_id, video)[f"{site_id}#v#all#created_at"]
    return zype_terms.rows(site_id, video_words(video), created_key, bool(video.get("active")))


def write(site_id: str, before: dict | None, after: dict | None) -> None:
    zype_terms.write(_rows(site_id, before), _rows(site_id, after))


def matching(site_id: str, query: str) -> dict[str, zype_terms.Hit]:
    """Videos each of whose query words starts a word of theirs (one Query per word)."""
    found: dict[str, zype_terms.Hit] | None = None
    for word in sorted(set(words(query)), key=len, reverse=True):
        hits = zype_terms.search(site_id, word)
        found = hits if found is None else {k: v for k, v in found.items() if k in hits}
        if not found:
            return {}
    return found or {}
