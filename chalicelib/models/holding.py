"""What holds what: a record created `held_by` another counts in that one's `children`
(models/records.py keeps the counters right on create, move and delete). A forced delete
marks the record it removes as `deleting` first, so that nothing can be added to it
while its children are being removed."""
from pynamodb.exceptions import UpdateError

from chalicelib.models.records import Holding, conditional_failure, get_record, now_iso


def mark_deleting(record_id: str) -> int | None:
    """Start a forced delete: from now on nothing can be added to the record (see
    records.create). Returns how many records it holds now, or None if it is gone."""
    holding = Holding(id=record_id)
    try:
        holding.update(actions=[Holding.deleting.set(now_iso())], condition=Holding.id.exists())
    except UpdateError as error:
        if conditional_failure(error):
            return None
        raise
    return int(holding.children or 0)


def unmark_deleting(record_id: str) -> None:
    try:
        Holding(id=record_id).update(actions=[Holding.deleting.remove()], condition=Holding.id.exists())
    except UpdateError as error:
        if not conditional_failure(error):
            raise


def children_count(record_id: str) -> int:
    """How many records belong to this one now (a consistent read)."""
    record = get_record(record_id, consistent=True)
    return int(record.children or 0) if record else 0


def children_counts(record_ids) -> dict[str, int]:
    """How many records each of these holds now (consistent reads, 100 a call)."""
    wanted = list(dict.fromkeys(record_ids))
    if not wanted:
        return {}
    return {holding.id: int(holding.children or 0) for holding in Holding.batch_get(wanted, consistent_read=True)}
