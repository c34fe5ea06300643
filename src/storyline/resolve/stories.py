"""Stories: documents (and their events) grouped by the resolved entities they
share and by how close their dates are.

Scoring a pair of documents: the sum over shared entities of
``TYPE_WEIGHT[type] * idf`` with ``idf = ln(1 + N/df) / ln(1 + N)`` (1 for an
entity in one document, small for one in every document); entities in more
than half the documents of a corpus of 20 or more are ignored. Candidate
pairs come from an inverted index entity -> documents sorted by date, read
only inside the date window (never all pairs).

1. Dated documents link when they are at most ``story_day_window`` days apart
   and score at least ``DATED_LINK``, or report one resolved event dated to
   within a month (not a statement).
2. An undated document (no effective published date and no absolute day in
   its text) joins the dated story it is *strongly* linked to (a shared event,
   or two shared people rare in the corpus plus ``DATED_LINK``), the best one
   when several; without a date, weak overlap is not enough: the same people
   recur in stories months apart.
3. Undated documents left over group among themselves by the same strong rule.

Near-duplicates always share their original's story. Everything is sorted
before it is grouped, so any input order gives the same stories and ids.
Adding documents later: re-run over the union; a story's id changes only when
its documents do (``assign_stories`` in a future version can map old ids to
new ones by largest document overlap).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from typing import Mapping, Sequence

from ..model import Entity, Event, Story
from .common import UnionFind, day_gap, iso, precision_days, root_doc, stable_id

__all__ = ["group_stories", "carry_story_ids", "TYPE_WEIGHT", "DATED_LINK"]

TYPE_WEIGHT = {"PERSON": 1.0, "ORG": 0.6, "EVENT": 0.6, "GPE": 0.3, "LOC": 0.3, "NORP": 0.2, "OTHER": 0.2}
DATED_LINK = 0.9
LINK_SKIP_TYPES = frozenset({"STATEMENT"})
MAX_EVENT_DOCS = 50  # events reported by more documents link through their entities instead
WEAK_TYPE = 0.5  # entity types weighted below this never make a candidate pair on their own
MAX_POSTING_SCAN = 5000  # an entity this common inside one window says little about one pair
MAX_UNDATED_SCAN = 500  # an undated document links through people named in at most this many documents


def _story_label(docs: set[str], events: list[Event], entities: Mapping[str, Entity], doc_ents: Mapping) -> str:
    people: Counter = Counter()
    for d in docs:
        for e, n in doc_ents.get(d, {}).items():
            if entities[e].type == "PERSON":
                people[e] += 1
    top = sorted(people, key=lambda e: (-people[e], -len(entities[e].mentions), entities[e].name))[:2]
    names = "–".join(entities[e].name.split()[-1] for e in top)
    if events:
        best = min(events, key=lambda ev: (-ev.sources, -len(ev.mentions), -len(ev.participants), ev.id))
        return f"{names}: {best.label}" if names else best.label
    return names or "untitled story"


def group_stories(
    docs: Sequence[str],
    entity_of: Mapping[tuple[str, str], str],
    entities: Sequence[Entity],
    events: Sequence[Event],
    doc_days: Mapping[str, tuple[int, int] | None],
    duplicate_of: Mapping[str, str | None],
    window: int,
) -> list[Story]:
    ents = {e.id: e for e in entities}
    doc_ents: dict[str, Counter] = defaultdict(Counter)
    for (doc, _key), eid in entity_of.items():
        doc_ents[doc][eid] += 1
    docs = sorted(set(docs) | set(doc_ents))
    n = len(docs)
    df: Counter = Counter()
    for d in docs:
        df.update(doc_ents[d].keys())
    norm = math.log(1 + n) if n > 1 else 1.0
    stop = {e for e, c in df.items() if n >= 20 and c > 0.5 * n}
    rare_person = {e for e, c in df.items() if ents[e].type == "PERSON" and c <= max(2, n // 2)}

    def weight(e: str) -> float:
        return TYPE_WEIGHT.get(ents[e].type, 0.2) * (math.log(1 + n / df[e]) / norm if n > 1 else 1.0)

    dated = [d for d in docs if doc_days.get(d) is not None]
    undated = [d for d in docs if doc_days.get(d) is None]
    postings: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for d in dated:
        for e in doc_ents[d]:
            if e not in stop:
                postings[e].append((doc_days[d][0], d))
    for p in postings.values():
        p.sort()
    event_pairs: set[tuple[str, str]] = set()
    event_nb: dict[str, set[str]] = defaultdict(set)
    for ev in events:
        if ev.type in LINK_SKIP_TYPES or precision_days(ev.when) > 31:
            continue  # only dated happenings tie articles together, not statements or undated states
        evdocs = sorted({m.span.doc for m in ev.mentions})
        if 1 < len(evdocs) <= MAX_EVENT_DOCS:
            for i, a in enumerate(evdocs):
                for b in evdocs[i + 1 :]:
                    event_pairs.add((a, b))
                    event_nb[a].add(b)
                    event_nb[b].add(a)

    def scores(d: str, lo: int | None, hi: int | None, postings=postings) -> dict[str, tuple[float, int]]:
        acc: dict[str, list] = {}
        weak = []
        for e in doc_ents[d]:
            if e in stop:
                continue
            if TYPE_WEIGHT.get(ents[e].type, 0.2) < WEAK_TYPE:
                weak.append(e)  # places and groups only add to candidates found through people/orgs
                continue
            p = postings.get(e, ())
            i = bisect_left(p, (lo, "")) if lo is not None else 0
            j = bisect_right(p, (hi, "\uffff")) if hi is not None else len(p)
            if j - i > MAX_POSTING_SCAN:
                continue
            w = weight(e)
            for _, other in p[i:j]:
                if other == d:
                    continue
                a = acc.setdefault(other, [0.0, 0])
                a[0] += w
                a[1] += e in rare_person
        for e in weak:
            w = weight(e)
            for other, a in acc.items():
                if e in doc_ents[other]:
                    a[0] += w
        return {k: (v[0], v[1]) for k, v in acc.items()}

    def strong_candidates(d: str, postings, extra=()) -> dict[str, tuple[float, int]]:
        """Documents that could be strongly linked to an undated ``d``: sharing two rare
        people (found through short posting lists only) or one of ``extra``; scored on
        every entity they share. Bounded work per document, so linear in the corpus."""
        shared: Counter = Counter()
        for e in doc_ents[d]:
            if e in rare_person and e not in stop:
                p = postings.get(e, ())
                if len(p) <= MAX_UNDATED_SCAN:
                    shared.update(other for _, other in p if other != d)
        out = {}
        for other in [o for o, c in shared.items() if c >= 2] + [o for o in extra if o != d]:
            if other in out:
                continue
            mine = doc_ents[other]
            score = sum(weight(e) for e in doc_ents[d] if e not in stop and e in mine)
            out[other] = (score, shared.get(other, 0))
        return out

    uf = UnionFind(docs)
    for d in docs:
        r = root_doc(d, duplicate_of)
        if r != d and r in uf.parent:
            uf.union(d, r)
    # 1. dated documents
    for d in dated:
        iv = doc_days[d]
        for other, (s, _) in scores(d, iv[0] - window, iv[1] + window).items():
            if other > d and s >= DATED_LINK and day_gap(iv, doc_days[other]) <= window:
                uf.union(d, other)
    for a, b in sorted(event_pairs):
        ia, ib = doc_days.get(a), doc_days.get(b)
        if ia is not None and ib is not None and day_gap(ia, ib) <= window:
            uf.union(a, b)

    def strong(a: str, b: str, s: float, persons: int) -> bool:
        pair = (a, b) if a < b else (b, a)
        return pair in event_pairs or (persons >= 2 and s >= DATED_LINK)

    # 2. undated documents join the one dated story they are strongly linked to
    dated_root = {d: uf.find(d) for d in dated}
    attach: dict[str, str] = {}
    for u in undated:
        best: dict[str, float] = defaultdict(float)
        cand = strong_candidates(u, postings, sorted(event_nb.get(u, ())))
        for other, (s, persons) in cand.items():
            if other in dated_root and strong(u, other, s, persons):
                best[dated_root[other]] += s + (DATED_LINK if other in event_nb.get(u, ()) else 0.0)
        if best:
            attach[u] = min(best, key=lambda r: (-best[r], r))
    for u, r in sorted(attach.items()):
        uf.union(u, r)
    # 3. undated documents left over, among themselves
    rest = [u for u in undated if u not in attach]
    if rest:
        rest_set = set(rest)
        upost: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for u in rest:
            for e in doc_ents[u]:
                if e not in stop:
                    upost[e].append((0, u))
        for u in rest:
            for other, (s, persons) in strong_candidates(u, upost).items():
                if other > u and other in rest_set and strong(u, other, s, persons):
                    uf.union(u, other)
        for a, b in sorted(event_pairs):
            if a in rest_set and b in rest_set:
                uf.union(a, b)
    return _assemble(uf.groups(), events, ents, doc_ents, doc_days)


def _assemble(groups, events, ents, doc_ents, doc_days) -> list[Story]:
    story_of_doc: dict[str, str] = {}
    sids = []
    for g in groups:
        sid = stable_id("sty_", g)
        sids.append(sid)
        for d in g:
            story_of_doc[d] = sid
    story_events: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        counts = Counter(story_of_doc.get(m.span.doc) for m in ev.mentions if m.span.doc in story_of_doc)
        if counts:
            sid = min(counts, key=lambda s: (-counts[s], s))
            story_events[sid].append(ev)
    stories = []
    for sid, g in zip(sids, groups):
        evs = sorted(story_events.get(sid, []), key=lambda e: e.id)
        days = [doc_days[d] for d in g if doc_days.get(d) is not None]
        stories.append(
            Story(
                id=sid,
                label=_story_label(set(g), evs, ents, doc_ents),
                documents=tuple(g),
                events=tuple(e.id for e in evs),
                earliest=iso(min(d[0] for d in days)) if days else None,
                latest=iso(max(d[1] for d in days)) if days else None,
            )
        )
    stories.sort(key=lambda s: s.id)
    return stories


def carry_story_ids(previous: Sequence[Story], current: Sequence[Story]) -> list[Story]:
    """Give each new story the id of the earlier story it continues.

    After new documents are ingested, the grouping is recomputed (near-linear,
    see ``group_stories``); a story that keeps most of an earlier story's
    documents keeps that story's id, so links and bookmarks stay valid while
    new documents join it. Greedy by document overlap, largest first; each old
    id is used once; ties go to the smaller id, so the result is deterministic.
    """
    by_doc: dict[str, str] = {}
    for st in previous:
        for d in st.documents:
            by_doc[d] = st.id
    pairs = []
    for i, st in enumerate(current):
        overlap = Counter(by_doc[d] for d in st.documents if d in by_doc)
        for old, n in overlap.items():
            pairs.append((-n, old, i))
    pairs.sort()
    taken_old: set[str] = set()
    new_id: dict[int, str] = {}
    for _, old, i in pairs:
        if old in taken_old or i in new_id:
            continue
        taken_old.add(old)
        new_id[i] = old
    out = []
    for i, st in enumerate(current):
        out.append(st if i not in new_id else Story(new_id[i], st.label, st.documents, st.events, st.earliest, st.latest))
    return out
