"""How big a happening was, as one report says: "killed 12 people", "a magnitude 6.1 earthquake".

Used by ``storyline.nlp.components.events``; reports of one event that size it differently are a
``number`` conflict (``storyline.resolve.conflicts.count_conflicts``).
"""

from __future__ import annotations

from .numbers import QUALIFIERS, parse_number
from .util import make_span

__all__ = ["count_fields"]

COUNTED = {"ASSAULT", "DIE", "INJURE", "ARREST", "CHARGE", "DISASTER", "ACCIDENT", "FIGHT", "CRIME", "OTHER"}
HEDGES = frozenset(QUALIFIERS)  # "at least", "about", "more than", ...: one home in nlp.numbers
HEDGE_WORDS = frozenset(w for h in QUALIFIERS for w in h.split())
CASUALTIES = {"DIE", "INJURE"}
NOT_COUNTS = ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")


def _value(doc, num) -> float | None:
    """The number ``num`` gives, or None when it is no count: a zero or a leading zero
    ("000", "01": the tail of a number or a clock time), or the tail of a thousands number
    split by a space ("1, 400", text rejoined from tokens: which number it is, is unsure)."""
    text = num.text

    def split_thousands(i: int) -> bool:  # doc[i - 1] ", " doc[i]: "1, 400"
        return 1 <= i < len(doc) and doc[i - 1].text == "," and doc[i - 1].i >= 1 and doc[i - 2].like_num \
            and len(doc[i].text) == 3 and doc[i].text.isdigit()

    if text.startswith("0") or split_thousands(num.i) or split_thousands(num.i + 2):
        return None
    value = parse_number(text)
    return value if value else None


def _count(doc, tok, typ: str) -> tuple | None:
    """(span, value, what, hedged) for the number that sizes a happening: the numeral of its
    object or subject ("killed 12 people", "12 people died", "12 dead") or a quake's magnitude
    ("a magnitude 6.1 earthquake", "6.1-magnitude quake", "measured 6.1")."""
    if typ not in COUNTED:
        return None
    nouns = []
    if tok.pos_ in ("VERB", "AUX"):
        nouns = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
    elif tok.pos_ == "ADJ":
        nouns = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")] + [tok.head]
    else:
        nouns = [tok] + [c for c in tok.children if c.dep_ in ("compound", "nmod")]
    for n in nouns:
        if typ in CASUALTIES and n.pos_ == "NUM" and n.like_num and n.ent_type_ not in NOT_COUNTS:
            # a bare number hurt or killed is of people: "killing 10 and injuring 80", "50 were injured"
            value = _value(doc, n)
            if value is not None:
                mods = [c for c in n.children if c.dep_ in ("quantmod", "advmod")]
                hedged = any(c.lower_ in HEDGE_WORDS for c in mods) or bool(mods)
                return make_span(doc, n.idx, n.idx + len(n.text)), value, "people", hedged
        for c in n.children:
            if c.dep_ == "nummod" and c.like_num and c.ent_type_ not in NOT_COUNTS:
                value = _value(doc, c)
                if value is None:
                    continue
                what = n.lemma_.lower()
                if what in ("magnitude", "earthquake", "quake", "temblor", "tremor", "aftershock"):
                    if value >= 10 or "." not in c.text:
                        continue  # "6 earthquakes" counts quakes; a magnitude is "6.1"
                    what = "magnitude"  # "a magnitude 6.1 earthquake"
                start = c.i
                while start > 0 and (doc[start - 1].dep_ in ("quantmod", "advmod") or doc[start - 1].lower_ in ("at", "least", "than")) and doc[start - 1].head.i in (c.i, start):
                    start -= 1
                hedge = doc[start : c.i].text.lower()
                hedged = any(h in hedge for h in HEDGES) or start < c.i
                return make_span(doc, c.idx, c.idx + len(c.text)), value, what, hedged
    if tok.lemma_.lower() in ("earthquake", "quake", "temblor", "tremor", "aftershock"):
        for t in doc[max(0, tok.i - 6) : min(len(doc), tok.i + 12)]:
            if t.like_num and t.sent == tok.sent and "." in t.text and (value := parse_number(t.text)) is not None and value < 10:
                near = doc[max(0, t.i - 3) : t.i + 3].text.lower()
                if "magnitude" in near or "richter" in near or "measur" in near:
                    hedged = any(h in near for h in ("about", "around", "preliminary", "estimated"))
                    return make_span(doc, t.idx, t.idx + len(t.text)), value, "magnitude", hedged
    return None


def count_fields(doc, tok, typ: str) -> dict:
    """The count fields of an EventMention for ``tok`` (empty when the report gives no number)."""
    found = _count(doc, tok, typ)
    if found is None:
        return {}
    span, value, what, hedged = found
    return {"count": span, "count_value": value, "count_of": what, "count_hedged": hedged}
