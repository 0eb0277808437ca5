"""Playlist share links (Zou's `data/playlists/{id}/share`) and what a guest holding one
may read and write (`shared/playlists/{token}`): links.py for managers, guests.py for
guests, review.py for the review page's files."""
