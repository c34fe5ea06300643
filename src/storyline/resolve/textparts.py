"""Stories by text in parts: :func:`~.stories.text_story_groups` as map and reduce steps, each a
Ray task in ``storyline.run.ray_resolve``, with only candidate links in the driver.

The steps and what each holds:

1. the corpus-wide document frequencies are summed from per-block counts (a cheap pass; the
   driver holds one count per distinct term);
2. :func:`text_features` (per block of documents): each document's unit TF-IDF vector over its
   heaviest terms (:func:`~.stories.doc_vector`, with those global frequencies), plus what the pair test reads (all its terms,
   the people its opening names, the sizes it gives, its date); and its vector's postings, cut
   by a stable hash of the term;
3. :func:`term_postings` (per term shard): the postings of its terms short enough to ask,
   sent to the document shards whose documents ask with them;
4. :func:`neighbours` (per document shard): each document's ``MAX_NEIGHBOURS`` best candidates;
5. :func:`pair_links` (per pair of blocks): the similarity of each candidate pair, weakened as
   :func:`~.stories.text_story_groups` weakens it (dates, people, sizes);
6. the driver sums pair links into links between near-duplicate groups, takes the connected
   components of those links (union-find), and :func:`cluster_part` runs the group-average
   clustering (:func:`~.stories.agglomerate`, the one home of that loop) on whole components (a
   merge never crosses components: groups merge only when linked, and a merge changes only the
   two groups' own scores and signatures).

The neighbour search and the pair weakening *mirror* :func:`~.stories._neighbours` and the link
loop of :func:`~.stories.text_story_groups` (their constants are imported from there): those
take the whole corpus at once, so their loops are repeated here over parts, summing in the same
order, and ``tests/resolve/test_partition.py`` compares the result with
:func:`~storyline.resolve.resolve` on every change. The one difference: when several candidate
pairs link the same two near-duplicate groups, their similarities are summed in document order,
where ``text_story_groups`` sums them in set order (which varies with the process's hash seed),
so such sums may differ in the last bit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Mapping, Sequence

from .partition import shard
from .stories import (
    INDEX_TERMS,
    MAX_NEIGHBOURS,
    MAX_TEXT_POSTING,
    PERSON_CLASH,
    TEXT_LINK,
    _dot,
    _sizes_clash,
    agglomerate,
    doc_vector,
)

__all__ = ["text_features", "term_postings", "neighbours", "pair_links", "cluster_part"]


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
        query = {w: r for r, (w, _x) in enumerate(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:INDEX_TERMS])}
        for w, x in vec.items():
            pieces[shard(w, shards)].append((w, d, x, query.get(w, -1)))
    return (feats, *pieces)


def term_postings(doc_shards: int, *pieces: list) -> tuple:
    """Per document shard: the postings ``{term: [(doc, weight)]}`` of this term shard's terms
    held by at most ``MAX_TEXT_POSTING`` vectors and asked by a document of that shard, and those
    documents' questions ``(doc, rank, term, weight)``."""
    index: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for piece in pieces:
        for w, d, x, rank in piece:
            index[w].append((d, x, rank))
    out: list[tuple[dict, list]] = [({}, []) for _ in range(doc_shards)]
    for w, post in index.items():
        if len(post) > MAX_TEXT_POSTING:
            continue  # asks nothing (as in stories._neighbours)
        plain = None
        for d, x, rank in post:
            if rank < 0:
                continue
            postings, questions = out[shard(d, doc_shards)]
            questions.append((d, rank, w, x))
            if w not in postings:
                plain = plain or [(o, xo) for o, xo, _ in post]
                postings[w] = plain
    return tuple(out)


def neighbours(*pieces: tuple[dict, list]) -> list[tuple[str, str]]:
    """Each document's best candidates (mirrors ``stories._neighbours``): products summed in its
    question order, the ``MAX_NEIGHBOURS`` highest, ties by id."""
    postings: dict[str, list[tuple[str, float]]] = {}
    asks: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    for post, questions in pieces:
        postings.update(post)
        for d, rank, w, x in questions:
            asks[d].append((rank, w, x))
    pairs: list[tuple[str, str]] = []
    for d in sorted(asks):
        acc: dict[str, float] = defaultdict(float)
        for _rank, w, x in sorted(asks[d]):
            for o, xo in postings[w]:
                if o != d:
                    acc[o] += x * xo
        pairs.extend((d, o) for o in sorted(acc, key=lambda o: (-acc[o], o))[:MAX_NEIGHBOURS])
    return pairs


def pair_links(window: int, pairs: Sequence[tuple[str, str]], *feats: Mapping) -> list[tuple[str, str, float]]:
    """``(d, o, similarity)`` for candidate pairs ``d < o`` (mirrors the link loop of
    ``text_story_groups``): a pair not dated close together whose openings each name a person the
    other never names, or that sizes one happening differently, keeps ``PERSON_CLASH`` of it."""
    f: dict = {}
    for x in feats:
        f.update(x)
    out = []
    for d, o in pairs:
        vd, wd, ld, sd, dd = f[d]
        vo, wo, lo, so, do = f[o]
        sim = _dot(vd, vo)
        near_days = dd is not None and do is not None and max(dd[1], do[1]) - min(dd[0], do[0]) <= window
        if not near_days and ((ld - wo and lo - wd) or _sizes_clash(sd, so)):
            sim *= PERSON_CLASH
        out.append((d, o, sim))
    return out


def cluster_part(
    window: int,
    members: Mapping[str, list[str]],
    span: Mapping[str, tuple[int, int] | None],
    links: Mapping[str, Mapping[str, float]],
    lede: Mapping[str, set[str]],
    threshold: float = TEXT_LINK,
) -> list[list[str]]:
    """Group-average clustering (:func:`~.stories.agglomerate`, the loop of
    ``text_story_groups``) of whole components of linked groups; ``lede``: the people each
    document's opening names."""
    members = {c: list(g) for c, g in members.items()}
    linked: dict[str, dict[str, float]] = defaultdict(dict, {a: dict(b) for a, b in links.items()})
    leads = {c: Counter(w for d in g for w in lede.get(d, ())) for c, g in members.items()}
    return agglomerate(members, linked, dict(span), leads, threshold, window)
