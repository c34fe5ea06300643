"""Event titles: a short clause of an event's own reports that holds its trigger, verbatim, with
its provenance (:func:`title_span`), its text as a title (:func:`event_title`) and an event's label
as a person writes it (:func:`reader_label`). Pure functions of an event's reports (no database,
no spaCy); :mod:`.storymodel` titles each story by its headline event with them, the views and the
export label every event with :func:`reader_label`.
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

from ..lexicon.discourse import CLAUSE_OPENERS as _PHRASE_START
from ..lexicon.discourse import LINK_WORDS as _LINK_WORDS
from ..lexicon.discourse import OBJECT_PREPOSITIONS, SUBJECT_OPENERS, TITLE_END_WORDS, UNNAMED_SUBJECTS
from ..model import Event, EventReport, Span

__all__ = ["TITLE_WORDS", "TITLE_MIN_WORDS", "TITLE_GOOD_WORDS", "title_span", "event_title", "reader_label"]

# a title longer than this is cut at a clause boundary around the trigger
TITLE_WORDS = 14
# fewer words than this is no clause a person would write ("Met"): no title
TITLE_MIN_WORDS = 3
# a title of fewer words is taken only when no report gives a longer clause
TITLE_GOOD_WORDS = 5

# a dateline opening a report: "WASHINGTON (AP) -", "LONDON, March 3 (Reuters) -"
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .,'\-]{0,60}?\((?:[A-Za-z .]{1,20})\)\s*[-\u2013\u2014:]+\s*")
_DASH_LEAD = re.compile(r"^\s*[A-Z][A-Z .,'\-]{1,40}\s*[-\u2013\u2014]{1,2}\s+")
# where a clause ends: the title keeps the clause holding the trigger
_HARD_BREAKS = re.compile(r";|\s[-\u2013\u2014]{1,2}\s|:\s|\s\(|\)\s|\"|\u201c|\u201d|\n")
_SOFT_BREAKS = re.compile(
    r",\s(?=(?:which|who|whom|whose|where|when|while|after|before|as|but|and|although|though|because|"
    r"since|according|officials|police|authorities|the\s+\w+\s+said|[A-Z][a-z]+\s+said|he\s+said|she\s+said|"
    r"they\s+said|said)\b)|,\s"
)
_ATTRIBUTION_TAIL = re.compile(
    r",?\s+(?:according to\b.*|(?:he|she|they|it|police|officials|authorities)\s+(?:said|say|says|told\b.*)|said\s+\w+.*)$"
    r"|,\s+(?:[\w'\-]+\s+){1,5}(?:said|says|told)\b[^,]*$"
)


def _pieces(text: str, breaks: re.Pattern) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in breaks.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _words(text: str) -> int:
    return len(text.split())


def _phrase_window(text: str, lo: int, hi: int, t0: int | None, t1: int | None) -> tuple[int, int]:
    """At most :data:`TITLE_WORDS` words of ``text[lo:hi]`` holding the trigger, starting at the
    clause's start (or, when the trigger lies further in, at the phrase that holds it) and ending
    before a phrase (a preposition, a relative or a conjunction) where one is near the limit."""
    words = [(m.start() + lo, m.end() + lo) for m in re.finditer(r"\S+", text[lo:hi])]
    if not words:
        return lo, hi
    k = 0 if t0 is None else next((i for i, (a, b) in enumerate(words) if b > t0), 0)
    first = 0
    if k >= TITLE_WORDS - 2:
        starts = [i for i in range(1, k + 1) if text[words[i][0]:words[i][1]].lower() in _PHRASE_START]
        first = starts[-1] + 1 if starts and starts[-1] < k else max(0, k - 2)
    last = min(len(words), first + TITLE_WORDS) - 1
    end_trig = k if t1 is None else max(k, next((i for i, (a, b) in enumerate(words) if b >= t1), k))
    for j in range(last, end_trig, -1):
        if text[words[j][0]:words[j][1]].lower() in _PHRASE_START and j - first >= TITLE_MIN_WORDS:
            last = j - 1
            break
    return words[first][0], words[last][1]


def _trim(span: Span, trig: Span | None) -> Span:
    """The clause of ``span`` holding ``trig`` (a sub-span of ``span``)."""
    text = span.text
    lo, hi = 0, len(text)
    if m := (_DATELINE.match(text) or _DASH_LEAD.match(text)):
        lo = m.end()
    t0: int | None = None
    t1: int | None = None
    if trig is not None and trig.doc == span.doc and span.start <= trig.start <= span.end:
        t0, t1 = trig.start - span.start, trig.end - span.start
    if t0 is not None and t0 < lo:
        lo = 0

    def holding(a: int, b: int, breaks: re.Pattern) -> tuple[int, int]:
        parts = [(a + x, a + y) for x, y in _pieces(text[a:b], breaks)]
        if t0 is None:
            return max(parts, key=lambda p: _words(text[p[0]:p[1]]))
        for x, y in parts:
            if x <= t0 < y or (x <= t0 and t1 is not None and t1 <= y):
                return x, y
        return a, b

    lo, hi = holding(lo, hi, _HARD_BREAKS)
    if _words(text[lo:hi]) > TITLE_WORDS:
        # widen from the trigger's comma clause while it stays short
        parts = [(lo + x, lo + y) for x, y in _pieces(text[lo:hi], _SOFT_BREAKS)]
        k = next((i for i, (x, y) in enumerate(parts) if t0 is not None and x <= t0 < y), None)
        if k is None:
            k = 0
        a, b = parts[k]
        left, right = k - 1, k + 1
        while True:
            grown = False
            if left >= 0 and _words(text[parts[left][0]:b]) <= TITLE_WORDS and left == k - 1:
                a, left, grown = parts[left][0], left - 1, True
            if right < len(parts) and _words(text[a:parts[right][1]]) <= TITLE_WORDS:
                b, right, grown = parts[right][1], right + 1, True
            if not grown:
                break
        lo, hi = a, b
    if _words(text[lo:hi]) > TITLE_WORDS:
        lo, hi = _phrase_window(text, lo, hi, t0, t1)
    if m := _ATTRIBUTION_TAIL.search(text[lo:hi]):
        if t0 is None or t1 is None or lo + m.start() > t1:
            hi = lo + m.start()
    # trim spaces and trailing punctuation
    while lo < hi and text[lo] in " \t\r\n,;:-\u2013\u2014'\"":
        lo += 1
    while hi > lo and text[hi - 1] in " \t\r\n,;:.-\u2013\u2014'\"" and not _closes_quote(text[lo:hi]):
        hi -= 1
    # a clause does not open on its link to the sentence ("Because she is dying", "and police said")
    while (m := re.match(r"(\w+)\s+", text[lo:hi])) and m.group(1).lower() in _LINK_WORDS \
            and (t0 is None or lo + m.end() <= t0) and _words(text[lo + m.end():hi]) >= TITLE_MIN_WORDS:
        lo += m.end()
    # nor does it end on a word that needs what follows it ("the fire and", "slower connections due to")
    while (m := re.search(r"[\s,;:]+([\w']+)[\s,;:.\-\u2013\u2014'\"]*$", text[lo:hi])) and m.group(1).lower() in TITLE_END_WORDS \
            and (t1 is None or lo + m.start(1) >= t1) and _words(text[lo:lo + m.start()]) >= TITLE_MIN_WORDS:
        hi = lo + m.start()
    if hi <= lo:
        return span
    return Span(span.doc, span.start + lo, span.start + hi, text[lo:hi])


def _closes_quote(clause: str) -> bool:
    """The clause ends on the quote mark closing one it opened ("Intel 'Presented a Smoking Bomb'")."""
    q = clause[-1]
    if q not in "'\"":
        return False
    opened = [m.start() for m in re.finditer(r"(?:^|(?<=\s))" + q, clause[:-1])]
    return bool(opened) and not re.search(q + r"(?=[\s,.;:!?]|$)", clause[opened[-1] + 1:-1])


def title_span(ev: Event) -> Span | None:
    """A short clause of one of ``ev``'s reports holding its trigger (see module doc): one that
    names its subject and opens on it with its words whole first (:func:`_fragment`), then the
    lead reports, then a clause of at least :data:`TITLE_GOOD_WORDS` words, then the one nearest
    its article's opening."""
    return _title_span(ev.mentions)


