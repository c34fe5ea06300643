"""Terminal rendering for the CLI views: rich tables and short structured blocks.

Each ``render_*`` takes what a ``storyline.views`` function returned (plain
dicts) and prints it for people; ``--json`` never comes here. Long lists are
cut at ``limit`` rows with a closing line that says how many more there are
and which flag shows them all (:func:`more_line`). Dates print as one day or
as a real range (``views.date_text``), never "2025-04-03..2025-04-03"; event
modality prints only where it is not plain fact.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..views import date_text, is_plain_fact, plural, snippet_parts, value_words

__all__ = [
    "console", "cell", "more_line", "render_table", "render_docs", "render_timeline", "render_entity", "render_conflicts",
    "render_search", "render_cited", "render_entities", "render_figures", "render_brief", "DEFAULT_LIMIT",
]

DEFAULT_LIMIT = 50  # rows a terminal view shows before "… N more (--all)"


def console() -> Console:
    """A console as wide as the terminal, or 200 columns when the output is not a terminal."""
    return Console(width=None if sys.stdout.isatty() else 200, highlight=False, soft_wrap=False)


def cell(v: Any) -> str:
    """A value as one table cell or line: nothing for None, "yes" or nothing for a flag, lists joined by
    commas, dicts as JSON."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, (list, tuple)):
        return ", ".join(cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _short(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def more_line(shown: int, total: int | None, flag: str = "--all") -> str | None:
    """"… 120 more of 170 not shown (--all shows every row)" when rows were left out; None when all are shown
    (or ``total`` is None)."""
    if total is None or total <= shown:
        return None
    return f"… {total - shown} more of {total} not shown ({flag} shows every row)"


def _more(con: Console, shown: int, total: int | None) -> None:
    line = more_line(shown, total)
    if line:
        con.print(Text(line, style="dim"))


def render_table(rows: list[dict], columns: list[str], title: str | None = None, total: int | None = None,
                 con: Console | None = None) -> None:
    """A plain table of ``columns``; ``total`` (when more than ``len(rows)``) adds the "more" line."""
    con = con or console()
    table = Table(title=title)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[cell(r.get(c)) for c in columns])
    con.print(table)
    if total is not None:
        _more(con, len(rows), total)


def render_docs(rows: list[dict], total: int | None = None, con: Console | None = None) -> None:
    """Documents: id, title (derived ones in italics and marked ~), byline, published day or inferred range, basis."""
    con = con or console()
    table = Table(caption="~ title derived from the lede (the document has none)" if any(
        r.get("title_derived") for r in rows) else None)
    flagged = any(r.get("error") or r.get("repairs") for r in rows)  # reliability: failed or mended documents
    for c, kw in (("id", {"no_wrap": True}), ("title", {"ratio": 3}), ("byline", {}), ("published", {"no_wrap": True}),
                  ("basis", {}), ("words", {"justify": "right"}), ("duplicate of", {})):
        table.add_column(c, overflow="fold", **kw)
    if flagged:
        table.add_column("flag", overflow="fold")
    for r in rows:
        title = r.get("display_title") or r.get("title") or ""
        shown = Text("~ " + _short(title, 90), style="italic") if r.get("title_derived") else Text(_short(title, 90))
        when = r.get("date") or date_text(r.get("published"), r.get("earliest"), r.get("latest")) or "unknown"
        cells = [r["id"], shown, cell(r.get("byline")), when, cell(r.get("basis")), cell(r.get("words")),
                 cell(r.get("duplicate_of"))]
        if flagged:
            cells.append(_flag(r))
        table.add_row(*cells)
    con.print(table)
    _more(con, len(rows), total)


def _flag(r: dict) -> Text:
    """"failed [E201]" in red when annotation failed; "repaired" when ingest mended the input."""
    err = r.get("error")
    if err:
        code = err.get("code") if isinstance(err, dict) else str(err)
        return Text(f"failed [{code}]", style="bold red")
    if r.get("repairs"):
        return Text("repaired", style="yellow")
    return Text("")


def render_timeline(rows: list[dict], total: int | None = None, con: Console | None = None) -> None:
    """Dated events: date (a range only when it is one), event, type, sources, ≠ for conflicts, modality if any."""
    con = con or console()
    modal = any(not is_plain_fact(r.get("modality")) for r in rows)
    table = Table()
    table.add_column("date", no_wrap=True)
    table.add_column("event", ratio=3, overflow="fold")
    table.add_column("type")
    if modal:
        table.add_column("modality")
    table.add_column("sources", justify="right")
    table.add_column("", no_wrap=True)  # conflict flag
    for r in rows:
        cells: list[str | Text] = [_event_date(r) or "?", cell(r.get("label")), cell(r.get("type"))]
        if modal:
            cells.append("" if is_plain_fact(r.get("modality")) else cell(r.get("modality")))
        cells += [cell(r.get("sources")), Text("≠ disputed", style="bold red") if r.get("conflict") else ""]
        table.add_row(*cells)
    con.print(table)
    _more(con, len(rows), total)


def _event_date(r: dict) -> str | None:
    """An event row's date for people: one day, month or year, or a range only when it is one."""
    return date_text(r.get("date") if r.get("precision") != "range" else None, r.get("earliest"), r.get("latest"))


def _section(con: Console, title: str, items: list[dict], columns: tuple, row, limit: int | None) -> None:
    """A titled table of ``items`` (the first ``limit``, one ``row(item)`` each, then the "more" line), or "none".
    ``columns`` are (name, keyword arguments of ``Table.add_column``)."""
    con.print()
    con.print(Text(f"{title} ({len(items)})", style="bold"))
    if not items:
        con.print(Text("none", style="dim"))
        return
    shown = items if limit is None else items[:limit]
    table = Table()
    for name, kw in columns:
        table.add_column(name, overflow="fold", **kw)
    for item in shown:
        table.add_row(*row(item))
    con.print(table)
    _more(con, len(shown), len(items))


def render_entity(prof: dict, limit: int | None = DEFAULT_LIMIT, con: Console | None = None) -> None:
    """One entity: a short block (name, type, aliases, roles, mentions) then tables of events, quotes, figures."""
    con = con or console()
    head = Text()
    head.append(prof["name"], style="bold")
    head.append(f"  {prof.get('type') or ''}  ({prof['id']})", style="dim")
    con.print(head)
    if prof.get("aliases"):
        con.print(f"also named: {', '.join(prof['aliases'])}")
    if prof.get("roles"):
        con.print(f"described as: {'; '.join(prof['roles'])}")
    con.print(f"{plural(prof.get('mentions', 0), 'mention')} in {plural(len(prof.get('documents', [])), 'document')}")
    _section(con, "Events", prof.get("events", []),
             (("date", {"no_wrap": True}), ("event", {}), ("role", {}), ("sources", {}), ("cited", {})),
             lambda e: (_event_date(e) or "undated", cell(e.get("label")) + ("  ≠" if e.get("conflict") else ""),
                        cell(e.get("role")), cell(e.get("sources")), cell((e.get("citations") or [""])[0])), limit)
    _section(con, "Quotes", prof.get("quotes", []),
             (("kind", {}), ("cue", {}), ("words", {"ratio": 4}), ("cited", {})),
             lambda q: (cell(q.get("kind")), cell(q.get("cue")), "“" + _short(q.get("text"), 160) + "”",
                        cell(q.get("cite"))), limit)
    _section(con, "Figures", prof.get("figures", []),
             (("figure", {}), ("about", {}), ("period", {}), ("status", {}), ("cited", {})),
             lambda f: tuple(cell(f.get(k)) for k in ("text", "about", "period", "status", "cite")), limit)
    if prof.get("also"):
        con.print(Text(f"other entities with this name: {', '.join(prof['also'])}", style="dim"))


def render_conflicts(rows: list[dict], docs: dict[str, dict], total: int | None = None,
                     con: Console | None = None) -> None:
    """One block per conflict: what is disputed, then each side with its value, source title, date and words.

    ``docs`` maps document id -> its row (``views.documents_of``) for titles and dates.
    """
    con = con or console()
    if not rows:
        con.print(Text("No conflicts between sources.", style="dim"))
    for i, c in enumerate(rows):
        if i:
            con.print()
        head = Text()
        head.append(f"{c.get('kind', '')} ", style="bold red" if c.get("status") == "open" else "dim")
        head.append(cell(c.get("summary")), style="bold")
        if c.get("status") != "open":
            head.append(f"  [{c.get('status')}]", style="dim")
        con.print(head)
        for cl in c.get("claims", []):
            d = docs.get(cl.get("doc"), {})
            title = d.get("display_title") or d.get("title") or cl.get("doc")
            when = (d.get("date") or "undated") + (" (inferred)" if d.get("date") and d.get("basis") == "inferred" else "")
            side = Text("  • ")
            side.append(cell(value_words(cl.get("value")) if cl.get("value") else cl.get("value")), style="bold")
            side.append(f"  {_short(title, 60)}", style="italic" if d.get("title_derived") else "")
            side.append(f", {when}")
            con.print(side)
            con.print(Text(f"      “{_short(cl.get('text'), 140)}”  [{cl.get('cite')}]", style="dim"))
    _more(con, len(rows), total)


def snippet_text(snippet: str | None) -> Text:
    """A search snippet with its matched words kept and in bold (never read as markup)."""
    out = Text()
    for piece, matched in snippet_parts(" ".join((snippet or "").split())):
        out.append(piece, style="bold reverse" if matched else None)
    return out


def render_search(rows: list[dict], query: str, con: Console | None = None) -> None:
    """Hits: document, title and the snippet with the matched words highlighted; then how many."""
    con = con or console()
    if not rows:
        con.print(Text(f"No document matches {query!r}.", style="dim"))
        return
    table = Table()
    table.add_column("doc", no_wrap=True)
    table.add_column("title", ratio=2, overflow="fold")
    table.add_column("snippet", ratio=4, overflow="fold")
    for r in rows:
        table.add_row(cell(r.get("doc")), Text(_short(r.get("title") or "", 80)), snippet_text(r.get("snippet")))
    con.print(table)
    con.print(Text(plural(len(rows), "document") + " shown", style="dim"))


def render_cited(span: dict, con: Console | None = None) -> None:
    """A cited span in its context: the source line, then the text around it with the span in bold."""
    con = con or console()
    head = Text()
    head.append(span.get("title") or span["doc"], style="bold")
    for extra in (span.get("outlet"), span.get("date")):
        if extra:
            head.append(f", {extra}")
    head.append(f"  [{span['cite']}]", style="dim")
    con.print(head)
    body = Text()
    if span.get("context_start"):
        body.append("…")
    body.append(span.get("before") or "")
    body.append(span["text"], style="bold reverse")
    body.append(span.get("after") or "")
    if span.get("more_after"):
        body.append("…")
    con.print(body)


def render_entities(rows: list[dict], total: int | None = None, con: Console | None = None) -> None:
    """Entities: name, type, mentions, documents (sources), id."""
    con = con or console()
    if not rows:
        con.print(Text("No entity matches.", style="dim"))
        return
    table = Table()
    for c, kw in (("name", {"ratio": 3}), ("type", {}), ("mentions", {"justify": "right"}),
                  ("sources", {"justify": "right"}), ("id", {"no_wrap": True})):
        table.add_column(c, overflow="fold", **kw)
    for r in rows:
        table.add_row(cell(r.get("name")), cell(r.get("type")), cell(r.get("mentions")), cell(r.get("documents")), cell(r.get("id")))
    con.print(table)
    _more(con, len(rows), total)


def render_figures(rows: list[dict], con: Console | None = None) -> None:
    """Figures as people write them ("$150 million", "12,000 farmers"), what they measure and who says so."""
    con = con or console()
    table = Table()
    for c in ("figure", "as written", "about", "subject", "period", "status", "cited"):
        table.add_column(c, overflow="fold")
    for f in rows:
        table.add_row(cell(value_words(f.get("value"), f.get("unit"), f.get("about"))), cell(f.get("text")), cell(f.get("about")),
                      cell(f.get("subject")), cell(f.get("period")), cell(f.get("status")), cell(f.get("cite")))
    con.print(table)


def render_brief(brief: dict, con: Console | None = None) -> None:
    """A brief: its heading (title, dates, sources by name), then each section's sentences with citations."""
    con = con or console()
    con.print(Text(brief.get("title") or "Brief", style="bold"))
    meta = [x for x in (brief.get("dates"), brief.get("story") and f"story {brief['story']}") if x]
    if meta:
        con.print(Text(" · ".join(meta), style="dim"))
    srcs = brief.get("sources") or []
    if srcs:
        con.print(Text(f"{plural(len(srcs), 'source')}: " + "; ".join(s["name"] for s in srcs), style="dim"))
    for section in brief.get("sections", []):
        if not section.get("sentences"):
            continue
        con.print()
        if section.get("heading"):
            con.print(Text(section["heading"], style="bold"))
        for s in section["sentences"]:
            con.print(s["text"], markup=False)
    if brief.get("more"):
        con.print()
        con.print(Text(brief["more"], style="dim"))
