"""Small helpers shared by the components: spans, entity lookup, sentences."""

from __future__ import annotations

from ..model import LocalEntity, Span

__all__ = ["doc_text", "make_span", "doc_id", "entity_at", "entity_index", "sentence_at", "strip_span"]


def doc_id(doc) -> str:
    d = doc._.sl_document
    return d.id if d is not None else ""


def doc_text(doc) -> str:
    """The text of ``doc`` without rebuilding it: spaCy's ``Doc.text`` joins every
    token on each access, which makes per-item calls quadratic on long documents.
    ``annotate`` builds each Doc from its Document's text, so the two are equal."""
    d = doc._.sl_document
    return d.text if d is not None else doc.text


def make_span(doc, start: int, end: int) -> Span:
    """A provenance span over ``doc.text[start:end]``, whitespace trimmed."""
    text = doc_text(doc)
    start, end = strip_span(text, start, end)
    return Span(doc_id(doc), start, end, text[start:end])


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def entity_index(doc) -> list[tuple[int, int, str, str]]:
    """(start, end, key, mention kind) of every entity mention, sorted by start."""
    out = []
    for ent in doc._.sl_entities or ():
        for m in ent.mentions:
            out.append((m.span.start, m.span.end, ent.key, m.kind))
    out.sort()
    return out


def entity_at(doc, start: int, end: int, types: tuple[str, ...] | None = None) -> LocalEntity | None:
    """The entity with a mention overlapping ``start:end`` (the longest overlap wins)."""
    best, best_len = None, 0
    for ent in doc._.sl_entities or ():
        if types and ent.type not in types:
            continue
        for m in ent.mentions:
            overlap = min(end, m.span.end) - max(start, m.span.start)
            if overlap > best_len:
                best, best_len = ent, overlap
    return best


def sentence_at(doc, char: int):
    """The spaCy sentence holding character ``char`` (None outside the text)."""
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None
