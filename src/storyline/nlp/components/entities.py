"""storyline_entities: named entities grouped within one document.

First version: spaCy NER spans, short forms joined to the full name in the
same document by their last token. (Refined in later work: titles, roles,
pronouns and role nouns.)
"""

from __future__ import annotations

from spacy.language import Language

from ...model import LocalEntity, Mention
from ..util import make_span

KEEP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "EVENT": "EVENT", "FAC": "LOC"}


def find_entities(doc) -> list[LocalEntity]:
    groups: dict[tuple[str, str], list] = {}
    order: list[tuple[str, str]] = []
    for ent in doc.ents:
        typ = KEEP.get(ent.label_)
        if typ is None:
            continue
        name = ent.text.strip()
        key = (typ, name.lower())
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(ent)
    # join short person names to the full name ending with them
    full = {}
    for typ, low in order:
        if typ == "PERSON" and " " in low:
            full.setdefault(low.split()[-1], (typ, low))
    merged: dict[tuple[str, str], tuple[str, str]] = {}
    for typ, low in order:
        if typ == "PERSON" and " " not in low and low in full:
            merged[(typ, low)] = full[low]
    out: list[LocalEntity] = []
    keys: dict[tuple[str, str], list] = {}
    for k in order:
        target = merged.get(k, k)
        keys.setdefault(target, []).extend(groups[k])
    for i, (k, ents) in enumerate(keys.items()):
        mentions = tuple(Mention(make_span(doc, e.start_char, e.end_char), "name") for e in ents)
        names = sorted({m.span.text for m in mentions}, key=len, reverse=True)
        out.append(LocalEntity(f"e{i}", mentions[0].span.doc, names[0], k[0], mentions, tuple(names[1:]), ()))
    return out


@Language.factory("storyline_entities", assigns=["doc._.sl_entities"], requires=["doc.ents"])
def make_entities(nlp, name):
    def component(doc):
        doc._.sl_entities = find_entities(doc)
        return doc

    return component
