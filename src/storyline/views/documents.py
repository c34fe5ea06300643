"""Documents as rows: the list, one document with every extracted item, a cited span in its context,
and full-text search hits."""

from __future__ import annotations

import re

from ..errors import StoreError
from .display import SENTENCE_END, date_text, derived_title, parse_cite, short_name, span_row, when_row

__all__ = ["doc_row", "documents_of", "count", "list_documents", "show_document", "CONTEXT_CHARS", "cited_span",
           "search", "snippet_parts"]


def doc_row(row: dict) -> dict:
    """A document row for people: ``display_title`` (the title, else one derived from the lede, then
    ``title_derived``), ``date`` (published day or inferred range) and ``short_name``."""
    lede = row.pop("lede", None)
    title = (row.get("title") or "").strip()
    row["display_title"] = title or derived_title(lede) or None
    row["title_derived"] = not title and row["display_title"] is not None
    row["date"] = date_text(row.get("published"), row.get("earliest"), row.get("latest"))
    row["short_name"] = short_name(row)
    return row


def documents_of(store, ids: list[str]) -> list[dict]:
    """Rows of the given documents (for a story), each with display title, date and short name."""
    return [doc_row(r) for r in store.document_rows(ids)]


def count(store, what: str) -> int:
    """How many documents, entities, stories, conflicts or dated_events there are (for paging)."""
    return store.count_of(what)


def list_documents(store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """One row per document (no text): id, title, display_title (title_derived), byline, published, earliest,
    latest, date, basis, source, words, duplicate_of; a page of ``limit`` rows from ``offset``."""
    return [doc_row(r) for r in store.document_rows(limit=limit, offset=offset)]


def show_document(store, doc_id: str) -> dict:
    """A document with its text and every extracted item (with spans) for highlighting."""
    rec = store.document(doc_id)
    (row,) = documents_of(store, [rec.id])
    d = rec.document
    out = {**row, "sources": list(rec.sources), "language": d.language, "url": d.url, "format": d.format,
           "text": d.text, "items": []}
    ann = next(store.annotations([rec.id]), None)
    if ann is None:
        return out
    emap = store.entity_map(rec.id)

    def name(key: str | None) -> str | None:
        if key is None:
            return None
        if key in emap:
            return emap[key][1]
        ent = ann.entity(key)
        return ent.name if ent else None

    items = out["items"]
    for e in ann.entities:
        eid = emap.get(e.key, (f"{rec.id}:{e.key}",))[0]
        for m in e.mentions:
            items.append({"type": "entity", "id": e.key, "entity": eid, "name": name(e.key), "entity_type": e.type,
                          "kind": m.kind, **span_row(m.span)})
    for t in ann.times:
        items.append({"type": "time", "id": t.id, "time_type": t.type, **when_row(t.when), **span_row(t.span)})
    for q in ann.quotes:
        items.append({"type": "quote", "id": q.id, "kind": q.kind, "speaker": name(q.speaker), "cue": q.cue,
                      "speaker_span": span_row(q.speaker_span) if q.speaker_span else None, **span_row(q.span)})
    for f in ann.figures:
        items.append({"type": "figure", "id": f.id, "value": f.value, "unit": f.unit, "about": f.about,
                      "subject": name(f.subject), "speaker": name(f.speaker), "status": f.status, **span_row(f.span)})
    for ev in ann.events:
        items.append({"type": "event", "id": ev.id, "event_type": ev.type, "label": ev.label, **when_row(ev.when),
                      "trigger": span_row(ev.trigger), **span_row(ev.span)})
    items.sort(key=lambda it: (it["start"], -it["end"], it["type"]))
    return out


CONTEXT_CHARS = 240  # characters of context a cited span is shown with, each side (cut at a sentence or word)


def cited_span(store, citation: str, context: int = CONTEXT_CHARS) -> dict:
    """The span a citation names, with the text around it: doc, start, end, text (== document text
    [start:end]), before, after, title and outlet. E302 when the document is unknown or the span
    falls outside its text."""
    parsed = parse_cite(citation)
    if parsed is None:
        raise StoreError(f"not a citation {citation!r}; expected DOC:START-END", code="E302")
    doc_id, start, end = parsed
    rec = store.document(doc_id)
    text = rec.document.text
    if end > len(text):
        raise StoreError(f"{citation}: the document has only {len(text)} characters", code="E302")
    lo = max(0, start - context)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    lo = cut + 1 if cut >= 0 else (text.find(" ", lo, start) + 1 if lo else 0)
    hi = min(len(text), end + context)
    sentence_end = SENTENCE_END.search(text, end, hi)  # not at "Mr." or "U.S."
    stop = [i for i in ((sentence_end.start() if sentence_end else -1), text.find("\n", end, hi)) if i >= 0]
    hi = min(stop) + 1 if stop else (text.rfind(" ", end, hi) if hi < len(text) and text.rfind(" ", end, hi) > 0 else hi)
    (row,) = documents_of(store, [rec.id])
    return {"doc": rec.id, "start": start, "end": end, "text": text[start:end], "cite": f"{rec.id}:{start}-{end}",
            "before": text[lo:start].lstrip(), "after": text[end:hi].rstrip(), "context_start": lo, "context_end": hi,
            "more_after": hi < len(text),
            "title": row.get("display_title"), "outlet": row.get("outlet"), "date": row.get("date"),
            "source": row.get("source")}


def search(store, q: str, limit: int = 20, offset: int = 0) -> list[dict]:
    """Full-text search hits: doc, title, snippet, rank; ``offset`` skips the first hits (paging).

    The snippet marks each matched word as ``[word]`` (:func:`snippet_parts` splits it for display)."""
    return [{"doc": h.doc, "title": h.title, "snippet": h.snippet, "rank": h.rank}
            for h in store.search(q, limit=limit, offset=offset)]


_MARK = re.compile(r"\[([^\[\]\n]{1,80})\]")


def snippet_parts(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) pieces: the store's ``[word]`` markers become matched pieces,
    their words kept (a terminal that reads ``[word]`` as markup would otherwise drop them)."""
    text = snippet or ""
    out: list[tuple[str, bool]] = []
    at = 0
    for m in _MARK.finditer(text):
        if m.start() > at:
            out.append((text[at : m.start()], False))
        out.append((m[1], True))
        at = m.end()
    if at < len(text):
        out.append((text[at:], False))
    return out
