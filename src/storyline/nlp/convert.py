"""The only bridge from a spaCy ``Doc`` (with our extension attributes) to
``storyline.model`` objects, including the shift of chunk-local offsets."""

from __future__ import annotations

import dataclasses
import typing
from functools import lru_cache
from typing import Any

from ..model import DocAnnotations, Published, Span

__all__ = ["to_annotations", "shift", "place", "merge_chunks"]


def shift(obj, offset: int):
    """A copy of ``obj`` with every nested Span moved ``offset`` characters right."""
    if offset == 0:
        return obj
    if isinstance(obj, Span):
        return Span(obj.doc, obj.start + offset, obj.end + offset, obj.text)
    if isinstance(obj, tuple):
        return tuple(shift(x, offset) for x in obj)
    if isinstance(obj, list):
        return [shift(x, offset) for x in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for name in _span_fields(type(obj)):
            v = getattr(obj, name)
            if isinstance(v, (Span, tuple, list)) or (dataclasses.is_dataclass(v) and not isinstance(v, type)):
                changes[name] = shift(v, offset)
        return dataclasses.replace(obj, **changes) if changes else obj
    return obj


@lru_cache(maxsize=None)
def _span_fields(cls: type) -> tuple[str, ...]:
    """The fields of dataclass ``cls`` whose declared type can hold a Span (at any depth):
    the only ones :func:`shift` needs to look into. A field typed ``Any`` (or a type the
    hints do not resolve) is looked into."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001  unresolvable hints: every field
        return tuple(f.name for f in dataclasses.fields(cls))
    return tuple(f.name for f in dataclasses.fields(cls) if _may_hold_span(hints.get(f.name, Any), set()))


def _may_hold_span(tp, seen: set) -> bool:
    if tp is Span or tp is Any:
        return True
    if dataclasses.is_dataclass(tp):
        if tp in seen:
            return False
        seen.add(tp)
        try:
            hints = typing.get_type_hints(tp)
        except Exception:  # noqa: BLE001
            return True
        return any(_may_hold_span(h, seen) for h in hints.values())
    args = typing.get_args(tp)
    if args:
        return any(a is not Ellipsis and _may_hold_span(a, seen) for a in args)
    return tp is object


TERM_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
MAX_TERMS = 200


def doc_terms(doc) -> tuple[tuple[str, int], ...]:
    """Content lemmas and their counts, most frequent first (ties alphabetical):
    nouns, names, verbs, adjectives and four-digit years, without stop words."""
    counts: dict[str, int] = {}
    # stop words, punctuation, spaces and one-letter words never count: read as one array, not per token
    from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP, LENGTH

    flags = doc.to_array([IS_STOP, IS_PUNCT, IS_SPACE, LENGTH]).tolist()
    for i, (stop, punct, space, length) in enumerate(flags):
        if stop or punct or space or length < 2:
            continue
        t = doc[i]
        if t.pos_ in TERM_POS and any(c.isalpha() for c in t.text):
            w = t.lower_ if t.pos_ == "PROPN" else t.lemma_.lower()
        elif t.like_num and len(t.text) == 4 and t.text.isdigit():
            w = t.text
        else:
            continue
        counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    return tuple(ranked)


def to_annotations(doc, offset: int = 0) -> DocAnnotations:
    document = doc._.sl_document
    published = doc._.sl_published or (document.published if document else Published())
    ann = DocAnnotations(
        doc=document.id if document else "",
        published=published,
        entities=tuple(doc._.sl_entities or ()),
        times=tuple(doc._.sl_times or ()),
        quotes=tuple(doc._.sl_quotes or ()),
        figures=tuple(doc._.sl_figures or ()),
        events=tuple(doc._.sl_events or ()),
        terms=doc_terms(doc),
    )
    return shift(ann, offset)


def _rekey(ann: DocAnnotations, prefix: str) -> DocAnnotations:
    """Prefix chunk-local keys and ids so chunks of one document never collide."""
    ents = tuple(dataclasses.replace(e, key=prefix + e.key) for e in ann.entities)

    def k(key):
        return None if key is None else prefix + key

    times = tuple(
        dataclasses.replace(t, id=prefix + t.id, anchor=t.anchor if t.anchor in (None, "published") else prefix + t.anchor)
        for t in ann.times
    )
    quotes = tuple(dataclasses.replace(q, id=prefix + q.id, speaker=k(q.speaker)) for q in ann.quotes)
    figures = tuple(
        dataclasses.replace(f, id=prefix + f.id, subject=k(f.subject), speaker=k(f.speaker)) for f in ann.figures
    )
    events = tuple(
        dataclasses.replace(
            e,
            id=prefix + e.id,
            where=k(e.where),
            time=k(e.time),
            participants=tuple(dataclasses.replace(p, entity=prefix + p.entity) for p in e.participants),
        )
        for e in ann.events
    )
    return dataclasses.replace(ann, entities=ents, times=times, quotes=quotes, figures=figures, events=events)


def place(ann: DocAnnotations, offset: int, index: int) -> DocAnnotations:
    """The annotations of chunk ``index`` of a long document (annotated as a document of its own)
    moved ``offset`` characters right to its place in the document, its keys and ids prefixed
    with ``c{index}``: what :func:`merge_chunks` joins (wherever each chunk was annotated)."""
    return _rekey(shift(ann, offset), f"c{index}")


def merge_chunks(parts: list[DocAnnotations]) -> DocAnnotations:
    """One DocAnnotations from the annotations of a long document's chunks, each :func:`place` d
    (a document of one chunk: its annotations as they are)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return DocAnnotations(
        doc=first.doc,
        published=first.published,
        entities=tuple(e for p in parts for e in p.entities),
        times=tuple(t for p in parts for t in p.times),
        quotes=tuple(q for p in parts for q in p.quotes),
        figures=tuple(f for p in parts for f in p.figures),
        events=tuple(e for p in parts for e in p.events),
        terms=_merge_terms(p.terms for p in parts),
    )


def _merge_terms(parts) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for terms in parts:
        for w, n in terms:
            counts[w] = counts.get(w, 0) + n
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
