"""docs/permissions.md is generated from the matrix: it must say what the table says."""
from tests.permissions import document


def test_the_committed_permissions_document_matches_the_matrix():
    assert document.DOC.read_text(encoding="utf-8") == document.render(), \
        "docs/permissions.md is stale: run .venv/bin/python -m tests.permissions.document"
