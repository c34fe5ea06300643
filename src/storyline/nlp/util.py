"""Small helpers shared by the components: spans, entity lookup, sentences."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cached_property, lru_cache

from ..model import LocalEntity, Span

__all__ = [
    "doc_text", "make_span", "span_maker", "doc_id", "entity_at", "entity_in", "entity_index", "mention_index",
    "replaced", "sentence_at", "sentence_index", "sentence_of", "sentences", "strip_span",
]


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


def span_maker(doc) -> Callable[[int, int], Span]:
    """``make_span`` for one document, its text and id looked up once (a component that makes
    many spans saves two extension lookups a span)."""
    text, did = doc_text(doc), doc_id(doc)

    def make(start: int, end: int) -> Span:
        start, end = strip_span(text, start, end)
        return Span(did, start, end, text[start:end])

    return make


def replaced(obj, **changes):
    """``dataclasses.replace(obj, **changes)`` at a seventh of its cost (12 microseconds for an
    event mention, paid on every mention twice): for a dataclass whose instances keep their fields
    in ``__dict__`` and whose ``__init__`` only stores them (no ``__post_init__``, no ``init=False``
    field), a copy of that dict is the instance ``replace`` would build. Other classes go
    through ``dataclasses.replace``."""
    cls = type(obj)
    if not _plain(cls):
        return dataclasses.replace(obj, **changes)
    unknown = changes.keys() - _field_names(cls)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    new = object.__new__(cls)
    fields = new.__dict__
    fields.update(obj.__dict__)
    fields.update(changes)
    return new


@lru_cache(maxsize=None)
def _plain(cls: type) -> bool:
    return (
        dataclasses.is_dataclass(cls)
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in cls.__dict__
        and all(f.init for f in dataclasses.fields(cls))
        and not any(isinstance(v, cached_property) for k in cls.__mro__ for v in vars(k).values())
    )


@lru_cache(maxsize=None)
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


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


MentionIndex = tuple[list[int], list[tuple[int, int, int, int, LocalEntity]], int]


def mention_index(doc) -> MentionIndex:
    """Mentions sorted by start (with their entity), built once per entity list: lookups
    stay logarithmic instead of scanning every mention (quadratic on long documents)."""
    ents = doc._.sl_entities or ()
    cached = doc.user_data.get("sl_mention_index")
    if cached is not None and cached[0] is ents and cached[1] == len(ents):
        return cached[2]
    items = sorted(
        (m.span.start, m.span.end, i, j, ent) for i, ent in enumerate(ents) for j, m in enumerate(ent.mentions)
    )
    longest = max((e - s for s, e, *_ in items), default=0)
    index = ([it[0] for it in items], items, longest)
    doc.user_data["sl_mention_index"] = (ents, len(ents), index)
    return index


def entity_at(doc, start: int, end: int, types: tuple[str, ...] | None = None) -> LocalEntity | None:
    """The entity with a mention overlapping ``start:end`` (the longest overlap wins;
    on a tie, the earlier entity, as a scan in entity order would find it)."""
    return entity_in(mention_index(doc), start, end, types)


def entity_in(index: MentionIndex, start: int, end: int, types: tuple[str, ...] | None = None) -> LocalEntity | None:
    """:func:`entity_at` over an index from :func:`mention_index` (kept by a caller that looks up
    many spans of one document while its entities stay the same)."""
    starts, items, longest = index
    best, best_key = None, None
    for k in range(bisect_left(starts, start - longest), bisect_left(starts, end)):
        s, e, i, j, ent = items[k]
        overlap = min(end, e) - max(start, s)
        if overlap <= 0 or (types and ent.type not in types):
            continue
        key = (-overlap, i, j)
        if best_key is None or key < best_key:
            best, best_key = ent, key
    return best


def sentences(doc) -> tuple:
    """``tuple(doc.sents)``, worked out once per parsed document (with the sentence of each
    token): ``Token.sent`` walks to both ends of its sentence and builds two spans on each call."""
    table = doc.user_data.get(_SENTENCES)
    if table is None or table[0] != len(doc):
        sents = tuple(doc.sents)
        of: list[int] = []
        for k, sent in enumerate(sents):
            of.extend([k] * (sent.end - sent.start))
        table = (len(doc), sents, of, [sent.start_char for sent in sents])
        doc.user_data[_SENTENCES] = table
    return table[1]


def sentence_index(tok) -> int:
    """The position in :func:`sentences` of the sentence holding ``tok``."""
    sentences(tok.doc)
    return tok.doc.user_data[_SENTENCES][2][tok.i]


def sentence_of(tok):
    """``tok.sent``, from the table :func:`sentences` keeps."""
    return sentences(tok.doc)[sentence_index(tok)]


def sentence_at(doc, char: int):
    """The spaCy sentence holding character ``char`` (None outside the text)."""
    sents = sentences(doc)
    k = bisect_right(doc.user_data[_SENTENCES][3], char) - 1
    if k >= 0 and sents[k].start_char <= char < sents[k].end_char:
        return sents[k]
    return None


_SENTENCES = "sl_sentences"
