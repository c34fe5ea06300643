"""storyline_times: temporal expressions found, parsed and normalised.

Rule tests use fixed anchor days; component tests run the real pipeline (up to
storyline_times) on invented articles and, when present, on the user's seeds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.readers.clean import doc_id
from storyline.model import Document, Published, When
from storyline.nlp.build import build_pipeline
from storyline.nlp.timex import find_candidates, parse, resolve, resolve_between, span_value

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
WED = date(2025, 4, 2)  # a Wednesday, ISO week 2025-W14


@pytest.fixture(scope="session")
def times_nlp():
    return build_pipeline(Settings())


def run_times(nlp, text: str, published: Published | None = None):
    """The pipeline up to and including storyline_times on one invented article."""
    document = Document(doc_id(text), text, "test.txt", published=published or Published())
    doc = nlp.make_doc(text)
    doc._.sl_document = document
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "storyline_times":
            break
    for t in doc._.sl_times:
        assert t.span.check(text), t
    return doc


def stated(day: str) -> Published:
    return Published(When(day, day, day), "stated")


def by_text(doc) -> dict:
    return {t.span.text: t for t in doc._.sl_times}


def found(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in find_candidates(text)]


# ------------------------------------------------------------------ rules


@pytest.mark.parametrize(
    "expr, tense, value, earliest, latest",
    [
        ("April 2, 2025", None, "2025-04-02", "2025-04-02", "2025-04-02"),
        ("3 May 2024", None, "2024-05-03", "2024-05-03", "2024-05-03"),
        ("March 28", "past", "2025-03-28", "2025-03-28", "2025-03-28"),
        ("December 30", "past", "2024-12-30", "2024-12-30", "2024-12-30"),  # last year, not nine months ahead
        ("January 5", "future", "2026-01-05", "2026-01-05", "2026-01-05"),  # next year, not three months ago
        ("last Friday", "past", "2025-03-28", "2025-03-28", "2025-03-28"),
        ("next Monday", "future", "2025-04-07", "2025-04-07", "2025-04-07"),
        ("Tuesday", "past", "2025-04-01", "2025-04-01", "2025-04-01"),
        ("Thursday", "future", "2025-04-03", "2025-04-03", "2025-04-03"),
        ("Wednesday", "past", "2025-04-02", "2025-04-02", "2025-04-02"),
        ("Thursday and Friday of this week", "future", "2025-W14", "2025-04-03", "2025-04-04"),
        ("this week", None, "2025-W14", "2025-03-31", "2025-04-06"),
        ("last week", "past", "2025-W13", "2025-03-24", "2025-03-30"),
        ("next month", "future", "2025-05", "2025-05-01", "2025-05-31"),
        ("February 14 to 16", "past", "2025-W07", "2025-02-14", "2025-02-16"),
        ("the end of June 2025", "future", "2025-06", "2025-06-21", "2025-06-30"),
        ("by 2029", "future", "2029", None, "2029-12-31"),
        ("yesterday", "past", "2025-04-01", "2025-04-01", "2025-04-01"),
        ("two days ago", "past", "2025-03-31", "2025-03-31", "2025-03-31"),
        ("the 1990s", "past", "199", "1990-01-01", "1999-12-31"),
        ("recently", "past", None, None, "2025-04-02"),
    ],
)
def test_resolve_against_a_fixed_day(expr, tense, value, earliest, latest):
    p = parse(expr)
    assert p is not None, expr
    assert resolve(p, WED, tense) == When(value, earliest, latest)


@pytest.mark.parametrize(
    "expr, typ, value",
    [
        ("approximately 30 minutes", "DURATION", "PT30M"),
        ("two-day", "DURATION", "P2D"),
        ("decades", None, None),  # a bare plural unit needs a preposition before it
        ("for decades", "DURATION", "PXDE"),
        ("the last couple of months", "DURATION", "P2M"),
        ("one year or two", "DURATION", "PXY"),
        ("annual", "SET", "P1Y"),
        ("every week", "SET", "P1W"),
    ],
)
def test_durations_and_sets_need_no_anchor(expr, typ, value):
    p = parse(expr)
    if typ is None:
        assert p is None
        return
    assert (p.type, p.value, p.needs_anchor) == (typ, value, False)
    assert resolve(p, WED).value == value


def test_weekday_in_present_tense_is_a_range_not_a_guess():
    w = resolve(parse("Friday"), WED, "present")
    assert (w.value, w.earliest, w.latest) == (None, "2025-03-28", "2025-04-04")


def test_range_anchor_gives_definite_answer_only_when_all_days_agree():
    p = parse("last Friday")
    assert resolve_between(p, date(2025, 3, 29), date(2025, 4, 4), "past").value == "2025-03-28"
    wide = resolve_between(p, date(2025, 3, 29), date(2025, 4, 10), "past")
    assert (wide.value, wide.earliest, wide.latest) == (None, "2025-03-28", "2025-04-04")
    open_ended = resolve_between(p, date(2025, 3, 29), None, "past")
    assert (open_ended.value, open_ended.earliest, open_ended.latest) == (None, "2025-03-28", None)


def test_span_value_is_true_of_the_whole_range():
    assert span_value(date(2025, 4, 3), date(2025, 4, 4)) == "2025-W14"
    assert span_value(date(2025, 4, 26), date(2025, 4, 30)) == "2025-04"
    assert span_value(date(2025, 3, 29), date(2025, 4, 4)) is None


# ------------------------------------------------------------------ adversarial text


def test_month_and_weekday_names_need_capitals_and_context():
    assert found("They march on the capital every spring.") == []
    assert found("May said the plan would work.") == []
    assert found("Theresa May met them in May.") == ["May"]
    assert found("Protesters will march in March 2026.") == ["March 2026"]


def test_percentages_amounts_and_tables_are_not_years():
    assert found("Spending rose 2% to 2024 million euros, or 2.5% of GDP.") == []
    assert found("Year 2022 2023 2024\nTotal 2019 2020 2021") == []
    assert found("The target is 2% by 2030.") == ["by 2030"]


def test_all_caps_text():
    text = "OFFICIALS MET LAST FRIDAY AND WILL MEET AGAIN ON MARCH 3, 2026."
    assert found(text) == ["LAST FRIDAY", "MARCH 3, 2026"]
    assert parse("LAST FRIDAY").weekdays == (4,)


# ------------------------------------------------------------------ component on invented articles

ARTICLE = (
    "The ministers of Freedonia and Sylvania held talks on Tuesday in Port Alba. "
    "Minister Ana Ruiz said the meeting lasted about two hours. "
    "They will meet again next Monday and at the end of June, ahead of the annual summit. "
    "Ruiz recently visited Sylvania, her first trip since 2019."
)


def test_component_resolves_against_a_stated_date(times_nlp):
    doc = run_times(times_nlp, ARTICLE, stated("2025-04-02"))
    t = by_text(doc)
    assert doc._.sl_published.basis == "stated"
    assert t["Tuesday"].when.value == "2025-04-01" and t["Tuesday"].anchor == "published"
    assert t["next Monday"].when.value == "2025-04-07"
    assert t["about two hours"].type == "DURATION" and t["about two hours"].when.value == "PT2H"
    assert t["annual"].type == "SET"
    assert t["the end of June"].when.value == "2025-06"
    assert t["2019"].when.value == "2019" and t["2019"].anchor is None
    assert t["recently"].when == When(None, None, "2025-04-02")
    assert [x.id for x in doc._.sl_times] == [f"t{i}" for i in range(len(doc._.sl_times))]


def test_component_leaves_relative_times_unresolved_without_a_date(times_nlp):
    doc = run_times(times_nlp, ARTICLE)
    t = by_text(doc)
    assert doc._.sl_published.basis == "unknown"
    for expr in ("Tuesday", "next Monday", "the end of June", "recently"):
        assert t[expr].when == When() and t[expr].anchor is None, expr
    assert t["2019"].when.value == "2019"


def test_component_infers_publication_from_a_weekday_and_a_date(times_nlp):
    text = (
        "Prime Minister Karl Brandt praised the phone call he held last Wednesday with President Lina Ortiz. "
        "On March 12, 2025, Karl Brandt spoke by phone with Lina Ortiz about trade, officials said. "
        "The two leaders will meet on Friday in Geneva."
    )
    doc = run_times(times_nlp, text)
    pub = doc._.sl_published
    assert (pub.basis, pub.when.earliest, pub.when.latest) == ("inferred", "2025-03-13", "2025-03-19")
    assert {s.text for s in pub.evidence} == {"last Wednesday", "March 12, 2025"}
    t = by_text(doc)
    assert t["last Wednesday"].when.value == "2025-03-12"
    assert t["Friday"].when.earliest >= "2025-03-14"


def test_day_without_year_takes_it_from_the_nearest_full_date(times_nlp):
    text = "On May 6, 2024, the council approved the budget. The draft had been tabled on February 2."
    doc = run_times(times_nlp, text)
    t = by_text(doc)
    assert t["February 2"].when.value == "2024-02-02"
    assert t["February 2"].anchor == t["May 6, 2024"].id
    assert doc._.sl_published.when.earliest == "2024-05-06"


def test_component_on_all_caps_and_tables(times_nlp):
    doc = run_times(times_nlp, "MINISTERS MET LAST FRIDAY IN BRUSSELS.\n\nYEAR 2021 2022 2023\nGDP 2.1 2.4 2.7\n",
                    stated("2025-04-02"))
    assert [(t.span.text, t.when.value) for t in doc._.sl_times] == [("LAST FRIDAY", "2025-03-28")]


# ------------------------------------------------------------------ the user's articles


def _seed(nlp, prefix: str):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present (only in CI and developer checkouts)")
    from storyline.readers import read_paths

    paths = sorted(str(p) for p in SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not present")
    (document,) = list(read_paths(paths))
    doc = nlp.make_doc(document.text)
    doc._.sl_document = document
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "storyline_times":
            break
    for t in doc._.sl_times:
        assert t.span.check(document.text), t
    return doc


@pytest.mark.seeds
def test_seed_001_last_friday_and_this_week(times_nlp):
    doc = _seed(times_nlp, "001")
    t = by_text(doc)
    assert t["last Friday"].when.exact_day == "2025-03-28"
    week = t["Thursday and Friday of this week"].when
    assert (week.earliest, week.latest) == ("2025-04-03", "2025-04-04")
    assert t["January 21"].when.value == "2025-01-21"


@pytest.mark.seeds
def test_seed_002_stays_unresolved(times_nlp):
    doc = _seed(times_nlp, "002")
    assert doc._.sl_published.basis == "unknown"
    relative = [t for t in doc._.sl_times if t.span.text in ("Tuesday", "last week", "this week", "Monday")]
    assert len(relative) >= 4
    assert all(t.when == When() and t.anchor is None for t in relative)


@pytest.mark.seeds
def test_seed_000_years_and_durations(times_nlp):
    doc = _seed(times_nlp, "000")
    t = by_text(doc)
    assert t["January 20"].when.value == "2025-01-20"
    assert t["approximately 30 minutes"].when.value == "PT30M"
    assert t["by 2029"].when == When("2029", None, "2029-12-31")
    assert "2%" not in t and "5%" not in t


@pytest.mark.seeds
def test_seed_004_month_from_stated_date(times_nlp):
    doc = _seed(times_nlp, "004")
    t = by_text(doc)
    assert doc._.sl_published.basis == "stated"
    assert t["June"].when.value == "2025-06"
    assert t["two-day"].type == "DURATION"


def test_rates_are_sets_and_ordinals_are_not_durations():
    text = "The strike costs €40 million a day. A second round of talks lasted a week."
    kinds = {text[s:e]: k for s, e, k in find_candidates(text)}
    assert kinds == {"a day": "rate", "a week": "dur"}
    assert (parse("a day", "rate").type, parse("a day", "rate").value) == ("SET", "P1D")


def test_weekday_said_on_publication_day_in_present_tense_is_that_day():
    assert resolve(parse("Wednesday"), WED, "present").value == "2025-04-02"


@pytest.mark.parametrize(
    "text, partial",
    [
        ("The frigate sank the trawler on November 19, the navy said.", "XXXX-11-19"),
        ("The attack was foiled on Friday, officials said.", "XXXX-WXX-5"),
        ("Talks failed last month, officials said.", None),
    ],
)
def test_an_undated_day_keeps_what_it_says(times_nlp, text, partial):
    """With no publication date to anchor it, "November 19" has no year (unknown) but still says
    which day of which month: enough to see that another report says November 18."""
    doc = times_nlp.make_doc(text)
    doc._.sl_document = Document(id="u", text=text, source="u.txt")
    (t,) = times_nlp(doc)._.sl_times
    assert not t.when.known and t.partial == partial
