"""PynamoDB models. Table names come from settings and are bound by `configure()`."""
from chalicelib.config import settings


def configure() -> None:
    from chalicelib.models.records import Holding, Record
    from chalicelib.models.sessions import Attempts
    from chalicelib.models.zype import ZypeItem

    for model, table_name in ((Record, settings().records_table), (Holding, settings().records_table),
                              (Attempts, settings().records_table), (ZypeItem, settings().zype_table)):
        model.Meta.table_name = table_name
        model.Meta.region = settings().region
