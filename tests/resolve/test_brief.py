"""The brief's sentences (issue 18 §1): whole sentences from the sources, verbatim and cited; never a
fragment, a dateline, a headline run into the first sentence, unbalanced quotation marks, a quotation
passed off as fact or a quote without its speaker."""

from __future__ import annotations

import pytest

from storyline.model import Conflict, Claim, Event, EventReport, Quote, Span, Story, When
import re

from storyline.resolve.brief import BRIEF, build_brief, dates_words, sentence_span, value_words, whole_sentence

pytestmark = pytest.mark.issue(18)


def span(doc: str, text: str, sub: str, nth: int = 0) -> Span:
    at = -1
    for _ in range(nth + 1):
        at = text.index(sub, at + 1)
    return Span(doc, at, at + len(sub), sub)


@pytest.mark.parametrize("text, ok", [
    ("The council voted on Tuesday to close the old bridge for repairs.", True),
    ("she praised the president for his decision on the bridge.", False),  # a lowercase fragment
    ("The council voted on Tuesday to close the old bridge for", False),  # cut off
    ("WASHINGTON (Reuters) - The council voted on Tuesday to close the bridge.", False),  # a dateline
    ("KESSPORT — The council voted on Tuesday to close the old bridge.", False),
    ("Bridge to close\nThe council voted on Tuesday to close the old bridge.", False),  # a headline run-on
    ("“The bridge is a disgrace, and the council knows it,” the mayor said on Monday.", False),  # mostly a quote
    ("The mayor called the bridge “a disgrace and said the council would act.", False),  # unbalanced
    ("The mayor called the bridge “a disgrace” and said the council would act soon.", True),
    ("Closed.", False),  # too short to tell anything
])
def test_whole_sentence(text, ok):
    assert whole_sentence(text) is ok


def test_sentence_span_drops_the_dateline_and_the_headline_and_keeps_provenance():
    text = "Bridge to close\nKESSPORT (Velland Post) - The council voted on Tuesday to close the old bridge."
    sp = Span("d1", 0, len(text), text)
    trig = span("d1", text, "close", 1)
    cut = sentence_span(sp, trig)
    assert cut is not None and cut.text == "The council voted on Tuesday to close the old bridge."
    assert text[cut.start:cut.end] == cut.text
    assert sentence_span(Span("d1", 0, 15, text[:15]), None) is None  # the headline alone is no sentence


def _story():
    a = ("Council closes Kessport bridge\n\nThe Kessport council voted on Tuesday to close the old harbour bridge "
         "for two years. \u201cThe bridge is no longer safe for lorries,\u201d said Mayor Ana Brel. "
         "she praised the engineers. The bridge opened in 1931 after a decade of building work.")
    b = ("Kessport bridge to shut\n\nKESSPORT \u2014 Kessport's council voted to close the old harbour bridge on "
         "Wednesday, a councillor said. Repairs will cost 40 million euros, the council said on Tuesday.")
    texts = {"a": a, "b": b}
    news = Event("E1", "OTHER", "someone \u2014 close", (), When("2026-03-03", "2026-03-03", "2026-03-03"), (
        EventReport(span("a", a, "The Kessport council voted on Tuesday to close the old harbour bridge for two years."),
                    "m1", When("2026-03-03", "2026-03-03", "2026-03-03"), span("a", a, "close", 0), salience=1),
        EventReport(span("b", b, "KESSPORT \u2014 Kessport's council voted to close the old harbour bridge on "
                                 "Wednesday, a councillor said."), "m2", When("2026-03-04", "2026-03-04", "2026-03-04"),
                    span("b", b, "close", 0), salience=1)), sources=2, main=True, role="headline")
    frag = Event("E2", "OTHER", "someone \u2014 praise", (), None, (
        EventReport(span("a", a, "she praised the engineers."), "m3", None, span("a", a, "praised")),), role="news")
    cost = Event("E3", "OTHER", "repairs \u2014 cost", (), None, (
        EventReport(span("b", b, "Repairs will cost 40 million euros, the council said on Tuesday."), "m4", None,
                    span("b", b, "cost")),), role="news")
    old = Event("E4", "OTHER", "bridge \u2014 open", (), When("1931"), (
        EventReport(span("a", a, "The bridge opened in 1931 after a decade of building work."), "m5", When("1931"),
                    span("a", a, "opened")),), role="background")
    quotes = [(Quote(span("a", a, "The bridge is no longer safe for lorries,"), "q1", "direct", "k1",
                     span("a", a, "Mayor Ana Brel"), "said"), "ent_brel", "Ana Brel"),
              (Quote(span("a", a, "The bridge is no longer safe for lorries,"), "q2", "direct", None, None, "said"),
               None, None)]
    conflict = Conflict("C1", "date", "E1", "different dates", (
        Claim(span("a", a, "Tuesday"), "2026-03-03"), Claim(span("b", b, "Wednesday"), "2026-03-04")))
    story = Story("S1", "x", ("a", "b"), ("E1", "E2", "E3", "E4"), "2026-03-03", "2026-03-04",
                  title="Kessport council votes to close the old harbour bridge", headline="E1")
    docs = {"a": {"name": "velland-post.example", "date": "2026-03-04"}, "b": {"name": "Kessport Times", "date": "2026-03-05"}}
    return texts, story, [news, frag, cost, old], quotes, [conflict], docs


