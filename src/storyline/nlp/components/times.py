"""storyline_times: temporal expressions and the publication date.

Candidates are the rule matches of :mod:`storyline.nlp.timex` plus spaCy
DATE/TIME entities the rules do not cover (when the rules can parse them).
Each gets the tense of the clause it sits in (from the parse), which decides
whether a bare weekday looks back or ahead. When ingest found no stated or
metadata date, :mod:`storyline.nlp.pubdate` infers one from the expressions;
then every expression is normalised against the publication date (anchor
``published``), a day-less year taken from the nearest full date in the text
(anchor: that TimeExpr's id) when the publication date is open-ended.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from spacy.language import Language

from ...model import UNKNOWN, Published, TimeExpr, When
from ..pubdate import EVENT_NOUNS, Clue, infer_published
from ..timex import Parsed, absolute, find_candidates, parse, partial_value, quarter_when, resolve, resolve_between
from ..util import doc_text, make_span
from ...lexicon.times import TENSE_FUTURE_AUX as _FUTURE_AUX
from ...lexicon.times import FUTURE_CUES as _FUTURE_CUES
from ...lexicon.times import NOT_SCHEDULED as _NOT_SCHEDULED
from ...lexicon.times import SCHEDULE_WORDS as _PLAN_WORDS
from ...lexicon.times import NAMED_BY_DATE

__all__ = ["find_times", "tense_at", "make_times"]


def tense_at(doc, start: int, end: int) -> str | None:
    """past, present or future: the tense of the verb governing ``start:end``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _FUTURE_AUX for c in aux):
        return "future"
    if any(c.tag_ == "VBD" or c.lemma_ == "have" for c in aux) or tok.tag_ == "VBD":
        return "past"
    head = tok.head
    if tok.dep_ == "xcomp" and head.lemma_ in _FUTURE_CUES:  # "is expected to meet", "plans to visit"
        return "future"
    if tok.tag_ == "VBN":
        return "past" if head.tag_ in ("VBD", "VBN") or head.i == tok.i or head.pos_ == "NOUN" else None
    if tok.tag_ in ("VBZ", "VBP", "VBG"):
        return "present"
    if tok.tag_ == "VB" and head.i != tok.i and head.tag_ == "VBD":
        return "past"
    return None


_AS_EARLY_AS = re.compile(r"\bas\s+(?:soon|early)\s+as\s+$", re.IGNORECASE)


def date_tense(doc, start: int, end: int, tense: str | None) -> str | None:
    """The tense that decides which way a bare weekday or day looks: ``tense`` (:func:`tense_at`), or
    ``future`` for a planned event: a scheduled-event verb in the simple present or the progressive
    ("the summit opens Monday", "they are meeting Monday"), a verb under "will" through a chain of
    verbs ("will begin withdrawing troops on Friday"), or a plan word governing it ("scheduled for")."""
    if tense == "future" or _AS_EARLY_AS.search(doc_text(doc), max(0, start - 20), start):
        return "future"  # "as soon as Tuesday"
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return tense
    tok = span.root
    for _ in range(8):
        if tok.lemma_.lower() in _PLAN_WORDS or tok.lower_ in _PLAN_WORDS:
            return "future"  # "planned a rally on Saturday", "scheduled for Monday"
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            break
        if tok.head.i == tok.i:
            return tense
        tok = tok.head
    if tense == "past":
        return tense
    if tok.dep_ == "xcomp" and tok.head.lemma_ == "be":
        return "future"  # "is to resume trading on Tuesday"
    chain = tok
    for _ in range(3):  # "will begin withdrawing": the future auxiliary of a verb up the xcomp chain
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in chain.children):
            return "future"
        if chain.dep_ != "xcomp" or chain.head.i == chain.i:
            break
        chain = chain.head
    if chain.lemma_.lower() in _PLAN_WORDS:
        return "future"
    if tok.lemma_.lower() in _NOT_SCHEDULED or tok.dep_ in ("acl", "advcl", "amod", "pcomp", "prep"):
        return tense
    progressive = tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children)
    if tok.tag_ in ("VBZ", "VBP") or progressive:
        return "future"
    return tense


def _candidates(doc) -> list[tuple[int, int, Parsed]]:
    text = doc_text(doc)
    found = []
    for s, e, kind in find_candidates(text):
        p = parse(text[s:e], kind)
        if p is not None:
            found.append((s, e, p))
    taken = [(s, e) for s, e, _ in found]
    events = [(x.start_char, x.end_char) for x in doc.ents if x.label_ == "EVENT"]
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < b and a < e for a, b in taken + events):
            continue
        p = _bare_year(text, s, e) or parse(ent.text)
        if p is not None:
            found.append((s, e, p))
    found.sort(key=lambda x: x[0])
    return found


