"""Handing the knowledge base on: ``export`` (files for other tools), ``serve`` (the web app and JSON API)
and ``report`` (one self-contained HTML file)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import ConfigError
from .kit import DB, EXIT_USAGE, fail, open_db

__all__ = ["export", "serve", "report", "write_to"]


def export(
    db: str = DB,
    fmt: str = typer.Option("json", "--format", help="json (storyline/1), jsonl, csv or parquet."),
    out: Optional[Path] = typer.Option(
        None, "-o", "--output", help="File to write (standard output when omitted); for parquet a directory."
    ),
) -> None:
    """Export the knowledge base: json is format storyline/1 (see the schema), jsonl and csv one item a line,
    parquet one file per table into the -o directory (needs pyarrow: pip install 'storyline[parquet]')."""
    from ..export import DIRECTORY_FORMATS, FORMATS, write_export, write_parquet

    if fmt not in FORMATS + DIRECTORY_FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS + DIRECTORY_FORMATS)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if fmt in DIRECTORY_FORMATS:
        if out is None:
            typer.echo(f"error: --format {fmt} writes a directory: give it with -o DIR", err=True)
            raise typer.Exit(EXIT_USAGE)
        with open_db(db) as store:
            counts = write_parquet(store, out)
        typer.echo(f"wrote {len(counts)} tables to {out}", err=True)
        return
    with open_db(db) as store:
        if out is None:
            write_export(store, fmt, sys.stdout)
        else:
            write_to(out, lambda fp: write_export(store, fmt, fp))
            typer.echo(f"wrote {out}", err=True)


def write_to(out: Path, write) -> None:
    """``write(fp)`` into ``out``: a regular file (or a new one) is replaced atomically, a symlink's
    target is written (the link stays), a FIFO or device is written through, never replaced; E403
    when it cannot be written (a folder, a missing folder, no permission)."""
    import os
    import stat
    import tempfile

    target = Path(os.path.realpath(out))  # through every symlink (a dangling one: where it points)
    try:
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "is a directory")
        if mode is not None and not stat.S_ISREG(mode):  # FIFO, character or block device, socket
            with open(target, "w", encoding="utf-8", newline="") as fp:
                write(fp)
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fp:
                write(fp)
            if mode is None:  # a new file: the permissions open() would give it
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
            else:  # the file it replaces keeps its permissions
                os.chmod(tmp, stat.S_IMODE(mode))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        fail(ConfigError(f"cannot write {out}: {exc.strerror or exc}", code="E403"))


def serve(
    db: str = DB,
    host: str = typer.Option("127.0.0.1", help="Address to bind; any non-loopback address requires --token."),
    port: int = typer.Option(8000, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, envvar="STORYLINE_TOKEN", help="Access token (required off localhost)."),
) -> None:
    """Serve the read-only web app and JSON API (/api/..., OpenAPI at /docs)."""
    from ..web import serve as run_server

    open_db(db).close()
    run_server(db, host=host, port=port, token=token)


def report(
    story: Optional[str] = typer.Argument(None, help="Story id; every story when omitted."),
    db: str = DB,
    out: Path = typer.Option(Path("story.html"), "-o", "--output", help="HTML file to write."),
) -> None:
    """Write one self-contained HTML file (inline CSS, scripts and SVG) that opens offline."""
    from ..web.report import write_report

    with open_db(db) as store:
        write_report(store, story, out)
    typer.echo(f"wrote {out}", err=True)
