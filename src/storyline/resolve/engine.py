"""The resolution engine: :func:`resolve_blocks` computes a :class:`~storyline.model.Resolution`
from blocks of documents through the steps of :mod:`.partition` and :mod:`.textparts`, each run
as a task by a *runner*. It is the one implementation of resolution:
:func:`storyline.resolve.resolve` runs it with :class:`SerialRunner` in this process (one block,
one part), the Ray engine with Ray tasks (``storyline.run.ray_resolve``), and incremental
resolution through :func:`storyline.resolve.resolve_increment`, with the entities it attached.

A runner has three methods (:class:`Runner`): ``put(value)`` (a handle to a value),
``submit(fn, *args, returns=k)`` (a handle to ``fn(*args)``, or ``k`` handles to its ``k``
results; arguments may be handles), and ``get(handles)`` (their values).

The steps:

1. **blocks**: per block (:func:`~.partition.split_block`, :func:`~.partition.summarize_block`):
   dates, near-duplicates, term counts, and entity blocking keys cut by key.
2. **entities**: per key shard, entities sharing a key become candidate links; the driver
   merges the links with union-find into components (ids only) and packs whole components
   into ``parts`` tasks, each resolving its components' entities (one part: no keys needed).
3. **stories** (documents with terms): document frequencies summed from the blocks (the one
   corpus-wide statistic); vectors per block; candidate neighbours by term shard, then by
   document shard; similarities per pair of blocks; the driver sums them into links between
   near-duplicate groups and takes their connected components, which are clustered in tasks
   (:mod:`.textparts`). Without terms, stories come from entities and events in the driver
   (:func:`~.stories.group_stories`).
4. **events**: reports bucketed by type and participants; families of buckets that may join
   (participant sets that contain one another) are clustered and joined in tasks, then the
   joined clusters go by (story, concept) group to the tasks that join them by concept and
   build the events with their support and date and count conflicts.
5. **quotes and figures**: support and number conflicts per speaker and per measure shard.

What the driver holds: ids, dates, near-duplicate pointers, term counts, candidate links and
the result. What it never holds: annotations, terms, vectors, quotes, figures or event reports.

Every part holds everything that can change the answer for the items it owns, so the
Resolution, ids included, does not depend on the runner, the block size or the number of
parts (``tests/resolve/test_partition.py``; ``tests/run/test_ray.py`` on Ray; on the 772 ECB+
train and dev articles one part and four give the same Resolution). Tolerances: several
candidate pairs linking the same two near-duplicate groups are summed in document order (see
:mod:`.textparts`); and date conflicts read the time expressions of the documents whose reports
an event part holds, where :func:`~.conflicts.date_conflicts` would let any document of the
corpus that names both days of a disagreement explain it away (a document reporting none of the
event's happenings rarely names both).
"""

from __future__ import annotations

import gc
import time
from collections import Counter, defaultdict
from typing import Any, Callable, Mapping, Protocol, Sequence

from ..config import Settings
from ..model import DocAnnotations, DocRecord, Entity, Resolution
from .common import UnionFind
from .conflicts import interaction_date_conflicts
from .partition import (
    entity_part,
    entity_pieces,
    event_family_part,
    event_group_part,
    event_keys,
    event_pieces,
    item_part,
    link_keys,
    split_block,
    strip_record,
    summarize_block,
)
from .stories import group_stories, lede_people
from .storymodel import story_model
from .support import event_support
from .textparts import cluster_part, group_links, neighbours, pair_links, start_groups, term_postings, text_features

__all__ = ["Runner", "SerialRunner", "resolve_blocks", "blocks_of", "bucket_families", "BLOCK_SIZE", "BLOCK_PARTS"]

BLOCK_SIZE = 1000  # documents per block task
BLOCK_PARTS = 5  # meta, entities, terms, sizes, the rest (split_block)
META, ENTS, TERMS, SIZES, REST = range(BLOCK_PARTS)


class Runner(Protocol):
    """Where the engine's tasks run (see the module docstring)."""

    def put(self, value: Any) -> Any: ...

    def submit(self, fn: Callable, *args: Any, returns: int | None = None) -> Any: ...

    def get(self, handles: Any) -> Any: ...


class SerialRunner:
    """Runs every task in this process, in order (:func:`~storyline.resolve.resolve`)."""

    shares_disk = True

    def put(self, value):
        return value

    def submit(self, fn: Callable, *args, returns: int | None = None):
        out = fn(*args)
        return out if returns is None else list(out)

    def get(self, handles):
        return handles


