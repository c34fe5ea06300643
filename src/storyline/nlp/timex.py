"""Temporal expressions normalised against an anchor day, as pure rules. Finding and parsing
are :mod:`storyline.nlp.timexfind` (re-exported here); no spaCy here: the ``storyline_times``
component adds tense and the document's context and calls these functions.

Values follow TIMEX3 at the expression's own precision: ``2025-03-28``, ``2025-03-28T19:15``,
``2025-03-28TEV`` (a part of the day), ``2025-06``, ``2025``, ``2025-W14``, ``2025-W14-WE`` (a
weekend), ``2025-Q3``, ``2025-SU`` (a season), ``199`` (the 1990s), ``19`` (the 20th century);
durations ``PT30M``, ``P2D``, ``P20Y``, vague ``PXY``; sets ``P1Y``, ``XXXX-WXX-4`` (every Thursday).
A range ("February 14 to 16", "Thursday and Friday of this week") gets the most precise value that
is true of the whole range (:func:`span_value`). Vague references take TIMEX3's ``PRESENT_REF``,
``PAST_REF`` and ``FUTURE_REF`` with the days they bound; "hours before" keeps ``value=None``.
A bare weekday in a clause that is not in the future tense is the last such day on or before the
anchor (what reports mean by "said Tuesday"), with the days on either side as its interval.

Tense is one of ``past``, ``present``, ``future`` or ``None`` (not known).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from types import EllipsisType

from ..lexicon.times import SEASONS
from ..model import UNKNOWN, When
from .timexfind import Parsed, find_candidates, parse

__all__ = [
    "Parsed", "find_candidates", "parse", "resolve", "resolve_between", "span_value", "absolute", "iso_day",
    "partial_value", "quarter_when", "REFS",
]

REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")

# ------------------------------------------------------------------ normalising


def iso_day(d: date) -> str:
    return d.isoformat()


def _when(lo: date | None, hi: date | None, value: str | None | EllipsisType = ...) -> When:
    """``value`` left out: the most precise one true of the whole span (an explicit None stays None)."""
    if isinstance(value, EllipsisType):
        value = span_value(lo, hi)
    return When(value, lo.isoformat() if lo is not None else None, hi.isoformat() if hi is not None else None)


def span_value(lo: date | None, hi: date | None) -> str | None:
    """The most precise TIMEX3 value true of every day in ``lo..hi``: a day,
    an ISO week, a month, else None (a year says too little to be worth it)."""
    if lo is None or hi is None or hi < lo:
        return None
    if lo == hi:
        return lo.isoformat()
    if lo.isocalendar()[:2] == hi.isocalendar()[:2]:
        y, w = lo.isocalendar()[:2]
        return f"{y}-W{w:02d}"
    if (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}"
    return None


def _month_span(y: int, m: int, mod: str | None = None) -> tuple[date, date]:
    last = calendar.monthrange(y, m)[1]
    lo, hi = date(y, m, 1), date(y, m, last)
    if mod in ("end", "late"):
        lo = date(y, m, min(21, last))
    elif mod in ("start", "early"):
        hi = date(y, m, 10)
    elif mod == "mid":
        lo, hi = date(y, m, 11), date(y, m, 20)
    return lo, hi


def _year_span(y: int, mod: str | None = None) -> tuple[date, date]:
    if mod in ("end", "late"):
        return date(y, 9, 1), date(y, 12, 31)
    if mod in ("start", "early"):
        return date(y, 1, 1), date(y, 4, 30)
    if mod == "mid":
        return date(y, 5, 1), date(y, 8, 31)
    return date(y, 1, 1), date(y, 12, 31)


def _pick_year(month: int, day: int, anchor: date, tense: str | None) -> int:
    """The year of a yearless date: the anchor's, or the one before when that
    would put a past date more than ~2 months after the anchor (the one after
    for a future date more than ~2 months before); with no tense to go by, the
    year that puts the date nearest the anchor ("payable Jan. 2" in November)."""
    y = anchor.year
    day = min(day, calendar.monthrange(y, month)[1])
    d = date(y, month, day)
    if tense == "future":
        return y + 1 if d < anchor - timedelta(days=62) else y
    if tense == "past":
        return y - 1 if d > anchor + timedelta(days=62) else y
    near = [(abs((date(c, month, min(day, calendar.monthrange(c, month)[1])) - anchor).days), c) for c in (y - 1, y, y + 1)]
    return min(near)[1]


def absolute(p: Parsed) -> When | None:
    """The When of an expression that needs no anchor (None if it needs one)."""
    if p.type in ("DURATION", "SET"):
        return When(p.value, None, None)
    if p.needs_anchor:
        return None
    assert p.year is not None  # needs no anchor: its year is in the text (Parsed.needs_anchor)
    if p.kind == "quarter":
        return quarter_when(p, date(p.year, 1, 1))
    if p.kind == "season":
        return _season(p, date(p.year, 1, 1), None)
    return _dated(p, p.year)


def _dated(p: Parsed, y: int) -> When | None:
    try:
        if p.kind in ("mdy", "dmy", "iso"):
            assert p.month is not None and p.day is not None  # parse() gives both for these kinds
            d = date(y, p.month, p.day)
            return When(_day_part(d, p), d.isoformat(), d.isoformat())
        if p.kind == "range":
            assert p.month is not None and p.day is not None and p.month2 is not None and p.day2 is not None
            lo = date(y, p.month, p.day)
            hi = date(y if p.month2 >= p.month else y + 1, p.month2, p.day2)
            return _when(lo, hi) if hi >= lo else None
    except ValueError:
        return None
    if p.kind == "decade":
        return When(p.value, f"{y}-01-01", f"{y + 9}-12-31")
    if p.kind == "century":
        return When(p.value, f"{max(y, 1):04d}-01-01", f"{y + 99:04d}-12-31")
    if p.kind == "byyear":
        return When(str(y), None, f"{y}-12-31")
    if p.month is not None:
        lo, hi = _month_span(y, p.month, p.mod)
        return _when(lo, hi, f"{y:04d}-{p.month:02d}")
    lo, hi = _year_span(y, p.mod)
    return _when(lo, hi, str(y))


def _weekday_before(anchor: date, wd: int, strict: bool) -> date:
    back = (anchor.weekday() - wd) % 7
    if strict and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _weekday_after(anchor: date, wd: int, strict: bool) -> date:
    ahead = (wd - anchor.weekday()) % 7
    if strict and ahead == 0:
        ahead = 7
    return anchor + timedelta(days=ahead)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def partial_value(p: Parsed) -> str | None:
    """What a day with no year to anchor it still says, as TIMEX3 writes it: "XXXX-11-19"
    ("November 19"), "XXXX-WXX-5" ("Friday", "last Friday": ISO weekday); else None."""
    if p.type != "DATE":
        return None
    if p.kind in ("mdy", "dmy") and p.month is not None and p.day is not None and p.month2 is None:
        return f"XXXX-{p.month:02d}-{p.day:02d}"
    if p.kind in ("wd", "relwd") and len(p.weekdays) == 1:
        return f"XXXX-WXX-{p.weekdays[0] + 1}"
    return None


def resolve(p: Parsed, anchor: date, tense: str | None = None) -> When:
    """Normalise ``p`` against one anchor day (the publication day)."""
    fixed = absolute(p)
    if fixed is not None:
        return fixed
    k = p.kind
    if p.month is not None and p.kind in ("mdy", "dmy", "range", "monyear", "premonth", "relmonth", "edge"):
        if p.shift in ("last", "next", "this"):
            y = anchor.year + (-1 if p.shift == "last" and p.month >= anchor.month else 0)
            y += 1 if p.shift == "next" and p.month <= anchor.month else 0
        elif p.shift and p.shift.startswith("year-"):  # "June last year"
            y = anchor.year + {"year-last": -1, "year-next": 1}.get(p.shift, 0)
        else:
            y = _pick_year(p.month, p.day or 1, anchor, tense)
        return _dated(p, y) or UNKNOWN
    if k in ("wd", "relwd"):
        wd = p.weekdays[0]
        if p.shift == "last":
            d = _weekday_before(anchor, wd, strict=True)
        elif p.shift in ("next", "coming"):
            d = _weekday_after(anchor, wd, strict=True)
        elif p.shift == "this":
            d = _monday(anchor) + timedelta(days=wd)
        elif tense == "future":
            d = _weekday_after(anchor, wd, strict=False)
        else:  # past, present or unknown: "said Tuesday" is the last Tuesday on or before the report
            d = _weekday_before(anchor, wd, strict=False)
            if tense != "past":  # not sure: the value is the likeliest day, the interval both sides
                return When(_day_part(d, p), d.isoformat(), _weekday_after(anchor, wd, False).isoformat())
        return When(_day_part(d, p), d.isoformat(), d.isoformat())
    if k == "wdweek":
        assert p.shift is not None  # parse() takes it from "of this/next/last week"
        week = {"this": 0, "next": 7, "last": -7}[p.shift]
        mon = _monday(anchor) + timedelta(days=week)
        return _when(mon + timedelta(days=min(p.weekdays)), mon + timedelta(days=max(p.weekdays)))
    if k == "relunit":
        return _relunit(p, anchor)
    if k == "ago":
        if p.shift == "later":
            return UNKNOWN  # "a week later" counts from the event before it, not from the report (events resolve it)
        days = {"day": 1, "week": 7}.get(p.unit or "")
        sign = -1 if p.shift == "ago" else 1
        if days and p.amount:
            d = anchor + timedelta(days=sign * days * p.amount)
            return _when(d, d) if p.unit == "day" else _when(_monday(d), _monday(d) + timedelta(days=6))
        if p.unit == "month" and p.amount:
            m0 = anchor.year * 12 + anchor.month - 1 + sign * p.amount
            return _dated(Parsed("DATE", "monyear", m0 // 12, m0 % 12 + 1), m0 // 12) or UNKNOWN
        if p.unit == "year" and p.amount:
            return _dated(Parsed("DATE", "year", anchor.year + sign * p.amount), anchor.year + sign * p.amount) or UNKNOWN
        return _when(None, anchor, None) if sign < 0 else _when(anchor, None, None)
    if k == "deictic":
        d = anchor + timedelta(days=p.amount)
        return When(_day_part(d, p), d.isoformat(), d.isoformat())
    if k == "ref":
        lo = None if p.value == "PAST_REF" else anchor.isoformat()
        hi = None if p.value == "FUTURE_REF" else anchor.isoformat()
        return When(p.value, lo, hi)
    if k == "quarter":
        return quarter_when(p, anchor, tense)
    if k == "season":
        return _season(p, anchor, tense)
    if k in ("vague", "vaguebefore"):
        if p.shift == "present":
            return When(None, anchor.isoformat(), anchor.isoformat())
        if p.shift == "after":
            return When(None, None, None)
        return When(None, None, anchor.isoformat())
    return UNKNOWN


def _day_part(d: date, p: Parsed) -> str:
    """A day's value with the part of the day or the clock time the expression names."""
    if not p.part:
        return d.isoformat()
    return f"{d.isoformat()}T{p.part}"


_QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def _quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_when(p: Parsed, anchor: date, tense: str | None = None, context: tuple[int, int] | None = None) -> When:
    """A quarter ("the third quarter", "this quarter", "the year-ago quarter") against the anchor
    day, or against ``context`` (year, quarter), the quarter the document last named, for "the
    quarter", "the latest period" and the year before it. A numbered quarter without a year is the
    last one begun by the anchor day (the next one in the future tense)."""
    q, y = p.amount, p.year
    cur = _quarter_of(anchor)
    back = {"yearago": -1, "last year's": -1, "next year's": 1}.get(p.shift or "", 0)
    if q == 0:
        if context is not None and p.shift not in ("last", "next", "latest", "current"):
            y, q = (p.year, context[1]) if p.year else (context[0] + back, context[1])
        elif p.shift in ("this", "current"):
            y, q = anchor.year, cur
        elif p.shift in ("last", "latest"):  # "the latest quarter": the last one over
            y, q = (anchor.year, cur - 1) if cur > 1 else (anchor.year - 1, 4)
        elif p.shift == "next":
            y, q = (anchor.year, cur + 1) if cur < 4 else (anchor.year + 1, 1)
        else:
            return UNKNOWN  # "the quarter" with no quarter named before it
    elif y is None:
        if p.shift == "yearago" and context is not None:
            y = context[0] - 1
        elif p.shift in ("last year's", "next year's", "this year's"):
            y = anchor.year + back
        elif tense == "future" and q > cur:  # results are reported after the quarter: only a later one is ahead
            y = anchor.year
        else:
            y = (anchor.year if q <= cur else anchor.year - 1) + back
    m0, m1 = _QUARTER_MONTHS[q]
    return When(f"{y:04d}-Q{q}", date(y, m0, 1).isoformat(), date(y, m1, calendar.monthrange(y, m1)[1]).isoformat())


