"""The knowledge base: the only code that speaks SQL (SQLite by default, PostgreSQL for shared stores).

Modules: ``store`` (the store, the same on every backend), ``sqlite`` and
``postgres`` (each a dialect and a connection adapter that turns driver errors
into coded store errors), ``migrations`` (one runner for both), ``queries``,
``parts``, ``reliability`` and ``writes`` (mixed into the store), ``codec``. Nothing
outside ``kb`` opens a database or imports a driver: everything goes through
:func:`open_store`.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from .postgres import is_server_url
from .queries import normalize_name
from .store import SearchHit, Store, effective_published

__all__ = ["open_store", "Store", "SearchHit", "effective_published", "normalize_name", "is_server_url"]

def open_store(path: str | Path = "storyline.db", settings: Settings | None = None, *, readonly: bool = False) -> Store:
    """Open a store: a SQLite file (``":memory:"`` for tests) or a ``postgresql://`` URL.

    Writable (the default): created if needed and migrated; another
    application's database is refused untouched (StoreError E300). ``readonly``
    (the web app): nothing is changed, writes are refused, and a store that does
    not exist or is not fully migrated is E300. E301 when a newer storyline
    wrote the store, E303 when SQLite reports it damaged, E310-E312 when a
    server cannot be reached, refuses the credentials or lacks the database.
    ``settings`` (the near-duplicate threshold) apply to what the store decides.
    """
    name = str(path)
    if is_server_url(name):  # a shared store on a PostgreSQL server
        from .postgres import open_postgres

        return open_postgres(name, settings, readonly=readonly)
    from .sqlite import open_sqlite

    return open_sqlite(name, settings, readonly=readonly)
