"""Small helpers shared by the resolution modules: union-find, content ids,
calendar intervals, independent sources and token similarity.

Nothing here knows about entities, events or stories; every function is pure.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from typing import AbstractSet, Iterable, Mapping, TypeVar

from ..model import When
from ..lexicon.discourse import STOP_WORDS as _STOP
from ..lexicon.discourse import BRITISH_SPELLINGS as _SPELLING

__all__ = [
    "UnionFind",
    "stable_id",
    "interval",
    "day_gap",
    "precision_days",
    "iso",
    "root_doc",
    "independent",
    "content_tokens",
    "jaccard",
    "tally",
    "doc_intervals",
]

T = TypeVar("T")

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


class UnionFind:
    """Disjoint sets over hashable items with path halving and union by size."""

    def __init__(self, items: Iterable = ()):
        self.parent: dict = {x: x for x in items}
        self.size: dict = dict.fromkeys(self.parent, 1)

    def add(self, x) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.size[x] = 1

    def find(self, x):
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb] or (self.size[ra] == self.size[rb] and repr(rb) < repr(ra)):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra

    def groups(self) -> list[list]:
        """Every set, each sorted, the list sorted: independent of insertion order."""
        out: dict = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


def stable_id(prefix: str, members: Iterable) -> str:
    """``prefix`` + the first 12 hex digits of sha1 over the sorted members (one member given as a
    1-tuple of a string: that string)."""
    if type(members) is tuple and len(members) == 1 and type(members[0]) is str:
        text = members[0]  # most events are told by one report
    else:
        text = "\n".join(sorted(map(str, members)))
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=4096)
def _ordinal(iso_day: str | None) -> int | None:
    """The day ordinal of an ISO day (its first ten characters), None when it is none. Cached: the
    dates of a corpus are a few hundred days (the 772 ECB+ articles' resolution asks 25,744 times)."""
    if not iso_day:
        return None
    m = _DAY.match(iso_day)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).toordinal()
    except ValueError:
        return None


def _from_value(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    if m := _DAY.match(value):
        d = _ordinal(value[:10])
        return (d, d) if d is not None else None
    if m := _MONTH.match(value):
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            return None
        lo = date(y, mo, 1).toordinal()
        hi = (date(y + 1, 1, 1) if mo == 12 else date(y, mo + 1, 1)).toordinal() - 1
        return lo, hi
    if m := _YEAR.match(value):
        y = int(m.group(1))
        return date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()
    return None


def interval(when: When | None) -> tuple[int, int] | None:
    """The days (ordinals, inclusive) a When may mean; None when unknown or unbounded."""
    if when is None:
        return None
    lo, hi = _ordinal(when.earliest), _ordinal(when.latest)
    if lo is not None and hi is not None and lo <= hi:
        return lo, hi
    return _from_value(when.value)


def day_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days between two intervals, 0 when they overlap."""
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return 0


def precision_days(when: When | None) -> int:
    """Width of a When in days (1 for an exact day); large when unknown."""
    iv = interval(when)
    return 10**6 if iv is None else iv[1] - iv[0] + 1


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def root_doc(doc: str, duplicate_of: Mapping[str, str | None]) -> str:
    """The original a near-duplicate points to (following chains, safe on cycles)."""
    if not duplicate_of.get(doc):
        return doc  # most documents are originals
    seen = {doc}
    cur = doc
    while True:
        nxt = duplicate_of.get(cur)
        if not nxt or nxt in seen:
            return cur
        seen.add(nxt)
        cur = nxt


def independent(docs: Iterable[str], duplicate_of: Mapping[str, str | None]) -> int:
    """How many independent sources ``docs`` are: near-duplicates count once."""
    return len({root_doc(d, duplicate_of) for d in docs})


_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")


@lru_cache(maxsize=8192)
def content_tokens(text: str | None) -> frozenset[str]:
    """Lower-case accent-free word tokens without stop words, light plural folding. Cached: the
    reports of one sentence share its text, and triggers repeat (on the 772 ECB+ articles 58,130
    calls ask for some 13,000 distinct texts)."""
    from .names import fold

    out = set()
    for tok in _TOKEN.findall(fold(text or "")):
        if tok in _STOP:
            continue
        if len(tok) > 4 and tok.endswith("s") and not tok.endswith("ss"):
            tok = tok[:-1]
        out.add(_SPELLING.get(tok, tok))
    return frozenset(out)


def tally(items: Iterable[T]) -> dict[T, int]:
    """How many times each of ``items`` occurs: a plain dict, a tenth of what a ``Counter`` costs
    for the one or two items the resolvers count per event (tens of thousands of times)."""
    out: dict[T, int] = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


def jaccard(a: AbstractSet, b: AbstractSet) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def doc_intervals(records, annotations) -> dict[str, tuple[int, int] | None]:
    """Each document's date as a day interval: the effective published date, else
    the annotations' published date, else the latest absolute calendar day the
    text itself names (a stated, non-relative DATE), else None."""
    out: dict[str, tuple[int, int] | None] = {}
    for rec in records:
        out[rec.id] = interval(rec.published.when) if rec.published else None
    for ann in annotations:
        if out.get(ann.doc) is not None:
            continue
        iv = interval(ann.published.when) if ann.published else None
        if iv is None:
            days = []
            for t in ann.times:
                if t.type != "DATE" or t.relative or t.anchor is not None:
                    continue
                tiv = interval(t.when)
                if tiv is not None and tiv[0] == tiv[1]:
                    days.append(tiv[0])
            if days:
                iv = (max(days), max(days))
        out[ann.doc] = iv
    return out
