"""Durations: one happening's length given differently by two reports.

Reports of one resolved event whose trigger takes a duration as its object ("sentenced to 2 years" vs
"sentenced to 2 1/2 years", "served five months" vs "served 136 days"; the triggers are
``lexicon.conflicts.DURATION_TRIGGERS``) disagree when two independent sources give durations that
differ. Never a disagreement:

* a hedged duration ("more than four years", "about 30 seconds");
* a report giving two durations for the event (two sentences, two terms: the event joins several
  happenings);
* durations more than ``COUNT_RATIO`` times apart (another happening, or a misread number).

Each claim cites the duration's own words; the ``basis`` says which trigger aligned them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import Mapping, Sequence

from ..lexicon.conflicts import DURATION_TRIGGERS, EXACT_QUALIFIERS, PLACING_WORDS
from ..lexicon.figures import QUALIFIERS
from ..model import Claim, Conflict, DocAnnotations, Event, Span, TimeExpr
from .common import root_doc, stable_id

__all__ = ["duration_conflicts", "duration_days"]

RATIO = 3  # = conflicts.COUNT_RATIO: values further apart are not one thing told twice
_PART = re.compile(r"(\d+(?:\.\d+)?)([YMWDHS])")
_DAYS = {"Y": 365.25, "M": 30.44, "W": 7.0, "D": 1.0}
_TIME_DAYS = {"H": 1 / 24, "M": 1 / 1440, "S": 1 / 86400}
_HEDGES = tuple(q for q in QUALIFIERS if q not in EXACT_QUALIFIERS)
_WORDS = re.compile(r"[a-z]+")
_GAP = re.compile(r"\s*(?:to|for|of)?\s*")  # "sentenced to", "served for", "a sentence of"


def duration_days(value: str | None) -> float | None:
    """Days a TIMEX3 duration stands for ("P2Y6M" -> 913.1, "PT30H" -> 1.25); None when it has
    no number ("PXY": years) or is no duration."""
    if not value or not value.startswith("P") or "X" in value:
        return None
    date_part, _, time_part = value[1:].partition("T")
    total, seen = 0.0, False
    for part, table in ((date_part, _DAYS), (time_part, _TIME_DAYS)):
        for num, unit in _PART.findall(part):
            total += float(num) * table[unit]
            seen = True
    return total if seen else None


def _hedged(text: str) -> bool:
    low = text.lower()
    return any(low.startswith(h + " ") for h in _HEDGES)


def duration_conflicts(
    events: Sequence[Event],
    annotations: Sequence[DocAnnotations],
    duplicate_of: Mapping[str, str | None],
) -> list[Conflict]:
    """See the module's docstring."""
    by_doc = {a.doc: a for a in annotations}
    # each document's unhedged durations, by start, read once (a report looks only between its trigger
    # and its end, so a long document is not walked once per report)
    durations: dict[str, tuple[list[int], list[tuple[TimeExpr, float]]]] = {}
    out = []
    for ev in events:
        reports = [(r, tr) for r in ev.mentions if (tr := r.trigger) is not None and tr.text.lower() in DURATION_TRIGGERS]
        if len(reports) < 2:
            continue  # a conflict needs two reports giving a duration
        per_doc: dict[str, set[float]] = defaultdict(set)
        spans: dict[float, list[Span]] = defaultdict(list)
        for r, trigger in reports:
            if r.span.doc not in durations:
                if (ann := by_doc.get(r.span.doc)) is None:
                    continue
                told = sorted(((t, days) for t in ann.times if t.type == "DURATION"
                               and (days := duration_days(t.when.value)) is not None and not _hedged(t.span.text)),
                              key=lambda td: td[0].span.start)
                durations[r.span.doc] = ([t.span.start for t, _ in told], told)
            starts, told = durations[r.span.doc]
            for t, days in told[bisect_left(starts, trigger.end):bisect_right(starts, r.span.end)]:
                between = _between(r.span, trigger.end, t.span.start)
                if between is None or not _GAP.fullmatch(between) or _placing(t.span.text, _after(r.span, t.span.end)):
                    continue
                per_doc[r.span.doc].add(round(days, 2))
                spans[round(days, 2)].append(t.span)
        if any(len(v) > 1 for v in per_doc.values()):
            continue  # one report gives two: several sentences or terms joined as one event
        all_roots: dict[float, set[str]] = defaultdict(set)
        for doc, found in per_doc.items():
            all_roots[next(iter(found))].add(root_doc(doc, duplicate_of))
        for values in _bands(sorted(all_roots)):
            roots = {v: all_roots[v] for v in values}
            if len(values) >= 2 and len(set().union(*roots.values())) >= 2:
                out.append(_conflict(ev, values, roots, spans))
    return out


def _bands(values: list[float]) -> list[list[float]]:
    """Sorted values cut where one is more than ``RATIO`` times the one before."""
    bands: list[list[float]] = []
    for v in values:
        if bands and v <= RATIO * bands[-1][-1]:
            bands[-1].append(v)
        else:
            bands.append([v])
    return bands


def _conflict(ev: Event, values: list[float], roots: Mapping[float, set[str]], spans: Mapping[float, list[Span]]) -> Conflict:
    claims = [Claim(sp, sp.text) for v in values for sp in sorted(spans[v], key=lambda s: (s.doc, s.start))]
    words = " vs ".join(f"{spans[v][0].text} ({len(roots[v])} source{'s' if len(roots[v]) > 1 else ''})" for v in values)
    summary = f"reports give different durations for '{ev.label}': {words}"
    basis = (f"durations that reports of one event ('{ev.label}') give as the object of its trigger "
             f"(how long it ran: sentenced to, served, lasted), none hedged, one per report")
    key = ["number", ev.id] + [f"{c.span.doc}:{c.span.start}:{c.span.end}" for c in claims]
    return Conflict(stable_id("cfl_", key), "number", f"{ev.id}:duration", summary, tuple(claims), basis=basis)


def _after(clause: Span, end: int) -> str:
    """The clause's text after ``end``."""
    return clause.text[max(0, end - clause.start):]


def _placing(words: str, after: str) -> bool:
    """The duration places the happening ("2 years ago", "12 days later", "a 36-year-old") instead of
    measuring it: its last word, or the word after it, says so."""
    last = _WORDS.findall(words.lower())[-1:]
    nxt = _WORDS.findall(after.lower())[:1]
    return bool(set(last + nxt) & PLACING_WORDS)


def _between(clause: Span, start: int, end: int) -> str | None:
    """The text between a trigger and a duration inside one clause (None when out of it)."""
    lo, hi = start - clause.start, end - clause.start
    if lo < 0 or hi > len(clause.text) or lo > hi:
        return None
    return clause.text[lo:hi]