def _season(p: Parsed, anchor: date, tense: str | None) -> When:
    """A season ("last fall", "this summer", "the winter of 1994"): TIMEX3 ``1997-FA``. "last" is
    the latest one over by the anchor day, "next" the first one not begun; a bare one follows the tense."""
    code = p.value
    _, m0, m1 = next(v for v in SEASONS.values() if v[0] == code)

    def span(y: int) -> tuple[date, date]:
        y1 = y + (1 if m1 < m0 else 0)
        return date(y, m0, 1), date(y1, m1, calendar.monthrange(y1, m1)[1])

    y = p.year
    if y is None:
        y = anchor.year
        start, end = span(y)
        if p.shift in ("last", "past"):
            y -= 0 if end < anchor else 1
        elif p.shift in ("next", "coming"):
            y += 0 if start > anchor else 1
        elif p.shift is None and tense == "past":
            y -= 0 if start <= anchor else 1
        elif p.shift is None and tense == "future":
            y += 0 if end >= anchor else 1
    lo, hi = span(y)
    return When(f"{y:04d}-{code}", lo.isoformat(), hi.isoformat())


def _relunit(p: Parsed, anchor: date) -> When:
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(p.shift or "", 0)
    unit = p.unit or "week"
    if unit in ("week", "weekend"):
        mon = _monday(anchor) + timedelta(days=7 * step)
        if unit == "weekend":
            if p.shift in ("the", "past") and anchor.weekday() < 5:
                mon -= timedelta(days=7)  # "over the weekend" in a weekday report: the one just past
            y, w = mon.isocalendar()[:2]
            return When(f"{y}-W{w:02d}-WE", (mon + timedelta(days=5)).isoformat(), (mon + timedelta(days=6)).isoformat())
        lo, hi = mon, mon + timedelta(days=6)
        if p.shift == "earlier":
            hi = anchor
        elif p.shift == "later":
            lo = anchor
        y, w = mon.isocalendar()[:2]
        value = f"{y}-W{w:02d}" if p.shift not in ("earlier", "later") else span_value(lo, hi)
        return _when(lo, hi, value)
    if unit == "month":
        m0 = anchor.year * 12 + anchor.month - 1 + step
        y, m = m0 // 12, m0 % 12 + 1
        lo, hi = _month_span(y, m, p.mod)
        if p.shift == "earlier":
            hi = anchor
        elif p.shift == "later":
            lo = anchor
        return _when(lo, hi, f"{y:04d}-{m:02d}")
    y = anchor.year + step
    lo, hi = _year_span(y, p.mod)
    if p.shift == "earlier":
        hi = anchor
    elif p.shift == "later":
        lo = anchor
    return _when(lo, hi, str(y))


