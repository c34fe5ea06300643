"""Per-document NLP: ``annotate(documents, nlp)`` turns each Document into
DocAnnotations, a pure function of (document, settings), batched through
``nlp.pipe``. Long documents are annotated in chunks split at paragraph or
sentence boundaries, never refused."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from ..config import Settings
from ..errors import PipelineError
from ..model import DocAnnotations, Document
from .build import build_pipeline
from .convert import merge_chunks, to_annotations

__all__ = ["annotate", "build_pipeline", "chunk_bounds"]

_BREAK = re.compile(r"\n\s*\n|\n|(?<=[.!?])\s+")


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


def _batches(documents: Iterable[Document], nlp, settings: Settings) -> Iterator[list]:
    """spaCy Docs (one per chunk, tagged with their Document, chunk index, count and offset)
    in batches of at most ``batch_size`` chunks and about ``max_chars`` characters: the
    characters in flight, hence memory, stay bounded whatever the documents' length."""
    batch: list = []
    chars = 0
    for d in documents:
        bounds = chunk_bounds(d.text, settings.max_chars, settings.max_annotate_chars)
        for i, (s, e) in enumerate(bounds):
            whole = len(bounds) == 1 and e == len(d.text)
            part = d if whole else dataclasses.replace(d, text=d.text[s:e])
            if batch and (len(batch) >= settings.batch_size or chars + (e - s) > settings.max_chars):
                yield batch
                batch, chars = [], 0
            batch.append((part, i, len(bounds), s))
            chars += e - s
    if batch:
        yield batch


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
                pending.append(to_annotations(doc, offset))
                if i == n - 1:
                    yield merge_chunks(pending)
                    pending = []
    except (PipelineError, GeneratorExit):
        raise
    except Exception as exc:  # noqa: BLE001  any bug in a component is this batch's PipelineError
        where = f" (document {current.id}, {current.source})" if current is not None else ""
        raise PipelineError(f"annotation failed{where}: {type(exc).__name__}: {exc}", code="E201") from exc
