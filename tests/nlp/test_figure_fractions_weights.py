"""Mixed numbers ("4½", "3 1/2") and "pounds" that weigh rather than pay: invented sentences."""

from __future__ import annotations

import pytest

from storyline.nlp.numbers import find_quantities, weight_context

from .test_figures import annotate, by_text, nlp  # noqa: F401  (the session pipeline fixture)


def only(text: str):
    found = list(find_quantities(text))
    assert len(found) == 1, found
    q = found[0]
    return q.value, q.unit, text[q.start : q.end]


@pytest.mark.parametrize(
    "text,value,unit,figure",
    [
        ("The ferry crossing took 6½ hours in the storm.", 6.5, "hours", "6½ hours"),
        ("She will serve 2 ¼ years.", 2.25, "years", "2 ¼ years"),
        ("The trial lasted 3 1/2 weeks.", 3.5, "weeks", "3 1/2 weeks"),
        ("It ran 8\u2009½ days.", 8.5, "days", "8\u2009½ days"),  # a thin space before the fraction
        ("He held the lead for 7-1/2 minutes.", 7.5, "minutes", "7-1/2 minutes"),
        ("a 2 1/2-year contract", 2.5, "years", "2 1/2-year"),
        ("Yields rose to 5 3/8% on Monday.", 5.375, "percent", "5 3/8%"),
    ],
)
def test_a_fraction_after_a_whole_number_is_one_value(text, value, unit, figure):
    assert only(text) == (value, unit, figure)


def test_a_slash_date_is_no_mixed_number():
    assert all(q.value != 3.5 for q in find_quantities("filed on 3 1/2/2011 in court"))


@pytest.mark.parametrize(
    "text,unit,figure",
    [
        ("The suspect is 5 feet 9 inches tall and weighs 170 pounds.", "pounds", "170 pounds"),
        ("The bear weighed 410 pounds when it was caught.", "pounds", "410 pounds"),
        ("Inspectors seized 40 kg (88 pounds) of powder.", "pounds", "88 pounds"),
        ("The club's new 6-foot-4, 245-pound lineman arrived.", "pounds", "245-pound"),
        ("The council raised 300 pounds for the shelter.", "GBP", "300 pounds"),
        ("The fund lent 90 million euros (75 million pounds) to the port.", "GBP", "75 million pounds"),
        ("A tall jockey paid 500 pounds sterling in fees.", "GBP", "500 pounds"),
    ],
)
def test_pounds_weigh_when_a_weight_word_is_near_and_no_money_word_is(text, unit, figure):
    q = [q for q in find_quantities(text) if text[q.start : q.end] == figure]
    assert q and q[0].unit == unit


def test_the_weight_cue_stays_in_its_sentence():
    text = "The guard is tall. The fine was 200 pounds."
    start = text.index("200")
    assert not weight_context(text, start, start + len("200 pounds"))


def test_figures_read_mixed_numbers_and_weights(nlp):  # noqa: F811
    doc = annotate(
        nlp,
        "The driver was sentenced to 4½ months in jail on Tuesday. Police said the man, who is "
        "6 feet tall and weighs 190 pounds, fled on foot.",
    )
    months = by_text(doc, "4½ months")
    assert (months.value, months.unit) == (4.5, "months")
    weight = by_text(doc, "190 pounds")
    assert (weight.value, weight.unit) == (190.0, "pounds")
