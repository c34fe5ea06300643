"""Conflicts: where independent sources disagree about one thing.

Conservative by design (a false alarm costs more than a miss):

* ``date``: reports of one resolved event whose dates cannot both be true
  (disjoint day intervals: "March 31, 2025" vs "March 28"), from two
  independent sources. A month and a day inside it do not conflict; days more than
  ``MAX_DAY_GAP`` apart are two happenings joined as one event, not one dated twice.
* ``number``: figures of one measure (same unit, period or both none, status
  and rate; equal subjects with a similar ``about``, or a subject missing
  when ``about`` matches strongly and no two different speakers give them;
  see :func:`same_measure`) whose values differ beyond rounding, from two
  independent sources, none of them hedged by a qualifier ("about", "more
  than", "north of"). Different targets, periods or an estimate beside a
  demand are different measures, so never conflict; nor do values more than
  ``COUNT_RATIO`` times apart (a 1-yard and a 41-yard touchdown pass), nor a value
  against a report that gives the same subject two values in that unit (an eight-year
  offer beside a request for a 10-year deal: several instances, not one told twice).
* ``number`` also: reports of one event that size it differently ("killed 12" vs
  "killed 18", magnitude 6.1 vs 6.2), plain numbers only, never an update ("rose to");
  see :func:`count_conflicts`.
* ``number`` also: one happening's length given differently ("sentenced to 2 years" vs "2 1/2
  years"), see :mod:`.durations`; ``statement``: one speaker's quote worded differently, see
  :mod:`.wording`.
* ``attribute`` and ``statement`` (superseded) conflicts are not detected yet:
  titles vary legitimately ("Undersecretary" / "Rubio's deputy") and a
  reliable "has yet to" detector needs the statement's content.

Each side is a :class:`Claim` whose span is the date expression the report's
date came from (else the report's own span) or the figure.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date
from typing import Mapping, Sequence

from ..lexicon.conflicts import DATE_BOUNDS, DURATION_TRIGGERS
from ..model import Claim, Conflict, DocAnnotations, Event, EventMention, Span, TimeExpr, When
from .common import UnionFind, day_gap, interval, iso, jaccard, root_doc, stable_id
from .support import FigureRef, item_id, sharing, values_agree
from .durations import duration_conflicts
from .wording import quote_conflicts
from ..lexicon.conflicts import RATE_WORDS
from ..lexicon.conflicts import COUNT_MEASURES
from ..lexicon.conflicts import UPDATE_WORDS
from ..lexicon.figures import FAMILY_MEASURES

__all__ = ["date_conflicts", "number_conflicts", "count_conflicts", "find_conflicts", "interaction_date_conflicts", "same_measure"]


def _when_text(w: When | None) -> str:
    if w is None:
        return "unknown"
    if w.value:
        return w.value
    iv = interval(w)
    return f"{iso(iv[0])}..{iso(iv[1])}" if iv else "unknown"


def _conflict(kind: str, about: str, summary: str, claims: list[Claim], basis: str = "") -> Conflict:
    key = [kind, about] + [f"{c.span.doc}:{c.span.start}:{c.span.end}" for c in claims]
    return Conflict(stable_id("cfl_", key), kind, about, summary, tuple(claims), basis=basis)


class _Times:
    """The reports' time expressions looked up once: each event mention's own time expression
    (by document and mention id), the mentions that give a count, the single days each report
    names (sorted, for range look-ups) and the month-days each report names. Built once per call, so that each event costs only
    its own mentions, never a pass over every report."""

    def __init__(self, annotations: Sequence[DocAnnotations]) -> None:
        self.annotations = annotations
        self.of: dict[tuple[str, str], tuple[EventMention, TimeExpr | None]] = {}
        self.counted: dict[tuple[str, str], EventMention] = {}  # the mentions that give a count
        for a in annotations:
            times: dict[str, TimeExpr] = {}
            for t in a.times:
                times.setdefault(t.id, t)
            for m in a.events:
                if m.time and (a.doc, m.id) not in self.of:
                    self.of[(a.doc, m.id)] = (m, times.get(m.time))
                if m.count is not None:
                    self.counted[(a.doc, m.id)] = m
        self._days: tuple[list[int], list[str]] | None = None
        self._md: dict[str, set[str]] | None = None

    def time_of(self, doc: str, mention_id: str) -> TimeExpr | None:
        """The time expression a mention's date came from (None without one)."""
        hit = self.of.get((doc, mention_id))
        return hit[1] if hit else None

    def bound(self, doc: str, mention_id: str) -> bool:
        """The report's date bounds the happening ("delayed until June 1") instead of dating it."""
        hit = self.of.get((doc, mention_id))
        if hit is None:
            return False
        m, t = hit
        if t is None or not (m.span.start <= t.span.start <= m.span.end):
            return False
        before = m.span.text[: t.span.start - m.span.start].split()
        return bool(before) and before[-1].lower().strip(",;(") in DATE_BOUNDS

    def days_named(self, roots: Mapping) -> dict[tuple[int, int], set[str]]:
        """For each date in ``roots``, the reports whose own time expressions name a day inside it."""
        if self._days is None:
            pairs = sorted((iv[0], a.doc) for a in self.annotations for t in a.times
                           if (iv := interval(t.when)) is not None and iv[0] == iv[1])
            self._days = ([d for d, _ in pairs], [doc for _, doc in pairs])
        days, docs = self._days
        out: dict[tuple[int, int], set[str]] = defaultdict(set)
        for r in roots:
            lo, hi = bisect_left(days, r[0]), bisect_right(days, r[1])
            if hi > lo:
                out[r].update(docs[lo:hi])
        return out

    def month_days(self) -> dict[str, set[str]]:
        """Month-day ("-11-19") -> the reports naming that day of that month (any year, or none)."""
        if self._md is None:
            md: dict[str, set[str]] = defaultdict(set)
            for a in self.annotations:
                for t in a.times:
                    for named in (t.partial, t.when.exact_day if t.when else None):
                        if named and "W" not in named and len(named) == 10:
                            md[named[4:]].add(a.doc)
            self._md = md
        return self._md


