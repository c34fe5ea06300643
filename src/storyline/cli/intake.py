"""Taking articles in: ``ingest`` and ``watch``, with a progress bar that knows its totals, and what
each run (or each round of a watch) took in."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import ConfigError
from .kit import CONFIG, DB, EXIT_USAGE, JSON, WORKERS, fail, open_db, say_failures, settings_for, workers_or_default

__all__ = ["ingest", "watch", "progress_bar", "input_count", "COUNT_BYTES", "say_report", "say_taken"]


def ingest(
    paths: list[str] = typer.Argument(..., help="Files, directories (read recursively) or - for standard input."),
    db: str = DB,
    config: Optional[Path] = CONFIG,
    as_json: bool = JSON,
    workers: Optional[int] = WORKERS,
    engine: str = typer.Option(
        "local", "--engine", help="local (processes on this machine) or ray (Ray Data: pip install 'storyline[ray]')."
    ),
    address: Optional[str] = typer.Option(
        None, "--address", help="With --engine ray: auto or ray://HOST:PORT of a running cluster; a local Ray when omitted."
    ),
) -> None:
    """Read articles (text, Markdown, HTML, JSON lines, WARC, .gz) into the store, annotate and resolve them.

    Exit code 0 when every input went in, 1 when some could not be read (each is listed with its path and
    reason; the rest went in), 2 on a usage error, 3 when the store or pipeline failed."""
    from ..run import ingest as run_ingest

    if engine not in ("local", "ray"):
        fail(ConfigError(f"--engine must be local or ray, not {engine!r}"))
    if address and engine != "ray":
        fail(ConfigError("--address needs --engine ray"))
    settings = settings_for(config, db)
    workers_n: int | None
    if engine == "ray":
        from functools import partial

        from ..run.ray import ingest as ray_ingest

        run_ingest = partial(ray_ingest, address=address)
        workers_n = workers  # None: one annotating actor per CPU of the cluster
    else:
        workers_n = workers_or_default(workers)
    with open_db(db, must_exist=False, settings=settings) as store:
        bar, update = progress_bar(list(paths))
        if bar:
            with bar:
                report = run_ingest(paths, store, settings, progress=update, workers=workers_n)
        else:
            report = run_ingest(paths, store, settings, workers=workers_n)
    say_report(report, as_json)
    raise typer.Exit(report.exit_code)


def watch(
    folder: Path = typer.Argument(..., help="Folder to watch (read recursively, hidden files skipped)."),
    db: str = DB,
    config: Optional[Path] = CONFIG,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON line per round for scripts."),
    workers: Optional[int] = WORKERS,
    interval: float = typer.Option(2.0, "--interval", min=0.05, help="Seconds between looks at the folder."),
    settle: float = typer.Option(
        2.0, "--settle", min=0.0,
        help="Seconds a file must stay unchanged before it is read (at least one interval): a file whose writer "
        "pauses for less is never read half way.",
    ),
) -> None:
    """Ingest files as they appear in FOLDER (and files already there), until Ctrl-C or SIGTERM.

    A file is read once its size and time have not changed for --settle seconds. Each round is reported as by
    ingest; a stop lets the round in progress finish (nothing is half-written). Exit code as ingest: 0 when
    every input went in, 1 when some could not be read, 2 usage error, 3 store or pipeline failure."""
    import signal
    import threading

    from ..run.watch import watch as run_watch

    settings = settings_for(config, db)
    if not folder.is_dir():
        typer.echo(f"error: {folder}: [E100] not a folder to watch", err=True)
        raise typer.Exit(EXIT_USAGE)
    stop = threading.Event()

    def on_signal(signum, frame):
        if stop.is_set():  # a second Ctrl-C: stop now (every write is a transaction)
            raise KeyboardInterrupt
        stop.set()
        typer.echo("stopping after the current round (Ctrl-C again to stop now)", err=True)

    def on_round(report) -> None:
        say_taken(store, report, as_json)
        say_report(report, as_json, compact=True)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    store = open_db(db, must_exist=False, settings=settings)
    typer.echo(f"watching {folder} every {interval:g}s (Ctrl-C to stop)", err=True)
    try:
        total = run_watch(folder, store, settings, interval=interval, settle=max(settle, interval),
                          workers=workers_or_default(workers), stop=stop, on_round=on_round)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None
    finally:
        store.close()
        for s, h in old.items():
            signal.signal(s, h)
    raise typer.Exit(total.exit_code)


def say_report(report, as_json: bool, compact: bool = False) -> None:
    """What ingest (and each watch round) did: failures on stderr, the counts on stdout."""
    say_failures(report.failed)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=None if compact else 2, default=str))
    else:
        typer.echo(
            f"read {report.read}, new {report.new}, duplicate {report.duplicate}, "
            f"near-duplicate {report.near_duplicate}, failed {len(report.failed)}, "
            f"annotated {report.annotated} in {report.seconds:.1f}s"
        )


def say_taken(store, report, as_json: bool) -> None:
    """Each document a watch round took in: "took in PATH: TITLE" (on stderr under --json, whose stdout
    is one line per round); the new documents are the store's last ``report.new``."""
    from .. import views

    if not report.new:
        return
    total = views.count(store, "documents")
    for row in views.list_documents(store, limit=report.new, offset=max(0, total - report.new)):
        title = row.get("display_title") or ""
        typer.echo(f"took in {row.get('source')}" + (f": {title}" if title else ""), err=as_json)


def progress_bar(paths: list[str] | None = None, console=None):
    """A rich progress bar and its ``update(stage, done, total)`` on a terminal (or on ``console``), else
    (None, None): done of total and time left per stage. The read stage's total is counted up front from
    ``paths`` (files, and records of JSON-lines files)."""
    if console is None and not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("left"), TimeRemainingColumn(), transient=True,
                   console=console or Console(stderr=True))
    tasks: dict[str, TaskID] = {}
    expected = {"read": input_count(paths)} if paths else {}

    def update(stage: str, done: int, total: int | None) -> None:
        total = total if total is not None else expected.get(stage)
        if total is not None and done > total:  # more records than counted (an archive): say so, no false end
            total = None
            expected.pop(stage, None)
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)
        if total is None:  # update() keeps a total it is not given: take back one that proved wrong
            for task in bar.tasks:
                if task.id == tasks[stage]:
                    task.total = None

    return bar, update


COUNT_BYTES = 256 * 1024 * 1024  # inputs larger than this are not counted ahead of reading (the bar shows no total)


def input_count(paths: list[str]) -> int | None:
    """How many inputs ``paths`` hold, as the readers will count them: one per file, one per line of a
    .jsonl file; None when it cannot be known cheaply (standard input, archives, inputs over COUNT_BYTES)."""
    from ..readers import input_files

    n, size = 0, 0
    for raw in paths:
        if raw == "-":
            return None
        p = Path(raw)
        files = list(input_files(p)) if p.is_dir() else [p]
        for f in files:
            name = f.name.lower()
            if name.endswith((".gz", ".warc", ".zip")):
                return None
            try:
                size += f.stat().st_size
            except OSError:
                n += 1  # read and reported as failed: still one input
                continue
            if size > COUNT_BYTES:
                return None
            if name.endswith((".jsonl", ".ndjson")):
                with open(f, "rb") as fp:
                    n += sum(1 for line in fp if line.strip())
            else:
                n += 1
    return n
