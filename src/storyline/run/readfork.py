"""An ingest's read stage in a process of its own, while this process annotates.

``ingest`` hands its inputs to a :class:`Reader` when they are large enough to start the
annotation workers early (:data:`.local.EARLY_START_BYTES`), this process may use two cores or
more, and another process can open the store (a SQLite file or a PostgreSQL server, not
``:memory:``: :meth:`~storyline.kb.store.Store.address`). The reader is forked from this
process (:class:`.forks.Forked`), opens the store on a connection of its own and stores the
documents as :func:`.local.store_read` does, a batch to a transaction, the first one
annotation batch long and each next twice as long (up to :data:`.local.STORE_BATCH`), so that
annotation starts at once and the workers' first batches follow soon; after each batch it
says how many inputs it has done. Meanwhile this process annotates the stored documents that lack
annotations, in storage order, as they come
(:meth:`~storyline.kb.store.Store.iter_documents` ``more``), and waits for the reader only
when it has caught up with it: the same documents are annotated in the same order as when
reading comes first, and the store ends the same. The reader's counts and failures come back
when it ends; its error is raised here (a batch it had not committed is not in the store), and
leaving the reader's context ends it if it has not finished.
"""

from __future__ import annotations

import time

from ..config import Settings
from ..readers import read_paths
from .forks import Forked
from .local import IngestReport, Progress, quiet, store_read

__all__ = ["Reader"]


class Reader:
    """The reader process of one ingest (see the module docstring); ``waited``: the wall seconds
    this process spent starting it and waiting for its documents."""

    def __init__(self, store, paths: list[str], settings: Settings, progress: Progress):
        started = time.perf_counter()
        address = store.address()
        if address is None:
            raise ValueError("the store cannot be opened by another process")
        self.progress = progress
        self.before = store.document_count(unannotated=True)  # left unannotated by an earlier run
        self.counts: IngestReport | None = None  # the reader's, once it has finished
        self.finished = False
        with store.forking():
            self.child = Forked("reader", _read, address, paths, settings, settings.batch_size)
        self.waited = time.perf_counter() - started

    def more(self) -> bool:
        """Wait for the reader's next batch; whether to look for documents again (False once it
        has finished and they have been looked for since)."""
        if self.finished:
            return False
        started = time.perf_counter()
        self._take(self.child.receive())
        self.waited += time.perf_counter() - started
        return True

    def expected(self) -> int | None:
        """How many documents there are to annotate, once the reader has finished (None before)."""
        while not self.finished and (msg := self.child.receive(wait=False)) is not Forked.NOTHING:
            self._take(msg)
        return None if self.counts is None else self.before + self.counts.new

    def _take(self, msg) -> None:
        if msg is Forked.END:
            self.finished = True
        elif isinstance(msg, IngestReport):  # the last message: then the reader exits
            self.counts = msg
            self.progress("read", msg.read + len(msg.failed), None)
        else:
            self.progress("read", msg, None)

    def finish(self, report: IngestReport) -> None:
        """Wait for the reader to end; its counts into ``report``, its failures first."""
        started = time.perf_counter()
        while not self.finished:
            self._take(self.child.receive())
        self.waited += time.perf_counter() - started
        assert self.counts is not None
        report.read += self.counts.read
        report.new += self.counts.new
        report.duplicate += self.counts.duplicate
        report.failed[:0] = self.counts.failed

    def close(self) -> None:
        self.child.close()

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read(address: str, paths: list[str], settings: Settings, first: int, send) -> None:  # pragma: no cover - the child
    """The reader process: store the documents of ``paths`` in the store at ``address``, a batch
    to a transaction, sending how many inputs are done after each batch, then its report (counts
    and failures)."""
    from ..kb import open_store

    report = IngestReport()
    with open_store(address, settings) as store:
        store_read(store, read_paths(paths, settings), report, quiet, first=first,
                   stored=lambda: send(report.read + len(report.failed)))
    send(report)
