"""Frozen dataclasses shared by every layer. No I/O, no spaCy.

Every extracted item carries a :class:`Span` into ``Document.text``; the
invariant ``document.text[span.start:span.end] == span.text`` holds for all of
them (checked by ``tests/test_provenance.py``).

Dates are ISO strings (``"2025-03-28"``) rather than ``datetime.date`` so that
items serialise without converters; :class:`When` keeps the TIMEX3-style value
at its own precision plus the earliest and latest calendar days it may mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any

__all__ = [
    "BASES",
    "ENTITY_TYPES",
    "Span",
    "When",
    "Published",
    "Document",
    "DocRecord",
    "Mention",
    "LocalEntity",
    "TimeExpr",
    "Quote",
    "Figure",
    "Participant",
    "EventMention",
    "DocAnnotations",
    "Entity",
    "Event",
    "EventReport",
    "Story",
    "Claim",
    "Conflict",
    "Support",
    "Resolution",
    "to_dict",
]

BASES = ("stated", "metadata", "inferred", "unknown")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER")


def to_dict(obj: Any) -> dict:
    """A plain-dict copy of any model object (tuples become lists in JSON)."""
    return asdict(obj)


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of document ``doc``'s clean text."""

    doc: str
    start: int
    end: int
    text: str

    def check(self, text: str) -> bool:
        return 0 <= self.start <= self.end <= len(text) and text[self.start : self.end] == self.text

    @classmethod
    def of(cls, doc: str, text: str, start: int, end: int) -> "Span":
        return cls(doc, start, end, text[start:end])


@dataclass(frozen=True)
class When:
    """A calendar value at its own precision.

    ``value`` is TIMEX3-like (``2025-03-28``, ``2025-03``, ``2025``, ``2025-W14``,
    ``P30M`` for durations) or ``None`` when unknown; ``earliest``/``latest`` are
    ISO days bounding what it can mean, each ``None`` when unbounded.

    ``estimate`` is set only when the text gives no date of its own: the likeliest day and the
    days it most likely lies in, ``(day, earliest, latest)``, estimated (a done event in a dated
    report: the report's day or shortly before). ``value``/``earliest``/``latest`` stay what the
    text supports; the estimate never takes their place.
    """

    value: str | None = None
    earliest: str | None = None
    latest: str | None = None
    estimate: tuple[str, str, str] | None = None

    @property
    def known(self) -> bool:
        return self.value is not None or self.earliest is not None or self.latest is not None

    @property
    def exact_day(self) -> str | None:
        if self.earliest and self.earliest == self.latest:
            return self.earliest
        return None


UNKNOWN = When()


@dataclass(frozen=True)
class Published:
    """A document's publication date and where it came from (``BASES``)."""

    when: When = UNKNOWN
    basis: str = "unknown"
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Document:
    """One article after ingest: clean text and metadata.

    ``id`` is derived from the clean text, so the same article read from two
    files is one document with two ``sources``.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    byline: str | None = None
    published: Published = field(default_factory=Published)
    format: str = "text"
    url: str | None = None
    language: str | None = None
    captions: tuple[str, ...] = ()
    dateline: str | None = None
    fingerprint: tuple[int, ...] = ()
    # what ingest mended or cut, in words ("3 invalid UTF-8 byte sequences replaced with U+FFFD")
    repairs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocRecord:
    """A stored document with what the store knows about it.

    ``published`` is the effective date: stated or metadata from ingest, else
    the date the NLP stage inferred from the text, else unknown.
    """

    document: Document
    sources: tuple[str, ...] = ()
    duplicate_of: str | None = None
    words: int = 0
    published: Published = field(default_factory=Published)

    @property
    def id(self) -> str:
        return self.document.id


# ---------------------------------------------------------------- per document


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in a document.

    ``kind`` is ``name`` (a proper name), ``nominal`` (a role noun phrase such as
    "Spain's top diplomat" or "the minister") or ``pronoun``.
    """

    span: Span
    kind: str = "name"


@dataclass(frozen=True)
class LocalEntity:
    """An entity as one document knows it; ``key`` is unique within the doc."""

    key: str
    doc: str
    name: str
    type: str
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimeExpr:
    span: Span
    id: str
    type: str  # DATE, TIME, DURATION, SET
    when: When = UNKNOWN
    anchor: str | None = None  # "published", another TimeExpr id, or None
    relative: bool = False
    # what an unanchored day still says ("XXXX-11-19", "XXXX-WXX-5"); None when ``when`` is known
    partial: str | None = None


