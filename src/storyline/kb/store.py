"""The store itself, the same on every backend: documents, annotations and the resolution.

One :class:`Store` per connection. Every write is one transaction (a document
with its source, full-text row and LSH keys; a batch of documents' annotations,
each document whole or not at all: :mod:`.writes`; a whole resolution), so a
crash leaves the store as it was before the write or after it. Items are kept in per-type tables with the indexed columns the read
queries need plus a JSON column holding the full model object (``codec``).
Read queries for the views live in :mod:`storyline.kb.queries`.

A backend is a dialect and a connection: :mod:`.sqlite` (``SqliteStore`` on
an FTS5 index) and :mod:`.postgres` (``PostgresStore`` on a ``tsvector``
index) subclass :class:`Store` with their full-text index and table listing,
and each wraps its driver in a connection adapter (``execute``,
``executemany``, ``rollback``, ``close``) that turns every driver error into a
coded :class:`~storyline.errors.StoreError` (:data:`STORE_CODES`): nothing
outside ``kb`` ever sees ``sqlite3`` or ``psycopg``. Both adapters store a NUL
character as U+FFFD (PostgreSQL's text cannot hold NUL), one character for
one, so offsets into a document's text still hold; a document is mended before
it is stored and the mend is noted in its ``repairs``. A statement whose rows
can hold free text only in a few columns names them (``executemany``'s
``text``: :func:`scrub_rows`), and only these are looked through.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from ..config import Settings
from ..errors import ConfigError, StoreError
from ..model import (
    Conflict,
    DocAnnotations,
    DocRecord,
    Document,
    Entity,
    Event,
    Published,
    Resolution,
    Story,
    Support,
)
from . import codec
from .docwrites import NUL, REPLACEMENT, DocumentWrites, without_nul
from .parts import ResolutionParts, StoredEntities, chunks
from .queries import Queries, normalize_name
from .reliability import Reliability
from .writes import ITEM_FIELDS, ITEM_TABLES, AnnotationWrites, annotations_from, when_cols

__all__ = [
    "Store", "SearchHit", "effective_published", "fts_query", "without_nul", "scrub", "scrub_rows", "SQL_INT",
    "MAX_QUERY_CHARS", "MAX_QUERY_TERMS", "STORE_CODES",
]

# what a driver error becomes (every backend maps its errors to these codes)
STORE_CODES = {
    "E300": "any other failure of a statement (the transaction was rolled back)",
    "E303": "the SQLite file is damaged",
    "E304": "a write broke a constraint: the data written was inconsistent (one document's failure)",
    "E313": "the connection to the server was lost",
}

# documents flagged as failed (kb.reliability) wait for `storyline reannotate`
_NOT_FLAGGED = "NOT EXISTS (SELECT 1 FROM doc_errors f WHERE f.doc = d.id)"
_RESOLUTION_TABLES = (
    "entities", "entity_names", "entity_docs", "entity_of", "events", "event_participants",
    "event_reports", "stories", "story_docs", "story_events", "conflicts", "conflict_docs", "support",
)



def scrub(params):
    """Statement parameters with NUL in text replaced by U+FFFD (both backends store the same)."""
    if isinstance(params, dict):
        return params
    for p in params:  # a plain loop: half the cost of any() over a generator, on every row written
        if isinstance(p, str) and NUL in p:
            return tuple(p.replace(NUL, REPLACEMENT) if isinstance(p, str) else p for p in params)
    return params


def scrub_rows(rows: list, text: Sequence[int]) -> list:
    """The rows of one statement, each as :func:`scrub` leaves it, when only the parameters at the
    positions ``text`` can hold a NUL: free text (a name, a label), where the others are ids, codes,
    numbers or the codec's JSON (which writes every control character escaped). Each of these
    columns is looked through at once (one join), not every parameter of every row in a call a
    row: 173,690 rows and 0.07 CPU s when the 772 ECB+ articles' resolution is saved."""
    try:
        if not any(NUL in "".join(filter(None, map(itemgetter(j), rows))) for j in text):
            return rows
    except TypeError:  # a value there that is neither text nor None: every row looked through
        pass
    return [scrub(p) for p in rows]


