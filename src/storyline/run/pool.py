"""Annotation on several processes, streamed in bounded batches.

``annotate_stream(documents, settings, workers=N)`` yields, for every document
of ``documents`` and in the same order, its :class:`DocAnnotations` or an
:class:`AnnotationFailure` (code and reason): one document's failure is that
document's, never the batch's. The caller (``run.local``) writes each result
in its own transaction; nothing here touches the store.

* ``workers == 1`` (or too few documents for two batches): the pipeline runs
  in this process, loaded once (or the ``nlp`` passed in).
* ``workers > 1``: a process pool whose initializer loads the pipeline once
  per worker; the parent sends batches of ``settings.batch_size`` documents
  and keeps at most ``2 * workers`` batches in flight, so memory stays flat
  however long the input is. Workers run the same per-batch function the
  single-process path runs (:func:`annotate_batch`) and send back model
  objects, so the conversion from spaCy Docs happens on every core too.

Why a pool rather than ``nlp.pipe(n_process=N)``: spaCy's multiprocessing
ships serialised Docs back to the parent, which would then convert every Doc
into model objects on one core; here each worker returns finished
annotations. Workers are started with ``spawn`` (no fork of a parent that may
hold a database connection or a progress-bar thread). A worker that dies
(killed, out of memory) is a ``PipelineError`` E205; what was written before
stays, and the same command resumes.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..config import Settings
from ..errors import PipelineError, StorylineError
from ..model import DocAnnotations, Document

__all__ = ["AnnotationFailure", "annotate_batch", "annotate_stream", "default_workers", "local_pipeline"]


@dataclass(frozen=True)
class AnnotationFailure:
    """A document the language pipeline could not annotate (the rest of its batch went on)."""

    doc: str
    source: str
    code: str
    reason: str


def default_workers() -> int:
    """The cores this process may use (the default for ``--workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def annotate_batch(docs: list[Document], nlp, settings: Settings) -> list[DocAnnotations | AnnotationFailure]:
    """Annotate ``docs`` in one ``nlp.pipe`` pass; when that fails, each document on its own,
    so a failure is reported for the document that caused it and the others go in."""
    from ..nlp import annotate

    try:
        return list(annotate(docs, nlp, settings))
    except StorylineError:
        if len(docs) == 1:
            return [_one(docs[0], nlp, settings)]
    return [_one(d, nlp, settings) for d in docs]


def _one(doc: Document, nlp, settings: Settings) -> DocAnnotations | AnnotationFailure:
    from ..nlp import annotate

    try:
        return next(iter(annotate([doc], nlp, settings)))
    except StorylineError as exc:
        return AnnotationFailure(doc.id, doc.source, exc.code, exc.reason)
    except Exception as exc:  # noqa: BLE001  a bug on one document must not lose the batch
        return AnnotationFailure(doc.id, doc.source, "E201", f"annotation failed: {type(exc).__name__}: {exc}")


_LOCAL: dict = {}


def local_pipeline(settings: Settings):
    """This process's pipeline for ``settings``, loaded on first use and kept (models load
    once per process: ``storyline watch`` annotates every round with the same one)."""
    from ..nlp import build_pipeline

    key = settings.spacy_model
    if key not in _LOCAL:
        _LOCAL[key] = build_pipeline(settings)
    return _LOCAL[key]


# ---------------------------------------------------------------- worker side

_WORKER: dict = {}


def _init_worker(settings: Settings) -> None:
    """Pool initializer: load the pipeline once per worker process. Workers ignore Ctrl-C:
    the parent decides when to stop and shuts them down."""
    import signal

    from ..nlp import build_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    _WORKER["settings"] = settings
    try:
        _WORKER["nlp"] = build_pipeline(settings)
    except StorylineError as exc:  # raised again in the parent, with its code
        _WORKER["error"] = (exc.code, exc.reason)


def _work(docs: list[Document]) -> list[DocAnnotations | AnnotationFailure] | tuple[str, str]:
    if "error" in _WORKER:
        return _WORKER["error"]
    return annotate_batch(docs, _WORKER["nlp"], _WORKER["settings"])


# ---------------------------------------------------------------- parent side


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(documents)
    while batch := list(itertools.islice(it, size)):
        yield batch


def annotate_stream(
    documents: Iterable[Document],
    settings: Settings | None = None,
    *,
    workers: int = 1,
    nlp=None,
    expected: int | None = None,
) -> Iterator[DocAnnotations | AnnotationFailure]:
    """Annotations (or failures) for ``documents``, in their order, at most
    ``2 * workers`` batches held at once. ``expected`` (how many documents
    will come, when known) keeps small jobs in this process: never more
    workers than batches."""
    settings = settings or Settings()
    size = settings.batch_size
    if expected is not None:
        workers = min(workers, max(1, -(-expected // size)))
    if workers <= 1 or nlp is not None:
        nlp = nlp or local_pipeline(settings)
        for batch in _batches(documents, size):
            yield from annotate_batch(batch, nlp, settings)
        return
    yield from _pooled(documents, settings, workers)


def _pooled(documents: Iterable[Document], settings: Settings, workers: int) -> Iterator:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(settings,))
    pending: deque = deque()
    batches = _batches(documents, settings.batch_size)
    try:
        for batch in itertools.islice(batches, 2 * workers):
            pending.append(pool.submit(_work, batch))
        while pending:
            results = pending.popleft().result()
            if isinstance(results, tuple):  # the worker could not load the pipeline
                raise PipelineError(results[1], code=results[0])
            nxt = next(batches, None)
            if nxt is not None:
                pending.append(pool.submit(_work, nxt))
            yield from results
    except BrokenProcessPool as exc:
        raise PipelineError(f"an annotation worker process died: {exc}", code="E205") from exc
    except StorylineError:
        raise
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
