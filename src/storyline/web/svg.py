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
        for d, off in zip(r["dates"], offsets, strict=True):
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


# ---------------------------------------------------------------- figures over time

FIG_W = 960
FIG_H = 300
FIG_PAD_L, FIG_PAD_R, FIG_PAD_T, FIG_PAD_B = 56, 150, 28, 40
NO_PERIOD_W = 120  # the band on the right for figures that give no period
LABEL_CHAR_W, LABEL_H = 7.0, 12.0  # a point label's width per character and height (the stylesheet's label size)
# marker per status: actuals are filled dots, targets and proposals hollow diamonds and squares
_STATUS_ORDER = ("actual", "estimate", "target", "proposal")


def _marker(status: str, x: float, y: float) -> str:
    if status == "target":
        return (f'<path class="pt target" d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} L{x:.1f},{y + 7:.1f} '
                f'L{x - 7:.1f},{y:.1f} Z"/>')
    if status == "proposal":
        return f'<rect class="pt proposal" x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11"/>'
    if status == "estimate":
        return f'<circle class="pt estimate" cx="{x:.1f}" cy="{y:.1f}" r="5.5"/>'
    return f'<circle class="pt actual" cx="{x:.1f}" cy="{y:.1f}" r="6"/>'


def figure_chart_svg(chart: dict, links) -> Markup:
    """One chart of ``queries.figure_charts``: value against period, actuals filled, targets hollow.

    Points without a period sit in a separate "no period given" band on the
    right instead of a guessed year. Every point links to its cited span.
    """
    pts = chart["points"]
    years = [p["year"] for p in pts if p["year"] is not None]
    lo, hi = (min(years), max(years)) if years else (0, 1)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    tick = _nice_step(max(p["value"] for p in pts) or 1.0)
    nticks = int(max(p["value"] for p in pts) // tick) + 1
    vmax = tick * nticks
    x0, x1 = FIG_PAD_L, FIG_W - FIG_PAD_R - NO_PERIOD_W
    y0, y1 = FIG_H - FIG_PAD_B, FIG_PAD_T

    def x(year: float) -> float:
        return x0 + 20 + (x1 - x0 - 40) * (year - lo) / (hi - lo)

    def y(v: float) -> float:
        return y0 - (y0 - y1) * v / vmax

    out = [f'<svg class="figchart" viewBox="0 0 {FIG_W} {FIG_H}" width="100%" role="img" '
           f'aria-label="{escape(chart["title"])}: {len(pts)} figures" data-unit="{escape(chart["unit"])}">']
    out.append(f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}"/>')
    out.append(f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/>')
    for k in range(nticks + 1):
        v = tick * k
        out.append(f'<line class="grid" x1="{x0}" y1="{y(v):.1f}" x2="{x1}" y2="{y(v):.1f}"/>')
        out.append(f'<text class="tick-label" x="{x0 - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
                   f'{escape(_num(v))}{escape(chart["suffix"])}</text>')
    if years:
        step = max(1, round((hi - lo) / 8))
        yr = int(lo)
        while yr <= hi:
            if yr >= lo:
                out.append(f'<text class="tick-label" x="{x(yr):.1f}" y="{y0 + 16}" text-anchor="middle">{yr}</text>')
            yr += step
    band = x1 + 10
    undated = [p for p in pts if p["year"] is None]
    if undated:
        out.append(f'<rect class="band" x="{band}" y="{y1}" width="{NO_PERIOD_W - 10}" height="{y0 - y1}"/>')
        out.append(f'<text class="tick-label" x="{band + (NO_PERIOD_W - 10) / 2:.1f}" y="{y0 + 16}" '
                   f'text-anchor="middle">no period given</text>')
    for i, p in enumerate(undated):
        p["_x"] = band + 12 + (NO_PERIOD_W - 34) * ((i + 0.5) / len(undated))
    for p in pts:
        if p["year"] is not None:
            p["_x"] = x(p["year"])
    # a dashed line from the latest actual to each later target (the planned path)
    actuals = sorted((p for p in pts if p["year"] is not None and p["status"] == "actual"), key=lambda p: p["year"])
    if actuals:
        last = actuals[-1]
        for p in pts:
            if p["year"] is not None and p["status"] != "actual" and p["year"] > last["year"]:
                out.append(f'<line class="plan" x1="{last["_x"]:.1f}" y1="{y(last["value"]):.1f}" '
                           f'x2="{p["_x"]:.1f}" y2="{y(p["value"]):.1f}"/>')
    # a label is drawn only where it overlaps no label already drawn (its point keeps its marker and tooltip)
    boxes: list[tuple[float, float, float, float]] = []
    for p in pts:
        px, py = p["_x"], y(p["value"])
        w = LABEL_CHAR_W * len(_short(p["text"], 14))
        box = (px + 9, py - 7 - LABEL_H, px + 9 + w, py - 7 + 3)
        p["_label"] = box[2] <= FIG_W and not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)
        if p["_label"]:
            boxes.append(box)
    for p in pts:
        px, py = p["_x"], y(p["value"])
        tip = (f'{p["text"]} — {p["about"] or "?"}{" of " + p["subject"] if p.get("subject") else ""}'
               f'{", " + p["period"] if p.get("period") else ", no period given"} ({p["status"]}; {p["source"]})')
        href = links.cite(p["cite"])
        label = (f'<text class="pt-label" x="{px + 9:.1f}" y="{py - 7:.1f}">{escape(_short(p["text"], 14))}</text>'
                 if p["_label"] else "")
        body = f'<title>{escape(tip)}</title>{_marker(p["status"], px, py)}{label}'
        attrs = f'class="point {escape(p["status"])}" data-cite="{escape(p["cite"])}" data-value="{p["value"]:g}"'
        out.append(f'<a href="{escape(href)}" {attrs}>{body}</a>' if href else f"<g {attrs}>{body}</g>")
    # legend
    lx, ly = FIG_W - FIG_PAD_R + 16, FIG_PAD_T + 6
    for k, st in enumerate(_STATUS_ORDER):
        out.append(_marker(st, lx, ly + 22 * k))
        out.append(f'<text class="legend-label" x="{lx + 14}" y="{ly + 22 * k + 4}">{st}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _spread(n: int) -> int:
    """A step coprime with ``n`` near n/2.6, so consecutive nodes sit far apart on the circle."""
    from math import gcd

    if n < 4:
        return 1
    step = max(2, round(n / 2.6))
    while gcd(step, n) != 1:
        step += 1
    return step


def _nice_step(vmax: float) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most five ticks up to ``vmax``."""
    import math

    raw = vmax / 5 or 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def _num(v: float) -> str:
    return f"{v:.0f}" if v >= 10 or v == int(v) else f"{v:.1f}"


# ---------------------------------------------------------------- actor graph

GRAPH_W = 960
GRAPH_H = 560
_NODE_TYPES = {"PERSON": "person", "ORG": "org", "GPE": "place", "NORP": "org"}


def actor_graph_svg(graph: dict, links) -> Markup:
    """``queries.actor_graph``: people and organisations on a circle, events as edges.

    Edge thickness grows with the number of independent sources behind the
    events between two actors; each node links to its entity page, each edge
    to the first report of its events.
    """
    import math

    nodes, edges = graph["nodes"], graph["edges"]
    if not nodes:
        return Markup('<p class="empty">No events between people or organisations to draw.</p>')
    cx, cy = GRAPH_W / 2, GRAPH_H / 2
    r = min(cx - 190, cy - 50)
    pos, angle = {}, {}
    step = _spread(len(nodes))  # the busiest actors land apart on the circle, not side by side
    for i, n in enumerate(nodes):
        a = -math.pi / 2 + 2 * math.pi * ((i * step) % len(nodes)) / len(nodes)
        pos[n["id"]] = (cx + r * math.cos(a), cy + r * math.sin(a))
        angle[n["id"]] = a
    out = [f'<svg class="actors" viewBox="0 0 {GRAPH_W} {GRAPH_H}" width="100%" role="img" '
           f'aria-label="Who met whom: {len(nodes)} actors, {len(edges)} links">']
    for e in edges:
        (ax, ay), (bx, by) = pos[e["a"]], pos[e["b"]]
        width = min(12.0, 1.5 + 1.5 * (e["sources"] - 1))
        tip = (f'{e["a_name"]} — {e["b_name"]}: {len(e["events"])} event{"s" if len(e["events"]) != 1 else ""}, '
               f'{e["sources"]} independent source{"s" if e["sources"] != 1 else ""}: '
               + "; ".join(ev["label"] for ev in e["events"][:6]))
        line = (f'<title>{escape(tip)}</title><line class="edge" x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" '
                f'y2="{by:.1f}" stroke-width="{width:.1f}"/>')
        href = links.cite(e["cite"]) if e.get("cite") else None
        attrs = f'class="link" data-sources="{e["sources"]}"'
        out.append(f'<a href="{escape(href)}" {attrs}>{line}</a>' if href else f"<g {attrs}>{line}</g>")
    for n in nodes:
        x, y = pos[n["id"]]
        rad = min(16.0, 6 + 2 * math.sqrt(n["events"]))
        kind = _NODE_TYPES.get(n["type"], "other")
        right = x >= cx
        lx, ly, anchor = x + (rad + 6) * (1 if right else -1), y + 4, "start" if right else "end"
        if abs(math.sin(angle[n["id"]])) > 0.97:  # top or bottom of the circle: label above or below, centred
            up = math.sin(angle[n["id"]]) < 0
            lx, ly, anchor = x, y - rad - 6 if up else y + rad + 15, "middle"
        shape = (f'<rect class="node {kind}" x="{x - rad:.1f}" y="{y - rad:.1f}" width="{2 * rad:.1f}" '
                 f'height="{2 * rad:.1f}" rx="3"/>' if kind == "place" else
                 f'<circle class="node {kind}" cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}"/>')
        body = (f'<title>{escape(n["name"])} ({escape(n["type"])}): {n["events"]} event'
                f'{"s" if n["events"] != 1 else ""}</title>{shape}'
                f'<text class="node-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
                f'{escape(_short(n["name"], 26))}</text>')
        href = links.entity(n["id"])
        attrs = f'class="actor" data-entity="{escape(n["id"])}"'
        out.append(f'<a href="{escape(href)}" {attrs}>{body}</a>' if href else f"<g {attrs}>{body}</g>")
    out.append("</svg>")
    return Markup("".join(out))
