"""Values as people read them: citations, dates and ranges, derived titles, short source names, outlets.

Pure functions of model values and rows; the other view modules and the pages share them.
"""

from __future__ import annotations

import re

from ..model import Span, When
from ..resolve.words import date_words as value_date_words  # "8 March 2025": one home

__all__ = ["cite", "span_row", "precision", "when_row", "date_words", "date_text", "is_plain_fact", "SENTENCE_END",
           "derived_title", "shorten", "short_name", "outlet", "parse_cite"]


def cite(span: Span) -> str:
    return f"{span.doc}:{span.start}-{span.end}"


def span_row(s: Span) -> dict:
    return {"doc": s.doc, "start": s.start, "end": s.end, "text": s.text, "cite": cite(s)}


_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def precision(when: When | None) -> str | None:
    """day, month, year, week, range or None, from the shape of the value."""
    if when is None or not when.known:
        return None
    v = when.value or ""
    if not v and when.exact_day:
        return "day"
    if _DAY.fullmatch(v):
        return "day"
    if re.fullmatch(r"\d{4}-\d\d", v):
        return "month"
    if re.fullmatch(r"\d{4}", v):
        return "year"
    if re.fullmatch(r"\d{4}-W\d\d", v):
        return "week"
    return "range"


def when_row(when: When | None) -> dict:
    w = when or When()
    date = w.value
    if date is None and w.exact_day:  # a one-day range is that day
        date = w.exact_day
    elif date is None and (w.earliest or w.latest):  # a range with no single value: say its bounds
        date = f"{w.earliest or '…'}..{w.latest or '…'}"
    return {"date": date, "earliest": w.earliest, "latest": w.latest, "precision": precision(when)}


def date_words(when: When | None) -> str:
    """A readable date: "on 28 March 2025", "in March 2025", "between 3 March 2025 and 9 March 2025"."""
    if when is None:
        return "on an unknown date"
    v = when.value or ""
    if not v and when.earliest and when.earliest == when.latest:
        v = when.earliest
    if words := value_date_words(v):
        return ("on " if _DAY.fullmatch(v) else "in ") + words
    if when.earliest and when.latest:
        return f"between {value_date_words(when.earliest) or when.earliest} and {value_date_words(when.latest) or when.latest}"
    if when.earliest:
        return f"after {when.earliest}"
    if when.latest:
        return f"by {when.latest}"
    return "on an unknown date"


def date_text(value: str | None, earliest: str | None = None, latest: str | None = None) -> str | None:
    """One date or a range, for people: "2025-04-03", "2025-03-28 – 2025-04-02", "after 2025-03-28"; None if unknown.

    A range is printed only when it is one: equal bounds are that day, and a value
    (a day, a month, a week) is printed as it is.
    """
    if value and not value.startswith("P"):
        return value
    if earliest and earliest == latest:
        return earliest
    if earliest and latest:
        return f"{earliest} – {latest}"
    if earliest:
        return f"after {earliest}"
    if latest:
        return f"by {latest}"
    return value or None


# Event modalities that say nothing beyond "it happened" (the timeline shows the others).
_PLAIN = {"", "asserted", "actual", "fact", "factual", "realis", "plain", "occurred", "happened", "reported"}


def is_plain_fact(modality: str | None) -> bool:
    """True when an event's modality is unknown or plain fact (the timeline then prints none)."""
    return modality is None or str(modality).strip().lower() in _PLAIN


# the end of a first sentence: ., ! or ? after a lower-case word (not "U.S." or "Mr."), or a line break
SENTENCE_END = re.compile(r"(?<=[a-z0-9]{2})[.!?][\"”’)]?(?=\s|$)|\n")


def derived_title(text: str | None, limit: int = 80) -> str | None:
    """A display title from a document's lede: its first sentence, cut at a word near ``limit`` chars.

    For documents without a title; callers mark it as derived. None when the text has no words.
    """
    lede = (text or "").lstrip()
    if not lede:
        return None
    m = SENTENCE_END.search(lede)
    first = " ".join((lede[: m.start()] if m else lede).split()).rstrip(" ,;:")
    return shorten(first, limit) or None


def shorten(text: str, limit: int) -> str:
    """``text`` as it is when it has at most ``limit`` characters, else cut at a word before ``limit`` and
    marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return (cut or text[:limit]) + "…"


def short_name(row: dict, limit: int = 34) -> str:
    """A short name for a source column: its outlet or (display) title, shortened, then its date."""
    name = row.get("outlet") or row.get("display_title") or row.get("title") or row.get("source") or row.get("id", "")
    name = shorten(" ".join(str(name).split()), limit)
    when = date_text(row.get("published"), row.get("earliest"), row.get("latest"))
    return f"{name}, {when}" if when else name


def outlet(url: str | None) -> str | None:
    """An outlet's name from a document's address: its host without "www." ("nytimes.com")."""
    if not url:
        return None
    m = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", url.strip(), re.I)
    if not m:
        return None
    host = m[1].lower()
    return host[4:] if host.startswith("www.") else host


_CITE = re.compile(r"\[?([^:\s\[\]]+):(\d+)-(\d+)\]?")


def parse_cite(text: str) -> tuple[str, int, int] | None:
    """``"DOC:START-END"`` (the brief's citation form, brackets allowed) as (doc, start, end); None otherwise."""
    m = _CITE.fullmatch((text or "").strip())
    if not m or int(m[2]) > int(m[3]):
        return None
    return m[1], int(m[2]), int(m[3])