def date_conflicts(
    events: Sequence[Event],
    annotations: Sequence[DocAnnotations],
    duplicate_of: Mapping[str, str | None],
    times: _Times | None = None,
) -> list[Conflict]:
    need = {ev.id for ev in events if sum(1 for m in ev.mentions if m.when is not None and interval(m.when)) >= 2}
    if not need:
        return []
    idx = times or _Times(annotations)
    out = []
    for ev in events:
        if ev.id not in need:
            continue
        dated = [(m, iv) for m in ev.mentions if (iv := interval(m.when)) and not idx.bound(m.span.doc, m.mention)]
        roots: dict[tuple[int, int], set[str]] = defaultdict(set)
        for m, iv in dated:
            roots[iv].add(root_doc(m.span.doc, duplicate_of))
        known = idx.days_named(roots)
        if not _clash(roots, lambda x, y, k=known: 0 < day_gap(x, y) <= MAX_DAY_GAP and not _one_report_names_both(k, x, y)) \
                or _several(list(roots)):
            continue
        claims: dict[tuple, Claim] = {}
        values: dict[str, set[str]] = defaultdict(set)
        for m, _ in sorted(dated, key=lambda x: (x[0].span.doc, x[0].span.start)):
            t = idx.time_of(m.span.doc, m.mention)
            span = t.span if t is not None else m.span
            value = _when_text(m.when)
            claims.setdefault((span.doc, span.start, span.end), Claim(span, value))
            values[value].add(root_doc(m.span.doc, duplicate_of))
        parts = " vs ".join(f"{v} ({len(s)} source{'s' if len(s) > 1 else ''})" for v, s in sorted(values.items()))
        summary = f"reports give different dates for '{ev.label}': {parts}; taken as {_when_text(ev.when)}"
        basis = f"reports of one event ('{ev.label}': {ev.type}, the same participants) give dates that cannot both be true"
        out.append(_conflict("date", ev.id, summary, list(claims.values()), basis))
    return out


