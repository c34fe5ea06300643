"""Proper names inside one spaCy ``Doc``: the recogniser's spans cleaned up.

Pure functions over a parsed ``Doc`` and small word tables; no component state.

* :func:`name_mentions` turns ``doc.ents`` into :class:`NameMention` s with the
  small model's known slips mended: a leading determiner, a trailing possessive
  (``Donald Trump's``) and titles caught inside a PERSON span (``Secretary
  General Mark Rutte``) are cut off; ``State`` alone (from ``Secretary of
  State``), ``anti-NATO`` and lower-case adjectives (``euro-Atlantic``) are
  dropped; a title followed by a bracketed first name (``President (Pedro)
  Sánchez``) gives one person named by both pieces; the type of a surface form
  is decided by vote over the document (``Trump`` tagged ORG once but PERSON
  elsewhere, or the surname of ``Donald Trump``, is a PERSON).
* :func:`canonical` maps known variants to one name (``U.S.``/``US``/``the
  United States`` -> ``United States``, ``Nato`` -> ``NATO``).
* :func:`fold` is the comparison key of a name (case and accents folded).
* The word tables (titles, role heads, role classes, demonyms) are shared
  with :mod:`storyline.nlp.corefer`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..lexicon.names import ROLE_HEADS, TITLE_WORDS, fold

__all__ = [
    "NameMention",
    "name_mentions",
    "canonical",
    "fold",
    "TITLE_WORDS",
    "ROLE_HEADS",
    "role_classes",
    "nationality",
    "KEEP_TYPES",
    "ORG_SUFFIXES",
]

# spaCy label -> storyline type (FAC is a place for our purposes)
KEEP_TYPES = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "EVENT": "EVENT", "FAC": "LOC",
}

CONNECTORS = frozenset({"of", "for", "and", "the", "on", "to"})

# Corporate and broadcaster suffixes: "Repsol SA" is the full name of "Repsol".
ORG_SUFFIXES = frozenset(
    "sa inc inc. corp corp. co co. ltd ltd. plc llc ag nv bv gmbh spa group holdings tv news".split()
)

# folded surface -> (canonical name, type)
_ALIASES = {
    "us": ("United States", "GPE"),
    "u.s.": ("United States", "GPE"),
    "u.s": ("United States", "GPE"),
    "usa": ("United States", "GPE"),
    "u.s.a.": ("United States", "GPE"),
    "united states": ("United States", "GPE"),
    "united states of america": ("United States", "GPE"),
    "uk": ("United Kingdom", "GPE"),
    "u.k.": ("United Kingdom", "GPE"),
    "britain": ("United Kingdom", "GPE"),
    "great britain": ("United Kingdom", "GPE"),
    "united kingdom": ("United Kingdom", "GPE"),
    "nato": ("NATO", "ORG"),
    "eu": ("European Union", "ORG"),
    "e.u.": ("European Union", "ORG"),
    "european union": ("European Union", "ORG"),
    "un": ("United Nations", "ORG"),
    "u.n.": ("United Nations", "ORG"),
    "united nations": ("United Nations", "ORG"),
}

# Role classes: role phrases that name the same office ("top diplomat" = foreign minister).
_ROLE_CLASSES = (
    ("foreign_minister", re.compile(
        r"\b(?:foreign (?:minister|secretary)|minister (?:of|for) foreign affairs|foreign affairs minister|"
        r"(?<!under)(?<!under-)secretary of state|(?:top|chief) diplomat|foreign policy chief)\b")),
    ("head_of_government", re.compile(r"\b(?:prime minister|premier|chancellor(?! of the exchequer))\b")),
    ("head_of_state", re.compile(r"(?<!vice )(?<!vice-)\bpresident\b(?! of the (?:commission|council|board|company))")),
    ("alliance_chief", re.compile(r"\b(?:secretary[ -]general|nato chief|alliance chief|alliance's chief)\b")),
    ("defense_minister", re.compile(r"\b(?:defen[cs]e (?:minister|secretary|chief)|minister of defen[cs]e)\b")),
    ("finance_minister", re.compile(
        r"\b(?:finance minister|treasury secretary|minister of finance|chancellor of the exchequer)\b")),
    ("company_head", re.compile(r"\b(?:ceo|chief executive(?: officer)?)\b")),
)

# demonyms and country names -> one key per country
_COUNTRIES = {
    "us": "us u.s. usa u.s.a. american americans america united-states",
    "uk": "uk u.k. britain british great-britain united-kingdom",
    "spain": "spain spanish", "netherlands": "netherlands dutch holland", "france": "france french",
    "germany": "germany german", "italy": "italy italian", "russia": "russia russian", "ukraine": "ukraine ukrainian",
    "china": "china chinese", "canada": "canada canadian", "poland": "poland polish", "belgium": "belgium belgian",
    "japan": "japan japanese", "india": "india indian", "israel": "israel israeli", "iran": "iran iranian",
    "turkey": "turkey turkish", "mexico": "mexico mexican", "brazil": "brazil brazilian",
    "portugal": "portugal portuguese", "greece": "greece greek", "sweden": "sweden swedish",
    "norway": "norway norwegian", "denmark": "denmark danish", "finland": "finland finnish",
    "ireland": "ireland irish", "austria": "austria austrian", "hungary": "hungary hungarian",
    "lithuania": "lithuania lithuanian", "estonia": "estonia estonian", "latvia": "latvia latvian",
    "venezuela": "venezuela venezuelan", "lebanon": "lebanon lebanese", "switzerland": "switzerland swiss",
    "korea": "korea korean", "egypt": "egypt egyptian", "argentina": "argentina argentine argentinian",
}
_DEMONYMS = {w.replace("-", " "): key for key, words in _COUNTRIES.items() for w in words.split()}
_NOT_COUNTRIES = frozenset({"nato", "eu", "e.u.", "european union", "un", "u.n.", "united nations", "european"})

_DROP_ORG = frozenset({"state", "states", "house", "department", "ministry", "government", "council"})
_PREFIXED = re.compile(r"^(?:anti|pro|non|post|pre|ex)[-‐–]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_PAREN_NAME = re.compile(r"\(\s*([A-Z][\w.'’-]*)\s*\)\s+([A-Z][\w'’-]*)")


def canonical(text: str, typ: str) -> tuple[str, str]:
    """The canonical (name, type) for a cleaned surface form."""
    hit = _ALIASES.get(fold(text))
    if hit is not None:
        return hit
    return text, typ


def role_classes(text: str) -> frozenset[str]:
    """Office classes a role phrase names (``"Spain's top diplomat"`` -> foreign_minister)."""
    low = fold(text)
    return frozenset(name for name, rx in _ROLE_CLASSES if rx.search(low))


def nationality(word: str) -> str | None:
    """A country key for a demonym or country name; unknown proper words key by their first letters."""
    low = fold(word)
    if low in _NOT_COUNTRIES or not low:
        return None
    if low in _DEMONYMS:
        return _DEMONYMS[low]
    if len(low) < 4 or not low[0].isalpha():
        return None
    return low[:5]  # "marovia" and "marovian" share their first five letters


@dataclass
class NameMention:
    """A cleaned proper-name mention: tokens ``start:end`` of the Doc (char offsets alongside)."""

    start: int
    end: int
    start_char: int
    end_char: int
    label: str  # the type it was tagged with (after alias mapping)
    text: str
    key: tuple[str, ...]  # folded tokens of the full form it stands for
    type: str = ""  # decided by vote over the document
    full: tuple[str, ...] | None = None  # for a bracketed first name: the full name's key
    display: str | None = None  # the full form's display text when it never appears whole


def _title_token(tok) -> bool:
    return tok.lower_.rstrip(".") in TITLE_WORDS


def _clean(doc, ent, typ: str) -> tuple[int, int] | None:
    """Token bounds of ``ent`` without determiner, possessive, titles and brackets."""
    s, e = ent.start, ent.end
    while s < e and doc[s].is_punct:
        s += 1
    if s < e and doc[s].lower_ in ("the", "a", "an") and (e - s > 2 or doc[s].text.islower()):
        s += 1  # "the United States", but "The Hague"
    while e > s and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct or doc[e - 1].lower_ in ("'s", "’s")):
        e -= 1
    if typ == "PERSON":
        while e - s > 1 and (_title_token(doc[s]) or doc[s].lower_ in CONNECTORS or fold(doc[s].text) in _DEMONYMS):
            s += 1
        if e - s == 1 and _title_token(doc[s]) and not doc[s].text[:1].isupper():
            return None
    if s >= e:
        return None
    return s, e


def _keep(text: str, typ: str) -> bool:
    if not any(c.isalpha() for c in text) or len(text) < 2:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False  # "euro-Atlantic": an adjective, not a name
    if _PREFIXED.match(text):
        return False  # "anti-NATO"
    low = fold(text)
    if typ == "ORG" and low in _DROP_ORG:
        return False  # "State" from "Secretary of State"
    if typ == "PERSON" and all(w.rstrip(".") in TITLE_WORDS for w in low.split()):
        return False
    if any(c in text for c in "<>{}|=\n"):
        return False
    return True


def _paren_names(doc) -> list[tuple[NameMention, NameMention]]:
    """``President (Pedro) Sánchez``: a title, a bracketed first name, a surname."""
    out = []
    text = doc.text
    for m in _PAREN_NAME.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].split()
        if not before or before[-1].lower().rstrip(".") not in TITLE_WORDS:
            continue
        first = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
        last_end = m.end(2)
        if _POSSESSIVE.search(m.group(2)):
            last_end -= len(_POSSESSIVE.search(m.group(2)).group(0))
        last = doc.char_span(m.start(2), last_end, alignment_mode="contract")
        if first is None or last is None or len(first) == 0 or len(last) == 0:
            continue
        if _title_token(last[0]):
            continue
        key = (fold(first.text), fold(last.text))
        display = f"{first.text} {last.text}"
        pair = []
        for piece in (first, last):
            pair.append(
                NameMention(piece.start, piece.end, piece.start_char, piece.end_char, "PERSON", piece.text,
                            key, "PERSON", full=key, display=display)
            )
        out.append((pair[0], pair[1]))
    return out


# a PERSON whose last word is one of these is a publication ("Halden Herald")
_MEDIA = frozenset("herald courier times post gazette daily tribune journal news chronicle telegraph desk".split())


def _vote(mentions: list[NameMention]) -> None:
    """Decide each surface form's type by vote over the document."""
    votes: dict[tuple[str, ...], Counter] = {}
    for m in mentions:
        votes.setdefault(m.key, Counter())[m.label] += 1
    for m in mentions:
        if m.label == "PERSON" and len(m.key) > 1:
            votes.setdefault(m.key[-1:], Counter())["PERSON"] += 2  # a surname
        if m.label == "ORG" and len(m.key) > 1 and m.key[-1] in ORG_SUFFIXES:
            votes.setdefault(m.key[:1], Counter())["ORG"] += 2  # "Repsol" of "Repsol SA"
    for m in mentions:
        if m.full is not None or fold(m.text) in _ALIASES:
            m.type = m.label
            continue
        counts = votes[m.key]
        best, n = counts.most_common(1)[0]
        m.type = best if n > counts.get(m.label, 0) else m.label


