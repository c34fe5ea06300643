"""Build DocAnnotations by hand over a text we write, with consistent spans.

    d = DocBuilder("d1", "Foreign Minister Ana Ruiz called Tom Beck on Friday.", published="2026-03-02")
    ana = d.ent("PERSON", "Ana Ruiz")
    tom = d.ent("PERSON", "Tom Beck")
    d.event("CONSULT", "called", [ana, tom], when="2026-02-27", time_text="Friday", mode="phone call")
    record, ann = d.build()
"""

from __future__ import annotations

import calendar

from storyline.model import (
    DocAnnotations,
    DocRecord,
    Document,
    EventMention,
    Figure,
    LocalEntity,
    Mention,
    Participant,
    Published,
    Quote,
    Span,
    TimeExpr,
    When,
)


def when(value: str | None) -> When | None:
    if value is None:
        return None
    parts = value.split("-")
    if len(parts) == 3:
        return When(value, value, value)
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        return When(value, f"{value}-01", f"{value}-{calendar.monthrange(y, m)[1]:02d}")
    return When(value, f"{value}-01-01", f"{value}-12-31")


class DocBuilder:
    def __init__(self, doc: str, text: str, published: str | None = None, duplicate_of: str | None = None):
        self.doc, self.text, self.duplicate_of = doc, text, duplicate_of
        self.published = Published(when(published), "stated") if published else Published()
        self.entities: list[LocalEntity] = []
        self.times: list[TimeExpr] = []
        self.quotes: list[Quote] = []
        self.figures: list[Figure] = []
        self.events: list[EventMention] = []

    def span(self, surface: str, n: int = 1) -> Span:
        start = -1
        for _ in range(n):
            start = self.text.find(surface, start + 1)
            if start < 0:
                raise ValueError(f"{surface!r} (#{n}) not in {self.doc}")
        return Span(self.doc, start, start + len(surface), surface)

    def ent(self, type_: str, *surfaces: str, kinds: tuple[str, ...] = (), descriptions=(), name=None) -> str:
        key = f"e{len(self.entities)}"
        seen: dict[str, int] = {}
        mentions = []
        for i, s in enumerate(surfaces):
            seen[s] = seen.get(s, 0) + 1
            kind = kinds[i] if i < len(kinds) else "name"
            mentions.append(Mention(self.span(s, seen[s]), kind))
        names = [m.span.text for m in mentions if m.kind == "name"]
        full = name or (max(names, key=len) if names else surfaces[0])
        aliases = tuple(sorted(set(names) - {full}))
        self.entities.append(LocalEntity(key, self.doc, full, type_, tuple(mentions), aliases, tuple(descriptions)))
        return key

    def time(self, surface: str, value: str | None, relative: bool = False, n: int = 1) -> str:
        tid = f"t{len(self.times)}"
        self.times.append(TimeExpr(self.span(surface, n), tid, "DATE", when(value) or When(), "published" if relative else None, relative))
        return tid

    def event(self, type_, trigger, participants, when_=None, time_text=None, mode=None, repeat=False, label=None, relative=False, n=1, sentence=None):
        eid = f"v{len(self.events)}"
        tid = self.time(time_text, when_, relative) if time_text else None
        trig = self.span(trigger, n)
        parts = tuple(Participant(k, "actor" if i == 0 else "with") for i, k in enumerate(participants))
        self.events.append(
            EventMention(self.span(sentence) if sentence else trig, eid, type_, trig, label or trigger, mode, parts, None, when(when_), tid, repeat)
        )
        return eid

    def quote(self, surface: str, speaker: str | None, kind: str = "direct") -> str:
        qid = f"q{len(self.quotes)}"
        self.quotes.append(Quote(self.span(surface), qid, kind, speaker))
        return qid

    def figure(self, surface, value, unit, about, subject=None, period=None, status="actual", qualifier=None) -> str:
        fid = f"f{len(self.figures)}"
        self.figures.append(Figure(self.span(surface), fid, value, unit, about, subject, period, qualifier, status))
        return fid

    def build(self) -> tuple[DocRecord, DocAnnotations]:
        document = Document(self.doc, self.text, f"{self.doc}.txt", published=self.published)
        record = DocRecord(document, (document.source,), self.duplicate_of, len(self.text.split()), self.published)
        ann = DocAnnotations(
            self.doc, self.published, tuple(self.entities), tuple(self.times), tuple(self.quotes), tuple(self.figures), tuple(self.events)
        )
        return record, ann


def build_all(*builders: DocBuilder):
    pairs = [b.build() for b in builders]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def entity_named(res, doc: str, key: str):
    eid = res.entity_of[(doc, key)]
    return next(e for e in res.entities if e.id == eid)