def partial_date_conflicts(
    events: Sequence[Event],
    annotations: Sequence[DocAnnotations],
    duplicate_of: Mapping[str, str | None],
    times: _Times | None = None,
) -> list[Conflict]:
    """Reports of one event that name different days where a report has no year to date them
    by (an undated page): "November 18" against "November 19" (or against another report's
    2008-11-19). Days of the week are never compared: on real news "Thursday" against a
    report's "November 11" more often dates two things (or the report) than disagrees."""
    idx = times or _Times(annotations)
    out = []
    for ev in events:
        days: list[tuple[str, Span]] = []
        for m in ev.mentions:
            t = idx.time_of(m.span.doc, m.mention)
            if t is not None and idx.bound(m.span.doc, m.mention):
                continue
            if t is not None and t.partial:
                days.append((t.partial, t.span))
            elif t is not None and m.when is not None and m.when.exact_day:
                days.append((m.when.exact_day, t.span))
        if not any(v.startswith("XXXX") for v, _ in days):
            continue
        days = [(v, sp) for v, sp in days if "W" not in v]  # days of the week are not compared, nor cited
        roots: dict[str, set[str]] = defaultdict(set)
        for v, sp in days:
            roots[v].add(root_doc(sp.doc, duplicate_of))
        md = idx.month_days()
        if not _clash(roots, lambda x, y, md=md: _days_differ(x, y) is True and _month_day_gap(x, y) <= MAX_DAY_GAP
                      and not (md[x[4:]] & md[y[4:]])):
            continue
        if len({v[4:] for v in roots}) >= 3:
            continue  # three days named: several happenings joined, not one dated differently
        claims: dict[tuple, Claim] = {}
        for v, sp in sorted(days, key=lambda x: (x[1].doc, x[1].start)):
            claims.setdefault((sp.doc, sp.start, sp.end), Claim(sp, v))
        parts = " vs ".join(f"{_day_text(v)} ({len(r)} source{'s' if len(r) > 1 else ''})" for v, r in sorted(roots.items()))
        basis = f"reports of one event ('{ev.label}') name different days of the month"
        out.append(_conflict("date", ev.id, f"reports give different days for '{ev.label}': {parts}", list(claims.values()), basis))
    return out




def _one_report_names_both(known: Mapping, x, y) -> bool:
    """A report naming both days tells two happenings (the June 20 shooting, the June 24 killing):
    an article does not contradict itself, so the two dates are not one happening's."""
    return bool(known.get(x, set()) & known.get(y, set()))


def _several(ivs: list[tuple[int, int]]) -> bool:
    """Three or more dates none of which overlaps another: reports of several happenings joined
    as one event (a summit next month, a meeting on Friday, a visit last month), not one
    happening dated differently."""
    chain, end = 0, None
    for iv in sorted(ivs, key=lambda x: x[1]):
        if end is None or iv[0] > end:
            chain, end = chain + 1, iv[1]
    return chain >= 3




# reports of one event whose days lie further apart than this tell two happenings joined as one
# (the Sept. 20 win and the Dec. 27 win; two players' arrests a month apart), not one dated differently
MAX_DAY_GAP = 14


def _days_differ(x: str, y: str) -> bool | None:
    """Whether two days of the month, either with no year ("XXXX-11-19"), cannot be the same
    day; None when they cannot be compared (a day of the week, or two full dates: those are
    compared by :func:`date_conflicts`)."""
    if not (x.startswith("XXXX") or y.startswith("XXXX")) or "W" in x or "W" in y:
        return None  # a day of the week: which week is unknown, and so often is what it dates
    return x[4:] != y[4:]