@dataclass(frozen=True)
class SearchHit:
    doc: str
    title: str | None
    snippet: str
    rank: float


def effective_published(own: Published, inferred: Published | None) -> Published:
    """The document's own date when stated or from metadata, else the inferred one, else unknown."""
    if own.basis in ("stated", "metadata"):
        return own
    if inferred is not None and inferred.basis != "unknown" and inferred.when.known:
        return inferred
    if own.basis != "unknown" and own.when.known:
        return own
    return Published()


SQL_INT = (1 << 63) - 1  # larger limits and offsets mean "all"
MAX_QUERY_CHARS = 500  # a search query longer than this is refused (E402)
MAX_QUERY_TERMS = 32  # so are queries of more terms: each term is one more posting list to intersect


def fts_query(text: str) -> str:
    """User text as an FTS5 query: every term quoted, so no syntax reaches the parser.
    ConfigError E402 when the query is longer or has more terms than a search needs."""
    if len(text) > MAX_QUERY_CHARS:
        raise ConfigError(f"search query has {len(text)} characters; at most {MAX_QUERY_CHARS}", code="E402")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    terms = [t for t in text.split() if any(ch.isalnum() for ch in t)]
    if len(terms) > MAX_QUERY_TERMS:
        raise ConfigError(f"search query has {len(terms)} terms; at most {MAX_QUERY_TERMS}", code="E402")
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


