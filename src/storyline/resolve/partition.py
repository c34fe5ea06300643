"""Resolution in parts: the per-partition steps that give :func:`storyline.resolve.resolve`'s
Resolution without one process holding the corpus.

Every function here is pure and small enough to be one task of the resolution engine
(:mod:`.engine` runs them, in this process, in a process pool or on Ray, and merges what they
return).
They *call* the resolvers of this package on parts of the input; they never reimplement a
resolver, and each part is chosen so that the resolver sees everything that can change its
answer for the items it owns:

* **blocks** (:func:`split_block`, :func:`summarize_block`): documents in fixed-size blocks, each
  kept as parts (entities, terms, events...) so a step unpacks only what it reads; per block the dates
  (:func:`~.common.doc_intervals`), near-duplicates, term counts for the corpus-wide document
  frequencies, and (when entities are resolved in several parts) each local entity's blocking
  keys (:func:`~.keys.entity_keys`), split by a stable hash of the key into key shards;
* **entity links** (:func:`link_keys`): per key shard, entities that share a key become
  candidate links ``(member, member)``; the driver merges them with union-find. Entities of one
  connected component are resolved together (:func:`entity_part` calls
  :func:`~.entities.resolve_entities` on the component's entities only): surname buckets, role
  descriptions, retyping of organisations as people (a person of the same surname in the same
  document, or the same full name anywhere) and acronyms all relate only entities that share a
  key, so each component's entities, ids included, are the ones a whole-corpus run gives;
* **events** (:func:`event_keys`, :func:`event_pieces`, :func:`event_family_part`,
  :func:`event_group_part`): reports are bucketed by :func:`~.events.bucket_key` (type and
  resolved participants). A bucket *family* is the buckets of one type whose participant sets
  contain one another (the only buckets partial participants join across); each family is
  clustered and joined there (:func:`~.events.cluster_buckets`), in the global bucket order. The
  joined clusters then go, by their (story, concept) group (:func:`~.events.concept_group`), to
  the part that joins them by concept and builds the events (:func:`~.events.concept_events`),
  with their support and their date and count conflicts;
* **quotes and figures** (:func:`item_part`): quotes by resolved speaker, figures by measure
  (unit and status: coarser than both :func:`~.support.measures` and
  :func:`~.conflicts.number_conflicts` bucket), so support and number conflicts are part-local;
  conflicts come from :func:`~.conflicts.find_conflicts` over the part (dates and counts of the
  part's events, numbers of its figures).

Stories by text are in :mod:`.textparts`; stories from their documents' groups
(:func:`~.stories.group_stories`) are assembled by the driver from entities and events, which
are the output. Hash partitions use CRC-32, never Python's per-process ``hash``.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from operator import attrgetter
from typing import Any, Iterable, Mapping, Sequence

from ..model import DocAnnotations, DocRecord, Document, Entity, LocalEntity, Published
from .common import doc_intervals
from .conflicts import find_conflicts
from .wording import quote_conflicts
from .entities import doc_context, resolve_entities
from .events import Report, bucket_key, cluster_buckets, concept_events, concept_group, report_of
from .keys import entity_keys
from .stories import doc_sizes, lede_people
from .storymodel import published_days
from .support import build_support, measures, outlets

__all__ = [
    "shard",
    "strip_record",
    "split_block",
    "summarize_block",
    "link_keys",
    "entity_pieces",
    "entity_part",
    "event_keys",
    "event_pieces",
    "event_family_part",
    "event_group_part",
    "item_part",
]

Member = tuple[str, str]  # (doc, local key)


def shard(key: str, n: int) -> int:
    """The part (0..n-1) of ``key``: stable across processes and machines."""
    return zlib.crc32(key.encode("utf-8")) % n if n > 1 else 0


def strip_record(rec: DocRecord) -> DocRecord:
    """What resolution reads of a record (id, URL for its outlet, effective date, near-duplicate),
    without the text."""
    return DocRecord(Document(rec.id, "", "", url=rec.document.url), duplicate_of=rec.duplicate_of, published=rec.published)


# ---------------------------------------------------------------- blocks


def split_block(records: Sequence[DocRecord], anns: Sequence[DocAnnotations]) -> tuple:
    """One block of documents as the parts the steps read, so each step unpacks only its own:
    ``meta`` (documents, dates, near-duplicates), entities, terms, sizes
    (:func:`~.stories.doc_sizes`), and the rest (times, events, quotes, figures)."""
    days = doc_intervals(records, anns)
    docs = sorted({r.id for r in records} | {a.doc for a in anns})
    meta = {
        "docs": docs,
        "days": {d: days.get(d) for d in docs},
        "duplicate_of": {r.id: r.duplicate_of for r in records if r.duplicate_of},
        "outlets": outlets(records),
        "published": published_days(records),
    }
    ents = [DocAnnotations(a.doc, a.published, entities=a.entities) for a in anns if a.entities]
    terms = {a.doc: a.terms for a in anns if a.terms}
    rest = [
        DocAnnotations(a.doc, a.published, times=a.times, quotes=a.quotes, figures=a.figures, events=a.events)
        for a in anns
        if a.events or a.quotes or a.figures
    ]
    return meta, ents, terms, doc_sizes(anns), rest


def summarize_block(meta: dict, ents: Sequence[DocAnnotations], terms: Mapping, key_shards: int) -> tuple:
    """Per block: a summary (documents, dates, near-duplicates, entity members, term counts)
    and, per key shard, the ``(key, member)`` pairs whose key falls in it."""
    df: Counter = Counter()
    for t in terms.values():
        df.update(w for w, _ in t)
    members: list[Member] = []
    pieces: list[list[tuple[str, Member]]] = [[] for _ in range(key_shards)]
    for a in ents:
        for ent in a.entities:
            member = (a.doc, ent.key)
            members.append(member)
            if key_shards:  # keys only when entities are resolved in several parts
                for k in sorted(entity_keys(ent)):
                    pieces[shard(k, key_shards)].append((k, member))
    summary = {**meta, "members": members, "df": df, "has_terms": any(terms.values())}
    return (summary, *pieces)


def link_keys(*pieces: list[tuple[str, Member]]) -> list[tuple[Member, Member]]:
    """Candidate links of one key shard: every member of a key to the key's first member."""
    first: dict[str, Member] = {}
    links = []
    for piece in pieces:
        for k, m in piece:
            f = first.setdefault(k, m)
            if f != m:
                links.append((f, m))
    return links


