"""Writing annotations: encoded where they are made, written in batches.

:func:`encode_annotations` turns one document's :class:`DocAnnotations` into
the rows the store writes (:class:`EncodedAnnotations`: plain tuples of
strings and numbers, JSON already made), so an annotating worker process
sends rows, not model objects: the process that stores them neither unpickles
objects nor encodes them (on the 772 ECB+ articles that is 1.0 s of
unpickling and 0.7 s of encoding taken off the parent, which annotates too).

An annotator also gives the document's blocking keys that its annotations
decide alone (:func:`storyline.resolve.keys.annotation_keys`, with their
``KEY_VERSION``): they are written with the annotations, in the same
transaction, and the ``annotated`` row's ``key_version`` says they are there,
so resolution only adds the keys that weigh the store's terms and the
near-duplicate's (:func:`storyline.run.incremental.key_documents`). Rows
encoded without keys (``key_version`` NULL) leave every key to resolution.

:meth:`AnnotationWrites.save_encoded` writes many documents' annotations in
one transaction, each inside its own savepoint: a document the store refuses
(E304, a broken constraint) is rolled back to its savepoint and flagged E203
in the same transaction, and the batch goes on; any other error rolls back
the whole batch, which leaves those documents unannotated (the same command
annotates them again). No document is ever half-written, and writing the same
annotations again replaces them with themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..model import DocAnnotations, EventMention, Figure, LocalEntity, Published, Quote, TimeExpr
from . import codec
from .queries import normalize_name

__all__ = [
    "EncodedAnnotations", "AnnotationWrites", "encode_annotations", "encode_joined", "decode_annotations", "annotations_from",
    "each_in_savepoint", "ITEM_TABLES", "ITEM_FIELDS", "when_cols",
]

ITEM_TABLES = ("entities_local", "times", "quotes", "figures", "event_mentions")
# the DocAnnotations field each table of ITEM_TABLES holds, and its items' model type
ITEM_FIELDS = (("entities", LocalEntity), ("times", TimeExpr), ("quotes", Quote), ("figures", Figure),
               ("events", EventMention))

_INSERTS = {
    "entities_local": "INSERT INTO entities_local (doc, key, ord, name, name_norm, type, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "times": "INSERT INTO times (doc, id, ord, type, date, earliest, latest, start, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "quotes": "INSERT INTO quotes (doc, id, ord, kind, speaker, start, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "figures": """INSERT INTO figures (doc, id, ord, value, unit, about, subject, speaker, start, data)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
    "event_mentions": """INSERT INTO event_mentions (doc, id, ord, type, date, earliest, latest, start, data)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
}


def when_cols(when) -> tuple:
    """The (value, earliest, latest) columns of a ``When`` (three NULLs for none)."""
    if when is None:
        return (None, None, None)
    return (when.value, when.earliest, when.latest)


@dataclass(frozen=True)
class EncodedAnnotations:
    """One document's annotations as the store's rows: ``head`` the ``annotated`` row, ``items``
    one row list per table of :data:`ITEM_TABLES` (in that order); ``keys`` its blocking keys
    of version ``key_version`` (None: none given), written with them (see the module doc)."""

    doc: str
    head: tuple
    items: tuple[list[tuple], ...]
    keys: tuple[str, ...] = ()
    key_version: int | None = None


def _head(ann: DocAnnotations) -> tuple:
    w = ann.published.when
    return (ann.doc, w.value, w.earliest, w.latest, ann.published.basis, codec.dumps(ann.published), codec.dumps(ann.terms))


def encode_annotations(ann: DocAnnotations, keys: Iterable[str] = (), key_version: int | None = None) -> EncodedAnnotations:
    """The rows that store ``ann`` and, when ``key_version`` is given, its blocking ``keys``
    (see :class:`EncodedAnnotations`)."""
    doc, dumps = ann.doc, codec.dumps
    head = _head(ann)
    items = (
        [(doc, e.key, i, e.name, normalize_name(e.name), e.type, dumps(e)) for i, e in enumerate(ann.entities)],
        [(doc, t.id, i, t.type, t.when.value, t.when.earliest, t.when.latest, t.span.start, dumps(t))
         for i, t in enumerate(ann.times)],
        [(doc, q.id, i, q.kind, q.speaker, q.span.start, dumps(q)) for i, q in enumerate(ann.quotes)],
        [(doc, f.id, i, f.value, f.unit, f.about, f.subject, f.speaker, f.span.start, dumps(f))
         for i, f in enumerate(ann.figures)],
        [(doc, e.id, i, e.type, *when_cols(e.when), e.span.start, dumps(e)) for i, e in enumerate(ann.events)],
    )
    return EncodedAnnotations(doc, head, items, *_keys(keys, key_version))


def _keys(keys: Iterable[str], version: int | None) -> tuple[tuple[str, ...], int | None]:
    return (tuple(sorted(keys)), version) if version is not None else ((), None)


def encode_joined(ann: DocAnnotations, parts: Sequence[EncodedAnnotations], keys: Iterable[str] = (),
                  key_version: int | None = None) -> EncodedAnnotations:
    """``encode_annotations(ann)`` made of the rows of its pieces (``ann`` is their join, each
    piece encoded on its own where it was annotated, its items numbered from 0): each piece's rows
    numbered on after the pieces' before it, the head row made of ``ann`` (``keys``: as there)."""
    items: tuple[list[tuple], ...] = tuple([] for _ in ITEM_TABLES)
    for part in parts:
        for rows, more in zip(items, part.items, strict=True):
            base = len(rows)  # every item row is (doc, key or id, ord, ...)
            rows.extend([(doc, key, i + base, *rest) for doc, key, i, *rest in more] if base else more)
    return EncodedAnnotations(ann.doc, _head(ann), items, *_keys(keys, key_version))


