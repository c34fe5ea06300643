"""Store side of reliability (mixed into :class:`storyline.kb.Store`).

* **Failed documents.** A document the language pipeline could not annotate
  is stored all the same and flagged in ``doc_errors`` with the error code and
  reason. Plain annotation passes (``ingest``) skip flagged documents;
  ``storyline reannotate`` retries them. Saving a document's annotations
  clears its flag in the same transaction.
* **Resolution owed.** ``store_state.resolution_owed`` is a counter raised in
  the same transaction as every save of annotations and cleared after a
  resolution that read the store at that count was saved: a crash between
  annotation and resolution leaves the marker, and the next writing command
  finishes the resolution.
* **Claims.** Two processes annotating one store claim documents first
  (``claims``: owner, time); a document claimed by another live owner is left
  to it, so each document is annotated once. A claim whose owner has died (same
  host, process gone) or is older than ``stale_after`` seconds is taken over.
* **Integrity.** :meth:`integrity_problems` runs SQLite's ``PRAGMA
  integrity_check``.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..model import Document

__all__ = ["Reliability", "RELIABILITY_SCHEMA", "owner_id", "damaged", "is_corruption", "check_file", "QUICK_CHECK_BYTES"]

QUICK_CHECK_BYTES = 64 << 20  # the CLI runs quick_check on opening stores up to this size

RELIABILITY_SCHEMA = (
    "CREATE TABLE doc_errors (doc TEXT PRIMARY KEY, code TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)",
    "CREATE TABLE store_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE claims (doc TEXT PRIMARY KEY, owner TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX claims_owner ON claims(owner)",
)

_OWED = "resolution_owed"
STALE_AFTER = 1800.0  # seconds after which another host's claim is taken over


# owner ids of this process's annotation passes that are still running (see _alive)
_PASSES: set[str] = set()


def owner_id() -> str:
    """A new claim owner for one annotation pass of this process: ``host:pid:nonce``
    (running until :meth:`Reliability.release_claims` ends it)."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    _PASSES.add(owner)
    return owner


