"""Words for people: counts with agreeing plurals, figures as people write them ("$150 million", "8,000 people")
and dates in words ("8 March 2025"), for the brief and every view (one home)."""

from __future__ import annotations

import calendar
import re

from ..model import When

__all__ = ["plural", "value_words", "date_words", "dates_words", "day_of", "says_day"]


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 source", "2 sources", "1 story", "3 stories" (``many`` for irregular plurals)."""
    if n == 1:
        return f"1 {word}"
    if many is None:
        many = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{n:,} {many}"

_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))

def _number_words(value: float) -> str:
    """12000 -> "12,000"; 150000000 -> "150 million"; 2.5 -> "2.5"."""
    for size, word in _SCALES:
        if abs(value) >= size:
            v = value / size
            return (f"{int(v):,}" if v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")) + f" {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")

def value_words(value: float | int | str | None, unit: str | None = None, about: str | None = None) -> str | None:
    """A figure as people write it: "$150 million", "8,000 people", "30%", "3 years"; None when no value.

    A count names what it counts when ``about`` is one word ("12,000 farmers"). A string value
    "150000000.0 USD" (a conflict's side) is read as number and unit."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and unit is None:
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z%]+)?\s*", value)
        if not m:
            return date_words(value) if re.fullmatch(r"\d{4}(-\d\d){0,2}", value.strip()) else value
        value, unit = m[1], m[2]
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    unit = (unit or "").strip()
    n = _number_words(v)
    if unit in _CURRENCY:
        return _CURRENCY[unit] + n
    if unit.lower() in ("percent", "%", "per cent"):
        return f"{n}%"
    if unit.lower() in ("count", ""):
        noun = (about or "").strip()
        return f"{n} {noun}" if noun and noun.isalpha() else n
    if len(unit) == 3 and unit.isupper():  # another currency code
        return f"{n} {unit}"
    word = unit[:-1] if v == 1 and unit.endswith("s") else unit
    return f"{n} {word}"

def date_words(value: str | None) -> str | None:
    """"2025-03-08" -> "8 March 2025"; "2025-03" -> "March 2025"; "2025" -> "2025"; None otherwise."""
    v = (value or "").strip()
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", v):
        return f"{int(m[3])} {calendar.month_name[int(m[2])]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
        return f"{calendar.month_name[int(m[2])]} {m[1]}"
    if re.fullmatch(r"\d{4}", v):
        return v
    return None

def dates_words(earliest: str | None, latest: str | None) -> str | None:
    """A story's span in words: "8 March 2025", "8–22 March 2025", "28 March – 2 April 2025"."""
    a, b = date_words(earliest), date_words(latest)
    if not a or not b or a == b:
        return a or b
    pa, pb = a.split(" "), b.split(" ")
    if len(pa) == len(pb) == 3 and pa[2] == pb[2]:
        return f"{pa[0]}–{b}" if pa[1] == pb[1] else f"{pa[0]} {pa[1]} – {b}"
    return f"{a} – {b}"

def day_of(when: When | None) -> str | None:
    """The event's day or month when the value says one (never a range's guess)."""
    if when is None:
        return None
    v = when.value or when.exact_day or ""
    return v if re.fullmatch(r"\d{4}-\d\d(-\d\d)?", v) else None

def says_day(text: str, day: str) -> bool:
    """True when ``text`` names ``day`` (an ISO day) itself: "March 30", "30 March", "Feb. 22"."""
    m = re.fullmatch(r"\d{4}-(\d\d)-(\d\d)", day)
    if not m:
        return False
    month, d = calendar.month_name[int(m[1])], int(m[2])
    name = rf"(?:{month}|{month[:3]}\.?)"
    return bool(re.search(rf"\b{name}\s+{d}(?:st|nd|rd|th)?\b|\b{d}(?:st|nd|rd|th)?\s+(?:of\s+)?{name}\b", text))
