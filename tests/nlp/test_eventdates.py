"""Event dates: what the text says wins; a done event with no date of its own gets a best estimate.

Invented sentences only; the pipeline tests run spaCy and storyline's components on them.
"""

from __future__ import annotations

import pytest

from storyline.config import Settings
from storyline.model import Document, EventMention, Published, Span, When
from storyline.nlp.build import build_pipeline
from storyline.nlp.eventdates import ESTIMATE_DAYS, after_previous, estimate

MON = When("2025-04-07", "2025-04-07", "2025-04-07")  # a Monday


def mention(text: str, start: int, end: int, when: When | None, modality: str = "asserted", time: str | None = None):
    span = Span("d", start, end, text[start:end])
    return EventMention(span, f"v{start}", "OTHER", span, "x", when=when, modality=modality, time=time)


def test_a_done_event_without_a_date_is_estimated_on_the_report_day():
    w = estimate(When(None, None, "2025-04-07"), "asserted", MON)
    assert (w.value, w.earliest, w.latest) == (None, None, "2025-04-07")  # what the text supports is kept
    assert w.estimate == ("2025-04-07", "2025-04-03", "2025-04-07")
    assert ESTIMATE_DAYS == 4


@pytest.mark.parametrize(
    "when, modality, published",
    [
        (When("2025-04-04", "2025-04-04", "2025-04-04"), "asserted", MON),  # a date of its own
        (When(None, "2025-04-07", None), "planned", MON),  # still to come
        (When(None, None, "2025-04-07"), "negated", MON),  # did not happen
        (When(None, None, "2025-04-10"), "asserted", When(None, "2025-04-03", "2025-04-10")),  # no report day
        (None, "asserted", MON),
    ],
)
def test_no_estimate_where_the_text_dates_it_or_the_report_has_no_day(when, modality, published):
    w = estimate(when, modality, published)
    assert w == when and (w is None or w.estimate is None)


@pytest.mark.issue(17)
def test_the_estimate_takes_the_reports_news_day_and_dates_from_the_text_win():
    text = "Rebels seized the town on Friday. Troops fled. The next day the army attacked. Aid will arrive."
    fri = When("2025-04-04", "2025-04-04", "2025-04-04")
    seized = mention(text, 7, 13, fri, time="t0")
    fled = mention(text, 34, 45, When(None, None, "2025-04-07"))
    attacked = mention(text, 46, 78, When(None, None, "2025-04-07"))
    arrive = mention(text, 79, 96, When(None, "2025-04-07", None), modality="planned")
    out = after_previous([seized, fled, attacked, arrive], MON)
    assert out[0].when == fri
    assert out[1].when.estimate == ("2025-04-04", "2025-04-03", "2025-04-07")  # the day the lead dates
    assert out[2].when.value == "2025-04-05" and out[2].when.estimate is None  # anchored on the event before
    assert out[3].when == When(None, "2025-04-07", None)


@pytest.mark.issue(17)
def test_a_planned_event_dated_before_the_report_loses_that_date():
    text = "The committee asked her on Friday to testify."
    fri = When("2025-04-04", "2025-04-04", "2025-04-04")
    (m,) = after_previous([mention(text, 35, 44, fri, modality="requested", time="t0")], MON)
    assert m.when == When(None, "2025-04-07", None) and m.time is None


def test_an_event_dated_by_a_part_of_the_day_takes_the_day():
    text = "Troops left this morning."
    w = When("2025-04-07TMO", "2025-04-07", "2025-04-07")
    (m,) = after_previous([mention(text, 7, 11, w, time="t0")], MON)
    assert m.when == When("2025-04-07", "2025-04-07", "2025-04-07")


def test_a_vague_reference_dates_an_event_only_by_its_bounds():
    text = "Prices now fall."
    (m,) = after_previous([mention(text, 11, 15, When("PRESENT_REF", "2025-04-07", "2025-04-07"), time="t0")], MON)
    assert m.when == When(None, "2025-04-07", "2025-04-07")


# ------------------------------------------------------------------ pipeline on invented articles


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings())


def events_of(nlp, text: str, day: str):
    doc = nlp.make_doc(text)
    doc._.sl_document = Document("d", text, "d.txt", published=Published(When(day, day, day), "metadata"))
    return {e.trigger.text: e for e in nlp(doc)._.sl_events}


@pytest.mark.issue(17)
def test_pipeline_estimates_undated_done_events_and_keeps_stated_days(nlp):
    text = (
        "Police arrested the mayor of Port Alba on Friday. "
        "Investigators searched his office and seized documents. "
        "The council subpoenaed him Friday to testify next month."
    )
    ev = events_of(nlp, text, "2025-04-07")
    assert ev["arrested"].when.exact_day == "2025-04-04" and ev["arrested"].when.estimate is None
    searched = ev["searched"].when
    assert searched.value is None and searched.estimate[0] == "2025-04-04"  # the news day, estimated
    testify = ev.get("testify")
    assert testify is None or testify.when is None or testify.when.exact_day != "2025-04-04"


@pytest.mark.issue(17)
def test_a_timestamp_line_dates_no_happening():
    from storyline.nlp.eventdates import _timestamp_line

    text = "Inmate escapes on foot\nTHURSDAY, DECEMBER 3, 2009, 9:36 AM EST\nThe escape was on Monday."
    s = text.index("DECEMBER")
    assert _timestamp_line(text, s, s + len("DECEMBER 3, 2009"))
    prose = "He escaped on December 3, 2009 from a hospital."
    s = prose.index("December")
    assert not _timestamp_line(prose, s, s + len("December 3, 2009"))
