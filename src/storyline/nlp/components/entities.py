"""storyline_entities: the entities one document mentions, each with every
mention the text supports.

1. Proper names come from the recogniser, mended by :mod:`storyline.nlp.names`
   (titles, possessives, ``State``, ``anti-NATO``, bracketed first names, types
   decided by vote, ``U.S.``/``US`` -> United States, ``Nato`` -> NATO).
2. Names are grouped: the same folded form is one entity; a person's short
   form (``Albares``, ``Manuel Albares``, ``Marco`` as a unique first name)
   joins the full name ending (or starting) with it. When two full names share
   a surname, a bare surname joins the one mentioned most recently before it,
   and none when both were last named in the same sentence or neither before
   it. ``Repsol`` joins ``Repsol SA`` (a corporate suffix).
3. :mod:`storyline.nlp.corefer` adds each person's role descriptions and the
   role nouns and pronouns that refer to them (``kind`` nominal / pronoun).

The canonical ``name`` is the fullest proper-name form (no title, no
possessive); ``aliases`` are the other name forms seen.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.language import Language

from ...model import LocalEntity, Mention, Span
from ..corefer import resolve_people
from ..names import ORG_SUFFIXES, NameMention, canonical, name_mentions
from ..util import doc_id, doc_text, strip_span

__all__ = ["find_entities"]


@dataclass
class _Cluster:
    type: str
    forms: list[NameMention] = field(default_factory=list)
    extra: list[tuple[int, int, str]] = field(default_factory=list)  # (start_char, end_char, kind)
    descriptions: list[str] = field(default_factory=list)

    def name(self) -> str:
        best = None
        for m in self.forms:
            text = m.display or canonical(m.text, self.type)[0]
            rank = (not text.isupper(), len(text.split()), len(text))  # "Harbor United" over "HARBOR UNITED"
            if best is None or rank > best[0]:
                best = (rank, text)
        return best[1] if best else ""


def _sentence_index(doc) -> list[int]:
    out = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = k
    return out


def _group_people(people: list[NameMention], sent_of: list[int], clusters: list[_Cluster]) -> dict[int, int]:
    """Cluster id for each PERSON mention (index into ``people``)."""
    assign: dict[int, int] = {}
    full: dict[tuple[str, ...], int] = {}
    # full forms first, longest first, so a shorter full form joins a longer one ending with it
    multi = sorted(
        (i for i, m in enumerate(people) if len(m.key) > 1),
        key=lambda i: (-len(people[i].key), people[i].start),
    )
    for i in multi:
        key = people[i].key
        if key not in full:
            longer = {cid for k, cid in full.items() if len(k) > len(key) and k[-len(key):] == key}
            if len(longer) == 1:
                full[key] = longer.pop()
            else:
                clusters.append(_Cluster("PERSON"))
                full[key] = len(clusters) - 1
        assign[i] = full[key]
    surname: dict[str, set[int]] = {}
    first: dict[str, set[int]] = {}
    for key, full_cid in full.items():
        surname.setdefault(key[-1], set()).add(full_cid)
        first.setdefault(key[0], set()).add(full_cid)
    positions: dict[int, list[int]] = {}
    for i, given in assign.items():
        positions.setdefault(given, []).append(people[i].start)
    for pos in positions.values():
        pos.sort()
    single: dict[str, int] = {}
    for i, m in enumerate(people):
        if i in assign:
            continue
        word = m.key[0]
        cands = surname.get(word) or (first.get(word) if m.label == "PERSON" else None) or set()
        cid: int | None = None
        if len(cands) == 1:
            cid = next(iter(cands))
        elif len(cands) > 1:
            cid = _most_recent(cands, positions, m.start, sent_of)
        if cid is None:
            if word not in single:
                clusters.append(_Cluster("PERSON"))
                single[word] = len(clusters) - 1
            cid = single[word]
        else:
            pos = positions.setdefault(cid, [])
            pos.insert(bisect_left(pos, m.start), m.start)
        assign[i] = cid
    return assign


def _most_recent(cands: set[int], positions: dict[int, list[int]], tok: int, sent_of: list[int]) -> int | None:
    last = []
    for cid in cands:
        pos = positions.get(cid, [])
        k = bisect_left(pos, tok)
        if k:
            last.append((pos[k - 1], cid))
    if not last:
        return None  # none named before: ambiguous
    last.sort(reverse=True)
    if len(last) > 1 and sent_of[last[0][0]] == sent_of[last[1][0]]:
        return None  # both named in the same sentence
    return last[0][1]


def _group_others(others: list[NameMention], clusters: list[_Cluster]) -> dict[int, int]:
    assign: dict[int, int] = {}
    by_key: dict[tuple[str, ...], int] = {}
    corp: dict[str, set[tuple[str, ...]]] = {}
    for m in others:
        if len(m.key) > 1 and m.key[-1] in ORG_SUFFIXES:
            corp.setdefault(m.key[0], set()).add(m.key)
    for i, m in enumerate(others):
        key = m.key
        if len(key) == 1 and len(corp.get(key[0], ())) == 1:
            key = next(iter(corp[key[0]]))
        if key not in by_key:
            clusters.append(_Cluster(m.type))
            by_key[key] = len(clusters) - 1
        assign[i] = by_key[key]
    return assign


def find_entities(doc) -> list[LocalEntity]:
    """The document's entities with name, nominal and pronoun mentions."""
    mentions = name_mentions(doc)
    people = [m for m in mentions if m.type == "PERSON"]
    others = [m for m in mentions if m.type != "PERSON"]
    clusters: list[_Cluster] = []
    sent_of = _sentence_index(doc)
    people_of = _group_people(people, sent_of, clusters)
    other_of = _group_others(others, clusters)
    for i, cid in people_of.items():
        clusters[cid].forms.append(people[i])
    for i, cid in other_of.items():
        clusters[cid].forms.append(others[i])
    coref = resolve_people(doc, [(people[i], cid) for i, cid in people_of.items()])
    for cid, descs in coref.descriptions.items():
        clusters[cid].descriptions.extend(descs)
    for cid, s, e, kind in coref.mentions:
        clusters[cid].extra.append((s, e, kind))
    return _to_entities(doc, clusters)


def _to_entities(doc, clusters: list[_Cluster]) -> list[LocalEntity]:
    text, did = doc_text(doc), doc_id(doc)  # not doc.text: spaCy joins every token on each access

    def span(s: int, e: int) -> Span:
        s, e = strip_span(text, s, e)
        return Span(did, s, e, text[s:e])

    built = []
    for c in clusters:
        if not c.forms:
            continue
        spans = {(m.start_char, m.end_char): "name" for m in c.forms}
        for s, e, kind in c.extra:
            spans.setdefault((s, e), kind)
        mentions = tuple(
            Mention(span(s, e), kind) for (s, e), kind in sorted(spans.items())
        )
        name = c.name()
        aliases: list[str] = []
        for m in sorted(c.forms, key=lambda m: m.start):
            if m.text != name and m.text not in aliases:
                aliases.append(m.text)
        built.append((mentions, c.type, name, tuple(aliases), tuple(c.descriptions)))
    built.sort(key=lambda b: (b[0][0].span.start, b[0][0].span.end))
    out = []
    for k, (mentions, typ, name, forms, descriptions) in enumerate(built):
        out.append(LocalEntity(f"e{k}", mentions[0].span.doc, name, typ, mentions, forms, descriptions))
    return out


@Language.factory("storyline_entities", assigns=["doc._.sl_entities"], requires=["doc.ents"])
def make_entities(nlp, name):
    def component(doc):
        doc._.sl_entities = find_entities(doc)
        return doc

    return component
