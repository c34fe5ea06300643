"""storyline.resolve: the cross-document layer, pure functions over a snapshot.

``resolve(records, annotations, settings)`` turns per-document annotations
into one :class:`~storyline.model.Resolution`, computed by the resolution
engine (:mod:`.engine`: the steps of :mod:`.partition` and :mod:`.textparts`,
here in this process; the same steps run on worker processes or on Ray):

1. :mod:`.entities`: canonical entities (blocking on surnames, name forms and
   acronyms; union-find with a compatibility check);
2. :mod:`.events`: event coreference (blocking on type + resolved participants,
   date window, ``repeat`` kept apart);
3. :mod:`.textparts` (documents grouped by what they say) or :mod:`.stories`
   (by weighted shared entities and date); then
   :mod:`.storymodel`: each story's headline event, title and dates, its events sorted into
   news, background and reactions (before support and conflicts, which may read the roles);
4. :mod:`.support`: independent sources behind every event, quote and figure;
5. :mod:`.conflicts`: date and number disagreements between sources;
6. :mod:`.timeline`: dated events in order (a view over the result).

No database, no spaCy: inputs are model objects, and the result depends only
on their content (any input order gives the same Resolution, ids included).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..config import Settings
from ..errors import PipelineError
from ..model import DocAnnotations, DocRecord, Entity, Resolution
from .common import doc_intervals
from .engine import SerialRunner, blocks_of, resolve_blocks
from .entities import attach_entities
from .timeline import timeline

__all__ = ["resolve", "resolve_increment", "timeline"]


def resolve(
    records: Sequence[DocRecord],
    annotations: Sequence[DocAnnotations],
    settings: Settings | None = None,
    *,
    df: Mapping[str, int] | None = None,
    corpus_size: int | None = None,
) -> Resolution:
    """Entities, events, stories, support and conflicts across ``annotations``.

    ``records`` give each document's effective publication date and its
    near-duplicate original; annotations of documents without a record are
    used with the dates their annotations carry. Raises ``PipelineError``
    (E202) when two annotations claim one document. ``df`` and ``corpus_size``: the
    store's document frequencies of content terms and its number of documents, when these
    documents are part of a larger store (stories weigh terms over the whole corpus).
    """
    records, annotations = _sorted(records, annotations)
    runner = SerialRunner()
    return resolve_blocks(blocks_of(records, annotations, runner, 0), runner, settings, 1, df=df, corpus_size=corpus_size)


def _sorted(records, annotations):
    records = sorted(records, key=lambda r: r.id)
    annotations = sorted(annotations, key=lambda a: a.doc)
    for a, b in zip(annotations, annotations[1:], strict=False):
        if a.doc == b.doc:
            raise PipelineError(f"two annotation sets for document {a.doc}", code="E202")
    return records, annotations


def resolve_increment(
    records: Sequence[DocRecord],
    annotations: Sequence[DocAnnotations],
    settings: Settings | None,
    *,
    story_docs: set[str],
    new_docs: set[str],
    stored_of: Mapping[tuple[str, str], str],
    stored: Mapping[str, Entity],
    df: Mapping[str, int],
    corpus_size: int,
) -> Resolution:
    """New documents resolved into a store that holds a resolution already (incremental).

    ``annotations`` (with ``records``) cover ``story_docs``, every document of the stored
    stories the new documents (``new_docs``) may join, plus earlier documents sharing a
    blocking key with the new ones. Entities: the new documents' mentions join the stored
    entities (:func:`~storyline.resolve.entities.attach_entities`; ``stored_of`` and
    ``stored`` give the stored entity of each earlier member). Stories, events, support
    and conflicts are resolved afresh over ``story_docs`` only, with the store's term
    statistics (``df``, ``corpus_size``).

    Returns the changed entities, ``entity_of`` for every member of ``story_docs`` and of
    the changed entities that this run knows, and the stories, events, support and
    conflicts of ``story_docs``."""
    settings = settings or Settings()
    records, annotations = _sorted(records, annotations)
    days = doc_intervals(records, annotations)
    changed, entity_of = attach_entities(annotations, days, settings.story_day_window, new_docs, stored_of, stored)
    entity_of = {**{m: e for m, e in stored_of.items() if m[0] not in new_docs}, **entity_of}
    links = {m: e for m, e in entity_of.items() if m[0] in story_docs}
    # stories read only the entities their documents' members link to (``stored`` may decode on access)
    entities = {i: stored[i] for i in sorted(set(links.values())) if i in stored} | {e.id: e for e in changed}
    inside = [a for a in annotations if a.doc in story_docs]
    runner = SerialRunner()
    blocks = blocks_of([r for r in records if r.id in story_docs], inside, runner, 0)
    res = resolve_blocks(blocks, runner, settings, 1, df=df, corpus_size=corpus_size,
                         entities=(list(entities.values()), links))
    return Resolution(tuple(changed), res.events, res.stories, res.conflicts, res.support, res.entity_of)
