"""Response shapes for the OpenAPI schema of the JSON API.

They name the fields the views return and allow extra ones (``extra="allow"``),
so a view that grows a field does not break the API; every field is optional
because unknown values are ``null`` rather than guessed.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

__all__ = [
    "StoryRow", "EventRow", "Claim", "ConflictOut", "DocumentRow", "Sentence", "Actor", "FigureRow", "Mark",
    "StoryOut", "CompareRow", "CompareOut", "EntityOut", "Item", "DocumentOut", "SearchHitOut", "QuoteRow",
    "EntityRow",
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class StoryRow(_Open):
    id: str
    label: Optional[str] = None
    earliest: Optional[str] = None
    latest: Optional[str] = None
    documents: Optional[int] = None
    events: Optional[int] = None
    conflicts: Optional[int] = None


class EventRow(_Open):
    event: str
    date: Optional[str] = None
    earliest: Optional[str] = None
    latest: Optional[str] = None
    precision: Optional[str] = None
    label: Optional[str] = None
    type: Optional[str] = None
    sources: Optional[int] = None
    conflict: Optional[bool] = None
    citations: list[str] = []


class Claim(_Open):
    value: Optional[str] = None
    text: Optional[str] = None
    doc: Optional[str] = None
    cite: Optional[str] = None


class ConflictOut(_Open):
    id: str
    kind: Optional[str] = None
    about: Optional[str] = None
    summary: Optional[str] = None
    status: Optional[str] = None
    claims: list[Claim] = []


class DocumentRow(_Open):
    id: str
    title: Optional[str] = None
    display_title: Optional[str] = None
    title_derived: Optional[bool] = None
    byline: Optional[str] = None
    published: Optional[str] = None
    earliest: Optional[str] = None
    latest: Optional[str] = None
    date: Optional[str] = None
    basis: Optional[str] = None
    source: Optional[str] = None


class EntityRow(_Open):
    id: str
    name: Optional[str] = None
    type: Optional[str] = None
    mentions: Optional[int] = None
    documents: Optional[int] = None


class Sentence(_Open):
    text: str
    citations: list[str] = []


class Actor(_Open):
    id: str
    name: Optional[str] = None
    type: Optional[str] = None
    events: Optional[int] = None
    roles: list[str] = []


class FigureRow(_Open):
    id: Optional[str] = None
    doc: Optional[str] = None
    text: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    about: Optional[str] = None
    cite: Optional[str] = None


class Mark(_Open):
    event: str
    label: Optional[str] = None
    dates: list[dict[str, Any]] = []
    disagree: bool = False
    conflict: bool = False


class StoryOut(_Open):
    id: str
    label: Optional[str] = None
    earliest: Optional[str] = None
    latest: Optional[str] = None
    documents: list[DocumentRow] = []
    events: list[EventRow] = []
    conflicts: list[ConflictOut] = []
    timeline: list[Mark] = []
    actors: list[Actor] = []
    figures: list[FigureRow] = []
    brief: list[Sentence] = []


class CompareRow(_Open):
    kind: str
    id: str
    label: Optional[str] = None
    cells: dict[str, str] = {}
    cites: dict[str, str] = {}
    disagree: bool = False


class CompareOut(_Open):
    story: str
    label: Optional[str] = None
    documents: list[DocumentRow] = []
    rows: list[CompareRow] = []


class QuoteRow(_Open):
    id: Optional[str] = None
    doc: Optional[str] = None
    speaker: Optional[str] = None
    text: Optional[str] = None
    cite: Optional[str] = None


class EntityOut(_Open):
    id: str
    name: Optional[str] = None
    type: Optional[str] = None
    aliases: list[str] = []
    roles: list[str] = []
    documents: list[str] = []
    events: list[EventRow] = []
    quotes: list[QuoteRow] = []
    figures: list[FigureRow] = []


class Item(_Open):
    type: str
    start: int
    end: int
    text: str


class DocumentOut(_Open):
    id: str
    title: Optional[str] = None
    text: str
    items: list[Item] = []
    cited: list[dict[str, Any]] = []


class SearchHitOut(_Open):
    doc: str
    title: Optional[str] = None
    snippet: Optional[str] = None
    rank: Optional[float] = None
