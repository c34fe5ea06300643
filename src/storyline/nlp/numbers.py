"""Pure number, scale, currency and unit parsing for figures (no spaCy).

``find_quantities(text)`` scans plain text once with one compiled regular
expression and yields :class:`Quantity` candidates: a number (digits or
number words) with an optional qualifier before it ("nearly", "north of"), an
optional currency symbol, an optional scale word ("billion", "bn") and an
optional unit after it ("%", "percent", "euros", "minutes"). Vague amounts
("hundreds of billions", "thousands of troops") are never candidates because
they hold no number. Deciding what is a *figure* (not a year, not a date, not
part of a name) is the component's job; this module only reads numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..lexicon.figures import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DURATION_UNITS,
    FRACTION_DENOMINATORS,
    HYPHEN_STOP,
    MEASURE_UNITS,
    MONEY_CUES,
    POUND_WORDS,
    VULGAR_FRACTIONS,
    WEIGHT_CUES,
    WEIGHT_UNIT,
    PERCENT_WORDS,
    QUALIFIERS,
    SCALES,
    WORD_NUMBERS,
)
from ..lexicon.figures import RATE_UNITS

__all__ = [
    "CURRENCY_SYMBOLS",
    "CURRENCY_WORDS",
    "DURATION_UNITS",
    "MEASURE_UNITS",
    "QUALIFIERS",
    "SCALES",
    "UNITS",
    "WORD_NUMBERS",
    "Quantity",
    "find_quantities",
    "parse_number",
    "rate_after",
    "weight_context",
    "RATE_UNITS",
]

UNITS = (
    "percent", "percent_of_gdp", "percentage_points", "USD", "EUR", "GBP", "count", "minutes", "hours", "days",
    "weeks", "months", "years", WEIGHT_UNIT, *sorted(set(MEASURE_UNITS.values())),
)

_word_alt = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_qual_alt = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in sorted(QUALIFIERS, key=len, reverse=True))
_scale_alt = "|".join(sorted(SCALES, key=len, reverse=True))
_cur_words = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_dur_words = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))
_measure_words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(MEASURE_UNITS, key=len, reverse=True))

_vulgar = "".join(VULGAR_FRACTIONS)
_denominators = "|".join(FRACTION_DENOMINATORS)
# a whole number may carry a fraction: "4½", "3 ½", "3 1/2", "2-1/2" (not a date "3 1/2/2009")
_NUMBER = rf"""
    (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
    (?P<frac>\s?[{_vulgar}]|[\s-][1-9]/(?:{_denominators})(?![\d/]))?
  | (?P<words>(?:{_word_alt})(?:[\s-](?:{_word_alt}))*\b)
"""

_PATTERN = re.compile(
    rf"""
    (?<![\w.,:/$€£-])
    (?:(?P<qual>{_qual_alt})\s+)?
    (?P<cur>US\$|\$|€|£)?\s?
    (?:{_NUMBER})
    (?:
        (?P<hyph>\s?-\s?(?P<hword>[A-Za-z]+)\b(?![-‐]))   # "five-year deal", "six - year", "three-game"
      | (?![\w-]*\d)(?![-/:]\w)
        (?:\s?(?P<scale>{_scale_alt})\b)?
        (?:\s?(?P<unit>%|\s(?:percent|per\s+cent|pct)\b|\s(?:percentage\s+points?)\b|\s(?:{_cur_words})\b
           |\s(?:{_dur_words})\b|\s(?:{_measure_words})\b))?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Quantity:
    """One number read from text; offsets are into the scanned string.

    ``number_start``/``number_end`` cover the digits or number words alone,
    ``start``/``end`` the whole figure text without the qualifier (currency,
    scale and unit included), ``qual_start`` the qualifier when present.
    """

    start: int
    end: int
    number_start: int
    number_end: int
    value: float
    unit: str | None  # percent, USD, EUR, GBP, minutes, hours, days, years, or None (a bare count)
    qualifier: str | None
    qual_start: int | None
    words: bool  # the number was written in words
    scaled: bool  # a scale word multiplied it
    joined: str | None = None  # the word joined to the number by a hyphen ("three-game": "game")


def parse_number(text: str) -> float | None:
    """The value of digits ("11,000", "1.28") or number words ("four", "twenty-five",
    "two hundred"), optionally with a scale word ("20 billion", "5bn"); None otherwise."""
    s = text.strip().lower().replace("\u00a0", " ")
    if not s:
        return None
    m = re.fullmatch(rf"(.*?)(?:\s?({_scale_alt}))?", s)
    body, scale = (m.group(1), m.group(2)) if m else (s, None)
    if scale and not body.strip():
        body, scale = s, None
    body = body.strip()
    value: float | None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", body):
        value = float(body.replace(",", ""))
    else:
        value = _words_value(body)
    if value is None:
        return None
    return value * SCALES[scale] if scale else value


def _words_value(body: str) -> float | None:
    parts = [p for p in re.split(r"[\s-]+", body) if p and p != "and"]
    if not parts or any(p not in WORD_NUMBERS for p in parts):
        return None
    total, current = 0, 0
    for p in parts:
        n = WORD_NUMBERS[p]
        if p == "hundred":
            current = max(current, 1) * 100
        elif p == "dozen":
            current = max(current, 1) * 12
        else:
            current += n
    return float(total + current)


def _unit_of(cur: str | None, unit: str | None) -> str | None:
    if unit:
        u = re.sub(r"\s+", " ", unit.strip().lower())
        if u in PERCENT_WORDS:
            return "percent"
        if u in CURRENCY_WORDS:
            return CURRENCY_WORDS[u]
        if u in DURATION_UNITS:
            return DURATION_UNITS[u]
        if u in MEASURE_UNITS:
            return MEASURE_UNITS[u]
        if u.startswith("percentage point"):
            return "percentage_points"
    if cur:
        return CURRENCY_SYMBOLS[cur.upper()]
    return None


def find_quantities(text: str) -> Iterator[Quantity]:
    """Every number in ``text`` with its qualifier, currency, scale and unit."""
    for m in _PATTERN.finditer(text):
        num_start, num_end = (m.start("digits"), m.end("digits")) if m.group("digits") else (m.start("words"), m.end("words"))
        value = parse_number(text[num_start:num_end])
        if value is None:
            continue
        if m.group("frac"):
            part = _fraction(m.group("frac"))
            if part is None:
                continue  # "4 5/4": no mixed number
            value, num_end = value + part, m.end("frac")
        joined = m.group("hword")
        if joined is not None:
            low = joined.lower()
            if low in HYPHEN_STOP:
                continue  # "one-on-one", "17-year-old" is read as an age elsewhere
            if low in SCALES and len(low) > 2:  # "$80-million deal"
                value *= SCALES[low]
                unit = CURRENCY_SYMBOLS[m.group("cur").upper()] if m.group("cur") else None
                yield Quantity(
                    start=m.start("cur") if m.group("cur") else num_start, end=m.end("hword"), number_start=num_start,
                    number_end=num_end, value=value, unit=unit, qualifier=_qual(m),
                    qual_start=m.start("qual") if m.group("qual") else None, words=bool(m.group("words")), scaled=True,
                )
                continue
            unit = DURATION_UNITS.get(low) or MEASURE_UNITS.get(low)
            if low in POUND_WORDS and weight_context(text, num_start, m.end("hword")):
                unit = WEIGHT_UNIT  # "a 6-foot, 200-pound man"
            yield Quantity(
                start=num_start, end=m.end("hword") if unit else num_end, number_start=num_start,
                number_end=num_end, value=value, unit=unit, qualifier=_qual(m), qual_start=m.start("qual") if m.group("qual") else None,
                words=bool(m.group("words")), scaled=False, joined=None if unit else joined,
            )
            continue
        scale = m.group("scale")
        # a bare "m"/"b"/"k" is a scale only glued to the number or after a currency
        if scale and scale.lower() in ("m", "b", "k") and not m.group("cur"):
            scale = None
        if scale:
            value *= SCALES[scale.lower()]
        unit = _unit_of(m.group("cur"), m.group("unit"))
        if (
            unit == "GBP" and not m.group("cur") and m.group("unit").strip().lower() in POUND_WORDS
            and weight_context(text, num_start, m.end())
        ):
            unit = WEIGHT_UNIT  # "weighing 130 pounds"
        start = m.start("cur") if m.group("cur") else num_start
        end = m.end()
        if m.group("scale") and not scale:  # dropped a bare letter scale
            end = num_end
        elif not m.group("unit") and scale:
            end = m.end("scale")
        elif not m.group("unit"):
            end = num_end
        if end < len(text) and text[end].isalnum():  # "5G", "1st", "3D"
            continue
        qual = m.group("qual")
        yield Quantity(
            start=start,
            end=end,
            number_start=num_start,
            number_end=num_end,
            value=value,
            unit=unit,
            qualifier=re.sub(r"\s+", " ", qual.lower()) if qual else None,
            qual_start=m.start("qual") if qual else None,
            words=bool(m.group("words")),
            scaled=bool(scale),
        )


def _fraction(frac: str) -> float | None:
    """The value of a fraction after a whole number ("½", " 1/2"); None when not below one."""
    frac = frac.lstrip("-").strip().lstrip("-")  # any space before it: " ½", "\u2009½", "-1/2"
    if frac in VULGAR_FRACTIONS:
        return VULGAR_FRACTIONS[frac]
    top, bottom = (int(x) for x in frac.split("/"))
    return top / bottom if top < bottom else None


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_CUE_WORD = re.compile(r"[A-Za-z]+|[£$€]")
WEIGHT_WINDOW = (80, 40)  # characters before and after "N pounds" searched for cues, within its sentence


def weight_context(text: str, start: int, end: int) -> bool:
    """Whether "N pound(s)" at ``start:end`` is a weight: a weight cue ("weighing", "tall", "kg")
    near it in its sentence and no money cue ("£", "sterling", "euros", "worth")."""
    before = text[max(0, start - WEIGHT_WINDOW[0]) : start]
    after = text[end : end + WEIGHT_WINDOW[1]]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    stop = _SENTENCE_END.search(after)
    if stop:
        after = after[: stop.start()]
    words = {w.lower() for w in _CUE_WORD.findall(before + " " + after)}
    return bool(words & WEIGHT_CUES) and not words & MONEY_CUES


def _qual(m) -> str | None:
    qual = m.group("qual")
    return re.sub(r"\s+", " ", qual.lower()) if qual else None


_RATE = re.compile(rf"\s*(?:a|an|per|each|every)\s+({'|'.join(RATE_UNITS)})\b", re.IGNORECASE)


def rate_after(text: str, end: int) -> tuple[int, int, str] | None:
    """A rate right after a figure ending at ``end`` ("€40 million a day",
    "5 percent per year"): (start, end, unit) with the unit singular, else None."""
    m = _RATE.match(text, end)
    if m is None:
        return None
    start = end + len(m.group(0)) - len(m.group(0).lstrip())
    return start, m.end(), m.group(1).lower()