def entity_pieces(meta: dict, ents: Sequence[DocAnnotations], part_of: Mapping[Member, int], parts: int) -> tuple:
    """The block's entities cut by entity part: per part, each document's entities in that part
    (nothing else), those documents' dates, and what each says of other people
    (:func:`~.entities.doc_context`, read from all its entities)."""
    out: list[tuple[list[DocAnnotations], dict, dict]] = [([], {}, {}) for _ in range(parts)]
    for a in ents:
        by_part: dict[int, list[LocalEntity]] = defaultdict(list)
        for ent in a.entities:
            by_part[part_of[(a.doc, ent.key)]].append(ent)
        context = doc_context(a) if by_part else frozenset()
        for p, mine in by_part.items():
            out[p][0].append(DocAnnotations(a.doc, a.published, entities=tuple(mine)))
            out[p][1][a.doc] = meta["days"].get(a.doc)
            out[p][2][a.doc] = context
    return tuple(out)


def entity_part(window: int, *pieces) -> tuple[list[Entity], dict[Member, str], dict[str, set[str]]]:
    """Resolve the entities of whole key components: entities, ``entity_of`` and, per
    document, the surnames of people its opening names (for stories by text)."""
    anns = sorted((a for p in pieces for a in p[0]), key=lambda a: a.doc)
    days: dict = {}
    context: dict = {}
    for p in pieces:
        days.update(p[1])
        context.update(p[2])
    entities, entity_of = resolve_entities(anns, days, window, context)
    return entities, entity_of, lede_people(entities)


# ---------------------------------------------------------------- events


def _classed(key: tuple) -> bool:
    """Buckets matched by participants; the others hold one report and join no family
    (their key, a (document, mention) pair, is no entity id set another key could contain)."""
    return key[0] != "OTHER" and bool(key[1]) and str(key[1][0]).startswith("ent_")


def event_keys(rest: Sequence[DocAnnotations], entity_of: Mapping[Member, str]) -> Counter:
    """How many reports each participant bucket of the block holds."""
    out: Counter = Counter()
    for a in rest:
        for m in a.events:
            key = bucket_key(a.doc, m, entity_of)
            if _classed(key):
                out[key] += 1
    return out


