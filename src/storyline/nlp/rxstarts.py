"""Where a regular expression can start matching, worked out from its own parse tree.

A large case-insensitive alternation (the time expressions of :mod:`storyline.nlp.timexfind`)
costs about 10 microseconds per position it is tried at, and most positions of a news text
cannot start any of its alternatives. :func:`starts_lookahead` returns a lookahead that
holds wherever the pattern may match: its first ``k`` characters (lower case) are one of
the starts the pattern allows, or the text ends or leaves ASCII within them (there the
Unicode classes behind ``\\s``, ``\\d`` and ``\\w`` are not worked out, so every position
counts). Trying the pattern only where the lookahead holds finds the same matches: the
analysis over-approximates (zero-width assertions count as matching anything, a repetition
contributes every count up to ``k``, a class it cannot list stops the start there).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from re import _constants as _c  # type: ignore[attr-defined]  # the stdlib's own parser, public in sre_parse
from re import _parser as _p  # type: ignore[attr-defined]

__all__ = ["starts", "starts_lookahead"]

_ANY = None  # a character the analysis does not list
_CATEGORIES = {
    _c.CATEGORY_DIGIT: frozenset("0123456789"),
    _c.CATEGORY_SPACE: frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f"),
    _c.CATEGORY_WORD: frozenset(chr(i) for i in range(128) if chr(i).isalnum() or chr(i) == "_"),
}
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


def _chars(op, av) -> frozenset[str] | None:
    """The ASCII characters (lower case) one literal or class matches; None when not listed."""
    if op is _c.LITERAL:
        ch = chr(av).lower()
        return frozenset(ch) if ch.isascii() else _ANY
    if op is not _c.IN:
        return _ANY
    out: set[str] = set()
    for o, a in av:
        if o is _c.LITERAL:
            out.add(chr(a).lower())
        elif o is _c.RANGE:
            out.update(chr(i).lower() for i in range(a[0], a[1] + 1))
        elif o is _c.CATEGORY and a in _CATEGORIES:
            out |= _CATEGORIES[a]
        else:  # a negated class, an unlisted category
            return _ANY
    return frozenset(c for c in out if c.isascii())


def _then(heads: set[tuple], tails: set[tuple], k: int) -> set[tuple]:
    """Starts of a sequence: each head (complete when shorter than ``k``) followed by each tail."""
    out = set()
    for h in heads:
        if len(h) >= k:
            out.add(h[:k])
        else:
            out.update((h + t)[:k] for t in tails)
    return out


def _sequence(items, k: int) -> set[tuple]:
    acc: set[tuple] = {()}
    for op, av in items:
        if all(len(a) >= k for a in acc):
            break
        acc = _then(acc, _node(op, av, k), k)
    return acc


def _node(op, av, k: int) -> set[tuple]:
    if op in _ZERO_WIDTH:
        return {()}
    if op is _c.BRANCH:
        return set().union(*(_sequence(s, k) for s in av[1]))
    if op is _c.SUBPATTERN:
        return _sequence(av[3], k)
    if op is _c.ATOMIC_GROUP:
        return _sequence(av, k)
    if op in _REPEATS:
        low, high, sub = av
        one = _sequence(sub, k)
        out, cur = set(), {()}
        for n in range(min(high, low + k) + 1):
            if n >= low:
                out |= cur
            cur = _then(cur, one, k)
        return out
    return {(_chars(op, av),)}


def starts(pattern: re.Pattern, k: int = 3) -> dict[int, frozenset[str]] | None:
    """``{n: starts}``: every match begins with one of the ``k``-character starts (lower case),
    or with a shorter one after which the analysis lists nothing; None when a match may begin
    with anything (an empty match, a class not listed first)."""
    out: dict[int, set[str]] = defaultdict(set)
    for seq in _sequence(list(_p.parse(pattern.pattern, pattern.flags)), k):
        n = next((i for i, chars in enumerate(seq) if chars is _ANY), len(seq))
        if n == 0:
            return None
        out[n].update("".join(t) for t in itertools.product(*(sorted(s) for s in seq[:n])))
    return {n: frozenset(v) for n, v in out.items()}


def _trie(words: frozenset[str]) -> str:
    """An alternation matching exactly ``words`` (all of one length), grouped by first character."""
    def cls(chars) -> str:
        return re.escape(next(iter(chars))) if len(chars) == 1 else "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"

    if len(next(iter(words))) == 1:
        return cls(words)
    by_first: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for w in words:
        by_first[w[0]][w[1:-1]].add(w[-1])

    alts = []
    for first in sorted(by_first):
        by_last: dict[frozenset[str], list[str]] = defaultdict(list)
        for mid, lasts in by_first[first].items():
            by_last[frozenset(lasts)].append(mid)
        inner = "|".join(
            "(?:" + "|".join(re.escape(m) for m in sorted(mids)) + ")" + cls(lasts) if len(mids) > 1
            else re.escape(mids[0]) + cls(lasts)
            for lasts, mids in sorted(by_last.items(), key=lambda kv: sorted(kv[1]))
        )
        alts.append(re.escape(first) + ("(?:" + inner + ")" if "|" in inner else inner))
    return "|".join(alts)


def starts_lookahead(pattern: re.Pattern, k: int = 3) -> str:
    """A lookahead (use it with ``re.IGNORECASE``) that holds wherever ``pattern`` may begin a match."""
    found = starts(pattern, k)
    if found is None:
        return ""
    body = "|".join(_trie(found[n]) for n in sorted(found, reverse=True))
    # within k characters of the end, or where the text leaves ASCII, every position counts
    return rf"(?=(?:{body})|[\s\S]{{0,{k - 1}}}(?:[^\x00-\x7f]|\Z))"