@dataclass(frozen=True)
class Quote:
    span: Span  # the quoted words (direct) or the reported clause (indirect)
    id: str
    kind: str  # direct, indirect, mixed
    speaker: str | None = None  # LocalEntity key
    speaker_span: Span | None = None
    cue: str | None = None
    when: When | None = None


@dataclass(frozen=True)
class Figure:
    span: Span
    id: str
    value: float
    unit: str
    about: str
    subject: str | None = None  # LocalEntity key
    period: str | None = None
    qualifier: str | None = None
    status: str = "actual"  # actual, target, proposal, estimate
    speaker: str | None = None  # LocalEntity key


@dataclass(frozen=True)
class Participant:
    entity: str  # LocalEntity key (per doc) or Entity id (resolved)
    role: str  # actor, target, with, ...


@dataclass(frozen=True)
class EventMention:
    span: Span  # the clause or sentence that reports the event
    id: str
    type: str  # PLOVER class or STATEMENT
    trigger: Span
    label: str
    mode: str | None = None  # phone call, meeting, visit, summit, ...
    participants: tuple[Participant, ...] = ()
    where: str | None = None  # LocalEntity key
    when: When | None = None
    time: str | None = None  # TimeExpr id the date came from
    repeat: bool = False  # "met again", "a second call": never merge with an earlier one
    modality: str = "asserted"  # asserted, planned, expected, possible, requested, denied, negated, hypothetical
    salience: int | None = None  # rank within the document; 1 = its main event
    concept: str | None = None  # what reports using other words for this happening share ("quake" ~ "earthquake")
    # how many it touched or how strong it was, as this report says ("killed 12 people", "magnitude 6.1")
    count: Span | None = None
    count_value: float | None = None
    count_of: str | None = None  # what is counted: "people", "magnitude", ...
    count_hedged: bool = False  # "at least 12", "about 40": not a disagreement with 41


@dataclass(frozen=True)
class DocAnnotations:
    doc: str
    published: Published
    entities: tuple[LocalEntity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[EventMention, ...] = ()
    # content lemmas with counts (the most frequent first): what the document talks about,
    # for grouping documents into stories by their words as well as their entities
    terms: tuple[tuple[str, int], ...] = ()

    def entity(self, key: str | None) -> LocalEntity | None:
        for e in self.entities:
            if e.key == key:
                return e
        return None


# ---------------------------------------------------------------- across documents


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    descriptions: tuple[str, ...]
    mentions: tuple[Span, ...]
    members: tuple[tuple[str, str], ...]  # (doc, local key)


@dataclass(frozen=True)
class EventReport:
    """One report of an event: the mention and the date that report gives."""

    span: Span
    mention: str  # EventMention id
    when: When | None = None
    trigger: Span | None = None
    modality: str | None = None
    salience: int | None = None


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    label: str
    participants: tuple[Participant, ...]
    when: When | None
    mentions: tuple[EventReport, ...]
    mode: str | None = None
    where: str | None = None
    sources: int = 1  # independent sources (near-duplicates count once)
    modality: str = "asserted"  # what most independent sources say of it
    main: bool = False  # the main event of at least one report
    role: str | None = None  # within its story: headline, news, background, reaction (resolve.storymodel)


@dataclass(frozen=True)
class Story:
    id: str
    label: str
    documents: tuple[str, ...]
    events: tuple[str, ...]
    earliest: str | None = None
    latest: str | None = None
    title: str | None = None  # the news in the sources' own words (a trimmed clause; resolve.storymodel)
    headline: str | None = None  # event id of the happening most of its reports lead with


@dataclass(frozen=True)
class Claim:
    span: Span
    value: str


@dataclass(frozen=True)
class Conflict:
    id: str
    kind: str  # date, number, attribute, statement
    about: str
    summary: str
    claims: tuple[Claim, ...]
    status: str = "open"  # open, superseded
    basis: str = ""  # why the claims were taken to be about one thing (same event, speaker, measure)


@dataclass(frozen=True)
class Support:
    """Independent sources behind one item (event, quote or figure id)."""

    item: str
    kind: str
    documents: tuple[str, ...]
    sources: int


@dataclass(frozen=True)
class Resolution:
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    stories: tuple[Story, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    support: tuple[Support, ...] = ()
    # (doc, local key) -> entity id, so per-document items can name entities
    entity_of: dict[tuple[str, str], str] = field(default_factory=dict)