def event_pieces(
    meta: dict,
    rest: Sequence[DocAnnotations],
    entity_of: Mapping[Member, str],
    part_of_key: Mapping[tuple, int] | None,
    parts: int,
    story_of: Mapping[str, int],
    item_parts: int,
) -> tuple:
    """The block's reports cut by event part (``part_of_key``, None for one part; one-report buckets by document),
    each event piece holding its reports by bucket (:func:`~.events.bucket_key`); then its quotes
    by speaker and its figures by measure, each piece with the dates, stories and entity ids of
    what it holds."""
    days = meta["days"]

    def piece() -> dict:
        return {"buckets": {}, "times": {}, "days": {}, "story_of": {}, "entity_of": {}, "quotes": [], "figures": [],
                "story_quotes": []}

    ev = [piece() for _ in range(parts)]
    if parts == 1:
        ev[0]["whole"] = True  # every report of the block (event_family_part)
    items = [piece() for _ in range(item_parts)]

    whole = parts == 1 and item_parts == 1  # one piece of each: it takes the block's maps whole
    if whole:
        for p in (*ev, *items):
            p.update(days=dict(days), story_of=dict(story_of), entity_of=dict(entity_of))

    def note(p: dict, doc: str, keys: Iterable[str | None]) -> None:
        p["days"][doc] = days.get(doc)
        if doc in story_of:
            p["story_of"][doc] = story_of[doc]
        for k in keys:
            if k is not None and (e := entity_of.get((doc, k))) is not None:
                p["entity_of"][(doc, k)] = e

    for a in rest:
        times = {t.id: t for t in a.times}
        for m in a.events:
            key = bucket_key(a.doc, m, entity_of)
            p = ev[0 if part_of_key is None else part_of_key[key] if _classed(key) else shard(a.doc, parts)]
            if (reports := p["buckets"].get(key)) is None:
                reports = p["buckets"][key] = []
            reports.append(report_of(a.doc, m))
            if (a.doc, "") not in p["times"]:  # every time expression of the document: conflicts read them
                p["times"][(a.doc, "")] = None
                p["times"].update(((a.doc, t), x) for t, x in times.items())
            if not whole:
                note(p, a.doc, [x.entity for x in m.participants] + [m.where])
        for q in a.quotes:
            spk = entity_of.get((a.doc, q.speaker)) if q.speaker else None
            p = items[shard("q:" + spk if spk else "d:" + a.doc, item_parts)]
            p["quotes"].append((a.doc, q))
            if not whole:
                note(p, a.doc, [q.speaker])
            if a.doc in story_of:  # quote wording is compared within a story, whoever the speaker
                sp = items[shard(f"s:{story_of[a.doc]}", item_parts)]
                sp["story_quotes"].append((a.doc, q))
                if not whole:
                    note(sp, a.doc, [q.speaker])
        for f in a.figures:
            p = items[shard(f"f:{f.unit}|{f.status}", item_parts)]  # the period left out: coarser is safe
            p["figures"].append((a.doc, f))
            if not whole:
                note(p, a.doc, [f.subject, f.speaker])
    return (*ev, *items)


def _merge(pieces: Sequence[dict]) -> dict:
    out: dict[str, dict] = {"days": {}, "story_of": {}, "entity_of": {}, "times": {}}
    for p in pieces:
        for k in out:
            out[k].update(p[k])
    return out


