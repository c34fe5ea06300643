"""``storyline watch FOLDER``: ingest files as they appear, until told to stop.

Polling (no extra dependency, works on network mounts): every ``interval``
seconds the folder is listed (recursively, hidden files skipped, as
``ingest`` does); a file is taken once its size and modification time have
stayed the same for ``settle`` seconds (the command's ``--settle``, default
``SETTLE_S``, at least one interval), so a file still being copied in, even by a
writer that pauses for less than that, is not read half way. Names that say a
download is in progress (``.part``, ``.crdownload``, ``.tmp``, ...) wait for
their rename. A file no reader can take (one bad record, a reader's bug) is a
failure of its round, reported like ingest's, and watching goes on. Each round of ready files goes through the same
:func:`~storyline.run.local.ingest` as ``storyline ingest`` (documents and
annotations each in their own transaction, then resolution), and a file that
changes later is read again (its new content is a new document; the same
content is a duplicate and changes nothing).

Stopping: ``stop`` is a :class:`threading.Event`; the CLI sets it on SIGINT
(Ctrl-C) or SIGTERM. A round in progress finishes first (a second Ctrl-C
interrupts it; every write is a transaction, so nothing is half-written and
the next run picks up what is left).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from ..errors import IngestError, PipelineError, StoreError
from ..readers import IngestFailure
from .local import IngestReport, Progress, ingest

# seconds a file must stay unchanged before `storyline watch` reads it (--settle): a writer that
# pauses for less (a slow copy, a script writing in pieces) is never read half way
SETTLE_S = 2.0
# names of files still being written by a downloader or an editor; they are read once renamed
IN_PROGRESS = (".part", ".partial", ".crdownload", ".download", ".tmp", ".swp", "~")

__all__ = ["watch", "scan"]


def scan(folder: Path) -> dict[str, tuple[int, int]]:
    """Every readable file under ``folder`` with its (size, mtime_ns)."""
    from ..readers import input_files  # the same file selection as `ingest FOLDER`

    out = {}
    for p in input_files(folder):
        if p.name.lower().endswith(IN_PROGRESS):
            continue
        try:
            st = p.stat()
        except OSError:  # removed between listing and stat
            continue
        out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def watch(
    folder: str | Path,
    store,
    settings: Settings | None = None,
    *,
    interval: float = 2.0,
    workers: int | None = None,
    stop: threading.Event | None = None,
    on_round: Callable[[IngestReport], None] | None = None,
    progress: Progress | None = None,
    rounds: int | None = None,
    settle: float | None = None,
) -> IngestReport:
    """Ingest what appears in ``folder`` until ``stop`` is set (or after ``rounds`` polls);
    returns the totals over every round (``exit_code`` 1 when any input failed).

    A file is read once it has been seen unchanged (size and mtime) for ``settle`` seconds
    (default: one interval) by this process's clock, so a file's own time (a future mtime,
    a skewed network mount) never holds it back or lets it in early."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestError("not a folder to watch", code="E100", path=str(folder))
    settings = settings or Settings()
    stop = stop or threading.Event()
    total = IngestReport()
    done: dict[str, tuple[int, int]] = {}  # path -> the (size, mtime) last ingested
    since: dict[str, tuple[tuple[int, int], float]] = {}  # path -> (signature, when first seen so)
    wait = interval if settle is None else settle
    n = 0
    while not stop.is_set():
        seen = scan(folder)
        now = time.monotonic()
        since = {p: since[p] if p in since and since[p][0] == sig else (sig, now) for p, sig in seen.items()}
        ready = sorted(
            p for p, sig in seen.items() if done.get(p) != sig and now - since[p][1] >= wait * 0.999
        )
        if ready:
            report = _round(ready, store, settings, workers, progress)
            for p in ready:
                done[p] = seen[p]
            _add(total, report)
            if on_round:
                on_round(report)
        n += 1
        if rounds is not None and n >= rounds:
            break
        stop.wait(interval)
    return total


def _round(ready: list[str], store, settings: Settings, workers, progress) -> IngestReport:
    """One round's ingest; an error that is not the store's or the pipeline's fails the round's
    files (each reported, E113) instead of ending the watch."""
    try:
        return ingest(ready, store, settings, workers=workers, progress=progress)
    except (StoreError, PipelineError):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug on one input must not stop watching
        reason = f"round failed: {type(exc).__name__}: {exc}"[:300]
        return IngestReport(failed=[IngestFailure(p, "E113", reason) for p in ready])


def _add(total: IngestReport, r: IngestReport) -> None:
    total.read += r.read
    total.new += r.new
    total.duplicate += r.duplicate
    total.near_duplicate = r.near_duplicate
    total.failed.extend(r.failed)
    total.annotated += r.annotated
    total.seconds += r.seconds
