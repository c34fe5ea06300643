"""How long one happening ran, given differently by two reports: a conflict of durations (issue 17)."""

from __future__ import annotations

import pytest

from resolve_builder import DocBuilder, build_all

from storyline.model import TimeExpr, When
from storyline.resolve import resolve
from storyline.resolve.durations import duration_days


def _sentenced(doc: str, length: str, value: str, dup: str | None = None, text: str | None = None):
    text = text or f"Piet Dorn of Kestrel Bay was sentenced to {length} in prison on Monday, the court said."
    d = DocBuilder(doc, text, "2026-05-02", duplicate_of=dup)
    dorn = d.ent("PERSON", "Piet Dorn")
    d.event("SENTENCE", "sentenced", [dorn], sentence=text)
    d.times.append(TimeExpr(d.span(length), f"t{len(d.times)}", "DURATION", When(value)))
    return d


def _durations(*builders):
    return [c for c in resolve(*build_all(*builders)).conflicts if c.about.endswith(":duration")]


def test_duration_days():
    assert duration_days("P2Y6M") == pytest.approx(2.5 * 365.25, rel=0.01)
    assert duration_days("PT30H") == pytest.approx(1.25)
    assert duration_days("PXY") is None and duration_days("2026-05-02") is None


@pytest.mark.issue(17)
def test_one_sentence_given_two_lengths_is_a_conflict_citing_both():
    (c,) = _durations(_sentenced("a", "2 years", "P2Y"), _sentenced("b", "2 1/2 years", "P2Y6M"))
    assert sorted(cl.span.text for cl in c.claims) == ["2 1/2 years", "2 years"]
    assert {cl.span.doc for cl in c.claims} == {"a", "b"}
    assert "object of its trigger" in c.basis


@pytest.mark.issue(17)
def test_hedged_same_copied_far_apart_or_two_per_report_are_no_conflict():
    a = _sentenced("a", "2 years", "P2Y")
    assert _durations(a, _sentenced("b", "more than 2 years", "P2Y")) == []  # hedged
    assert _durations(a, _sentenced("b", "two years", "P2Y")) == []  # the same length
    assert _durations(a, _sentenced("b", "2 1/2 years", "P2Y6M", dup="a")) == []  # a copy of the same report
    assert _durations(a, _sentenced("b", "12 years", "P12Y")) == []  # six times longer: another sentence
    text = "Piet Dorn of Kestrel Bay was sentenced to 2 1/2 years in prison on Monday; in 1990 he was sentenced to 3 years."
    two = _sentenced("b", "2 1/2 years", "P2Y6M", text=text)
    two.event("SENTENCE", "sentenced", [two.entities[0].key], n=2, sentence=text)
    two.times.append(TimeExpr(two.span("3 years"), "t9", "DURATION", When("P3Y")))
    assert _durations(a, two) == []  # b gives two lengths: several sentences joined as one event


@pytest.mark.issue(17)
def test_a_duration_that_places_the_happening_is_not_its_length():
    a = _sentenced("a", "2 years", "P2Y", text="Piet Dorn of Kestrel Bay was sentenced 2 years ago in the port court, the court said.")
    b = _sentenced("b", "3 years", "P3Y", text="Piet Dorn of Kestrel Bay was sentenced 3 years ago in the port court, the court said.")
    assert _durations(a, b) == []