def decode_annotations(enc: EncodedAnnotations) -> DocAnnotations:
    """The annotations that ``enc`` stores: what reading them back from the store gives."""
    items = {field: [row[-1] for row in rows] for (field, _), rows in zip(ITEM_FIELDS, enc.items, strict=True)}
    return annotations_from(enc.doc, enc.head[5], enc.head[6], items)


def annotations_from(doc: str, published: str, terms: str | None, items: dict[str, list[str]]) -> DocAnnotations:
    """One document's annotations from its stored JSON: ``published`` and ``terms`` (the
    ``annotated`` row's), ``items`` each field's item rows' ``data``, in order (a field
    missing: none read)."""
    loads = codec.loads
    got: dict[str, Any] = {field: tuple(loads(tp, data) for data in items.get(field, ())) for field, tp in ITEM_FIELDS}
    return DocAnnotations(
        doc=doc,
        published=loads(Published, published),
        **got,
        terms=tuple(map(tuple, json.loads(terms))) if terms else (),  # [[term, count], ...]: plain JSON
    )


def each_in_savepoint(conn, items: Sequence, write: Callable[[Any, Any], Any]) -> list:
    """``write(conn, item)`` for each of ``items`` in order, each inside its own savepoint of the
    open transaction: what it returned, or the StoreError (E304, a broken constraint) with which
    the store refused it, nothing of it written, the others going on. Any other error goes up
    (the caller's transaction rolls the whole batch back)."""
    out: list = []
    for item in items:
        conn.execute("SAVEPOINT storyline_doc")
        try:
            out.append(write(conn, item))
        except StoreError as exc:
            if exc.code != "E304":
                raise
            conn.execute("ROLLBACK TO SAVEPOINT storyline_doc")
            out.append(exc)
        conn.execute("RELEASE SAVEPOINT storyline_doc")
    return out


class AnnotationWrites:
    """Saving annotations (mixed into the store)."""

    if TYPE_CHECKING:  # provided by storyline.kb.store.Store and .reliability.Reliability
        _conn: Any

        def _tx(self) -> AbstractContextManager[Any]: ...
        def _annotations_saved(self, conn, doc: str) -> None: ...
        def _flag(self, conn, doc: str, code: str, reason: str) -> None: ...

    def save_annotations(self, ann: DocAnnotations | EncodedAnnotations) -> None:
        """Replace one document's annotations (one transaction; StoreError E304 when the store
        refuses them, and nothing of them is written)."""
        enc = ann if isinstance(ann, EncodedAnnotations) else encode_annotations(ann)
        with self._tx() as conn:
            self._write_annotations(conn, enc)
            self._write_keys(conn, [enc])

    def save_encoded(self, batch: Sequence[EncodedAnnotations],
                     flags: Sequence[tuple[str, str, str]] = ()) -> list[tuple[str, str]]:
        """Save ``batch`` (each document's annotations replacing its earlier ones) and flag
        ``flags`` (doc, code, reason: documents that could not be annotated) in one transaction.
        Returns (doc, reason) for each document of ``batch`` the store refused (E304): its
        writes were undone and it is flagged E203, and the others are saved."""
        refused: list[tuple[str, str]] = []
        if not batch and not flags:
            return refused
        with self._tx() as conn:
            for doc, code, reason in flags:
                self._flag(conn, doc, code, reason)
            written = []
            for enc, done in zip(batch, each_in_savepoint(conn, batch, self._write_annotations), strict=True):
                if isinstance(done, StoreError):
                    reason = f"annotations could not be stored: {done.reason}"
                    self._flag(conn, enc.doc, "E203", reason)
                    refused.append((enc.doc, reason))
                else:
                    written.append(enc)
            self._write_keys(conn, written)
        return refused

    def _write_keys(self, conn, written: Sequence[EncodedAnnotations]) -> None:
        """The blocking keys given with the annotations ``written`` (a document's last), once they
        are: outside their savepoints, whose journal would copy each page of ``doc_keys`` that a
        document's keys reach (they spread over the whole table; 0.1 CPU s on 772 ECB+ articles)."""
        keys = {enc.doc: enc.keys for enc in written}
        if rows := [(k, doc) for doc, ks in keys.items() for k in ks]:
            conn.executemany("INSERT INTO doc_keys (key, doc) VALUES (?, ?)", rows)

    def _write_annotations(self, conn, enc: EncodedAnnotations) -> None:
        doc = enc.doc
        for table in ITEM_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE doc = ?", (doc,))
        conn.execute("DELETE FROM keyed WHERE doc = ?", (doc,))  # keyed and resolved again
        conn.execute("DELETE FROM doc_keys WHERE doc = ?", (doc,))
        self._annotations_saved(conn, doc)  # clears a failure flag, owes a resolution
        conn.execute(
            """INSERT OR REPLACE INTO annotated (doc, published_value, published_earliest, published_latest,
               published_basis, published, terms, key_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (*enc.head, enc.key_version),
        )  # its keys are written after it (:meth:`_write_keys`)
        for table, rows in zip(ITEM_TABLES, enc.items, strict=True):
            if rows:
                conn.executemany(_INSERTS[table], rows)