def _consistent(w: When, anchor: date, tense: str | None) -> bool:
    """A resolution agrees with the tense: a past event is not after the
    anchor day, a future one not wholly before it."""
    if tense == "past" and w.earliest and w.earliest > anchor.isoformat():
        return False
    if tense == "future" and w.latest and w.latest < anchor.isoformat():
        return False
    return True


def resolve_between(p: Parsed, lo: date, hi: date | None, tense: str | None = None, max_days: int = 62) -> When:
    """Normalise ``p`` when the anchor is only known to lie in ``lo..hi``
    (``hi`` None: unbounded). A definite answer when every anchor day consistent
    with the tense gives the same one, else the range that covers them all."""
    if hi is not None and hi == lo:
        return resolve(p, lo, tense)
    if hi is None or (hi - lo).days > max_days:
        first = resolve(p, lo, tense)
        return When(None, first.earliest, None) if first.known else UNKNOWN
    results = [resolve(p, lo + timedelta(days=i), tense) for i in range((hi - lo).days + 1)]
    keep = [w for i, w in enumerate(results) if _consistent(w, lo + timedelta(days=i), tense)] or results
    if any(not w.known for w in keep):
        return UNKNOWN
    values = {w.value for w in keep}
    earliest = [w.earliest for w in keep if w.earliest is not None]
    latest = [w.latest for w in keep if w.latest is not None]
    e = min(earliest) if len(earliest) == len(keep) else None  # None when any is open-ended
    l_ = max(latest) if len(latest) == len(keep) else None
    if len(values) == 1:
        return When(values.pop(), e, l_)
    value = span_value(date.fromisoformat(e), date.fromisoformat(l_)) if e and l_ else None
    return When(value, e, l_)
