"""A small invented story (two reports of one harbour meeting) with hand-built
annotations and resolution, shared by the kb, export and views tests.

Other test folders load it by path (tests folders are not packages).
"""

from __future__ import annotations

import hashlib

from storyline.model import (
    Claim, Conflict, DocAnnotations, Document, Entity, Event, EventMention, EventReport, Figure, LocalEntity,
    Mention, Participant, Published, Quote, Resolution, Span, Story, Support, TimeExpr, When,
)

TEXT_A = (
    "Harbour talks stall in Velland\n\n"
    "Port Minister Ilse Marwood met union leader Tomás Ferrant on March 3, 2026 in Kessport. "
    "\u201cWe will not sign a deal that cuts 300 jobs,\u201d Ferrant said. "
    "Marwood said the port budget would rise 12% in 2026."
)
TEXT_B = (
    "Velland port budget to grow\n\n"
    "Ilse Marwood and Tomás Ferrant met on March 4, 2026. "
    "Marwood told reporters the port budget would grow by 10% next year. "
    "\u201cNothing moves until the ships move,\u201d said Ferrant."
)


def doc_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


A, B = doc_id(TEXT_A), doc_id(TEXT_B)
TEXTS = {A: TEXT_A, B: TEXT_B}


def sp(doc: str, sub: str, nth: int = 0) -> Span:
    """Span of the nth occurrence of ``sub`` in the document's text."""
    text, start = TEXTS[doc], -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span.of(doc, text, start, start + len(sub))


def day(d: str) -> When:
    return When(d, d, d)


def fingerprint(text: str) -> tuple[int, ...]:
    try:
        from storyline.readers.clean import minhash
    except ImportError:
        return ()
    return tuple(minhash(text))


def documents() -> list[Document]:
    return [
        Document(id=A, text=TEXT_A, source="a.txt", title="Harbour talks stall in Velland", byline="By R. Osei",
                 published=Published(day("2026-03-05"), "stated"), fingerprint=fingerprint(TEXT_A)),
        Document(id=B, text=TEXT_B, source="b.html", title="Velland port budget to grow", format="html",
                 fingerprint=fingerprint(TEXT_B)),
    ]


def annotations() -> list[DocAnnotations]:
    a_ents = (
        LocalEntity("e1", A, "Ilse Marwood", "PERSON", (Mention(sp(A, "Ilse Marwood")), Mention(sp(A, "Marwood", 1))),
                    aliases=("Marwood",), descriptions=("Port Minister",)),
        LocalEntity("e2", A, "Tomás Ferrant", "PERSON", (Mention(sp(A, "Tomás Ferrant")), Mention(sp(A, "Ferrant", 1)))),
        LocalEntity("e3", A, "Kessport", "GPE", (Mention(sp(A, "Kessport")),)),
    )
    a = DocAnnotations(
        doc=A,
        published=Published(day("2026-03-05"), "stated", (sp(A, "Harbour"),)),
        entities=a_ents,
        times=(
            TimeExpr(sp(A, "March 3, 2026"), "t1", "DATE", day("2026-03-03")),
            TimeExpr(sp(A, "2026", 1), "t2", "DATE", When("2026", "2026-01-01", "2026-12-31"), anchor="published"),
        ),
        quotes=(
            Quote(sp(A, "We will not sign a deal that cuts 300 jobs,"), "q1", "direct", "e2", sp(A, "Ferrant", 1), "said"),
            Quote(sp(A, "the port budget would rise 12% in 2026"), "q2", "indirect", "e1", sp(A, "Marwood", 1), "said"),
        ),
        figures=(
            Figure(sp(A, "300 jobs"), "f1", 300.0, "count", "jobs"),
            Figure(sp(A, "12%"), "f2", 12.0, "percent", "port budget", period="2026", speaker="e1"),
        ),
        events=(
            EventMention(sp(A, "Port Minister Ilse Marwood met union leader Tomás Ferrant on March 3, 2026 in Kessport."),
                         "v1", "CONSULT", sp(A, "met"), "Ilse Marwood met Tomás Ferrant", "meeting",
                         (Participant("e1", "actor"), Participant("e2", "with")), "e3", day("2026-03-03"), "t1"),
        ),
    )
    b = DocAnnotations(
        doc=B,
        published=Published(day("2026-03-06"), "inferred"),
        entities=(
            LocalEntity("e1", B, "Ilse Marwood", "PERSON", (Mention(sp(B, "Ilse Marwood")), Mention(sp(B, "Marwood", 1)))),
            LocalEntity("e2", B, "Tomás Ferrant", "PERSON", (Mention(sp(B, "Tomás Ferrant")), Mention(sp(B, "Ferrant", 1)))),
        ),
        times=(
            TimeExpr(sp(B, "March 4, 2026"), "t1", "DATE", day("2026-03-04")),
            TimeExpr(sp(B, "next year"), "t2", "DATE", When("2027", "2027-01-01", "2027-12-31"), "published", True),
        ),
        quotes=(Quote(sp(B, "Nothing moves until the ships move,"), "q1", "direct", "e2", sp(B, "Ferrant", 1), "said"),),
        figures=(Figure(sp(B, "10%"), "f1", 10.0, "percent", "port budget", period="next year", qualifier="by",
                        speaker="e1"),),
        events=(
            EventMention(sp(B, "Ilse Marwood and Tomás Ferrant met on March 4, 2026."), "v1", "CONSULT", sp(B, "met"),
                         "Ilse Marwood met Tomás Ferrant", None, (Participant("e1", "actor"), Participant("e2", "with")),
                         None, day("2026-03-04"), "t1"),
        ),
    )
    return [a, b]


