"""The conflict finder's work follows its candidates: an event costs its own reports, never a pass
over every report of the store (issue 20: it was 4.7 s of an 8.6 s resolve on 772 ECB+ articles)."""

from __future__ import annotations

from datetime import date, timedelta

from storyline.model import DocAnnotations, Event, EventMention, EventReport, Published, Span, TimeExpr, When
from storyline.resolve import conflicts

TEXT = "The board met on the day named here."


def _store(n: int) -> tuple[list[Event], list[DocAnnotations]]:
    """``n`` events, each told by two reports that give it the same day (no conflict), every report
    naming one day of its own."""
    events, anns = [], []
    for i in range(n):
        day = (date(2024, 1, 1) + timedelta(days=i)).isoformat()
        when = When(day, day, day)
        reports = []
        for side in "ab":
            doc = f"d{i}{side}"
            span = Span(doc, 0, len(TEXT), TEXT)
            t = TimeExpr(Span(doc, 17, 24, TEXT[17:24]), "t0", "DATE", when)
            m = EventMention(span, "m0", "CONSULT", Span(doc, 10, 13, "met"), "board - meet", when=when, time="t0")
            anns.append(DocAnnotations(doc, published=Published(),
                                       times=(t,), events=(m,)))
            reports.append(EventReport(span, "m0", when))
        events.append(Event(f"evt{i}", "CONSULT", "board - meet", (), when, tuple(reports)))
    return events, anns


def _interval_calls(n: int, monkeypatch) -> int:
    calls = 0
    real = conflicts.interval

    def counting(w):
        nonlocal calls
        calls += 1
        return real(w)

    monkeypatch.setattr(conflicts, "interval", counting)
    events, anns = _store(n)
    assert conflicts.find_conflicts(events, anns, [], {}) == []
    return calls


def test_date_checks_grow_with_the_events_not_with_their_square(monkeypatch):
    small, large = _interval_calls(40, monkeypatch), _interval_calls(160, monkeypatch)
    assert large <= 4 * small * 1.2  # four times the events: about four times the work (it was 16)


def _quotes_story(n_docs: int) -> tuple[list[DocAnnotations], dict]:
    """``n_docs`` reports of one story, each quoting two sentences of its own, and two of them quoting
    one speaker's sentence with one word changed."""
    from storyline.model import Quote

    anns, story_of = [], {}
    for i in range(n_docs):
        doc = f"q{i}"
        quotes = [f"Quota{i} words{i} number{i} {k} say{i} nothing{i} alike{i} at{i} all{i} here{i}." for k in range(2)]
        if i < 2:
            quotes[0] = f"We will hold the line on the {'river' if i == 0 else 'water'} until the planting season is over."
        text = " ".join(f'"{q}"' for q in quotes)
        spans, at = [], 0
        for q in quotes:
            start = text.index(q, at)
            spans.append(Span(doc, start, start + len(q), q))
            at = start + len(q)
        anns.append(DocAnnotations(doc, Published(), quotes=tuple(Quote(sp, f"q{k}", "direct") for k, sp in enumerate(spans))))
        story_of[doc] = "s1"
    return anns, story_of


def test_quote_wording_is_compared_in_a_story_of_any_size_through_shared_runs(monkeypatch):
    from storyline.resolve import wording

    calls = 0
    real = wording.wording_diff

    def counting(*a, **k):
        nonlocal calls
        calls += 1
        return real(*a, **k)

    monkeypatch.setattr(wording, "wording_diff", counting)
    anns, story_of = _quotes_story(400)  # 800 quotes: more than any all-pairs bound would take
    (c,) = wording.quote_conflicts(anns, {}, {}, story_of)
    assert {cl.span.doc for cl in c.claims} == {"q0", "q1"}
    assert calls <= 2  # only the pair that shares a run of words is compared


def test_each_detector_reads_only_the_events_it_may_find_a_conflict_in(monkeypatch):
    """Dated, timed reports and no count or duration: the date detectors read every event told by
    two documents; the count and duration detectors read none; an event told by one document
    (two reports of one article) reaches no detector."""
    events, anns = _store(3)
    one_doc = Event("evt_one", "CONSULT", "board - meet", (), None,
                    (events[0].mentions[0], events[0].mentions[0]))
    seen: dict[str, list[str]] = {}
    for name in ("date_conflicts", "partial_date_conflicts", "count_conflicts", "duration_conflicts"):
        real = getattr(conflicts, name)

        def reading(evs, *args, _name=name, _real=real, **kwargs):
            seen[_name] = [ev.id for ev in evs]
            return _real(evs, *args, **kwargs)

        monkeypatch.setattr(conflicts, name, reading)
    assert conflicts.find_conflicts([*events, one_doc], anns, [], {}) == []
    told_twice = [ev.id for ev in events]
    assert seen == {"date_conflicts": told_twice, "partial_date_conflicts": told_twice, "count_conflicts": [],
                    "duration_conflicts": []}
