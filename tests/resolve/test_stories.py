"""Stories: shared entities + time proximity; undated articles need strong links."""

from __future__ import annotations

from pathlib import Path

import pytest
from resolve_builder import DocBuilder, build_all

from storyline.resolve import resolve

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


def _strike(doc, date, text="Grace Okafor of the Dockworkers Union met Minister Paul Brandt at Port Halden."):
    d = DocBuilder(doc, text, date)
    g = d.ent("PERSON", "Grace Okafor")
    u = d.ent("ORG", "Dockworkers Union")
    p = d.ent("PERSON", "Paul Brandt")
    d.ent("GPE", "Port Halden")
    return d, g, u, p


def _story_of(res, doc):
    return next(s for s in res.stories if doc in s.documents)


def test_same_people_close_in_time_share_a_story():
    a, g, u, p = _strike("a", "2026-03-01")
    a.event("MEET", "met", [g, p], "2026-03-01", None, mode="meeting", label="union-ministry talks")
    b, *_ = _strike("b", "2026-03-04")
    c = DocBuilder("c", "Chef Mira Tan opened a bakery in Vell.", "2026-03-02")
    c.ent("PERSON", "Mira Tan")
    c.ent("GPE", "Vell")
    res = resolve(*build_all(a, b, c))
    assert _story_of(res, "a") == _story_of(res, "b")
    assert _story_of(res, "c") != _story_of(res, "a")
    s = _story_of(res, "a")
    # the story's dates are its news's (the meeting of March 1), not its reports' (issue 17)
    assert s.id.startswith("sty_") and s.earliest == "2026-03-01" and s.latest == "2026-03-01"
    assert "Okafor" in s.label and "Brandt" in s.label and "union-ministry talks" in s.label


def test_same_people_months_apart_are_separate_stories():
    a, *_ = _strike("a", "2026-03-01")
    b, *_ = _strike("b", "2026-08-19")
    res = resolve(*build_all(a, b))
    assert _story_of(res, "a") != _story_of(res, "b")


def test_undated_article_needs_a_strong_link():
    a, g, u, p = _strike("a", "2026-03-01")
    a.event("MEET", "met", [g, p], "2026-02-27", None, mode="meeting")
    # shares the union and one person only: stays apart
    weak = DocBuilder("w", "Grace Okafor of the Dockworkers Union spoke at a gala.")
    weak.ent("PERSON", "Grace Okafor")
    weak.ent("ORG", "Dockworkers Union")
    # reports the same meeting: joins
    strong = DocBuilder("s", "Okafor met Brandt for three hours.")
    go, pb = strong.ent("PERSON", "Okafor"), strong.ent("PERSON", "Brandt")
    strong.event("MEET", "met", [go, pb], None, None, mode="meeting")
    res = resolve(*build_all(a, weak, strong))
    assert _story_of(res, "s") == _story_of(res, "a")
    assert _story_of(res, "w") != _story_of(res, "a")


def test_near_duplicate_shares_its_original_story():
    a, *_ = _strike("a", "2026-03-01")
    b = DocBuilder("b", "Grace Okafor of the Dockworkers Union met Minister Paul Brandt at Port Halden!", duplicate_of="a")
    res = resolve(*build_all(a, b))
    assert _story_of(res, "b") == _story_of(res, "a")


def _find_all(text, names):
    return [n for n in names if n in text]


@pytest.mark.seeds
def test_seed_april_reports_form_one_story_and_august_stays_apart():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present (only in CI and developer checkouts)")
    files = sorted(SEEDS.glob("*.txt"))
    people = ["José Manuel Albares", "Albares", "Marco Rubio", "Rubio", "Donald Trump", "Trump", "Christopher Landau",
              "Diego Martínez Belío", "Pedro Sánchez", "Sánchez", "Mark Rutte", "Rutte", "Volodymyr Zelenskiy", "Vladimir Putin",
              "Kellogg", "Kaja Kallas", "Josu Jon Imaz"]
    orgs = ["NATO", "State Department", "Repsol", "Bloomberg"]
    places = ["Spain", "U.S.", "US", "United States", "Brussels", "Ukraine", "Russia", "Washington", "Alaska"]
    builders = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        doc = f.name[:3]
        stated = "2025-04-03" if text.lstrip().startswith("date 2025-04-03") else None
        d = DocBuilder(doc, text, stated)
        keys = {}
        for name in _find_all(text, people):
            if not any(name != full and full.endswith(name) and full in text for full in people):
                keys[name] = d.ent("PERSON", name)
        for name in _find_all(text, orgs):
            d.ent("ORG", name)
        for name in _find_all(text, places):
            if name == "US" and "U.S." in text:
                continue
            d.ent("GPE", name)
        for day, iso in (("April 2, 2025", "2025-04-02"), ("April 3, 2025", "2025-04-03")):
            if day in text:
                d.time(day, iso)
        if "March 31, 2025" in text:  # the deputies' call, 000's date
            d.event("CONSULT", "conversation", [keys["Diego Martínez Belío"], keys["Christopher Landau"]],
                    "2025-03-31", "March 31, 2025", label="deputies' call", n=2)
        if "On March 28" in text:  # the same call, 001's date
            d.event("CONSULT", "telephone conversation", [keys["Christopher Landau"], keys["Diego Martínez Belío"]],
                    "2025-03-28", "On March 28", label="Landau call with Martínez Belío", n=2)
        builders.append(d)
    res = resolve(*build_all(*builders))
    story = {d: _story_of(res, d).id for d in ("000", "001", "002", "003", "004")}
    assert story["000"] == story["001"] == story["003"] == story["004"]
    assert story["002"] != story["000"]
    dates = [c for c in res.conflicts if c.kind == "date"]
    assert len(dates) == 1 and {c.span.text for c in dates[0].claims} == {"March 31, 2025", "On March 28"}