def name_mentions(doc) -> list[NameMention]:
    """Cleaned, typed proper-name mentions of ``doc`` in text order."""
    pairs = _paren_names(doc)
    taken: set[int] = set()
    out: list[NameMention] = []
    for first, last in pairs:
        out.extend((first, last))
        taken.update(range(first.start, first.end))
        taken.update(range(last.start, last.end))
    for ent in doc.ents:
        typ = KEEP_TYPES.get(ent.label_)
        if typ is None or any(i in taken for i in range(ent.start, ent.end)):
            continue
        if typ == "PERSON" and len(ent) > 1 and ent[-1].lower_ in _MEDIA:
            typ = "ORG"
        bounds = _clean(doc, ent, typ)
        if bounds is None:
            continue
        s, e = bounds
        span = doc[s:e]
        text = span.text
        if not _keep(text, typ):
            continue
        name, typ = canonical(text, typ)
        key = tuple(fold(name).split())
        out.append(NameMention(s, e, span.start_char, span.end_char, typ, text, key))
    out.sort(key=lambda m: m.start)
    _vote(out)
    out.extend(_untagged_surnames(doc, out))
    out.sort(key=lambda m: m.start)
    return out


def _untagged_surnames(doc, found: list[NameMention]) -> list[NameMention]:
    """A known person's surname the recogniser missed (``Grun said``, ``President (Donald) Trump``)."""
    surnames = {m.key[-1] for m in found if m.type == "PERSON" and len(m.key) > 1}
    if not surnames:
        return []
    out = []
    for tok in doc:
        if tok.ent_iob_ != "O" or tok.pos_ not in ("PROPN", "NOUN", "X") or not tok.is_title:
            continue
        if fold(tok.text) not in surnames:
            continue
        nb = [doc[j] for j in (tok.i - 1, tok.i + 1) if 0 <= j < len(doc)]
        if any(t.pos_ == "PROPN" and t.is_title and t.ent_iob_ == "O" and not _title_token(t) for t in nb):
            continue  # part of a longer name the recogniser missed
        key = (fold(tok.text),)
        out.append(NameMention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), "PERSON", tok.text, key, "PERSON"))
    return out
