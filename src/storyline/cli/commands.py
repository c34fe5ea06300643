"""The Typer app: the ``--version`` flag and every command, in the order ``storyline --help`` lists
them, each guarded so that a coded error ends in its exit code, never a traceback."""

from __future__ import annotations

import typer

from .intake import ingest, watch
from .kit import EXIT_OK, guarded
from .publish import export, report, serve
from .reading import brief, conflicts, docs, entities, entity, figures, quotes, search, show, stories, timeline
from .upkeep import check, reannotate, resolve

__all__ = ["app", "main", "COMMANDS"]

COMMANDS = (ingest, watch, resolve, docs, show, search, export, timeline, entity, entities, quotes, figures,
            conflicts, stories, brief, serve, report, reannotate, check)

app = typer.Typer(
    help="storyline: turn a pile of news articles into a source-cited knowledge base of a developing story. "
    "Every command takes --db FILE (default ./storyline.db).\n\n"
    "Exit codes: 0 success (ingest: all in); 1 ingest: some inputs failed, the rest went in; "
    "2 usage error; 3 store or pipeline error; 4 not found.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"storyline {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """storyline: a source-cited knowledge base of a developing story."""


for _command in COMMANDS:
    app.command()(guarded(_command))


def main() -> None:
    app()
