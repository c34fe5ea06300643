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

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from operator import itemgetter
from typing import Iterable, Mapping, Sequence

import numpy as np

from ..lexicon.events import concept
from ..model import Entity, Event, Story
from .common import UnionFind, day_gap, iso, precision_days, root_doc, stable_id, tally

__all__ = ["group_stories", "agglomerate", "lede_people", "doc_vector", "index_terms", "query_terms", "best_neighbours",
           "pair_similarity", "dot", "dots", "sizes_clash", "doc_sizes", "TYPE_WEIGHT", "DATED_LINK"]

TYPE_WEIGHT = {"PERSON": 1.0, "ORG": 0.6, "EVENT": 0.6, "GPE": 0.3, "LOC": 0.3, "NORP": 0.2, "OTHER": 0.2}
DATED_LINK = 0.9
LINK_SKIP_TYPES = frozenset({"STATEMENT"})
MAX_EVENT_DOCS = 50  # events reported by more documents link through their entities instead
WEAK_TYPE = 0.5  # entity types weighted below this never make a candidate pair on their own
MAX_POSTING_SCAN = 5000  # an entity this common inside one window says little about one pair
MAX_UNDATED_SCAN = 500  # an undated document links through people named in at most this many documents
_WEAK_TYPES = frozenset({"STATEMENT", "OTHER"})  # a story is labelled by these only when nothing else


def _story_label(docs: set[str], events: list[Event], entities: Mapping[str, Entity], doc_ents: Mapping) -> str:
    people: Counter = Counter()
    for d in docs:
        for e in doc_ents.get(d, {}):
            if entities[e].type == "PERSON":
                people[e] += 1
    top = sorted(people, key=lambda e: (-people[e], -len(entities[e].mentions), entities[e].name))[:2]
    names = "–".join(entities[e].name.split()[-1] for e in top)
    if events:
        # the main event most reports lead with; a bare statement or an unclassed verb only when nothing else
        # (from the most reported down: once the best leads in more reports than the next one has, no later
        # event beats it)
        best, best_key = events[0], None
        for ev in sorted(events, key=lambda ev: (ev.type in _WEAK_TYPES, -len(ev.mentions))):
            if best_key is not None and best_key[:2] < (ev.type in _WEAK_TYPES, -len(ev.mentions)):
                break
            key = (ev.type in _WEAK_TYPES, -sum(m.salience == 1 for m in ev.mentions), -ev.sources, -len(ev.mentions),
                   -len(ev.participants), ev.id)
            if best_key is None or key < best_key:
                best, best_key = ev, key
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
    groups: Sequence[Sequence[str]] | None = None,
) -> list[Story]:
    """Stories over ``docs``: the ``groups`` made from their words (:func:`~.textparts.text_story_groups`)
    when there are any, else from shared entities, events and dates alone."""
    ents = {e.id: e for e in entities}
    if groups is not None:
        doc_ents: dict[str, Counter] = defaultdict(Counter)
        for (doc, _key), eid in entity_of.items():
            doc_ents[doc][eid] += 1
        return _assemble([list(g) for g in groups], events, ents, doc_ents, doc_days)
    return _entity_stories(docs, entity_of, ents, events, doc_days, duplicate_of, window)


def _entity_stories(docs, entity_of, ents, events, doc_days, duplicate_of, window) -> list[Story]:
    """Stories from shared entities, events and dates (annotations without terms)."""
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