def _month_day_gap(x: str, y: str) -> int:
    """Days between two days of the month whatever their years ("XXXX-12-30" and "2009-01-02": 3),
    counted both ways round the year; 0 when either is not a day of a month."""
    if len(x) != 10 or len(y) != 10:
        return 0
    a = date(2000, int(x[5:7]), int(x[8:10])).toordinal()
    b = date(2000, int(y[5:7]), int(y[8:10])).toordinal()
    return min(abs(a - b), 366 - abs(a - b))


def _day_text(v: str) -> str:
    if v.startswith("XXXX-WXX-"):
        return calendar.day_name[int(v[-1]) - 1]
    if v.startswith("XXXX-"):
        return f"{calendar.month_name[int(v[5:7])]} {int(v[8:10])}"
    return v




def _clash(roots: Mapping, differ) -> bool:
    """Two distinct values that ``differ`` and come from two independent sources."""
    keys = sorted(roots)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            if differ(x, y) and (len(roots[x] | roots[y]) > 1):
                return True
    return False




def _fmt(x: float) -> str:
    """'4', '1.28', '25000000' (never '2.5e+07')."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


STRONG_ABOUT = 0.75
MAX_PAIRS = 20000


def same_measure(a: FigureRef, b: FigureRef) -> bool:
    """Whether two figures measure one thing: same unit, period (or both none),
    status and rate; subjects equal with similar ``about``, or a subject
    missing on one or both sides when ``about`` matches strongly (at least two content
    words) and no two different speakers state them. Counts never pair here: in
    real reports the same words ("crew members", "suspects", "boats") count
    different things, and the subject found for a count is often the one who
    counted ("INS Sukanya detected five boats"); counts of one event are compared
    through the event (:func:`count_conflicts`)."""
    fa, fb = a.figure, b.figure
    if fa.unit == "count" or fb.unit == "count":
        # how many of what? compared through the event counted (count_conflicts); but one person's
        # children ("a mother of 12" / "her 13 children") are one thing, whatever the happening
        return _family(a) and _family(b) and fa.about == fb.about and a.subject == b.subject and fa.status == fb.status
    if fa.unit != fb.unit or (a.period or None) != (b.period or None) or fa.status != fb.status:
        return False
    if (a.about & RATE_WORDS) != (b.about & RATE_WORDS):
        return False  # "a day" against "a year"
    if a.subject and b.subject:
        return a.subject == b.subject and bool(a.about) and jaccard(a.about, b.about) >= 0.5
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return False  # two parties' own estimates: both reports can be right
    return len(a.about & b.about - RATE_WORDS) >= 2 and jaccard(a.about, b.about) >= STRONG_ABOUT


def number_conflicts(
    groups: Sequence[Sequence[FigureRef]],
    duplicate_of: Mapping[str, str | None],
    story_of: Mapping[str, object] | None = None,
) -> list[Conflict]:
    """Figures of one measure (:func:`same_measure`) from independent sources
    whose values differ beyond rounding; hedged figures ("about", "more than")
    never conflict. ``groups`` are the support measures; they are re-paired
    here because a conflict may pair a figure with a subject and one without.
    With ``story_of`` (document -> story), only reports of one story are compared:
    the same words about a number in two stories measure two things."""
    story_of = story_of or {}
    buckets: dict[tuple, list[FigureRef]] = defaultdict(list)
    for group in groups:
        for r in group:
            if not r.figure.qualifier:
                buckets[(r.figure.unit, r.period or "", r.figure.status, str(story_of.get(r.doc, "")))].append(r)
    out = []
    for key in sorted(buckets):
        refs = sorted(buckets[key], key=lambda r: (r.doc, r.figure.id))
        if len(refs) < 2 or len(refs) * (len(refs) - 1) // 2 > MAX_PAIRS:
            continue  # one figure has no other to differ from; never all pairs of a huge bucket
        uf = UnionFind(range(len(refs)))
        flagged: set[int] = set()
        roots = [root_doc(r.doc, duplicate_of) for r in refs]
        # what each report says of each subject in this unit: a report giving one subject two values
        # ("offered an eight-year deal" beside "a request for a 10-year deal") tells several instances
        told: dict[tuple[str, str, bool], set[float]] = defaultdict(set)
        for r in refs:
            if r.subject:
                told[(r.subject, r.doc, _family(r))].add(r.figure.value)
        for i, j in _sharing_about(refs):
            a, b = refs[i], refs[j]
            if roots[i] == roots[j] or not same_measure(a, b):
                continue
            uf.union(i, j)
            if not values_agree(a.figure.value, b.figure.value) and _near(a.figure.value, b.figure.value):
                flagged |= {i, j}
        for members in uf.groups():
            if not flagged & set(members):
                continue
            group_refs = [refs[i] for i in sorted(members)]
            per_doc: dict[str, set[float]] = defaultdict(set)
            for r in group_refs:
                per_doc[r.doc].add(r.figure.value)
            if any(len(v) > 1 for v in per_doc.values()) or any(len(told[(r.subject, r.doc, _family(r))]) > 1 for r in group_refs if r.subject):
                continue  # one report gives two values: the measure has several instances (two field goals)
            out.append(_number_conflict(group_refs, duplicate_of))
    return out


def _sharing_about(refs: Sequence[FigureRef]) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) of figures that :func:`same_measure` may join: both of them not
    counts (or both counts of one person's family), sharing a word of ``about`` (every way of being
    one measure needs one); through :func:`~.support.sharing`'s index of the words."""
    return sharing([r.about if r.figure.unit != "count" or _family(r) else frozenset() for r in refs])


