"""``storyline watch FOLDER``: ingest files as they appear, until told to stop.

Polling (no extra dependency, works on network mounts): every ``interval``
seconds the folder is listed (recursively, hidden files skipped, as
``ingest`` does); a file is taken once its size and modification time have
stayed the same for one whole interval, so a file still being copied in is
never read half way. Each round of ready files goes through the same
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
from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from ..errors import IngestError
from .local import IngestReport, Progress, ingest

__all__ = ["watch", "scan"]


def scan(folder: Path) -> dict[str, tuple[int, int]]:
    """Every readable file under ``folder`` with its (size, mtime_ns)."""
    from ..readers import _files  # the same file selection as `ingest FOLDER`

    out = {}
    for p in _files(folder):
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
) -> IngestReport:
    """Ingest what appears in ``folder`` until ``stop`` is set (or after ``rounds`` polls);
    returns the totals over every round (``exit_code`` 1 when any input failed)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestError("not a folder to watch", code="E100", path=str(folder))
    settings = settings or Settings()
    stop = stop or threading.Event()
    total = IngestReport()
    done: dict[str, tuple[int, int]] = {}  # path -> the (size, mtime) last ingested
    last_seen: dict[str, tuple[int, int]] = {}
    n = 0
    while not stop.is_set():
        seen = scan(folder)
        ready = sorted(
            p for p, sig in seen.items() if done.get(p) != sig and last_seen.get(p) == sig
        )
        last_seen = seen
        if ready:
            report = ingest(ready, store, settings, workers=workers, progress=progress)
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


def _add(total: IngestReport, r: IngestReport) -> None:
    total.read += r.read
    total.new += r.new
    total.duplicate += r.duplicate
    total.near_duplicate = r.near_duplicate
    total.failed.extend(r.failed)
    total.annotated += r.annotated
    total.seconds += r.seconds