LINE_WINDOW = 300  # characters of context each side that decide whether a year sits in a table


def _bare_year(text: str, s: int, e: int) -> Parsed | None:
    """A spaCy DATE that is only a year ("2024 saw ..."), not a number in a table or a share."""
    word = text[s:e]
    if len(word) != 4 or not word.isdigit() or not 1800 <= int(word) <= 2099:
        return None
    # the line around it, at most LINE_WINDOW characters each side (a one-line document is not one table)
    line_start = text.rfind("\n", max(0, s - LINE_WINDOW), s) + 1 or max(0, s - LINE_WINDOW)
    line_end = text.find("\n", e, e + LINE_WINDOW)
    line = text[line_start : line_end if line_end >= 0 else min(len(text), e + LINE_WINDOW)]
    digits = sum(ch.isdigit() for ch in line)
    if digits > 0.3 * max(1, sum(not ch.isspace() for ch in line)) or text[e : e + 1] in ("%", ".", ","):
        return None
    return Parsed("DATE", "year", int(word))


def _people_and_nouns(doc) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]], list]:
    sents = list(doc.sents)
    people: dict[int, set[str]] = {i: set() for i in range(len(sents))}
    starts = [s.start_char for s in sents]
    for ent in doc._.sl_entities or ():
        if ent.type != "PERSON":
            continue
        for m in ent.mentions:
            i = _index(starts, m.span.start)
            if i is not None:
                people[i].add(ent.key)
    nouns = {i: frozenset(w for t in s if (w := t.lemma_.lower()) in EVENT_NOUNS) for i, s in enumerate(sents)}
    return {i: frozenset(v) for i, v in people.items()}, nouns, starts


def _index(starts: list[int], char: int) -> int | None:
    lo, hi = 0, len(starts) - 1
    if not starts or char < starts[0]:
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _publication(document, clues: list[Clue], today: date | None) -> Published:
    given = document.published if document is not None else Published()
    if given.basis in ("stated", "metadata") and given.when.known:
        return given
    inferred = infer_published(clues, today)
    return inferred if inferred.basis == "inferred" else given


def _anchor_range(pub: Published) -> tuple[date | None, date | None]:
    w = pub.when
    lo = date.fromisoformat(w.earliest) if w.earliest else None
    hi = date.fromisoformat(w.latest) if w.latest else None
    return lo, hi


def find_times(doc, today: date | None = None) -> tuple[list[TimeExpr], Published]:
    """Every temporal expression of ``doc`` normalised, and the publication date used."""
    document = doc._.sl_document
    cands = _candidates(doc)
    people, nouns, starts = _people_and_nouns(doc)
    clues = []
    for s, e, p in cands:
        i = _index(starts, s)
        tense = tense_at(doc, s, e)
        if p.kind in ("wd", "mdy", "dmy", "range", "premonth", "quarter", "season"):
            tense = date_tense(doc, s, e, tense)
        if i is None:  # no token starts there: nothing hangs on it
            clues.append(Clue(make_span(doc, s, e), p, tense, frozenset(), frozenset(), -1))
        else:
            clues.append(Clue(make_span(doc, s, e), p, tense, people.get(i, frozenset()), nouns.get(i, frozenset()), i))
    pub = _publication(document, clues, today)
    lo, hi = _anchor_range(pub)
    out: list[TimeExpr] = []
    full_days: list[tuple[int, str, date]] = []  # (start, id, day) of full dates, for narrative anchors
    for i, c in enumerate(clues):
        tid = f"t{i}"
        p = c.parsed
        fixed = absolute(p)
        if fixed is not None:
            out.append(TimeExpr(c.span, tid, p.type, fixed, None, False))
            if p.kind in ("mdy", "dmy", "iso") and fixed.exact_day:
                full_days.append((c.span.start, tid, date.fromisoformat(fixed.exact_day)))
            continue
        out.append(TimeExpr(c.span, tid, p.type, UNKNOWN, None, p.relative))
    anchored = [_anchored(t, c, lo, hi, full_days) for t, c in zip(out, clues, strict=True)]
    if lo is not None and lo == hi:
        anchored = _quarters_in_context(anchored, clues, lo)
    kept = [t for t, c in zip(anchored, clues, strict=True) if t.when.known or c.parsed.kind != "quarter"]
    return [dataclasses.replace(t, when=UNKNOWN) if _in_a_name(doc, t) else t for t in kept], pub


