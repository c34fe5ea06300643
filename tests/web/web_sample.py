"""An invented story for the web tests, built through the Store API with hand-made annotations.

Three documents: two reports of one ferry-strike meeting that disagree on its
date and on the wage offer, and a third whose title and text carry script
payloads (which also land in an entity name, a quote, a figure and a conflict
claim, so every page that shows them must escape them).
"""

from __future__ import annotations

import hashlib

from storyline.model import (
    Claim, Conflict, DocAnnotations, Document, Entity, Event, EventMention, EventReport, Figure, LocalEntity,
    Mention, Participant, Published, Quote, Resolution, Span, Story, Support, TimeExpr, When,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JSLINK = '<a href="javascript:window.__xss=1">click me</a>'

TEXT_A = (
    "Ferry strike talks in Orlund\n\n"
    "Transport Secretary Mira Halvorsen met dockworkers' leader Jonas Pell on June 9, 2031 in Brakvik. "
    "\u201cWe want the 7% we were promised,\u201d Pell said. "
    "Halvorsen offered a 4% raise for 2031."
)
TEXT_B = (
    "Orlund ferries idle for a third day\n\n"
    "Mira Halvorsen and Jonas Pell met on June 10, 2031. "
    "Halvorsen put a 5% raise on the table, officials said. "
    "\u201cThe boats stay tied up,\u201d said Pell."
)
TEXT_X = (
    f"Odd post {SCRIPT}\n\n"
    f"A reader wrote {SCRIPT} and {IMG} to the Orlund desk, and {JSLINK}. "
    f"Jonas Pell said the offer was 6% in June 2031. \u201c{IMG} is not an answer,\u201d Pell said."
)
TITLE_X = f"Odd post {SCRIPT} {IMG}"


def doc_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


A, B, X = doc_id(TEXT_A), doc_id(TEXT_B), doc_id(TEXT_X)
TEXTS = {A: TEXT_A, B: TEXT_B, X: TEXT_X}


def sp(doc: str, sub: str, nth: int = 0) -> Span:
    text, start = TEXTS[doc], -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span.of(doc, text, start, start + len(sub))


def day(d: str) -> When:
    return When(d, d, d)


JUNE = When("2031-06", "2031-06-01", "2031-06-30")


def documents() -> list[Document]:
    return [
        Document(A, TEXT_A, "a.txt", "Ferry strike talks in Orlund", "By K. Amsel",
                 Published(day("2031-06-10"), "stated")),
        Document(B, TEXT_B, "b.html", "Orlund ferries idle for a third day", format="html"),
        Document(X, TEXT_X, "x.html", TITLE_X, byline=IMG, url="javascript:alert(1)", format="html"),
    ]


def annotations() -> list[DocAnnotations]:
    a = DocAnnotations(
        A, Published(day("2031-06-10"), "stated"),
        entities=(
            LocalEntity("e1", A, "Mira Halvorsen", "PERSON", (Mention(sp(A, "Mira Halvorsen")), Mention(sp(A, "Halvorsen", 1))),
                        descriptions=("Transport Secretary",)),
            LocalEntity("e2", A, "Jonas Pell", "PERSON", (Mention(sp(A, "Jonas Pell")), Mention(sp(A, "Pell", 1)))),
            LocalEntity("e3", A, "Brakvik", "GPE", (Mention(sp(A, "Brakvik")),)),
        ),
        times=(TimeExpr(sp(A, "June 9, 2031"), "t1", "DATE", day("2031-06-09")),),
        quotes=(Quote(sp(A, "We want the 7% we were promised,"), "q1", "direct", "e2", sp(A, "Pell", 1), "said"),),
        figures=(Figure(sp(A, "4%"), "f1", 4.0, "percent", "raise", period="2031", speaker="e1"),),
        events=(EventMention(sp(A, "Transport Secretary Mira Halvorsen met dockworkers' leader Jonas Pell on June 9, 2031 in Brakvik."),
                             "v1", "CONSULT", sp(A, "met"), "Mira Halvorsen met Jonas Pell", "meeting",
                             (Participant("e1", "actor"), Participant("e2", "with")), "e3", day("2031-06-09"), "t1"),),
    )
    b = DocAnnotations(
        B, Published(day("2031-06-11"), "inferred"),
        entities=(
            LocalEntity("e1", B, "Mira Halvorsen", "PERSON", (Mention(sp(B, "Mira Halvorsen")), Mention(sp(B, "Halvorsen", 1)))),
            LocalEntity("e2", B, "Jonas Pell", "PERSON", (Mention(sp(B, "Jonas Pell")), Mention(sp(B, "Pell", 1)))),
        ),
        times=(TimeExpr(sp(B, "June 10, 2031"), "t1", "DATE", day("2031-06-10")),),
        quotes=(Quote(sp(B, "The boats stay tied up,"), "q1", "direct", "e2", sp(B, "Pell", 1), "said"),),
        figures=(Figure(sp(B, "5%"), "f1", 5.0, "percent", "raise", speaker="e1"),),
        events=(EventMention(sp(B, "Mira Halvorsen and Jonas Pell met on June 10, 2031."), "v1", "CONSULT", sp(B, "met"),
                             "Mira Halvorsen met Jonas Pell", None, (Participant("e1", "actor"), Participant("e2", "with")),
                             None, day("2031-06-10"), "t1"),),
    )
    x = DocAnnotations(
        X, Published(),
        entities=(
            LocalEntity("e1", X, SCRIPT, "ORG", (Mention(sp(X, SCRIPT, 1)),)),
            LocalEntity("e2", X, "Jonas Pell", "PERSON", (Mention(sp(X, "Jonas Pell")), Mention(sp(X, "Pell", 1)))),
        ),
        times=(TimeExpr(sp(X, "June 2031"), "t1", "DATE", JUNE),),
        quotes=(Quote(sp(X, f"{IMG} is not an answer,"), "q1", "direct", "e2", sp(X, "Pell", 1), "said"),
                Quote(sp(X, f"{SCRIPT} and {IMG}"), "q2", "indirect", "e1", None, "wrote")),
        figures=(Figure(sp(X, "6%"), "f1", 6.0, "percent", f"raise {IMG}", speaker="e2"),),
        events=(EventMention(sp(X, f"A reader wrote {SCRIPT} and {IMG} to the Orlund desk, and {JSLINK}."), "v1", "STATEMENT",
                             sp(X, "wrote"), f"{SCRIPT} wrote {IMG}", None, (Participant("e1", "actor"),), None, JUNE, "t1"),),
    )
    return [a, b, x]


def resolution() -> Resolution:
    anns = {x.doc: x for x in annotations()}

    def mentions(doc_keys) -> tuple[Span, ...]:
        return tuple(m.span for d, k in doc_keys for m in anns[d].entity(k).mentions)

    hal = Entity("E1", "Mira Halvorsen", "PERSON", ("Halvorsen",), ("Transport Secretary",),
                 mentions([(A, "e1"), (B, "e1")]), ((A, "e1"), (B, "e1")))
    pell = Entity("E2", "Jonas Pell", "PERSON", ("Pell",), (), mentions([(A, "e2"), (B, "e2"), (X, "e2")]),
                  ((A, "e2"), (B, "e2"), (X, "e2")))
    brak = Entity("E3", "Brakvik", "GPE", (), (), mentions([(A, "e3")]), ((A, "e3"),))
    bad = Entity("E4", SCRIPT, "ORG", (IMG,), (IMG,), mentions([(X, "e1")]), ((X, "e1"),))
    meeting = Event("V1", "CONSULT", "Mira Halvorsen met Jonas Pell", (Participant("E1", "actor"), Participant("E2", "with")),
                    day("2031-06-09"),
                    (EventReport(anns[A].events[0].span, "v1", day("2031-06-09")),
                     EventReport(anns[B].events[0].span, "v1", day("2031-06-10"))),
                    mode="meeting", where="E3", sources=2)
    letter = Event("V2", "STATEMENT", f"{SCRIPT} wrote {IMG}", (Participant("E4", "actor"),), JUNE,
                   (EventReport(anns[X].events[0].span, "v1", JUNE),), sources=1)
    return Resolution(
        entities=(hal, pell, brak, bad),
        events=(meeting, letter),
        stories=(Story("S1", "Orlund ferry strike", (A, B, X), ("V1", "V2"), "2031-06-01", "2031-06-30"),),
        conflicts=(
            Conflict("C1", "date", "V1", "the date of the Halvorsen-Pell meeting",
                     (Claim(sp(A, "June 9, 2031"), "2031-06-09"), Claim(sp(B, "June 10, 2031"), "2031-06-10"))),
            Conflict("C2", "number", f"{A}:f1", f"the wage offer {SCRIPT}",
                     (Claim(sp(A, "4%"), "4 percent"), Claim(sp(X, f"{IMG} is not an answer"), IMG))),
        ),
        support=(Support("V1", "event", (A, B), 2),),
        entity_of={(A, "e1"): "E1", (A, "e2"): "E2", (A, "e3"): "E3", (B, "e1"): "E1", (B, "e2"): "E2",
                   (X, "e1"): "E4", (X, "e2"): "E2"},
    )


def build(store):
    """Fill ``store`` with the three documents, their annotations and the resolution."""
    for d in documents():
        store.add_document(d)
    for ann in annotations():
        store.save_annotations(ann)
    store.save_resolution(resolution())
    return store
