"""The search terms of a site's videos: one row per (word, video), so that `q` reads
the rows of the words it names instead of the catalogue.

    pk                          sk                                   term_active
    term#<site>#<first letter>  <word, 64 chars>\\x01<created key>    1 / 0

A query word is matched as a prefix (`sk begins_with <word>`), as the in-memory filter
matches it; the created key (instant + id, chalicelib.services.zype.lists) orders the
hits newest first without reading the videos."""
from dataclasses import dataclass

from chalicelib.models.zype import QUERY_PAGE, ZypeItem

WORD_CHARS = 64
ID_LENGTH = 24


@dataclass(frozen=True)
class Hit:
    video_id: str
    created_key: str
    active: bool


def _pk(site_id: str, word: str) -> str:
    return f"term#{site_id}#{word[0]}"


def rows(site_id: str, words: set[str], created_key: str, active: bool) -> dict[tuple[str, str], int]:
    return {(_pk(site_id, word), f"{word[:WORD_CHARS]}\x01{created_key}"): int(active) for word in words if word}


def write(before: dict[tuple[str, str], int], after: dict[tuple[str, str], int]) -> None:
    """Rows that left are deleted, rows that came or changed are put (BatchWriteItem)."""
    gone = [key for key in before if key not in after]
    new = [key for key, active in after.items() if before.get(key) != active]
    if not gone and not new:
        return
    with ZypeItem.batch_write() as batch:
        for pk, sk in gone:
            batch.delete(ZypeItem(pk, sk))
        for pk, sk in new:
            batch.save(ZypeItem(pk, sk, term_active=after[(pk, sk)]))


def search(site_id: str, word: str) -> dict[str, Hit]:
    """The videos with a word starting with `word`, by id."""
    found = ZypeItem.query(_pk(site_id, word), ZypeItem.sk.startswith(word[:WORD_CHARS]), page_size=QUERY_PAGE,
                           attributes_to_get=["pk", "sk", "term_active"])
    hits = {}
    for item in found:
        created_key = item.sk.rsplit("\x01", 1)[1]
        hits[created_key[-ID_LENGTH:]] = Hit(created_key[-ID_LENGTH:], created_key, bool(item.term_active))
    return hits
