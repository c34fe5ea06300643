"""Reading the knowledge base: each command asks one ``storyline.views`` function and prints its rows as
tables for people (:mod:`storyline.cli.screen`) or as JSON for scripts. The views and the terminal
rendering load when a command runs, so that ``storyline --help`` and ``ingest`` start quickly."""

from __future__ import annotations

from typing import Optional

import typer

from ..errors import ConfigError
from .kit import ALL, DB, JSON, emit, fail, open_db

__all__ = ["docs", "show", "search", "timeline", "entity", "entities", "quotes", "figures", "conflicts", "stories",
           "brief"]


def _limit(as_json: bool, show_all: bool) -> int | None:
    """Rows a view prints: every one for scripts and under --all, else the terminal's first page."""
    from .screen import DEFAULT_LIMIT

    return None if as_json or show_all else DEFAULT_LIMIT


def docs(db: str = DB, as_json: bool = JSON, show_all: bool = ALL) -> None:
    """One row per document: id, title (or one derived from the lede, marked ~), byline, published date or
    inferred range and its basis, words, duplicate_of."""
    from .. import views
    from . import screen

    limit = _limit(as_json, show_all)
    with open_db(db) as store:
        rows = views.list_documents(store, limit=limit)
        total = views.count(store, "documents") if limit is not None else None
        failed = len(store.failures())
    if as_json:
        emit(rows, True)
        return
    screen.render_docs(rows, total)
    _say_flags(rows, failed)


def _say_flags(rows: list[dict], failed: int) -> None:
    """Under the documents table: each listed document that failed annotation or was mended."""
    for r in rows:
        notes = ([f"[{r['error']['code']}] {r['error']['reason']}"] if r.get("error") else []) + list(r.get("repairs") or [])
        if notes:
            typer.echo(f"{r['id']}: " + "; ".join(notes))
    if failed:
        typer.echo(f"{failed} document(s) failed annotation and are flagged; `storyline reannotate` retries them")


def show(
    doc: str = typer.Argument(..., help="Document id (or a unique prefix), or a citation DOC:START-END as the brief "
                              "prints it: the cited words in their context."),
    db: str = DB, as_json: bool = JSON,
) -> None:
    """A document's metadata and clean text; for a citation DOC:START-END, the cited words in context."""
    from .. import views
    from . import screen

    if views.parse_cite(doc) is not None:
        with open_db(db) as store:
            span = views.cited_span(store, doc)
        if as_json:
            emit(span, True)
        else:
            screen.render_cited(span)
        return
    with open_db(db) as store:
        d = views.show_document(store, doc)
    if as_json:
        emit(d, True)
        return
    for k in ("id", "title", "byline", "published", "basis", "source", "language", "duplicate_of"):
        if k == "title" and d.get("title_derived"):
            typer.echo(f"title: ~ {d['display_title']} (derived from the lede; the document has no title)")
        elif k == "published" and d.get("date") and d.get("date") != d.get("published"):
            typer.echo(f"published: {d['date']}")
        elif k in d:
            typer.echo(f"{k}: {screen.cell(d.get(k))}")
    if d.get("error"):  # annotation failed: flagged until `storyline reannotate` succeeds
        typer.echo(f"annotation failed: [{d['error']['code']}] {d['error']['reason']}")
    for note in d.get("repairs") or ():
        typer.echo(f"repaired: {note}")
    typer.echo("")
    typer.echo(d.get("text", ""))


def search(
    query: str, db: str = DB, limit: int = typer.Option(20, min=1, max=10_000, help="Most hits to show (1-10000)."),
    as_json: bool = JSON,
) -> None:
    """Full-text search over all documents (SQLite FTS5), with snippets that show the matched words."""
    from .. import views
    from . import screen

    with open_db(db) as store:
        rows = views.search(store, query, limit=limit)
    if as_json:
        emit(rows, True)
        return
    screen.render_search(rows, query)


def timeline(
    db: str = DB,
    entity: Optional[str] = typer.Option(None, help="Only events with this participant (name or alias)."),
    story: Optional[str] = typer.Option(None, help="Only events of this story id."),
    as_json: bool = JSON,
    show_all: bool = ALL,
) -> None:
    """All dated events in order, with precision, ranges, sources and conflicts (modality where not plain fact)."""
    from .. import views
    from . import screen

    limit = _limit(as_json, show_all)
    with open_db(db) as store:
        whole = entity is not None or story is not None  # one entity's or story's events: few, count them all
        rows = views.timeline(store, entity=entity, story=story, limit=None if whole else limit)
        total = len(rows) if whole else views.count(store, "dated_events") if limit is not None else None
    if as_json:
        emit(rows, True)
        return
    screen.render_timeline(rows[:limit] if limit else rows, total)


