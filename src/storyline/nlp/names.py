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
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from ..lexicon.names import AWARD_HEADS, AWARD_WORDS, NAME_PARTICLES, ROLE_HEADS, TITLE_WORDS, fold
from ..lexicon.names import NAME_CONNECTORS as CONNECTORS
from ..lexicon.names import ORG_SUFFIXES
from ..lexicon.names import PLACE_ALIASES as _ALIASES
from ..lexicon.names import COUNTRIES as _COUNTRIES
from ..lexicon.names import NOT_COUNTRIES as _NOT_COUNTRIES
from ..lexicon.names import NOT_ORG_ALONE as _DROP_ORG
from ..lexicon.names import MEDIA_WORDS as _MEDIA
from .util import doc_text

_OUTSIDE = 2  # Token.ent_iob of a word outside every entity (ent_iob_ "O")
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

_DEMONYMS = {w.replace("-", " "): key for key, words in _COUNTRIES.items() for w in words.split()}

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


_SCORE = re.compile(r"^[\d.,:;+/()%-]+$")  # "1", "7-0", "+353", "(", "232"


def _clean(doc, ent, typ: str) -> tuple[int, int] | None:
    """Token bounds of ``ent`` without determiner, possessive, titles, brackets, scores and
    headline words."""
    s, e = ent.start, ent.end
    while s < e and (doc[s].is_punct or _SCORE.match(doc[s].text)):
        s += 1
    while e > s and _SCORE.match(doc[e - 1].text):
        e -= 1  # "Real Madrid 1", "Boston Red Sox 7-0"
    if s < e and doc[s].lower_ in ("the", "a", "an") and (e - s > 2 or doc[s].text.islower()):
        s += 1  # "the United States", but "The Hague"
    while e > s and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct or doc[e - 1].lower_ in ("'s", "’s")):
        e -= 1
    if typ == "PERSON":
        while e - s > 1 and (
            _title_token(doc[s]) or doc[s].lower_ in CONNECTORS or fold(doc[s].text) in _DEMONYMS
        ):
            s += 1
        for i in range(s + 2, e):  # "Lindsay Lohan Checks Into Rehab": a headline glued to the name
            if doc[i].pos_ == "ADP" and doc[i].lower_ not in NAME_PARTICLES:
                e = i
                break
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
    text = doc_text(doc)
    for m in _PAREN_NAME.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].split()
        if not before or before[-1].lower().rstrip(".") not in TITLE_WORDS:
            continue
        first = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
        last_end = m.end(2)
        poss = _POSSESSIVE.search(m.group(2))
        if poss:
            last_end -= len(poss.group(0))
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
    surnames = {m.key[-1:] for m in mentions if m.label == "PERSON" and len(m.key) > 1}
    for m in mentions:
        if m.full is not None or fold(m.text) in _ALIASES:
            m.type = m.label
            continue
        if m.key in surnames and m.label in ("GPE", "LOC"):
            m.type = "PERSON"  # a person is never also a place: "Warren" after "Elizabeth Warren"
            continue
        counts = votes[m.key]
        best, n = counts.most_common(1)[0]
        m.type = best if n > counts.get(m.label, 0) else m.label


def name_mentions(doc) -> list[NameMention]:
    """Cleaned, typed proper-name mentions of ``doc`` in text order."""
    pairs = _paren_names(doc)
    caps = _caps_lines(doc)
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
        if caps and _in_lines(caps, ent.start_char):
            continue  # an all-capitals line: read by _caps_names from the body's names
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
        if typ == "PERSON" and (key[-1] in AWARD_HEADS or AWARD_WORDS.intersection(key)):
            typ = "OTHER"  # "the Nobel Peace Prize", "a Pulitzer": an award, not a person
        out.append(NameMention(s, e, span.start_char, span.end_char, typ, text, key))
    out = _known_person_parts(doc, out)
    out.sort(key=lambda m: m.start)
    _vote(out)
    out = _nicknames(doc, out)
    if caps:
        out.extend(_caps_names(doc, caps, out))
    out.extend(_table_names(doc, out, caps))
    out = _result_rows(doc, out)
    out.extend(_untagged_surnames(doc, out))
    out.sort(key=lambda m: m.start)
    return out


