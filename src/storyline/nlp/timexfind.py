"""Temporal expressions found and parsed as pure rules (no spaCy, no anchor day).

:func:`find_candidates` lists every expression the patterns see, left to right, with its kind;
:func:`parse` turns one into a :class:`Parsed` (what it says before an anchor is applied).
Normalising against an anchor is :mod:`storyline.nlp.timex`. Word tables (months, weekdays,
number words, seasons, parts of the day, vague references) come from :mod:`storyline.lexicon.times`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon.times import (
    DAY_PARTS, MONTH_ABBREVIATIONS, MONTH_NAMES, MONTHS, NUMBER_WORDS, ORDINALS, REF_WORDS, SCALES, SEASONS, SET_WORDS, TENS, UNIT_CODES, WEEKDAY_NAMES, WEEKDAYS,
)
from ..lexicon.times import YEAR_PREPOSITIONS as _YEAR_WORD_PREPS
from .rxstarts import starts_lookahead
from ..lexicon.times import NOT_YEAR_AFTER as _RATE_WORDS

__all__ = ["Parsed", "find_candidates", "parse", "number", "word_year"]

_MON = "(?:" + "|".join((*MONTH_NAMES, *(rf"{a}\." for a in MONTH_ABBREVIATIONS))) + ")"
_WD = "(?:" + "|".join(WEEKDAY_NAMES) + ")"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_UNITW = "(?:" + "|".join(w for w, n in NUMBER_WORDS.items() if 1 <= n <= 9 and len(w) > 2 and w != "couple") + ")"
_TEENW = "(?:" + "|".join(w for w, n in NUMBER_WORDS.items() if 10 <= n <= 19) + ")"
_TENW = "(?:" + "|".join(TENS) + ")"
_NUMW = (rf"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s+(?:hundred|thousand)"
         rf"|{_TENW}(?:[\s-]{_UNITW})?|{_TEENW}|{_UNITW})")
# a year in words, as broadcast transcripts write it: "nineteen ninety-six", "two thousand"
_YW = rf"(?:(?:nineteen|eighteen)[\s-]+(?:{_TENW}(?:[\s-]{_UNITW})?|{_TEENW}|hundred)|two\s+thousand(?:\s+(?:and\s+)?{_UNITW})?)"
_Y = r"(?:1[89]\d\d|20\d\d)"
_YA = rf"(?:{_Y}|{_YW})"
_NUM = rf"(?:\d{{1,3}}(?:\s+1/2)?|{_NUMW}|a|an)"
_QUANT = r"(?:\b(?:approximately|about|around|nearly|almost|roughly|some|just|at\s+least|more\s+than|over|up\s+to|less\s+than|under|no\s+more\s+than)\s+)?"
_UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))"
_NOYEAR = r"(?![\d%]|,?\s*" + _Y + r"\b)"
_AFTER = r"(?!\d)(?![.,]\d)(?!\s*(?:%|percent|per\s+cent|million|billion))"
_PART = r"(?:morning|afternoon|evening|night)"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_CLOCK = r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)(?:\s+(?:EST|EDT|PST|PDT|GMT|local\s+time))?|noon|midnight)"
_ALTS = (
    # most specific first: at each position the first alternative that matches wins
    # a range within one month ("February 14 to 16"); across months each end is a date of its own
    ("range", rf"{_MON}\s+{_D}\s*(?:-|–|to|through|until)\s*{_D}(?:,?\s+{_Y})?\b(?!\s+{_MON})"),
    ("clock", rf"(?:(?:around|about|at)\s+)?{_CLOCK}(?:,?\s+(?:{_WD}|today|yesterday|tomorrow|{_MON}\s+{_D}))?"),
    ("wdweek", rf"{_WD}(?:\s+and\s+{_WD})?\s+of\s+(?:this|next|last)\s+week"),
    ("edge", rf"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:{_MON}(?:,?\s+{_YA})?|{_YA}|(?:this|next|last|the)\s+(?:week|month|year))"),
    ("mdy", rf"(?:{_WD},?\s+)?{_MON}\s+{_D}(?:,?\s+{_Y})?\b"),
    ("dmy", rf"\b{_D}\s+{_MON}(?:,?\s+{_Y})?\b"),
    ("iso", rf"\b{_Y}-[01]\d-[0-3]\d\b"),
    ("monyear", rf"(?:(?:early|late|mid)[-\s]+)?{_MON}(?:\s+of)?\s+{_YA}\b"),
    ("monrel", rf"{_MON}\s+(?:this|last|next)\s+year"),
    ("relmonth", rf"(?:(?:last|next|this|early|late|mid)[-\s]+){_MON}{_NOYEAR}"),
    ("premonth", rf"{_MON}{_NOYEAR}"),  # kept only after a preposition (see _PREP)
    ("quarter", rf"(?:(?:the|this|that|its|last|next)\s+)?(?:(?:{_Y}|this\s+year's|last\s+year's|next\s+year's|current|"
                rf"latest|comparable|corresponding|year[\s-](?:ago|earlier)|fiscal|flat)[\s-]+){{0,3}}"
                rf"(?:{_ORD}(?:[\s-]+fiscal)?[\s-]+)?quarter(?![\w-])(?:\s+of\s+(?:fiscal\s+)?{_Y})?(?:\s+a\s+year\s+(?:ago|earlier))?"),
    ("qref", rf"(?:the\s+)?(?:comparable\s+|corresponding\s+)?(?:year[\s-](?:ago|earlier)|latest|{_Y})\s+period"
             rf"|\byear[\s-](?:ago|earlier)\b"),
    ("season", rf"(?:(?:this|last|next|the|that|early|late|mid|past|coming)[\s-]+){{1,3}}{_SEASON}(?:\s+of\s+{_YA})?(?!\s+of\b)"
               rf"|{_SEASON}\s+(?:of\s+)?{_YA}\b"),
    # "Friday night" is the day (the part of it stays outside, as TimeBank and AQUAINT mostly mark it:
    # 16 of about 30 weekday-and-part phrases there are the day alone; our held-out gold marks the day)
    ("relwd", rf"(?:last|next|this|coming|past)\s+{_WD}"),
    ("wd", rf"{_WD}"),
    ("weekend", r"(?:the|this|last|next|past|coming)\s+weekend"),
    ("fyear", r"the\s+(?:full|current|fiscal|current\s+fiscal)\s+year\b(?!\s+(?:ended|ending|earlier|ago)\b)"),
    ("relunit", r"(?:earlier|later)\s+this\s+(?:week|month|year)"
                r"|(?:this|last|next|past|coming)\s+(?:week|month|year)(?!\s+(?:or|and)\b)(?![\w-])"),
    ("ago", rf"{_QUANT}{_NUM}\s+{_UNIT}s?\s+(?:or\s+so\s+)?(?:ago|earlier|later)"),
    ("lastn", rf"(?:the\s+)?(?:last|past|next|coming|previous|following|first)\s+"
              rf"(?:(?:couple|few)\s+(?:of\s+)?|several\s+|{_NUM}\s+)?{_UNIT}s"),
    ("orn", rf"\b{_NUM}\s+{_UNIT}s?\s+or\s+{_NUM}(?:\s+{_UNIT}s?)?\b"),
    ("dur", rf"{_QUANT}\b(?:{_NUM}|a\s+few|a\s+couple\s+of|several)(?:[\s-]+and[\s-]+a[\s-]+half)?(?:\s+(?:more|trading|business))?[\s-]+{_UNIT}s?"
            r"(?![\w-])(?!\s+(?:old|of)\b)"),
    ("vaguebefore", r"(?:(?:just|only|mere)\s+)?(?:hours|days|weeks|months)\s+(?:before|after|earlier|later)\b"
                    r"|the\s+(?:days|weeks|months|hours)\s+(?:leading\s+up\s+to|before|after|following)\b"),
    ("vaguedur", r"(?:decades|years|months|weeks|days|hours|centuries)\b"),  # kept only after a preposition
    ("century", r"(?:the\s+)?\b(?:1\d|20|[1-9])(?:st|nd|rd|th)[\s-]century\b"),
    ("decade", r"(?:the\s+)?\b(?:1[89]|20)\d0s\b|the\s+(?:nineteen[\s-])?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b"),
    ("byyear", rf"\bby\s+(?:the\s+year\s+)?{_YA}{_AFTER}"),
    ("wyear", rf"(?:the\s+year\s+)?{_YW}\b(?!\s*(?:percent|dollars|people|million|billion|times))"),
    ("year", rf"(?<![\d$€£.,])\b{_Y}{_AFTER}"),  # kept only after a preposition
    ("set", rf"\b(?:annual|annually|yearly|monthly|weekly|bi-?annual|hourly|nightly|daily"
            rf"|(?:every|each)\s+(?:year|month|week|day|quarter|{_WD}|{_MON}))\b"),
    ("daypart", rf"(?:(?:later|earlier)\s+)?(?:this|yesterday|tomorrow|last)\s+{_PART}|tonight|mid[\s-]?afternoon(?:\s+yesterday)?"),
    ("deictic", r"\b(?:today|yesterday|tomorrow)\b"),
    ("ref", r"\b(?:right\s+now|at\s+present|these\s+days|nowadays|now|currently|(?:more\s+)?recently|lately"
            r"|recent\s+(?:years|months|weeks|days|times|quarters)"
            r"|the\s+(?:near\s+|distant\s+)?future(?!\s+of\b)|the\s+(?:near|short|long)\s+term|the\s+past(?!\s+(?:few|several|couple|\d"
            r"|\w+\s+(?:years|months|weeks|days|quarters|summers|decades)|year|month|week|decade|quarter|weekend|century)\b)"
            r"|a\s+later\s+date)\b"),
)
_TIME = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in _ALTS) + ")", re.IGNORECASE)
# where a word starts and its first three characters can start some alternative (a quarter of them)
_WORD_START = re.compile(r"\b(?=\w)" + starts_lookahead(_TIME, 3), re.IGNORECASE)


def _time_matches(text: str):
    """The matches ``_TIME.finditer(text)`` gives, tried only where a word starts: every
    alternative begins with a word character (tested), so no match starts elsewhere, and
    each try at a word's end, which ``finditer`` makes, fails on all of them (half the cost).
    Of the word starts, only those whose first characters some alternative allows
    (:func:`storyline.nlp.rxstarts.starts_lookahead`) are tried: a third of the cost again."""
    pos = 0
    match = _TIME.match
    for w in _WORD_START.finditer(text):
        p = w.start()
        if p < pos:
            continue
        m = match(text, p)
        if m is not None:
            yield m
            pos = max(m.end(), p + 1)
# words that must precede a bare month, year or plural unit for it to count as a time
_PREP = {
    "premonth": {"in", "by", "since", "until", "till", "during", "from", "through", "of", "before", "after", "to",
                 "between", "and", "early", "late", "mid", "for"},
    "year": {"in", "since", "until", "till", "during", "from", "through", "of", "before", "after", "to",
             "between", "and", "early", "late", "mid", "for", "throughout", "fiscal", "both", "into", "the"},
    "vaguedur": {"for", "after", "over", "within", "of", "in"},
}
_ARTICLE_UNIT = re.compile(rf"an?\s+{_UNIT}", re.IGNORECASE)
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")


@dataclass(frozen=True)
class Parsed:
    """What an expression says, before any anchor is applied."""

    type: str  # DATE, TIME, DURATION, SET
    kind: str  # pattern group: mdy, range, wd, relunit, dur, ref, quarter, season, ...
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month2: int | None = None
    day2: int | None = None
    weekdays: tuple[int, ...] = ()
    shift: str | None = None  # last, next, this, earlier, later, ...
    unit: str | None = None  # week, month, year (relunit)
    value: str | None = None  # fixed value: durations, sets, vague references
    mod: str | None = None  # end, start, mid, by, early, late
    amount: int = 0  # ago: how many units; quarter: which quarter (0 = the one in context)
    part: str | None = None  # part of the day (TIMEX3 code MO, AF, EV, NI) or a clock time "19:15"

    @property
    def needs_anchor(self) -> bool:
        if self.type in ("DURATION", "SET"):
            return False
        if self.kind in ("decade", "byyear", "year", "wyear", "century"):
            return False
        if self.kind == "quarter" and self.amount == 0:
            return True  # "the 1989 period": which quarter is the one named before it
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
    for m in _time_matches(text):
        kind = m.lastgroup or ""
        low = m.group().lower()
        if not _word_case_ok(m.group(), all_caps) or (kind == "quarter" and low == "quarter"):
            continue  # a lower-case month or weekday name; "a quarter of" is a share
        if kind == "set" and m.group()[0].isupper() and not all_caps and not _sentence_start(text, m.start()):
            continue  # "the Marovia Daily": a name
        if kind == "season" and re.fullmatch(r"the\s+(?:fall|spring|autumn)", low):
            prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
            if prev is None or prev.group(1).lower() not in _PREP["year"]:
                continue  # "the fall in prices" is no season
        if kind == "wyear" and low.startswith("two"):
            prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
            if not low.startswith("the") and (prev is None or prev.group(1).lower() not in _YEAR_WORD_PREPS):
                continue  # "two thousand troops"
        if kind in _PREP:
            prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
            if prev is None or prev.group(1).lower() not in _PREP[kind]:
                continue
        if kind == "dur" and _ARTICLE_UNIT.fullmatch(m.group()):
            if low.endswith(("second", "quarter")):
                continue  # "a second round" is an ordinal, "a quarter of" a share
            prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
            before = text[max(0, m.start() - 3) : m.start()].strip()
            if (prev and prev.group(1).lower() in _RATE_WORDS) or (before and before[-1] in "0123456789%"):
                kind = "rate"  # "€40 million a day", "twice a week": a frequency
        out.append((m.start(), m.end(), kind))
    return out


def _sentence_start(text: str, i: int) -> bool:
    before = text[max(0, i - 3) : i].strip()
    return not before or before[-1] in ".!?\"'\u201c\n:"


# ------------------------------------------------------------------ parsing


def number(s: str) -> int | None:
    """The value of a number in digits or words ("24", "twenty four", "a hundred", "two thousand")."""
    s = s.lower().replace("-", " ").strip()
    if s.isdigit():
        return int(s)
    total = cur = 0
    seen = False
    for w in s.split():
        if w in ("and",):
            continue
        if w in NUMBER_WORDS and w != "couple":
            cur += NUMBER_WORDS[w]
        elif w in TENS:
            cur += TENS[w]
        elif w in SCALES:
            cur = max(cur, 1) * SCALES[w]
            total, cur = total + cur, 0
        else:
            return None
        seen = True
    return total + cur if seen else None


def word_year(s: str) -> int | None:
    """A year written in words: "nineteen ninety-six" 1996, "two thousand" 2000."""
    words = s.lower().replace("-", " ").split()
    if words[:2] == ["the", "year"]:
        words = words[2:]
    if not words:
        return None
    if words[0] in ("nineteen", "eighteen"):
        rest = number(" ".join(words[1:])) if len(words) > 1 else None
        if len(words) > 1 and words[1] == "hundred":
            return NUMBER_WORDS[words[0]] * 100
        return NUMBER_WORDS[words[0]] * 100 + rest if rest is not None and rest < 100 else None
    n = number(" ".join(words))
    return n if n is not None and 1800 <= n <= 2099 else None


def _month(w: str) -> int | None:
    return MONTHS.get(w.lower().rstrip("."))


def _years(s: str) -> list[int]:
    found = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", s)]
    for m in re.finditer(_YW, s, re.IGNORECASE):
        y = word_year(m.group())
        if y is not None:
            found.append(y)
    return found


def _days(s: str) -> list[int]:
    return [int(d) for d in re.findall(r"\b([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b", s)]


def _months(s: str) -> list[int]:
    return [m for m in (_month(w) for w in re.findall(r"[A-Za-z]+\.?", s)) if m]


def _weekdays(s: str) -> tuple[int, ...]:
    return tuple(WEEKDAYS[w.lower()] for w in re.findall(r"[A-Za-z]+", s) if w.lower() in WEEKDAYS)


def _duration(n: int | None, unit: str, half: bool = False) -> str:
    if unit == "decade" and n is not None:
        n, unit = n * 10, "year"  # "two decades" is P20Y, as TimeML writes it
    code = UNIT_CODES[unit]
    amount = "X" if n is None else str(n)
    if half and n is not None:
        halves = {"year": f"{n}Y6M", "day": f"{n}DT12H", "hour": f"{n}H30M", "minute": f"{n}M30S"}
        if unit in halves:
            return ("PT" if unit in ("hour", "minute") else "P") + halves[unit]
    return f"PT{amount}{code}" if unit in ("second", "minute", "hour") else f"P{amount}{code}"


def _part(low: str) -> str | None:
    for w, code in DAY_PARTS.items():
        if re.search(rf"\b{w}", low):
            return code
    return None


def _clock(low: str) -> str | None:
    m = re.search(r"(\d{1,2})(?::(\d\d))?\s*(a\.m\.|p\.m\.|am|pm)", low)
    if m:
        h, mi = int(m.group(1)) % 12, int(m.group(2) or 0)
        h += 12 if m.group(3).startswith("p") else 0
        return f"{h:02d}:{mi:02d}"
    if "noon" in low:
        return "12:00"
    if "midnight" in low:
        return "24:00"
    return None


def _unit_of(low: str) -> str:
    um = re.search(_UNIT, low)
    assert um is not None  # the candidate's kind says a unit word is there
    unit = um.group()
    return "century" if unit.startswith("centur") else unit


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
    if kind == "clock":
        md = re.search(rf"({_MON})\s+({_D})", s, re.IGNORECASE)
        if md:
            return Parsed("TIME", "mdy", years[0] if years else None, _month(md.group(1)), _days(md.group(2))[0], part=_clock(low))
        if _weekdays(s):
            return Parsed("TIME", "wd", weekdays=_weekdays(s), part=_clock(low))
        return Parsed("TIME", "deictic", amount={"yesterday": -1, "tomorrow": 1}.get(low.split()[-1], 0), part=_clock(low))
    if kind in ("monyear", "premonth", "relmonth"):
        if not months:
            return None
        mod = next((w for w in ("early", "late", "mid") if low.startswith(w)), None)
        shift = next((w for w in ("last", "next", "this") if low.startswith(w)), None)
        return Parsed("DATE", kind, years[0] if years else None, months[0], mod=mod, shift=shift)
    if kind == "monrel":
        return Parsed("DATE", "relmonth", None, months[0], shift="year-" + low.split()[1])
    if kind == "edge":
        mod = "end" if "end" in low else "mid" if "middle" in low else "start"
        if months:
            return Parsed("DATE", kind, years[0] if years else None, months[0], mod=mod)
        if years:
            return Parsed("DATE", "year", years[0], mod=mod)
        unit_m = re.search(r"(week|month|year)$", low)
        shift_m = re.search(r"(this|next|last|the)\s", low)
        return Parsed("DATE", "relunit", unit=unit_m and unit_m.group(1), shift=shift_m and shift_m.group(1), mod=mod)
    if kind == "quarter":
        q = next((n for w, n in ORDINALS.items() if n <= 4 and re.search(rf"\b{w}\b", low)), 0)
        rel = ("yearago" if re.search(r"year[\s-](?:ago|earlier)|a year (?:ago|earlier)", low)
               else next((w for w in ("last year's", "next year's", "this year's") if w in low), None)
               or next((w for w in ("this", "last", "next", "current", "latest") if re.match(rf"(?:the\s+)?{w}\b", low)), None))
        return Parsed("DATE", kind, years[0] if years else None, shift=rel, amount=q)
    if kind == "qref":
        rel = "yearago" if re.search(r"year[\s-](?:ago|earlier)", low) else "latest" if "latest" in low else None
        if not low.endswith("period"):  # "year-ago results": the year before
            return Parsed("DATE", "ago", unit="year", amount=1, shift="ago")
        return Parsed("DATE", "quarter", years[0] if years else None, shift=rel, amount=0)
    if kind == "season":
        season_m = re.search(_SEASON, low)
        assert season_m is not None  # kind "season" was found by this pattern
        name = season_m.group()
        mod = next((w for w in ("early", "late", "mid") if re.search(rf"\b{w}\b", low)), None)
        shift = next((w for w in ("last", "next", "this", "past", "coming") if re.search(rf"\b{w}\b", low)), None)
        return Parsed("DATE", kind, years[0] if years else None, shift=shift, mod=mod, value=SEASONS[name][0])
    if kind == "wdweek":
        week_m = re.search(r"of\s+(this|next|last)\s+week", low)
        assert week_m is not None  # kind "wdweek" was found by this pattern
        shift = week_m.group(1)
        return Parsed("DATE", kind, weekdays=_weekdays(s), shift=shift)
    if kind in ("relwd", "wd"):
        shift = low.split()[0] if kind == "relwd" else None
        part = _part(low)
        return Parsed("TIME" if part else "DATE", kind, weekdays=_weekdays(s), shift=shift, part=part)
    if kind == "fyear":
        return Parsed("DATE", "relunit", unit="year", shift="this")
    if kind == "weekend":
        return Parsed("DATE", "relunit", unit="weekend", shift=low.split()[0])
    if kind == "relunit":
        words = low.split()
        return Parsed("DATE", kind, unit=words[-1], shift=words[0])
    if kind in ("dur", "lastn", "ago", "orn"):
        unit = _unit_of(low)
        numtext = re.sub(rf"\b(?:{_UNIT}s?|ago|earlier|later|or|so|the|last|past|next|coming|previous|following|first|trading|business|"
                         r"approximately|about|around|nearly|almost|roughly|some|just|at|least|more|than|over|up|to|"
                         r"less|under|no|and|half|few|several|couple|of|a|an)\b|1/2", " ", low)
        n = number(numtext) if numtext.strip() else None
        if n is None and re.search(r"\b(a|an)\b", low) and "few" not in low:
            n = 1
        if "couple" in low:
            n = 2
        if "few" in low or "several" in low or kind == "orn":
            n = None
        half = "half" in low or "1/2" in low
        if kind == "ago" and not low.endswith("later"):
            return Parsed("DATE", kind, unit=unit, amount=n or 0, shift="ago")
        # "three days later" counts from the event told before, not from the report: a length of time
        # (events date it from that event: storyline.nlp.eventdates.after_previous)
        return Parsed("DURATION", kind, value=_duration(n, unit, half))
    if kind == "vaguedur":
        unit = low.rstrip("s")
        return Parsed("DURATION", kind, value="PXC" if unit.startswith("centur") else _duration(None, unit))
    if kind == "vaguebefore":
        after = re.search(r"after|later|following", low) is not None
        return Parsed("DATE", kind, shift="after" if after else "before")
    if kind == "decade":
        digits = re.search(r"\d{4}", s)
        if digits:
            y = int(digits.group())
        else:
            tens = re.search(r"(\w+)ies\b", low)
            assert tens is not None  # a decade in words ("the nineties")
            y = 1900 + TENS[tens.group(1) + "y"]
        return Parsed("DATE", kind, year=y, value=str(y)[:3])
    if kind == "century":
        cent = re.search(r"\d+", low)
        assert cent is not None  # kind "century" is found with its number
        n = int(cent.group())
        return Parsed("DATE", kind, year=(n - 1) * 100, value=f"{n - 1:02d}")
    if kind in ("byyear", "year", "wyear"):
        if not years:
            return None
        return Parsed("DATE", "year" if kind == "wyear" else kind, years[0], mod="by" if kind == "byyear" else None)
    if kind == "rate":
        return Parsed("SET", kind, value=f"P1{UNIT_CODES[_unit_of(low)]}")
    if kind == "set":
        return _set(low, s)
    if kind == "daypart":
        offset = -1 if "yesterday" in low or low.startswith("last") else 1 if "tomorrow" in low else 0
        return Parsed("TIME", "deictic", amount=offset, part=_part(low) or "NI")
    if kind == "deictic":
        return Parsed("DATE", kind, amount={"yesterday": -1, "tomorrow": 1}.get(low, 0))
    if kind == "ref":
        key = " ".join(low.split())
        key = "recently" if key == "more recently" else key
        value = REF_WORDS.get(key) or REF_WORDS.get(key.split()[0]) or "PAST_REF"
        return Parsed("DATE", "ref", value=value, shift={"PRESENT_REF": "present", "FUTURE_REF": "after"}.get(value, "past"))
    return None


def _set(low: str, s: str) -> Parsed:
    wd = _weekdays(s)
    if wd:
        return Parsed("SET", "set", value=f"XXXX-WXX-{wd[0] + 1}")
    months = _months(s)
    if months:
        return Parsed("SET", "set", value=f"XXXX-{months[0]:02d}")
    unit = re.search(r"year|month|week|day|quarter", low)
    value = SET_WORDS.get(low.replace("-", "")) or (f"P1{UNIT_CODES[unit.group()]}" if unit else "P1Y")
    if low.startswith("bi"):
        value = "P6M"
    return Parsed("SET", "set", value=value)