def _alive(owner: str, stale: bool) -> bool:
    parts = owner.rsplit(":", 2)
    host, pid = (parts[0], parts[1]) if len(parts) == 3 else ("", "")
    if host != socket.gethostname() or not pid.isdigit():
        return not stale
    if int(pid) == os.getpid():
        # a pass of this very process: alive while it runs; one that ended without releasing its
        # claims (the connection to the store was lost) is over, and a retry here takes them over
        return owner in _PASSES
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_corruption(exc: BaseException) -> bool:
    """Whether SQLite reports ``exc`` as a damaged database (SQLITE_CORRUPT), not a lock, a
    full disk or a file that is no database at all."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_CORRUPT
    return isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc)


def damaged(exc: BaseException | str, path: str | None = None) -> StoreError:
    """A StoreError E303 for a database that SQLite reports as corrupt or not a database."""
    where = f" {path}" if path else ""
    said = " ".join(str(exc).replace("*** in database main ***", "").split())
    return StoreError(
        f"the store{where} is damaged ({said}); run `storyline check` for details, then restore it from a "
        "backup or ingest the sources again into a new store",
        code="E303",
        path=path,
    )


class Reliability:
    """Failure flags, the resolution-owed marker, work claims and the integrity check."""

    if TYPE_CHECKING:  # provided by storyline.kb.store.Store
        _conn: Any

        def _tx(self) -> AbstractContextManager[Any]: ...
        def document(self, id_or_prefix: str) -> Any: ...

    # ------------------------------------------------------------ hooks

    def _annotations_saved(self, conn, doc: str) -> None:
        """Called inside the transaction that saves ``doc``'s annotations."""
        conn.execute("DELETE FROM doc_errors WHERE doc = ?", (doc,))
        conn.execute("DELETE FROM claims WHERE doc = ?", (doc,))
        conn.execute("INSERT OR IGNORE INTO store_state (key, value) VALUES (?, 0)", (_OWED,))
        conn.execute("UPDATE store_state SET value = value + 1 WHERE key = ?", (_OWED,))

    # ------------------------------------------------------------ failures

    def flag_failure(self, doc: str, code: str, reason: str) -> None:
        """Record that ``doc`` could not be annotated (the document stays stored)."""
        with self._tx() as conn:
            self._flag(conn, doc, code, reason)

    def _flag(self, conn, doc: str, code: str, reason: str) -> None:
        """:meth:`flag_failure` inside the caller's transaction."""
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        conn.execute("DELETE FROM doc_errors WHERE doc = ?", (doc,))
        conn.execute("INSERT INTO doc_errors (doc, code, reason, at) VALUES (?, ?, ?, ?)", (doc, code, reason, at))
        conn.execute("DELETE FROM claims WHERE doc = ?", (doc,))

    def failures(self) -> list[dict]:
        """Flagged documents: doc, source, code, reason, at (storage order)."""
        rows = self._conn.execute(
            """SELECT f.doc, d.source, f.code, f.reason, f.at FROM doc_errors f
               JOIN documents d ON d.id = f.doc ORDER BY d.rowid"""
        )
        return [{"doc": r[0], "source": r[1], "code": r[2], "reason": r[3], "at": r[4]} for r in rows]

    def failed_documents(self) -> Iterator[Document]:
        """The flagged documents themselves, one at a time (for a retry)."""
        for f in self.failures():
            yield self.document(f["doc"]).document

    # ------------------------------------------------------------ resolution owed

    def resolution_owed(self) -> int | None:
        """The owed-marker's count when a resolution is owed, else None."""
        row = self._conn.execute("SELECT value FROM store_state WHERE key = ?", (_OWED,)).fetchone()
        return None if row is None else row[0]

    def resolution_done(self, owed: int | None) -> None:
        """Clear the marker if nothing was annotated since it read ``owed`` (else a resolve stays owed)."""
        if owed is None:
            return
        with self._tx() as conn:
            conn.execute("DELETE FROM store_state WHERE key = ? AND value = ?", (_OWED, owed))

    # ------------------------------------------------------------ claims

    def claim(self, docs: Sequence[str], owner: str, *, retry_failed: bool = False, stale_after: float = STALE_AFTER) -> list[str]:
        """Claim the ``docs`` that still need annotation and no live owner holds; returns
        those now held by ``owner`` (in the order given)."""
        if not docs:
            return []
        now = time.time()
        got = []
        with self._tx() as conn:
            for doc in docs:
                if conn.execute("SELECT 1 FROM annotated WHERE doc = ?", (doc,)).fetchone() and not retry_failed:
                    continue
                if not retry_failed and conn.execute("SELECT 1 FROM doc_errors WHERE doc = ?", (doc,)).fetchone():
                    continue
                row = conn.execute("SELECT owner, at FROM claims WHERE doc = ?", (doc,)).fetchone()
                if row is not None and row[0] != owner and _alive(row[0], now - row[1] > stale_after):
                    continue
                conn.execute("DELETE FROM claims WHERE doc = ?", (doc,))
                conn.execute("INSERT INTO claims (doc, owner, at) VALUES (?, ?, ?)", (doc, owner, now))
                got.append(doc)
        return got

    def release_claims(self, owner: str) -> None:
        _PASSES.discard(owner)  # first: the pass is over even if the store cannot be reached now
        with self._tx() as conn:
            conn.execute("DELETE FROM claims WHERE owner = ?", (owner,))

    # ------------------------------------------------------------ integrity

    def integrity_problems(self, limit: int = 100, *, quick: bool = False) -> list[str]:
        """SQLite's integrity check (``quick_check`` when ``quick``): an empty list when the store is sound."""
        return _check(self._conn, limit, quick)


def _check(conn, limit: int, quick: bool) -> list[str]:
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({int(limit)})")]
    except sqlite3.DatabaseError as exc:  # a raw connection (check_file)
        return [str(exc)]
    except StoreError as exc:  # the store's adapter: the driver error, coded
        return [str(exc.__cause__ or exc.reason)]
    return [] if rows == ["ok"] else rows


def check_file(path: str, limit: int = 100) -> list[str]:
    """SQLite's integrity check on the store file at ``path``, read-only (works when the
    store is too damaged to open as a store); an empty list when it is sound."""
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        return [f"no store at {path}"]
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return _check(conn, limit, quick=False)
    finally:
        conn.close()
