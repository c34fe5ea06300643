"""Temporal expressions as pure rules: find them, parse them, normalise them
against an anchor day. No spaCy here; the ``storyline_times`` component adds
tense and entities and calls these functions.

Values follow TIMEX3 at the expression's own precision: ``2025-03-28``,
``2025-06``, ``2025``, ``2025-W14``, ``199`` (the 1990s); durations ``PT30M``,
``P2D``, ``P2M``, vague ``PXY``/``PXDE``; sets ``P1Y`` (type SET). A range
("February 14 to 16", "Thursday and Friday of this week") gets the most precise
value that is true of the whole range (:func:`span_value`). Vague references
("recently", "now", "hours before") keep ``value=None`` and only bound days.

Tense is one of ``past``, ``present``, ``future`` or ``None`` (not known).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import UNKNOWN, When

__all__ = ["Parsed", "find_candidates", "parse", "resolve", "resolve_between", "span_value", "absolute", "iso_day", "partial_value"]

MONTHS = {m.lower(): i for i in range(1, 13) for m in (calendar.month_name[i], calendar.month_abbr[i])}
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "couple": 2,
}
UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE"}
SETS = {"annual": "P1Y", "annually": "P1Y", "yearly": "P1Y", "monthly": "P1M", "weekly": "P1W", "daily": "P1D"}

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?:1[89]\d\d|20\d\d)"
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_QUANT = r"(?:\b(?:approximately|about|around|nearly|almost|roughly|some|just|at\s+least|more\s+than|over|up\s+to|less\s+than|under)\s+)?"
_UNIT = r"(?:second|minute|hour|day|week|month|year|decade)"
_NOYEAR = r"(?![\d%]|,?\s*" + _Y + r"\b)"
_AFTER = r"(?!\d)(?![.,]\d)(?!\s*(?:%|percent|per\s+cent|million|billion))"
_ALTS = (
    # most specific first: at each position the first alternative that matches wins
    ("range", rf"{_MON}\s+{_D}\s*(?:-|–|to|through|until)\s*(?:{_MON}\s+)?{_D}(?:,?\s+{_Y})?\b"),
    ("wdweek", rf"{_WD}(?:\s+and\s+{_WD})?\s+of\s+(?:this|next|last)\s+week"),
    ("edge", rf"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:{_MON}(?:,?\s+{_Y})?|{_Y}|(?:this|next|last)\s+(?:week|month|year))"),
    ("mdy", rf"(?:{_WD},?\s+)?{_MON}\s+{_D}(?:,?\s+{_Y})?\b"),
    ("dmy", rf"\b{_D}\s+{_MON}(?:,?\s+{_Y})?\b"),
    ("iso", rf"\b{_Y}-[01]\d-[0-3]\d\b"),
    ("monyear", rf"(?:(?:early|late|mid)[-\s]+)?{_MON}(?:\s+of)?\s+{_Y}\b"),
    ("relmonth", rf"(?:(?:last|next|this|early|late|mid)[-\s]+){_MON}{_NOYEAR}"),
    ("premonth", rf"{_MON}{_NOYEAR}"),  # kept only after a preposition (see _PREP)
    ("relwd", rf"(?:last|next|this|coming|past)\s+{_WD}"),
    ("wd", rf"{_WD}(?:\s+(?:morning|afternoon|evening|night))?"),
    ("relunit", r"(?:earlier|later)\s+this\s+(?:week|month|year)"
                r"|(?:this|last|next|past|coming)\s+(?:week|month|year|weekend)(?!\s+(?:or|and)\b)(?![\w-])"),
    ("ago", rf"{_QUANT}{_NUM}\s+{_UNIT}s?\s+(?:ago|earlier|later)"),
    ("lastn", rf"(?:the\s+)?(?:last|past|next|coming|previous|following)\s+"
              rf"(?:(?:couple|few)\s+(?:of\s+)?|several\s+|{_NUM}\s+)?{_UNIT}s"),
    ("orn", rf"\b{_NUM}\s+{_UNIT}s?\s+or\s+{_NUM}(?:\s+{_UNIT}s?)?\b"),
    ("dur", rf"{_QUANT}\b(?:{_NUM}|a\s+few|a\s+couple\s+of|several)(?:[\s-]+and[\s-]+a[\s-]+half)?[\s-]+{_UNIT}s?(?![\w-])"),
    ("vaguebefore", r"(?:(?:just|only|mere)\s+)?(?:hours|days|weeks|months)\s+(?:before|after|earlier|later)\b"
                    r"|the\s+(?:days|weeks|months|hours)\s+(?:leading\s+up\s+to|before|after|following)\b"),
    ("vaguedur", r"(?:decades|years|months|weeks|days|hours)\b"),  # kept only after a preposition
    ("decade", r"(?:the\s+)?\b(?:1[89]|20)\d0s\b"),
    ("byyear", rf"\bby\s+{_Y}{_AFTER}"),
    ("year", rf"(?<![\d$€£.,])\b{_Y}{_AFTER}"),  # kept only after a preposition
    ("set", r"\b(?:annual|annually|yearly|monthly|weekly|bi-?annual|every\s+(?:year|month|week|day)|each\s+(?:year|month|week))\b"),
    ("deictic", r"\b(?:today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening))\b"),
    ("vague", r"\b(?:right\s+now|recently|lately|previously|currently|nowadays|now)\b"),
)
_TIME = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in _ALTS) + ")", re.IGNORECASE)
# words that must precede a bare month, year or plural unit for it to count as a time
_PREP = {
    "premonth": {"in", "by", "since", "until", "till", "during", "from", "through", "of", "before", "after", "to",
                 "between", "and", "early", "late", "mid"},
    "year": {"in", "since", "until", "till", "during", "from", "through", "of", "before", "after", "to",
             "between", "and", "early", "late", "mid", "for", "throughout"},
    "vaguedur": {"for", "after", "over", "within", "of", "in"},
}
_ARTICLE_UNIT = re.compile(rf"an?\s+{_UNIT}", re.IGNORECASE)
_RATE_WORDS = {"million", "billion", "thousand", "hundred", "percent", "times", "twice", "once", "thrice", "dollars",
               "euros", "pounds", "people", "ships", "barrels", "tonnes", "tons", "cents"}
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")
_CASE_FREE = {"vague", "set", "deictic", "vaguebefore", "vaguedur", "dur", "lastn", "ago", "orn", "relunit"}


@dataclass(frozen=True)
class Parsed:
    """What an expression says, before any anchor is applied."""

    type: str  # DATE, TIME, DURATION, SET
    kind: str  # pattern group: mdy, range, wd, relunit, dur, vague, ...
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month2: int | None = None
    day2: int | None = None
    weekdays: tuple[int, ...] = ()
    shift: str | None = None  # last, next, this, earlier, later, ...
    unit: str | None = None  # week, month, year (relunit)
    value: str | None = None  # fixed value: durations, sets
    mod: str | None = None  # end, start, mid, by, early, late
    amount: int = 0  # ago: how many units

    @property
    def needs_anchor(self) -> bool:
        if self.type in ("DURATION", "SET"):
            return False
        if self.kind in ("decade", "byyear", "year"):
            return False
        return self.year is None

    @property
    def relative(self) -> bool:
        """Relative to the anchor day itself (not only its year)."""
        return self.needs_anchor and self.month is None


# ------------------------------------------------------------------ finding


def _word_case_ok(s: str, all_caps: bool) -> bool:
    """Month and weekday names count only Capitalised (or in all-caps text)."""
    for w in re.findall(r"[A-Za-z]+", s):
        low = w.lower()
        if low in MONTHS or low.rstrip(".") in MONTHS or low in WEEKDAYS:
            if not (w[0].isupper() and (w[1:].islower() or all_caps)):
                return False
    return True


def find_candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every temporal expression the rules see, left to right.

    Case-insensitive so that ALL-CAPS text works, but month and weekday names
    must be capitalised in mixed-case text ("they march" is not a month).
    """
    letters = [c for c in text if c.isalpha()]
    all_caps = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    out = []
    for m in _TIME.finditer(text):
        kind = m.lastgroup or ""
        if kind not in _CASE_FREE and not _word_case_ok(m.group(), all_caps):
            continue
        if kind in _PREP:
            prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
            if prev is None or prev.group(1).lower() not in _PREP[kind]:
                continue
        if kind == "dur" and _ARTICLE_UNIT.fullmatch(m.group()):
            if m.group().lower().endswith("second"):
                continue  # "a second round" is an ordinal
            prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
            before = text[max(0, m.start() - 3) : m.start()].strip()
            if (prev and prev.group(1).lower() in _RATE_WORDS) or (before and before[-1] in "0123456789%"):
                kind = "rate"  # "€40 million a day", "twice a week": a frequency
        out.append((m.start(), m.end(), kind))
    return out


