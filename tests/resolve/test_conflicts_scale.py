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
