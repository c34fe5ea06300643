"""``write_report``: one self-contained HTML file with the stories, timelines, comparisons,
conflicts, briefs and the cited documents with their highlights.

Everything is inline (CSS, the small script, SVG) and every link is an anchor
inside the file, so it opens offline and from any folder. Sections are
rendered first; their citations are recorded (``ReportLinks``) and the
documents are rendered last, each with exactly the spans the sections cite
highlighted and anchored.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from .. import views
from .queries import compare_page, story_page
from .render import STATIC, ReportLinks, anchor_id, environment, highlight
from .svg import timeline_svg

__all__ = ["write_report", "render_report"]


def _static(name: str) -> Markup:
    # our own stylesheet and script, never article content
    return Markup((STATIC / name).read_text(encoding="utf-8"))


def render_report(store, story_id: str | None = None) -> str:
    """The report as one HTML string: the story ``story_id`` (E302 when unknown) or every story."""
    env = environment()
    links = ReportLinks()
    ids = [story_id] if story_id is not None else [s["id"] for s in views.stories(store)]
    sections: list[Markup] = []
    toc: list[dict] = []
    for sid in ids:
        data = story_page(store, sid)
        ctx = {"links": links, "story": data, "svg": timeline_svg(data["timeline"], links)}
        part = env.get_template("_story.html").render(**ctx)
        part += env.get_template("_report_compare.html").render(links=links, cmp=_shared_rows(compare_page(store, data["id"])))
        sections.append(Markup(part))
        toc.append({"id": data["id"], "label": data["label"]})
        for d in data["documents"]:
            links.doc(d["id"])
    conflicts_html = None
    if story_id is None:
        conflicts_html = Markup(env.get_template("_report_conflicts.html").render(
            links=links, conflicts=views.conflicts(store)))
    if not ids:
        for row in views.list_documents(store):
            links.doc(row["id"])
    docs: list[Markup] = []
    order = list(links.cited)
    i = 0
    while i < len(order):  # a document may link another (near-duplicate of): render that one too
        docs.append(_document(env, store, links, order[i]))
        i += 1
        order.extend(d for d in links.cited if d not in set(order))
    return env.get_template("report.html").render(
        links=links, toc=toc, sections=sections, conflicts_html=conflicts_html, docs=docs,
        inline_css=_static("app.css"), inline_js=_static("app.js"), single=story_id is not None,
    )


def _shared_rows(cmp: dict) -> dict:
    """The comparison as the report shows it: only rows two or more sources give (a row one source gives
    compares nothing, and the story's event list above already cites it); ``single`` counts the others."""
    rows = [r for r in cmp["rows"] if len(r["cells"]) >= 2]
    return {**cmp, "rows": rows, "single": len(cmp["rows"]) - len(rows)}


def _document(env, store, links: ReportLinks, doc_id: str) -> Markup:
    data = views.show_document(store, doc_id)
    data["ignored_hl"] = []
    spans = sorted(links.cited.get(doc_id, ()))
    body = highlight(data["text"], data["items"], spans, anchor=lambda s, e: anchor_id(data["id"], s, e))
    return Markup(env.get_template("_doc.html").render(links=links, doc=data, body=body))


def write_report(store, story_id: str | None, out_path: str | Path) -> Path:
    """Write the report for ``story_id`` (every story when None) to ``out_path``; returns the path."""
    html = render_report(store, story_id)
    path = Path(out_path)
    path.write_text(html, encoding="utf-8")
    return path
