"""Page data the shared views do not give: a story's actors, figures and per-report dates.

Built only on ``storyline.views`` and the Store's public read methods
(``events``, ``entity``, ``figure_rows``, ``open_conflicts_about``,
``story_record``), and returning plain dicts like the views do. The JSON API
returns exactly what the pages render.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import views
from ..model import Event, When

__all__ = [
    "parse_cite", "parse_hl", "story_page", "story_marks", "story_actors", "story_figures", "document_page",
    "compare_page",
]

_CITE = re.compile(r"^([^:\s]+):(\d+)-(\d+)$")
_HL = re.compile(r"^(\d+)-(\d+)$")


def parse_cite(cite: str) -> tuple[str, int, int] | None:
    """``"doc:start-end"`` -> (doc, start, end), or None when it is not a citation."""
    m = _CITE.match(cite or "")
    if not m:
        return None
    return m[1], int(m[2]), int(m[3])


def parse_hl(values: list[str], length: int) -> tuple[list[tuple[int, int]], list[str]]:
    """Valid ``start-end`` ranges inside a text of ``length`` chars, and the values that were not."""
    good, bad = [], []
    for v in values:
        m = _HL.match(v.strip())
        if m and int(m[1]) < int(m[2]) <= length:
            good.append((int(m[1]), int(m[2])))
        else:
            bad.append(v)
    return good, bad


def _when(w: When | None) -> dict:
    w = w or When()
    return {"date": w.value, "earliest": w.earliest, "latest": w.latest}


def story_marks(store, story_id: str, events: list[Event] | None = None) -> list[dict]:
    """One row per story event with every report's own date, for the timeline drawing.

    ``dates`` groups the reports by the (earliest, latest) they give; more than
    one group means the sources disagree on the date (``disagree``).
    """
    if events is None:
        events = store.events(story=store.story_record(story_id).id)
    conflicted = store.open_conflicts_about([e.id for e in events])
    rows = []
    for ev in events:
        groups: dict[tuple, dict] = {}
        for rep in ev.mentions:
            w = rep.when if rep.when is not None and rep.when.known else None
            if w is None:
                continue
            key = (w.earliest, w.latest, w.value)
            g = groups.setdefault(key, {**_when(w), "cites": []})
            g["cites"].append(views.cite(rep.span))
        if not groups and ev.when is not None and ev.when.known:
            groups[("event",)] = {**_when(ev.when), "cites": [views.cite(m.span) for m in ev.mentions[:1]]}
        spans = {(g["earliest"], g["latest"]) for g in groups.values()}
        rows.append({
            "event": ev.id,
            "label": ev.label,
            "type": ev.type,
            **_when(ev.when),
            "dates": list(groups.values()),
            "disagree": len(spans) > 1,
            "conflict": ev.id in conflicted,
        })
    return rows


def story_actors(store, events: list[Event]) -> list[dict]:
    """Entities taking part in the story's events, most active first, with their roles."""
    count: Counter = Counter()
    roles: dict[str, set[str]] = {}
    for ev in events:
        for p in ev.participants:
            count[p.entity] += 1
            roles.setdefault(p.entity, set()).add(p.role)
    out = []
    for eid, n in count.most_common():
        ent = store.entity(eid)
        if ent is None:
            continue
        out.append({"id": ent.id, "name": ent.name, "type": ent.type, "events": n, "roles": sorted(roles[eid]),
                    "descriptions": list(ent.descriptions[:3])})
    return out


def story_figures(store, docs: list[str]) -> list[dict]:
    """The figures the story's documents give, each cited."""
    out = []
    for f, names in store.figure_rows(docs=docs):
        out.append({
            "id": f.id, "doc": f.span.doc, "text": f.span.text, "value": f.value, "unit": f.unit, "about": f.about,
            "subject": names.get("subject"), "subject_id": names.get("subject_id"), "speaker": names.get("speaker"),
            "period": f.period, "status": f.status, "cite": views.cite(f.span),
        })
    return out


def story_page(store, story_id: str) -> dict:
    """Everything the story page shows: the story view plus marks, actors, figures and the brief."""
    data = views.story(store, story_id)
    events = store.events(story=data["id"])
    data["timeline"] = story_marks(store, data["id"], events)
    data["actors"] = story_actors(store, events)
    data["figures"] = story_figures(store, [d["id"] for d in data["documents"]])
    data["brief"] = views.brief(store, data["id"])
    return data


def document_page(store, doc_id: str, hl: list[str] | None = None) -> dict:
    """The document view plus the valid ``hl`` ranges (``cited``) and the rejected ones."""
    data = views.show_document(store, doc_id)
    good, bad = parse_hl(hl or [], len(data["text"]))
    data["cited"] = [{"start": s, "end": e, "text": data["text"][s:e]} for s, e in good]
    data["ignored_hl"] = bad
    return data


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _norm_cell(kind: str, value: str) -> str | None:
    """What two cells must share to agree: the date, or the numbers a figure's text gives."""
    if kind == "event":
        return None if value in ("no date", "on an unknown date") else value
    nums = [n.replace(",", "") for n in _NUMBER.findall(value)]
    return " ".join(nums) if nums else " ".join(value.lower().split())


def compare_page(store, story_id: str) -> dict:
    """``views.compare`` with disagreements marked: ``disagree`` per row and ``odd`` (docs) per row.

    A row disagrees when its documents give more than one date (events) or
    more than one number (figures); ``odd`` lists the documents that differ
    from the value most documents give.
    """
    data = views.compare(store, story_id)
    for row in data["rows"]:
        norm = {doc: _norm_cell(row["kind"], v) for doc, v in row["cells"].items()}
        known = [v for v in norm.values() if v is not None]
        counts = Counter(known)
        row["disagree"] = len(counts) > 1
        if row["disagree"]:
            (top, n), (_, m) = counts.most_common(2)
            majority = top if n > m else None  # a tie has no majority: every cell is marked
            row["odd"] = sorted(doc for doc, v in norm.items() if v is not None and v != majority)
        else:
            row["odd"] = []
    return data
