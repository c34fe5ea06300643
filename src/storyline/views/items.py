"""Resolved items as rows: events (the timeline), entities (the list and one profile), quotes, figures
and conflicts, each with its citations."""

from __future__ import annotations

from ..errors import StoreError
from ..lexicon.names import fold
from ..model import Conflict, Event, Figure, Quote
from .display import cite, when_row

__all__ = ["event_label", "event_row", "timeline", "ENTITY_SORTS", "entities", "entity_profile",
           "quote_row", "quotes", "figure_row", "figures", "conflict_row", "conflicts"]


def modality(ev: Event) -> str | None:
    """The event's modality where the model has one (on the event, else shared by all its reports)."""
    m = getattr(ev, "modality", None)
    if m is None and ev.mentions:
        seen = {getattr(r, "modality", None) for r in ev.mentions}
        m = seen.pop() if len(seen) == 1 else None
    return m


def event_label(ev: Event) -> str:
    """An event's label as a person writes it (:func:`storyline.resolve.titles.reader_label`)."""
    from ..resolve.titles import reader_label

    return reader_label(ev)


def event_row(ev: Event, conflicted: set[str]) -> dict:
    return {
        "event": ev.id,
        **when_row(ev.when),
        "label": event_label(ev),
        "triple": ev.label,
        "type": ev.type,
        "mode": ev.mode,
        "modality": modality(ev),
        "sources": ev.sources,
        "reports": len(ev.mentions),
        "conflict": ev.id in conflicted,
        "citations": [cite(m.span) for m in ev.mentions],
    }


def timeline(store, entity: str | None = None, story: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[dict]:
    """Dated events in date order, optionally for one entity (name or alias) or one story; a page with ``limit``."""
    entity_ids = None
    if entity is not None:
        entity_ids = store.entity_ids(entity)
        if not entity_ids:
            return []
    events = store.events(entity_ids=entity_ids, story=story, dated=True, limit=limit, offset=offset)
    conflicted = store.open_conflicts_about([e.id for e in events])
    return [event_row(e, conflicted) for e in events]


ENTITY_SORTS = ("mentions", "sources", "name")


def entities(store, limit: int | None = None, offset: int = 0, *, type: str | None = None, name: str | None = None,
             sort: str = "mentions") -> list[dict]:
    """Resolved entities: id, name, type, mentions, documents; most mentioned first (``sort``: mentions,
    sources = documents, or name); ``type`` keeps one type, ``name`` those whose name holds its words
    (case- and accent-insensitive); a page with ``limit``. ValueError on an unknown sort."""
    if sort not in ENTITY_SORTS:
        raise ValueError(f"--sort must be one of {', '.join(ENTITY_SORTS)}, not {sort!r}")
    if type is None and name is None and sort == "mentions":
        return store.entity_rows(limit=limit, offset=offset)
    rows = store.entity_rows()
    if type is not None:
        rows = [r for r in rows if (r.get("type") or "").upper() == type.strip().upper()]
    if name is not None:
        want = fold(name).split()
        rows = [r for r in rows if all(w in fold(r.get("name") or "") for w in want)]
    if sort == "sources":
        rows.sort(key=lambda r: (-(r.get("documents") or 0), -(r.get("mentions") or 0)))
    elif sort == "name":
        rows.sort(key=lambda r: fold(r.get("name") or ""))
    return rows[offset : None if limit is None else offset + limit]


def entity_profile(store, name: str, limit: int = 100) -> dict:
    """One entity by canonical name, alias or id (case- and accent-insensitive); E302 when unknown.

    Events, quotes and figures are each capped at ``limit`` rows (earliest first).
    """
    ids = store.entity_ids(name)
    if not ids:
        raise StoreError(f"no entity named {name!r}", code="E302")
    ent = store.entity(ids[0])
    evs = store.entity_events(ent.id, limit=limit)
    conflicted = store.open_conflicts_about([e.id for e, _ in evs])
    return {
        "id": ent.id,
        "name": ent.name,
        "type": ent.type,
        "aliases": list(ent.aliases),
        "roles": list(ent.descriptions),
        "mentions": len(ent.mentions),
        "documents": sorted({s.doc for s in ent.mentions} | {d for d, _ in ent.members}),
        "events": [{**event_row(e, conflicted), "role": role} for e, role in evs],
        "quotes": [quote_row(q, eid, n) for q, eid, n in store.quote_rows(entity_ids=[ent.id], limit=limit)],
        "figures": [figure_row(f, names) for f, names in store.figure_rows(entity_ids=[ent.id], limit=limit)],
        "also": ids[1:],
    }


def quote_row(q: Quote, eid: str | None, name: str | None) -> dict:
    return {
        "id": q.id,
        "doc": q.span.doc,
        "speaker": name,
        "speaker_id": eid,
        "speaker_text": q.speaker_span.text if q.speaker_span else None,
        "kind": q.kind,
        "cue": q.cue,
        "text": q.span.text,
        **({"when": when_row(q.when)} if q.when else {}),
        "cite": cite(q.span),
    }


def quotes(store, speaker: str | None = None) -> list[dict]:
    """Quotes with speaker, kind, cue and citation; only one speaker's when ``speaker`` is given."""
    if speaker is None:
        rows = store.quote_rows()
    else:
        rows = store.quote_rows(entity_ids=store.entity_ids(speaker), name=speaker)
    return [quote_row(q, eid, n) for q, eid, n in rows]


def figure_row(f: Figure, names: dict) -> dict:
    return {
        "id": f.id,
        "doc": f.span.doc,
        "text": f.span.text,
        "value": f.value,
        "unit": f.unit,
        "about": f.about,
        "subject": names.get("subject"),
        "subject_id": names.get("subject_id"),
        "period": f.period,
        "qualifier": f.qualifier,
        "status": f.status,
        "speaker": names.get("speaker"),
        "cite": cite(f.span),
    }


def figures(store, about: str | None = None) -> list[dict]:
    """Figures; ``about`` keeps those whose ``about`` holds it (case- and accent-insensitive)."""
    return [figure_row(f, names) for f, names in store.figure_rows(about=about)]


def conflict_row(c: Conflict) -> dict:
    return {
        "id": c.id,
        "kind": c.kind,
        "about": c.about,
        "summary": c.summary,
        "status": c.status,
        "claims": [{"value": cl.value, "text": cl.span.text, "doc": cl.span.doc, "cite": cite(cl.span)} for cl in c.claims],
    }


def conflicts(store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Where sources disagree, each claim cited; a page of ``limit`` from ``offset``."""
    return [conflict_row(c) for c in store.conflict_list(limit=limit, offset=offset)]
