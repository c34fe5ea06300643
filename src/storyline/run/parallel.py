"""Resolution on the local cores: the resolution engine (:mod:`storyline.resolve.engine`) with its
tasks run on this process and processes forked from it (:class:`PoolRunner`, a
:class:`~.forks.ForkRunner`), the same steps Ray runs (:mod:`.ray_resolve`) and
:func:`storyline.resolve.resolve` runs in one process.

``ingest(..., resolve_workers=N)`` resolves a full resolution this way (:func:`pool_resolver`,
given to :func:`storyline.run.incremental.resolve_store`, which hands it the records and
annotations it holds); a partial one (what new documents touch) stays in this process. The
documents are one block and entities and event families one part (their cuts cost more than a
second part saves); the concept groups of events (with their events built) and the quotes and
figures are shared between this process and a child forked when they start, which inherits
the clusters and sends back its events, whose sentences and dates travel by reference.

It is off by default: on two cores it is no faster than one process. On the 772 ECB+ articles
(``/tmp``-copied store, annotations in memory, CPU s, 2026-12-05 on two cores others were
using): resolve() 4.2 to 4.8 s wall and CPU in one process; on two workers 4.2 to 4.3 s wall,
4.1 CPU s here and 0.8 in the child (before this runner: 27.5 s wall, the workers reading and
sending back their blocks and clusters, 28 MB pickled). What a second process takes (concept
groups and items, 1.1 of the 3.6 CPU s) is about what cutting them and sending the events back
cost, so the gain waits for more of the resolution to be cut into parts that need nothing sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..config import Settings
from ..model import DocAnnotations, DocRecord, Resolution
from ..resolve.engine import BLOCK_PARTS, BLOCK_SIZE, blocks_of, resolve_blocks
from ..resolve.partition import split_block, strip_record
from .forks import ForkRunner

__all__ = ["PoolRunner", "pool_resolver", "store_blocks", "load_block", "FORKED"]


# the engine's steps worth a worker process, run in one session (:mod:`.forks`): on the 772 ECB+
# articles in two parts they are 2.4 of the 4.5 CPU s of resolve(); the others take less a part
# (entities in one part 0.25, neighbours 0.1 a part, pair links 0.18) than a fork costs (0.1 to
# 0.2 s: the pages of this process copied as either side writes them) and run in this process
FORKED = frozenset({"event_group_part", "item_part"})


class PoolRunner(ForkRunner):
    """The engine's runner on ``workers`` processes (:class:`~.forks.ForkRunner`): this one
    and ``workers - 1`` forked from it, which share out the steps in ``forked``."""

    def __init__(self, workers: int, forked: frozenset[str] = FORKED, annotations: Sequence[DocAnnotations] = ()):
        super().__init__(workers, forked, (lambda: shared_objects(annotations)) if annotations else None)


def shared_objects(annotations: Sequence[DocAnnotations]) -> Iterator[object]:
    """What the event steps send between processes of the annotations (event mentions, their
    sentences, triggers and dates, and time expressions): sent by reference (:mod:`.forks`)."""
    for a in annotations:
        yield from a.times
        for m in a.events:
            yield m
            yield m.span
            yield m.trigger
            if m.when is not None:
                yield m.when


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


def pool_resolver(workers: int, *, parts: int | None = None, block_size: int | None = None, entity_parts: int = 1,
                  family_parts: int = 1) -> Callable:
    """A resolver for :func:`storyline.run.incremental.resolve_store` that resolves on ``workers``
    processes (this one and forked workers): ``resolver(store, settings, timings, records=...,
    annotations=...) -> Resolution`` over the documents given (default: every stored document,
    read from the store here), in ``parts`` tasks a step (default: ``workers``) and blocks of
    ``block_size`` documents (default: one block; the steps that work by block take milliseconds
    a block and run in this process)."""

    def resolver(store, settings: Settings, timings: dict | None = None, *, records: Sequence[DocRecord] | None = None,
                 annotations: Sequence[DocAnnotations] | None = None) -> Resolution:
        if records is None or annotations is None:
            records, annotations = store.documents(), list(store.annotations())
        runner = PoolRunner(workers, annotations=annotations)
        return resolve_blocks(blocks_of(records, annotations, runner, block_size or 0), runner, settings, parts or workers,
                              timings, entity_parts=entity_parts, family_parts=family_parts)

    resolver.in_memory = True  # type: ignore[attr-defined]  # resolve_store hands it what it read
    return resolver
