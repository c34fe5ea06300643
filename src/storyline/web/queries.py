"""Page data the shared views do not give: a story's actors, figures and per-report dates.

Built only on ``storyline.views`` and the Store's public read methods
(``events``, ``entity``, ``figure_rows``, ``open_conflicts_about``,
``story_record``), and returning plain dicts like the views do. The JSON API
returns exactly what the pages render.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .. import views
from ..views import parse_cite
from ..model import Event, When

__all__ = [
    "parse_cite", "parse_hl", "story_page", "story_marks", "story_actors", "story_figures", "figure_charts",
    "actor_graph", "document_page", "compare_page", "page_info", "Paged", "Memo",
]

_HL = re.compile(r"^(\d+)-(\d+)$")


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


def story_marks(store, story_id: str, events: list[Event] | None = None,
                labels: dict[str, str] | None = None) -> list[dict]:
    """One row per story event with every report's own date, for the timeline drawing.

    ``dates`` groups the reports by the (earliest, latest) they give; more than
    one group means the sources disagree on the date (``disagree``). ``labels`` (event id -> label)
    saves working out labels the caller already has.
    """
    labels = labels or {}
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
            "label": labels.get(ev.id) or views.event_label(ev),
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


# Units that measure the same kind of quantity share a chart ("%" and "% of GDP" are both shares).
_UNIT_FAMILY = {"percent": "percent", "percent_of_gdp": "percent", "percentage_points": "percent"}
_UNIT_SUFFIX = {"percent": "%"}
_FAMILY_NAME = {"percent": "Percentages", "count": "Counts", "USD": "US dollars", "EUR": "Euros"}
_BY_WHAT = {"count"}  # families charted apart for each thing they measure (a count of people is no count of games)
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
MAX_GRAPH_NODES = 12  # the most linked actors drawn; the rest are counted in left_out (legibility, not fitted)
_PLACE_ROLES = {"where", "location", "place", "in", "at"}  # where an event happened is no actor in it


def _period_year(period: str | None) -> int | None:
    """The year a figure's period points at ("2024", "by 2029", "2025-2029" -> the last year); None if none."""
    years = _YEAR.findall(period or "")
    return int(years[-1]) if years else None


def figure_charts(figures: list[dict], documents: list[dict]) -> list[dict]:
    """Charts of figures against their period: one per kind of quantity (unit family) that has at least
    one figure with a period and two figures in all. Points keep their citation and source name."""
    names = {d["id"]: d.get("short_name") or d["id"] for d in documents}
    groups: dict[tuple[str, str], list[dict]] = {}
    for f in figures:
        if f.get("value") is None or not f.get("unit"):
            continue
        fam = _UNIT_FAMILY.get(f["unit"], f["unit"])
        # counts of different things (seasons, points, games) never share an axis: one chart per thing counted
        what = " ".join((f.get("about") or "").lower().split()) if fam in _BY_WHAT else ""
        groups.setdefault((fam, what), []).append({
            "value": f["value"], "text": f["text"], "unit": f["unit"], "about": f.get("about"),
            "subject": f.get("subject"), "period": f.get("period"), "year": _period_year(f.get("period")),
            "status": f.get("status") or "actual", "cite": f["cite"], "doc": f["doc"], "source": names.get(f["doc"], f["doc"]),
        })
    charts = []
    for (fam, _what), pts in groups.items():
        if len(pts) < 2 or all(p["year"] is None for p in pts):
            continue
        pts.sort(key=lambda p: (p["year"] is None, p["year"] or 0, p["value"]))
        abouts = Counter(" ".join(p["about"].split()) for p in pts if p["about"])
        what = ", ".join(a for a, _ in abouts.most_common(3)) or "figures"
        title = f"{_FAMILY_NAME.get(fam, fam.replace('_', ' '))}: {what}"
        charts.append({"unit": fam, "suffix": _UNIT_SUFFIX.get(fam, ""), "title": title, "points": pts})
    charts.sort(key=lambda c: -len(c["points"]))
    return charts


def actor_graph(store, events: list[Event], limit: int = MAX_GRAPH_NODES, labels: dict[str, str] | None = None) -> dict:
    """Who met whom: people, organisations and governments that share an event, joined by their events.

    An edge's ``sources`` adds up the independent sources of its events; at
    most ``limit`` actors (the most active) are kept, and ``left_out`` says how
    many more there were.
    """
    ents: dict[str, Any] = {}
    count: Counter = Counter()
    pairs: dict[tuple[str, str], list[Event]] = {}
    for ev in events:
        ids = list(dict.fromkeys(p.entity for p in ev.participants if p.role not in _PLACE_ROLES))
        for eid in ids:
            if eid not in ents:
                ents[eid] = store.entity(eid)
        ids = [i for i in ids if ents[i] is not None and ents[i].type in ("PERSON", "ORG", "GPE", "NORP")]
        for i in ids:
            count[i] += 1
        for a_i, a in enumerate(ids):
            for b in ids[a_i + 1 :]:
                pairs.setdefault((min(a, b), max(a, b)), []).append(ev)
    linked: Counter = Counter()
    for (a, b), evs in pairs.items():
        linked[a] += len(evs)
        linked[b] += len(evs)
    keep = [eid for eid, _ in sorted(linked.items(), key=lambda kv: (-kv[1], -count[kv[0]], ents[kv[0]].name))][:limit]
    kept = set(keep)
    nodes = [{"id": eid, "name": ents[eid].name, "type": ents[eid].type, "events": count[eid]} for eid in keep]
    edges = []
    for (a, b), evs in sorted(pairs.items()):
        if a in kept and b in kept:
            edges.append({
                "a": a, "b": b, "a_name": ents[a].name, "b_name": ents[b].name,
                "sources": sum(max(1, ev.sources) for ev in evs),
                "events": [{"event": ev.id, "label": (labels or {}).get(ev.id) or views.event_label(ev)} for ev in evs],
                "cite": views.cite(evs[0].mentions[0].span) if evs[0].mentions else None,
            })
    return {"nodes": nodes, "edges": edges, "left_out": max(0, len(linked) - len(keep))}


