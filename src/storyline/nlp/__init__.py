"""Per-document NLP: ``annotate(documents, nlp)`` turns each Document into
DocAnnotations, a pure function of (document, settings), batched through
``nlp.pipe``. Long documents are annotated in chunks split at paragraph or
sentence boundaries, never refused."""

from __future__ import annotations

import dataclasses
import re
from collections import deque
from collections.abc import Iterable, Iterator

from ..config import Settings
from ..errors import PipelineError
from ..model import DocAnnotations, Document
from .build import build_pipeline
from .convert import merge_chunks, to_annotations

__all__ = ["annotate", "build_pipeline", "chunk_bounds"]

_BREAK = re.compile(r"\n\s*\n|\n|(?<=[.!?])\s+")


def chunk_bounds(text: str, size: int) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``size`` characters at paragraph,
    line or sentence breaks (hard cut only when a piece has none)."""
    if len(text) <= size:
        return [(0, len(text))]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            cut = None
            for m in _BREAK.finditer(window, len(window) // 2):
                cut = m.end()
            if cut:
                end = start + cut
        out.append((start, end))
        start = end
    return out


def annotate(
    documents: Iterable[Document], nlp=None, settings: Settings | None = None
) -> Iterator[DocAnnotations]:
    """Annotate documents in batches; yields one DocAnnotations per document, in order."""
    settings = settings or Settings()
    nlp = nlp or build_pipeline(settings)

    meta: deque = deque()

    def pieces():
        for d in documents:
            bounds = chunk_bounds(d.text, settings.max_chars)
            for i, (s, e) in enumerate(bounds):
                part = d if len(bounds) == 1 else dataclasses.replace(d, text=d.text[s:e])
                doc = nlp.make_doc(part.text)
                doc._.sl_document = part
                meta.append((i, len(bounds), s))
                yield doc

    pending: list[DocAnnotations] = []
    try:
        for doc in nlp.pipe(pieces(), batch_size=settings.batch_size):
            i, n, offset = meta.popleft()
            pending.append(to_annotations(doc, offset))
            if i == n - 1:
                yield merge_chunks(pending)
                pending = []
    except PipelineError:
        raise
    except (ValueError, RuntimeError, IndexError, KeyError, TypeError, AttributeError) as exc:
        raise PipelineError(f"annotation failed: {type(exc).__name__}: {exc}", code="E201") from exc
