"""Keeping the store whole: ``resolve`` (bring the resolution up to date), ``reannotate`` (retry the
documents whose annotation failed) and ``check`` (is the store sound)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .kit import (CONFIG, DB, EXIT_OK, EXIT_SOME_FAILED, EXIT_STORE, JSON, WORKERS, emit, open_db, say_failures,
                  settings_for, workers_or_default)

__all__ = ["resolve", "reannotate", "check"]


def resolve(
    db: str = DB,
    config: Optional[Path] = CONFIG,
    full: bool = typer.Option(False, "--full", help="Rebuild the whole resolution from scratch."),
    as_json: bool = JSON,
) -> None:
    """Bring entities, events, stories and conflicts up to date with the annotated documents.

    By default only documents owed a resolution and what they can touch are resolved (ingest does this
    itself); --full rebuilds everything. Ids of items that continue earlier ones are kept either way."""
    from ..run.incremental import resolve_store

    settings = settings_for(config, db)
    with open_db(db, settings=settings) as store:
        owed = store.resolution_owed()
        report = resolve_store(store, settings, full=full)
        store.resolution_done(owed)
    emit(report.as_dict(), as_json)


def reannotate(
    db: str = DB,
    config: Optional[Path] = CONFIG,
    all_docs: bool = typer.Option(False, "--all", help="Annotate every document again, not only the flagged ones."),
    as_json: bool = JSON,
    workers: Optional[int] = WORKERS,
) -> None:
    """Annotate again the documents whose annotation failed (flagged in `docs`), e.g. after an upgrade, and
    resolve. Exit 0 when all went in, 1 when some failed again (listed; they stay flagged), 3 store or pipeline."""
    import time

    from ..run.local import reannotate as run_reannotate
    from ..run.local import reresolve

    settings = settings_for(config, db)
    started = time.perf_counter()
    failures: list = []
    with open_db(db, settings=settings) as store:
        n = run_reannotate(store, settings, all_docs=all_docs, retry_failed=not all_docs, failures=failures,
                           workers=workers_or_default(workers))
        if n or store.resolution_owed() is not None:
            reresolve(store, settings)
    say_failures(failures)
    out = {"annotated": n, "failed": [{"path": f.path, "code": f.code, "reason": f.reason} for f in failures],
           "seconds": round(time.perf_counter() - started, 3)}
    if as_json:
        emit(out, True)
    else:
        typer.echo(f"annotated {n}, failed {len(failures)} in {out['seconds']:.1f}s")
    raise typer.Exit(EXIT_SOME_FAILED if failures else EXIT_OK)


def check(db: str = DB, as_json: bool = JSON) -> None:
    """Check the store: SQLite's integrity check, documents flagged as failed, a resolution still owed.
    Exit 0 when sound, 3 when the store is damaged (restore a backup or ingest again into a new store)."""
    from ..kb.postgres import is_server_url, redact
    from ..kb.reliability import check_file

    problems = [] if is_server_url(db) else check_file(db)
    shown = redact(db) if is_server_url(db) else db  # never print a database password
    out = {"store": shown, "ok": not problems, "problems": problems, "failed_documents": None, "resolution_owed": None}
    if not problems:
        with open_db(db) as store:
            out.update(failed_documents=len(store.failures()), resolution_owed=store.resolution_owed() is not None)
    if as_json:
        emit(out, True)
    else:
        typer.echo(f"{shown}: {'ok' if not problems else 'DAMAGED'}")
        for p in problems:
            typer.echo(f"  {p}")
        if out["failed_documents"]:
            typer.echo(f"{out['failed_documents']} document(s) failed annotation; `storyline reannotate` retries them")
        if out["resolution_owed"]:
            typer.echo("a resolution is owed (an earlier run stopped before saving it); any ingest finishes it")
    if problems:
        typer.echo(f"error: [E303] the store {db} is damaged; restore it from a backup or ingest the sources again "
                   "into a new store", err=True)
        raise typer.Exit(EXIT_STORE)
