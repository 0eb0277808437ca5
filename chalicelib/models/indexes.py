"""Global secondary indexes keyed by two string attributes, the only kind our tables use."""
from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection


def string_index(index_name: str, hash_key: str, range_key: str, keys_only: bool = False) -> GlobalSecondaryIndex:
    """An index instance for a Model's class body; PynamoDB reads its keys from class
    attributes, so the class is made here rather than spelled out once per index."""
    meta = type("Meta", (), {"index_name": index_name,
                             "projection": KeysOnlyProjection() if keys_only else AllProjection()})
    index_class = type(f"Index_{index_name}", (GlobalSecondaryIndex,), {
        "Meta": meta,
        hash_key: UnicodeAttribute(hash_key=True),
        range_key: UnicodeAttribute(range_key=True),
    })
    return index_class()
