"""The start analysis of a regular expression: trying a pattern only where its lookahead
holds finds what trying it everywhere finds."""

import re

import pytest

from storyline.nlp.rxstarts import starts, starts_lookahead


def _everywhere(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in (rx.match(text, i) for i in range(len(text) + 1)) if m]


def _filtered(rx: re.Pattern, text: str, k: int) -> list[tuple[int, int]]:
    ahead = re.compile(starts_lookahead(rx, k), re.IGNORECASE)
    return [(m.start(), m.end()) for m in (rx.match(text, a.start()) for a in ahead.finditer(text)) if m]


PATTERNS = [
    r"(?:the\s+)?(?:last|next)\s+(?:week|month)",
    r"\b(?:approximately\s+|about\s+)?\d{1,3}\s+(?:day|year)s?",
    r"(?:(?:this|last)[\s-]+){1,3}spring|[Ss]ummer\s+of\s+\d{4}",
    r"a|an\s+hour",
    r"(?<![\d$])\b(?:1[89]\d\d|20\d\d)(?!\d)",
    r"mid[\s-]?(?:march|may)",
]
TEXTS = [
    "Last week, about 12 days after the 1996 storm; THE NEXT MONTH a mid-March an hour.",
    "this last spring and summer of 2004, 20\u00a0days (nbsp), next\u2003week, ending in an",
    "\u212aelvin, last\tmonth, 1999x 2001 $1999 approximately 3 years, mid march",
    "",
    "a",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_filtered_matches_are_all_matches(pattern, k):
    rx = re.compile(pattern, re.IGNORECASE)
    for text in TEXTS:
        assert _filtered(rx, text, k) == _everywhere(rx, text)


def test_starts_lists_the_first_characters():
    found = starts(re.compile(r"(?:the\s+)?last\s+week", re.IGNORECASE), 3)
    assert found == {3: frozenset({"the", "las"})}
    assert starts(re.compile(r"x*"), 2) is None  # an empty match may start anywhere
    assert starts(re.compile(r"[^a]bc"), 2) is None  # a negated class is not listed
    assert starts(re.compile(r"ab.c"), 3) == {2: frozenset({"ab"})}  # listed up to the dot


def test_time_expressions_found_alike_with_and_without_the_lookahead():
    from storyline.nlp import timexfind

    text = ("On Monday, March 3, 2025 -- two weeks ago -- the 2nd quarter... (Jan. 5-7) at 10 a.m. EST; "
            "IN THE SPRING OF 1996 nineteen ninety-six,  yesterday's 3rd-quarter; 1990s/the past few years. "
            "Late\u00a0May, the\u2009week before; midnight")
    got = [(m.start(), m.end(), m.lastgroup) for m in timexfind._time_matches(text)]
    assert got == [(m.start(), m.end(), m.lastgroup) for m in timexfind._TIME.finditer(text)]


def test_time_expressions_alike_on_random_word_salad():
    import random

    from storyline.nlp import timexfind

    words = ["the", "last", "Next", "week", "March", "mid-May", "2019", "12", "a", "few", "days", "ago", "\u00a0",
             "Spring", "of", "1996", "at", "10", "p.m.", "nineteen", "ninety-six", "quarter", "-", ",", "\u212a", "\n"]
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice(words) + rng.choice(" \t-,.") for _ in range(rng.randint(1, 12)))
        got = [(m.start(), m.end(), m.lastgroup) for m in timexfind._time_matches(text)]
        assert got == [(m.start(), m.end(), m.lastgroup) for m in timexfind._TIME.finditer(text)], text
