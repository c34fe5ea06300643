"""The PostgreSQL backend: the same store, migrations and queries over psycopg 3.

A backend is a dialect, not a fork. :class:`PostgresStore` is the SQLite
:class:`~storyline.kb.sqlite.Store` on a :class:`PgConnection`, an adapter
with the three methods the store calls (``execute``, ``executemany``,
``close``) that rewrites each statement once into PostgreSQL's dialect
(:func:`translate`): ``?`` placeholders become ``%s``, ``INSERT OR IGNORE`` /
``INSERT OR REPLACE`` become ``ON CONFLICT`` clauses (the conflict target read
from the table's primary key), the column ``end`` is quoted, ``LIMIT -1``
means no limit. The shipped migrations run through :func:`ddl`, which maps
the SQLite column types (text columns get the byte-order ``"C"`` collation, so
every ``ORDER BY`` sorts as SQLite sorts) and replaces the FTS5 table by a
``tsvector`` table with a GIN index: search is PostgreSQL's own
(``plainto_tsquery``, ``ts_rank``, ``ts_headline``) over accent-folded text.

Concurrency: every write transaction takes one transaction-level advisory
lock first, so writers are serialised exactly as SQLite's ``BEGIN
IMMEDIATE`` serialises them (two ingests never both store one document or
both claim the earliest near-duplicate); readers never wait. Resolution runs
under a session-level advisory lock (:meth:`PostgresStore.resolving`), so the
last resolve to finish has read every annotation saved before it.

Errors: psycopg errors become :class:`StoreError` with a stable code: E310
server unreachable, E311 credentials refused, E312 no such database, E313
connection lost mid-run (a re-run finishes the work: documents and each
document's annotations are separate transactions), E304 a constraint refused
the data written (one document's failure, as on SQLite), E300 anything else.
Text parameters holding NUL, which PostgreSQL's text cannot store, are stored
with U+FFFD as on SQLite (:func:`storyline.kb.store.scrub`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from ..config import Settings
from ..errors import ConfigError, StoreError
from .migrations import MIGRATIONS, Dialect, Migration, check_migrated, migrate
from .store import SQL_INT, SearchHit, Store, fts_query, scrub, scrub_rows

__all__ = ["PostgresStore", "PgConnection", "open_postgres", "is_server_url", "translate", "ddl", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'storyline[postgres]'"
SCHEMES = ("postgresql://", "postgres://")
_WRITE_LOCK = 0x73746F72  # pg_advisory_xact_lock key held by every write transaction
_RESOLVE_LOCK = 0x7265736F  # pg_advisory_lock key held while one process resolves
_LEDGER = """CREATE TABLE IF NOT EXISTS migrations (
    rowid BIGSERIAL PRIMARY KEY, name TEXT COLLATE "C" NOT NULL UNIQUE, applied_at TEXT NOT NULL)"""
_FTS_CONFIG = "simple"  # no stemming, like FTS5's unicode61 tokenizer


def is_server_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL database (``postgresql://...``) rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(SCHEMES)


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://(unparseable)"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise ConfigError(f"a postgresql:// store needs psycopg: {INSTALL_HINT}", code="E401") from None
    return psycopg


# ---------------------------------------------------------------- dialect

_END = re.compile(r'(?<![\w".])end(?![\w"])')
_LIMIT_PARAM = re.compile(r"\bLIMIT \?", re.I)
_LIMIT_ALL = re.compile(r"\bLIMIT -1\b", re.I)
_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\s", re.I)
_REPLACE = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I)


def translate(sql: str, primary_key=None) -> str:
    """One SQLite statement in PostgreSQL's dialect (``primary_key(table)`` for INSERT OR REPLACE)."""
    out = _END.sub('"end"', sql)
    out = _LIMIT_ALL.sub("LIMIT ALL", out)
    out = _LIMIT_PARAM.sub("LIMIT NULLIF(?::bigint, -1)", out)
    if _IGNORE.match(out):
        out = _IGNORE.sub("INSERT INTO ", out, count=1).rstrip() + " ON CONFLICT DO NOTHING"
    elif m := _REPLACE.match(out):
        table = m.group(1)
        cols = [c.strip().strip('"') for c in m.group(2).split(",")]
        key = list(primary_key(table)) if primary_key else []
        if not key:
            raise StoreError(f"INSERT OR REPLACE into {table} needs a primary key", code="E300")
        rest = [c for c in cols if c not in key]
        target = ", ".join(f'"{c}"' for c in key)
        action = ("DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in rest)) if rest else "DO NOTHING"
        out = re.sub(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO", "INSERT INTO", out, count=1, flags=re.I)
        out = out.rstrip() + f" ON CONFLICT ({target}) {action}"
    return out.replace("%", "%%").replace("?", "%s")


_JSON_FIELD = re.compile(r"json_extract\((\w+), '\$\.(\w+)'\)")  # SQLite's json_extract(col, '$.key')
_VIRTUAL = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5", re.I)


def ddl(statement: str) -> list[str]:
    """A migration statement written for SQLite as PostgreSQL statements (still with ``?``)."""
    if m := _VIRTUAL.match(statement):
        name = m.group(1)
        return [
            f"CREATE TABLE {name} (rowid BIGINT PRIMARY KEY, fts tsvector NOT NULL)",
            f"CREATE INDEX {name}_gin ON {name} USING gin (fts)",
        ]
    s = _JSON_FIELD.sub(r"(\1::json ->> '\2')", statement)
    s = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGSERIAL PRIMARY KEY", s)
    s = re.sub(r"\)\s*WITHOUT ROWID\s*$", ")", s)
    s = re.sub(r"\bREAL\b", "DOUBLE PRECISION", s)
    s = re.sub(r"\bINTEGER\b", "BIGINT", s)
    s = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', s)
    return [s]


def fold(text: str | None) -> str:
    """Text as the search index sees it: printable, accents removed (FTS5's remove_diacritics)."""
    if not text:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# ---------------------------------------------------------------- connection


class Row:
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence):
        self._names = names
        self._values = tuple(values)

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._names)

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return repr(self._values)


