"""Local-only corrections to moto, applied by the local stack.

moto's TransactWriteItems deep-copies the whole table once per *action* of the
transaction, to roll back on failure. Records are created in transactions (a child and
its holder's counter), so with a few thousand items stored every create would take
seconds, and the cost grows with everything a test session has stored. DynamoDB has no
such cost, so the local stack keeps a copy of only the items the transaction names and
puts those back when it fails; the rollback behaves as before."""
import copy
import threading

_lock = threading.Lock()


def snapshot_touched_items_per_transaction() -> None:
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType

    backend_class = models.DynamoDBBackend
    original = backend_class.transact_write_items
    if getattr(original, "snapshots_items", False):
        return

    class _NoTableCopies:
        """Stands in for the `copy` module inside moto's models during the call: the
        whole-table backups become the tables themselves (the items are saved here)."""

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, models.Table) else copy.deepcopy(value, memo)

    def _touched(self, transact_items) -> list:
        saved = []
        for entry in transact_items:
            _, operation = next(iter(entry.items()))
            table = self.tables.get(operation.get("TableName"))
            key = operation.get("Key") or operation.get("Item") or {}
            if table is None or table.hash_key_attr not in key:
                continue  # moto refuses it below, before writing anything
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            saved.append((table, hash_key, range_key, copy.deepcopy(_item(table, hash_key, range_key))))
        return saved

    def _restore(saved) -> None:
        for table, hash_key, range_key, item in reversed(saved):
            holder = table.items.setdefault(hash_key, {}) if range_key is not None else table.items
            slot = range_key if range_key is not None else hash_key
            if item is None:
                holder.pop(slot, None)
            else:
                holder[slot] = item

    def transact_write_items(self, transact_items):
        # One transaction at a time: the stand-in is module-wide while it runs.
        with _lock:
            saved = _touched(self, transact_items)
            models.copy = _NoTableCopies
            try:
                return original(self, transact_items)
            except Exception:
                _restore(saved)
                raise
            finally:
                models.copy = copy

    transact_write_items.snapshots_items = True
    backend_class.transact_write_items = transact_write_items


def _item(table, hash_key, range_key):
    if range_key is None:
        return table.items.get(hash_key)
    return table.items.get(hash_key, {}).get(range_key)
