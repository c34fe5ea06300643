"""The command line: a thin Typer layer. Each command parses flags, calls the
same functions ``import storyline`` offers, and prints a table on a terminal
or JSON with ``--json``.

Exit codes (the same for every command):

    0  success; for ingest, every input went in
    1  ingest: some inputs could not be read (each reported with path and reason); the rest went in
    2  usage error: unknown flag, bad value, invalid setting
    3  the store or the language pipeline could not be opened or written
    4  not found: no such document, entity or story
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .config import load_settings
from .errors import ConfigError, PipelineError, StoreError, StorylineError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_STORE, EXIT_NOT_FOUND = 0, 1, 2, 3, 4

app = typer.Typer(
    help="storyline: turn a pile of news articles into a source-cited knowledge base of a developing story. "
    "Every command takes --db FILE (default ./storyline.db).\n\n"
    "Exit codes: 0 success (ingest: all in); 1 ingest: some inputs failed, the rest went in; "
    "2 usage error; 3 store or pipeline error; 4 not found.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

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


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"storyline {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """storyline: a source-cited knowledge base of a developing story."""


def _workers(n: Optional[int]) -> int:
    from .run.pool import default_workers

    return n if n else default_workers()


def _fail(exc: StorylineError) -> None:
    typer.echo(f"error: {exc}", err=True)
    if isinstance(exc, ConfigError):
        raise typer.Exit(EXIT_USAGE)
    if isinstance(exc, StoreError) and exc.code == "E302":
        raise typer.Exit(EXIT_NOT_FOUND)
    raise typer.Exit(EXIT_STORE)


def _open(db: str, must_exist: bool = True, settings=None):
    from .kb import is_server_url, open_store

    server = is_server_url(db)  # a shared store: the server says what exists
    if must_exist and not server and db != ":memory:" and not Path(db).exists():
        _fail(StoreError(f"no store at {db}; run `storyline ingest PATH --db {db}` first", code="E300"))
    try:
        store = open_store(db, settings)
    except StorylineError as exc:
        _fail(exc)
    _quick_check(store, db)
    return store


def _quick_check(store, db: str) -> None:
    """A damaged store is reported by every command, not only by those that meet a bad page:
    stores up to QUICK_CHECK_BYTES get SQLite's quick_check on opening (larger ones: `storyline check`)."""
    from .kb.reliability import QUICK_CHECK_BYTES, damaged

    path = Path(db)
    if db == ":memory:" or not path.is_file() or path.stat().st_size > QUICK_CHECK_BYTES:
        return
    problems = store.integrity_problems(limit=1, quick=True)
    if problems:
        store.close()
        _fail(damaged(problems[0], db))


def _emit(rows: Any, as_json: bool, columns: list[str] | None = None, title: str | None = None) -> None:
    """JSON for scripts, a table for people (a plain listing when not a terminal)."""
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if isinstance(rows, dict) and columns is None:
        for k, v in rows.items():
            typer.echo(f"{k}: {v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False, default=str)}")
        return
    rows = list(rows)
    columns = columns or (list(rows[0].keys()) if rows else [])
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    Console(width=None if sys.stdout.isatty() else 200).print(table)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _progress(paths: list[str] | None = None):
    """A rich progress bar on a terminal, nothing otherwise: done of total and time left per stage. The
    read stage's total is counted up front from ``paths`` (files, and records of JSON-lines files)."""
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("left"), TimeRemainingColumn(), transient=True, console=Console(stderr=True))
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

    return bar, update


COUNT_BYTES = 256 * 1024 * 1024  # inputs larger than this are not counted ahead of reading (the bar shows no total)


def input_count(paths: list[str]) -> int | None:
    """How many inputs ``paths`` hold, as the readers will count them: one per file, one per line of a
    .jsonl file; None when it cannot be known cheaply (standard input, archives, inputs over COUNT_BYTES)."""
    from .readers import _files

    n, size = 0, 0
    for raw in paths:
        if raw == "-":
            return None
        p = Path(raw)
        files = list(_files(p)) if p.is_dir() else [p]
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