def _known_person_parts(doc, mentions: list[NameMention]) -> list[NameMention]:
    """A person span that is a known name plus headline words before or after it ("Hire Maurice
    Cheeks", "Lindsay Lohan Checks Into Rehab") is cut to the name: when two different spans share
    the name ("Lindsay Lohan Checks", "Rehab Lindsay Lohan"), or when the name stands alone elsewhere
    and the other words are common words the text also writes in lower case ("hire", "hired")."""
    people = [m for m in mentions if m.label == "PERSON" and m.full is None]
    alone = {m.key for m in people if len(m.key) >= 2}
    if not any(m.end - m.start >= 3 for m in people):
        return mentions
    pairs: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for m in people:
        if m.end - m.start >= 3:
            for k in range(m.start, m.end - 1):
                pairs.setdefault(tuple(fold(doc[k:k + 2].text).split()), set()).add(m.key)
    shared = {p for p, keys in pairs.items() if len(keys) >= 2 and len(p) == 2}
    lower = {t.lower_ for t in doc if t.is_lower}

    def common(word: str) -> bool:
        w = word.lower()
        return any(v in lower for v in (w, w.rstrip("s"), w + "d", w + "ed", w + "s"))

    out = []
    for m in mentions:
        if m.label == "PERSON" and m.full is None and m.end - m.start >= 3:
            best = None
            for a in range(m.start, m.end - 1):
                for b in range(m.end, a + 1, -1):
                    if (a, b) == (m.start, m.end):
                        continue
                    key = tuple(fold(doc[a:b].text).split())
                    extra = [t.text for t in doc[m.start:a]] + [t.text for t in doc[b:m.end]]
                    if key in shared or (key in alone and all(common(w) for w in extra)):
                        if best is None or b - a > best[1] - best[0]:
                            best = (a, b)
                        break
            if best is not None:
                span = doc[best[0]:best[1]]
                m = NameMention(best[0], best[1], span.start_char, span.end_char, "PERSON", span.text,
                                tuple(fold(span.text).split()))
        out.append(m)
    return out


_NICKNAME = re.compile(
    r"\b([A-Z][\w'’.-]+)\s+[\"“‘']\s*([A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)?)\s*[\"”’']\s+([A-Z][\w'’-]+)\b"
)


def _nicknames(doc, mentions: list[NameMention]) -> list[NameMention]:
    """``Hector "Macho" Camacho``: one person, named in full around a quoted nickname; the nickname
    alone elsewhere in the text is the same person."""
    text = doc_text(doc)
    found = []
    for mt in _NICKNAME.finditer(text):
        first, nick, last = mt.group(1), mt.group(2), mt.group(3)
        if first.lower().rstrip(".") in TITLE_WORDS or _POSSESSIVE.search(last):
            continue
        span = doc.char_span(mt.start(), mt.end(), alignment_mode="contract")
        if span is None or len(span) < 3:
            continue
        key = (fold(first), fold(last))
        found.append((span, key, tuple(fold(nick).split()), f"{first} {last}"))
    if not found:
        return mentions
    spans = [(sp.start_char, sp.end_char) for sp, *_ in found]
    out = [m for m in mentions if not any(a < m.end_char and m.start_char < b for a, b in spans)]
    nick_of = {nick: key for _, key, nick, _ in found}
    nick_of.update({nick + key[-1:]: key for _, key, nick, _ in found})  # "Kid Salvado"
    for i, m in enumerate(out):
        if m.key in nick_of and m.type in ("PERSON", "ORG", "GPE", "LOC", "NORP"):
            full = nick_of[m.key]
            out[i] = NameMention(m.start, m.end, m.start_char, m.end_char, "PERSON", m.text, full, "PERSON")
    for span, key, _nick, display in found:
        out.append(NameMention(span.start, span.end, span.start_char, span.end_char, "PERSON", span.text, key,
                               "PERSON", display=display))
    out.sort(key=lambda m: m.start)
    return out