def _row_factory(cursor):
    desc = cursor.description
    if desc is None:
        return tuple
    names = {c.name: i for i, c in enumerate(desc)}
    return lambda values: Row(names, values)


def _lost(raw, exc) -> bool:
    state = getattr(exc, "sqlstate", None) or ""
    return bool(raw.closed or raw.broken or state.startswith(("08", "57P")))


class PgConnection:
    """The slice of ``sqlite3.Connection`` the store uses, over one autocommit psycopg connection."""

    def __init__(self, raw, name: str):
        self._raw = raw
        self.name = name
        self._keys: dict[str, tuple[str, ...]] = {}
        self._sql: dict[str, str] = {}

    def _translate(self, sql: str) -> str:
        out = self._sql.get(sql)
        if out is None:
            if len(self._sql) >= 4096:  # statements with IN (?, ?, ...) lists come in many lengths
                self._sql.clear()
            out = self._sql[sql] = translate(sql, self._primary_key)
        return out

    def _primary_key(self, table: str) -> tuple[str, ...]:
        if table not in self._keys:
            rows = self._run(
                """SELECT a.attname FROM pg_index i JOIN pg_attribute a
                   ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                   WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum""",
                (table,),
            ).fetchall()
            self._keys[table] = tuple(r[0] for r in rows)
        return self._keys[table]

    def _error(self, exc) -> StoreError:
        if _lost(self._raw, exc):
            return StoreError(
                f"connection to {self.name} was lost: {str(exc).strip()}; re-run to finish the work",
                code="E313", path=self.name,
            )
        if (getattr(exc, "sqlstate", None) or "").startswith("23"):  # integrity constraint violation
            return StoreError(f"the store refused inconsistent data (rolled back): {str(exc).strip()}",
                              code="E304", path=self.name)
        return StoreError(f"store statement failed and was rolled back: {str(exc).strip()}", code="E300", path=self.name)

    def _run(self, sql: str, params: Sequence = ()):
        psycopg = _psycopg()
        try:
            return self._raw.execute(sql, tuple(params))
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def execute(self, sql: str, params: Sequence = ()):
        head = sql.lstrip()[:16].upper()
        if head.startswith("BEGIN"):  # BEGIN IMMEDIATE: one writer at a time, as in SQLite
            self._run("BEGIN")
            return self._run("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
        if head.startswith("ROLLBACK") and not head.startswith("ROLLBACK TO"):  # a savepoint's goes through
            self.rollback()
            return None
        if head.startswith("PRAGMA"):
            raise StoreError(f"not a PostgreSQL statement: {sql.strip()[:60]}", code="E300")
        return self._run(self._translate(sql), scrub(params))

    def rollback(self) -> None:
        """End the open transaction, if any (a lost connection has nothing left to roll back)."""
        try:
            self._raw.execute("ROLLBACK")
        except _psycopg().Error:
            pass

    def executemany(self, sql: str, seq: Iterable[Sequence], text: Sequence[int] | None = None):
        """``sql`` once for each row of ``seq``; ``text``: the only positions that can hold a NUL (:func:`scrub_rows`)."""
        rows = [scrub(tuple(r)) for r in seq] if text is None else scrub_rows([tuple(r) for r in seq], text)
        if not rows:
            return None
        psycopg = _psycopg()
        try:
            with self._raw.cursor() as cur:
                cur.executemany(self._translate(sql), rows)
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        return None

    def close(self) -> None:
        self._raw.close()


# ---------------------------------------------------------------- store


class PostgresStore(Store):
    """A storyline knowledge base in a PostgreSQL database (use :func:`open_postgres`)."""

    _url = ""  # what it was opened with (its path names it without the password)

    def address(self) -> str | None:
        return self._url or None

    def _index_text(self, conn, rowid, doc) -> None:
        text = fold(doc.title) + "\n" + fold(doc.text)
        conn.execute(
            f"INSERT INTO doc_fts (rowid, fts) SELECT rowid, to_tsvector('{_FTS_CONFIG}', ?) FROM documents WHERE id = ?",
            (text, doc.id),
        )

    def search(self, query: str, limit: int = 20, offset: int = 0, docs: Sequence[str] | None = None) -> list[SearchHit]:
        """Full-text search (tsvector, ts_rank order) with a snippet around the matches; ``docs``
        keeps hits in these documents only."""
        q = self._search_terms(query)
        if not q:
            return []
        cfg = _FTS_CONFIG
        only, params = "", []
        if docs is not None:
            only = f" AND f.rowid IN (SELECT rowid FROM documents WHERE id IN ({','.join('?' * len(docs))}))"
            params = list(docs)
        rows = self._conn.execute(
            f"""SELECT d.id, d.title, h.rank,
                  ts_headline('{cfg}', d.text, plainto_tsquery('{cfg}', ?),
                    'StartSel=[, StopSel=], MaxWords=24, MinWords=8, ShortWord=1, MaxFragments=1, FragmentDelimiter=…')
                    AS snip
                FROM (SELECT f.rowid, ts_rank(f.fts, plainto_tsquery('{cfg}', ?)) AS rank FROM doc_fts f
                      WHERE f.fts @@ plainto_tsquery('{cfg}', ?){only} ORDER BY rank DESC, f.rowid LIMIT ? OFFSET ?) h
                JOIN documents d ON d.rowid = h.rowid ORDER BY h.rank DESC, h.rowid""",
            (q, q, q, *params, max(1, min(int(limit), SQL_INT)), max(0, min(int(offset), SQL_INT))),
        ).fetchall()
        return [SearchHit(r["id"], r["title"], r["snip"], -float(r["rank"])) for r in rows]

    def _search_terms(self, query: str) -> str:
        if not fts_query(query):  # the same caps (E402) and the same notion of a term as SQLite
            return ""
        return " ".join(t for t in fold(query).split() if any(ch.isalnum() for ch in t))

    def search_ids(self, query: str, limit: int = 1000, ranked: bool = True) -> list[str]:
        """The documents of the first ``limit`` hits of :meth:`search`, best first, without snippets
        (``ranked=False``: any ``limit`` hits in no order, without ranking every match)."""
        q = self._search_terms(query)
        if not q:
            return []
        cfg = _FTS_CONFIG
        if not ranked:
            rows = self._conn.execute(
                f"""SELECT d.id FROM doc_fts f JOIN documents d ON d.rowid = f.rowid
                    WHERE f.fts @@ plainto_tsquery('{cfg}', ?) LIMIT ?""", (q, max(1, min(int(limit), SQL_INT))))
            return [r[0] for r in rows]
        rows = self._conn.execute(
            f"""SELECT d.id FROM (SELECT f.rowid, ts_rank(f.fts, plainto_tsquery('{cfg}', ?)) AS rank FROM doc_fts f
                      WHERE f.fts @@ plainto_tsquery('{cfg}', ?) ORDER BY rank DESC, f.rowid LIMIT ?) h
                JOIN documents d ON d.rowid = h.rowid ORDER BY h.rank DESC, h.rowid""",
            (q, q, max(1, min(int(limit), SQL_INT))))
        return [r[0] for r in rows]

    def search_count(self, query: str, cap: int = 1001) -> int:
        """How many documents :meth:`search` finds, counted up to ``cap``."""
        q = self._search_terms(query)
        if not q:
            return 0
        row = self._conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM doc_fts f WHERE f.fts @@ plainto_tsquery('{_FTS_CONFIG}', ?) LIMIT ?) x",
            (q, max(0, min(int(cap), SQL_INT)))).fetchone()
        return int(row[0])

    def _table_names(self) -> list[str]:
        rows = self._conn.execute(
            """SELECT table_name FROM information_schema.tables
               WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"""
        )
        return [r[0] for r in rows]

    @contextmanager
    def resolving(self) -> Iterator[None]:
        """Hold the store's resolve lock: one resolution at a time across every process."""
        self._conn.execute("SELECT pg_advisory_lock(?)", (_RESOLVE_LOCK,))
        try:
            yield
        finally:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(?)", (_RESOLVE_LOCK,))
            except StoreError:  # connection gone: the server dropped the lock with it
                pass


