"""Publication dates ingest can read without NLP: metadata values, date lines, datelines.

Only explicit calendar dates count; a date without a year stays unknown
(``Unknown beats wrong``). All patterns are anchored and bounded, so they run
in linear time on any line.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from ..lexicon.times import MONTHS
from ..model import UNKNOWN, When

__all__ = ["day", "parse_date", "DateLine", "date_line", "Dateline", "find_dateline"]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"

_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ][\d:.]{2,15}(?:Z|[+-]\d{2}:?\d{2})?)?")
_MDY = re.compile(rf"(?:[A-Z][a-z]{{2,8}},?\s+)?({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", re.I)
_DMY = re.compile(rf"(?:[A-Z][a-z]{{2,8}},?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})(?:,?\s+(\d{{4}}))?", re.I)
_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


# plausible publication times as epoch numbers: 1990-01-01 up to 2100-01-01
_EPOCH_S = (631_152_000, 4_102_444_800)
_EPOCH_MS = (_EPOCH_S[0] * 1000, _EPOCH_S[1] * 1000)


def day(d: date) -> When:
    iso = d.isoformat()
    return When(iso, iso, iso)


def _month(year: int, month: int) -> When:
    last = calendar.monthrange(year, month)[1]
    return When(f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}")


def _ymd(year: int, month: int, dom: int | None) -> When | None:
    if not (1000 <= year <= 2999 and 1 <= month <= 12):
        return None
    if dom is None:
        return _month(year, month)
    try:
        return day(date(year, month, dom))
    except ValueError:
        return None


def _match_when(m: re.Match, order: str) -> When | None:
    """A When from an _MDY/_DMY match; None when the year is missing or the date is impossible."""
    if order == "mdy":
        mon, dom, year = m.group(1), m.group(2), m.group(3)
    else:
        dom, mon, year = m.group(1), m.group(2), m.group(3)
    month = MONTHS.get(mon.lower().rstrip(".")) or MONTHS.get(mon.lower()[:3])
    if not year or not month:
        return None
    return _ymd(int(year), month, int(dom))


def parse_date(value: object) -> When | None:
    """A metadata value (ISO string, ``April 3, 2025``, ``3 April 2025``, epoch seconds) as a When."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if _EPOCH_MS[0] <= value < _EPOCH_MS[1]:  # epoch milliseconds (JavaScript's Date.now())
            value = value / 1000
        if _EPOCH_S[0] <= value < _EPOCH_S[1]:  # 12345 is not a publication date: unknown beats 1970-01-01
            return day(datetime.fromtimestamp(value, tz=timezone.utc).date())
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()[:80]
    m = _ISO.fullmatch(text) or _SLASH.fullmatch(text)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
    for rx, order in ((_MDY, "mdy"), (_DMY, "dmy")):
        m = rx.match(text)
        if m:
            return _match_when(m, order)
    return None


# ------------------------------------------------------------------ date lines

_DATE_LINE = re.compile(
    r"\s*(?:date[d]?|published(?:\s+on)?|posted(?:\s+on)?|updated)\s*[:\s]\s*"
    rf"(\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:T[\d:.]{{2,15}}(?:Z|[+-]\d{{2}}:?\d{{2}})?)?|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
    r"(?=\s|$)[ \t]*",
    re.I,
)


@dataclass(frozen=True)
class DateLine:
    when: When
    rest: str  # what follows the date on the same line (often the headline)


def date_line(line: str) -> DateLine | None:
    """``date 2025-04-03 Headline`` / ``Published: April 3, 2025`` at the start of a line."""
    if len(line) > 2000:
        line = line[:2000]
    m = _DATE_LINE.match(line)
    if not m:
        return None
    when = parse_date(m.group(1))
    if when is None:
        return None
    return DateLine(when, line[m.end() :].strip())


# ------------------------------------------------------------------ datelines

_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-]{1,24}(?: [A-Z][A-Z'’.\-]{1,24}){0,3}(?:, [A-Z][A-Za-z'’.\-]{1,24}(?: [A-Z][A-Za-z'’.\-]{1,24}){0,2})?)"
    rf"(?:,\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?))?"
    r"(?:\s+\((?P<agency>[A-Za-z][\w .&'’-]{0,30})\))?"
    r"\s*(?P<dash>[-–—]{1,2})\s+"
)


@dataclass(frozen=True)
class Dateline:
    place: str
    when: When  # UNKNOWN when the dateline gives no full date
    date_span: tuple[int, int] | None  # offsets of the date within the paragraph
    end: int  # where the dateline ends in the paragraph


def find_dateline(paragraph: str) -> Dateline | None:
    """``BRUSSELS, April 3 (Reuters) -`` at the start of a paragraph; the place must be in capitals."""
    m = _DATELINE.match(paragraph[:200])
    if not m:
        return None
    place = m.group("place").strip()
    head = place.split(",")[0]
    if not head.isupper() or sum(c.isalpha() for c in head) < 2:
        return None
    if m.group("date") is None and m.group("agency") is None and m.group("dash") == "-":
        return None  # "NATO - the alliance": a bare hyphen after a capitalised word is no dateline
    when, span = UNKNOWN, None
    if m.group("date"):
        span = m.span("date")
        text = m.group("date")
        for rx, order in ((_MDY, "mdy"), (_DMY, "dmy")):
            mm = rx.fullmatch(text)
            if mm:
                when = _match_when(mm, order) or UNKNOWN
                break
    return Dateline(place, when, span if when.known else None, m.end())
