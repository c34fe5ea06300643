"""storyline.resolve: the cross-document layer, pure functions over a snapshot.

``resolve(records, annotations, settings)`` turns per-document annotations
into one :class:`~storyline.model.Resolution`:

1. :mod:`.entities`: canonical entities (blocking on surnames, name forms and
   acronyms; union-find with a compatibility check);
2. :mod:`.events`: event coreference (blocking on type + resolved participants,
   date window, ``repeat`` kept apart);
3. :mod:`.stories`: documents grouped by weighted shared entities and date;
4. :mod:`.support`: independent sources behind every event, quote and figure;
5. :mod:`.conflicts`: date and number disagreements between sources;
6. :mod:`.timeline`: dated events in order (a view over the result).

No database, no spaCy: inputs are model objects, and the result depends only
on their content (any input order gives the same Resolution, ids included).
"""

from __future__ import annotations

from typing import Sequence

from ..config import Settings
from ..errors import PipelineError
from ..model import DocAnnotations, DocRecord, Resolution
from .common import doc_intervals
from .conflicts import find_conflicts
from .entities import resolve_entities
from .events import resolve_events
from .stories import doc_sizes, group_stories, story_groups
from .support import build_support, measures
from .timeline import timeline

__all__ = ["resolve", "timeline"]


def resolve(
    records: Sequence[DocRecord], annotations: Sequence[DocAnnotations], settings: Settings | None = None
) -> Resolution:
    """Entities, events, stories, support and conflicts across ``annotations``.

    ``records`` give each document's effective publication date and its
    near-duplicate original; annotations of documents without a record are
    used with the dates their annotations carry. Raises ``PipelineError``
    (E202) when two annotations claim one document.
    """
    settings = settings or Settings()
    records = sorted(records, key=lambda r: r.id)
    annotations = sorted(annotations, key=lambda a: a.doc)
    for a, b in zip(annotations, annotations[1:]):
        if a.doc == b.doc:
            raise PipelineError(f"two annotation sets for document {a.doc}", code="E202")
    duplicate_of = {r.id: r.duplicate_of for r in records}
    days = doc_intervals(records, annotations)
    entities, entity_of = resolve_entities(annotations, days, settings.story_day_window)
    docs = sorted({r.id for r in records} | {a.doc for a in annotations})
    terms_of = {a.doc: a.terms for a in annotations}
    groups = story_groups(docs, terms_of, entity_of, entities, days, duplicate_of, settings.story_day_window,
                          doc_sizes(annotations))
    story_of = {d: i for i, g in enumerate(groups or ()) for d in g}
    events, _ = resolve_events(annotations, entity_of, duplicate_of, days, settings.event_day_window, story_of)
    stories = group_stories(docs, entity_of, entities, events, days, duplicate_of, settings.story_day_window, groups=groups)
    figure_groups = measures(annotations, entity_of)
    support = build_support(annotations, events, entity_of, duplicate_of, figure_groups)
    conflicts = find_conflicts(events, annotations, figure_groups, duplicate_of)
    return Resolution(
        entities=tuple(entities),
        events=tuple(events),
        stories=tuple(stories),
        conflicts=tuple(conflicts),
        support=tuple(support),
        entity_of=dict(sorted(entity_of.items())),
    )
