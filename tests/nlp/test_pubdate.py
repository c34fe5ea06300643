"""Publication-date inference: a pure function over clues, then the component
on the user's seeds (skipped when absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.model import Span, When
from storyline.nlp import run_through
from storyline.nlp.build import build_pipeline
from storyline.nlp.pubdate import Clue, infer_published
from storyline.nlp.timex import parse

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
TODAY = date(2026, 1, 15)


def clue(expr: str, tense: str | None = "past", people=(), nouns=(), start: int = 0) -> Clue:
    p = parse(expr)
    assert p is not None, expr
    return Clue(Span("d", start, start + len(expr), expr), p, tense, frozenset(people), frozenset(nouns))


def test_nothing_to_go_on_is_unknown():
    pub = infer_published([clue("Tuesday"), clue("last week"), clue("early June")], TODAY)
    assert pub.basis == "unknown" and pub.when == When()


def test_past_full_dates_bound_from_below_only():
    pub = infer_published([clue("March 31, 2025", start=10), clue("April 2, 2025", start=40)], TODAY)
    assert (pub.basis, pub.when) == ("inferred", When(None, "2025-04-02", None))
    assert [s.text for s in pub.evidence] == ["April 2, 2025"]


def test_future_and_unknown_tense_dates_do_not_bound():
    pub = infer_published([clue("April 10, 2025", "future"), clue("May 1, 2025", None)], TODAY)
    assert pub.basis == "unknown"


def test_weekday_pinned_by_the_same_event():
    rel = clue("last Friday", people={"a", "b"}, nouns={"call"}, start=0)
    abs_ = clue("March 28", people={"a", "b"}, nouns={"call"}, start=100)
    pub = infer_published([rel, abs_], TODAY)
    assert (pub.basis, pub.when.earliest, pub.when.latest) == ("inferred", "2025-03-29", "2025-04-04")
    assert {s.text for s in pub.evidence} == {"last Friday", "March 28"}


def test_pin_within_one_iso_week_gets_the_week_value():
    rel = clue("Monday", people={"a", "b"})  # "said Monday": on or before publication
    abs_ = clue("March 31, 2025", people={"a", "b"}, start=50)
    pub = infer_published([rel, abs_], TODAY)
    assert pub.when == When("2025-W14", "2025-03-31", "2025-04-06")


def test_weak_links_do_not_pin():
    # one shared person and no shared event noun: could be any two events
    rel = clue("last Friday", people={"a"}, nouns={"call"})
    abs_ = clue("March 28", people={"a", "c"}, nouns={"vote"}, start=100)
    assert infer_published([rel, abs_], TODAY).basis == "unknown"


def test_weekday_that_does_not_match_the_date_does_not_pin():
    rel = clue("last Thursday", people={"a", "b"})
    abs_ = clue("March 28, 2025", people={"a", "b"}, start=100)  # a Friday
    pub = infer_published([rel, abs_], TODAY)
    assert pub.when == When(None, "2025-03-28", None)  # only the lower bound remains


def test_equally_good_links_to_two_days_are_ambiguous():
    rel = clue("last Friday", people={"a", "b"})
    one = clue("March 28, 2025", people={"a", "b"}, start=50)
    two = clue("March 21, 2025", people={"a", "b"}, start=90)
    pub = infer_published([rel, one, two], TODAY)
    assert pub.when == When(None, "2025-03-28", None)


def test_pin_that_contradicts_the_lower_bound_is_dropped():
    rel = clue("last Friday", people={"a", "b"})
    abs_ = clue("March 28, 2025", people={"a", "b"}, start=50)
    later = clue("April 20, 2025", start=90)
    pub = infer_published([rel, abs_, later], TODAY)
    assert pub.when == When(None, "2025-04-20", None)


def test_year_of_a_yearless_pinned_date_is_the_most_recent_one():
    rel = clue("last Friday", people={"a", "b"})
    abs_ = clue("March 28", people={"a", "b"}, start=50)
    assert infer_published([rel, abs_], date(2025, 6, 1)).when.earliest == "2025-03-29"
    # before 2025, the last Friday March 28 was in 2014
    assert infer_published([rel, abs_], date(2024, 6, 1)).when.earliest == "2014-03-29"


def test_a_day_that_names_its_weekday_pins_only_that_weekday():
    rel = clue("Wednesday", people={"a", "b"})  # "said Wednesday"
    abs_ = clue("Thursday, Jan. 6", "present", people={"a", "b"}, start=50)  # Jan. 6 was a Wednesday in 2021
    assert infer_published([rel, abs_], TODAY).basis == "unknown"


def test_a_yearless_day_takes_the_year_the_document_writes_for_it():
    rel = clue("Thursday", people={"a", "b"})
    abs_ = clue("Feb. 9", people={"a", "b"}, start=50)
    stated = clue("Feb. 9, 2017", "present", start=90)  # present tense: no lower bound
    pub = infer_published([rel, abs_, stated], TODAY)
    assert (pub.when.earliest, pub.when.latest) == ("2017-02-09", "2017-02-15")
    # the same day written with a year it does not fit the weekday in: no pin, not another year
    other = clue("Feb. 9, 2016", "present", start=90)  # a Tuesday
    assert infer_published([rel, abs_, other], TODAY).basis == "unknown"


def test_a_guessed_year_later_than_the_years_the_document_writes_is_dropped():
    rel = clue("last Friday", people={"a", "b"})
    abs_ = clue("March 28", people={"a", "b"}, start=50)  # the most recent Friday March 28: 2025
    old = clue("June 1995", start=90)  # the report's latest year: it is older than the guess
    assert infer_published([rel, abs_, old], TODAY).basis == "unknown"
    recent = clue("June 2024", start=90)  # the year before the guess: nothing against it
    assert infer_published([rel, abs_, recent], TODAY).when.earliest == "2025-03-29"


# ------------------------------------------------------------------ the user's articles


@pytest.fixture(scope="module")
def seed_published():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present (only in CI and developer checkouts)")
    from storyline.readers import read_paths

    nlp = build_pipeline(Settings())
    out = {}
    for document in read_paths(sorted(str(p) for p in SEEDS.glob("*.txt"))):
        pub = run_through(nlp, document, "storyline_times")._.sl_published
        for s in pub.evidence:
            assert s.check(document.text), s
        out[Path(document.source).name[:3]] = pub
    return out


@pytest.mark.seeds
@pytest.mark.parametrize(
    "seed, basis, earliest, latest",
    [
        ("000", "inferred", "2025-04-02", None),
        ("001", "inferred", "2025-03-29", "2025-04-04"),
        ("002", "unknown", None, None),
        ("003", "inferred", "2025-04-03", None),
        ("004", "stated", "2025-04-03", "2025-04-03"),
    ],
)
def test_seed_publication_dates(seed_published, seed, basis, earliest, latest):
    if seed not in seed_published:
        pytest.skip(f"seed {seed} not present")
    pub = seed_published[seed]
    assert (pub.basis, pub.when.earliest, pub.when.latest) == (basis, earliest, latest)
    if basis == "inferred":
        assert pub.evidence
