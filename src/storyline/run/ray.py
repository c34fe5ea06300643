"""The Ray engine: the same stages as :mod:`.local`, run on Ray Data.

``ingest(paths, store, engine="ray")`` (``storyline ingest --engine ray
[--address auto|ray://HOST:PORT]``) does what the local engine does, in the
same order, with the same functions:

1. **read**: the input files become a dataset (one row per file, listed in the
   order the local engine reads them); Ray tasks run the readers' own
   :func:`~storyline.readers.read_paths` on each file, so formats, cleaning,
   ids and failures are the local engine's. Files must be on a filesystem
   every Ray node sees (a local disk for a one-machine Ray, a shared mount on a
   cluster). The driver adds each document to the store in input order, so
   near-duplicates point at the same "earliest stored" copy.
2. **annotate**: the store's unannotated documents, a page at a time, become a
   dataset that ``map_batches`` sends through :class:`Annotator` actors. Each
   actor loads the spaCy pipeline once in ``__init__`` and calls
   :func:`storyline.run.pool.annotate_batch`, the per-batch function the local
   engine calls; a document that fails is that document's failure (flagged in
   the store). The driver claims documents in the store before sending them
   (another process sharing the store skips them) and writes each document's
   annotations in its own transaction.
3. **resolve**: :func:`storyline.run.incremental.resolve_store`, as the local
   engine calls it, decides what the new documents owe: a partial resolution
   (what they touch) runs in the driver as locally; a full one (a first build,
   or new documents that touch most of the store) is partitioned by blocking
   key into Ray tasks (:mod:`.ray_resolve`): the tasks read their blocks of the
   store, resolve entities per component of candidate links, stories by text
   from summed term counts and candidate links, events per family of
   participant buckets and per (story, concept) group; the driver merges links
   with union-find and holds ids, links and the result, never the annotations.
   The Resolution equals the local engine's (ids carried the same way) and is
   written in one transaction; the local engine's last stage
   (:func:`storyline.run.local.finish`) then finds nothing owed and completes
   the report. ``partitioned=False`` runs full resolutions in the driver too.

Ray is the ``ray`` extra (``pip install 'storyline[ray]'``); without it the
engine raises ConfigError E401 with that hint. With no address a local Ray
starts in this process (``num_cpus`` limits it) and stops at the end; with an
address the driver joins that cluster and leaves it running. The store stays
with the driver: a SQLite file on the driver's machine, or a PostgreSQL URL
that several drivers and readers share.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..config import Settings
from ..errors import ConfigError, PipelineError
from ..kb import codec
from ..model import DocAnnotations, Document
from ..readers import IngestFailure, read_paths
from .local import IngestReport, Progress, claimed, finish, quiet, save_or_flag, store_read

__all__ = ["ingest", "Annotator", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'storyline[ray]'"


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(f"--engine ray needs Ray Data: {INSTALL_HINT}", code="E401") from None
    return ray


def _input_files(paths: Iterable[str]) -> Iterator[str | IngestFailure]:
    """The files the local engine would read, in its order; a missing path is a failure."""
    from ..readers import input_files  # the readers' own listing: hidden files skipped, sorted

    for raw in paths:
        path = Path(str(raw))
        if path.is_dir():
            yield from (str(f) for f in input_files(path))
        elif path.exists():
            yield str(path)
        else:
            yield IngestFailure(str(raw), "E100", "path does not exist")


def _read_rows(row: dict, settings: Settings) -> list[dict]:
    """One input file -> one row per document (JSON of the model) or failure, in reading order."""
    out = []
    for item in read_paths([row["path"]], settings):
        if isinstance(item, IngestFailure):
            out.append({"kind": "failure", "data": json.dumps([item.path, item.code, item.reason])})
        else:
            out.append({"kind": "document", "data": codec.dumps(item)})
    return out


class Annotator:
    """A Ray Data actor: loads the language pipeline once, then annotates batches of documents."""

    def __init__(self, settings: Settings):
        from ..nlp import build_pipeline

        self.settings = settings
        self.nlp = build_pipeline(settings)

    def __call__(self, batch: dict) -> dict:
        from .pool import AnnotationFailure, annotate_batch

        docs = [codec.loads(Document, text) for text in batch["doc"]]
        kinds, datas = [], []
        for res in annotate_batch(docs, self.nlp, self.settings):
            if isinstance(res, AnnotationFailure):
                kinds.append("failure")
                datas.append(json.dumps([res.doc, res.source, res.code, res.reason]))
            else:
                kinds.append("annotations")
                datas.append(codec.dumps(res))
        return {"kind": kinds, "data": datas}


def _start(ray, address: str | None, num_cpus: int | None) -> bool:
    """Join ``address`` or start a local Ray; True when this call started it (and must stop it)."""
    if ray.is_initialized():
        return False
    opts = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        if address:
            ray.init(address=address, **opts)
        else:
            ray.init(num_cpus=num_cpus, **opts)
    except Exception as exc:  # noqa: BLE001  Ray raises many kinds; all mean "no cluster"
        where = address or "a local Ray"
        raise PipelineError(f"cannot start or join {where}: {type(exc).__name__}: {exc}", code="E206") from exc
    return True


def _cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def ingest(
    paths: Iterable[str],
    store,
    settings: Settings | None = None,
    *,
    address: str | None = None,
    num_cpus: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    resolve: bool = True,
    page: int = 10_000,
    partitioned: bool = True,
) -> IngestReport:
    """Read ``paths`` into ``store`` with Ray, annotate what is new on ``workers`` actors
    (default: one per CPU of the cluster), and resolve (in Ray tasks unless not ``partitioned``);
    the same report as the local engine."""
    paths = [str(p) for p in paths]
    if "-" in paths:
        raise ConfigError("--engine ray reads files that every Ray node can see, not standard input", code="E400")
    ray = _ray()
    settings = settings or Settings()
    progress = progress or quiet
    report = IngestReport()
    started = time.perf_counter()
    owned = _start(ray, address, num_cpus)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # the store order is the input order, as locally
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # our progress callback reports progress
        actors = workers or _cpus(ray)
        _read(ray, paths, store, settings, report, progress)
        report.annotated = _annotate(ray, store, settings, report, progress, actors, page)
        if resolve and partitioned:
            _resolve_in_parts(ray, store, settings, progress, shares_disk=not address)
    finally:
        if owned:
            ray.shutdown()
    return finish(store, settings, report, progress, resolve=resolve, started=started)


def _read(ray, paths, store, settings: Settings, report: IngestReport, progress: Progress) -> None:
    files = []
    for item in _input_files(paths):
        if isinstance(item, IngestFailure):
            report.failed.append(item)
        else:
            files.append(item)
    if not files:
        return
    ds = ray.data.from_items([{"path": f} for f in files]).flat_map(_read_rows, fn_args=(settings,))

    def items() -> Iterator[Document | IngestFailure]:
        for row in ds.iter_rows():
            if row["kind"] == "failure":
                yield IngestFailure(*json.loads(row["data"]))
            else:
                yield codec.loads(Document, row["data"])

    store_read(store, items(), report, progress)  # stored as the local engine stores them: a batch to a transaction


def _annotate(ray, store, settings: Settings, report: IngestReport, progress: Progress, actors: int, page: int) -> int:
    total = store.document_count(unannotated=True)
    if not total:
        return 0
    from ..kb.reliability import owner_id

    progress("annotate", 0, total)
    # one pass in rowid order: what this run saves or fails is behind the cursor, never fetched again;
    # documents are claimed in the store first (another process sharing the store skips them)
    owner = owner_id()
    todo = claimed(store, store.iter_documents(unannotated=True, page=min(page, 1024)), owner, settings.batch_size, redo=False)
    try:
        return _annotate_pages(ray, store, settings, report, progress, actors, page, todo, total)
    finally:
        store.release_claims(owner)


def _annotate_pages(ray, store, settings, report, progress, actors, page, todo, total) -> int:
    """Annotate ``todo`` a page at a time on the actor pool, saving (or flagging) each result."""
    n = done = 0
    while True:
        chunk = [codec.dumps(d) for _, d in zip(range(page), todo, strict=False)]
        if not chunk:
            break
        ds = ray.data.from_items([{"doc": text} for text in chunk]).map_batches(
            Annotator,
            fn_constructor_args=(settings,),
            batch_size=settings.batch_size,
            compute=ray.data.ActorPoolStrategy(size=max(1, min(actors, -(-len(chunk) // settings.batch_size)))),
            num_cpus=1,
            batch_format="numpy",
        )
        for row in ds.iter_rows():
            done += 1
            if row["kind"] == "failure":  # flagged in the store, as the local engine does; the rest go on
                doc, source, code, reason = json.loads(row["data"])
                store.flag_failure(doc, code, reason)
                report.failed.append(IngestFailure(source, code, reason))
            elif save_or_flag(store, codec.loads(DocAnnotations, row["data"]), report.failed):
                n += 1  # a document the store refuses as inconsistent (E304) is flagged E203; the rest go on
            progress("annotate", done, total)
        if len(chunk) < page:
            break
    return n


def _resolve_in_parts(ray, store, settings: Settings, progress: Progress, *, shares_disk: bool) -> None:
    """Resolve what the new documents owe (:func:`storyline.run.incremental.resolve_store`), a
    full resolution in Ray tasks (:mod:`.ray_resolve`)."""
    from .incremental import resolve_store
    from .ray_resolve import ray_resolver

    resolve_store(store, settings, progress=progress, resolver=ray_resolver(ray, shares_disk=shares_disk))