class Store(Queries, ResolutionParts, Reliability, AnnotationWrites, DocumentWrites):
    """A storyline knowledge base on one connection adapter (use :func:`storyline.kb.open_store`).

    The backend subclasses supply the full-text index (:meth:`_index_text`,
    :meth:`search`) and :meth:`_table_names`; everything else is shared SQL.
    """

    def __init__(self, conn, path: str, settings: Settings | None = None, *, readonly: bool = False):
        self._conn = conn
        self.path = path
        self.settings = settings or Settings()
        self.readonly = readonly
        # doc id -> (rowid, fingerprint) of near-duplicate candidates: a stored document's never change, and
        # capped band buckets keep the same few documents coming back as candidates
        self._fingerprints: dict[str, tuple[int, np.ndarray]] = {}

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._conn.close()

    def address(self) -> str | None:
        """What :func:`storyline.kb.open_store` opens to reach this store on a connection of its
        own (another process never uses this one's), or None when only this connection holds it."""
        return None

    @contextmanager
    def forking(self) -> Iterator[None]:
        """Held while this process forks a child that opens the store at its :meth:`address`:
        nothing to do on a server (the child never touches this process's connection)."""
        yield

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator:
        """One write transaction (one writer at a time); rolled back on any error, which reaches
        the caller as the adapter's coded StoreError (E304 when a constraint refused the data)."""
        if self.readonly:
            raise StoreError("the store is open read-only", code="E300", path=self.path)
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")

    # ------------------------------------------------------------ documents (writes: .docwrites)

    def _record(self, row, sources: tuple[str, ...]) -> DocRecord:
        data = json.loads(row["data"])
        data["text"] = row["text"]
        data["fingerprint"] = json.loads(row["fingerprint"])
        doc = codec.decode(Document, data)
        inferred = codec.loads(Published, row["inferred"]) if row["inferred"] else None
        return DocRecord(
            document=doc,
            sources=sources,
            duplicate_of=row["duplicate_of"],
            words=row["words"],
            published=effective_published(doc.published, inferred),
        )

    _RECORD_SQL = """SELECT d.*, a.published AS inferred FROM documents d
                     LEFT JOIN annotated a ON a.doc = d.id"""

    def documents(self) -> list[DocRecord]:
        """Every stored document in storage order."""
        sources: dict[str, list[str]] = {}
        for doc, src in self._conn.execute("SELECT doc, source FROM sources ORDER BY rowid"):
            sources.setdefault(doc, []).append(src)
        rows = self._conn.execute(self._RECORD_SQL + " ORDER BY d.rowid")
        return [self._record(r, tuple(sources.get(r["id"], ()))) for r in rows]

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id of the one document whose id is or starts with ``id_or_prefix`` (E302 otherwise)."""
        key = (id_or_prefix or "").strip()
        if key:
            rows = self._conn.execute("SELECT id FROM documents WHERE id >= ? ORDER BY id LIMIT 2", (key,)).fetchall()
            ids = [r[0] for r in rows if r[0].startswith(key)]
            if ids and ids[0] == key:
                return key
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise StoreError(f"document prefix {key!r} is ambiguous", code="E302")
        raise StoreError(f"no document {id_or_prefix!r}", code="E302")

    def document(self, id_or_prefix: str) -> DocRecord:
        """One document by id or unique id prefix; StoreError E302 when none or ambiguous."""
        doc_id = self.resolve_id(id_or_prefix)
        row = self._conn.execute(self._RECORD_SQL + " WHERE d.id = ?", (doc_id,)).fetchone()
        srcs = tuple(r[0] for r in self._conn.execute("SELECT source FROM sources WHERE doc = ? ORDER BY rowid", (doc_id,)))
        return self._record(row, srcs)

    def search(self, query: str, limit: int = 20, offset: int = 0, docs: Sequence[str] | None = None) -> list[SearchHit]:
        """Full-text search (the dialect's own index) with a snippet around the matches; ``offset`` skips hits;
        ``docs`` keeps hits in these documents only."""
        raise NotImplementedError

    def search_ids(self, query: str, limit: int = 1000, ranked: bool = True) -> list[str]:
        """The documents of the first ``limit`` hits of :meth:`search`, best first, without snippets
        (``ranked=False``: any ``limit`` hits in no order, without ranking every match)."""
        raise NotImplementedError

    def search_count(self, query: str, cap: int = 1001) -> int:
        """How many documents :meth:`search` finds, counted up to ``cap``."""
        raise NotImplementedError

    # ------------------------------------------------------------ annotations

    def unannotated_documents(self) -> list[Document]:
        """Documents stored without annotations yet (after an interrupted run, or new), in storage order."""
        rows = self._conn.execute(
            self._RECORD_SQL + f" WHERE a.doc IS NULL AND {_NOT_FLAGGED} ORDER BY d.rowid"
        )
        return [self._record(r, ()).document for r in rows]

    def iter_documents(self, *, unannotated: bool = False, page: int = 256,
                       more: Callable[[], bool] | None = None) -> Iterator[Document]:
        """Stored documents (only those without annotations when ``unannotated``) in storage
        order, read ``page`` at a time: memory stays flat however large the store. Writes
        between pages are fine (the next page starts after the last rowid seen). ``more``: when
        none are left, waits for another process to store more and says whether to look again
        (documents stored meanwhile follow, in storage order, until it says no)."""
        where = f"a.doc IS NULL AND {_NOT_FLAGGED} AND " if unannotated else ""
        last = 0
        while True:
            rows = self._conn.execute(
                self._RECORD_SQL + f" WHERE {where}d.rowid > ? ORDER BY d.rowid LIMIT ?", (last, page)
            ).fetchall()
            if not rows:
                if more is not None and more():
                    continue
                return
            last = rows[-1]["rowid"]
            for r in rows:
                yield self._record(r, ()).document

    def document_count(self, *, unannotated: bool = False) -> int:
        """How many documents are stored (only those without annotations when ``unannotated``)."""
        sql = "SELECT count(*) FROM documents d" + (
            f" LEFT JOIN annotated a ON a.doc = d.id WHERE a.doc IS NULL AND {_NOT_FLAGGED}" if unannotated else ""
        )
        return self._conn.execute(sql).fetchone()[0]

    def near_duplicate_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]

    def annotated_ids(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT doc FROM annotated")}

    def annotations(self, doc_ids: Iterable[str] | None = None, *, only: Iterable[str] | None = None) -> Iterator[DocAnnotations]:
        """Each annotated document's annotations, one document at a time (storage order), or
        those of ``doc_ids`` in their order. ``only`` names the item fields read (e.g.
        ``("entities", "figures")``: what blocking keys need); the others are left empty
        (the publication date and content terms are always read)."""
        wanted = None if only is None else set(only)
        if wanted is not None and not wanted <= {f for f, _, _ in self._ANN_TABLES}:
            raise ValueError(f"unknown annotation fields: {sorted(wanted - {f for f, _, _ in self._ANN_TABLES})}")
        if doc_ids is None:
            ids = [
                r[0]
                for r in self._conn.execute(
                    "SELECT a.doc FROM annotated a LEFT JOIN documents d ON d.id = a.doc ORDER BY d.rowid, a.doc"
                )
            ]
        else:
            ids = list(doc_ids)
        for part in chunks(ids):
            yield from self._annotations_of(part, wanted)

    _ANN_TABLES = tuple((field, table, tp) for table, (field, tp) in zip(ITEM_TABLES, ITEM_FIELDS, strict=True))

    def _annotations_of(self, ids: Sequence[str], wanted: set[str] | None = None) -> list[DocAnnotations]:
        """The annotations of ``ids`` (one chunk) in the order given, unannotated ones left
        out: one query a table for the whole chunk."""
        marks = ",".join("?" * len(ids))
        head = {d: (p, t) for d, p, t in self._conn.execute(f"SELECT doc, published, terms FROM annotated WHERE doc IN ({marks})", ids)}
        if not head:
            return []
        items: dict[str, dict[str, list]] = {d: {} for d in head}
        for field_name, table, _ in self._ANN_TABLES:
            if wanted is not None and field_name not in wanted:
                continue
            for d, data in self._conn.execute(f"SELECT doc, data FROM {table} WHERE doc IN ({marks}) ORDER BY doc, ord", ids):
                if d in items:
                    items[d].setdefault(field_name, []).append(data)
        return [annotations_from(d, *head[d], items[d]) for d in ids if d in head]

    # ------------------------------------------------------------ resolution

    def stored_entities(self, ids: Iterable[str]) -> "StoredEntities":
        """The stored entities ``ids`` by id, each decoded when first read (an incremental
        resolution reads the few that new documents join; common names hold thousands of mentions)."""
        rows: dict[str, str] = {}
        for part in chunks(sorted(set(ids))):
            rows.update(self._conn.execute(f"SELECT id, data FROM entities WHERE id IN ({','.join('?' * len(part))})", part).fetchall())
        return StoredEntities(rows)

    def save_resolution(self, res: Resolution) -> None:
        """Replace the whole resolution (one transaction)."""
        with self._tx() as conn:
            for table in _RESOLUTION_TABLES:
                conn.execute(f"DELETE FROM {table}")
            with self._indexes_made_after(conn, _RESOLUTION_TABLES):
                self._insert_resolution(conn, res)

    @contextmanager
    def _indexes_made_after(self, conn, tables: Sequence[str]) -> Iterator[None]:
        """Held while ``tables``, emptied, are filled whole in the transaction of ``conn``: a backend
        may drop their indexes meanwhile and make them again after (a failure rolls both back)."""
        yield

    def _insert_resolution(self, conn, res: Resolution, first: int = 0) -> None:
        """Insert the rows of ``res`` (inside the caller's transaction), ``ord`` from ``first``:
        one ``executemany`` a table, rows in the order of the items. Free text, which may hold a NUL,
        is only in the names and labels (``text``); the other columns are ids (digests, and the ids
        of stored documents, mended when stored), codes, numbers and JSON."""
        dumps = codec.dumps
        names, ent_docs, rows = [], [], []
        for i, e in enumerate(res.entities, first):
            names += [(n, e.id) for n in sorted({normalize_name(n) for n in (e.name, *e.aliases)} - {""})]
            docs = sorted({s.doc for s in e.mentions})
            ent_docs += [(e.id, d) for d in docs]
            rows.append((e.id, i, e.name, e.type, len(e.mentions), len(docs), dumps(e)))
        conn.executemany("INSERT INTO entities (id, ord, name, type, mentions, docs, data) VALUES (?, ?, ?, ?, ?, ?, ?)", rows,
                         text=(2,))
        conn.executemany("INSERT OR IGNORE INTO entity_names (name_norm, entity) VALUES (?, ?)", names, text=(0,))
        conn.executemany("INSERT INTO entity_docs (entity, doc) VALUES (?, ?)", ent_docs, text=())
        conn.executemany(
            "INSERT OR REPLACE INTO entity_of (doc, key, entity, ord) VALUES (?, ?, ?, ?)",
            [(d, k, ent, i) for i, ((d, k), ent) in enumerate(res.entity_of.items(), first)], text=(),
        )
        conn.executemany(
            """INSERT INTO events (id, ord, type, label, date, earliest, latest, sources, role, modality, data)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(ev.id, i, ev.type, ev.label, *when_cols(ev.when), ev.sources, ev.role, ev.modality, dumps(ev))
             for i, ev in enumerate(res.events, first)], text=(3,),
        )
        conn.executemany(
            "INSERT INTO event_participants (event, entity, role) VALUES (?, ?, ?)",
            [(ev.id, p.entity, p.role) for ev in res.events for p in ev.participants], text=(),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO event_reports (event, doc, mention) VALUES (?, ?, ?)",
            [(ev.id, m.span.doc, m.mention) for ev in res.events for m in ev.mentions], text=(),
        )
        conn.executemany(
            """INSERT INTO stories (id, ord, label, earliest, latest, documents, events, data)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [(st.id, i, st.label, st.earliest, st.latest, len(st.documents), len(st.events), dumps(st))
             for i, st in enumerate(res.stories, first)], text=(2,),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO story_docs (story, doc, ord) VALUES (?, ?, ?)",
            [(st.id, d, j) for st in res.stories for j, d in enumerate(st.documents)], text=(),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO story_events (story, event, ord) VALUES (?, ?, ?)",
            [(st.id, ev, j) for st in res.stories for j, ev in enumerate(st.events)], text=(),
        )
        conn.executemany(
            "INSERT INTO conflicts (id, ord, kind, about, status, data) VALUES (?, ?, ?, ?, ?, ?)",
            [(c.id, i, c.kind, c.about, c.status, dumps(c)) for i, c in enumerate(res.conflicts, first)], text=(),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO conflict_docs (conflict, doc) VALUES (?, ?)",
            [(c.id, cl.span.doc) for c in res.conflicts for cl in c.claims], text=(),
        )
        conn.executemany(
            "INSERT INTO support (item, ord, kind, sources, data) VALUES (?, ?, ?, ?, ?)",
            [(s.item, i, s.kind, s.sources, dumps(s)) for i, s in enumerate(res.support, first)], text=(),
        )

    def resolution(self) -> Resolution:
        """The stored resolution (empty before the first resolve)."""

        def load(table: str, tp: type) -> tuple:
            return tuple(codec.loads(tp, r[0]) for r in self._conn.execute(f"SELECT data FROM {table} ORDER BY ord"))

        entity_of = {(d, k): e for d, k, e in self._conn.execute("SELECT doc, key, entity FROM entity_of ORDER BY ord")}
        return Resolution(
            entities=load("entities", Entity),
            events=load("events", Event),
            stories=load("stories", Story),
            conflicts=load("conflicts", Conflict),
            support=load("support", Support),
            entity_of=entity_of,
        )

    # ------------------------------------------------------------ housekeeping

    def stats(self) -> dict[str, int]:
        """Row counts of the main tables."""
        tables = ("documents", "sources", "annotated", *ITEM_TABLES, "entities", "events", "stories", "conflicts", "support")
        return {t: self._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def _table_names(self) -> list[str]:
        raise NotImplementedError

    @contextmanager
    def resolving(self) -> Iterator[None]:
        """Held while one process resolves (PostgreSQL serialises resolves; one SQLite file needs nothing)."""
        yield

    def dump(self) -> dict[str, list[tuple]]:
        """Every row of every table (sorted), for tests that assert nothing changed."""
        names = [n for n in self._table_names() if n != "migrations"]
        out = {}
        for name in names:
            rows = self._conn.execute(f'SELECT * FROM "{name}"').fetchall()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out