@app.command()
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
    from .run import ingest as run_ingest

    if engine not in ("local", "ray"):
        _fail(ConfigError(f"--engine must be local or ray, not {engine!r}"))
    if address and engine != "ray":
        _fail(ConfigError("--address needs --engine ray"))
    try:
        settings = load_settings(config, db=db)
    except ConfigError as exc:
        _fail(exc)
    if engine == "ray":
        from functools import partial

        from .run.ray import ingest as ray_ingest

        run_ingest = partial(ray_ingest, address=address)
        workers_n = workers  # None: one annotating actor per CPU of the cluster
    else:
        workers_n = _workers(workers)
    store = _open(db, must_exist=False, settings=settings)
    bar, update = _progress(list(paths))
    try:
        if bar:
            with bar:
                report = run_ingest(paths, store, settings, progress=update, workers=workers_n)
        else:
            report = run_ingest(paths, store, settings, workers=workers_n)
    except (PipelineError, StoreError, ConfigError) as exc:
        _fail(exc)
    finally:
        store.close()
    _say(report, as_json)
    raise typer.Exit(report.exit_code)


def _say(report, as_json: bool, compact: bool = False) -> None:
    """What ingest (and each watch round) did: failures on stderr, the counts on stdout."""
    for f in report.failed:
        typer.echo(f"failed: {f.path}: [{f.code}] {f.reason}", err=True)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=None if compact else 2, default=str))
    else:
        typer.echo(
            f"read {report.read}, new {report.new}, duplicate {report.duplicate}, "
            f"near-duplicate {report.near_duplicate}, failed {len(report.failed)}, "
            f"annotated {report.annotated} in {report.seconds:.1f}s"
        )


def _say_round(store, report, as_json: bool) -> None:
    """What one round of ``watch`` took in, then its report."""
    _say_taken(store, report, as_json)
    _say(report, as_json, compact=True)


def _say_taken(store, report, as_json: bool) -> None:
    """Each document a watch round took in: "took in PATH: TITLE" (on stderr under --json, whose stdout
    is one line per round); the new documents are the store's last ``report.new``."""
    from . import views

    if not report.new:
        return
    total = views.count(store, "documents")
    for row in views.list_documents(store, limit=report.new, offset=max(0, total - report.new)):
        title = row.get("display_title") or ""
        typer.echo(f"took in {row.get('source')}" + (f": {title}" if title else ""), err=as_json)


@app.command()
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

    from .run.watch import watch as run_watch

    try:
        settings = load_settings(config, db=db)
    except ConfigError as exc:
        _fail(exc)
    if not folder.is_dir():
        typer.echo(f"error: {folder}: [E100] not a folder to watch", err=True)
        raise typer.Exit(EXIT_USAGE)
    stop = threading.Event()

    def on_signal(signum, frame):
        if stop.is_set():  # a second Ctrl-C: stop now (every write is a transaction)
            raise KeyboardInterrupt
        stop.set()
        typer.echo("stopping after the current round (Ctrl-C again to stop now)", err=True)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    store = _open(db, must_exist=False, settings=settings)
    typer.echo(f"watching {folder} every {interval:g}s (Ctrl-C to stop)", err=True)
    try:
        total = run_watch(
            folder, store, settings, interval=interval, settle=max(settle, interval), workers=_workers(workers), stop=stop,
            on_round=lambda r: _say_round(store, r, as_json),
        )
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None
    except (PipelineError, StoreError) as exc:
        _fail(exc)
    finally:
        store.close()
        for s, h in old.items():
            signal.signal(s, h)
    raise typer.Exit(total.exit_code)


@app.command()
def resolve(
    db: str = DB,
    config: Optional[Path] = CONFIG,
    full: bool = typer.Option(False, "--full", help="Rebuild the whole resolution from scratch."),
    as_json: bool = JSON,
) -> None:
    """Bring entities, events, stories and conflicts up to date with the annotated documents.

    By default only documents owed a resolution and what they can touch are resolved (ingest does this
    itself); --full rebuilds everything. Ids of items that continue earlier ones are kept either way."""
    from .run.incremental import resolve_store

    try:
        settings = load_settings(config, db=db)
    except ConfigError as exc:
        _fail(exc)
    with _open(db, settings=settings) as store:
        try:
            owed = store.resolution_owed()
            report = resolve_store(store, settings, full=full)
            store.resolution_done(owed)
        except (PipelineError, StoreError) as exc:
            _fail(exc)
    _emit(report.as_dict(), as_json)


