"""Publication-date inference from the temporal expressions of one document.

A pure function over :class:`Clue` objects (an expression, its tense and the
people named in its sentence); no spaCy here. Used only when ingest found no
stated or metadata date. Two kinds of evidence, and nothing else:

* **Lower bound.** A full calendar date (day, month and year) in a past-tense
  clause happened before the article: ``published >= that day``.
* **Pin.** A relative weekday ("last Friday", "said Friday") and an absolute
  day that report the same event (the two sentences share two people, or one
  person and an event noun such as "call"; the best-linked day wins, a tie is
  ambiguous and ignored) must be the same day, which puts
  publication in the week after it. An absolute day without a year takes the
  year the document writes for that same day elsewhere ("Feb. 8, 2017" dates a
  later "Feb. 8"; no other year when that one does not fit), else the year near
  the lower bound in which that day fell on that weekday, else the most recent
  such year not after ``today``, unless the document writes years and the
  latest is older than the year before that one (the guess was wrong in every
  such real document, docs/ledger.md). A day that names its own weekday
  ("Thursday, Jan. 6") pins only that weekday.

The result is an interval (``When.earliest``/``latest``, ``latest`` None when
only bounded below) with basis ``inferred`` and the spans that support it;
``value`` is the most precise TIMEX3 value true of the whole interval (a day,
an ISO week, a month) or None. Conflicting pins are dropped: unknown beats wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Published, Span, When
from .timex import Parsed, span_value
from ..lexicon.times import DATING_EVENT_NOUNS as EVENT_NOUNS
from ..lexicon.times import WEEKDAYS

__all__ = ["Clue", "EVENT_NOUNS", "infer_published", "lower_bound", "pins", "written_year"]

_DAY_KINDS = ("mdy", "dmy", "iso")


@dataclass(frozen=True)
class Clue:
    """One temporal expression with what inference needs about its sentence."""

    span: Span
    parsed: Parsed
    tense: str | None = None  # past, present, future, None
    people: frozenset[str] = frozenset()  # PERSON entity keys named in the sentence
    nouns: frozenset[str] = frozenset()  # event-noun lemmas in the sentence
    sentence: int = -1


def _day(p: Parsed, year: int | None = None) -> date | None:
    y = p.year if p.year is not None else year
    if y is None or p.kind not in _DAY_KINDS or p.month is None or p.day is None:
        return None
    try:
        return date(y, p.month, p.day)
    except ValueError:
        return None


def lower_bound(clues: list[Clue]) -> tuple[date, Clue] | None:
    """The latest full date reported in a past-tense clause, and its clue."""
    best: tuple[date, Clue] | None = None
    for c in clues:
        if c.tense != "past" or c.parsed.year is None:
            continue
        d = _day(c.parsed)
        if d is not None and (best is None or d > best[0]):
            best = (d, c)
    return best


def _is_past_weekday(c: Clue) -> int | None:
    """The weekday of "last Friday" / "said Friday" (past), else None."""
    p = c.parsed
    if len(p.weekdays) != 1:
        return None
    if p.kind == "relwd" and p.shift == "last":
        return p.weekdays[0]
    if p.kind == "wd" and c.tense == "past":
        return p.weekdays[0]
    return None


def _link(a: Clue, b: Clue) -> int:
    """How strongly two sentences report one event: shared people, plus one for a
    shared event noun; 0 unless at least one person is shared."""
    shared = len(a.people & b.people)
    return shared + (1 if shared and a.nouns & b.nouns else 0)


def _own_weekday(c: Clue) -> int | None:
    """The weekday an absolute day names itself ("Thursday, Jan. 6"), else None."""
    first = c.span.text.split(",")[0].strip().lower()
    return WEEKDAYS.get(first) if "," in c.span.text else None


def written_year(p: Parsed, clues: list[Clue]) -> int | None:
    """The year the document writes for month/day ``p`` elsewhere; None when none or several."""
    years = {c.parsed.year for c in clues
             if c.parsed.kind in _DAY_KINDS and c.parsed.year is not None
             and (c.parsed.month, c.parsed.day) == (p.month, p.day)}
    return years.pop() if len(years) == 1 else None


# a report names its own year or the one before: a guessed year later than that is rejected
WRITTEN_LAG = 1


def _year_for(p: Parsed, weekday: int, floor: date | None, today: date, written: int | None) -> int | None:
    """The year in which month/day ``p`` fell on ``weekday``: near the lower
    bound if there is one, else the most recent one not after ``today`` unless
    the latest year the document writes (``written``) is older than the year
    before it: then the article is older than the guess and the weekday fits
    earlier years too."""
    years = range(floor.year - 1, floor.year + 2) if floor else range(today.year, today.year - 12, -1)
    for y in years:
        d = _day(p, y)
        if d is None or d.weekday() != weekday or d > today:
            continue
        if floor is None and written is not None and written < y - WRITTEN_LAG:
            return None
        if floor is None or d + timedelta(days=7) >= floor:
            return y
    return None


def pins(clues: list[Clue], floor: date | None, today: date) -> list[tuple[date, date, Clue, Clue]]:
    """(earliest, latest, relative clue, absolute clue) for every weekday that
    names the same event as an absolute day."""
    out = []
    written = max((c.parsed.year for c in clues if c.parsed.year is not None), default=None)
    for r in clues:
        wd = _is_past_weekday(r)
        if wd is None:
            continue
        scored = []
        for a in clues:
            score = _link(r, a)
            if a is r or a.parsed.kind not in _DAY_KINDS or score < 2 or _own_weekday(a) not in (None, wd):
                continue
            year = a.parsed.year
            if year is None:  # a year the document writes for this day, else one near the lower bound
                year = written_year(a.parsed, clues)
                year = _year_for(a.parsed, wd, floor, today, written) if year is None else year
            d = _day(a.parsed, year)
            if d is not None and d.weekday() == wd:
                scored.append((score, d, a))
        if not scored:
            continue
        best = max(x[0] for x in scored)
        top = [x for x in scored if x[0] == best]
        if len({x[1] for x in top}) > 1:  # two different days link equally well: ambiguous
            continue
        _, d, a = top[0]
        if r.parsed.shift == "last":  # the most recent such weekday strictly before publication
            out.append((d + timedelta(days=1), d + timedelta(days=7), r, a))
        else:  # said Friday: on or before publication
            out.append((d, d + timedelta(days=6), r, a))
    return out


def infer_published(clues: list[Clue], today: date | None = None) -> Published:
    """Publication date implied by the clues; ``Published()`` (unknown) when none."""
    today = today or date.today()
    bound = lower_bound(clues)
    floor = bound[0] if bound else None
    found = pins(clues, floor, today)
    if found:
        lo = max(p[0] for p in found)
        hi = min(p[1] for p in found)
        if floor is not None:
            lo = max(lo, floor)
        if lo <= hi:
            evidence = []
            for _, _, r, a in found:
                for s in (r.span, a.span):
                    if s not in evidence:
                        evidence.append(s)
            if bound and bound[0] == lo and bound[1].span not in evidence:
                evidence.append(bound[1].span)
            when = When(span_value(lo, hi), lo.isoformat(), hi.isoformat())
            return Published(when, "inferred", tuple(sorted(evidence, key=lambda s: s.start)))
    if bound is not None:
        return Published(When(None, bound[0].isoformat(), None), "inferred", (bound[1].span,))
    return Published()
