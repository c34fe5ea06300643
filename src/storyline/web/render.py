"""HTML building blocks shared by the web pages and the one-file report.

Article text is untrusted: every piece of it goes through ``markupsafe.escape``
and the only markup added here is tags we write ourselves. The Jinja2
environment has autoescape on for every template; nothing from a document is
ever marked safe before it was escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..views import is_plain_fact
from .queries import parse_cite
from .svg import actor_graph_svg, figure_chart_svg

__all__ = [
    "AppLinks", "ReportLinks", "anchor_id", "highlight", "cited_text", "environment", "snippet", "STATIC", "CLASSES",
]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"

# item type -> CSS class (distinct per kind of highlight)
CLASSES = {"entity": "ent", "time": "time", "quote": "quote", "figure": "fig", "event": "evt"}
_CITE_IN_TEXT = re.compile(r"\s?\[([^\[\]\s:]+:\d+-\d+)\]")


class AppLinks:
    """Links between the served pages (citations open ``/doc/{id}?hl=start-end``)."""

    report = False

    def cite(self, cite: str) -> str | None:
        parsed = parse_cite(cite)
        if parsed is None:
            return None
        doc, s, e = parsed
        return f"/doc/{quote(doc, safe='')}?hl={s}-{e}#hl-{s}-{e}"

    def doc(self, doc_id: str) -> str | None:
        return f"/doc/{quote(doc_id, safe='')}"

    def entity(self, entity_id: str | None) -> str | None:
        return f"/entity/{quote(entity_id, safe='')}" if entity_id else None

    def story(self, story_id: str) -> str | None:
        return f"/story/{quote(story_id, safe='')}"

    def compare(self, story_id: str) -> str | None:
        return f"/story/{quote(story_id, safe='')}/compare"


def anchor_id(doc: str, start: int, end: int) -> str:
    return f"c-{doc}-{start}-{end}"


class ReportLinks:
    """Links inside one HTML file: citations become ``#c-doc-start-end`` anchors.

    Every citation handed out is recorded in ``cited`` so the document section
    rendered afterwards highlights exactly the spans that something links to.
    """

    report = True

    def __init__(self) -> None:
        self.cited: dict[str, set[tuple[int, int]]] = {}

    def cite(self, cite: str) -> str | None:
        parsed = parse_cite(cite)
        if parsed is None:
            return None
        doc, s, e = parsed
        self.cited.setdefault(doc, set()).add((s, e))
        return "#" + anchor_id(doc, s, e)

    def doc(self, doc_id: str) -> str | None:
        self.cited.setdefault(doc_id, set())
        return f"#doc-{doc_id}"

    def entity(self, entity_id: str | None) -> str | None:
        return None

    def story(self, story_id: str) -> str | None:
        return f"#story-{story_id}"

    def compare(self, story_id: str) -> str | None:
        return f"#compare-{story_id}"


# ---------------------------------------------------------------- highlighting


def _title(it: dict) -> str:
    t = it["type"]
    if t == "entity":
        return f"{it.get('name') or it['text']} ({it.get('entity_type') or 'entity'})"
    if t == "time":
        return it.get("date") or " – ".join(x for x in (it.get("earliest"), it.get("latest")) if x) or "unresolved date"
    if t == "quote":
        return f"quote ({it.get('kind')}) – {it.get('speaker') or 'speaker unknown'}"
    if t == "figure":
        return f"{it.get('value')} {it.get('unit')} – {it.get('about')}"
    if t == "event":
        when = it.get("date") or it.get("earliest") or "date unknown"
        return f"{it.get('event_type')}: {it.get('label')} ({when})"
    return t


def _open(it: dict) -> str:
    cls = CLASSES.get(it["type"], "item")
    extra = f" {cls}-{str(it.get('entity_type', '')).lower()}" if it["type"] == "entity" else ""
    return f'<span class="hl {cls}{escape(extra)}" title="{escape(_title(it))}">'


def _nest(text: str, items: list[dict], lo: int, hi: int) -> str:
    """``text[lo:hi]`` escaped, with each item (clipped to the range) wrapped in a well-nested span."""
    clipped = []
    for it in items:
        s, e = max(it["start"], lo), min(it["end"], hi)
        if s < e:
            clipped.append((s, e, it))
    if not clipped:
        return str(escape(text[lo:hi]))
    opens: dict[int, list[tuple[int, int, dict]]] = {}
    for c in clipped:
        opens.setdefault(c[0], []).append(c)
    for lst in opens.values():
        lst.sort(key=lambda c: -c[1])
    points = sorted({lo, hi} | {c[0] for c in clipped} | {c[1] for c in clipped})
    out: list[str] = []
    stack: list[tuple[int, int, dict]] = []
    pos = lo
    for p in points:
        if p > pos:
            out.append(str(escape(text[pos:p])))
            pos = p
        ending = [i for i, c in enumerate(stack) if c[1] == p]
        if ending:
            above = stack[ending[0]:]
            out.extend("</span>" for _ in above)
            stack = stack[: ending[0]]
            for c in above:
                if c[1] != p:
                    out.append(_open(c[2]))
                    stack.append(c)
        for c in opens.get(p, []):
            out.append(_open(c[2]))
            stack.append(c)
    out.extend("</span>" for _ in stack)
    return "".join(out)


def highlight(text: str, items: list[dict], cited: Sequence[tuple[int, int]] = (), anchor=None) -> Markup:
    """The whole text, escaped, items in ``<span class="hl ...">`` and cited ranges in ``<mark class="cited">``.

    Overlapping cited ranges merge into one mark that carries an (empty)
    anchor per range; ``anchor(start, end)`` names them (``hl-start-end``).
    """
    anchor = anchor or (lambda s, e: f"hl-{s}-{e}")
    ranges = sorted({(s, e) for s, e in cited if 0 <= s < e <= len(text)})
    chunks: list[list] = []
    for s, e in ranges:
        if chunks and s < chunks[-1][1]:
            chunks[-1][1] = max(chunks[-1][1], e)
            chunks[-1][2].append((s, e))
        else:
            chunks.append([s, e, [(s, e)]])
    out: list[str] = []
    pos = 0
    for s, e, members in chunks:
        out.append(_nest(text, items, pos, s))
        first, *rest = members
        ids = "".join(f'<span class="anchor" id="{escape(anchor(*m))}"></span>' for m in rest)
        out.append(f'<mark class="cited" id="{escape(anchor(*first))}">{ids}{_nest(text, items, s, e)}</mark>')
        pos = e
    out.append(_nest(text, items, pos, len(text)))
    return Markup("".join(out))


def cited_text(text: str, links, names: dict | None = None) -> Markup:
    """A brief sentence with its ``[doc:start-end]`` markers turned into numbered citation links, each
    titled with its document's outlet and title when ``names`` (doc id -> {outlet, title}) has it."""
    out: list[str] = []
    pos, n = 0, 0
    for m in _CITE_IN_TEXT.finditer(text):
        out.append(str(escape(text[pos : m.start()])))
        n += 1
        href = links.cite(m[1])
        label = f"[{n}]"
        if href:
            who = (names or {}).get(m[1].rsplit(":", 1)[0])
            tip = f"{who['outlet']} — {who['title']}" if who else m[1]
            out.append(f' <a class="cite" href="{escape(href)}" title="{escape(tip)}">{label}</a>')
        else:
            out.append(f" {escape(label)}")
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def snippet(text: str | None) -> Markup:
    """A search snippet, escaped, with the store's ``[match]`` markers as ``<mark>``."""
    out = []
    for i, part in enumerate(re.split(r"\[([^\[\]]*)\]", text or "")):
        out.append(f'<mark class="match">{escape(part)}</mark>' if i % 2 else str(escape(part)))
    return Markup("".join(out))


def short(value: str | None, n: int = 90) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= n else value[: n - 1] + "…"


def environment() -> Environment:
    """The Jinja2 environment for pages and the report (autoescape on for every template)."""
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["short"] = short
    env.globals["cited_text"] = cited_text
    env.globals["figure_chart_svg"] = figure_chart_svg
    env.globals["actor_graph_svg"] = actor_graph_svg
    env.globals["is_plain_fact"] = is_plain_fact
    env.globals["snippet"] = snippet
    return env
