"""What every command shares: exit codes, the common options, settings and the store opened (or a
coded error turned into its exit code), and output as JSON for scripts or a table for people."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

from ..config import Settings, load_settings
from ..errors import ConfigError, StoreError, StorylineError

__all__ = [
    "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "EXIT_STORE", "EXIT_NOT_FOUND", "DB", "JSON", "ALL", "CONFIG",
    "WORKERS", "fail", "guarded", "settings_for", "open_db", "workers_or_default", "emit", "say_failures",
]

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_STORE, EXIT_NOT_FOUND = 0, 1, 2, 3, 4

DB = typer.Option(
    "storyline.db", "--db", envvar="STORYLINE_DB",
    help="SQLite knowledge base file, or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME for a shared store "
    "(pip install 'storyline[postgres]').",
)
JSON = typer.Option(False, "--json", help="Print JSON for scripts instead of a table.")
ALL = typer.Option(False, "--all", help="Show every row (a terminal view shows the first 50 and says how many more).")
CONFIG = typer.Option(None, "--config", help="TOML file with a [storyline] table of settings.")
WORKERS = typer.Option(
    None, "--workers", min=1, help="Processes that annotate (each loads the language pipeline once); default: every core."
)


def fail(exc: StorylineError) -> NoReturn:
    """The one place an error becomes an exit code: 2 for a setting or flag, 4 for E302 (not found), else 3."""
    typer.echo(f"error: {exc}", err=True)
    if isinstance(exc, ConfigError):
        raise typer.Exit(EXIT_USAGE)
    if isinstance(exc, StoreError) and exc.code == "E302":
        raise typer.Exit(EXIT_NOT_FOUND)
    raise typer.Exit(EXIT_STORE)


def guarded(command):
    """``command`` with any StorylineError it lets through (the store's driver errors come coded:
    E303 damaged, E300 ...) mapped to its exit code: no command ends in a traceback on a damaged store."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except StorylineError as exc:
            fail(exc)

    return run


def settings_for(config: Optional[Path], db: str) -> Settings:
    """The settings of ``--config`` (and the environment) for the store ``db``; a bad one exits 2."""
    try:
        return load_settings(config, db=db)
    except ConfigError as exc:
        fail(exc)


def open_db(db: str, must_exist: bool = True, settings: Settings | None = None):
    """The store at ``db`` (a file or a server URL), checked: none there (unless ``must_exist`` is False) or
    a damaged one exits with its code."""
    from ..kb import is_server_url, open_store

    server = is_server_url(db)  # a shared store: the server says what exists
    if must_exist and not server and db != ":memory:" and not Path(db).exists():
        fail(StoreError(f"no store at {db}; run `storyline ingest PATH --db {db}` first", code="E300"))
    try:
        store = open_store(db, settings)
    except StorylineError as exc:
        fail(exc)
    _quick_check(store, db)
    return store


def _quick_check(store, db: str) -> None:
    """A damaged store is reported by every command, not only by those that meet a bad page:
    stores up to QUICK_CHECK_BYTES get SQLite's quick_check on opening (larger ones: `storyline check`)."""
    from ..kb.reliability import QUICK_CHECK_BYTES, damaged

    path = Path(db)
    if db == ":memory:" or not path.is_file() or path.stat().st_size > QUICK_CHECK_BYTES:
        return
    problems = store.integrity_problems(limit=1, quick=True)
    if problems:
        store.close()
        fail(damaged(problems[0], db))


def workers_or_default(n: Optional[int]) -> int:
    """``--workers``, or every core when it is not given."""
    from ..run.pool import default_workers

    return n if n else default_workers()


def emit(rows: Any, as_json: bool, columns: list[str] | None = None, title: str | None = None) -> None:
    """JSON for scripts; for people a table of ``columns`` (a plain listing when not a terminal), or
    "key: value" lines for one record."""
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if isinstance(rows, dict) and columns is None:
        for k, v in rows.items():
            typer.echo(f"{k}: {v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False, default=str)}")
        return
    from .screen import render_table

    rows = list(rows)
    render_table(rows, columns or (list(rows[0].keys()) if rows else []), title=title)


def say_failures(failures) -> None:
    """Each input that could not be taken in, on stderr: "failed: PATH: [CODE] reason"."""
    for f in failures:
        typer.echo(f"failed: {f.path}: [{f.code}] {f.reason}", err=True)
