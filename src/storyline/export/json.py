"""Format storyline/1: the whole knowledge base as one JSON object.

The shape is fixed by ``storyline-export.schema.json`` (vendored from
``shared/schema``). Every item carries ``doc, start, end, text`` with
``documents[d].text[start:end] == text``. Local entity keys become entity ids
through ``Resolution.entity_of``; before the first resolve (or for a key the
resolution does not map) the id is ``f"{doc}:{key}"`` and entities and events
fall back to each document's own.
"""

from __future__ import annotations

from ..model import DocAnnotations, DocRecord, Entity, Event, LocalEntity, Resolution, Span, When
from ..resolve.titles import reader_label
from ..views import derived_title

__all__ = ["FORMAT", "export_json", "span_dict", "when_dict", "item_id"]

FORMAT = "storyline/1"


def span_dict(span: Span) -> dict:
    return {"doc": span.doc, "start": span.start, "end": span.end, "text": span.text}


def when_dict(when: When | None) -> dict | None:
    if when is None:
        return None
    out: dict = {"value": when.value, "earliest": when.earliest, "latest": when.latest}
    estimate = getattr(when, "estimate", None)
    if estimate:  # no date in the text: a best estimate, said to be one
        day, lo, hi = estimate
        out["estimate"] = {"value": day, "earliest": lo, "latest": hi, "basis": "estimated"}
    return out


def item_id(doc: str, local_id: str) -> str:
    """Export id of a per-document item (quote, figure, time, event mention)."""
    return f"{doc}:{local_id}"


class _Ids:
    """Maps (doc, local key) to the exported entity id."""

    def __init__(self, res: Resolution):
        self.entity_of = res.entity_of

    def __call__(self, doc: str, key: str | None) -> str | None:
        if key is None:
            return None
        return self.entity_of.get((doc, key), f"{doc}:{key}")


def _document(rec: DocRecord) -> dict:
    pub = rec.published
    d = rec.document
    return {
        "id": d.id,
        "source": rec.sources[0] if rec.sources else d.source,
        "text": d.text,
        "title": d.title,
        # no title of its own: a display title from the lede, marked as derived (the title stays null)
        "display_title": (d.title or "").strip() or derived_title(d.text),
        "title_derived": not (d.title or "").strip(),
        "byline": d.byline,
        "published": {**(when_dict(pub.when) or {}), "basis": pub.basis},
        "duplicate_of": rec.duplicate_of,
        "repairs": list(d.repairs),  # what ingest mended or cut (invalid UTF-8 bytes, a cut title)
    }


def _report(m) -> dict:
    out = {**span_dict(m.span), "when": when_dict(m.when)}
    if getattr(m, "trigger", None) is not None:
        out["trigger"] = span_dict(m.trigger)
    if getattr(m, "modality", None) is not None:
        out["modality"] = m.modality
    if getattr(m, "salience", None) is not None:
        out["salience"] = m.salience
    return out


def _entity(eid: str, e: Entity | LocalEntity, spans) -> dict:
    """A resolved entity, or a document's own one where nothing is resolved yet, with its mention spans."""
    return {"id": eid, "name": e.name, "type": e.type, "aliases": list(e.aliases),
            "descriptions": list(e.descriptions), "mentions": [span_dict(s) for s in spans]}


def _event(ev: Event) -> dict:
    return {
        "id": ev.id,
        "type": ev.type,
        "label": reader_label(ev),  # the source's words; the extraction's triple stays internal
        "participants": [{"entity": p.entity, "role": p.role} for p in ev.participants],
        "where": ev.where,
        "when": when_dict(ev.when),
        "mentions": [_report(m) for m in ev.mentions],
        "mode": ev.mode,
        "sources": ev.sources,
        "role_in_story": ev.role,
    }


def _story(s) -> dict:
    out = {
        "id": s.id,
        "label": s.label,
        "documents": list(s.documents),
        "events": list(s.events),
        "headline": s.headline,
        "earliest": s.earliest,
        "latest": s.latest,
    }
    if s.title:
        out["title"] = s.title  # the schema's title is a string: left out when the story has none
    return out


def _local_items(ann: DocAnnotations, ids: _Ids, out: dict, fallback: bool) -> None:
    doc = ann.doc
    for q in ann.quotes:
        out["quotes"].append(
            {
                **span_dict(q.span),
                "id": item_id(doc, q.id),
                "kind": q.kind,
                "speaker": ids(doc, q.speaker),
                "speaker_text": q.speaker_span.text if q.speaker_span else None,
                "cue": q.cue,
                "when": when_dict(q.when),
            }
        )
    for f in ann.figures:
        out["figures"].append(
            {
                **span_dict(f.span),
                "id": item_id(doc, f.id),
                "value": f.value,
                "unit": f.unit,
                "about": f.about,
                "subject": ids(doc, f.subject),
                "period": f.period,
                "qualifier": f.qualifier,
                "status": f.status,
                "speaker": ids(doc, f.speaker),
            }
        )
    for t in ann.times:
        out["times"].append(
            {
                **span_dict(t.span),
                "id": item_id(doc, t.id),
                "type": t.type,
                "when": when_dict(t.when),
                "anchor": t.anchor if t.anchor in (None, "published") else item_id(doc, t.anchor),
            }
        )
    if not fallback:
        return
    for e in ann.entities:
        out["entities"].append(_entity(f"{doc}:{e.key}", e, [m.span for m in e.mentions]))
    for m in ann.events:
        out["events"].append(
            {
                "id": item_id(doc, m.id),
                "type": m.type,
                "label": m.label,
                "participants": [{"entity": ids(doc, p.entity), "role": p.role} for p in m.participants],
                "where": ids(doc, m.where),
                "when": when_dict(m.when),
                "mentions": [_report(m)],
                "mode": m.mode,
                "sources": 1,
            }
        )


def export_json(store) -> dict:
    """The whole store in format storyline/1 (a dict ready for ``json.dump``)."""
    res = store.resolution()
    ids = _Ids(res)
    out: dict = {
        "format": FORMAT,
        "documents": [_document(r) for r in store.documents()],
        "entities": [_entity(e.id, e, e.mentions) for e in res.entities],
        "events": [_event(ev) for ev in res.events],
        "quotes": [],
        "times": [],
        "figures": [],
        "stories": [_story(s) for s in res.stories],
        "conflicts": [
            {
                "id": c.id,
                "kind": c.kind,
                "about": c.about,
                "summary": c.summary,
                "claims": [{**span_dict(cl.span), "value": cl.value} for cl in c.claims],
                "status": c.status,
                **({"basis": c.basis} if c.basis else {}),
            }
            for c in res.conflicts
        ],
    }
    ent_fallback = not res.entities and not res.events
    for ann in store.annotations():
        _local_items(ann, ids, out, ent_fallback)
    return out
