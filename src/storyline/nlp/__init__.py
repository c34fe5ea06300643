"""Per-document NLP: ``annotate(documents, nlp)`` turns each Document into
DocAnnotations, a pure function of (document, settings), batched through
``nlp.pipe``. Long documents are annotated in pieces split at paragraph or
sentence boundaries, never refused: :func:`pieces` cuts one, each piece is
annotated as a document of its own (anywhere: ``run.pool`` spreads the pieces
of one document over its workers) and moved to its place in the document, its
chunk-local keys prefixed (:func:`place`, where it was annotated), and :func:`join`
makes the document's annotations of the pieces'."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from ..config import Settings
from ..errors import PipelineError
from ..model import DocAnnotations, Document
from .build import build_pipeline
from .convert import merge_chunks, place, shift, to_annotations

__all__ = ["PIECE_CHARS", "annotate", "build_pipeline", "chunk_bounds", "join", "piece_bounds", "pieces", "place",
           "run_through", "shift"]

_BREAK = re.compile(r"\n\s*\n|\n|(?<=[.!?])\s+")

# A document longer than ``max_chars`` is annotated in pieces of at most this many characters, and
# one ``nlp.pipe`` call takes at most this many characters: spaCy's tok2vec and ner cost more per
# character on one large array (a batch is concatenated into one), 100,000-character pieces of the
# 1 MB one-paragraph article took 9.7 CPU s per 200 kB against 7.0 at 5,000 to 20,000; batches of
# at most 20,000 characters annotate 300 ECB+ articles in 27.1 CPU s against 29.2 at 100,000
# (docs/ledger.md).
PIECE_CHARS = 20_000


def chunk_bounds(text: str, size: int, limit: int | None = None) -> list[tuple[int, int]]:
    """Cut ``text`` (its first ``limit`` characters when given) into pieces of at most
    ``size`` characters at paragraph, line or sentence breaks (hard cut only when a
    piece has none)."""
    n = len(text) if limit is None else min(len(text), limit)
    if n <= size:
        return [(0, n)]
    out, start = [], 0
    while start < n:
        end = min(n, start + size)
        if end < n:
            window = text[start:end]
            cut = None
            for m in _BREAK.finditer(window, len(window) // 2):
                cut = m.end()
            if cut:
                end = start + cut
        out.append((start, end))
        start = end
    return out


def piece_bounds(text: str, settings: Settings) -> list[tuple[int, int]]:
    """Where :func:`pieces` cuts ``text``: one piece when it has at most ``max_chars``
    characters, else pieces of at most ``min(max_chars, PIECE_CHARS)`` characters cut at
    paragraph, line or sentence ends, over its first ``max_annotate_chars`` characters."""
    size = settings.max_chars if len(text) <= settings.max_chars else min(settings.max_chars, PIECE_CHARS)
    return chunk_bounds(text, size, settings.max_annotate_chars)


def pieces(document: Document, settings: Settings) -> list[tuple[int, Document]]:
    """``(offset, piece)`` for each piece of ``document`` (:func:`piece_bounds`): a piece is
    the document with the text from ``offset`` on, annotated like any document (the one piece
    of a short document is the document itself); :func:`join` makes the document's
    annotations of the pieces'."""
    bounds = piece_bounds(document.text, settings)
    if len(bounds) == 1 and bounds[0] == (0, len(document.text)):
        return [(0, document)]
    return [(s, dataclasses.replace(document, text=document.text[s:e])) for s, e in bounds]


def join(parts: list[DocAnnotations]) -> DocAnnotations:
    """One document's annotations of its pieces' (in order, each :func:`place` d: moved to its
    place in the document, keys and ids prefixed with the piece's index); one piece: its own."""
    return merge_chunks(parts)


def _batches(documents: Iterable[Document], nlp, settings: Settings) -> Iterator[list]:
    """Pieces of documents (each with its Document, index, count and offset) in batches of at
    most ``batch_size`` pieces and about ``min(max_chars, PIECE_CHARS)`` characters: the
    characters in flight, hence memory, stay bounded whatever the documents' length."""
    budget = min(settings.max_chars, PIECE_CHARS)
    batch: list = []
    chars = 0
    for d in documents:
        parts = pieces(d, settings)
        for i, (s, part) in enumerate(parts):
            if batch and (len(batch) >= settings.batch_size or chars + len(part.text) > budget):
                yield batch
                batch, chars = [], 0
            batch.append((part, i, len(parts), s))
            chars += len(part.text)
    if batch:
        yield batch


def run_through(nlp, document: Document, last: str):
    """The spaCy ``Doc`` of ``document`` run through ``nlp`` up to and including the component
    named ``last``: one stage and what it reads, for inspecting that stage."""
    doc = nlp.make_doc(document.text)
    doc._.sl_document = document
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == last:
            break
    return doc


def annotate(
    documents: Iterable[Document], nlp=None, settings: Settings | None = None
) -> Iterator[DocAnnotations]:
    """Annotate documents in batches; yields one DocAnnotations per document, in order.

    Only the first ``max_annotate_chars`` characters of a document are annotated
    (the reader notes it on the document). Any exception inside the pipeline is
    a PipelineError E201 naming the document; callers that must go on past one
    bad document use :func:`storyline.run.pool.annotate_batch`."""
    settings = settings or Settings()
    nlp = nlp or build_pipeline(settings)
    pending: list[DocAnnotations] = []
    current: Document | None = None
    try:
        for batch in _batches(documents, nlp, settings):
            docs = []
            for part, _i, _n, _s in batch:
                current = part
                doc = nlp.make_doc(part.text)
                doc._.sl_document = part
                docs.append(doc)
            for doc, (part, i, n, offset) in zip(nlp.pipe(docs, batch_size=len(docs)), batch, strict=True):
                current = part
                ann = to_annotations(doc)
                pending.append(ann if n == 1 else place(ann, offset, i))
                if i == n - 1:
                    yield join(pending)
                    pending = []
    except (PipelineError, GeneratorExit):
        raise
    except Exception as exc:  # noqa: BLE001  any bug in a component is this batch's PipelineError
        where = f" (document {current.id}, {current.source})" if current is not None else ""
        raise PipelineError(f"annotation failed{where}: {type(exc).__name__}: {exc}", code="E201") from exc