_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])$")
_YEAR_BACK = re.compile(r"(?:(?:a|one)\s+year\s+(?:ago|earlier)|year[\s-](?:ago|earlier))$", re.IGNORECASE)


def _quarters_in_context(times: list[TimeExpr], clues: list[Clue], anchor: date) -> list[TimeExpr]:
    """Earnings reports name a quarter, then speak of "the quarter", "the latest period", "the year-ago
    quarter" and "a year ago" (the same quarter the year before): each takes the quarter named last."""
    out, context = [], None
    for t, c in zip(times, clues, strict=True):
        p = c.parsed
        if p.kind == "quarter" and (p.amount == 0 or p.shift == "yearago") and context is not None:
            t = dataclasses.replace(t, when=quarter_when(p, anchor, c.tense, context), anchor="published")
        elif p.kind == "ago" and context is not None and _YEAR_BACK.search(t.span.text):
            back = Parsed("DATE", "quarter", shift="yearago")
            t = dataclasses.replace(t, when=quarter_when(back, anchor, c.tense, context), anchor="published")
        m = _QUARTER_VALUE.match(t.when.value or "") if p.kind == "quarter" and p.shift != "yearago" else None
        if m and (t.when.latest or "") < anchor.isoformat():  # a quarter over by the report's day
            context = (int(m.group(1)), int(m.group(2)))
        out.append(t)
    return out


def _in_a_name(doc, t: TimeExpr) -> bool:
    """A date that names something ("the Sept. 11 attacks") says nothing about when the report's events
    happened, and its year is not the report's: unknown beats a confident wrong year."""
    if t.type != "DATE" or t.when.value is None or len(t.when.value) < 7:
        return False
    after = doc.char_span(t.span.end, min(len(doc_text(doc)), t.span.end + 40), alignment_mode="expand")
    nxt = next((tok for tok in after or () if not tok.is_space and not tok.is_punct), None) if after is not None else None
    if nxt is not None and nxt.lower_ in NAMED_BY_DATE and not any(c.isdigit() and len(c) == 4 for c in t.span.text.split()):
        return True  # a day without a year before a naming noun
    return False


def _anchored(t: TimeExpr, c: Clue, lo: date | None, hi: date | None, full_days) -> TimeExpr:
    """Resolve an expression that needs an anchor (others are returned as they are)."""
    p = c.parsed
    if t.when.known or not p.needs_anchor:
        return t
    when, anchor = UNKNOWN, None
    if lo is not None and (hi is not None or not p.month):
        when = resolve(p, lo, c.tense) if hi == lo else resolve_between(p, lo, hi, c.tense)
        anchor = "published"
    elif p.month is not None and full_days:
        # a day-less year: the nearest full date before it in the text (else the first one after it),
        # when the latest full date and the report's lower bound give the same year; a background date
        # ("In November 2007 ...") does not date a later "November 19" in a 2008 report: where the
        # anchors disagree, only the interval they span is said
        before = [d for d in full_days if d[0] < t.span.start]
        start, tid, day = before[-1] if before else full_days[0]
        when, anchor = resolve(p, day, c.tense), tid
        others = [resolve(p, d, c.tense) for d in {max(x[2] for x in full_days), *([lo] if lo else [])} if d != day]
        if any(o.value != when.value for o in others):
            ws = [when, *others]
            lows = [w.earliest for w in ws if w.earliest is not None]
            highs = [w.latest for w in ws if w.latest is not None]
            # an open end on any side leaves that side open
            when = When(None, min(lows) if len(lows) == len(ws) else None, max(highs) if len(highs) == len(ws) else None)
            anchor = None
    elif lo is not None:
        when, anchor = resolve_between(p, lo, None, c.tense), "published"
    if not when.known:
        return TimeExpr(t.span, t.id, t.type, When(), None, t.relative, partial_value(p))
    return TimeExpr(t.span, t.id, t.type, when, anchor, t.relative)


@Language.factory(
    "storyline_times",
    assigns=["doc._.sl_times", "doc._.sl_published"],
    requires=["doc._.sl_document", "doc._.sl_entities"],
)
def make_times(nlp, name):
    def component(doc):
        times, published = find_times(doc)
        doc._.sl_times = times
        doc._.sl_published = published
        return doc

    return component