def blocks_of(records: Sequence[DocRecord], annotations: Sequence[DocAnnotations], runner: Runner,
              size: int = BLOCK_SIZE) -> list:
    """Blocks of documents given in memory: records and their annotations, ``size`` documents
    a block (0: one block)."""
    by_doc = {a.doc: a for a in annotations}
    ids = sorted({r.id for r in records} | set(by_doc))
    recs = {r.id: r for r in records}
    size = size or max(1, len(ids))
    out = []
    for i in range(0, len(ids), size):
        chunk = ids[i : i + size]
        parts = split_block([strip_record(recs[d]) for d in chunk if d in recs], [by_doc[d] for d in chunk if d in by_doc])
        out.append([runner.put(x) for x in parts])
    return out


def _pack(groups: Sequence[Sequence], parts: int, weight: Callable = len) -> list[int]:
    """Part of each group: heaviest first onto the lightest part (deterministic)."""
    load = [0] * parts
    out = [0] * len(groups)
    for i in sorted(range(len(groups)), key=lambda i: (-weight(groups[i]), i)):
        p = min(range(parts), key=lambda k: (load[k], k))
        out[i] = p
        load[p] += weight(groups[i])
    return out


def resolve_blocks(
    blocks: Sequence,
    runner: Runner,
    settings: Settings | None = None,
    parts: int = 4,
    timings: dict | None = None,
    *,
    df: Mapping[str, int] | None = None,
    corpus_size: int | None = None,
    entities: tuple[Sequence[Entity], Mapping[tuple[str, str], str]] | None = None,
    entity_parts: int | None = None,
    family_parts: int | None = None,
) -> Resolution:
    """The Resolution of the documents in ``blocks`` (see the module docstring), in ``parts``
    tasks per step; ``entity_parts`` for entities and ``family_parts`` for event families
    (default ``parts``; one part needs no blocking keys, nor bucket counts to cut families by,
    which cost more than a second part saves on two local cores); ``timings`` (when given)
    receives the seconds of each step. ``df`` and
    ``corpus_size``: the store's document frequencies and size, when these documents are part
    of a larger store (else counted over the blocks). ``entities``: the entities and
    ``entity_of`` already resolved (incremental resolution), in place of step 2.

    Python's cycle collector is paused meanwhile (and restored after): resolution allocates
    millions of small objects and no reference cycles (a collection after resolving the 772
    ECB+ articles finds none), so its passes only scan them: 6.9 -> 5.0 CPU s, same peak memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        return _resolve_blocks(blocks, runner, settings, parts, timings, df=df, corpus_size=corpus_size, entities=entities,
                               entity_parts=parts if entity_parts is None else entity_parts,
                               family_parts=parts if family_parts is None else family_parts)
    finally:
        if was:
            gc.enable()


def _resolve_blocks(
    blocks: Sequence,
    runner: Runner,
    settings: Settings | None,
    parts: int,
    timings: dict | None,
    *,
    df: Mapping[str, int] | None,
    corpus_size: int | None,
    entities: tuple[Sequence[Entity], Mapping[tuple[str, str], str]] | None,
    entity_parts: int,
    family_parts: int,
) -> Resolution:
    settings = settings or Settings()
    timings = {} if timings is None else timings
    clock = [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        timings[step] = round(now - clock[0], 3)
        clock[0] = now

    window, event_window = settings.story_day_window, settings.event_day_window
    parts = max(1, parts)
    if not blocks:
        return Resolution()
    # 1. blocks (entity keys only when entities are resolved here in several parts)
    entity_parts = max(1, entity_parts)
    key_shards = entity_parts if entities is None and entity_parts > 1 else 0
    outs = [runner.submit(summarize_block, b[META], b[ENTS], b[TERMS], key_shards, returns=1 + key_shards) for b in blocks]
    summaries = runner.get([o[0] for o in outs])
    link_refs = [runner.submit(link_keys, *[o[1 + k] for o in outs]) for k in range(key_shards)]
    docs = sorted(d for s in summaries for d in s["docs"])
    days: dict = {}
    duplicate_of: dict = {}
    counted: Counter = Counter()
    outlet_of: dict = {}
    published: dict = {}
    for s in summaries:
        days.update(s["days"])
        duplicate_of.update(s["duplicate_of"])
        outlet_of.update(s["outlets"])
        published.update(s["published"])
        counted.update(s["df"])
    has_terms = any(s["has_terms"] for s in summaries)
    lap("blocks")
    # 2. entities
    if entities is not None:
        ents, entity_of = sorted(entities[0], key=lambda e: e.id), dict(entities[1])
        lede = lede_people(ents)
    else:
        ents, entity_of, lede = _entities(blocks, summaries, runner, link_refs, window, entity_parts)
    lap("entities")
    # 3. stories by text
    groups = None
    if has_terms:
        n = (corpus_size or len(docs)) if df is not None else len(docs)
        groups = _text_groups(blocks, summaries, runner, docs, counted if df is None else df, n, lede, days, duplicate_of,
                              window, parts)
    story_of = {d: i for i, g in enumerate(groups or ()) for d in g}
    lap("stories")
    # 4. events, 5. quotes and figures
    events, support, conflicts = _events_and_items(blocks, summaries, runner, entity_of, story_of, duplicate_of, event_window, parts,
                                                   max(1, family_parts))
    lap("events")
    stories = group_stories(docs, entity_of, ents, events, days, duplicate_of, window, groups=groups)
    events, stories = story_model(events, stories, days, duplicate_of, outlet_of, published)
    conflicts = list(conflicts) + interaction_date_conflicts(events, duplicate_of, story_of)  # needs every event
    # events' support counted over every event's reports: one outlet once
    support = [s for s in support if s.kind != "event"] + event_support(events, duplicate_of, outlet_of)
    lap("assemble")
    return Resolution(
        entities=tuple(ents),
        events=tuple(events),
        stories=tuple(stories),
        conflicts=tuple(sorted(conflicts, key=lambda c: c.id)),
        support=tuple(sorted(support, key=lambda s: (s.kind, s.item))),
        entity_of=dict(sorted(entity_of.items())),
    )


def _entities(blocks: Sequence, summaries: list[dict], runner: Runner, link_refs: list, window: int,
              parts: int) -> tuple[list[Entity], dict[tuple[str, str], str], dict[str, set[str]]]:
    """Components of the key links, whole components per task (one part: every member)."""
    members = [m for s in summaries for m in s["members"]]
    if link_refs:
        uf = UnionFind(members)
        for links in runner.get(link_refs):
            for a, b in links:
                uf.union(a, b)
        comps = uf.groups()
        n_ent = max(1, min(parts, len(comps)))
        part_of = {m: p for comp, p in zip(comps, _pack(comps, n_ent), strict=False) for m in comp}
    else:
        n_ent, part_of = 1, dict.fromkeys(members, 0)
    pieces = [
        runner.submit(entity_pieces, b[META], b[ENTS], {m: part_of[m] for m in s["members"]}, n_ent, returns=n_ent)
        for b, s in zip(blocks, summaries, strict=False)
    ]
    entities: list = []
    entity_of: dict = {}
    lede: dict[str, set[str]] = defaultdict(set)
    for ents, eo, ld in runner.get([runner.submit(entity_part, window, *[p[i] for p in pieces]) for i in range(n_ent)]):
        entities.extend(ents)
        entity_of.update(eo)
        for d, names in ld.items():
            lede[d] |= names
    entities.sort(key=lambda e: e.id)
    return entities, entity_of, lede


def _text_groups(blocks: Sequence, summaries: list[dict], runner: Runner, docs: list[str], df: Mapping[str, int], n: int,
                 lede: Mapping[str, set[str]], days: Mapping, duplicate_of: Mapping, window: int, parts: int) -> list[list[str]]:
    df_ref = runner.put(dict(df))
    feats_out = [
        runner.submit(
            text_features, b[META], b[TERMS], b[SIZES], df_ref, n, {d: lede[d] for d in s["docs"] if d in lede}, parts,
            returns=1 + parts,
        )
        for b, s in zip(blocks, summaries, strict=False)
    ]
    contrib = [runner.submit(term_postings, parts, *[o[1 + t] for o in feats_out], returns=parts) for t in range(parts)]
    nb = runner.get([runner.submit(neighbours, *[c[i] for c in contrib]) for i in range(parts)])
    members, span = start_groups(docs, duplicate_of, days)
    owner = {d: c for c, g in members.items() for d in g}
    pairs = sorted({(d, o) if d < o else (o, d) for part in nb for d, o in part if owner[d] != owner[o]})
    by_blocks: dict[tuple[int, int], list] = defaultdict(list)
    if len(summaries) > 1:
        block_of = {d: i for i, s in enumerate(summaries) for d in s["docs"]}
        for d, o in pairs:
            i, j = block_of[d], block_of[o]
            by_blocks[(i, j) if i <= j else (j, i)].append((d, o))
    elif pairs:
        by_blocks[(0, 0)] = pairs  # one block: every pair in it
    sim_refs = [
        runner.submit(pair_links, window, ps, feats_out[i][0], *([feats_out[j][0]] if j != i else []))
        for (i, j), ps in sorted(by_blocks.items())
    ]
    links = group_links(members, (x for part in runner.get(sim_refs) for x in part))
    # whole components of linked groups per task (one task: every linked group, whose clustering does not
    # depend on their order); groups with no link stay as they are
    if parts > 1:
        cuf = UnionFind(members)
        for a in links:
            for b in links[a]:
                if a < b:  # links are symmetric
                    cuf.union(a, b)
        grouped = cuf.groups()
        comps = [c for c in grouped if len(c) > 1]
        out = [members[c[0]] for c in grouped if len(c) == 1]
    else:
        comps = [[c for c in members if c in links]] if links else []
        out = [g for c, g in members.items() if c not in links]
    if comps:
        k = max(1, min(parts, len(comps)))
        packed = _pack(comps, k)
        refs = []
        for p in range(k):
            mine = [c for comp, q in zip(comps, packed, strict=False) if q == p for c in comp]
            docs_in = [d for c in mine for d in members[c]]
            refs.append(
                runner.submit(
                    cluster_part, window, {c: members[c] for c in mine}, {c: span[c] for c in mine}, {c: links[c] for c in mine},
                    {d: lede[d] for d in docs_in if d in lede},
                )
            )
        for part in runner.get(refs):
            out.extend(part)
    return sorted(sorted(g) for g in out)


def bucket_families(counts: Mapping[tuple, int]) -> list[list[tuple]]:
    """Participant buckets that :func:`~.events.join_partial` may join: one type, one
    participant set inside the other (union-find over the distinct bucket keys)."""
    keys = sorted(counts, key=repr)
    index: dict[tuple, list[tuple]] = defaultdict(list)
    for k in keys:
        for p in k[1]:
            index[(k[0], p)].append(k)
    uf = UnionFind(keys)
    for k in keys:
        smallest = min((index[(k[0], p)] for p in k[1]), key=len)
        mine = set(k[1])
        for q in smallest:
            if len(q[1]) > len(k[1]) and mine < set(q[1]):
                uf.union(k, q)
    return uf.groups()


def _events_and_items(blocks: Sequence, summaries: list[dict], runner: Runner, entity_of: Mapping[tuple[str, str], str],
                      story_of: Mapping[str, int], duplicate_of: Mapping, event_window: int, parts: int,
                      family_parts: int) -> tuple[list, list, list]:
    block_of = {d: i for i, s in enumerate(summaries) for d in s["docs"]}
    eo_slices: list[dict] = [{} for _ in blocks]
    for (d, k), e in entity_of.items():
        if d in block_of:
            eo_slices[block_of[d]][(d, k)] = e
    eo_refs = [runner.put(x) for x in eo_slices]
    n_fam, part_of_key = 1, None  # one part: every bucket in it
    if parts > 1 and family_parts > 1:
        key_counts = runner.get([runner.submit(event_keys, b[REST], eo) for b, eo in zip(blocks, eo_refs, strict=False)])
        total: Counter = Counter()
        for c in key_counts:
            total.update(c)
        fams = bucket_families(total)
        n_fam = max(1, min(family_parts, len(fams)))
        weights = _pack(fams, n_fam, lambda f: sum(total[k] for k in f))
        part_of_key = {k: p for fam, p in zip(fams, weights, strict=False) for k in fam}
    pieces = [
        runner.submit(
            event_pieces, b[META], b[REST], eo, {k: part_of_key[k] for k in key_counts[i]} if part_of_key is not None else None,
            n_fam, {d: story_of[d] for d in s["docs"] if d in story_of}, parts, returns=n_fam + parts,
        )
        for i, (b, eo, s) in enumerate(zip(blocks, eo_refs, summaries, strict=False))
    ]
    groups = bool(story_of)
    fam_out = [runner.submit(event_family_part, event_window, groups, parts, *[p[f] for p in pieces], returns=parts)
               for f in range(n_fam)]
    dup_ref = runner.put(duplicate_of)
    grp = [runner.submit(event_group_part, event_window, groups, dup_ref, *[x[g] for x in fam_out]) for g in range(parts)]
    items = [runner.submit(item_part, dup_ref, *[p[n_fam + s] for p in pieces]) for s in range(parts)]
    events, support, conflicts = [], [], []
    for evs, sup, con in runner.get(grp):
        events.extend(evs)
        support.extend(sup)
        conflicts.extend(con)
    for sup, con in runner.get(items):
        support.extend(sup)
        conflicts.extend(con)
    events.sort(key=lambda e: e.id)
    return events, support, conflicts