class Memo:
    """A store whose event lists and entities are read once per page: the story view, the page's own
    drawings and the brief each ask for the story's events, and the actors are looked up three times."""

    def __init__(self, store):
        self._store = store
        self._events: dict[tuple, list[Event]] = {}
        self._entities: dict[str, Any] = {}

    def events(self, **kw) -> list[Event]:
        key = tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in kw.items()))
        if key not in self._events:
            self._events[key] = self._store.events(**kw)
        return list(self._events[key])

    def entity(self, entity_id: str):
        if entity_id not in self._entities:
            self._entities[entity_id] = self._store.entity(entity_id)
        return self._entities[entity_id]

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def story_page(store, story_id: str) -> dict:
    """Everything the story page shows: the story view plus marks, actors, figures, charts, graph and brief."""
    store = Memo(store)
    data = views.story(store, story_id)
    events = store.events(story=data["id"])
    labels = {r["event"]: r["label"] for r in data["events"]}  # each label worked out once
    data["timeline"] = story_marks(store, data["id"], events, labels)
    data["actors"] = story_actors(store, events)
    data["figures"] = story_figures(store, [d["id"] for d in data["documents"]])
    data["charts"] = figure_charts(data["figures"], data["documents"])
    data["graph"] = actor_graph(store, events, labels=labels)
    data["brief"] = views.brief(store, data["id"])
    from . import browse

    browse.with_sources(store, data["events"])
    browse.conflicts_named(store, data["conflicts"])
    for d in data["documents"]:
        d["outlet"] = browse.outlet_of(d)
    data["docnames"] = {d["id"]: {"outlet": d["outlet"], "title": d.get("display_title") or d["id"]}
                        for d in data["documents"]}
    data["grouped"] = browse.why_grouped(store, data["documents"], [a["id"] for a in data["actors"]])
    return data


# the largest ?offset= a list takes (a larger one is a 422, not an overflow of the store's 64-bit integers)
MAX_OFFSET = 1 << 62


class Paged:
    """A store whose quote and figure lists come a page at a time (``offset``, ``limit``), read in SQL:
    ``views.quotes(Paged(store, 100, 50))`` is the views' own rows for one page. Anything else is the
    store's own."""

    def __init__(self, store, offset: int, limit: int):
        self._store, self._offset, self._limit = store, offset, limit

    def quote_rows(self, **kw):
        return self._store.quote_rows(**kw, offset=self._offset, limit=self._limit)

    def figure_rows(self, **kw):
        return self._store.figure_rows(**kw, offset=self._offset, limit=self._limit)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def page_info(offset: int, limit: int, shown: int, total: int | None) -> dict:
    """What a paged list needs to draw its pager: the range shown, the total, previous and next offsets."""
    return {"offset": offset, "limit": limit, "first": offset + 1 if shown else 0, "last": offset + shown,
            "total": total, "prev": max(0, offset - limit) if offset > 0 else None,
            "next": offset + limit if (total is None and shown == limit) or (total is not None and offset + shown < total)
            else None}


def document_page(store, doc_id: str, hl: list[str] | None = None) -> dict:
    """The document view plus the valid ``hl`` ranges (``cited``) and the rejected ones."""
    data = views.show_document(store, doc_id)
    good, bad = parse_hl(hl or [], len(data["text"]))
    data["cited"] = [{"start": s, "end": e, "text": data["text"][s:e]} for s, e in good]
    data["ignored_hl"] = bad
    from . import browse

    data["outlet"] = browse.outlet_of(data)
    data["context"] = browse.story_context(store, data["id"])
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
    store = Memo(store)
    data = views.compare(store, story_id)
    names = {d["id"]: d.get("short_name") or d["id"] for d in data["documents"]}
    events = {e.id: e for e in store.events(story=data["story"])}  # the events views.compare read
    for row in data["rows"]:
        if row["id"] in events:  # the source's clause, not the extraction's "someone — verb" triple
            row["triple"], row["label"] = row["label"], views.event_label(events[row["id"]])
    for row in data["rows"]:
        norm = {doc: _norm_cell(row["kind"], v) for doc, v in row["cells"].items()}
        known = [v for v in norm.values() if v is not None]
        counts = Counter(known)
        row["disagree"] = len(counts) > 1
        row["notes"] = {}
        if row["disagree"]:
            (top, n), (_, m) = counts.most_common(2)
            majority = top if n > m else None  # a tie has no majority: every cell is marked
            row["odd"] = sorted(doc for doc, v in norm.items() if v is not None and v != majority)
            for doc in row["odd"]:
                others = [names.get(d, d) for d, v in norm.items() if d != doc and v is not None and v != norm[doc]]
                said = "; ".join(f"{names.get(d, d)}: {row['cells'][d]}" for d, v in norm.items()
                                 if d != doc and v is not None and v != norm[doc])
                if majority is not None:
                    row["notes"][doc] = (f"This source says {row['cells'][doc]}; most sources ({n} of {len(known)}) "
                                         f"say otherwise — {said}")
                else:
                    row["notes"][doc] = f"Sources split evenly; this one says {row['cells'][doc]}, others — {said}"
                if not others:
                    row["notes"][doc] = f"This source says {row['cells'][doc]}"
        else:
            row["odd"] = []
    return data