# ---------------------------------------------------------------- stories from the text itself
TEXT_LINK = 0.2  # average-linkage cosine at which two groups of reports tell one story
TOP_TERMS = 200  # terms kept per document vector (the heaviest; bounded work per document)
INDEX_TERMS = 30  # of which the heaviest are indexed to find candidates
MAX_TEXT_POSTING = 500  # a term in more documents than this finds no candidates
MAX_NEIGHBOURS = 50  # candidate neighbours each document keeps
PERSON_CLASH = 0.3  # similarity kept when each opening names a person the other document never names
LEDE_CHARS = 250  # the opening: title and first sentence or two
# a group's signature: what at least SIGNATURE_SHARE of its documents, and MIN_VOTES or more, say;
# it clashes with another group's when each is said by fewer than RARE_SHARE of the other's documents
SIGNATURE_SHARE = 0.5
MIN_VOTES = 2
RARE_SHARE = 0.25
SINGLE_FACTOR = 0.5  # a report left on its own joins its closest group at this share of the threshold
NEAR_FACTOR = 0.8  # two groups dated within the story window need this share of TEXT_LINK
FAR_FACTOR = 1.5  # groups dated further apart than the window need this multiple (follow-ups happen)
# a dated and an undated group: nothing says they are close in time, so they need what groups dated far
# apart need (ECB+ stories B-cubed F1 at 1.1x 0.919, 1.25x 0.916, 1.5x 0.926, 1.75x 0.911, 2x 0.870)
UNDATED_FACTOR = FAR_FACTOR


def doc_vector(
    terms: Sequence[tuple[str, int]], df: Mapping[str, int], n: int, top: int = 0
) -> dict[str, float]:
    """One document's unit TF-IDF vector over its content lemmas (its heaviest ``TOP_TERMS``,
    or ``top``), with smoothed IDF ``ln((n + 1) / (df + 1)) + 1`` over a corpus of ``n``
    documents with document frequencies ``df``."""
    v = {}
    for w, c in terms:
        idf = math.log((n + 1) / (df.get(w, 0) + 1)) + 1.0  # smoothed: a handful of documents still compare
        v[w] = (1 + math.log(c)) * idf
    best = _heaviest(v.items())[: top or TOP_TERMS]
    norm = math.sqrt(sum([x * x for _, x in best])) or 1.0
    return {w: x / norm for w, x in best}


