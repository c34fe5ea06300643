"""Stories by text: documents grouped by what they say, as map and reduce steps (the one home of
this algorithm; :mod:`.engine` runs the steps as tasks, :func:`text_story_groups` in one process).

:func:`text_story_groups` says what the grouping does. The steps and what each holds:

1. the corpus-wide document frequencies are summed from per-block counts (a cheap pass; the
   driver holds one count per distinct term);
2. :func:`text_features` (per block of documents): each document's unit TF-IDF vector over its
   heaviest terms (:func:`~.stories.doc_vector`, with those global frequencies), plus what the
   pair test reads (all its terms, the people its opening names, the sizes it gives, its date);
   and its vector's postings, cut by a stable hash of the term;
3. :func:`term_postings` (per term shard): the postings of its terms short enough to ask,
   sent to the document shards whose documents ask with them;
4. :func:`neighbours` (per document shard): each document's ``MAX_NEIGHBOURS`` best candidates
   (:func:`~.stories.best_neighbours`);
5. :func:`pair_links` (per pair of blocks): the similarity of each candidate pair
   (:func:`~.stories.pair_similarity`: dates, people, sizes);
6. in the driver, :func:`start_groups` (near-duplicate sets) and :func:`group_links` (pair
   similarities summed into links between those groups, in document order); the connected
   components of the links are clustered by :func:`cluster_part` (:func:`~.stories.agglomerate`)
   on whole components (a merge never crosses components: groups merge only when linked, and a
   merge changes only the two groups' own scores and signatures).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Mapping, Sequence

from ..model import Entity
from .common import UnionFind, root_doc
from .partition import shard
from .stories import (MAX_TEXT_POSTING, TEXT_LINK, agglomerate, best_neighbours, doc_vector, dots, lede_people, pair_similarity,
                      query_terms)

__all__ = ["text_features", "term_postings", "neighbours", "pair_links", "start_groups", "group_links", "cluster_part",
           "text_story_groups"]


def text_features(
    meta: dict, terms_of: Mapping, sizes: Mapping, df: Mapping[str, int], n: int, lede: Mapping[str, set[str]], shards: int
) -> tuple:
    """Per block: ``{doc: (vector, all its terms, people its opening names, sizes, date)}``, then
    per term shard the postings ``(term, doc, weight, rank among the doc's query terms or -1)``."""
    days = meta["days"]
    feats = {}
    pieces: list[list] = [[] for _ in range(shards)]
    for d in meta["docs"]:
        terms = terms_of.get(d, ())
        vec = doc_vector(terms, df, n)
        feats[d] = (vec, frozenset(w for w, _ in terms), frozenset(lede.get(d, ())), sizes.get(d), days.get(d))
        query = {w: r for r, (w, _x) in enumerate(query_terms(vec))}
        if shards == 1:
            pieces[0].extend([(w, d, x, query.get(w, -1)) for w, x in vec.items()])
            continue
        for w, x in vec.items():
            pieces[shard(w, shards)].append((w, d, x, query.get(w, -1)))
    return (feats, *pieces)


def term_postings(doc_shards: int, *pieces: list) -> tuple:
    """Per document shard: the postings ``{term: [(doc, weight)]}`` of this term shard's terms
    held by two to ``MAX_TEXT_POSTING`` vectors (one holding it finds no other) and asked by a
    document of that shard, and those documents' questions ``(doc, rank, term, weight)``."""
    index: dict[str, list[tuple[str, str, float, int]]] = defaultdict(list)
    for piece in pieces:
        for p in piece:
            index[p[0]].append(p)
    out: list[tuple[dict, list]] = [({}, []) for _ in range(doc_shards)]
    for w, post in index.items():
        if not 1 < len(post) <= MAX_TEXT_POSTING:
            continue  # a term this common asks nothing, nor one only its asker holds
        plain = None
        for _w, d, x, rank in post:
            if rank < 0:
                continue
            postings, questions = out[shard(d, doc_shards)]
            questions.append((d, rank, w, x))
            if w not in postings:
                plain = plain or [(o, xo) for _w, o, xo, _r in post]
                postings[w] = plain
    return tuple(out)


def neighbours(*pieces: tuple[dict, list]) -> list[tuple[str, str]]:
    """Each document's best candidates (:func:`~.stories.best_neighbours`), asked in its
    question order."""
    postings: dict[str, list[tuple[str, float]]] = {}
    asks: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    for post, questions in pieces:
        postings.update(post)
        for d, rank, w, x in questions:
            asks[d].append((rank, w, x))
    pairs: list[tuple[str, str]] = []
    for d in sorted(asks):
        pairs.extend((d, o) for o in best_neighbours(d, [(w, x) for _r, w, x in sorted(asks[d])], postings))
    return pairs


def pair_links(window: int, pairs: Sequence[tuple[str, str]], *feats: Mapping) -> list[tuple[str, str, float]]:
    """``(d, o, similarity)`` for candidate pairs ``d < o`` (:func:`~.stories.pair_similarity`)."""
    f: dict = {}
    for x in feats:
        f.update(x)
    cosines = dots(pairs, {d: f[d][0] for pair in pairs for d in pair})
    return [(d, o, pair_similarity(f[d], f[o], window, c)) for (d, o), c in zip(pairs, cosines, strict=True)]


def start_groups(docs: Sequence[str], duplicate_of: Mapping[str, str | None], days: Mapping) -> tuple[dict, dict]:
    """The starting groups, near-duplicate sets named by their first document: ``members`` and
    each group's ``span`` of dates (None when undated)."""
    uf = UnionFind(docs)
    for d in docs:
        r = root_doc(d, duplicate_of)
        if r != d and r in uf.parent:
            uf.union(d, r)
    members = {g[0]: g for g in uf.groups()}
    span = {}
    for c, g in members.items():
        ds = [days[d] for d in g if days.get(d) is not None]
        span[c] = (min(x[0] for x in ds), max(x[1] for x in ds)) if ds else None
    return members, span


def group_links(members: Mapping[str, Sequence[str]], sims: Iterable[tuple[str, str, float]]) -> dict[str, dict[str, float]]:
    """The summed similarity of the candidate pairs between two groups (pairs inside one group
    left out), summed in document order."""
    owner = {d: c for c, g in members.items() for d in g}
    links: dict[str, dict[str, float]] = defaultdict(dict)
    for d, o, sim in sorted(sims):
        a, b = owner[d], owner[o]
        if a == b:
            continue
        links[a][b] = links[a].get(b, 0.0) + sim
        links[b][a] = links[a][b]
    return links


def cluster_part(
    window: int,
    members: Mapping[str, list[str]],
    span: Mapping[str, tuple[int, int] | None],
    links: Mapping[str, Mapping[str, float]],
    lede: Mapping[str, set[str]],
    threshold: float = TEXT_LINK,
) -> list[list[str]]:
    """Group-average clustering (:func:`~.stories.agglomerate`) of whole components of linked
    groups; ``lede``: the people each document's opening names."""
    members = {c: list(g) for c, g in members.items()}
    linked: dict[str, dict[str, float]] = defaultdict(dict, {a: dict(b) for a, b in links.items()})
    leads = {c: Counter(w for d in g for w in lede.get(d, ())) for c, g in members.items()}
    return agglomerate(members, linked, dict(span), leads, threshold, window)


def text_story_groups(
    docs: Sequence[str],
    terms_of: Mapping[str, Sequence[tuple[str, int]]],
    entities: Iterable[Entity],
    doc_days: Mapping[str, tuple[int, int] | None],
    duplicate_of: Mapping[str, str | None],
    window: int,
    threshold: float = TEXT_LINK,
    sizes: Mapping[str, Mapping[tuple[str, str], set[float]]] | None = None,
) -> list[list[str]]:
    """Documents grouped by what they say (the steps above in one process, one part): group-average
    clustering of TF-IDF cosine over candidate pairs (:func:`neighbours`, never all pairs; a pair
    that is no candidate counts 0), merging the closest pair of groups first; a merge adds the two
    groups' link sums, so its cost is the number of neighbours, not the size of the groups. Same
    topic is not same story; what separates two similar incidents: when (groups dated within
    ``window`` days of each other need less, a dated and an undated group more, groups dated further
    apart more still), who (two documents whose openings each name a person the other never names)
    and how many (two documents that size one kind of happening with different numbers and never the
    same: ``sizes``, see :func:`~.stories.doc_sizes`); the last two count only ``PERSON_CLASH`` of
    the documents' similarity unless they are dated close together. Two groups never merge when the
    openings of each mostly name people the other's seldom name: each group is then one incident
    told by several reports. A report left on its own at the end joins the group it is closest to
    when their link reaches ``SINGLE_FACTOR`` of what a merge needs (a lone report is more often a
    story's short or differently worded report than a story of its own; ECB+: story recall 0.90 ->
    0.93). Document frequencies are counted over ``docs``; ``entities`` give who each opening names."""
    docs = sorted(docs)
    df: Counter = Counter()
    for d in docs:
        df.update(w for w, _ in terms_of.get(d, ()))
    lede = lede_people(entities)
    meta = {"docs": docs, "days": {d: doc_days.get(d) for d in docs}}
    feats, postings = text_features(meta, terms_of, sizes or {}, df, len(docs), lede, 1)
    pairs = sorted({(min(d, o), max(d, o)) for d, o in neighbours(*term_postings(1, postings))})
    members, span = start_groups(docs, duplicate_of, doc_days)
    links = group_links(members, pair_links(window, pairs, feats))
    return cluster_part(window, members, span, links, lede, threshold)
