"""Resolution on the local cores: the resolution engine (:mod:`storyline.resolve.engine`) with its
tasks run by a pool of worker processes (:class:`PoolRunner`), the same steps Ray runs
(:mod:`.ray_resolve`) and :func:`storyline.resolve.resolve` runs in one process.

``ingest(..., resolve_workers=N)`` resolves a full resolution this way (:func:`pool_resolver`,
given to :func:`storyline.run.incremental.resolve_store`); a partial one (what new documents
touch) stays in this process. It is off by default: on the 772 ECB+ articles on two busy cores
it costs more than it saves (``bench/resolve_workers.py``, store reading included, measured
2026-12-04: 9.7 s wall and 6.5 CPU s in one process against 15.3 s wall and 4.3 + 10.6 CPU s on two
workers; the one-process resolution has got faster since, see the README), because
what the event tasks return (clusters of reports, 28 MB pickled) travels back to this process. Workers are forked for each wave of tasks, so
they inherit what the tasks read instead of receiving it pickled; they read their blocks from the
store file themselves (:func:`store_blocks`) and touch no connection of this process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..config import Settings
from ..model import Resolution
from ..resolve.engine import BLOCK_PARTS, BLOCK_SIZE, resolve_blocks
from ..resolve.partition import split_block, strip_record

__all__ = ["PoolRunner", "pool_resolver", "store_blocks", "load_block"]


_WAVE: list[tuple[Callable, tuple]] = []  # the tasks being run, inherited by the forked workers


def _run(i: int):
    fn, args = _WAVE[i]
    return fn(*args)


class _Task:
    __slots__ = ("fn", "args", "out", "done")

    def __init__(self, fn: Callable, args: tuple):
        self.fn, self.args, self.out, self.done = fn, args, None, False


class _Item:
    """The ``index``-th result of a task that returns several."""

    __slots__ = ("task", "index")

    def __init__(self, task: _Task, index: int):
        self.task, self.index = task, index


def _ready(x) -> bool:
    return x.done if isinstance(x, _Task) else x.task.done if isinstance(x, _Item) else True


def _value(x):
    if isinstance(x, _Task):
        return x.out
    if isinstance(x, _Item):
        return x.task.out[x.index]
    return x


class PoolRunner:
    """Runs the engine's tasks on ``workers`` forked worker processes. Tasks are collected as
    they are submitted and run when their results are asked for (:meth:`get`), in waves of the
    tasks whose arguments are ready; each wave forks its workers, which inherit the arguments
    (nothing is sent to them) and send back only what the tasks return. A wave of one task runs
    in this process."""

    shares_disk = True  # the workers see this machine's files

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._pending: list[_Task] = []

    def put(self, value):
        return value

    def submit(self, fn: Callable, *args, returns: int | None = None):
        task = _Task(fn, args)
        self._pending.append(task)
        return task if returns is None else [_Item(task, i) for i in range(returns)]

    def get(self, handles):
        while self._pending:
            wave = [t for t in self._pending if all(_ready(a) for a in t.args)]
            self._pending = [t for t in self._pending if t not in wave]
            self._run(wave)
        return [_value(h) for h in handles]

    def _run(self, wave: list[_Task]) -> None:
        calls = [(t.fn, tuple(_value(a) for a in t.args)) for t in wave]
        if len(calls) == 1 or self.workers == 1:
            outs = [fn(*args) for fn, args in calls]
        else:
            import multiprocessing

            _WAVE[:] = calls
            try:
                with multiprocessing.get_context("fork").Pool(min(self.workers, len(calls))) as pool:
                    outs = pool.map(_run, range(len(calls)), chunksize=1)
            finally:
                _WAVE.clear()
        for t, out in zip(wave, outs, strict=True):
            t.out, t.done, t.args = out, True, ()


def load_block(path: str, ids: Sequence[str]) -> tuple:
    """One block read from the store at ``path``, in parts (:func:`~storyline.resolve.partition.split_block`)."""
    from ..kb import open_store

    with open_store(path) as store:
        return split_block([strip_record(r) for r in store.records(ids)], list(store.annotations(ids)))


def store_blocks(store, runner, docs: Sequence[str] | None = None, size: int = BLOCK_SIZE) -> list:
    """Handles of the blocks of ``docs`` (default: every stored document), read by tasks when the
    store is a file the workers can open, else a block at a time by the driver."""
    ids = store.document_ids() if docs is None else list(docs)
    path = getattr(store, "path", None)
    in_tasks = runner.shares_disk and isinstance(path, str) and Path(path).is_file()
    blocks = []
    for i in range(0, len(ids), size):
        chunk = ids[i : i + size]
        if in_tasks:
            blocks.append(runner.submit(load_block, path, chunk, returns=BLOCK_PARTS))
        else:
            parts = split_block([strip_record(r) for r in store.records(chunk)], list(store.annotations(chunk)))
            blocks.append([runner.put(x) for x in parts])
    return blocks


def pool_resolver(workers: int, *, parts: int | None = None, block_size: int | None = None) -> Callable:
    """A resolver for :func:`storyline.run.incremental.resolve_store` that resolves on ``workers``
    worker processes: ``resolver(store, settings) -> Resolution`` over every stored document, in
    ``parts`` tasks a step (default: ``workers``) and blocks of ``block_size`` documents (default:
    the documents shared evenly between the workers)."""

    def resolver(store, settings: Settings, timings: dict | None = None) -> Resolution:
        ids = store.document_ids()
        size = block_size or max(1, -(-len(ids) // workers))
        runner = PoolRunner(workers)
        return resolve_blocks(store_blocks(store, runner, ids, size), runner, settings, parts or workers, timings)

    return resolver
