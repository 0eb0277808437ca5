"""Local-only corrections to moto, applied by the local stack.

moto's TransactWriteItems deep-copies the whole table once per *action* of the
transaction, to roll back on failure. On a table of a few thousand items a 60-action
transaction (adding videos to a playlist) then takes seconds, and the cost grows with
everything a test session has stored. DynamoDB has no such cost, so the local stack
copies each table once per transaction instead; the rollback behaves as before."""
import copy
import threading

_lock = threading.Lock()


def snapshot_tables_once_per_transaction() -> None:
    from moto.dynamodb import models

    backend_class = models.DynamoDBBackend
    original = backend_class.transact_write_items
    if getattr(original, "snapshots_once", False):
        return

    def transact_write_items(self, transact_items):
        snapshots: dict[int, object] = {}
        tables = {id(table) for table in self.tables.values()}

        class _SnapshotOnce:
            """Stands in for the `copy` module inside moto's models during the call."""

            @staticmethod
            def deepcopy(value, memo=None):
                if id(value) not in tables:
                    return copy.deepcopy(value, memo)
                if id(value) not in snapshots:
                    snapshots[id(value)] = copy.deepcopy(value)
                return snapshots[id(value)]

        # One transaction at a time: the stand-in is module-wide while it runs.
        with _lock:
            models.copy = _SnapshotOnce
            try:
                return original(self, transact_items)
            finally:
                models.copy = copy

    transact_write_items.snapshots_once = True
    backend_class.transact_write_items = transact_write_items