def entity(name: str, db: str = DB, as_json: bool = JSON, show_all: bool = ALL) -> None:
    """One entity: names, roles, then tables of its events, quotes and figures across documents."""
    from .. import views
    from . import screen

    with open_db(db) as store:
        prof = views.entity_profile(store, name, **({"limit": 1_000_000} if show_all else {}))
    if as_json:
        emit(prof, True)
        return
    screen.render_entity(prof, limit=None if show_all else 20)


def entities(
    db: str = DB,
    type_: Optional[str] = typer.Option(None, "--type", help="Only this type: PERSON, ORG, GPE, LOC, NORP, EVENT, OTHER."),
    name: Optional[str] = typer.Option(None, "--name", help="Only entities whose name holds these words (case- and accent-insensitive)."),
    sort: str = typer.Option("mentions", "--sort", help="mentions (most first), sources (documents, most first) or name."),
    as_json: bool = JSON,
    show_all: bool = ALL,
) -> None:
    """Resolved entities with how often and in how many documents they are mentioned; filter by type or name."""
    from .. import views
    from . import screen

    try:
        with open_db(db) as store:
            rows = views.entities(store, type=type_, name=name, sort=sort)
    except ValueError as exc:
        fail(ConfigError(str(exc)))
    if as_json:
        emit(rows, True)
        return
    screen.render_entities(rows if show_all else rows[: screen.DEFAULT_LIMIT], len(rows))


def quotes(db: str = DB, speaker: Optional[str] = typer.Option(None, help="Only quotes by this speaker."), as_json: bool = JSON) -> None:
    """Quotes with their speakers, cue verbs and citations."""
    from .. import views

    with open_db(db) as store:
        rows = views.quotes(store, speaker=speaker)
    emit(rows, as_json, ["speaker", "kind", "text", "cite"])


def figures(db: str = DB, about: Optional[str] = typer.Option(None, help="Only figures whose 'about' holds these words."), as_json: bool = JSON) -> None:
    """Figures with what they measure, subject, period, qualifier and who states them."""
    from .. import views
    from . import screen

    with open_db(db) as store:
        rows = views.figures(store, about=about)
    if as_json:
        emit(rows, True)
        return
    screen.render_figures(rows)


def conflicts(db: str = DB, as_json: bool = JSON, show_all: bool = ALL) -> None:
    """Where sources disagree: one block per conflict, each side with its value, source, date and cited words."""
    from .. import views
    from . import screen

    limit = _limit(as_json, show_all)
    with open_db(db) as store:
        rows = views.conflicts(store, limit=limit)
        if as_json:
            emit(rows, True)
            return
        total = views.count(store, "conflicts") if limit is not None else None
        docs = {d["id"]: d for d in views.documents_of(store, sorted({cl["doc"] for c in rows for cl in c["claims"]}))}
    screen.render_conflicts(rows, docs, total)


def stories(db: str = DB, as_json: bool = JSON) -> None:
    """Stories: label, date range, documents, events, open conflicts."""
    from .. import views

    with open_db(db) as store:
        rows = views.stories(store)
    emit(rows, as_json, ["id", "label", "earliest", "latest", "documents", "events", "conflicts"])


def brief(
    story: Optional[str] = typer.Argument(None, help="Story id (or a unique prefix); the largest story when omitted."),
    db: str = DB,
    long: bool = typer.Option(False, "--long", help="A longer brief: more developments, quotes and background."),
    as_json: bool = JSON,
) -> None:
    """A brief of one story, read in about a minute: its title, dates and sources, then the news, the
    developments in date order, quotes with their speakers, where sources disagree and background. Every
    sentence is a source's own, cited as [doc:start-end] (`storyline show DOC:START-END` opens it)."""
    from .. import views
    from . import screen

    with open_db(db) as store:
        out = views.brief_view(store, story, long=long)
    if as_json:
        emit(out, True)
        return
    if out["chosen"] == "largest" and out["stories"] > 1:
        out["more"] = (f"This is the largest of {views.plural(out['stories'], 'story')}; "
                       "`storyline stories` lists them and `storyline brief STORY` briefs another.")
    screen.render_brief(out)