# ------------------------------------------------------------------ parsing


def _num(w: str) -> int | None:
    w = w.lower()
    if w.isdigit():
        return int(w)
    return NUMBERS.get(w)


def _month(w: str) -> int | None:
    return MONTHS.get(w.lower().rstrip("."))


def _years(s: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", s)]


def _days(s: str) -> list[int]:
    return [int(d) for d in re.findall(r"\b([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b", s)]


def _months(s: str) -> list[int]:
    return [m for m in (_month(w) for w in re.findall(r"[A-Za-z]+\.?", s)) if m]


def _weekdays(s: str) -> tuple[int, ...]:
    return tuple(WEEKDAYS[w.lower()] for w in re.findall(r"[A-Za-z]+", s) if w.lower() in WEEKDAYS)


def _duration(n: int | None, unit: str) -> str:
    code = UNITS[unit]
    amount = "X" if n is None else str(n)
    return f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"


def parse(expr: str, kind: str | None = None) -> Parsed | None:
    """Parse one expression (a candidate from :func:`find_candidates` or a spaCy
    DATE/TIME entity); ``None`` when it is not something the rules understand."""
    s = " ".join(expr.split())
    if kind is None:
        found = [c for c in find_candidates(s) if c[1] - c[0] >= len(s.strip()) * 0.6]
        if not found:
            return None
        kind = found[0][2]
        s = s[found[0][0] : found[0][1]]
    low = s.lower()
    years, months, days = _years(s), _months(s), _days(re.sub(r"\b(1[89]|20)\d\d\b", "", s))
    if kind in ("mdy", "dmy", "iso"):
        if kind == "iso":
            y, m, d = map(int, s.split("-"))
            return Parsed("DATE", kind, y, m, d)
        if not months or not days:
            return None
        return Parsed("DATE", kind, years[0] if years else None, months[0], days[0])
    if kind == "range":
        if not months or len(days) < 2:
            return None
        m2 = months[1] if len(months) > 1 else months[0]
        return Parsed("DATE", kind, years[0] if years else None, months[0], days[0], m2, days[1])
    if kind in ("monyear", "premonth", "relmonth"):
        if not months:
            return None
        mod = next((w for w in ("early", "late", "mid") if low.startswith(w)), None)
        shift = next((w for w in ("last", "next", "this") if low.startswith(w)), None)
        return Parsed("DATE", kind, years[0] if years else None, months[0], mod=mod, shift=shift)
    if kind == "edge":
        mod = "end" if "end" in low else "mid" if "middle" in low else "start"
        if months:
            return Parsed("DATE", kind, years[0] if years else None, months[0], mod=mod)
        if years:
            return Parsed("DATE", "year", years[0], mod=mod)
        unit = re.search(r"(week|month|year)$", low)
        shift = re.search(r"(this|next|last)\s", low)
        return Parsed("DATE", "relunit", unit=unit and unit.group(1), shift=shift and shift.group(1), mod=mod)
    if kind == "wdweek":
        shift = re.search(r"of\s+(this|next|last)\s+week", low).group(1)
        return Parsed("DATE", kind, weekdays=_weekdays(s), shift=shift)
    if kind in ("relwd", "wd"):
        shift = low.split()[0] if kind == "relwd" else None
        return Parsed("TIME" if re.search(r"morning|afternoon|evening|night", low) else "DATE", kind,
                      weekdays=_weekdays(s), shift=shift)
    if kind == "relunit":
        words = low.split()
        return Parsed("DATE", kind, unit=words[-1], shift=words[0])
    if kind in ("dur", "lastn", "ago", "orn"):
        unit = re.search(_UNIT, low).group()
        nums = [_num(w) for w in re.findall(r"[a-z0-9]+", low) if _num(w) is not None and w not in ("a", "an")]
        n = nums[0] if nums else (1 if re.search(r"\b(a|an)\b", low) and "few" not in low else None)
        if "couple" in low:
            n = 2
        if "few" in low or "several" in low or kind == "orn" or "half" in low:
            n = None
        if kind == "ago":
            return Parsed("DATE", kind, unit=unit, amount=n or 0, shift="ago" if "ago" in low or "earlier" in low else "later")
        return Parsed("DURATION", kind, value=_duration(n, unit))
    if kind == "vaguedur":
        return Parsed("DURATION", kind, value=_duration(None, low.rstrip("s")))
    if kind == "vaguebefore":
        after = re.search(r"after|later|following", low) is not None
        return Parsed("DATE", kind, shift="after" if after else "before")
    if kind == "decade":
        y = int(re.search(r"\d{4}", s).group())
        return Parsed("DATE", kind, year=y, value=str(y)[:3])
    if kind in ("byyear", "year"):
        return Parsed("DATE", kind, years[0], mod="by" if kind == "byyear" else None)
    if kind == "rate":
        return Parsed("SET", kind, value=f"P1{UNITS[re.search(_UNIT, low).group()]}")
    if kind == "set":
        unit = re.search(r"year|month|week|day", low)
        value = SETS.get(low.replace("-", "")) or (f"P1{UNITS[unit.group()]}" if unit else "P1Y")
        if "bi" in low[:2]:
            value = "P6M"
        return Parsed("SET", kind, value=value)
    if kind == "deictic":
        shift = {"yesterday": -1, "tomorrow": 1}.get(low, 0)
        return Parsed("TIME" if "this" in low or low == "tonight" else "DATE", kind, amount=shift)
    if kind == "vague":
        ref = "present" if re.search(r"now|current", low) else "past"
        return Parsed("DATE", kind, shift=ref)
    return None


# ------------------------------------------------------------------ normalising


def iso_day(d: date) -> str:
    return d.isoformat()


def _when(lo: date | None, hi: date | None, value: str | None = ...) -> When:
    if value is ...:
        value = span_value(lo, hi)
    return When(value, lo and lo.isoformat(), hi and hi.isoformat())


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
    for a future date more than ~2 months before)."""
    y = anchor.year
    day = min(day, calendar.monthrange(y, month)[1])
    d = date(y, month, day)
    if tense == "future":
        return y + 1 if d < anchor - timedelta(days=62) else y
    return y - 1 if d > anchor + timedelta(days=62) else y


def absolute(p: Parsed) -> When | None:
    """The When of an expression that needs no anchor (None if it needs one)."""
    if p.type in ("DURATION", "SET"):
        return When(p.value, None, None)
    if p.needs_anchor:
        return None
    return _dated(p, p.year)


def _dated(p: Parsed, y: int) -> When | None:
    try:
        if p.kind in ("mdy", "dmy", "iso"):
            d = date(y, p.month, p.day)
            return _when(d, d)
        if p.kind == "range":
            lo = date(y, p.month, p.day)
            hi = date(y if p.month2 >= p.month else y + 1, p.month2, p.day2)
            return _when(lo, hi) if hi >= lo else None
    except ValueError:
        return None
    if p.kind == "decade":
        return When(p.value, f"{y}-01-01", f"{y + 9}-12-31")
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
        elif tense == "past":
            d = _weekday_before(anchor, wd, strict=False)
        else:  # present or unknown: either side
            return _when(_weekday_before(anchor, wd, False), _weekday_after(anchor, wd, False))
        return _when(d, d)
    if k == "wdweek":
        week = {"this": 0, "next": 7, "last": -7}[p.shift]
        mon = _monday(anchor) + timedelta(days=week)
        return _when(mon + timedelta(days=min(p.weekdays)), mon + timedelta(days=max(p.weekdays)))
    if k == "relunit":
        return _relunit(p, anchor)
    if k == "ago":
        if p.shift == "later":
            return UNKNOWN  # "a week later" counts from the event before it, not from the report (events resolve it)
        days = {"day": 1, "week": 7}.get(p.unit)
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
        return _when(d, d)
    if k in ("vague", "vaguebefore"):
        if p.shift == "present":
            return When(None, anchor.isoformat(), anchor.isoformat())
        if p.shift == "after":
            return When(None, None, None)
        return When(None, None, anchor.isoformat())
    return UNKNOWN


def _relunit(p: Parsed, anchor: date) -> When:
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(p.shift or "", 0)
    unit = p.unit or "week"
    if unit in ("week", "weekend"):
        mon = _monday(anchor) + timedelta(days=7 * step)
        if unit == "weekend":
            return _when(mon + timedelta(days=5), mon + timedelta(days=6))
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
    earliest = [w.earliest for w in keep]
    latest = [w.latest for w in keep]
    e = None if None in earliest else min(earliest)
    l_ = None if None in latest else max(latest)
    if len(values) == 1:
        return When(values.pop(), e, l_)
    value = span_value(date.fromisoformat(e), date.fromisoformat(l_)) if e and l_ else None
    return When(value, e, l_)
