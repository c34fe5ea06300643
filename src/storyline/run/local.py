"""Local streaming run: read files, store the documents a batch to a transaction
(each document whole or not at all: :data:`STORE_BATCH`), annotate the documents that lack annotations in ``nlp.pipe`` batches (their
annotations stored a batch to a transaction, each document whole or not at
all), then resolve across the whole store.

Every step is restartable: a ``kill -9`` at any point followed by the same
command finishes the work and leaves every document stored once and whole,
because documents and their annotations are written in separate transactions
and annotation picks up every document that has none.
"""

from __future__ import annotations

import itertools
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

from ..config import Settings
from ..kb.reliability import owner_id
from ..readers import IngestFailure, read_paths
from .incremental import resolve_store

__all__ = ["IngestReport", "ingest", "store_read", "reannotate", "reresolve", "save_or_flag", "Progress", "claimed", "quiet"]

# progress(stage, done, total): total is None when unknown
Progress = Callable[[str, int, "int | None"], None]


def quiet(stage: str, done: int, total: int | None) -> None:
    """A progress callback that reports nothing (the default of every engine)."""
    return None


@dataclass
class IngestReport:
    """What one ingest did; ``exit_code`` is 0 when every input went in, 1 when some failed."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: list[IngestFailure] = field(default_factory=list)
    annotated: int = 0
    seconds: float = 0.0
    # wall seconds of each stage: "read" (what annotation waited for the documents: reading and storing
    # them all, or, with a reader process storing them meanwhile (.readfork), its start and the times
    # annotation caught up with it), "annotate" (the rest until the annotations are stored), "resolve";
    # what is not "annotate" is the serial part no worker shares
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "new": self.new,
            "duplicate": self.duplicate,
            "near_duplicate": self.near_duplicate,
            "failed": [{"path": f.path, "code": f.code, "reason": f.reason} for f in self.failed],
            "annotated": self.annotated,
            "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
        }


def ingest(
    paths: Iterable[str],
    store,
    settings: Settings | None = None,
    *,
    nlp=None,
    progress: Progress | None = None,
    resolve: bool = True,
    workers: int | None = None,
    resolve_workers: int = 1,
) -> IngestReport:
    """Read ``paths`` into ``store``, annotate what is new (by ``workers`` annotators, default
    every core: this process and ``workers - 1`` worker processes; small jobs and a given
    ``nlp`` stay in this process), and resolve. When the inputs
    are large enough to need them, the worker processes start before the reading, so they
    load the language pipeline while the documents are read and stored; then too, with two
    cores or more and a store another process can open, a reader process reads and stores
    the documents while this process annotates them as they are stored (:mod:`.readfork`).
    ``resolve_workers`` > 1: a full resolution runs the resolution engine's tasks on that many
    processes (:mod:`.parallel`; off by default: on the 772 ECB+ articles on two cores it is
    no faster than one process)."""
    from .pool import Annotators, default_workers

    paths = [str(p) for p in paths]
    workers = workers or default_workers()
    settings = settings or Settings()
    progress = progress or quiet
    report = IngestReport()
    started = time.perf_counter()
    large = _input_bytes(paths, EARLY_START_BYTES) >= EARLY_START_BYTES
    with Annotators(settings, workers, nlp=nlp, apart=_apart(workers)) as annotators, ExitStack() as stack:
        reader = None
        if large and default_workers() > 1 and store.address() is not None:
            from .readfork import Reader

            # forked before the workers start (no threads yet): it reads while this process annotates
            reader = stack.enter_context(Reader(store, paths, settings, progress))
        if annotators.pooled and large:
            annotators.start()
        if reader is None:
            store_read(store, read_paths(paths, settings), report, progress)
        read_done = time.perf_counter()
        resolver = None
        if resolve_workers > 1:
            from .parallel import pool_resolver

            resolver = pool_resolver(resolve_workers)
        # a full resolution follows, from this process (the store has none yet): it takes what this run
        # annotated from memory instead of decoding it again from the store
        in_memory = resolver is None or getattr(resolver, "in_memory", False)
        kept: dict | None = {} if resolve and in_memory and not store.has_resolution() else None
        report.annotated = _annotate_stored(store, settings, annotators, progress, failures=report.failed, keep=kept,
                                            reader=reader)
        if reader is not None:
            reader.finish(report)
        report.stages["read"] = read_done - started if reader is None else reader.waited
        report.stages["annotate"] = time.perf_counter() - started - report.stages["read"]
    return finish(store, settings, report, progress, resolve=resolve, started=started, resolver=resolver, annotations=kept)


# Documents read are stored this many to a transaction (one statement a table: kb.docwrites), or
# fewer when their texts reach STORE_BATCH_CHARS: one commit per document cost more than storing it,
# and each commit rewrites the band and full-text index pages the batch touched (on the 772 ECB+
# articles storing took 0.19 CPU s at 64 a batch, 0.16 at 256, 0.15 at 1,024)
STORE_BATCH = 256
STORE_BATCH_CHARS = 8_000_000


def store_read(store, items: Iterable, report: IngestReport, progress: Progress, *, first: int | None = None,
               stored: Callable[[], None] | None = None) -> None:
    """Store the documents of ``items`` (what :func:`~storyline.readers.read_paths` yields) a batch
    to a transaction (:meth:`~storyline.kb.store.Store.add_documents`), counting them in ``report``;
    a reader's failure, or a document the store refuses (E304), is a failure of ``report``.
    ``first`` (when given): the documents of the first batch, each next one twice as many up to
    :data:`STORE_BATCH` (the reader process's first is one annotation batch, so that annotation
    starts at once and has the next ones soon: :mod:`.readfork`); ``stored`` is called after
    each batch is committed."""
    batch: list = []
    chars = 0
    size = first or STORE_BATCH

    def flush() -> None:
        nonlocal batch, chars, size
        if not batch:
            return
        for doc, status in zip(batch, store.add_documents(batch), strict=True):
            if status == "new":
                report.new += 1
            elif status == "exists":
                report.duplicate += 1
            else:  # not stored: a failure, not a document read
                report.read -= 1
                report.failed.append(IngestFailure(doc.source, status.code, f"the store refused it: {status.reason}"))
        batch, chars, size = [], 0, min(2 * size, STORE_BATCH)
        if stored is not None:
            stored()

    for item in items:
        if isinstance(item, IngestFailure):
            report.failed.append(item)
        else:
            report.read += 1
            batch.append(item)
            chars += len(item.text)
            if len(batch) >= size or chars >= STORE_BATCH_CHARS:
                flush()
        progress("read", report.read + len(report.failed), None)
    flush()


# Inputs of at least this many bytes start the worker processes before they are read: below
# it a run rarely has two batches of documents to annotate, and a worker that starts for
# nothing costs a core a model load.
EARLY_START_BYTES = 64 * 1024


def _apart(workers: int) -> bool:
    """Whether one annotator works in a worker process, this process storing meanwhile
    (:class:`.pool.Annotators` ``apart``). Off: on the 772 ECB+ articles on 2 cores it took the
    same wall time as annotating here (86.9 s here, 87.4 s apart) for 5 more CPU seconds (the
    worker's model load, objects pickled across), since storing is only 2% of the annotation."""
    return False


def _input_bytes(paths: list[str], enough: int) -> int:
    """The bytes of the regular files named by ``paths`` (folders walked, hidden entries
    skipped as the readers skip them), counted until ``enough``; stdin counts as ``enough``."""
    total = 0
    for raw in paths:
        if raw == "-":
            return enough
        if os.path.isdir(raw):
            for top, dirs, names in os.walk(raw):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    if not name.startswith("."):
                        total += _size(os.path.join(top, name))
                if total >= enough:
                    return total
        else:
            total += _size(raw)
        if total >= enough:
            return total
    return total


def _size(path: str) -> int:
    try:
        info = os.stat(path)
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def finish(store, settings: Settings, report: IngestReport, progress: Progress, *, resolve: bool, started: float,
           resolver=None, annotations=None) -> IngestReport:
    """The last stage of every engine: resolve what the new documents touch (and any resolution a
    killed run still owes: the marker is durable), then complete the report. ``resolver`` and
    ``annotations`` (those of this run, by document): see :func:`~.incremental.resolve_store`."""
    resolving = time.perf_counter()
    owed = store.resolution_owed()
    if resolve and (report.annotated or report.new or owed is not None):
        # only what the new documents touch
        resolve_store(store, settings, progress=progress, resolver=resolver, annotations=annotations)
        store.resolution_done(owed)
    report.near_duplicate = store.near_duplicate_count()
    report.stages["resolve"] = time.perf_counter() - resolving
    report.seconds = time.perf_counter() - started
    return report


def reannotate(
    store,
    settings: Settings | None = None,
    *,
    nlp=None,
    progress: Progress | None = None,
    all_docs: bool = False,
    workers: int = 1,
    failures: list | None = None,
    retry_failed: bool = False,
) -> int:
    """Annotate every stored document that has no annotations yet (or all); returns how many.

    Documents are paged out of the store and annotated by ``workers`` annotators
    (this process and ``workers - 1`` worker processes: :mod:`.pool`), each
    document's annotations saved in its own transaction as they come back; a document that fails is flagged in the store with its code
    and reason, appended to ``failures`` (an ``IngestFailure`` named by its
    source) and the rest go on. Flagged documents are skipped unless
    ``retry_failed`` (then only they are annotated). Documents are claimed in
    the store before they are annotated, so two processes sharing a store
    annotate each document once."""
    from .pool import Annotators

    settings = settings or Settings()
    with Annotators(settings, workers, nlp=nlp, apart=_apart(workers)) as annotators:
        return _annotate_stored(store, settings, annotators, progress or quiet, all_docs=all_docs,
                                failures=failures, retry_failed=retry_failed)


def _annotate_stored(store, settings: Settings, annotators, progress: Progress, *, all_docs: bool = False,
                     failures: list | None = None, retry_failed: bool = False, keep: dict | None = None,
                     reader=None) -> int:
    """The body of :func:`reannotate` on ``annotators`` (a :class:`.pool.Annotators`): the
    annotators encode each document's annotations, and they are written ``batch_size``
    documents to a transaction (:meth:`~storyline.kb.store.Store.save_encoded`). ``keep`` (when
    given) receives the annotations this process holds as model objects, by document (what it
    annotated and what its workers sent; a document the store refuses is in it too).
    ``reader`` (a :class:`.readfork.Reader`): the documents it stores are annotated as they come."""
    from .pool import AnnotationFailure

    page = max(64, 4 * settings.batch_size * annotators.workers)
    total: int | Callable[[], int | None]
    if reader is not None:  # documents still being stored: annotated as they come (.readfork)
        total = reader.expected
        todo = store.iter_documents(unannotated=True, page=page, more=reader.more)
        head = next(todo, None)  # the first batch stored; none: nothing new, no pipeline to load
        if head is None:
            return 0
        todo = itertools.chain([head], todo)
    else:
        total = len(store.failures()) if retry_failed else store.document_count(unannotated=not all_docs)
        if not total:
            return 0
        todo = store.failed_documents() if retry_failed else store.iter_documents(unannotated=not all_docs, page=page)
    progress("annotate", 0, total if isinstance(total, int) else None)
    owner = owner_id()
    todo = claimed(store, todo, owner, settings.batch_size, redo=all_docs or retry_failed)
    writer = _Writer(store, progress, total, failures)
    try:
        for ann in annotators.annotate(todo, expected=total, encoded=True, keep=keep):
            if isinstance(ann, AnnotationFailure):
                writer.failed(ann)
            else:
                writer.add(ann)
            if writer.held >= settings.batch_size:
                writer.flush()
        writer.flush()
    finally:
        store.release_claims(owner)
    return writer.saved


class _Writer:
    """Annotations waiting to be written, one transaction for all of them: a document the store
    refuses is flagged E203 and the others go in (:meth:`~storyline.kb.store.Store.save_encoded`).
    ``progress`` counts a document once it is written."""

    def __init__(self, store, progress: Progress, total: int | Callable[[], int | None], failures: list | None):
        self.store, self.progress, self.total, self.failures = store, progress, total, failures
        self.batch: list = []
        self.flags: list[tuple[str, str, str]] = []
        self.sources: list[IngestFailure] = []
        self.saved = self.done = 0

    @property
    def held(self) -> int:
        return len(self.batch) + len(self.flags)

    def add(self, encoded) -> None:
        self.batch.append(encoded)

    def failed(self, fail) -> None:
        """A document the annotator could not annotate (a :class:`.pool.AnnotationFailure`)."""
        self.flags.append((fail.doc, fail.code, fail.reason))
        self.sources.append(IngestFailure(fail.source, fail.code, fail.reason))

    def flush(self) -> None:
        if not self.held:
            return
        refused = self.store.save_encoded(self.batch, self.flags)
        if self.failures is not None:
            self.failures.extend(self.sources)
            if refused:
                rows = {r["id"]: r["source"] for r in self.store.document_rows([d for d, _ in refused])}
                self.failures.extend(IngestFailure(rows.get(d, d), "E203", why) for d, why in refused)
        self.saved += len(self.batch) - len(refused)
        total = self.total() if callable(self.total) else self.total
        for _ in range(self.held):
            self.done += 1
            self.progress("annotate", self.done, total)
        self.batch, self.flags, self.sources = [], [], []


def save_or_flag(store, ann, failures: list | None) -> bool:
    """Save one document's annotations (with their keys: :func:`.pool.encode`); when the store
    refuses them as inconsistent (E304: a constraint, e.g. two items with one id, on any
    backend), flag that document (E203) and go on."""
    from ..errors import StoreError
    from .pool import encode

    try:
        store.save_annotations(encode(ann))
        return True
    except StoreError as exc:
        if exc.code != "E304":
            raise
        reason = f"annotations could not be stored: {exc.reason}"
    store.flag_failure(ann.doc, "E203", reason)
    if failures is not None:
        rows = store.document_rows([ann.doc])
        failures.append(IngestFailure(rows[0]["source"] if rows else ann.doc, "E203", reason))
    return False


def claimed(store, documents: Iterable, owner: str, size: int, *, redo: bool) -> Iterator:
    """The ``documents`` this process wins a claim on, claimed ``size`` at a time just
    before they are annotated (another live process's claims and finished documents are skipped)."""
    it = iter(documents)
    while group := list(itertools.islice(it, size)):
        won = set(store.claim([d.id for d in group], owner, retry_failed=redo))
        yield from (d for d in group if d.id in won)


def reresolve(store, settings: Settings | None = None, *, progress: Progress | None = None, full: bool = True):
    """Resolve entities, events, stories and conflicts: from scratch over the whole store
    (``full``, the default), else only what documents owed a resolution touch
    (:mod:`.incremental`). Ids of items that continue earlier ones are kept either way.
    Returns the stored resolution."""
    progress = progress or quiet
    progress("resolve", 0, 1)
    owed = store.resolution_owed()
    resolve_store(store, settings or Settings(), full=full)
    store.resolution_done(owed)
    progress("resolve", 1, 1)
    return store.resolution()