def _family(r: FigureRef) -> bool:
    """A count of one named person's children, sons or daughters (``lexicon.figures.FAMILY_MEASURES``)."""
    return r.figure.unit == "count" and r.figure.about in FAMILY_MEASURES and r.subject is not None


def _number_conflict(refs: list[FigureRef], duplicate_of: Mapping[str, str | None]) -> Conflict:
    values: dict[str, set[str]] = defaultdict(set)
    for r in refs:
        values[_fmt(r.figure.value)].add(root_doc(r.doc, duplicate_of))
    first = refs[0].figure
    unit = "" if first.unit == "count" else f" {first.unit}"  # "12 (4 sources) vs 13": a count's unit is what it is about
    parts = " vs ".join(f"{v}{unit} ({len(s)} source{'s' if len(s) > 1 else ''})" for v, s in sorted(values.items()))
    period = f" ({refs[0].period})" if refs[0].period else ""
    summary = f"sources give different values for '{first.about}'{period}: {parts}"
    claims = [Claim(r.figure.span, _fmt(r.figure.value)) for r in refs]
    basis = (f"figures of one measure in one story: unit {first.unit}, status {first.status}, "
             f"about '{first.about}'" + (", of the same subject" if refs[0].subject else ""))
    return _conflict("number", item_id(refs[0].doc, first.id), summary, claims, basis)


# counts further apart than this factor are not one happening's toll told differently
COUNT_RATIO = 3
_UPDATES = frozenset(UPDATE_WORDS)


