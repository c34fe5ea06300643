"""The story timeline as inline SVG: events on a time axis.

One row per event. A date known to the day is a dot; a coarser or uncertain
date (a month, "between 3 and 9 March") is a bar from its earliest to its
latest day, and a bar with only one bound runs to the edge of the axis. When
the reports of one event give different dates, each date is drawn side by side
in the row (class ``disagree``), joined by a dashed line and flagged with "≠".
Every mark links to the report that gives it. All text is escaped here.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["timeline_svg"]

WIDTH = 960
LABEL_W = 330
PAD = 16
ROW_H = 24
AXIS_H = 34
MAX_ROWS = 300


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _bounds(d: dict) -> tuple[date | None, date | None]:
    lo, hi = _day(d.get("earliest")), _day(d.get("latest"))
    if lo is None and hi is None:
        lo = hi = _day(d.get("date"))
    return lo, hi


def _short(text: str, n: int = 42) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def timeline_svg(rows: list[dict], links) -> Markup:
    """SVG for ``queries.story_marks`` rows; ``links.cite`` gives each mark's target."""
    rows = [r for r in rows if any(any(_bounds(d)) for d in r["dates"])][:MAX_ROWS]
    if not rows:
        return Markup('<p class="empty">No dated events to draw.</p>')
    days = [x for r in rows for d in r["dates"] for x in _bounds(d) if x is not None]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    x0, x1 = LABEL_W + PAD, WIDTH - PAD

    def x(d: date | None, edge: float) -> float:
        if d is None:
            return edge
        return x0 + (x1 - x0) * (d - first).days / span

    height = AXIS_H + ROW_H * len(rows) + PAD
    out = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="Timeline of {len(rows)} events">'
    ]
    out.append(f'<line class="axis" x1="{x0}" y1="{AXIS_H - 8}" x2="{x1}" y2="{AXIS_H - 8}"/>')
    ticks = 6
    for i in range(ticks + 1):
        d = first + timedelta(days=round(span * i / ticks))
        tx = x(d, x0)
        out.append(f'<line class="tick" x1="{tx:.1f}" y1="{AXIS_H - 12}" x2="{tx:.1f}" y2="{height - PAD}"/>')
        anchor = "start" if i == 0 else "end" if i == ticks else "middle"
        out.append(f'<text class="tick-label" x="{tx:.1f}" y="{AXIS_H - 16}" text-anchor="{anchor}">{d.isoformat()}</text>')
    for i, r in enumerate(rows):
        y = AXIS_H + ROW_H * i + ROW_H / 2
        flag = r["disagree"] or r["conflict"]
        cls = "row disagree" if r["disagree"] else "row conflict" if r["conflict"] else "row"
        out.append(f'<g class="{cls}" data-event="{escape(r["event"])}">')
        label = ("≠ " if flag else "") + _short(r["label"])
        out.append(f'<text class="label" x="{PAD}" y="{y + 4:.1f}"><title>{escape(r["label"])}</title>{escape(label)}</text>')
        n = len(r["dates"])
        offsets = [0.0] if n == 1 else [(-(n - 1) / 2 + k) * min(8.0, (ROW_H - 6) / (n - 1)) for k in range(n)]
        centres = []
        for d, off in zip(r["dates"], offsets):
            lo, hi = _bounds(d)
            xa, xb = x(lo, x0), x(hi, x1)
            cy = y + off
            what = d.get("date") or " – ".join(v or "?" for v in (d.get("earliest"), d.get("latest")))
            tip = f"{r['label']}: {what} ({len(d['cites'])} report{'s' if len(d['cites']) != 1 else ''})"
            href = links.cite(d["cites"][0]) if d["cites"] else None
            mark_cls = "mark disagree" if r["disagree"] else "mark"
            if lo is not None and lo == hi:
                shape = f'<circle class="{mark_cls} day" cx="{xa:.1f}" cy="{cy:.1f}" r="5"/>'
                centres.append((xa, cy))
            else:
                open_cls = " open" if lo is None or hi is None else ""
                w = max(xb - xa, 4.0)
                shape = (f'<rect class="{mark_cls} range{open_cls}" x="{xa:.1f}" y="{cy - 4:.1f}" '
                         f'width="{w:.1f}" height="8" rx="3"/>')
                centres.append((xa + w / 2, cy))
            body = f"<title>{escape(tip)}</title>{shape}"
            out.append(f'<a href="{escape(href)}">{body}</a>' if href else f"<g>{body}</g>")
        if r["disagree"] and len(centres) > 1:
            (ax, ay), (bx, by) = centres[0], centres[-1]
            out.append(f'<line class="disagree-link" x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}"/>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))
