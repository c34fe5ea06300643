"""The knowledge base: the only code that speaks SQL (SQLite, WAL)."""

from __future__ import annotations

from .queries import normalize_name
from .sqlite import SearchHit, Store, effective_published, open_store

__all__ = ["open_store", "Store", "SearchHit", "effective_published", "normalize_name"]