# a line whose letters are nearly all capitals: a headline, a dateline, a table heading
_CAPS_SHARE = 0.9
_DATELINE = re.compile(
    r"^([A-Z][A-Z.'’ -]*?[A-Z.])(?:\s*,\s*([A-Z][A-Za-z.]+))?\s+"
    r"(?:\d{4}-\d\d-\d\d|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*$"
)


def _caps_lines(doc) -> list[tuple[int, int]]:
    """(start, end) of the lines written in capitals, in text order."""
    text = doc_text(doc)
    out = []
    for m in re.finditer(r"[^\n]+", text):
        letters = [c for c in m.group() if c.isalpha()]
        if len(letters) >= 3 and sum(c.isupper() for c in letters) >= _CAPS_SHARE * len(letters):
            out.append((m.start(), m.end()))
    return out


def _in_lines(lines: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(lines, (pos, len(lines) and 1 << 62)) - 1
    return i >= 0 and lines[i][0] <= pos < lines[i][1]


def _caps_names(doc, lines: list[tuple[int, int]], found: list[NameMention]) -> list[NameMention]:
    """Names in capitals lines: the place of a dateline ("MILAN 1996-08-30", "IRVINE, Calif
    1996-08-30"), and the names the body writes in mixed case ("LEICESTERSHIRE" for the body's
    "Leicestershire"), each with the body's type."""
    text = doc_text(doc)
    body: dict[str, NameMention] = {}
    for m in found:
        body.setdefault(fold(m.text), m)
    longest = max((len(k.split()) for k in body), default=0)
    out = []
    for start, end in lines:
        line = text[start:end]
        d = _DATELINE.match(line)
        if d:
            for g in (1, 2):
                if d.group(g):
                    span = doc.char_span(start + d.start(g), start + d.end(g), alignment_mode="contract")
                    if span is not None and len(span):
                        out.append(NameMention(span.start, span.end, span.start_char, span.end_char, "GPE",
                                               span.text, tuple(fold(span.text).split()), "GPE"))
            continue
        toks = [t for t in doc.char_span(start, end, alignment_mode="expand") or ()]
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(longest, len(toks) - i), 0, -1):
                piece = doc[toks[i].i:toks[i].i + n]
                known = body.get(fold(piece.text))
                if known is not None:
                    hit = (piece, known)
                    break
            if hit is None:
                i += 1
                continue
            piece, m = hit
            out.append(NameMention(piece.start, piece.end, piece.start_char, piece.end_char, m.label, piece.text,
                                   m.key, m.type, full=m.full, display=m.display))
            i += len(piece)
    return out


# a row of a results table: at least two numbers and at most two lower-case words ("Stockport 4 0 2 2")
_NUMBER_CELL = re.compile(r"(?<![\w.])\d")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
_NAME_CELL = re.compile(
    r"(?<!\S)[A-Z][\w'.&-]*(?:\s+(?:of|de|van|von|the|and|[A-Z][\w'.&-]*))*(?<!\sof)(?<!\sde)(?<!\sthe)(?<!\sand)(?!\S)"
)
_TABLE_SHARE = 0.5  # the share of a table's tagged names that must be organisations