def resolution() -> Resolution:
    anns = {x.doc: x for x in annotations()}

    def mentions(key: str) -> tuple[Span, ...]:
        return tuple(m.span for d in (A, B) for e in anns[d].entities if e.key == key for m in e.mentions)

    marwood = Entity("E1", "Ilse Marwood", "PERSON", ("Marwood",), ("Port Minister",), mentions("e1"), ((A, "e1"), (B, "e1")))
    ferrant = Entity("E2", "Tomás Ferrant", "PERSON", ("Ferrant",), (), mentions("e2"), ((A, "e2"), (B, "e2")))
    kess = Entity("E3", "Kessport", "GPE", (), (), (sp(A, "Kessport"),), ((A, "e3"),))
    meeting = Event(
        "V1", "CONSULT", "Ilse Marwood met Tomás Ferrant", (Participant("E1", "actor"), Participant("E2", "with")),
        day("2026-03-03"),
        (EventReport(anns[A].events[0].span, "v1", day("2026-03-03")), EventReport(anns[B].events[0].span, "v1", day("2026-03-04"))),
        mode="meeting", where="E3", sources=2,
    )
    return Resolution(
        entities=(marwood, ferrant, kess),
        events=(meeting,),
        stories=(Story("S1", "Velland harbour talks", (A, B), ("V1",), "2026-03-03", "2026-03-04"),),
        conflicts=(
            Conflict("C1", "date", "V1", "the date of the Marwood-Ferrant meeting",
                     (Claim(sp(A, "March 3, 2026"), "2026-03-03"), Claim(sp(B, "March 4, 2026"), "2026-03-04"))),
            Conflict("C2", "number", f"{A}:f2", "the rise of the port budget",
                     (Claim(sp(A, "12%"), "12 percent"), Claim(sp(B, "10%"), "10 percent")), status="open"),
        ),
        support=(Support("V1", "event", (A, B), 2),),
        entity_of={(A, "e1"): "E1", (A, "e2"): "E2", (A, "e3"): "E3", (B, "e1"): "E1", (B, "e2"): "E2"},
    )


def filled_store(store):
    """Add both documents, their annotations and the resolution; returns the store."""
    for d in documents():
        store.add_document(d)
    for ann in annotations():
        store.save_annotations(ann)
    store.save_resolution(resolution())
    return store

