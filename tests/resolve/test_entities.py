"""Entities across documents: one entity per person/org/place, different people apart."""

from __future__ import annotations

from resolve_builder import DocBuilder, build_all, entity_named

from storyline.resolve import resolve
from storyline.resolve.names import compatible_person, fold, name_tokens, person_tokens


def test_name_helpers():
    assert fold("Martínez Belío") == fold("Martinez Belio") == "martinez belio"
    assert name_tokens("U.S.") == name_tokens("US") == ("us",)
    assert person_tokens("US Secretary of State Marco Rubio") == ("marco", "rubio")
    assert compatible_person(("martinez", "belio"), ("diego", "martinez", "belio"))
    assert not compatible_person(("pedro", "sanchez"), ("ana", "sanchez"))
    assert compatible_person(("j", "okafor"), ("james", "okafor"))
    assert not compatible_person(("george", "h", "bush"), ("george", "w", "bush"))


def test_full_name_surname_title_and_accents_merge():
    a = DocBuilder("a", "Minister Diego Martínez Belío met reporters. Martínez Belío smiled.", "2026-01-05")
    da = a.ent("PERSON", "Diego Martínez Belío", "Martínez Belío")
    b = DocBuilder("b", "Secretary Martinez Belio spoke on Tuesday.", "2026-01-06")
    db = b.ent("PERSON", "Secretary Martinez Belio")
    c = DocBuilder("c", "Diego Martinez Belio, the envoy, left.", "2026-01-07")
    dc = c.ent("PERSON", "Diego Martinez Belio")
    res = resolve(*build_all(a, b, c))
    ea = entity_named(res, "a", da)
    assert res.entity_of[("b", db)] == res.entity_of[("c", dc)] == ea.id
    assert ea.name == "Diego Martínez Belío"  # fullest form, accents kept
    assert ("b", db) in ea.members and len(ea.members) == 3
    assert any(s.doc == "b" for s in ea.mentions)


def test_country_spellings_merge():
    a = DocBuilder("a", "The U.S. and Spain talked.", "2026-01-05")
    ua = a.ent("GPE", "U.S.")
    b = DocBuilder("b", "Officials in the United States said so.", "2026-01-05")
    ub = b.ent("GPE", "United States")
    c = DocBuilder("c", "US officials agreed.", "2026-01-05")
    uc = c.ent("GPE", "US")
    d = DocBuilder("d", "Spain is in the EU.", "2026-01-05")
    sd = d.ent("GPE", "Spain")
    res = resolve(*build_all(a, b, c, d))
    us = entity_named(res, "a", ua)
    assert res.entity_of[("b", ub)] == res.entity_of[("c", uc)] == us.id
    assert us.name == "United States"
    assert res.entity_of[("d", sd)] != us.id


def test_two_sanchez_stay_apart_and_bare_surname_is_ambiguous():
    a = DocBuilder("a", "Prime Minister Pedro Sánchez spoke.", "2026-01-05")
    pa = a.ent("PERSON", "Pedro Sánchez")
    b = DocBuilder("b", "Ana Sánchez, a nurse, spoke.", "2026-01-05")
    pb = b.ent("PERSON", "Ana Sánchez")
    c = DocBuilder("c", "Sánchez said nothing.", "2026-01-05")
    pc = c.ent("PERSON", "Sánchez")
    res = resolve(*build_all(a, b, c))
    ids = {res.entity_of[("a", pa)], res.entity_of[("b", pb)], res.entity_of[("c", pc)]}
    assert len(ids) == 3


def test_bare_surname_joins_the_only_full_name():
    a = DocBuilder("a", "Prime Minister Pedro Sánchez spoke.", "2026-01-05")
    pa = a.ent("PERSON", "Pedro Sánchez")
    c = DocBuilder("c", "President Sanchez said nothing.", "2026-01-06")
    pc = c.ent("PERSON", "President Sanchez")
    res = resolve(*build_all(a, c))
    assert res.entity_of[("a", pa)] == res.entity_of[("c", pc)]