def _heaviest(weights: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """Terms and weights, heaviest first, ties by term (two stable sorts: by term, then by weight)."""
    return sorted(sorted(weights, key=itemgetter(0)), key=itemgetter(1), reverse=True)


def index_terms(terms: Sequence[tuple[str, int]], df: Mapping[str, int], n: int) -> list[str]:
    """The ``INDEX_TERMS`` heaviest terms of a document: what it asks the inverted index with
    (:func:`query_terms`), and its stored text keys for incremental resolution."""
    return list(doc_vector(terms, df, n, INDEX_TERMS))


def lede_people(entities: Iterable[Entity]) -> dict[str, set[str]]:
    """Per document: the surnames of the people its opening names (who the story is about)."""
    out: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        if e.type != "PERSON":
            continue
        for m in e.mentions:
            if m.start < LEDE_CHARS and e.name.split():
                out[m.doc].add(e.name.split()[-1].lower())
    return dict(out)


def doc_sizes(annotations) -> dict[str, dict[tuple[str, str], set[float]]]:
    """Per document: the plain numbers it sizes happenings with, by (concept, what is counted)."""
    out: dict[str, dict[tuple[str, str], set[float]]] = {}
    for a in annotations:
        found: dict[tuple[str, str], set[float]] = defaultdict(set)
        for m in a.events:
            if m.count is not None and not m.count_hedged and m.count_value is not None:
                found[(concept(m.concept or ""), m.count_of or "")].add(m.count_value)
        if found:
            out[a.doc] = dict(found)
    return out


def sizes_clash(a, b) -> bool:
    """Two documents that size their main happening differently ("23 pirates" vs "26 pirates",
    magnitude 6.1 vs 5.9) and never the same: how many tells two similar incidents apart."""
    if not a or not b:
        return False
    shared = set(a) & set(b)
    return bool(shared) and all(not (a[k] & b[k]) for k in shared)


def _major(votes: Counter, n: int) -> set:
    """What at least ``SIGNATURE_SHARE`` of a group's ``n`` documents, and two or more, say."""
    need = max(MIN_VOTES, SIGNATURE_SHARE * n)
    return {k for k, c in votes.items() if c >= need}


def _signatures_clash(la: Counter, na: int, lb: Counter, nb: int) -> bool:
    """Two groups whose openings mostly name people the other group's openings seldom name
    (in fewer than ``RARE_SHARE`` of them: a report may look back to the other incident)."""
    ma, mb = _major(la, na), _major(lb, nb)
    return bool(ma and mb) and all(lb[w] < RARE_SHARE * nb for w in ma) and all(la[w] < RARE_SHARE * na for w in mb)


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The dot product of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    # the shared terms' products in ``a``'s order: the same sum as over every term (the others add 0.0)
    return sum([x * b[w] for w, x in a.items() if w in b], 0.0)


def dots(pairs: Sequence[tuple[str, str]], vectors: Mapping[str, Mapping[str, float]]) -> list[float]:
    """:func:`dot` of each pair's vectors, the same floats: each pair is summed in the order of the
    terms of its shorter vector (the first of two as long), as :func:`dot` does, and all the pairs of
    one longer vector at once: its weights looked up for their terms, times theirs, summed pair by
    pair in that order (``bincount`` adds one by one; a term it lacks adds 0.0)."""
    vocab: dict[str, int] = {}
    arrays = {}
    for d in sorted({d for pair in pairs for d in pair}):
        v = vectors[d]
        arrays[d] = (np.array([vocab.setdefault(w, len(vocab)) for w in v], dtype=np.intp), np.fromiter(v.values(), float, len(v)))
    by_longer: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, (d, o) in enumerate(pairs):
        short, long = (o, d) if len(vectors[d]) > len(vectors[o]) else (d, o)
        by_longer[long].append((i, short))
    out = np.zeros(len(pairs))
    weight_of = np.zeros(len(vocab))  # the longer vector's weight of each term (0.0: it lacks the term)
    for long, shorter in by_longer.items():
        terms, weights = arrays[long]
        weight_of[terms] = weights
        theirs = [arrays[s] for _, s in shorter]
        products = weight_of[np.concatenate([t for t, _ in theirs])] * np.concatenate([x for _, x in theirs])
        pair_of = np.repeat(np.arange(len(theirs)), [len(t) for t, _ in theirs])
        out[[i for i, _ in shorter]] = np.bincount(pair_of, weights=products, minlength=len(theirs))
        weight_of[terms] = 0.0
    return out.tolist()


def query_terms(vec: Mapping[str, float]) -> list[tuple[str, float]]:
    """What a document asks the inverted index of vectors with: its ``INDEX_TERMS`` heaviest
    terms and their weights, heaviest first (ties by term)."""
    return _heaviest(vec.items())[:INDEX_TERMS]


def best_neighbours(doc: str, asks: Iterable[tuple[str, float]], postings: Mapping[str, Sequence[tuple[str, float]]]) -> list[str]:
    """The ``MAX_NEIGHBOURS`` documents closest to ``doc`` on the terms it asks with (``asks``:
    term and weight, in :func:`query_terms`'s order; ``postings``: each asked term's documents
    and weights): products summed in asking order, ties by id."""
    acc: dict[str, float] = defaultdict(float)
    for w, x in asks:
        for o, xo in postings[w]:
            acc[o] += x * xo
    acc.pop(doc, None)  # summed with the others (each sum is its own): not its own neighbour
    if len(acc) > MAX_NEIGHBOURS:  # = sorted(...)[:MAX_NEIGHBOURS]: those scoring at least the last one kept
        cut = sorted(acc.values(), reverse=True)[MAX_NEIGHBOURS - 1]
        return [o for _s, o in sorted([(-s, o) for o, s in acc.items() if s >= cut])[:MAX_NEIGHBOURS]]
    return [o for _s, o in sorted([(-s, o) for o, s in acc.items()])]


def pair_similarity(a: tuple, b: tuple, window: int, cosine: float) -> float:
    """The similarity of two documents, each given as ``(vector, all its terms, the people its
    opening names, its sizes, its date)``, whose vectors' ``cosine`` is given (:func:`dots`): of
    which a pair not dated close together whose openings each name a person the other never names,
    or that sizes one happening differently (:func:`sizes_clash`), keeps ``PERSON_CLASH``."""
    _va, wa, la, sa, da = a
    _vb, wb, lb, sb, db = b
    sim = cosine
    near_days = da is not None and db is not None and max(da[1], db[1]) - min(da[0], db[0]) <= window
    if not near_days and ((la - wb and lb - wa) or sizes_clash(sa, sb)):
        sim *= PERSON_CLASH
    return sim


def agglomerate(
    members: dict[str, list[str]],
    links: dict[str, dict[str, float]],
    span: dict[str, tuple[int, int] | None],
    leads: dict[str, Counter],
    threshold: float,
    window: int,
) -> list[list[str]]:
    """The group-average clustering of :func:`~.textparts.text_story_groups` (the one home of
    its loop): ``members`` are the starting groups, ``links`` the summed
    similarity of their candidate pairs, ``span`` their dates, ``leads`` who their openings name
    (document counts). Updates its arguments; returns the groups, each sorted, in order."""
    size = {c: len(g) for c, g in members.items()}

    def factor(a: str, b: str) -> float:
        """How much of the threshold two groups need (see textparts.text_story_groups)."""
        sa, sb = span[a], span[b]
        if sa is None and sb is None:
            return 1.0
        if sa is None or sb is None:
            return UNDATED_FACTOR
        return NEAR_FACTOR if max(sa[1], sb[1]) - min(sa[0], sb[0]) <= window else FAR_FACTOR

    def score(a: str, b: str) -> float:
        return links[a].get(b, 0.0) / (size[a] * size[b])

    # who each group is about, by document: two groups whose openings each mostly name people the
    # other's seldom name are two incidents however alike their words ("Saints place Reggie Bush on
    # injured reserve" and, two years on, "Saints place Pierre Thomas on injured reserve")
    # a pair scoring below ``floor`` can never merge: it is not pushed. A merge pushes its group's pairs
    # again at their new scores; their older entries stay in the heap and are judged, when popped, by the
    # score they were pushed with (what this loop has always done: its former per-pair stamps never
    # told an older entry from a newer one)
    floor = threshold * min(NEAR_FACTOR, 1.0, UNDATED_FACTOR, FAR_FACTOR)
    heap: list[tuple[float, str, str]] = [(-s, a, b) for a, near in links.items() for b, w in near.items()
                                          if a < b and (s := w / (size[a] * size[b])) >= floor]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # merged into another group since this entry was pushed
        if -neg < threshold * factor(a, b):
            continue  # not close enough for what their dates say (dates only widen as groups grow)
        if _signatures_clash(leads[a], size[a], leads[b], size[b]):
            continue  # two incidents
        keep, gone = (a, b) if (size[a], b) >= (size[b], a) else (b, a)
        members[keep] += members.pop(gone)
        size[keep] += size.pop(gone)
        sa, sg = span[keep], span.pop(gone)
        span[keep] = sa if sg is None else sg if sa is None else (min(sa[0], sg[0]), max(sa[1], sg[1]))
        for c, w in links.pop(gone, {}).items():
            links[c].pop(gone, None)
            if c != keep:
                links[keep][c] = links[keep].get(c, 0.0) + w
                links[c][keep] = links[keep][c]
        links[keep].pop(gone, None)
        leads[keep] += leads.pop(gone)
        for c in links[keep]:
            x, y = (keep, c) if keep < c else (c, keep)
            if (s := score(x, y)) >= floor:
                heapq.heappush(heap, (-s, x, y))
    # a report left on its own joins the group it is closest to when that is near enough
    for c in sorted(c for c in members if size[c] == 1):
        best = max((g for g in links[c] if g in members and size[g] > 1), key=lambda g: (score(c, g), g), default=None)
        if best is not None and score(c, best) >= SINGLE_FACTOR * threshold * factor(c, best) \
                and not _signatures_clash(leads[c], 1, leads[best], size[best]):
            members[best] += members.pop(c)
    return sorted(sorted(g) for g in members.values())


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
        if len(ev.mentions) == 1:  # most events
            if (s := story_of_doc.get(ev.mentions[0].span.doc)) is not None:
                story_events[s].append(ev)
            continue
        told = [s for m in ev.mentions if (s := story_of_doc.get(m.span.doc)) is not None]
        if not told:
            continue
        if told.count(told[0]) == len(told):  # told in one story (every event built per text group is)
            story_events[told[0]].append(ev)
        else:
            counts = tally(told)
            story_events[min(counts, key=lambda s: (-counts[s], s))].append(ev)
    stories = []
    for sid, g in zip(sids, groups, strict=False):
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