def test_the_brief_tells_the_news_first_and_background_last_in_whole_cited_sentences():
    texts, story, events, quotes, conflicts, docs = _story()
    b = build_brief(story, events, quotes, conflicts, docs)
    assert b["title"] == "Kessport council votes to close the old harbour bridge"
    assert b["dates"] == "3–4 March 2026"
    assert [s["name"] for s in b["sources"]] == ["velland-post.example", "Kessport Times"]
    kinds = [s["section"] for s in b["sentences"]]
    assert kinds == ["news", "developments", "quotes", "disagreements", "background"]
    news = b["sentences"][0]["text"]
    # no date of ours before it: the sentence names no day itself ("on Tuesday"), its report's date follows it
    assert news.startswith("The Kessport council voted on Tuesday") and "(velland-post.example, 4 March 2026)" in news
    for s in b["sentences"]:
        for c in s["citations"]:
            doc, rng = c.split(":")
            start, end = map(int, rng.split("-"))
            assert texts[doc][start:end]  # a real span
    said = [s["text"] for s in b["sentences"]]
    assert not any("she praised" in t for t in said)  # the fragment is left out
    assert said[2].startswith("Mayor Ana Brel said: \u201cThe bridge is no longer safe for lorries.\u201d")  # as the report names her
    assert sum("no longer safe" in t for t in said) == 1  # the quote without a speaker is never used
    assert "Kessport Times gives 4 March 2026" in said[3]
    assert said[4].startswith("The bridge opened in 1931")


def test_values_and_dates_in_words():
    assert value_words("150000000.0 USD") == "$150 million"
    assert value_words("2026-03-04") == "4 March 2026"
    assert dates_words("2025-03-28", "2025-04-02") == "28 March – 2 April 2025"
    assert dates_words("2025-03-08", None) == "8 March 2025"


def test_a_sentence_is_dated_only_by_a_day_it_names():
    from storyline.resolve.words import says_day as _says_day

    assert _says_day("More than two months later, on March 30, Comey wrote", "2025-03-30")
    assert _says_day("The ceremony is on Feb. 22 at the Kodak Theatre.", "2009-02-22")
    assert _says_day("He will visit on the 13th of July.", "2018-07-13")
    assert not _says_day("Kim's announcement Saturday may be a ploy.", "2018-04-14")  # a resolved weekday
    assert not _says_day("On March 3, the talks began.", "2025-03-30")


def test_the_default_brief_fits_a_minute_and_never_tells_a_quotations_sentence_as_fact():
    texts, story, events, quotes, conflicts, docs = _story()
    a = texts["a"]
    inner = "The bridge is no longer safe for lorries,"
    # the quotation runs over the sentence "The bridge opened in 1931 ...": it is the mayor's, never a fact of ours
    wide = Quote(Span("a", a.index(inner), len(a), a[a.index(inner):]), "q9", "direct", None, None, "said")
    b = build_brief(story, events, [*quotes, (wide, None, None)], conflicts, docs)
    assert not any("opened in 1931" in s["text"] for s in b["sentences"])
    words = sum(len(re.sub(r"\[[^\]]*\]", "", s["text"]).split()) for s in b["sentences"])
    assert words <= BRIEF["words"]


def test_a_quote_whose_inner_quotation_is_cut_off_is_left_out():
    from storyline.resolve.brief_select import quote_words

    text = "Our answer is 'we have the best bridges in the world, and nobody can match them."
    q = Quote(Span("a", 0, len(text), text), "q1", "direct", None, None, "said")
    assert quote_words(q) is None
    ok = "Our answer is 'we have the best bridges' and nobody can match them."
    assert quote_words(Quote(Span("a", 0, len(ok), ok), "q2", "direct", None, None, "said")) == ok


@pytest.mark.parametrize("text, ok", [
    ("Before we start celebrating a victory for the council, let's pause.", False),  # a columnist's voice
    ("What us commuters know best is the old bridge.", False),
    ("The F.B.I. and the C.I.A. said on Tuesday that the bridge was safe.", True),  # initials, not "I"
    ("“We will act,” the mayor said after the US embassy closed the bridge.", True),  # the first person is quoted
    ("The council voted to close the bridge, according to spokesperson Const.", False),  # cut at "Const. Ana Brel"
])
def test_a_brief_sentence_is_in_a_reporters_voice(text, ok):
    from storyline.resolve.sentences import reporters_voice

    assert reporters_voice(text) is ok


def test_a_story_that_joins_two_incidents_gets_both_in_its_developments():
    from storyline.resolve.brief_select import opening_sentences

    texts = {
        "a": "The Kessport council voted on Tuesday to close the old harbour bridge for two years.",
        "b": "Kessport councillors voted on Tuesday to close the old harbour bridge for repairs.",
        "c": "The old harbour bridge in Kessport will close for two years after a council vote on Tuesday.",
        "d": "A fire destroyed three warehouses at the Velland port on Wednesday night, firefighters said.",
        "e": "Firefighters said a fire destroyed three Velland port warehouses late on Wednesday.",
    }
    events = [Event(f"E{d}", "OTHER", "x", (), None, (EventReport(Span(d, 0, len(t), t), f"m{d}", None,
                                                                   Span(d, 4, 8, t[4:8])),), role="news")
              for d, t in texts.items()]
    docs = {d: {"name": f"outlet-{d}.example"} for d in texts}
    picked = opening_sentences(events, {e.id: "news" for e in events}, docs, budget=40)
    assert len(picked) == 2
    assert {sp.doc in "abc" for _, _, sp in picked} == {True, False}  # one sentence of each incident, not two of one


def test_a_quote_ending_in_an_inner_quotation_ends_with_a_full_stop_after_it():
    from storyline.resolve.brief_select import quote_words

    text = "The mayor said that the council had told her, ‘We will close the bridge for two years,’"
    assert quote_words(Quote(Span("a", 0, len(text), text), "q1", "direct", None, None, "said")).endswith("years’.")