def event_family_part(window: int, groups: bool, parts: int, *pieces: dict) -> tuple:
    """Cluster the buckets of whole families and join partial participants (as
    :func:`~.events.resolve_events` does, in its bucket order); then cut the joined clusters by
    their concept group (``groups``: whether stories exist) into ``parts`` pieces. Each cluster
    keeps its global position (bucket, then order within it) so later steps see the same order."""
    ctx = _merge(pieces)
    days, story_of, entity_of = ctx["days"], ctx["story_of"], ctx["entity_of"]
    # each bucket's reports, block after block (the lists of one piece are taken as they are: clustering reads them only)
    buckets: dict[tuple, list[Report]] = pieces[0]["buckets"] if len(pieces) == 1 else defaultdict(list)
    if len(pieces) > 1:
        for p in pieces:
            for key, reports in p["buckets"].items():
                buckets[key].extend(reports)
    found = cluster_buckets(buckets, window, days, entity_of)
    if parts == 1:
        return ({"clusters": found, **ctx},)
    times = ctx["times"]
    times_of: dict[str, list] = defaultdict(list)
    for k in times:
        times_of[k[0]].append(k)
    # every piece gets the context of what it holds; when this part holds every family, the whole
    # context is just that (one set of maps for all pieces: on one machine no piece copies them)
    whole = len(pieces) == 1 and pieces[0].get("whole", False)
    out: list[dict[str, Any]] = [{"clusters": [], **(ctx if whole else {k: {} for k in ctx})} for _ in range(parts)]
    for pos, typ, c in found:
        gk = concept_group(typ, c, story_of, entity_of) if groups else None
        p = out[shard(repr(gk) if gk is not None else repr(pos), parts)]
        p["clusters"].append((pos, typ, c, gk))  # its group goes along: the joining part need not work it out again
        if whole:
            continue
        for r in c.reports:
            p["days"][r.doc] = days.get(r.doc)
            if r.doc in story_of:
                p["story_of"][r.doc] = story_of[r.doc]
            for k in [x.entity for x in r.mention.participants] + [r.mention.where]:
                if (r.doc, k) in entity_of:
                    p["entity_of"][(r.doc, k)] = entity_of[(r.doc, k)]
            if (r.doc, "") not in p["times"]:
                p["times"].update((k, times[k]) for k in times_of[r.doc])
    return tuple(out)


def event_group_part(window: int, groups: bool, duplicate_of: Mapping[str, str | None], *pieces: dict) -> tuple:
    """Join clusters of whole concept groups, build their events and their date and count
    conflicts (which read only the event's own reports and their dates); no support (the driver
    counts the events' support over all of them, an outlet once)."""
    ctx = _merge(pieces)
    # in the order of their positions (one piece holds its clusters in that order already)
    found = pieces[0]["clusters"] if len(pieces) == 1 else sorted((x for p in pieces for x in p["clusters"]), key=lambda x: x[0])
    keys = [x[3] for x in found] if found and len(found[0]) > 3 else None  # (pos, type, cluster[, concept group])
    built = concept_events([(x[1], x[2]) for x in found], ctx["story_of"] if groups else None, window,
                           ctx["entity_of"], duplicate_of, keys)
    events = sorted((ev for ev, _c in built), key=attrgetter("id"))
    # the reports' own annotations, as much of them as the conflicts read: every time expression of
    # their documents, the mentions of events of several reports (one report disagrees with none)
    by_doc: dict[str, list] = {}
    for _ev, c in built:
        if len(c.reports) == 1:
            by_doc.setdefault(c.reports[0].doc, [])
            continue
        for r in c.reports:
            if (ms := by_doc.get(r.doc)) is None:
                ms = by_doc[r.doc] = []
            ms.append(r.mention)
    times: dict[str, list] = defaultdict(list)
    for (doc, tid), t in sorted(ctx["times"].items()):
        if tid:
            times[doc].append(t)
    anns = [DocAnnotations(d, Published(), times=tuple(times[d]), events=tuple(ms)) for d, ms in sorted(by_doc.items())]
    # the events' support is counted by the driver over all of them (one outlet once)
    return events, [], find_conflicts(events, anns, [], duplicate_of, ctx["story_of"])


# ---------------------------------------------------------------- quotes and figures


def item_part(duplicate_of: Mapping[str, str | None], *pieces: dict) -> tuple:
    """Support for the quotes of whole speakers and the figures of whole measures, and the
    number conflicts between those figures."""
    ctx = _merge(pieces)
    quotes: dict[str, list] = defaultdict(list)
    figures: dict[str, list] = defaultdict(list)
    for p in pieces:
        for doc, q in p["quotes"]:
            quotes[doc].append(q)
        for doc, f in p["figures"]:
            figures[doc].append(f)
    anns = [
        DocAnnotations(d, Published(), quotes=tuple(quotes.get(d, ())), figures=tuple(figures.get(d, ())))
        for d in sorted(set(quotes) | set(figures))
    ]
    groups = measures(anns, ctx["entity_of"])
    support = build_support(anns, [], ctx["entity_of"], duplicate_of, groups)
    told: dict[str, list] = defaultdict(list)
    for p in pieces:
        for doc, q in p.get("story_quotes", ()):
            told[doc].append(q)
    story_anns = [DocAnnotations(d, Published(), quotes=tuple(qs)) for d, qs in sorted(told.items())]
    return support, (find_conflicts([], anns, groups, duplicate_of, ctx["story_of"])
                     + quote_conflicts(story_anns, ctx["entity_of"], duplicate_of, ctx["story_of"]))