def count_conflicts(
    events: Sequence[Event],
    annotations: Sequence[DocAnnotations],
    duplicate_of: Mapping[str, str | None],
    times: _Times | None = None,
) -> list[Conflict]:
    """Reports of one event that size it differently: "killed 12 people" vs "killed 18 people",
    magnitude 6.1 vs 6.2. Only plain numbers count (a hedged "at least 12" agrees with 18); a
    source that gives two values, or a report that tells an update ("the toll rose to 40"), is left
    out; two independent sources must disagree."""
    mentions = (times or _Times(annotations)).counted
    if not mentions:
        return []
    out = []
    for ev in events:
        counted = [(rep, m) for rep in ev.mentions if (m := mentions.get((rep.span.doc, rep.mention))) is not None]
        if len(counted) < 2:
            continue  # a conflict needs two reports giving a count
        by_what: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        spans: dict[tuple[str, float], list[Span]] = defaultdict(list)
        updated = False
        for rep, m in counted:
            if not updated and not _UPDATES.isdisjoint(m.span.text.lower().split()):
                updated = True
            if m.count_hedged or (m.count_of or "") not in COUNT_MEASURES or m.count is None or m.count_value is None:
                continue
            by_what[m.count_of or ""][rep.span.doc].add(m.count_value)
            spans[(m.count_of or "", m.count_value)].append(m.count)
        if updated:
            continue
        for what, per_doc in sorted(by_what.items()):
            plain = {d: next(iter(v)) for d, v in per_doc.items() if len(v) == 1}
            all_roots: dict[float, set[str]] = defaultdict(set)
            for d, v in plain.items():
                all_roots[v].add(root_doc(d, duplicate_of))
            for band in _bands(sorted(all_roots)):
                roots = {v: all_roots[v] for v in band}
                if len(roots) < 2 or not _clash(roots, lambda x, y: x != y):
                    continue
                claims = [Claim(sp, _fmt(v)) for v in sorted(roots) for sp in spans[(what, v)][:2]]
                summary = f"reports give different {what or 'numbers'} for '{ev.label}': " + " vs ".join(
                    f"{_fmt(v)} ({len(roots[v])} source{'s' if len(roots[v]) > 1 else ''})" for v in sorted(roots)
                )
                basis = (f"plain counts of {what or 'one thing'} given for one event ('{ev.label}'), none hedged or told "
                         f"as an update, within a factor of {COUNT_RATIO} of each other")
                out.append(_conflict("number", f"{ev.id}:{what}:{_fmt(min(roots))}", summary, claims, basis))
    return out


def _near(x: float, y: float) -> bool:
    """Two values within ``COUNT_RATIO`` of each other: further apart, the same words measure two
    things (a 1-yard and a 41-yard touchdown pass), not one thing told differently."""
    lo, hi = sorted((abs(x), abs(y)))
    return hi <= COUNT_RATIO * max(lo, 1)


def _bands(values: list[float]) -> list[list[float]]:
    """Sorted counts cut where one is more than ``COUNT_RATIO`` times the one before: 5 hurt and
    50 hurt are another incident or the background (5 dead vs 168,000), not one toll told twice."""
    bands: list[list[float]] = []
    for v in values:
        if bands and v <= COUNT_RATIO * max(bands[-1][-1], 1):
            bands[-1].append(v)
        else:
            bands.append([v])
    return bands


def interaction_date_conflicts(
    events: Sequence[Event],
    duplicate_of: Mapping[str, str | None],
    story_of: Mapping[str, object],
) -> list[Conflict]:
    """One interaction told as two events because the reports date it differently: in one story,
    two events of one mode ("phone call", "meeting") between the same people (one side's among
    the other's), each dated to a day by its own reports, the days disjoint. Never when a report
    tells both (an article telling two calls means two calls), or when only one source dates
    them. Reads the resolved events only (it runs once over all of them, after events are built,
    in the local and the partitioned resolution alike); each claim cites the reporting clause."""
    groups: dict[tuple[str, str], list[tuple[Event, frozenset, list]]] = defaultdict(list)
    for ev in events:
        if not ev.mode or not ev.participants:
            continue
        stories = {story_of.get(r.span.doc) for r in ev.mentions} - {None}
        if len(stories) != 1:
            continue
        dated = [(r, iv) for r in ev.mentions if r.when is not None and r.when.value and (iv := interval(r.when)) and iv[0] == iv[1]]
        if dated:
            groups[(str(next(iter(stories))), ev.mode)].append((ev, frozenset(p.entity for p in ev.participants), dated))
    out = []
    for key in sorted(groups):
        items = sorted(groups[key], key=lambda x: x[0].id)
        for i, (a, pa, da) in enumerate(items):
            for b, pb, db in items[i + 1:]:
                if not (pa <= pb or pb <= pa):
                    continue
                if {r.span.doc for r in a.mentions} & {r.span.doc for r in b.mentions}:
                    continue
                days_a, days_b = {iv for _, iv in da}, {iv for _, iv in db}
                gaps = [day_gap(x, y) for x in days_a for y in days_b]
                if min(gaps) == 0 or min(gaps) > MAX_DAY_GAP:
                    continue  # one day in common, or weeks apart: two calls, not one dated twice
                if len({root_doc(r.span.doc, duplicate_of) for r, _ in da + db}) < 2:
                    continue
                claims = [Claim(r.span, _when_text(r.when)) for r, _ in sorted(da + db, key=lambda x: (x[0].span.doc, x[0].span.start))]
                summary = (f"reports give different dates for the {key[1]} '{a.label}': "
                           f"{_when_text(a.when)} vs {_when_text(b.when)}")
                basis = (f"one {key[1]} in one story between the same people ('{a.label}', '{b.label}'), "
                         f"dated to different days by different reports, no report telling two")
                out.append(_conflict("date", a.id, summary, claims, basis))
    return out


