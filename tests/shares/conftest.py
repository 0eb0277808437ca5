"""Share-link tests use the playlist tests' small production (tests/playlists/conftest.py)."""
from tests.playlists.conftest import (  # noqa: F401  (fixtures)
    add_preview,
    make_preview,
    new_playlist,
    production,
)
