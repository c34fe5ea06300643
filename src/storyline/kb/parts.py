"""Store side of incremental resolution (mixed into :class:`storyline.kb.Store`).

* ``doc_keys`` holds each annotated document's blocking keys
  (:func:`storyline.resolve.keys.doc_keys`), ``keyed`` which documents have
  them all and under which key version; saving a document's annotations drops
  both, so a re-annotated document is keyed (and resolved) again. Annotations
  may be saved with the keys they decide alone (``annotated.key_version``
  says of which version): keying then only adds the others.
* A document is *resolved* when it belongs to a stored story (every resolved
  document does, if only to a story of its own); annotated documents that are
  not are owed a resolution, whatever interrupted the last run.
* :meth:`replace_resolution_part` swaps the resolution rows tied to a set of
  documents for a partial :class:`Resolution` in one transaction; rows of
  other documents are not touched.

Id lists go to SQLite in chunks of :data:`CHUNK` (its bound-parameter limit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..model import Entity, Resolution
from . import codec

__all__ = ["ResolutionParts", "StoredEntities", "CHUNK", "chunks"]

CHUNK = 500


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    """``items`` in pieces of at most ``CHUNK`` (SQL parameter lists stay bounded)."""
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


class ResolutionParts:
    """Blocking keys, resolution owed, and partial replacement of the resolution."""

    if TYPE_CHECKING:  # provided by storyline.kb.store.Store
        _conn: Any
        _RECORD_SQL: str

        def _tx(self) -> AbstractContextManager[Any]: ...
        def _record(self, row: Any, sources: tuple[str, ...]) -> Any: ...
        def _insert_resolution(self, conn: Any, res: Resolution, first: int = 0) -> None: ...

    # ------------------------------------------------------------ keys

    def unkeyed_docs(self, version: int) -> list[tuple[str, bool]]:
        """Annotated documents whose keys are missing or of another version, in storage order,
        each with whether it holds just the keys of ``version`` saved with its annotations."""
        rows = self._conn.execute(
            """SELECT a.doc, CASE WHEN k.doc IS NULL AND a.key_version = ? THEN 1 ELSE 0 END
               FROM annotated a LEFT JOIN keyed k ON k.doc = a.doc
               LEFT JOIN documents d ON d.id = a.doc
               WHERE k.doc IS NULL OR k.version != ? ORDER BY d.rowid, a.doc""",
            (version, version),
        )
        return [(r[0], bool(r[1])) for r in rows]

    def originals(self, docs: Sequence[str]) -> dict[str, str]:
        """The original of each of ``docs`` that is a near-duplicate."""
        return self._pairs_for("SELECT id, duplicate_of FROM documents WHERE id IN ({marks}) AND duplicate_of IS NOT NULL", docs)

    def save_doc_keys(self, keyed: Iterable[tuple[str, Iterable[str]]], version: int, added: Container[str] = ()) -> None:
        """Replace the keys of each ``(doc, keys)`` (one transaction for the lot: keys are derived
        data); those of a document of ``added``, which holds just the keys saved with its
        annotations (:meth:`unkeyed_docs`), are added to those."""
        latest = {doc: sorted(set(keys)) for doc, keys in keyed}  # a document given twice: its last keys
        docs = list(latest)
        with self._tx() as conn:
            for part in chunks(docs):
                marks = ",".join("?" * len(part))
                if replaced := [d for d in part if d not in added]:
                    conn.execute(f"DELETE FROM doc_keys WHERE doc IN ({','.join('?' * len(replaced))})", replaced)
                conn.execute(f"DELETE FROM keyed WHERE doc IN ({marks})", part)
            conn.executemany("INSERT INTO doc_keys (key, doc) VALUES (?, ?)", [(k, d) for d in docs for k in latest[d]])
            conn.executemany("INSERT INTO keyed (doc, version) VALUES (?, ?)", [(d, version) for d in docs])

    def has_key(self, key: str) -> bool:
        """Whether any document has blocking key ``key``."""
        return self._conn.execute("SELECT 1 FROM doc_keys WHERE key = ? LIMIT 1", (key,)).fetchone() is not None

    def keys_of(self, docs: Sequence[str]) -> set[str]:
        return self._ids_for_docs("SELECT DISTINCT key FROM doc_keys WHERE doc IN ({marks})", docs)

    def docs_with_keys(self, keys: Sequence[str]) -> set[str]:
        return self._ids_for_docs("SELECT DISTINCT doc FROM doc_keys WHERE key IN ({marks})", keys)

    def docs_with_keys_capped(self, keys: Sequence[str], cap: int) -> dict[str, list[str]]:
        """Per key of ``keys``: the documents that have it, the latest ``cap`` (storage order)."""
        out: dict[str, list[str]] = {}
        for k in keys:
            rows = self._conn.execute(
                """SELECT k.doc FROM doc_keys k LEFT JOIN documents d ON d.id = k.doc
                   WHERE k.key = ? ORDER BY d.rowid DESC LIMIT ?""",
                (k, cap),
            )
            out[k] = [r[0] for r in rows]
        return out

    def key_counts(self, keys: Sequence[str]) -> dict[str, int]:
        """How many documents have each of ``keys`` (keys no document has are left out)."""
        return self._pairs_for("SELECT key, count(*) FROM doc_keys WHERE key IN ({marks}) GROUP BY key", sorted(set(keys)))

    # ------------------------------------------------------------ term statistics

    def doc_terms(self, docs: Sequence[str]) -> dict[str, tuple[tuple[str, int], ...]]:
        """The content terms of ``docs`` (annotated ones), as stored with their annotations."""
        import json

        out: dict[str, tuple] = {}
        for part in chunks(list(docs)):
            marks = ",".join("?" * len(part))
            for d, t in self._conn.execute(f"SELECT doc, terms FROM annotated WHERE doc IN ({marks})", part):
                out[d] = tuple(map(tuple, json.loads(t))) if t else ()  # [[term, count], ...]: plain JSON
        return out

    def term_df(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of ``terms`` over the store (0 is left out)."""
        return self._pairs_for("SELECT term, n FROM term_df WHERE term IN ({marks})", sorted(set(terms)))

    def count_terms(self, doc_terms: Mapping[str, Sequence[tuple[str, int]]]) -> dict[str, int]:
        """Add the terms of documents not counted yet to the document frequencies (one
        transaction; a document is counted once: one annotated again keeps its first count
        until :meth:`recount_terms`); the document frequencies of every term of ``doc_terms``
        after, as :meth:`term_df` gives them."""
        docs = sorted(doc_terms)
        counted = self._ids_for_docs("SELECT doc FROM df_docs WHERE doc IN ({marks})", docs)
        add: Counter = Counter()
        for d in docs:
            if d not in counted:
                add.update({w for w, _ in doc_terms[d]})
        terms = {w for t in doc_terms.values() for w, _ in t}
        if not add and all(d in counted for d in docs):
            return self.term_df(terms)
        with self._tx() as conn:
            df = self.term_df(terms)
            for w, c in add.items():
                df[w] = df.get(w, 0) + c
            conn.executemany("INSERT OR REPLACE INTO term_df (term, n) VALUES (?, ?)", [(w, df[w]) for w in sorted(add)])
            conn.executemany("INSERT OR IGNORE INTO df_docs (doc) VALUES (?)", [(d,) for d in docs if d not in counted])
        return df

    def recount_terms(self) -> None:
        """Document frequencies counted again over every annotated document (rewritten only
        where they changed: after a fresh ingest keyed every document they all hold)."""
        import json

        df: Counter = Counter()
        docs = []
        for d, t in self._conn.execute("SELECT doc, terms FROM annotated"):
            docs.append(d)
            if t:
                df.update({w for w, _ in json.loads(t)})  # [[term, count], ...]: plain JSON
        if (dict(self._conn.execute("SELECT term, n FROM term_df").fetchall()) == df
                and {r[0] for r in self._conn.execute("SELECT doc FROM df_docs")} == set(docs)):
            return
        with self._tx() as conn:
            conn.execute("DELETE FROM term_df")
            conn.execute("DELETE FROM df_docs")
            conn.executemany("INSERT INTO term_df (term, n) VALUES (?, ?)", sorted(df.items()))
            conn.executemany("INSERT INTO df_docs (doc) VALUES (?)", [(d,) for d in sorted(docs)])

    # ------------------------------------------------------------ owed

    def unresolved_docs(self) -> list[str]:
        """Annotated documents in no stored story: owed a resolution (storage order)."""
        rows = self._conn.execute(
            """SELECT a.doc FROM annotated a LEFT JOIN documents d ON d.id = a.doc
               WHERE NOT EXISTS (SELECT 1 FROM story_docs s WHERE s.doc = a.doc) ORDER BY d.rowid, a.doc"""
        )
        return [r[0] for r in rows]

    def has_resolution(self) -> bool:
        return self._conn.execute("SELECT 1 FROM stories LIMIT 1").fetchone() is not None

    def document_ids(self) -> list[str]:
        """Every stored document's id, in storage order (ids only: cheap for large stores)."""
        return [r[0] for r in self._conn.execute("SELECT id FROM documents ORDER BY rowid")]

    def annotated_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM annotated").fetchone()[0]

    def annotated_doc_ids(self) -> list[str]:
        """Every annotated document's id, in storage order (ids only: cheap for large stores)."""
        rows = self._conn.execute("SELECT a.doc FROM annotated a LEFT JOIN documents d ON d.id = a.doc ORDER BY d.rowid, a.doc")
        return [r[0] for r in rows]

    def records(self, docs: Sequence[str]) -> list:
        """The DocRecords of ``docs`` (in the order given; unknown ids are skipped)."""
        out = {}
        for part in chunks(list(docs)):
            marks = ",".join("?" * len(part))
            srcs: dict[str, list[str]] = {}
            for d, s in self._conn.execute(f"SELECT doc, source FROM sources WHERE doc IN ({marks}) ORDER BY rowid", part):
                srcs.setdefault(d, []).append(s)
            for r in self._conn.execute(self._RECORD_SQL + f" WHERE d.id IN ({marks})", part):
                out[r["id"]] = self._record(r, tuple(srcs.get(r["id"], ())))
        return [out[d] for d in docs if d in out]

    # ------------------------------------------------------------ partial resolution

    def stories_of(self, docs: Sequence[str]) -> set[str]:
        """Ids of the stored stories that hold any of ``docs``."""
        return self._ids_for_docs("SELECT DISTINCT story FROM story_docs WHERE doc IN ({marks})", docs)

    def story_of_docs(self, docs: Sequence[str]) -> dict[str, str]:
        """The stored story of each of ``docs`` that is in one."""
        return self._pairs_for("SELECT doc, story FROM story_docs WHERE doc IN ({marks})", docs)

    def story_sizes(self, stories: Sequence[str]) -> dict[str, int]:
        """How many documents each of the stored ``stories`` holds."""
        return self._pairs_for("SELECT story, count(*) FROM story_docs WHERE story IN ({marks}) GROUP BY story", stories)

    def docs_of_stories(self, stories: Sequence[str]) -> set[str]:
        """Every document of the stored stories ``stories``."""
        return self._ids_for_docs("SELECT DISTINCT doc FROM story_docs WHERE story IN ({marks})", stories)

    def _ids_for_docs(self, sql: str, docs: Sequence[str]) -> set[str]:
        """The first column of ``sql``'s rows, its ``{marks}`` the ids of ``docs`` (a chunk at a time)."""
        out: set[str] = set()
        for part in chunks(list(docs)):
            out.update(r[0] for r in self._conn.execute(sql.format(marks=",".join("?" * len(part))), part))
        return out

    def _pairs_for(self, sql: str, ids: Sequence[str]) -> dict:
        """``sql``'s rows as a mapping of their first column to their second, its ``{marks}`` the ``ids``
        (a chunk at a time)."""
        out: dict = {}
        for part in chunks(list(ids)):
            out.update(self._conn.execute(sql.format(marks=",".join("?" * len(part))), part).fetchall())
        return out

    def resolution_members(self, docs: Sequence[str] | None = None) -> tuple[dict, dict, dict]:
        """The stored entities, events and stories (of ``docs``, else all) as id -> members:
        entities' (doc, local key), events' (doc, mention id), stories' documents. Read from
        the index tables, no item decoded: what carrying ids needs."""
        ents: dict[str, set] = {}
        evs: dict[str, set] = {}
        sts: dict[str, set] = {}
        queries = (
            (ents, "SELECT entity, doc, key FROM entity_of"),
            (evs, "SELECT event, doc, mention FROM event_reports"),
            (sts, "SELECT story, doc, NULL FROM story_docs"),
        )
        for out, sql in queries:
            table = sql.split(" FROM ")[1]
            col = sql.split()[1].rstrip(",")
            if docs is None:
                rows = self._conn.execute(sql)
            else:
                ids = self._ids_for_docs(f"SELECT DISTINCT {col} FROM {table} WHERE doc IN ({{marks}})", docs)
                rows = []
                for part in chunks(sorted(ids)):
                    rows += self._conn.execute(sql + f" WHERE {col} IN ({','.join('?' * len(part))})", part).fetchall()
            for item, doc, key in rows:
                out.setdefault(item, set()).add(doc if key is None else (doc, key))
        return ents, evs, sts

    def replace_resolution_part(self, docs: Sequence[str], res: Resolution) -> None:
        """In one transaction: drop every resolution row tied to ``docs`` and insert ``res``
        (a resolution of exactly those documents) after the rows that stay."""
        docs = list(docs)
        ents = self._ids_for_docs("SELECT DISTINCT entity FROM entity_of WHERE doc IN ({marks})", docs)
        ents |= self._ids_for_docs("SELECT entity FROM entity_docs WHERE doc IN ({marks})", docs)
        gone = {("entities", "id"): ents, ("entity_names", "entity"): ents, ("entity_docs", "entity"): ents,
                ("entity_of", "entity"): ents}
        self._replace(docs, gone, res)

    def replace_resolution_increment(self, docs: Sequence[str], new_docs: Sequence[str], entities: set[str], res: Resolution) -> None:
        """In one transaction: the events, stories, support and conflicts tied to ``docs`` and
        the rows of ``entities`` (changed ones) replaced by ``res``; ``new_docs``' earlier
        entity links dropped (documents annotated again). Other entities' rows stay."""
        docs = list(docs)
        gone = {("entities", "id"): entities, ("entity_names", "entity"): entities, ("entity_docs", "entity"): entities}
        self._replace(docs, gone, res, drop_links=list(new_docs))

    def _replace(self, docs: list[str], gone: dict, res: Resolution, drop_links: Sequence[str] = ()) -> None:
        evs = self._ids_for_docs("SELECT DISTINCT event FROM event_reports WHERE doc IN ({marks})", docs)
        sts = self._ids_for_docs("SELECT DISTINCT story FROM story_docs WHERE doc IN ({marks})", docs)
        cfs = self._ids_for_docs("SELECT DISTINCT conflict FROM conflict_docs WHERE doc IN ({marks})", docs)
        gone = {
            **gone, ("events", "id"): evs, ("event_participants", "event"): evs,
            ("event_reports", "event"): evs, ("support", "item"): evs, ("stories", "id"): sts,
            ("story_docs", "story"): sts, ("story_events", "story"): sts, ("conflicts", "id"): cfs,
            ("conflict_docs", "conflict"): cfs,
        }
        with self._tx() as conn:
            for (table, col), ids in gone.items():
                for part in chunks(sorted(ids)):
                    conn.execute(f"DELETE FROM {table} WHERE {col} IN ({','.join('?' * len(part))})", part)
            for part in chunks(list(drop_links)):
                conn.execute(f"DELETE FROM entity_of WHERE doc IN ({','.join('?' * len(part))})", part)
            for part in chunks(docs):  # quote and figure support rows are named doc:local-id
                for d in part:
                    conn.execute("DELETE FROM support WHERE item >= ? AND item < ?", (d + ":", d + ";"))
            first = 1 + max(
                conn.execute(f"SELECT COALESCE(MAX(ord), -1) FROM {t}").fetchone()[0]
                for t in ("entities", "entity_of", "events", "stories", "conflicts", "support")
            )
            self._insert_resolution(conn, res, first)

    def entity_links(self, docs: Sequence[str]) -> dict[tuple[str, str], str]:
        """The stored ``entity_of`` of the members of ``docs``."""
        out: dict[tuple[str, str], str] = {}
        for part in chunks(list(docs)):
            marks = ",".join("?" * len(part))
            for d, k, e in self._conn.execute(f"SELECT doc, key, entity FROM entity_of WHERE doc IN ({marks})", part):
                out[(d, k)] = e
        return out

    def entities_by_id(self, ids: Iterable[str]) -> dict:
        """The stored entities ``ids`` (decoded), by id."""
        from ..model import Entity
        from . import codec

        out: dict = {}
        for part in chunks(sorted(set(ids))):
            marks = ",".join("?" * len(part))
            for i, data in self._conn.execute(f"SELECT id, data FROM entities WHERE id IN ({marks})", part):
                out[i] = codec.loads(Entity, data)
        return out

    def local_entities(self, docs: Sequence[str]) -> list:
        """Annotations of ``docs`` that hold only their entities (what entity resolution reads)."""
        from ..model import DocAnnotations, LocalEntity, Published
        from . import codec

        out: dict[str, list] = {}
        published: dict[str, Published] = {}
        for part in chunks(list(docs)):
            marks = ",".join("?" * len(part))
            for d, data in self._conn.execute(f"SELECT doc, published FROM annotated WHERE doc IN ({marks})", part):
                published[d] = codec.loads(Published, data)
                out.setdefault(d, [])
            for d, data in self._conn.execute(f"SELECT doc, data FROM entities_local WHERE doc IN ({marks}) ORDER BY doc, ord", part):
                out.setdefault(d, []).append(codec.loads(LocalEntity, data))
        return [DocAnnotations(doc=d, published=published[d], entities=tuple(es)) for d, es in sorted(out.items()) if d in published]


class StoredEntities(Mapping):
    """Stored entities by id from their JSON rows, each decoded on first access (then kept)."""

    def __init__(self, rows: dict[str, str]):
        self._rows = rows
        self._done: dict[str, Entity] = {}

    def __getitem__(self, key: str) -> Entity:
        e = self._done.get(key)
        if e is None:
            e = self._done[key] = codec.loads(Entity, self._rows[key])
        return e

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