def test_bare_surname_picks_the_one_near_in_time():
    a = DocBuilder("a", "Grace Okafor chairs the union.", "2026-03-01")
    ga = a.ent("PERSON", "Grace Okafor")
    b = DocBuilder("b", "Daniel Okafor won the chess final.", "2025-06-01")
    db = b.ent("PERSON", "Daniel Okafor")
    c = DocBuilder("c", "Okafor walked out of the talks.", "2026-03-03")
    oc = c.ent("PERSON", "Okafor")
    res = resolve(*build_all(a, b, c))
    assert res.entity_of[("c", oc)] == res.entity_of[("a", ga)]
    assert res.entity_of[("b", db)] != res.entity_of[("a", ga)]


def test_same_title_different_people_stay_apart():
    a = DocBuilder("a", "Secretary of State Marco Rubio met allies.", "2025-04-03")
    ra = a.ent("PERSON", "Secretary of State Marco Rubio")
    b = DocBuilder("b", "Secretary of State Antony Blinken met allies.", "2023-04-03")
    bb = b.ent("PERSON", "Secretary of State Antony Blinken")
    res = resolve(*build_all(a, b))
    assert res.entity_of[("a", ra)] != res.entity_of[("b", bb)]
    assert entity_named(res, "a", ra).name == "Marco Rubio"


def test_role_only_mention_joins_unique_described_person():
    a = DocBuilder("a", "Lena Varga, the harbour master, closed the quay.", "2026-02-01")
    la = a.ent("PERSON", "Lena Varga", descriptions=("the harbour master",))
    b = DocBuilder("b", "The harbour master reopened it a day later.", "2026-02-02")
    hb = b.ent("PERSON", "The harbour master", kinds=("nominal",))
    c = DocBuilder("c", "A different harbour master retired in 2019.", "2019-02-02")
    hc = c.ent("PERSON", "harbour master", kinds=("nominal",))
    res = resolve(*build_all(a, b, c))
    assert res.entity_of[("b", hb)] == res.entity_of[("a", la)]
    assert res.entity_of[("c", hc)] != res.entity_of[("a", la)]


def test_acronym_joins_its_only_long_form():
    a = DocBuilder("a", "The National Dockworkers Union voted.", "2026-02-01")
    na = a.ent("ORG", "National Dockworkers Union")
    b = DocBuilder("b", "The NDU voted again.", "2026-02-03")
    nb = b.ent("ORG", "NDU")
    res = resolve(*build_all(a, b))
    assert res.entity_of[("a", na)] == res.entity_of[("b", nb)]
    assert entity_named(res, "b", nb).name == "National Dockworkers Union"


def test_entity_ids_are_content_derived():
    a = DocBuilder("a", "Ana Ruiz spoke.", "2026-01-05")
    k = a.ent("PERSON", "Ana Ruiz")
    r1 = resolve(*build_all(a))
    r2 = resolve(*build_all(a))
    assert r1.entity_of[("a", k)] == r2.entity_of[("a", k)]
    assert r1.entity_of[("a", k)].startswith("ent_") and len(r1.entity_of[("a", k)]) == 16


def test_person_tagged_as_org_is_taken_as_the_person():
    a = DocBuilder("a", "Transport Minister Helena Brandt spoke. Later Labour Minister Tomas Reyes said Reyes would mediate.", "2026-03-01")
    ha = a.ent("PERSON", "Helena Brandt")
    ta = a.ent("PERSON", "Tomas Reyes")
    ra = a.ent("ORG", "Reyes")  # the tagger's slip, beside the full name
    b = DocBuilder("b", "Helena Brandt met the Port Halden Authority.", "2026-03-02")
    hb = b.ent("ORG", "Helena Brandt")
    pb = b.ent("ORG", "Port Halden Authority")
    res = resolve(*build_all(a, b))
    assert res.entity_of[("a", ra)] == res.entity_of[("a", ta)]
    assert res.entity_of[("b", hb)] == res.entity_of[("a", ha)]
    assert entity_named(res, "b", pb).type == "ORG"
