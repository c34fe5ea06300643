"""Annotation on several processes, streamed in bounded batches.

``annotate_stream(documents, settings, workers=N)`` (or :class:`Annotators`)
yields, for every document of ``documents`` and in the same order, its
:class:`DocAnnotations` or an :class:`AnnotationFailure` (code and reason):
one document's failure is that document's, never the batch's. The caller
(``run.local``) saves the results; nothing here touches the store.

* ``workers == 1`` (or too few documents for two batches): the pipeline runs
  in this process, loaded once (or the ``nlp`` passed in).
* ``workers > 1``: N annotators are this process and ``N - 1`` worker
  processes from a pool whose initializer loads the pipeline once per
  worker. The parent sends batches to the workers (at most two each in
  flight, so memory stays flat however long the input is) and, rather than
  wait for the oldest one, annotates the next document itself. With
  ``expected`` known, batches shrink as the input runs out (guided
  scheduling), so the end of a run does not wait on one long batch. Workers
  run the same per-batch function the single-process path runs
  (:func:`annotate_batch`) and send back model objects, so the conversion
  from spaCy Docs happens on every core too.
* ``apart`` (what ``ingest`` asks for with one worker on a machine with
  more cores): the one annotator is a worker process and this process only
  feeds it and stores what comes back, meanwhile (documents of more than one
  batch; fewer are annotated here).
* A document longer than ``max_chars`` is annotated in pieces
  (:func:`storyline.nlp.pieces`), each piece where a document would be: the
  pieces of one long document spread over the workers, each placed in its
  document (:func:`storyline.nlp.place`) and, when asked, encoded where it was
  annotated, and this process joins their annotations (:func:`storyline.nlp.join`)
  and rows into the document's, equal to what one process gives.
* :meth:`Annotators.start` launches the workers ahead of need: ``ingest``
  calls it before reading its inputs, so the workers load the pipeline while
  the parent reads and stores.
* ``annotate(..., encoded=True)`` gives each document's annotations as the
  store's rows (:func:`storyline.kb.writes.encode_annotations`), made by the
  annotator: a worker sends rows, which cost the parent a tenth of what
  unpickling model objects and encoding them did (on the 772 ECB+ articles
  0.1 s against 1.0 + 0.9 s of CPU). Apart, the parent has a core of its own
  and encodes: the worker sends model objects (0.3 s to pickle, not 0.9 s to
  encode). Encoding includes the document's blocking keys that its annotations
  decide (:func:`encode`), stored with them: resolution, which runs on one core
  after annotation, only adds those that weigh the store's terms.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import PipelineError, StorylineError
from ..kb.writes import EncodedAnnotations, decode_annotations, encode_annotations, encode_joined
from ..model import DocAnnotations, Document

__all__ = ["AnnotationFailure", "Annotators", "annotate_batch", "annotate_stream", "default_workers", "encode",
           "local_pipeline"]


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
    key = settings.spacy_model
    if key not in _LOCAL:
        _LOCAL[key] = _load(settings)
    return _LOCAL[key]


def _load(settings: Settings):
    """The pipeline, built once per process; then every object of the process so far (the
    model's are about 100,000, and live as long as the process) is left out of the cycle
    collector's passes (``gc.freeze``), which annotation's allocations trigger hundreds of
    times: on 12 pieces of the 1 MB paragraph of ``bench/stress.py`` collecting took 0.33
    CPU s, 0.14 once frozen. They are unfrozen at exit, so that the interpreter's last
    collection finalises them (extension types report what it leaves)."""
    import atexit
    import gc

    from ..nlp import build_pipeline

    nlp = build_pipeline(settings)
    gc.freeze()
    atexit.register(gc.unfreeze)
    return nlp


# ---------------------------------------------------------------- worker side

_WORKER: dict = {}


def _init_worker(settings: Settings) -> None:
    """Pool initializer: load the pipeline once per worker process. Workers ignore Ctrl-C:
    the parent decides when to stop and shuts them down; a parent that dies without doing so
    (``kill -9``) takes them with it (they would wait for work for ever, holding a model)."""
    import multiprocessing
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="storyline-parent-watch", daemon=True).start()

    _WORKER["settings"] = settings
    try:
        _WORKER["nlp"] = _load(settings)
    except StorylineError as exc:  # raised again in the parent, with its code
        _WORKER["error"] = (exc.code, exc.reason)


def _exit_with(parent) -> None:
    parent.join()  # returns when the parent process has ended
    os._exit(1)


def _ready() -> None:
    """A no-op task: submitting one per worker makes the pool launch its processes now."""


def _work(items: list, encoded: bool = False) -> list | tuple[str, str]:
    if "error" in _WORKER:
        return _WORKER["error"]
    out = _annotate_items(items, _WORKER["nlp"], _WORKER["settings"], encoded)
    return _encoded(out) if encoded else out


@dataclass(frozen=True)
class Piece:
    """Piece ``index`` of a long document (:func:`storyline.nlp.pieces`), annotated as a
    document of its own; its text starts ``offset`` characters into the document's."""

    offset: int
    document: Document
    index: int


@dataclass(frozen=True)
class PieceAnnotations:
    """A piece's annotations, placed in its document (:func:`storyline.nlp.place`), and their
    rows when its annotator encoded them (numbered from 0): never stored or kept alone, only once
    joined with the other pieces' (:func:`_joined`)."""

    annotations: DocAnnotations
    rows: EncodedAnnotations | None = None


def _annotate_items(items: list, nlp, settings: Settings, encoded: bool = False) -> list:
    """:func:`annotate_batch` over documents and pieces alike: a piece's annotations come back
    placed as :class:`PieceAnnotations` (with their rows when ``encoded``: the join then only
    numbers them on, the annotators encode the pieces), a failure as it is."""
    out = annotate_batch([it.document if isinstance(it, Piece) else it for it in items], nlp, settings)
    return [_piece(r, it, encoded) if isinstance(it, Piece) and isinstance(r, DocAnnotations) else r
            for it, r in zip(items, out, strict=True)]


def _piece(ann: DocAnnotations, piece: Piece, encoded: bool) -> PieceAnnotations:
    from ..nlp import place

    placed = place(ann, piece.offset, piece.index)
    return PieceAnnotations(placed, encode_annotations(placed) if encoded else None)


def encode(ann: DocAnnotations, parts: list[EncodedAnnotations] | None = None) -> EncodedAnnotations:
    """The store's rows of ``ann`` with the blocking keys its annotations decide
    (:func:`~storyline.resolve.keys.annotation_keys`); ``parts``: its pieces' rows, of which
    ``ann`` is the join (:func:`~storyline.kb.writes.encode_joined`)."""
    from ..resolve.keys import KEY_VERSION, annotation_keys

    keys = annotation_keys(ann)
    if parts is not None:
        return encode_joined(ann, parts, keys, KEY_VERSION)
    return encode_annotations(ann, keys, KEY_VERSION)


def _encoded(results: list[DocAnnotations | AnnotationFailure]) -> list[EncodedAnnotations | AnnotationFailure]:
    return [encode(r) if isinstance(r, DocAnnotations) else r for r in results]


# ---------------------------------------------------------------- parent side


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(documents)
    while batch := list(itertools.islice(it, size)):
        yield batch


# batches a worker process has in flight at most: the one it annotates and the next, so it has
# work while the parent annotates a document of its own
QUEUED = 2


class Annotators:
    """``workers`` annotators: this process and ``workers - 1`` worker processes (``apart``:
    ``workers`` worker processes, this process annotating only jobs of one batch).

    ``start()`` launches the worker processes now, so that their start-up (spawn,
    imports, model load) overlaps whatever the caller does next (``ingest`` reads and
    stores its inputs meanwhile); otherwise they start when :meth:`annotate` first needs
    them. Use as a context manager: leaving it stops the workers. A given ``nlp`` (a
    pipeline object, e.g. a test seam) keeps every document in this process."""

    def __init__(self, settings: Settings | None = None, workers: int = 1, *, nlp=None, apart: bool = False):
        self.settings = settings or Settings()
        self.workers = max(1, workers)
        self._nlp = nlp
        self.apart = apart and nlp is None
        self._pool: Any = None  # a ProcessPoolExecutor once started

    @property
    def pooled(self) -> bool:
        """Whether this can run worker processes at all."""
        return (self.workers > 1 or self.apart) and self._nlp is None

    @property
    def _children(self) -> int:
        return self.workers if self.apart else self.workers - 1

    def start(self) -> "Annotators":
        """Launch the worker processes (no-op when already started or not :attr:`pooled`)."""
        if self.pooled and self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self._children, mp_context=ctx, initializer=_init_worker, initargs=(self.settings,)
            )
            for _ in range(self._children):  # processes are launched at the first submit
                self._pool.submit(_ready)
        return self

    def close(self) -> None:
        """Stop the worker processes without waiting for them to exit: each ends once it
        sees the pool closed (after the batch it is annotating, if any), and the caller
        goes on meanwhile (a quarter of a second per run: a worker's interpreter with a
        pipeline takes that long to tear down). A worker that never got a document may
        still be loading its pipeline."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> "Annotators":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def annotate(self, documents: Iterable[Document], expected: int | Callable[[], int | None] | None = None, *,
                 encoded: bool = False, keep: dict | None = None) -> Iterator:
        """Annotations (or failures) for ``documents``, in their order, a bounded number of
        documents held at once (:meth:`_shared`). ``expected`` (how many documents will come,
        when known) keeps small jobs in this process (never more annotators than
        ``batch_size`` batches; apart, one batch or less unless the worker was started) and
        lets the batches shrink as the input runs out; a function gives that count once it is
        known (None before: documents still being stored, ``run.readfork``), for the shrinking
        only. ``encoded``: each document's
        annotations as the store's rows (:class:`~storyline.kb.writes.EncodedAnnotations`). ``keep``
        (a dict, when given) receives by document the annotations this process has as model
        objects (those it made, those its workers sent, decoded from their rows), which a first resolution then
        takes instead of reading them back from the store."""
        size = self.settings.batch_size
        known = expected if isinstance(expected, int) else None
        n = self.workers if known is None else min(self.workers, max(1, -(-known // size)))
        documents = iter(documents)
        if n <= 1 and self.pooled and known is not None:
            from ..nlp import piece_bounds

            # a small job: enough pieces of long documents in it for more annotators?
            head = list(itertools.islice(documents, size))
            units = sum(len(piece_bounds(d.text, self.settings)) for d in head)
            if units > len(head):
                n, expected = min(self.workers, units), units
                known = units
            documents = itertools.chain(head, documents)
        if self.apart and self.pooled and (known is None or known > size or self._pool is not None):
            n = max(n, 2)  # one worker process, this process storing: as two annotators here
        if n <= 1 or not self.pooled:
            nlp = self._nlp or local_pipeline(self.settings)
            for batch in _batches(documents, size):
                out = annotate_batch(batch, nlp, self.settings)
                _keep(keep, out)
                yield from (_encoded(out) if encoded else out)
            return
        counts: deque[int] = deque()  # items of each document sent, in input order
        results = self._shared(_items(documents, self.settings, counts), n, expected, encoded, keep)
        yield from _joined(results, counts, encoded, keep)

    def _shared(self, documents: Iterator[Document], n: int, expected: int | Callable[[], int | None] | None,
                encoded: bool = False, keep: dict | None = None) -> Iterator:
        """Annotate on this process and ``n - 1`` workers; results in input order.

        Each worker has at most ``QUEUED`` batches in flight. Whenever the oldest batch is
        still out, this process annotates the next document itself (one at a time, so it
        keeps the workers fed between documents; batches here instead made no measurable
        difference on 200 ECB+ articles) instead of waiting. With ``expected`` known, a
        worker's batch is the documents left divided by ``4 * n`` (at most ``batch_size``,
        at least one): large while much is left, single documents at the end, so no
        annotator waits on another's long last batch. At most
        ``(QUEUED * (n - 1) + 2) * batch_size`` documents are held at once. Apart, this process
        annotates nothing: it waits for the oldest batch (its one worker is the ``n - 1``)."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        self.start()
        pool, settings = self._pool, self.settings
        children = min(n - 1, self._children)
        cap = (QUEUED * children + 2) * settings.batch_size  # documents out or done, not yet yielded
        taken = 0
        pending: deque = deque()  # Future (a worker's batch) or list (done here), in input order
        held = out = 0  # documents in pending; futures in pending
        more = True

        def take(k: int) -> list[Document]:
            nonlocal taken, more
            got = list(itertools.islice(documents, k))
            more = len(got) == k
            taken += len(got)
            return got

        try:
            while True:
                while more and out < QUEUED * children:
                    total = expected() if callable(expected) else expected
                    left = None if total is None else max(0, total - taken)
                    k = settings.batch_size if left is None else -(-left // (4 * n))
                    k = max(1, min(settings.batch_size, k))
                    if held + k > cap:
                        break
                    batch = take(k)
                    if batch:
                        # apart, this process has a core to itself: it encodes, and the worker sends objects
                        pending.append(pool.submit(_work, batch, encoded and not self.apart))
                        out += 1
                        held += len(batch)
                if not pending:
                    return
                head = pending[0]
                if isinstance(head, Future) and not head.done() and more and held < cap and not self.apart:
                    batch = take(1)  # rather than wait for the oldest batch: one document here
                    if batch:
                        out_here = _annotate_items(batch, local_pipeline(settings), settings, encoded)
                        _keep(keep, out_here)
                        pending.append(_encoded(out_here) if encoded else out_here)
                        held += 1
                    continue
                pending.popleft()
                if isinstance(head, Future):
                    out -= 1
                    results = head.result()
                    if isinstance(results, tuple):  # the worker could not load the pipeline
                        raise PipelineError(results[1], code=results[0])
                    if encoded and self.apart:
                        _keep(keep, results)
                        results = _encoded(results)
                    elif encoded and keep is not None:
                        # decoded here while the workers annotate, not after them all by the resolution
                        _keep(keep, [decode_annotations(r) for r in results if isinstance(r, EncodedAnnotations)])
                else:
                    results = head
                held -= len(results)
                yield from results
        except BrokenProcessPool as exc:
            raise PipelineError(f"an annotation worker process died: {exc}", code="E205") from exc
        finally:
            for f in pending:
                if isinstance(f, Future):
                    f.cancel()


def _keep(keep: dict | None, results: list) -> None:
    if keep is not None:
        keep.update((r.doc, r) for r in results if isinstance(r, DocAnnotations))


def _items(documents: Iterator[Document], settings: Settings, counts: deque) -> Iterator:
    """Each document, or the :class:`Piece` s of a long one; how many items each document
    made is appended to ``counts`` before its first item goes."""
    from ..nlp import pieces

    for d in documents:
        parts = pieces(d, settings)
        counts.append(len(parts))
        if len(parts) == 1:
            yield d
        else:
            yield from (Piece(offset, part, i) for i, (offset, part) in enumerate(parts))


def _joined(results: Iterator, counts: deque, encoded: bool = False, keep: dict | None = None) -> Iterator:
    """One result per document from the results of its items (:func:`_items`): a document's
    as it came, a long one's pieces joined (then kept and encoded as asked) or the first
    failure among them."""
    from ..nlp import join

    for first in results:
        n = counts.popleft()
        if n == 1:
            yield first
            continue
        parts = [first, *itertools.islice(results, n - 1)]
        failed = next((r for r in parts if not isinstance(r, PieceAnnotations)), None)
        if failed is not None:
            yield failed
            continue
        whole = join([r.annotations for r in parts])
        _keep(keep, [whole])
        if not encoded:
            yield whole
        elif all(r.rows is not None for r in parts):
            yield encode(whole, [r.rows for r in parts])
        else:  # apart: the worker sent objects
            yield encode(whole)


def annotate_stream(
    documents: Iterable[Document],
    settings: Settings | None = None,
    *,
    workers: int = 1,
    nlp=None,
    expected: int | None = None,
) -> Iterator[DocAnnotations | AnnotationFailure]:
    """Annotations (or failures) for ``documents``, in their order, on ``workers``
    annotators (this process and ``workers - 1`` worker processes): see :class:`Annotators`."""
    with Annotators(settings, workers, nlp=nlp) as annotators:
        yield from annotators.annotate(documents, expected)