@app.command()
def docs(db: str = DB, as_json: bool = JSON, show_all: bool = ALL) -> None:
    """One row per document: id, title (or one derived from the lede, marked ~), byline, published date or
    inferred range and its basis, words, duplicate_of."""
    from . import cli_render, views

    limit = None if as_json or show_all else cli_render.DEFAULT_LIMIT
    with _open(db) as store:
        rows = views.list_documents(store, limit=limit)
        total = views.count(store, "documents") if limit is not None else None
        failed = len(store.failures())
    if as_json:
        _emit(rows, True)
        return
    cli_render.render_docs(rows, total)
    _say_flags(rows, failed)


def _say_flags(rows: list[dict], failed: int) -> None:
    """Under the documents table: each listed document that failed annotation or was mended."""
    for r in rows:
        notes = ([f"[{r['error']['code']}] {r['error']['reason']}"] if r.get("error") else []) + list(r.get("repairs") or [])
        if notes:
            typer.echo(f"{r['id']}: " + "; ".join(notes))
    if failed:
        typer.echo(f"{failed} document(s) failed annotation and are flagged; `storyline reannotate` retries them")


@app.command()
def show(
    doc: str = typer.Argument(..., help="Document id (or a unique prefix), or a citation DOC:START-END as the brief "
                              "prints it: the cited words in their context."),
    db: str = DB, as_json: bool = JSON,
) -> None:
    """A document's metadata and clean text; for a citation DOC:START-END, the cited words in context."""
    from . import views

    if views.parse_cite(doc) is not None:
        from . import cli_render

        with _open(db) as store:
            try:
                span = views.cited_span(store, doc)
            except StorylineError as exc:
                _fail(exc)
        if as_json:
            _emit(span, True)
        else:
            cli_render.render_cited(span)
        return
    with _open(db) as store:
        try:
            d = views.show_document(store, doc)
        except StorylineError as exc:
            _fail(exc)
    if as_json:
        _emit(d, True)
        return
    for k in ("id", "title", "byline", "published", "basis", "source", "language", "duplicate_of"):
        if k == "title" and d.get("title_derived"):
            typer.echo(f"title: ~ {d['display_title']} (derived from the lede; the document has no title)")
        elif k == "published" and d.get("date") and d.get("date") != d.get("published"):
            typer.echo(f"published: {d['date']}")
        elif k in d:
            typer.echo(f"{k}: {_cell(d.get(k))}")
    if d.get("error"):  # annotation failed: flagged until `storyline reannotate` succeeds
        typer.echo(f"annotation failed: [{d['error']['code']}] {d['error']['reason']}")
    for note in d.get("repairs") or ():
        typer.echo(f"repaired: {note}")
    typer.echo("")
    typer.echo(d.get("text", ""))


@app.command()
def search(
    query: str, db: str = DB, limit: int = typer.Option(20, min=1, max=10_000, help="Most hits to show (1-10000)."),
    as_json: bool = JSON,
) -> None:
    """Full-text search over all documents (SQLite FTS5), with snippets that show the matched words."""
    from . import cli_render, views

    with _open(db) as store:
        rows = views.search(store, query, limit=limit)
    if as_json:
        _emit(rows, True)
        return
    cli_render.render_search(rows, query)


@app.command()
def export(
    db: str = DB,
    fmt: str = typer.Option("json", "--format", help="json (storyline/1), jsonl, csv or parquet."),
    out: Optional[Path] = typer.Option(
        None, "-o", "--output", help="File to write (standard output when omitted); for parquet a directory."
    ),
) -> None:
    """Export the knowledge base: json is format storyline/1 (see the schema), jsonl and csv one item a line,
    parquet one file per table into the -o directory (needs pyarrow: pip install 'storyline[parquet]')."""
    from .export import DIRECTORY_FORMATS, FORMATS, write_export, write_parquet

    if fmt not in FORMATS + DIRECTORY_FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS + DIRECTORY_FORMATS)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if fmt in DIRECTORY_FORMATS:
        if out is None:
            typer.echo(f"error: --format {fmt} writes a directory: give it with -o DIR", err=True)
            raise typer.Exit(EXIT_USAGE)
        with _open(db) as store:
            try:
                counts = write_parquet(store, out)
            except StorylineError as exc:
                _fail(exc)
        typer.echo(f"wrote {len(counts)} tables to {out}", err=True)
        return
    with _open(db) as store:
        if out is None:
            write_export(store, fmt, sys.stdout)
        else:
            _write_to(out, lambda fp: write_export(store, fmt, fp))
            typer.echo(f"wrote {out}", err=True)


