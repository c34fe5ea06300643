"""The SQLite backend: the store on one SQLite file (WAL), FTS5 for search.

:class:`SqliteConnection` is the adapter the store talks to (``execute``,
``executemany``, ``rollback``, ``close``, as :class:`~.postgres.PgConnection`
on PostgreSQL). It maps every ``sqlite3`` error, including one met while
reading the rows of a result, to a coded :class:`StoreError`: E303 when SQLite
reports the file as damaged, E304 when a constraint refused the data written
(one document's inconsistent annotations: the runners flag that document and
go on), E300 for the rest. Nothing outside ``kb`` imports ``sqlite3``.

:func:`open_sqlite` opens and migrates a store, or (``readonly``) opens the
file with SQLite's ``mode=ro`` and only checks that it is a fully migrated
storyline store (the web app's stores: a bug in a page cannot change one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..config import Settings
from ..errors import StoreError
from ..model import Document
from .migrations import SQLITE, check_migrated, migrate, refuse_foreign
from .reliability import damaged, is_corruption
from .store import SQL_INT, SearchHit, Store, fts_query, scrub, scrub_rows

__all__ = ["SqliteStore", "SqliteConnection", "open_sqlite", "driver_error", "PAGE_SIZE"]

# bytes a page of a new store: four times SQLite's default. The resolution's events and the documents are
# rows of a kilobyte and more; on the 772 ECB+ articles (min of 2, alternating) storing the documents took
# 0.53 -> 0.49 CPU s, their annotations 0.76 -> 0.65, saving the resolution 1.09 -> 0.97 (min of 5)
PAGE_SIZE = 16384


def driver_error(exc: sqlite3.Error, path: str | None = None) -> StoreError:
    """The coded StoreError for a ``sqlite3`` error (see the module docstring)."""
    if is_corruption(exc):
        return damaged(exc, path)
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreError(f"the store refused inconsistent data (rolled back): {exc}", code="E304", path=path)
    if "readonly" in str(exc) or "read-only" in str(exc):
        return StoreError(f"the store is open read-only: {exc}", code="E300", path=path)
    return StoreError(f"store error: {exc}", code="E300", path=path)


class _Rows:
    """A result of :meth:`SqliteConnection.execute`: iterable, ``fetchone``/``fetchall``, ``lastrowid``;
    an error met while stepping through the rows is the coded StoreError too."""

    __slots__ = ("_cur", "_path")

    def __init__(self, cur: sqlite3.Cursor, path: str | None):
        self._cur = cur
        self._path = path

    @property
    def lastrowid(self):
        return self._cur.lastrowid

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self):
        return self._cur.description

    def fetchone(self):
        try:
            return self._cur.fetchone()
        except sqlite3.Error as exc:
            raise driver_error(exc, self._path) from exc

    def fetchall(self) -> list:
        try:
            return self._cur.fetchall()
        except sqlite3.Error as exc:
            raise driver_error(exc, self._path) from exc

    def fetchmany(self, size: int = 1) -> list:
        try:
            return self._cur.fetchmany(size)
        except sqlite3.Error as exc:
            raise driver_error(exc, self._path) from exc

    def __iter__(self) -> Iterator:
        cur = self._cur
        while True:
            try:
                rows = cur.fetchmany(256)
            except sqlite3.Error as exc:
                raise driver_error(exc, self._path) from exc
            if not rows:
                return
            yield from rows


class SqliteConnection:
    """The slice of a connection the store uses, over one autocommit ``sqlite3`` connection."""

    def __init__(self, raw: sqlite3.Connection, path: str | None = None):
        self._raw = raw
        self.path = path

    def execute(self, sql: str, params: Sequence = ()) -> _Rows:
        try:
            return _Rows(self._raw.execute(sql, scrub(params)), self.path)
        except sqlite3.Error as exc:
            raise driver_error(exc, self.path) from exc

    def executemany(self, sql: str, seq: Iterable[Sequence], text: Sequence[int] | None = None) -> None:
        """``sql`` once for each row of ``seq``; ``text``: the only positions that can hold a NUL (:func:`scrub_rows`)."""
        rows = (scrub(p) for p in seq) if text is None else scrub_rows(list(seq), text)
        try:
            self._raw.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise driver_error(exc, self.path) from exc

    def rollback(self) -> None:
        """End the open transaction, if any (after an error SQLite may have ended it already)."""
        try:
            if self._raw.in_transaction:
                self._raw.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self._raw.close()


class SqliteStore(Store):
    """A storyline knowledge base in one SQLite file (use :func:`storyline.kb.open_store`)."""

    def address(self) -> str | None:
        """The file (None in memory, or a temporary store: ``""``)."""
        return None if self.path in ("", ":memory:") or self.path.startswith("file::memory:") else self.path

    def _index_text(self, conn, rowid: int | None, doc: Document) -> None:
        # from the stored row: a 50 MB text is not converted and bound a second time
        conn.execute("INSERT INTO doc_fts (rowid, title, text) SELECT rowid, title, text FROM documents WHERE rowid = ?",
                     (rowid,))

    def _index_texts(self, conn, after: int, docs: Sequence[Document]) -> None:
        # one statement for the batch (one a document cost FTS5 three times the CPU: 0.16 against
        # 0.05 s on the 772 ECB+ articles)
        if docs:
            conn.execute("INSERT INTO doc_fts (rowid, title, text) SELECT rowid, title, text FROM documents WHERE rowid > ?",
                         (after,))

    @contextmanager
    def _indexes_made_after(self, conn, tables: Sequence[str]) -> Iterator[None]:
        """The indexes of ``tables`` (their own, not their keys') dropped while the tables are filled
        and made again from their definitions after: CREATE INDEX sorts the keys once where each row
        put its key in place in turn (saving the 772 ECB+ articles' resolution: 0.38 -> 0.34 CPU s of
        SQL). A failure rolls the transaction back, the indexes with it."""
        made = conn.execute(
            f"""SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                AND tbl_name IN ({','.join('?' * len(tables))}) ORDER BY name""", tuple(tables)).fetchall()
        for name, _ in made:
            conn.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in made:
            conn.execute(sql)

    def search(self, query: str, limit: int = 20, offset: int = 0, docs: Sequence[str] | None = None) -> list[SearchHit]:
        """Full-text search (FTS5, bm25 order) with a snippet around the matches; ``offset`` skips hits;
        ``docs`` keeps hits in these documents only."""
        q = fts_query(query)
        if not q:
            return []
        only, params = "", []
        if docs is not None:
            only = f" AND doc_fts.rowid IN (SELECT rowid FROM documents WHERE id IN ({','.join('?' * len(docs))}))"
            params = list(docs)
        rows = self._conn.execute(
            f"""SELECT d.id, d.title, snippet(doc_fts, 1, '[', ']', '…', 16) AS snip, bm25(doc_fts) AS rank
               FROM doc_fts JOIN documents d ON d.rowid = doc_fts.rowid
               WHERE doc_fts MATCH ?{only} ORDER BY rank LIMIT ? OFFSET ?""",
            (q, *params, max(1, min(int(limit), SQL_INT)), max(0, min(int(offset), SQL_INT))),
        ).fetchall()
        return [SearchHit(r["id"], r["title"], r["snip"], r["rank"]) for r in rows]

    def search_ids(self, query: str, limit: int = 1000, ranked: bool = True) -> list[str]:
        """The documents of the first ``limit`` hits of :meth:`search`, best first, without snippets
        (``ranked=False``: any ``limit`` hits in no order, without ranking every match)."""
        q = fts_query(query)
        if not q:
            return []
        order = " ORDER BY bm25(doc_fts)" if ranked else ""
        rows = self._conn.execute(
            f"""SELECT d.id FROM doc_fts JOIN documents d ON d.rowid = doc_fts.rowid
               WHERE doc_fts MATCH ?{order} LIMIT ?""", (q, max(1, min(int(limit), SQL_INT))))
        return [r[0] for r in rows]

    def search_count(self, query: str, cap: int = 1001) -> int:
        """How many documents :meth:`search` finds, counted up to ``cap``."""
        q = fts_query(query)
        if not q:
            return 0
        row = self._conn.execute("SELECT count(*) FROM (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? LIMIT ?)",
                                 (q, max(0, min(int(cap), SQL_INT)))).fetchone()
        return int(row[0])

    @contextmanager
    def forking(self) -> Iterator[None]:
        """SQLite keeps what a process knows of a file's locks in the process, shared by its
        connections: a child forked while this process has the file open would inherit that
        knowledge without the locks, and a connection it opened would skip taking them
        (sqlite.org/howtocorrupt.html, 2.6). The connection is closed for the fork and opened
        again after it (this process's other connections to the file must be closed too)."""
        self._conn.close()
        try:
            yield
        finally:
            self._conn = open_sqlite(self.path, self.settings)._conn

    def _table_names(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def dump(self) -> dict[str, list[tuple]]:
        """:meth:`Store.dump`, with the full-text index as what it holds (each term's document, column
        and offset) instead of FTS5's segments, whose layout depends on how many rows each write held."""
        out = super().dump()
        del out["doc_fts_data"], out["doc_fts_idx"]
        self._conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.doc_fts_terms USING fts5vocab(main, doc_fts, instance)")
        out["doc_fts_terms"] = [tuple(r) for r in self._conn.execute("SELECT * FROM temp.doc_fts_terms ORDER BY term, doc, col, offset")]
        return out


def open_sqlite(path: str | Path, settings: Settings | None = None, *, readonly: bool = False) -> SqliteStore:
    """Open (creating if needed) and migrate the store at ``path`` (``":memory:"`` for tests); or,
    ``readonly``, open an existing store read-only without changing it.

    StoreError E300 when the file cannot be opened as a store (another
    application's database is refused untouched), E301 when it was written by a
    newer storyline, E303 when SQLite reports it damaged; read-only, E300 too
    when it does not exist or needs migrating.
    """
    name = str(path)
    if readonly:
        p = Path(name)
        if not p.is_file():
            raise StoreError(f"no store at {name}", code="E300", path=name)
        target, uri = f"{p.resolve().as_uri()}?mode=ro", True
    else:
        target, uri = name, False
    try:
        raw = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {name}: {exc}", code="E300", path=name) from exc
    raw.row_factory = sqlite3.Row
    conn = SqliteConnection(raw, name)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        if readonly:
            check_migrated(conn, name)
        else:
            refuse_foreign(conn, SQLITE, name)  # before WAL mode, which would rewrite another application's file
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new store's (an existing one keeps its own)
            if name != ":memory:" and not name.startswith("file::memory:"):
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, dialect=SQLITE, path=name)
    except StoreError as exc:
        conn.close()
        if exc.code == "E300" and exc.reason.startswith("store error: "):
            raise StoreError(f"cannot open store {name}: {exc.reason[13:]}", code="E300", path=name) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return SqliteStore(conn, name, settings, readonly=readonly)
