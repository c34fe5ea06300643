"""Partitioned resolution: :func:`storyline.resolve.resolve`'s Resolution, computed in Ray tasks
so that no process holds the corpus; the Ray engine's resolution step.

``storyline ingest --engine ray`` resolves this way (``ingest(..., partitioned=False)`` keeps the
driver-side resolution). :func:`storyline.run.incremental.resolve_store` decides, as for the
local engine, whether a resolution is full or partial and carries ids; a partial one (what new
documents touch) stays in the driver, a full one calls the resolver made here
(:func:`ray_resolver`), which runs :func:`resolve_blocks` over blocks of the store. The steps
(the task functions live in :mod:`storyline.resolve.partition` and
:mod:`storyline.resolve.textparts`, and only call the resolvers there):

1. **blocks**: the documents in blocks of ``block_size``; each block task reads its documents'
   records (without texts) and annotations from the store itself when the store is a file the
   workers can open (a local Ray), else the driver reads a block at a time into Ray's object
   store. Per block: dates, near-duplicates, term counts, and entity blocking keys cut by key.
2. **entities**: per key shard, entities sharing a key become candidate links; the driver
   merges the links with union-find into components (ids only) and packs whole components
   into ``parts`` tasks, each resolving its components' entities from its blocks' pieces.
3. **stories** (documents with terms): document frequencies summed from the blocks (the one
   corpus-wide statistic, a term count each); vectors per block; candidate neighbours by term
   shard, then by document shard; similarities per pair of blocks; the driver sums them into
   links between near-duplicate groups and takes their connected components, which are
   clustered in tasks (:mod:`storyline.resolve.textparts`). Without terms, stories come from
   entities and events in the driver (:func:`~storyline.resolve.stories.group_stories`).
4. **events**: reports bucketed by type and participants; families of buckets that may join
   (participant sets that contain one another) are clustered and joined in tasks, then the
   joined clusters go by (story, concept) group to the tasks that join them by concept and build
   the events with their support and date and count conflicts.
5. **quotes and figures**: support and number conflicts per speaker and per measure shard.

What the driver holds: ids, dates, near-duplicate pointers, term counts, candidate links and
the result (the Resolution it writes to the store in one transaction: every entity and event
with its mention spans; a store that took its resolution in parts would lift that too). What it
never holds: annotations, terms, vectors, quotes, figures or event reports.

Equal to the local engine: every part holds everything that can change the answer for the
items it owns, so entities, events, stories, support and conflicts (ids included) are those of
``resolve`` over the whole corpus (``tests/resolve/test_partition.py`` in one process,
``tests/run/test_ray.py`` on a local Ray with two CPUs). The one tolerance is in stories by
text: several candidate pairs linking the same two near-duplicate groups are summed in
document order here and in set order there (see :mod:`storyline.resolve.textparts`).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Sequence

from ..config import Settings
from ..model import DocRecord, Resolution
from ..resolve.common import UnionFind, root_doc
from ..resolve.conflicts import interaction_date_conflicts
from ..resolve.partition import (
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
from ..resolve.stories import group_stories
from ..resolve.storymodel import story_model
from ..resolve.support import event_support
from ..resolve.textparts import cluster_part, neighbours, pair_links, term_postings, text_features

__all__ = ["resolve_blocks", "store_blocks", "blocks_of", "load_block", "SerialRunner", "RayRunner", "ray_resolver", "BLOCK_SIZE"]

BLOCK_SIZE = 1000  # documents per block task
BLOCK_PARTS = 5  # meta, entities, terms, sizes, the rest (split_block)
META, ENTS, TERMS, SIZES, REST = range(BLOCK_PARTS)


def _call(fn, returns, *args):
    out = fn(*args)
    if returns is None:
        return out
    return out[0] if returns == 1 else tuple(out)


class SerialRunner:
    """Runs every task in this process, in order (tests; the same steps as on Ray)."""

    shares_disk = True

    def put(self, value):
        return value

    def submit(self, fn: Callable, *args, returns: int | None = None):
        out = fn(*args)
        return out if returns is None else list(out)

    def get(self, handles):
        return handles


class RayRunner:
    """Runs tasks on Ray: ``submit`` returns object refs (one, or a list of ``returns``)."""

    def __init__(self, ray, *, shares_disk: bool):
        self.ray = ray
        self.shares_disk = shares_disk  # workers see the driver's files (a local Ray)
        self._call = ray.remote(_call)

    def put(self, value):
        return self.ray.put(value)

    def submit(self, fn: Callable, *args, returns: int | None = None):
        refs = self._call.options(num_returns=returns or 1, name=fn.__name__).remote(fn, returns, *args)
        if returns is None:
            return refs
        return [refs] if returns == 1 else list(refs)

    def get(self, handles):
        return self.ray.get(handles)


def load_block(path: str, ids: Sequence[str]) -> tuple:
    """One block read from the store at ``path``, in parts (:func:`~storyline.resolve.partition.split_block`)."""
    from ..kb import open_store

    with open_store(path) as store:
        return split_block([strip_record(r) for r in store.records(ids)], list(store.annotations(ids)))


def store_blocks(store, runner, docs: Sequence[str] | None = None, size: int = BLOCK_SIZE) -> list:
    """Handles of the blocks of ``docs`` (default: every stored document), read by tasks when the
    store is a file the workers can open, else a block at a time by the driver."""
    ids = store.document_ids() if docs is None else list(docs)
    path = getattr(store, "path", None)
    in_tasks = runner.shares_disk and isinstance(path, str) and Path(path).is_file()
    blocks = []
    for i in range(0, len(ids), size):
        chunk = ids[i : i + size]
        if in_tasks:
            blocks.append(runner.submit(load_block, path, chunk, returns=BLOCK_PARTS))
        else:
            parts = split_block([strip_record(r) for r in store.records(chunk)], list(store.annotations(chunk)))
            blocks.append([runner.put(x) for x in parts])
    return blocks


def blocks_of(records: Sequence[DocRecord], annotations: Sequence, runner, size: int = BLOCK_SIZE) -> list:
    """Blocks of documents given in memory (tests, benches): records and their annotations."""
    by_doc = {a.doc: a for a in annotations}
    ids = sorted({r.id for r in records} | set(by_doc))
    recs = {r.id: r for r in records}
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
    blocks: Sequence, runner, settings: Settings | None = None, parts: int = 4, timings: dict | None = None
) -> Resolution:
    """The Resolution of the documents in ``blocks`` (see the module docstring), in ``parts``
    tasks per step; ``timings`` (when given) receives the seconds of each step."""
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
    # 1. blocks
    outs = [runner.submit(summarize_block, b[META], b[ENTS], b[TERMS], parts, returns=1 + parts) for b in blocks]
    summaries = runner.get([o[0] for o in outs])
    link_refs = [runner.submit(link_keys, *[o[1 + k] for o in outs]) for k in range(parts)]
    docs = sorted(d for s in summaries for d in s["docs"])
    days: dict = {}
    duplicate_of: dict = {}
    df: Counter = Counter()
    outlet_of: dict = {}
    published: dict = {}
    for s in summaries:
        days.update(s["days"])
        duplicate_of.update(s["duplicate_of"])
        outlet_of.update(s.get("outlets", {}))
        published.update(s.get("published", {}))
        df.update(s["df"])
    has_terms = any(s["has_terms"] for s in summaries)
    lap("blocks")
    # 2. entities: components of the key links, whole components per task
    uf = UnionFind(m for s in summaries for m in s["members"])
    for links in runner.get(link_refs):
        for a, b in links:
            uf.union(a, b)
    comps = uf.groups()
    n_ent = max(1, min(parts, len(comps)))
    part_of = {m: p for comp, p in zip(comps, _pack(comps, n_ent), strict=False) for m in comp}
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
    lap("entities")
    # 3. stories by text
    groups = None
    if has_terms:
        groups = _text_groups(blocks, summaries, runner, docs, df, lede, days, duplicate_of, window, parts)
    story_of = {d: i for i, g in enumerate(groups or ()) for d in g}
    lap("stories")
    # 4. events, 5. quotes and figures
    events, support, conflicts = _events_and_items(blocks, summaries, runner, entity_of, story_of, duplicate_of, event_window, parts)
    lap("events")
    stories = group_stories(docs, entity_of, entities, events, days, duplicate_of, window, groups=groups)
    events, stories = story_model(events, stories, days, duplicate_of, outlet_of, published)
    conflicts = list(conflicts) + interaction_date_conflicts(events, duplicate_of, story_of)  # needs every event
    # events' support counted as the local resolution does: one outlet once
    support = [s for s in support if s.kind != "event"] + event_support(events, duplicate_of, outlet_of)
    lap("assemble")
    return Resolution(
        entities=tuple(entities),
        events=tuple(events),
        stories=tuple(stories),
        conflicts=tuple(sorted(conflicts, key=lambda c: c.id)),
        support=tuple(sorted(support, key=lambda s: (s.kind, s.item))),
        entity_of=dict(sorted(entity_of.items())),
    )


def _text_groups(blocks, summaries, runner, docs, df, lede, days, duplicate_of, window, parts) -> list[list[str]]:
    df_ref = runner.put(dict(df))
    feats_out = [
        runner.submit(
            text_features, b[META], b[TERMS], b[SIZES], df_ref, len(docs), {d: lede[d] for d in s["docs"] if d in lede}, parts,
            returns=1 + parts,
        )
        for b, s in zip(blocks, summaries, strict=False)
    ]
    contrib = [runner.submit(term_postings, parts, *[o[1 + t] for o in feats_out], returns=parts) for t in range(parts)]
    nb = runner.get([runner.submit(neighbours, *[c[i] for c in contrib]) for i in range(parts)])
    # near-duplicate sets are the starting groups, named by their first document
    uf = UnionFind(docs)
    for d in docs:
        r = root_doc(d, duplicate_of)
        if r != d and r in uf.parent:
            uf.union(d, r)
    members = {g[0]: g for g in uf.groups()}
    owner = {d: c for c, g in members.items() for d in g}
    pairs = sorted({(min(d, o), max(d, o)) for part in nb for d, o in part if owner[d] != owner[o]})
    block_of = {d: i for i, s in enumerate(summaries) for d in s["docs"]}
    by_blocks: dict[tuple[int, int], list] = defaultdict(list)
    for d, o in pairs:
        lo, hi = sorted((block_of[d], block_of[o]))
        by_blocks[(lo, hi)].append((d, o))
    sim_refs = [
        runner.submit(pair_links, window, ps, feats_out[i][0], *([feats_out[j][0]] if j != i else []))
        for (i, j), ps in sorted(by_blocks.items())
    ]
    links: dict[str, dict[str, float]] = defaultdict(dict)
    for d, o, sim in sorted(x for part in runner.get(sim_refs) for x in part):
        a, b = owner[d], owner[o]
        links[a][b] = links[a].get(b, 0.0) + sim
        links[b][a] = links[a][b]
    span = {}
    for c, g in members.items():
        ds = [days[d] for d in g if days.get(d) is not None]
        span[c] = (min(x[0] for x in ds), max(x[1] for x in ds)) if ds else None
    # whole components of linked groups per task; groups with no link stay as they are
    cuf = UnionFind(members)
    for a in links:
        for b in links[a]:
            cuf.union(a, b)
    comps = [c for c in cuf.groups() if len(c) > 1]
    out = [members[c[0]] for c in cuf.groups() if len(c) == 1]
    if comps:
        n = max(1, min(parts, len(comps)))
        packed = _pack(comps, n)
        refs = []
        for p in range(n):
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


def _families(counts: Counter) -> list[list[tuple]]:
    """Participant buckets that ``_join_partial`` may join: one type, one participant set inside
    the other (union-find over the distinct bucket keys)."""
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


def _events_and_items(blocks, summaries, runner, entity_of, story_of, duplicate_of, event_window, parts):
    block_of = {d: i for i, s in enumerate(summaries) for d in s["docs"]}
    eo_slices: list[dict] = [{} for _ in blocks]
    for (d, k), e in entity_of.items():
        eo_slices[block_of[d]][(d, k)] = e
    eo_refs = [runner.put(x) for x in eo_slices]
    key_counts = runner.get([runner.submit(event_keys, b[REST], eo) for b, eo in zip(blocks, eo_refs, strict=False)])
    total: Counter = Counter()
    for c in key_counts:
        total.update(c)
    fams = _families(total)
    n_fam = max(1, min(parts, len(fams)))
    part_of_key = {k: p for fam, p in zip(fams, _pack(fams, n_fam, lambda f: sum(total[k] for k in f)), strict=False) for k in fam}
    pieces = [
        runner.submit(
            event_pieces, b[META], b[REST], eo, {k: part_of_key[k] for k in kc}, n_fam, {d: story_of[d] for d in s["docs"] if d in story_of}, parts,
            returns=n_fam + parts,
        )
        for b, eo, kc, s in zip(blocks, eo_refs, key_counts, summaries, strict=False)
    ]
    groups = bool(story_of)
    fam_out = [runner.submit(event_family_part, event_window, groups, parts, *[p[f] for p in pieces], returns=parts) for f in range(n_fam)]
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


def ray_resolver(ray, *, shares_disk: bool, parts: int | None = None, block_size: int = BLOCK_SIZE) -> Callable:
    """A resolver for :func:`storyline.run.incremental.resolve_store` that resolves on Ray:
    ``resolver(store, settings) -> Resolution`` over every stored document."""
    runner = RayRunner(ray, shares_disk=shares_disk)

    def resolver(store, settings: Settings, timings: dict | None = None) -> Resolution:
        n = parts or max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
        return resolve_blocks(store_blocks(store, runner, size=block_size), runner, settings, n, timings)

    return resolver
