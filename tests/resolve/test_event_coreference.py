"""Event coreference, date conflicts and the agreed date."""

from __future__ import annotations

import dataclasses

from resolve_builder import DocBuilder, build_all

from storyline.config import Settings
from storyline.resolve import resolve

CALL_A = "The deputies spoke by phone on March 31, 2026, about port fees. Later Kim Holt met Rui Sousa again on April 9, 2026."
CALL_B = "On March 28 Kim Holt held a call with Rui Sousa on port fees."


def _deputies(a_text=CALL_A, b_text=CALL_B, b_date="2026-03-28", b_time="On March 28", b_dup=None):
    a = DocBuilder("a", a_text + " Kim Holt and Rui Sousa", "2026-04-02")
    ka, ra = a.ent("PERSON", "Kim Holt"), a.ent("PERSON", "Rui Sousa")
    a.event("CONSULT", "spoke by phone", [ka, ra], "2026-03-31", "March 31, 2026", mode="phone call", label="deputies call on port fees")
    b = DocBuilder("b", b_text, "2026-04-03", duplicate_of=b_dup)
    kb, rb = b.ent("PERSON", "Kim Holt"), b.ent("PERSON", "Rui Sousa")
    b.event("CONSULT", "held a call", [kb, rb], b_date, b_time, mode="phone call", label="Holt call with Sousa on port fees")
    return a, b, (ka, ra)


def test_two_reports_one_call_with_date_conflict():
    a, b, _ = _deputies()
    res = resolve(*build_all(a, b))
    calls = [e for e in res.events if e.type == "CONSULT"]
    assert len(calls) == 1
    ev = calls[0]
    assert {m.span.doc for m in ev.mentions} == {"a", "b"}
    assert {m.when.value for m in ev.mentions} == {"2026-03-31", "2026-03-28"}
    assert ev.sources == 2 and ev.id.startswith("evt_")
    assert ev.when.value == "2026-03-28"  # one source each: the earlier date
    dates = [c for c in res.conflicts if c.kind == "date"]
    assert len(dates) == 1 and dates[0].about == ev.id
    texts = sorted(c.span.text for c in dates[0].claims)
    assert texts == ["March 31, 2026", "On March 28"]
    for c in dates[0].claims:
        assert c.span.text == (a.text if c.span.doc == "a" else b.text)[c.span.start : c.span.end]


def test_agreeing_reports_have_no_conflict():
    a, b, _ = _deputies(b_text="On March 31 Kim Holt held a call with Rui Sousa.", b_date="2026-03-31", b_time="On March 31")
    res = resolve(*build_all(a, b))
    assert len(res.events) == 1 and res.events[0].when.value == "2026-03-31"
    assert res.conflicts == ()


def test_repeat_meeting_is_a_separate_event():
    a = DocBuilder("a", "Kim Holt met Rui Sousa on May 4, 2026. Kim Holt met Rui Sousa again on May 6, 2026.", "2026-05-07")
    k, r = a.ent("PERSON", "Kim Holt", "Kim Holt"), a.ent("PERSON", "Rui Sousa", "Rui Sousa")
    a.event("MEET", "met", [k, r], "2026-05-04", "May 4, 2026", mode="meeting")
    a.event("MEET", "met Rui Sousa again", [k, r], "2026-05-06", "May 6, 2026", mode="meeting", repeat=True)
    b = DocBuilder("b", "Holt and Sousa met again this week.", "2026-05-07")
    kb, rb = b.ent("PERSON", "Holt"), b.ent("PERSON", "Sousa")
    b.event("MEET", "met again", [kb, rb], None, mode="meeting", repeat=True)
    res = resolve(*build_all(a, b))
    meets = [e for e in res.events if e.type == "MEET"]
    assert len(meets) == 3  # first meeting, dated repeat, undated repeat never merged
    assert res.conflicts == ()


def test_reports_outside_the_window_are_different_events():
    a, b, _ = _deputies(b_text="On March 10 Kim Holt held a call with Rui Sousa.", b_date="2026-03-10", b_time="On March 10")
    res = resolve(*build_all(a, b), Settings(event_day_window=7))
    assert len(res.events) == 2 and res.conflicts == ()


def test_undated_report_joins_the_dated_event():
    a, _, _ = _deputies()
    b = DocBuilder("b", "Kim Holt held a call with Rui Sousa.", "2026-04-03")
    kb, rb = b.ent("PERSON", "Kim Holt"), b.ent("PERSON", "Rui Sousa")
    b.event("CONSULT", "held a call", [kb, rb], None, mode="phone call")
    res = resolve(*build_all(a, b))
    assert len(res.events) == 1 and res.events[0].when.value == "2026-03-31"