def _title_span(mentions: Sequence[EventReport]) -> Span | None:
    best, best_rank = None, None
    # by the parts of the rank a report has before it is cut: once the best ranks below what the next
    # report could rank at best (a named clause, whole, of some words), no later report beats it
    for m in sorted(mentions, key=lambda m: (m.salience != 1, m.span.start)):
        if best_rank is not None and best_rank[:5] < (False, False, m.salience != 1, False, m.span.start):
            break
        cut = _trim(m.span, m.trigger)
        unnamed = _unnamed(cut.text)
        if unnamed and cut.start > m.span.start:  # "... to let someone open the door": the sentence
            lead = len(m.span.text) - len(m.span.text.lstrip())
            cut = Span(cut.doc, m.span.start + lead, cut.end, m.span.text[lead:cut.end - m.span.start])
            unnamed = _unnamed(cut.text)
        n = _words(cut.text)
        # a clause that names its subject, one that opens on its subject and keeps its words whole,
        # the lead report, a clause of some words, the one nearest its article's opening
        rank = (unnamed, _fragment(cut, m.span), m.salience != 1, n < TITLE_GOOD_WORDS, m.span.start, n, m.span.doc)
        if best_rank is None or rank < best_rank:
            best, best_rank = cut, rank
    return best


# a word cut in two where a tokenized text spaces its hyphen: "16 - year - | old", "a five | - boat"
_SPACED_JOINT = re.compile(r"\w\s-\s$")
_SPACED_JOINT_AFTER = re.compile(r"^\s-\s\w")


