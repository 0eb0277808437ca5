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


def copy_parts_without_whole_reads() -> None:
    """moto 5.2.5's UploadPartCopy reads the whole source object for each part (then slices
    it), and CompleteMultipartUpload holds the object three times over (the parts joined,
    a second join for its checksum, a copy of each). S3 copies parts server-side, so a
    build's join would cost the local stack several passes over the whole movie that it
    costs no Lambda. Here a copied part reads only its range, and completing reads each
    part once and checksums it as it goes (the same CRC and ETag as before)."""
    import binascii

    from moto.core.compat import HAS_CRT
    from moto.s3 import models

    if getattr(models.FakeMultipart.complete, "reads_parts_once", False):
        return
    original_complete = models.FakeMultipart.complete

    def upload_part_copy(self, dest_bucket_name, multipart_id, part_id, src_bucket_name, src_key_name,
                         src_version_id, start_byte, end_byte):
        multipart = self.get_bucket(dest_bucket_name).multiparts[multipart_id]
        source = self.get_object(src_bucket_name, src_key_name, version_id=src_version_id)
        if start_byte is None:
            return multipart.set_part(part_id, source.value)
        with source.lock:
            source._value_buffer.seek(start_byte)
            value = source._value_buffer.read(end_byte + 1 - start_byte)
        return multipart.set_part(part_id, value)

    def complete(self, body):
        algorithm = self.metadata.get("x-amz-checksum-algorithm")
        if algorithm or self.metadata.get("x-amz-checksum-type") or HAS_CRT:
            return original_complete(self, body)  # other checksums: moto's own way
        total, md5s, crc, count, last = bytearray(), bytearray(), 0, 0, None
        for number, etag in body:
            part = self.parts.get(number)
            if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
                raise models.InvalidPart()
            if last is not None and last.contentsize < models.S3_UPLOAD_PART_MIN_SIZE:
                raise models.EntityTooSmall()
            value = part.value
            md5s.extend(bytes.fromhex(part.etag.replace('"', "")))
            total.extend(value)
            # Without awscrt moto's CRC64NVME is a CRC32 of the whole object: the same, in steps.
            crc = binascii.crc32(value, crc)
            last, count = part, count + 1
        if count == 0:
            raise models.MalformedXML()
        checksum = models.base64.b64encode(crc.to_bytes(4, "big")).decode()
        return total, f"{models.md5_hash(bytes(md5s)).hexdigest()}-{count}", ("FULL_OBJECT", checksum, 1)

    complete.reads_parts_once = True
    models.FakeMultipart.complete = complete
    models.S3Backend.upload_part_copy = upload_part_copy