def _write_to(out: Path, write) -> None:
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
        _fail(ConfigError(f"cannot write {out}: {exc.strerror or exc}", code="E403"))


@app.command()
def timeline(
    db: str = DB,
    entity: Optional[str] = typer.Option(None, help="Only events with this participant (name or alias)."),
    story: Optional[str] = typer.Option(None, help="Only events of this story id."),
    as_json: bool = JSON,
    show_all: bool = ALL,
) -> None:
    """All dated events in order, with precision, ranges, sources and conflicts (modality where not plain fact)."""
    from . import cli_render, views

    limit = None if as_json or show_all else cli_render.DEFAULT_LIMIT
    with _open(db) as store:
        whole = entity is not None or story is not None  # one entity's or story's events: few, count them all
        rows = views.timeline(store, entity=entity, story=story, limit=None if whole else limit)
        total = len(rows) if whole else views.count(store, "dated_events") if limit is not None else None
    if as_json:
        _emit(rows, True)
        return
    cli_render.render_timeline(rows[:limit] if limit else rows, total)


@app.command()
def entity(name: str, db: str = DB, as_json: bool = JSON, show_all: bool = ALL) -> None:
    """One entity: names, roles, then tables of its events, quotes and figures across documents."""
    from . import cli_render, views

    with _open(db) as store:
        try:
            prof = views.entity_profile(store, name, **({"limit": 1_000_000} if show_all else {}))
        except StorylineError as exc:
            _fail(exc)
    if as_json:
        _emit(prof, True)
        return
    cli_render.render_entity(prof, limit=None if show_all else 20)


@app.command()
def entities(
    db: str = DB,
    type_: Optional[str] = typer.Option(None, "--type", help="Only this type: PERSON, ORG, GPE, LOC, NORP, EVENT, OTHER."),
    name: Optional[str] = typer.Option(None, "--name", help="Only entities whose name holds these words (case- and accent-insensitive)."),
    sort: str = typer.Option("mentions", "--sort", help="mentions (most first), sources (documents, most first) or name."),
    as_json: bool = JSON,
    show_all: bool = ALL,
) -> None:
    """Resolved entities with how often and in how many documents they are mentioned; filter by type or name."""
    from . import cli_render, views

    try:
        with _open(db) as store:
            rows = views.entities(store, type=type_, name=name, sort=sort)
    except ValueError as exc:
        _fail(ConfigError(str(exc)))
    if as_json:
        _emit(rows, True)
        return
    cli_render.render_entities(rows if show_all else rows[: cli_render.DEFAULT_LIMIT], len(rows))


@app.command()
def quotes(db: str = DB, speaker: Optional[str] = typer.Option(None, help="Only quotes by this speaker."), as_json: bool = JSON) -> None:
    """Quotes with their speakers, cue verbs and citations."""
    from . import views

    with _open(db) as store:
        rows = views.quotes(store, speaker=speaker)
    _emit(rows, as_json, ["speaker", "kind", "text", "cite"])


@app.command()
def figures(db: str = DB, about: Optional[str] = typer.Option(None, help="Only figures whose 'about' holds these words."), as_json: bool = JSON) -> None:
    """Figures with what they measure, subject, period, qualifier and who states them."""
    from . import views

    from . import cli_render

    with _open(db) as store:
        rows = views.figures(store, about=about)
    if as_json:
        _emit(rows, True)
        return
    cli_render.render_figures(rows)


@app.command()
def conflicts(db: str = DB, as_json: bool = JSON, show_all: bool = ALL) -> None:
    """Where sources disagree: one block per conflict, each side with its value, source, date and cited words."""
    from . import cli_render, views

    limit = None if as_json or show_all else cli_render.DEFAULT_LIMIT
    with _open(db) as store:
        rows = views.conflicts(store, limit=limit)
        if as_json:
            _emit(rows, True)
            return
        total = views.count(store, "conflicts") if limit is not None else None
        docs = {d["id"]: d for d in views.documents_of(store, sorted({cl["doc"] for c in rows for cl in c["claims"]}))}
    cli_render.render_conflicts(rows, docs, total)


@app.command()
def stories(db: str = DB, as_json: bool = JSON) -> None:
    """Stories: label, date range, documents, events, open conflicts."""
    from . import views

    with _open(db) as store:
        rows = views.stories(store)
    _emit(rows, as_json, ["id", "label", "earliest", "latest", "documents", "events", "conflicts"])