def _group_docs(prefix: str, person: str, n: int, shared: tuple) -> tuple[dict, dict]:
    """``n`` reports whose openings name ``person`` and whose words are mostly ``shared``."""
    from storyline.model import Entity, Span

    terms, ents = {}, {}
    for i in range(n):
        doc = f"{prefix}{i}"
        terms[doc] = tuple((w, 2) for w in shared) + ((f"{prefix}-only", 1), (f"{doc}-own", 1))
        eid = f"ent_{prefix}{i}"
        ents[eid] = Entity(eid, person, "PERSON", (), (), (Span(doc, 10, 10 + len(person), person),), ((doc, "e0"),))
    return terms, ents


def test_two_groups_that_lead_with_different_people_are_two_stories():
    """Two incidents of one kind told in the same words ("the Saints placed X on injured reserve"),
    each by several reports whose openings name their own player, are two stories."""
    from storyline.model import Entity
    from storyline.resolve.textparts import text_story_groups

    shared = ("saint", "injured", "reserve", "place", "running", "back", "season", "knee")
    ta, ea = _group_docs("a", "Reggie Bush", 5, shared)
    tb, eb = _group_docs("b", "Pierre Thomas", 5, shared)
    terms, ents = {**ta, **tb}, {**ea, **eb}
    docs = sorted(terms)
    groups = text_story_groups(docs, terms, ents.values(), {d: None for d in docs}, {}, 7)
    assert sorted(groups) == [sorted(ta), sorted(tb)]
    # one report of the second incident that names the first player in its opening does not join them
    eb["ent_b0"] = Entity("ent_b0", "Reggie Bush", "PERSON", (), (), eb["ent_b0"].mentions, eb["ent_b0"].members)
    ents = {**ea, **eb}
    groups = text_story_groups(docs, terms, ents.values(), {d: None for d in docs}, {}, 7)
    assert len(groups) >= 2 and not any({"a0", "b1"} <= set(g) for g in groups)


def test_a_lone_report_joins_its_closest_story_only_when_near_enough():
    from collections import Counter

    from storyline.resolve.stories import TEXT_LINK, agglomerate

    docs = ["a", "b", "c", "s", "t"]
    pairs = {("a", "b"): 0.5, ("a", "c"): 0.5, ("b", "c"): 0.5}
    pairs |= {(x, "s"): 0.6 * TEXT_LINK for x in "abc"}  # below a merge, above half of it
    pairs |= {(x, "t"): 0.3 * TEXT_LINK for x in "abc"}  # too far even for a lone report
    links: dict = {d: {} for d in docs}
    for (x, y), v in pairs.items():
        links[x][y] = links[y][x] = v
    groups = agglomerate({d: [d] for d in docs}, links, {d: None for d in docs}, {d: Counter() for d in docs}, TEXT_LINK, 7)
    assert groups == [["a", "b", "c", "s"], ["t"]]


def test_dots_are_the_floats_of_dot_summed_in_the_shorter_vectors_order():
    import random

    from storyline.resolve.stories import dot, dots

    rng = random.Random(7)
    words = [f"w{i}" for i in range(60)]
    vectors = {}
    for d in range(40):
        chosen = rng.sample(words, rng.randint(0, 30))
        vectors[f"d{d:02}"] = {w: rng.random() ** 3 for w in chosen}  # no order but insertion order
    ids = sorted(vectors)
    pairs = [(a, b) for a in ids for b in ids if a < b and rng.random() < 0.3]
    assert dots(pairs, vectors) == [dot(vectors[a], vectors[b]) for a, b in pairs]  # the very same floats
    assert dots([], vectors) == []


def test_best_neighbours_sum_in_asking_order_and_break_ties_by_id():
    from storyline.resolve.stories import MAX_NEIGHBOURS, best_neighbours

    def d(i):
        return f"d{i:02d}"  # ids that sort as their numbers

    postings = {"ship": [(d(0), 0.5), (d(1), 0.2), (d(2), 0.2), (d(3), 0.1)], "port": [(d(0), 0.3), (d(3), 0.4)]}
    # d00: d03 (0.05 + 0.12), then d01 and d02 tied at 0.1 (by id); d02: d00, then d01 (0.04) before d03 (0.02)
    assert best_neighbours(d(0), [("ship", 0.5), ("port", 0.3)], postings) == [d(3), d(1), d(2)]
    assert best_neighbours(d(2), [("ship", 0.2)], postings) == [d(0), d(1), d(3)]
    many = {"w": [(d(i), 1.0) for i in range(MAX_NEIGHBOURS + 10)]}
    assert best_neighbours(d(5), [("w", 1.0)], many) == [d(i) for i in range(MAX_NEIGHBOURS + 1) if i != 5]