def test_majority_date_and_duplicates_count_once():
    a, b, _ = _deputies()
    c = DocBuilder("c", "On March 28 Kim Holt held a call with Rui Sousa on port fees!", "2026-04-03", duplicate_of="b")
    kc, rc = c.ent("PERSON", "Kim Holt"), c.ent("PERSON", "Rui Sousa")
    c.event("CONSULT", "held a call", [kc, rc], "2026-03-28", "On March 28", mode="phone call")
    d = DocBuilder("d", "Kim Holt called Rui Sousa on March 31, 2026.", "2026-04-04")
    kd, rd = d.ent("PERSON", "Kim Holt"), d.ent("PERSON", "Rui Sousa")
    d.event("CONSULT", "called", [kd, rd], "2026-03-31", "March 31, 2026", mode="phone call")
    res = resolve(*build_all(a, b, c, d))
    ev = next(e for e in res.events if e.type == "CONSULT")
    assert len(ev.mentions) == 4 and ev.sources == 3  # c copies b
    assert ev.when.value == "2026-03-31"  # two independent sources against one


def test_different_events_on_adjacent_days_are_no_conflict():
    a = DocBuilder("a", "Since the inauguration of Lars Bo on January 20, and Eva Lind took office on January 21.", "2026-02-01")
    lars, eva = a.ent("PERSON", "Lars Bo"), a.ent("PERSON", "Eva Lind")
    a.event("INAUGURATE", "inauguration", [lars], "2026-01-20", "January 20")
    b = DocBuilder("b", "Eva Lind took office on January 21, a day after Lars Bo.", "2026-02-02")
    eb, lb = b.ent("PERSON", "Eva Lind"), b.ent("PERSON", "Lars Bo")
    b.event("TAKE_OFFICE", "took office", [eb], "2026-01-21", "January 21")
    res = resolve(*build_all(a, b))
    assert len(res.events) == 2 and res.conflicts == ()


def test_same_document_two_dates_two_events():
    a = DocBuilder("a", "Holt called Sousa on June 1, 2026 and called Sousa on June 3, 2026.", "2026-06-05")
    k, r = a.ent("PERSON", "Holt"), a.ent("PERSON", "Sousa", "Sousa")
    a.event("CONSULT", "called", [k, r], "2026-06-01", "June 1, 2026")
    a.event("CONSULT", "called", [k, r], "2026-06-03", "June 3, 2026", n=2)
    res = resolve(*build_all(a))
    assert len(res.events) == 2 and res.conflicts == ()


def test_undated_report_prefers_the_event_before_its_article():
    a = DocBuilder("a", "Kim Holt met Rui Sousa on May 4, 2026.", "2026-05-05")
    ka, ra = a.ent("PERSON", "Kim Holt"), a.ent("PERSON", "Rui Sousa")
    a.event("MEET", "met", [ka, ra], "2026-05-04", "May 4, 2026", mode="meeting")
    b = DocBuilder("b", "Kim Holt met Rui Sousa on May 9, 2026.", "2026-05-10")
    kb, rb = b.ent("PERSON", "Kim Holt"), b.ent("PERSON", "Rui Sousa")
    b.event("MEET", "met", [kb, rb], "2026-05-09", "May 9, 2026", mode="meeting", repeat=True)
    c = DocBuilder("c", "The talks between Kim Holt and Rui Sousa took place.", "2026-05-06")
    kc, rc = c.ent("PERSON", "Kim Holt"), c.ent("PERSON", "Rui Sousa")
    c.event("MEET", "took place", [kc, rc], None, mode="meeting")
    res = resolve(*build_all(a, b, c))
    ev = next(e for e in res.events if any(m.span.doc == "c" for m in e.mentions))
    assert {m.span.doc for m in ev.mentions} == {"a", "c"}


