"""Storing documents: a batch of documents written by one statement a table.

:meth:`DocumentWrites.add_documents` stores a batch of read documents in one
transaction, as one :meth:`~DocumentWrites.add_document` call after another
would (a document sees those before it in its batch: a copy of an earlier one
is "exists", a near-copy points to it), but with one statement a table: the
stored ids and the near-duplicate band buckets are read once for the batch,
the batch's own documents join the buckets in memory, and the rows of
``documents``, ``sources`` and ``doc_lsh`` and the full-text index are
written once (on SQLite one full-text statement a batch builds one index
segment where one a document built and merged sixty-four). When the store
refuses the batch (E304, a broken constraint), it is rolled back to its
savepoint and written again one document at a time, each in its own
savepoint: the refused document alone is left out, nothing of it written,
and the others go on.

A NUL character (which PostgreSQL cannot store) is stored as U+FFFD on every
backend and noted in the document's ``repairs`` (:func:`without_nul`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import StoreError
from ..model import Document
from ..neardup import BUCKET_CAP, first_similar, lsh_keys
from . import codec
from .parts import chunks
from .writes import each_in_savepoint

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["DocumentWrites", "without_nul", "NUL", "REPLACEMENT"]

NUL, REPLACEMENT = "\x00", "\ufffd"
# the fields of a document kept in its JSON column (the text and the fingerprint have their own)
_DOC_DATA = tuple(f.name for f in dataclasses.fields(Document) if f.name not in ("text", "fingerprint"))
_FP_CACHE = 1 << 16  # candidate fingerprints kept in memory (about 40 MB at most)
_INSERT_DOCUMENT = """INSERT INTO documents (id, title, text, byline, source, words, published_value,
    published_earliest, published_latest, published_basis, duplicate_of, fingerprint, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def without_nul(doc: Document) -> Document:
    """``doc`` with every NUL character of its text and metadata replaced by U+FFFD (one
    character for one: offsets hold) and the mend noted in ``repairs``; ``doc`` itself when it has none."""
    n = sum(v.count(NUL) for v in (doc.text, doc.title, doc.byline, doc.source, doc.url, doc.dateline) if v)
    n += sum(c.count(NUL) for c in doc.captions)
    if not n:
        return doc

    def fix(v):
        return v.replace(NUL, REPLACEMENT) if isinstance(v, str) else v

    pub = doc.published
    if pub.evidence:
        pub = dataclasses.replace(pub, evidence=tuple(dataclasses.replace(s, text=fix(s.text)) for s in pub.evidence))
    return dataclasses.replace(
        doc, text=fix(doc.text), title=fix(doc.title), byline=fix(doc.byline), source=fix(doc.source),
        url=fix(doc.url), dateline=fix(doc.dateline), captions=tuple(fix(c) for c in doc.captions), published=pub,
        repairs=doc.repairs + (f"{n} NUL character{'s' if n > 1 else ''} replaced with U+FFFD",),
    )


def _document_row(doc: Document, duplicate_of: str | None) -> tuple:
    """The ``documents`` row of ``doc`` (the text and fingerprint in their columns, the rest as JSON)."""
    data = {f: codec.encode(getattr(doc, f)) for f in _DOC_DATA}
    pub = doc.published
    return (
        doc.id, doc.title, doc.text, doc.byline, doc.source, len(doc.text.split()),
        pub.when.value, pub.when.earliest, pub.when.latest, pub.basis, duplicate_of,
        json.dumps(list(doc.fingerprint)), json.dumps(data, ensure_ascii=False),
    )


class DocumentWrites:
    """Storing documents (mixed into the store)."""

    if TYPE_CHECKING:  # provided by storyline.kb.store.Store
        _conn: Any
        settings: Settings
        _fingerprints: dict[str, tuple[int, np.ndarray]]

        def _tx(self) -> AbstractContextManager[Any]: ...

        def _ids_for_docs(self, sql: str, docs: Sequence[str]) -> set[str]: ...

    def add_document(self, doc: Document) -> str:
        """Store ``doc``; "new", or "exists" when its id is stored (the extra source is recorded)."""
        with self._tx() as conn:
            return self._add_document(conn, without_nul(doc))

    def add_documents(self, docs: Sequence[Document]) -> list[str | StoreError]:
        """Store ``docs`` in one transaction, in order (a document sees those before it, as one
        :meth:`add_document` call after another would): for each, "new", "exists", or the
        StoreError (E304) with which the store refused it, nothing of it written, and the others
        go on. Any other error rolls the whole batch back (the same command stores it again: a
        document is stored once, whole)."""
        out: list[str | StoreError] = []
        if not docs:
            return out
        docs = [without_nul(d) for d in docs]
        try:
            with self._tx() as conn:
                conn.execute("SAVEPOINT storyline_batch")
                try:
                    out = self._add_batch(conn, docs)
                except StoreError as exc:
                    if exc.code != "E304":
                        raise
                    conn.execute("ROLLBACK TO SAVEPOINT storyline_batch")  # again, one document at a time
                    out = each_in_savepoint(conn, docs, self._add_document)
                conn.execute("RELEASE SAVEPOINT storyline_batch")
        except BaseException:
            self._fingerprints.clear()  # it may hold documents of the batch, now rolled back
            raise
        return out

    def _add_batch(self, conn, docs: Sequence[Document]) -> list[str | StoreError]:
        """Write ``docs`` (one statement a table): what :meth:`_add_document` one after another returns."""
        stored = self._ids_for_docs("SELECT id FROM documents WHERE id IN ({marks})", list(dict.fromkeys(d.id for d in docs)))
        out: list[str | StoreError] = []
        new: list[Document] = []
        for doc in docs:
            out.append("exists" if doc.id in stored else "new")
            if doc.id not in stored:
                stored.add(doc.id)
                new.append(doc)
        keys = [lsh_keys(d.fingerprint) if d.fingerprint else [] for d in new]
        dups, bands = self._near_duplicates(conn, new, keys)
        after = conn.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0
        conn.executemany(_INSERT_DOCUMENT, [_document_row(d, dup) for d, dup in zip(new, dups, strict=True)])
        # a document's first source and each later copy's, in the batch's order (the order sources are listed in)
        conn.executemany("INSERT OR IGNORE INTO sources (doc, source) VALUES (?, ?)", [(d.id, d.source) for d in docs])
        self._index_texts(conn, after, new)
        conn.executemany("INSERT OR IGNORE INTO doc_lsh (key, doc) VALUES (?, ?)", bands)
        return out

    def _add_document(self, conn, doc: Document) -> str:
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
            conn.execute("INSERT OR IGNORE INTO sources (doc, source) VALUES (?, ?)", (doc.id, doc.source))
            return "exists"
        keys = lsh_keys(doc.fingerprint) if doc.fingerprint else []
        dups, bands = self._near_duplicates(conn, [doc], [keys])
        cur = conn.execute(_INSERT_DOCUMENT, _document_row(doc, dups[0]))
        conn.execute("INSERT INTO sources (doc, source) VALUES (?, ?)", (doc.id, doc.source))
        self._index_text(conn, getattr(cur, "lastrowid", None), doc)  # None where the dialect has none
        conn.executemany("INSERT OR IGNORE INTO doc_lsh (key, doc) VALUES (?, ?)", bands)
        return "new"

    def _index_text(self, conn, rowid: int | None, doc: Document) -> None:
        """Add the document to the full-text index (the dialect's own)."""
        raise NotImplementedError

    def _index_texts(self, conn, after: int, docs: Sequence[Document]) -> None:
        """Add ``docs``, just stored (rowids above ``after``), to the full-text index; a dialect
        that can index them in one statement does."""
        for doc in docs:
            self._index_text(conn, None, doc)

    def _near_duplicates(self, conn, docs: Sequence[Document], keys: Sequence[list[str]]) -> tuple[list[str | None], list[tuple[str, str]]]:
        """For each of ``docs`` (new documents, stored in this order), the earliest-stored document
        sharing an LSH band with it whose similarity passes the threshold (None when none); and the
        ``doc_lsh`` rows (key, doc) to write: each document joins the band buckets not already
        holding ``BUCKET_CAP`` documents, and the documents after it see it there.

        A bucket keeps its first ``BUCKET_CAP`` documents (storyline.neardup): a new
        document is compared with at most ``16 * BUCKET_CAP`` candidates however large
        the store, and the earliest copy of an article, which is what a near-duplicate
        points to, is in every bucket it opened."""
        buckets: dict[str, list[str]] = {}
        for part in chunks(sorted({k for ks in keys for k in ks})):
            for key, doc in conn.execute(f"SELECT key, doc FROM doc_lsh WHERE key IN ({','.join('?' * len(part))})", part):
                buckets.setdefault(key, []).append(doc)
        cache = self._stored_fingerprints(conn, {d for ds in buckets.values() for d in ds})
        ours = {doc.id: (i, doc.fingerprint) for i, doc in enumerate(docs)}
        threshold = self.settings.near_duplicate_threshold
        dups: list[str | None] = []
        bands: list[tuple[str, str]] = []
        for doc, ks in zip(docs, keys, strict=True):
            candidates = {d for k in ks for d in buckets.get(k, ())}
            # storage order, the earliest first: stored documents by rowid, then this batch's in its order
            found = sorted((cache[d][0], d) for d in candidates if d in cache)
            found += sorted((ours[d][0], d) for d in candidates if d in ours)
            fps = [cache[d][1] if d in cache else ours[d][1] for _, d in found]
            hit = first_similar(doc.fingerprint, fps, threshold) if fps else None
            dups.append(found[hit][1] if hit is not None else None)
            for k in ks:
                bucket = buckets.setdefault(k, [])
                if len(bucket) < BUCKET_CAP:
                    bucket.append(doc.id)
                    bands.append((k, doc.id))
        return dups, bands

    def _stored_fingerprints(self, conn, ids: Iterable[str]) -> dict[str, tuple[int, np.ndarray]]:
        """The (rowid, fingerprint) of the stored documents ``ids``, read into the cache when missing."""
        cache = self._fingerprints
        missing = set(ids) - cache.keys()
        if len(cache) + len(missing) > _FP_CACHE:
            cache.clear()
            missing = set(ids)
        for part in chunks(sorted(missing)):
            rows = conn.execute(
                f"SELECT id, rowid, fingerprint FROM documents WHERE id IN ({','.join('?' * len(part))})", part
            ).fetchall()
            fps = json.loads("[" + ",".join(r[2] for r in rows) + "]")  # one parse for every candidate
            for r, fp in zip(rows, fps, strict=True):
                cache[r[0]] = (r[1], np.asarray(fp, dtype=np.int64))
        return cache