@app.command()
def brief(
    story: Optional[str] = typer.Argument(None, help="Story id (or a unique prefix); the largest story when omitted."),
    db: str = DB,
    long: bool = typer.Option(False, "--long", help="A longer brief: more developments, quotes and background."),
    as_json: bool = JSON,
) -> None:
    """A brief of one story, read in about a minute: its title, dates and sources, then the news, the
    developments in date order, quotes with their speakers, where sources disagree and background. Every
    sentence is a source's own, cited as [doc:start-end] (`storyline show DOC:START-END` opens it)."""
    from . import cli_render, views

    with _open(db) as store:
        try:
            out = views.brief_view(store, story, long=long)
        except StorylineError as exc:
            _fail(exc)
    if as_json:
        _emit(out, True)
        return
    if out["chosen"] == "largest" and out["stories"] > 1:
        out["more"] = (f"This is the largest of {views.plural(out['stories'], 'story')}; "
                       "`storyline stories` lists them and `storyline brief STORY` briefs another.")
    cli_render.render_brief(out)


@app.command()
def serve(
    db: str = DB,
    host: str = typer.Option("127.0.0.1", help="Address to bind; any non-loopback address requires --token."),
    port: int = typer.Option(8000, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, envvar="STORYLINE_TOKEN", help="Access token (required off localhost)."),
) -> None:
    """Serve the read-only web app and JSON API (/api/..., OpenAPI at /docs)."""
    from .web import serve as run_server

    _open(db).close()
    try:
        run_server(db, host=host, port=port, token=token)
    except StorylineError as exc:
        _fail(exc)


@app.command()
def report(
    story: Optional[str] = typer.Argument(None, help="Story id; every story when omitted."),
    db: str = DB,
    out: Path = typer.Option(Path("story.html"), "-o", "--output", help="HTML file to write."),
) -> None:
    """Write one self-contained HTML file (inline CSS, scripts and SVG) that opens offline."""
    from .web.report import write_report

    with _open(db) as store:
        try:
            write_report(store, story, out)
        except StorylineError as exc:
            _fail(exc)
    typer.echo(f"wrote {out}", err=True)


@app.command()
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

    from .run.local import reannotate as run_reannotate
    from .run.local import reresolve

    try:
        settings = load_settings(config, db=db)
    except ConfigError as exc:
        _fail(exc)
    started = time.perf_counter()
    failures: list = []
    with _open(db, settings=settings) as store:
        n = run_reannotate(store, settings, all_docs=all_docs, retry_failed=not all_docs, failures=failures,
                           workers=_workers(workers))
        if n or store.resolution_owed() is not None:
            reresolve(store, settings)
    for f in failures:
        typer.echo(f"failed: {f.path}: [{f.code}] {f.reason}", err=True)
    out = {"annotated": n, "failed": [{"path": f.path, "code": f.code, "reason": f.reason} for f in failures],
           "seconds": round(time.perf_counter() - started, 3)}
    if as_json:
        _emit(out, True)
    else:
        typer.echo(f"annotated {n}, failed {len(failures)} in {out['seconds']:.1f}s")
    raise typer.Exit(EXIT_SOME_FAILED if failures else EXIT_OK)


@app.command()
def check(db: str = DB, as_json: bool = JSON) -> None:
    """Check the store: SQLite's integrity check, documents flagged as failed, a resolution still owed.
    Exit 0 when sound, 3 when the store is damaged (restore a backup or ingest again into a new store)."""
    from .kb.postgres import is_server_url, redact
    from .kb.reliability import check_file

    problems = [] if is_server_url(db) else check_file(db)
    shown = redact(db) if is_server_url(db) else db  # never print a database password
    out = {"store": shown, "ok": not problems, "problems": problems, "failed_documents": None, "resolution_owed": None}
    if not problems:
        with _open(db) as store:
            out.update(failed_documents=len(store.failures()), resolution_owed=store.resolution_owed() is not None)
    if as_json:
        _emit(out, True)
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


def _guarded(command):
    """``command`` with any StorylineError it lets through (the store's driver errors come coded:
    E303 damaged, E300 ...) mapped to its exit code: no command ends in a traceback on a damaged store."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except StorylineError as exc:
            _fail(exc)

    return run


for _command in app.registered_commands:  # after every command is defined
    _command.callback = _guarded(_command.callback)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
