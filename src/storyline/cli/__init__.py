"""The command line: a thin Typer layer. Each command parses flags, calls the
same functions ``import storyline`` offers, and prints a table on a terminal
or JSON with ``--json``.

    commands.py  the app: --version and every command in --help's order
    kit.py       what every command shares: options, the store opened, errors to exit codes, output
    intake.py    ingest, watch (progress bar with totals, what each round took in)
    upkeep.py    resolve, reannotate, check
    reading.py   docs, show, search, timeline, entity, entities, quotes, figures, conflicts, stories, brief
    publish.py   export, serve, report
    screen.py    terminal rendering of what the views return

Exit codes (the same for every command):

    0  success; for ingest, every input went in
    1  ingest: some inputs could not be read (each reported with path and reason); the rest went in
    2  usage error: unknown flag, bad value, invalid setting
    3  the store or the language pipeline could not be opened or written
    4  not found: no such document, entity or story
"""

from __future__ import annotations

from .commands import app, main
from .intake import input_count, say_taken
from .kit import EXIT_NOT_FOUND, EXIT_OK, EXIT_SOME_FAILED, EXIT_STORE, EXIT_USAGE

__all__ = ["app", "main", "input_count", "say_taken", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "EXIT_STORE",
           "EXIT_NOT_FOUND"]
