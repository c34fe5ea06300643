"""Number conflicts need one measure: same unit, compatible subject, same period
and status, a rate that agrees, no hedging, and values that differ."""

from __future__ import annotations

import dataclasses

from resolve_builder import DocBuilder, build_all

from storyline.resolve import resolve

COST = "cost of the blockade a day"


def _cost(doc, text, surface, value, about=COST, speaker=True, subject=None, period=None, status="actual",
          qualifier=None, dup=None):
    d = DocBuilder(doc, text, "2026-05-02", duplicate_of=dup)
    board = d.ent("ORG", "Rivermouth Port Board")
    subj = d.ent("ORG", subject) if subject else None
    d.figure(surface, value, "USD", about, subj, period, status, qualifier)
    if speaker:
        d.figures[-1] = dataclasses.replace(d.figures[-1], speaker=speaker if isinstance(speaker, str) else board)
    return d


A = ("The Rivermouth Port Board said the blockade was costing the economy of Rivermouth Harbour $30 million "
     "a day.")
B = ("The Rivermouth Port Board now puts the cost of the blockade at $18 million a day; the Dockers Union "
     "had spoken of $30 million for the Port Board.")


def _numbers(*builders):
    res = resolve(*build_all(*builders))
    return [c for c in res.conflicts if c.kind == "number"]


def test_same_daily_cost_two_values_is_a_conflict():
    (c,) = _numbers(_cost("a", A, "$30 million", 30e6), _cost("b", B, "$18 million", 18e6))
    assert sorted(cl.value for cl in c.claims) == ["18000000", "30000000"]
    assert {cl.span.doc for cl in c.claims} == {"a", "b"}


def test_one_side_without_subject_conflicts_when_about_matches_strongly():
    a = _cost("a", A, "$30 million", 30e6, subject="Rivermouth Harbour")
    b = _cost("b", B, "$18 million", 18e6)
    assert len(_numbers(a, b)) == 1


def test_not_the_same_measure_is_no_conflict():
    a = _cost("a", A, "$30 million", 30e6)
    cases = [
        _cost("b", B, "$18 million", 18e6, about="cost of the blockade a year"),  # another rate
        _cost("b", B, "$18 million", 18e6, about="cost of repairs a day"),  # weak about match
        _cost("b", B, "$18 million", 18e6, period="March"),  # a period on one side only
        _cost("b", B, "$18 million", 18e6, status="estimate"),  # another status
        _cost("b", B, "$18 million", 18e6, qualifier="about"),  # hedged
        _cost("b", B, "$18 million", 18e6, speaker="e0x"),  # another party's own figure
        _cost("b", B, "$30 million", 30e6),  # the same value
        _cost("b", B, "$18 million", 18e6, dup="a"),  # a copy of the same article
    ]
    for b in cases:
        if b.figures[-1].speaker == "e0x":
            other = b.ent("ORG", "Dockers Union")
            b.figures[-1] = dataclasses.replace(b.figures[-1], speaker=other)
        assert _numbers(a, b) == [], b.figures[-1]


def test_different_subjects_never_conflict():
    a = _cost("a", A, "$30 million", 30e6, subject="Rivermouth Harbour")
    b = _cost("b", B, "$18 million", 18e6, subject="Port Board")
    assert _numbers(a, b) == []


def _count(doc, text, surface, value, about):
    d = DocBuilder(doc, text, "2026-05-02")
    d.figure(surface, value, "count", about)
    return d


def test_counts_of_things_never_conflict_by_their_words():
    """"12 crew members" and "three crew members" in two reports of one story may count different
    crews (counts are compared through the event they size, in count_conflicts)."""
    a = _count("a", "The navy said 12 crew members were taken off the trawler.", "12", 12, "crew members")
    b = _count("b", "Three crew members were rescued from the water, the navy said.", "Three", 3, "crew members")
    assert _numbers(a, b) == []


def _sank(doc, day, value=None, relative=False):
    text = f"An Indian Navy frigate sank the pirate mother ship on {day}, officials said."
    d = DocBuilder(doc, text, "2008-11-20")  # reports of one day; their days left without a year
    navy = d.ent("ORG", "Indian Navy")
    d.event("ASSAULT", "sank", [navy], when_=value, time_text=day, sentence=text)
    d.times[-1] = dataclasses.replace(d.times[-1], partial=None if value else "XXXX-11-" + day.split()[-1])
    return d


def test_undated_reports_that_name_different_days_conflict():
    res = resolve(*build_all(_sank("a", "November 18"), _sank("b", "November 19")))
    (c,) = [c for c in res.conflicts if c.kind == "date"]
    assert sorted(cl.value for cl in c.claims) == ["XXXX-11-18", "XXXX-11-19"]
    assert {cl.span.text for cl in c.claims} == {"November 18", "November 19"}
    same = resolve(*build_all(_sank("a", "November 19"), _sank("b", "November 19")))
    assert not [c for c in same.conflicts if c.kind == "date"]
