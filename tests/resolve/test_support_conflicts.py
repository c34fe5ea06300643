"""Corroboration of quotes/figures and number conflicts (and the cases that are not conflicts)."""

from __future__ import annotations

from resolve_builder import DocBuilder, build_all

from storyline.lexicon.figures import BODY_WEIGHT, FAMILY_NOUNS
from storyline.resolve import resolve
from storyline.resolve.support import values_agree


def _fig(doc, text, surface, value, dup=None, period="2025", status="actual", qualifier=None, about="dock wage rise"):
    d = DocBuilder(doc, text, "2026-03-02", duplicate_of=dup)
    u = d.ent("ORG", "Dockworkers Union")
    d.figure(surface, value, "percent", about, u, period, status, qualifier)
    return d


def _support(res, kind, item):
    return next(s for s in res.support if s.kind == kind and s.item == item)


def test_values_agree_up_to_rounding():
    assert values_agree(1.28, 1.3) and values_agree(4.0, 4.0)
    assert not values_agree(4.0, 6.0) and not values_agree(1.28, 1.35)


def test_same_measure_different_value_is_a_number_conflict():
    a = _fig("a", "The Dockworkers Union won a 4% rise for 2025.", "4%", 4.0)
    b = _fig("b", "The Dockworkers Union got 4% more for 2025.", "4%", 4.0)
    c = _fig("c", "The Dockworkers Union won a 6% rise for 2025.", "6%", 6.0)
    res = resolve(*build_all(a, b, c))
    nums = [c for c in res.conflicts if c.kind == "number"]
    assert len(nums) == 1
    assert sorted(cl.value for cl in nums[0].claims) == ["4", "4", "6"]
    assert _support(res, "figure", "a:f0").sources == 2
    assert _support(res, "figure", "c:f0").sources == 1


def test_no_false_number_conflicts():
    a = _fig("a", "The Dockworkers Union won a 4% rise for 2025.", "4%", 4.0)
    docs = [
        _fig("p", "The Dockworkers Union won 6% for 2026.", "6%", 6.0, period="2026"),  # other period
        _fig("t", "The Dockworkers Union wants 6% in 2025.", "6%", 6.0, status="proposal"),  # a demand
        _fig("q", "The Dockworkers Union won about 4.5% for 2025.", "4.5%", 4.5, qualifier="about"),  # hedged
        _fig("r", "The Dockworkers Union won 4.0% for 2025.", "4.0%", 4.0),  # same value
        _fig("m", "The Dockworkers Union has 6% of members retired in 2025.", "6%", 6.0, about="members retired"),
        _fig("d", "The Dockworkers Union won a 6% rise for 2025!", "6%", 6.0, dup="e"),  # one source with e
        _fig("e", "The Dockworkers Union won a 6% rise for 2025?", "6%", 6.0, period="2025 ", about="dock wage rise"),
    ]
    res = resolve(*build_all(a, *docs[:5]))
    assert [c for c in res.conflicts if c.kind == "number"] == []
    # the copy of an article does not contradict its original
    res = resolve(*build_all(*docs[5:]))
    assert res.conflicts == ()


def test_quotes_corroborated_across_documents():
    a = DocBuilder("a", 'Grace Okafor said "we will not load a single ship until the offer improves".', "2026-03-02")
    ga = a.ent("PERSON", "Grace Okafor")
    a.quote("we will not load a single ship until the offer improves", ga)
    b = DocBuilder("b", 'Okafor vowed: "We will not load a single ship until the offer improves."', "2026-03-02")
    gb = b.ent("PERSON", "Okafor")
    b.quote("We will not load a single ship until the offer improves.", gb)
    c = DocBuilder("c", 'Okafor added that "talks are over" for now.', "2026-03-02", duplicate_of="b")
    gc = c.ent("PERSON", "Okafor")
    c.quote("talks are over", gc)
    d = DocBuilder("d", 'Paul Brandt said "we will load every ship".', "2026-03-02")
    pd = d.ent("PERSON", "Paul Brandt")
    d.quote("we will load every ship", pd)
    res = resolve(*build_all(a, b, c, d))
    assert _support(res, "quote", "a:q0").documents == ("a", "b")
    assert _support(res, "quote", "a:q0").sources == 2
    assert _support(res, "quote", "c:q0").sources == 1
    assert _support(res, "quote", "d:q0").documents == ("d",)  # another speaker


def test_event_support_counts_duplicates_once():
    texts = {"a": "Grace Okafor met Paul Brandt.", "b": "Grace Okafor met Paul Brandt!", "c": "Grace Okafor met Paul Brandt?"}
    builders = []
    for doc, text in texts.items():
        d = DocBuilder(doc, text, "2026-03-02", duplicate_of="a" if doc == "b" else None)
        g, p = d.ent("PERSON", "Grace Okafor"), d.ent("PERSON", "Paul Brandt")
        d.event("MEET", "met", [g, p], "2026-03-01")
        builders.append(d)
    res = resolve(*build_all(*builders))
    (ev,) = res.events
    s = _support(res, "event", ev.id)
    assert s.documents == ("a", "b", "c") and s.sources == 2 == ev.sources


def _person_fig(doc, text, surface, value, unit="count", about=FAMILY_NOUNS["children"], person="Maria Delgado"):
    d = DocBuilder(doc, text, "2026-03-02")
    p = d.ent("PERSON", person)
    d.figure(surface, value, unit, about, p)
    return d


def test_one_person_s_children_or_weight_told_differently_is_a_number_conflict():
    a = _person_fig("a", "Maria Delgado, a mother of 12, was shot.", "12", 12.0)
    b = _person_fig("b", "Maria Delgado, a mother of 13, died.", "13", 13.0)
    res = resolve(*build_all(a, b))
    nums = [c for c in res.conflicts if c.kind == "number"]
    assert len(nums) == 1 and sorted(cl.value for cl in nums[0].claims) == ["12", "13"]
    assert "'number of children': 12 (1 source) vs 13 (1 source)" in nums[0].summary
    c = _person_fig("c", "Jose Ortega is 5-foot-8, 135 pounds.", "135 pounds", 135.0, "pounds", BODY_WEIGHT, "Jose Ortega")
    d = _person_fig("d", "Jose Ortega weighs 130 pounds.", "130 pounds", 130.0, "pounds", BODY_WEIGHT, "Jose Ortega")
    assert len([c for c in resolve(*build_all(c, d)).conflicts if c.kind == "number"]) == 1


def test_other_counts_and_another_person_s_children_are_no_conflict():
    a = _person_fig("a", "Maria Delgado, a mother of 12, was shot.", "12", 12.0)
    docs = [
        _person_fig("b", "Ana Ruiz, a mother of 13, was hurt.", "13", 13.0, person="Ana Ruiz"),  # another mother
        _person_fig("c", "Maria Delgado was hit by one of 13 shots.", "13", 13.0, about="shots"),  # not her children
        _person_fig("d", "Maria Delgado, a mother of 11 sons, was shot.", "11", 11.0, about=FAMILY_NOUNS["sons"]),
    ]
    res = resolve(*build_all(a, *docs))
    assert [c for c in res.conflicts if c.kind == "number"] == []
