"""PynamoDB models. Table names come from settings and are bound by `configure()`."""
from chalicelib.config import settings


def configure() -> None:
    from chalicelib.models.records import Record

    Record.Meta.table_name = settings().records_table
    Record.Meta.region = settings().region
