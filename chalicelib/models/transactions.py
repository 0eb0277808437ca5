"""Transactions of the records table, run the same way everywhere."""
import functools
import random
import time

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.config import settings
from chalicelib.errors import Conflict

_BACKOFF_SECONDS = 0.005


def run(stage, attempts: int = 6) -> str | None:
    """Run the transaction `stage(transaction)` adds its actions to; returns the key (`id`)
    of the item whose condition failed, or None when it was written. DynamoDB cancels a
    transaction touching an item another one is writing (TransactionConflict): those are
    tried again."""
    for attempt in range(attempts):
        if attempt:
            time.sleep(random.uniform(0, _BACKOFF_SECONDS * 2 ** attempt))
        transaction = TransactWrite(connection=_connection(settings().region))
        try:
            with transaction:
                stage(transaction)
            return None
        except TransactWriteError as error:
            codes = [getattr(reason, "code", None) for reason in error.cancellation_reasons or []]
            if "ConditionalCheckFailed" in codes:
                return _item_ids(transaction)[codes.index("ConditionalCheckFailed")]
            if "TransactionConflict" not in codes:
                raise
    raise Conflict("The records are being changed by other requests; try again")


def _item_ids(transaction: TransactWrite) -> list[str]:
    # The reasons follow the order PynamoDB sends the actions in, whatever the order they
    # were added in: condition checks, deletes, puts, then updates.
    sent = [*transaction._condition_check_items, *transaction._delete_items, *transaction._put_items,
            *transaction._update_items]
    return [(action.get("Key") or action.get("Item"))["id"]["S"] for action in sent]


@functools.lru_cache(maxsize=2)
def _connection(region: str) -> Connection:
    # Transactions run on a Connection of their own; its botocore client is built once.
    return Connection(region=region)