def _fragment(cut: Span, sentence: Span) -> bool:
    """The clause does not open on its subject ("has died, her agent said", "capturing 23 of the
    raiders": a lower-case word of the source that is no determiner, pronoun or number, past the
    sentence's start; or the object of the preposition before it, "(fall to) his death"), or it cuts a word where a tokenized text spaces its hyphen ("Old Kimani Gray",
    "foiled a five")."""
    lo, hi = cut.start - sentence.start, cut.end - sentence.start
    text = sentence.text
    if _SPACED_JOINT.search(text[max(0, lo - 4):lo]) or _SPACED_JOINT_AFTER.match(text[hi:hi + 4]):
        return True
    first = re.match(r"[\"'“‘(]*([\w'’-]+)", cut.text)
    if first is None or text[:lo].strip() == "":
        return False
    word = first.group(1)
    before = re.search(r"([\w'’]+)\W*$", text[:lo])
    if before is not None and before.group(1).lower() in OBJECT_PREPOSITIONS:
        return True  # "(separated from) their children", "(fall to) his death": a preposition's object
    return word[0].islower() and word.lower() not in SUBJECT_OPENERS


def _unnamed(text: str) -> bool:
    words = text.lstrip(" \"'“‘”’").split(maxsplit=1)
    return bool(words) and words[0].lower() in UNNAMED_SUBJECTS


def event_title(ev: Event) -> str | None:
    """:func:`title_span`'s text with a capital first letter (None without reports)."""
    return _title_text(ev.mentions)


def _title_text(mentions: Sequence[EventReport]) -> str | None:
    sp = _title_span(mentions)
    if sp is None or _words(sp.text) < TITLE_MIN_WORDS:
        return None  # a word or two is no clause: the caller keeps its own label
    text = sp.text.strip()
    return text[0].upper() + text[1:]


def reader_label(ev: Event) -> str:
    """An event's label as a person writes it, for every view and the export: the trimmed clause of
    its lead report that holds its trigger (:func:`event_title`: the source's words, never "someone —
    lose"), else the first words of its shortest lead report, else the extraction's label.

    It depends only on the label and the reports, so it is kept per (label, reports): views read
    the same events again on every page (a story page of 700 events paid it on each request)."""
    return _reader_label(ev.label, ev.mentions)


@functools.lru_cache(maxsize=16384)
def _reader_label(label: str, mentions: tuple[EventReport, ...]) -> str:
    title = _title_text(mentions)
    if title:
        return title
    for m in sorted(mentions, key=lambda m: (m.salience or 10**6, len(m.span.text))):
        words = m.span.text.split()  # no clause of its own: the first words of its shortest lead report
        if len(words) >= 3:
            return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    for m in sorted(mentions, key=lambda m: (m.salience or 10**6, len(m.span.text))):
        text = m.span.text.strip(" \"'“”‘’.,:;!?-—")
        if len(text.split()) >= 2:  # a short report is still the source's words ("Yanes said")
            return text[0].upper() + text[1:]
    return label