def _table_names(doc, found: list[NameMention], caps: list[tuple[int, int]]) -> list[NameMention]:
    """Names the recogniser left untagged in a results table whose tagged names are mostly
    organisations ("Stockport 4 0 2 2 1 3 2" among clubs): each capitalised cell is an organisation."""
    text = doc_text(doc)
    rows = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if len(_NUMBER_CELL.findall(line)) >= 2 and len(_LOWER_WORD.findall(line)) <= 2 and not _in_lines(caps, m.start()):
            rows.append((m.start(), m.end()))
    if not rows:
        return []
    tables, cur = [], [rows[0]]
    for a, b in rows[1:]:
        if text[cur[-1][1]:a].strip() == "":  # the next line
            cur.append((a, b))
        else:
            tables.append(cur)
            cur = [(a, b)]
    tables.append(cur)
    taken = sorted([(m.start_char, m.end_char) for m in found] + [(e.start_char, e.end_char) for e in doc.ents])
    starts = [a for a, _ in taken]
    out = []
    for rows in tables:
        lo, hi = rows[0][0], rows[-1][1]
        types = Counter(m.type for m in found if lo <= m.start_char < hi)
        n_org = types.get("ORG", 0)
        if n_org < 2 or n_org < _TABLE_SHARE * sum(types.values()) or types.most_common(1)[0][0] != "ORG":
            continue
        for a, b in rows:
            for cell in _NAME_CELL.finditer(text, a, b):
                s, e = cell.start(), cell.end()
                k = bisect_left(starts, e)
                if any(x < e and s < y for x, y in taken[max(0, k - 8):k]):
                    continue
                span = doc.char_span(s, e, alignment_mode="strict")
                if span is None or not _keep(span.text, "ORG"):
                    continue
                out.append(NameMention(span.start, span.end, s, e, "ORG", span.text, tuple(fold(span.text).split()), "ORG"))
    return out


_CELL = r"([A-Z][\w'.&-]*(?: (?:[A-Z][\w'.&-]*|of|de)){0,3})"
# "Saracens 25 Leicester 23": a result; "Stockport 4 0 2 2 1 3 2": a row of a standings table
_RESULT_ROW = re.compile(rf"^{_CELL} (\d+) {_CELL} (\d+)(?: \(.*\))?$")
_STANDINGS_ROW = re.compile(rf"^{_CELL}(?: (?:\d+(?:\.\d+)?|\.\d+|\d+/\d+|-)){{4,}}$")


def _result_rows(doc, found: list[NameMention]) -> list[NameMention]:
    """The competitors of a result row or a standings row are teams (organisations), whatever the
    recogniser made of a club named after its town or a founder; a country keeps its type (a
    national side)."""
    text = doc_text(doc)
    cells = []
    for line in re.finditer(r"[^\n]+", text):
        row = line.group()
        lead = len(row) - len(row.lstrip())
        row = row.strip()
        rm = _RESULT_ROW.match(row)
        groups: tuple[int, ...] = (1, 3) if rm else ()
        if rm is None:
            rm = _STANDINGS_ROW.match(row)
            groups = (1,) if rm else ()
        for g in groups:
            assert rm is not None
            s, e = line.start() + lead + rm.start(g), line.start() + lead + rm.end(g)
            if fold(text[s:e]) not in _DEMONYMS:
                cells.append((s, e))
    if not cells:
        return found
    out: list[NameMention] = []
    for m in found:
        k = bisect_left(cells, (m.end_char, 0)) - 1  # the last cell starting before the mention ends
        if k < 0 or cells[k][1] <= m.start_char:  # cells are disjoint and sorted: no earlier one reaches it
            out.append(m)
    for s, e in cells:
        span = doc.char_span(s, e, alignment_mode="strict")
        if span is not None and _keep(span.text, "ORG"):
            out.append(NameMention(span.start, span.end, s, e, "ORG", span.text, tuple(fold(span.text).split()), "ORG"))
    return out


def _untagged_surnames(doc, found: list[NameMention]) -> list[NameMention]:
    """A known person's surname the recogniser missed (``Grun said``, ``President (Donald) Trump``)."""
    surnames = {m.key[-1] for m in found if m.type == "PERSON" and len(m.key) > 1}
    if not surnames:
        return []
    out = []
    for tok in doc:
        if tok.ent_iob != _OUTSIDE or not tok.is_title or tok.pos_ not in ("PROPN", "NOUN", "X"):
            continue
        if fold(tok.text) not in surnames:
            continue
        nb = [doc[j] for j in (tok.i - 1, tok.i + 1) if 0 <= j < len(doc)]
        if any(t.pos_ == "PROPN" and t.is_title and t.ent_iob_ == "O" and not _title_token(t) for t in nb):
            continue  # part of a longer name the recogniser missed
        key = (fold(tok.text),)
        out.append(NameMention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), "PERSON", tok.text, key, "PERSON"))
    return out