def test_report_naming_fewer_participants_joins_the_one_fuller_event():
    a = DocBuilder("a", "Helena Brandt held emergency talks on March 9, 2026.", "2026-03-10")
    ha = a.ent("PERSON", "Helena Brandt")
    a.event("CONSULT", "held emergency talks", [ha], "2026-03-09", "March 9, 2026", mode="meeting")
    b = DocBuilder("b", "The talks between Helena Brandt and Grace Okafor took place.", "2026-03-11")
    hb, gb = b.ent("PERSON", "Helena Brandt"), b.ent("PERSON", "Grace Okafor")
    b.event("CONSULT", "took place", [hb, gb], None, mode="meeting")
    c = DocBuilder("c", "Helena Brandt held talks with Tomas Reyes and Grace Okafor on March 20, 2026.", "2026-03-21")
    hc, tc, gc = c.ent("PERSON", "Helena Brandt"), c.ent("PERSON", "Tomas Reyes"), c.ent("PERSON", "Grace Okafor")
    c.event("CONSULT", "held talks", [hc, tc, gc], "2026-03-20", "March 20, 2026", mode="meeting")
    res = resolve(*build_all(a, b, c))
    ev = next(e for e in res.events if any(m.span.doc == "a" for m in e.mentions))
    assert {m.span.doc for m in ev.mentions} == {"a", "b"} and ev.when.value == "2026-03-09"
    assert len(res.events) == 2  # the March 20 talks are too far from March 9 to absorb it


def test_undated_reports_on_both_sides_need_alike_wording():
    a = DocBuilder("a", "Rui Sousa asked Kim Holt to raise port fees.", "2026-03-10")
    ka, ra = a.ent("PERSON", "Kim Holt"), a.ent("PERSON", "Rui Sousa")
    a.event("DEMAND", "asked", [ra, ka], None, sentence=a.text)
    b = DocBuilder("b", "Sousa also asked Holt for sacrifices on pensions and night shifts.", "2026-03-12")
    kb, rb = b.ent("PERSON", "Holt"), b.ent("PERSON", "Sousa")
    b.event("DEMAND", "asked", [rb, kb], None, sentence=b.text)
    c = DocBuilder("c", "Rui Sousa asked Kim Holt to raise port fees, officials said.", "2026-03-11")
    kc, rc = c.ent("PERSON", "Kim Holt"), c.ent("PERSON", "Rui Sousa")
    c.event("DEMAND", "asked", [rc, kc], None, sentence=c.text)
    res = resolve(*build_all(a, b, c))
    groups = sorted(sorted({m.span.doc for m in e.mentions}) for e in res.events)
    assert groups == [["a", "c"], ["b"]]


def _reported(same_reporter: bool):
    """Two articles of one story (the Halden port strike), each with a "reported" report."""
    common = " Grace Okafor of the Dockworkers Union led the Halden port strike."
    if same_reporter:
        texts = ("The Halden Courier reported the walkout.", "The Halden Courier reported the walkout at dawn.")
    else:
        texts = ("Police reported a stolen van.", "The harbour office reported record tonnage.")
    docs = [DocBuilder(doc, text + common, "2026-03-02") for doc, text in zip("ab", texts, strict=True)]
    for d in docs:
        d.ent("PERSON", "Grace Okafor")
        d.ent("ORG", "Dockworkers Union")
        d.ent("GPE", "Halden")
        who = d.ent("ORG", d.text.split(" reported")[0].removeprefix("The "))
        d.event("OTHER", "reported", [who], sentence=d.text.split(".")[0] + ".")
        d.events[-1] = dataclasses.replace(d.events[-1], concept="report")
    records, anns = build_all(*docs)
    anns = [dataclasses.replace(x, terms=(("dockworkers", 2), ("halden", 2), ("okafor", 2), ("strike", 2))) for x in anns]
    return resolve(records, anns)


def test_a_shared_reporting_verb_is_not_a_shared_happening():
    """issue 17 §4: "police reported" and "the harbour office reported" in one story tell two things."""
    res = _reported(same_reporter=False)
    assert len({s.id for s in res.stories}) == 1
    reports = [e for e in res.events if any(m.trigger and m.trigger.text == "reported" for m in e.mentions)]
    assert len(reports) == 2 and all(e.sources == 1 for e in reports)


def test_one_reporter_reporting_one_thing_is_one_happening():
    res = _reported(same_reporter=True)
    reports = [e for e in res.events if any(m.trigger and m.trigger.text == "reported" for m in e.mentions)]
    assert len(reports) == 1 and reports[0].sources == 2


def test_a_clusters_wording_takes_in_reports_added_after_it_was_asked():
    from storyline.model import EventMention, Span
    from storyline.resolve.common import content_tokens
    from storyline.resolve.events import Cluster, report_of

    def report(doc, text):
        span = Span(doc, 0, len(text), text)
        return report_of(doc, EventMention(span, "e1", "MEET", span, "met"))

    first, second = "Kim Holt met Rui Sousa in Lisbon", "Sousa flew on to Porto after the talks"
    c = Cluster([report("a", first)])
    assert c.tokens == content_tokens(first)  # asked before the cluster grew
    c.reports.append(report("b", second))
    assert c.tokens == content_tokens(first) | content_tokens(second)
    assert c.reports[1].tokens == content_tokens(second)