POSTGRES = Dialect(
    "postgresql",
    ledger=_LEDGER,
    tables="""SELECT table_name FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'""",
    statements=ddl,
)


def migrate_postgres(conn: PgConnection, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Apply every unrecorded migration (the one runner, :func:`storyline.kb.migrations.migrate`)."""
    return migrate(conn, migrations, POSTGRES, path=conn.name)


def _connect_error(exc, name: str) -> StoreError:
    text = str(exc).strip()
    state = getattr(exc, "sqlstate", None) or ""
    low = text.lower()
    if state in ("28P01", "28000") or "authentication failed" in low or "no password supplied" in low or (
        "role" in low and "does not exist" in low
    ):
        return StoreError(f"{name} refused the credentials: {text}", code="E311", path=name)
    if state == "3D000" or ("database" in low and "does not exist" in low):
        return StoreError(f"no such database: {text}; create it first (createdb)", code="E312", path=name)
    return StoreError(f"cannot reach the database server: {text}", code="E310", path=name)


def open_postgres(url: str, settings: Settings | None = None, *, readonly: bool = False) -> PostgresStore:
    """Connect to ``url`` and migrate (or, ``readonly``, check the migrations and refuse writes).

    ConfigError E401 without psycopg; StoreError E310/E311/E312 when the server
    cannot be reached, refuses the credentials or lacks the database; E301 when
    a newer storyline wrote the store; E300 when it needs migrating (readonly).
    """
    psycopg = _psycopg()
    name = redact(url)
    try:
        raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=10)
    except psycopg.Error as exc:
        raise _connect_error(exc, name) from exc
    conn = PgConnection(raw, name)
    try:
        if readonly:
            conn._run("SET default_transaction_read_only = on")
            check_migrated(conn, name)
        else:
            migrate_postgres(conn)
    except BaseException:
        conn.close()
        raise
    store = PostgresStore(conn, name, settings, readonly=readonly)
    store._url = url
    return store