def find_conflicts(
    events: Sequence[Event],
    annotations: Sequence[DocAnnotations],
    figure_groups: Sequence[Sequence[FigureRef]],
    duplicate_of: Mapping[str, str | None],
    story_of: Mapping[str, object] | None = None,
    entity_of: Mapping[tuple[str, str], str] | None = None,
) -> list[Conflict]:
    times = _Times(annotations)
    dated, timed, counted, lasting = _candidates(events, times)
    out = date_conflicts(dated, annotations, duplicate_of, times) + number_conflicts(figure_groups, duplicate_of, story_of)
    out += partial_date_conflicts(timed, annotations, duplicate_of, times)
    out += count_conflicts(counted, annotations, duplicate_of, times)
    out += duration_conflicts(lasting, annotations, duplicate_of)
    if entity_of is not None and story_of:
        out += quote_conflicts(annotations, entity_of, duplicate_of, story_of)
    return sorted(out, key=lambda c: c.id)


def _candidates(events: Sequence[Event], times: _Times) -> tuple[list[Event], ...]:
    """The events each detector may find a conflict in, from one pass over their reports (each
    detector checks its own again; it reads every event on its own and passes over the others):
    two reports dated (:func:`date_conflicts`), a report with its own time expression
    (:func:`partial_date_conflicts`), two reports giving a count (:func:`count_conflicts`) and
    two reports whose trigger takes a duration (:func:`~.durations.duration_conflicts`); and
    each of them told by two documents (two independent sources need two). On the 772 ECB+
    articles 4,385 of the 14,777 events are told twice, with 24,318 reports; 951 of them have
    a timed report, 260 two dated ones, 141 two counts and 27 two durations."""
    dated: list[Event] = []
    timed: list[Event] = []
    counted: list[Event] = []
    lasting: list[Event] = []
    of, counts = times.of, times.counted
    for ev in events:
        if len(ev.mentions) < 2:
            continue  # seven in ten events: told by one report
        first = ev.mentions[0].span.doc
        twice = has_time = False
        n_dated = n_counted = n_lasting = 0
        for m in ev.mentions:
            doc = m.span.doc
            if doc != first:
                twice = True
            key = (doc, m.mention)
            if m.when is not None:
                n_dated += 1
            if key in of:
                has_time = True
            if key in counts:
                n_counted += 1
            if (tr := m.trigger) is not None and tr.text.lower() in DURATION_TRIGGERS:
                n_lasting += 1
        if not twice:
            continue
        if n_dated >= 2:
            dated.append(ev)
        if has_time:
            timed.append(ev)
        if n_counted >= 2:
            counted.append(ev)
        if n_lasting >= 2:
            lasting.append(ev)
    return dated, timed, counted, lasting
