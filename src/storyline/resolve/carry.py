"""Stable ids as documents arrive: a new entity, event or story that continues
an earlier one takes the earlier one's id.

Ids are content hashes of their members (``stable_id``), so without this an
entity's id would change whenever a new article mentions it. After a
resolution (incremental or full), :func:`carry_ids` matches each new item to
the earlier item it shares most members with (entities: ``(doc, local key)``;
events: ``(doc, mention id)``; stories: documents), greedily, largest overlap
first, each earlier id used once, ties to the smaller id, so the result is
deterministic; then every reference to a renamed id (event participants,
story events, conflicts, support items, ``entity_of``) is rewritten.

An item with no earlier counterpart keeps its content id, so a resolution
from scratch and one that grew batch by batch have the same items and
differ, at most, in the ids of items that existed before.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Callable, Hashable, Iterable, Mapping, Protocol, Sequence, TypeVar

from ..model import Conflict, Entity, Event, Participant, Resolution, Story, Support

__all__ = ["carry_ids", "id_map", "rename"]


def _entity_members(e: Entity) -> Iterable[Hashable]:
    return e.members


def _event_members(ev: Event) -> Iterable[Hashable]:
    return ((m.span.doc, m.mention) for m in ev.mentions)


def _story_members(st: Story) -> Iterable[Hashable]:
    return st.documents


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Identified)


def id_map(previous: Mapping[str, Iterable[Hashable]], current: Sequence[T], members: Callable[[T], Iterable[Hashable]]) -> dict[str, str]:
    """New id -> earlier id for each item of ``current`` that continues one of ``previous``
    (earlier id -> its members)."""
    if not previous:
        return {}  # nothing earlier (a first resolution): every item keeps its content id
    owner: dict[Hashable, str] = {}
    for old_id, ms in previous.items():
        owner.update(dict.fromkeys(ms, old_id))
    pairs: list[tuple[int, str, str]] = []
    for item in current:
        olds = [old for old in map(owner.get, members(item)) if old is not None]
        if olds and olds.count(olds[0]) == len(olds):  # most often: all of one earlier item
            pairs.append((-len(olds), olds[0], item.id))
        else:
            pairs.extend((-n, old, item.id) for old, n in Counter(olds).items())
    pairs.sort()
    taken: set[str] = set()
    out: dict[str, str] = {}
    for _, old, new in pairs:
        if old in taken or new in out:
            continue
        taken.add(old)
        out[new] = old
    # an item that keeps its own id must not share it with one that took that id over
    kept = {item.id for item in current if item.id not in out}
    for item_id in sorted(kept & taken):
        fresh = item_id
        while fresh in taken or fresh in kept:
            fresh = _next_id(fresh)
        out[item_id] = fresh
        taken.add(fresh)
    return {new: old for new, old in out.items() if new != old}


def _next_id(item_id: str) -> str:
    """Another id of the same kind, derived from ``item_id`` (deterministic)."""
    import hashlib

    prefix, _, rest = item_id.rpartition("_")
    digest = hashlib.sha1(item_id.encode()).hexdigest()[: len(rest) or 12]
    return f"{prefix}_{digest}" if prefix else digest


def carry_ids(
    previous_entities: Mapping[str, Iterable[tuple[str, str]]],
    previous_events: Mapping[str, Iterable[tuple[str, str]]],
    previous_stories: Mapping[str, Iterable[str]],
    res: Resolution,
) -> Resolution:
    """``res`` with the ids of items that continue earlier ones carried over (see module doc).
    The earlier items are given as id -> members: entities' ``(doc, local key)``, events'
    ``(doc, mention id)``, stories' documents."""
    ids: dict[str, str] = {}
    ids.update(id_map(previous_entities, res.entities, _entity_members))
    ids.update(id_map(previous_events, res.events, _event_members))
    ids.update(id_map(previous_stories, res.stories, _story_members))
    if not ids:
        return res
    return rename(res, ids)


def rename(res: Resolution, ids: Mapping[str, str]) -> Resolution:
    """``res`` with every id in ``ids`` replaced, wherever it is referenced."""

    def r(x: str) -> str:
        return ids.get(x, x)

    def r_opt(x: str | None) -> str | None:
        return ids.get(x, x) if x is not None else None

    # an item that names no renamed id is kept as it is (most are: only what changed is renamed)
    entities = [dataclasses.replace(e, id=ids[e.id]) if e.id in ids else e for e in res.entities]
    events = [
        dataclasses.replace(
            ev, id=r(ev.id), where=r_opt(ev.where), participants=tuple(Participant(r(p.entity), p.role) for p in ev.participants)
        )
        if ev.id in ids or ev.where in ids or any(p.entity in ids for p in ev.participants) else ev
        for ev in res.events
    ]
    stories = [dataclasses.replace(st, id=r(st.id), events=tuple(sorted(r(e) for e in st.events)), headline=r_opt(st.headline)) for st in res.stories]
    conflicts: list[Conflict] = [dataclasses.replace(c, about=ids[c.about]) if c.about in ids else c for c in res.conflicts]
    support: list[Support] = [dataclasses.replace(s, item=ids[s.item]) if s.item in ids else s for s in res.support]
    return Resolution(
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        events=tuple(sorted(events, key=lambda e: e.id)),
        stories=tuple(sorted(stories, key=lambda s: s.id)),
        conflicts=tuple(conflicts),
        support=tuple(sorted(support, key=lambda s: (s.kind, s.item))),
        entity_of={k: r(v) for k, v in res.entity_of.items()},
    )
