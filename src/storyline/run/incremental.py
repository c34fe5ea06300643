"""Resolution that grows with the store: only what new documents can touch.

``resolve_store(store)`` after an ingest:

1. keys every annotated document that has no blocking keys yet
   (:func:`storyline.resolve.keys.doc_keys`, kept in the store; those its
   annotations decide alone were saved with them: :func:`key_documents`);
   before a full resolution, which makes its own, a child process keys them
   meanwhile on a connection of its own when this one has two cores
   (:func:`_keys_apart`), and the resolution is saved once it is done;
2. finds the documents owed a resolution: those just keyed (annotated since
   the last resolution: new, or annotated again; a document stored but not
   yet annotated when the last resolution ran may already sit in a story of
   its own) and any annotated document in no story (left by a crash);
3. grows the *affected set* from them: every document sharing a blocking key
   with one already in it, and every document of a stored story it is in,
   until nothing more joins (the connected components of the owed documents
   in the key graph);
4. runs the pure :func:`storyline.resolve.resolve` over the affected set
   only, told the store's number of documents (``corpus_size=``: corpus-wide
   counts, which story weights use, are the store's), keeps the result's items that involve the
   affected documents, carries the ids of the items they continue
   (:mod:`storyline.resolve.carry`), and replaces just those rows of the
   stored resolution in one transaction.

Because resolve() relates two documents only when they share a key (the
contract of :mod:`storyline.resolve.keys`), the items of the affected set are
the ones a full resolution of the store would produce; the tests ingest
corpora batch by batch and at once and compare entities, events, stories,
support and conflicts. Tolerance: item ids of items that existed before a
batch are carried (stable), so they can differ from the content ids a
from-scratch run gives; and the stored row order (``ord``) of replaced items
comes after the rows that stayed.

When the affected set is more than :data:`FULL_SHARE` of the store (in real
news, common names such as "US" tie most articles together), a full
resolution is as cheap and is run instead. ``full=True`` (``storyline
resolve --full``) always rebuilds from scratch (ids still carried) and counts
the store's term frequencies again.

Stores whose documents carry content terms (all annotated by this version)
group stories by what documents say, weighing terms over the whole corpus, so
every document can touch every other and the exact affected set above is the
store. They take the *text increment* instead (:func:`_text_increment`): the
new documents regroup only the stories near them in words, and their mentions
join the stored entities through their blocking keys. That costs what the new
documents touch, not the store (one real article into 300: 0.13 s against 6 s
for a full resolution), within a documented and tested tolerance of a full
resolution. What it reads is what the new documents touch too: the entity
groups of the documents met through their keys are formed but only those the
new members fall in are built, and of the stored entities those documents link
to only the ones joined or linked from the stories resolved again are decoded
(common names hold thousands of mentions). Adding one real article by the CLI
(model load included, CPU seconds): 11.6 s into 708 real articles against
10.2 s into an empty store (1.14x; 13.5 s, 1.33x, before).
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from ..config import Settings
from ..model import DocAnnotations, DocRecord, Resolution
from .forks import Spawned

__all__ = ["ResolveReport", "resolve_store", "FULL_SHARE"]

FULL_SHARE = 0.5  # an affected set larger than this share of the store is resolved in full
_PAGE = 500


@dataclass
class ResolveReport:
    """What one resolution did: ``mode`` is none, partial or full."""

    mode: str = "none"
    owed: int = 0
    affected: int = 0
    documents: int = 0
    keyed: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "owed": self.owed,
            "affected": self.affected,
            "documents": self.documents,
            "keyed": self.keyed,
            "seconds": round(self.seconds, 3),
        }


def key_documents(store, loaded: Mapping[str, DocAnnotations] | None = None,
                  records: Mapping[str, DocRecord] | None = None) -> list[str]:
    """Complete and store the blocking keys of every annotated document whose keys are missing
    or of another version. A document whose annotations were saved with this version's keys
    (those they decide alone: :func:`storyline.run.pool.encode`) gets only those that need the
    store: its text keys, weighed with the store's term frequencies (counted here, as
    documents are keyed), and its original's when it is a near-duplicate; any other is keyed
    in full. ``loaded`` and ``records``: annotations and records already read, by document (a
    full resolution reads them all first), used in place of reading them again; what they lack
    is read (annotations with only the fields keys need, entities and figures; terms alone
    for a document that has the rest of its keys)."""
    from ..resolve.keys import KEY_VERSION, annotation_keys, original_keys, text_keys

    todo = store.unkeyed_docs(KEY_VERSION)
    for i in range(0, len(todo), _PAGE):
        page = todo[i : i + _PAGE]
        ids = [d for d, _ in page]
        added = {d for d, has in page if has}  # hold the keys saved with their annotations
        anns = {d: loaded[d] for d in ids if d in loaded} if loaded else {}
        if missing := [d for d in ids if d not in anns and d not in added]:
            anns.update((a.doc, a) for a in store.annotations(missing, only=("entities", "figures")))
        terms = {d: a.terms for d, a in anns.items()}
        terms.update(store.doc_terms([d for d in ids if d in added and d not in anns]))
        originals = {d: r.duplicate_of for d in ids if (r := records.get(d)) and r.duplicate_of} if records else {}
        if missing := [d for d in ids if records is None or d not in records]:
            originals.update(store.originals(missing))
        df = store.count_terms({d: t for d, t in terms.items() if t})  # the store's document frequencies grow with it
        n = store.annotated_count()
        keyed = []
        for d in ids:
            if d in added and d in terms:
                own: frozenset[str] = frozenset()
            elif d in anns:
                own = annotation_keys(anns[d])
            else:
                continue  # annotated no more
            text = text_keys(terms[d], df, n) if terms[d] else frozenset()
            keyed.append((d, own | original_keys(originals.get(d)) | text))
        store.save_doc_keys(keyed, KEY_VERSION, added)
    return [d for d, _ in todo]


def _keys_apart(store) -> str | None:
    """Where a child process opens ``store`` to make its keys while this process resolves it
    in full (:func:`_key_store`), when it can: two cores or more for this process and a store
    another connection reaches (not SQLite in memory); else None (keyed here first, as before).
    On the 772 ECB+ articles the keys cost 0.2 CPU s of the resolution stage's 3.4."""
    from .pool import default_workers

    return store.address() if default_workers() >= 2 else None


def _key_store(address: str, settings: Settings, full: bool) -> list[str]:
    """:func:`key_documents` (and, ``full``, the term counts made again) on a connection of its
    own to the store at ``address``, reading what it needs there: what a child process does
    while its parent resolves (an error leaves what a crash would: keyed pages, the rest owed)."""
    from ..kb import open_store

    with open_store(address, settings) as store:
        keyed = key_documents(store)
        if full:
            store.recount_terms()
    return keyed


@contextmanager
def _cycles_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _all_annotations(store, known: Mapping[str, DocAnnotations] | None) -> list[DocAnnotations]:
    """Every annotated document's annotations (storage order): those in ``known`` from there,
    the others read from the store."""
    if not known:
        return list(store.annotations())
    ids = store.annotated_doc_ids()
    read = {a.doc: a for a in store.annotations([d for d in ids if d not in known])}
    return [a for d in ids if (a := known.get(d) or read.get(d)) is not None]


def affected_set(store, owed: set[str], limit: int) -> set[str] | None:
    """The owed documents' connected components (shared keys, shared stored stories);
    None as soon as it holds more than ``limit`` documents."""
    seen = set(owed)
    frontier = set(owed)
    seen_keys: set[str] = set()
    seen_stories: set[str] = set()
    while frontier:
        keys = store.keys_of(sorted(frontier)) - seen_keys
        seen_keys |= keys
        found = store.docs_with_keys(sorted(keys))
        stories = store.stories_of(sorted(frontier)) - seen_stories
        seen_stories |= stories
        found |= store.docs_of_stories(sorted(stories))
        frontier = found - seen
        seen |= frontier
        if len(seen) > limit:
            return None
    return seen


def resolve_store(store, settings: Settings | None = None, *, full: bool = False, progress=None, resolver=None,
                  annotations: Mapping[str, DocAnnotations] | None = None) -> ResolveReport:
    """Bring the stored resolution up to date with the annotated documents (see module doc).
    ``resolver(store, settings) -> Resolution``, when given, computes a full resolution in
    place of :func:`~storyline.resolve.resolve` over the loaded store (the resolution engine on
    worker processes, :mod:`.parallel`, or on Ray, :mod:`.ray_resolve`); partial resolutions stay
    in this process. ``annotations``: documents' annotations as just saved (an ingest's, by
    document), which a full resolution in this process takes instead of reading them from the
    store (should another process annotate one of them again meanwhile, its save leaves the
    resolution owed, and the next run resolves it again)."""
    from ..resolve import resolve
    from ..resolve.carry import carry_ids
    from ..resolve.keys import TEXT_KEY

    settings = settings or Settings()
    progress = progress or (lambda stage, done, total: None)
    report = ResolveReport()
    started = time.perf_counter()
    progress("resolve", 0, 1)
    # one resolve at a time on a shared store; Python's cycle collector paused meanwhile, as the engine
    # pauses it (the store's rows and the resolution are millions of objects and no cycles, and its full
    # passes over them cost 0.3 of the 1.7 CPU s of saving the ECB+ resolution)
    with store.resolving(), _cycles_paused(), ExitStack() as leaving:
        records, anns, keying = None, None, None
        if (full or not store.has_resolution()) and (resolver is None or getattr(resolver, "in_memory", False)):
            if (full or store.annotated_count()) and (address := _keys_apart(store)):
                # a full resolution follows (see below): its keys, which it does not read, are made meanwhile
                keying = leaving.enter_context(Spawned(_key_store, address, store.settings, full))  # ended on leaving
            # a full resolution in this process follows: everything read once, for the keys and for it
            records, anns = store.documents(), _all_annotations(store, annotations)
        # annotated since the last resolution (new or annotated again); keyed apart: known once made
        keyed = [] if keying else key_documents(
            store, None if anns is None else {a.doc: a for a in anns}, None if records is None else {r.id: r for r in records},
        )
        owed = set(store.unresolved_docs()) | set(keyed)
        total = store.annotated_count()
        report.documents = total
        affected = None
        text = store.has_key(TEXT_KEY)
        if owed and not full and store.has_resolution() and not text:
            affected = affected_set(store, owed, int(FULL_SHARE * total))
        if not owed and not full and not keying:
            pass  # nothing new: nothing to do
        elif owed and not full and text and store.has_resolution() and (n := _text_increment(store, owed, settings, total)):
            report.mode = "partial"
            report.affected = n
        elif affected is None:
            if full and not keying:
                store.recount_terms()
            report.mode = "full"
            prev = store.resolution_members()
            if resolver is None or getattr(resolver, "in_memory", False):
                if records is None or anns is None:
                    records, anns = store.documents(), list(store.annotations())
                res = resolve(records, anns, settings) if resolver is None else resolver(store, settings, records=records,
                                                                                          annotations=anns)
                if keying is not None:  # the keys are in the store before its resolution is
                    keyed = keying.result()
                    owed.update(keyed)
                report.affected = len(records)
            else:
                res = resolver(store, settings)
                report.affected = len(store.document_ids())
            res = carry_ids(prev[0], prev[1], prev[2], res)
            store.save_resolution(res)
        else:
            report.mode = "partial"
            ids = store.document_ids()
            docs = [d for d in ids if d in affected]  # with any not annotated yet, as a full run has them
            records, anns = store.records(docs), list(store.annotations(docs))
            res = resolve(records, anns, settings, corpus_size=len(ids))
            res = _restrict(res, affected)
            members = store.resolution_members(docs)
            res = carry_ids(members[0], members[1], members[2], res)
            touched = set(docs) | {d for st in res.stories for d in st.documents}
            store.replace_resolution_part(sorted(touched), res)
            report.affected = len(docs)
        report.keyed, report.owed = len(keyed), len(owed)
        # what was read and made is dropped while collection is still paused: alive when it resumes, the
        # first allocation would have the collector scan it all (on the 772 ECB+ articles the resolution and
        # the records, 184,000 objects, 0.095 CPU s), and none of it is in a cycle
        records = anns = res = None
    report.seconds = time.perf_counter() - started
    progress("resolve", 1, 1)
    return report


TEXT_NEAR = 0.08  # a stored document at least this close to a new one: its story may take it in
KEY_SAMPLE = 20  # earlier documents read per blocking key of a new document, the latest first


def _text_increment(store, owed: set[str], settings: Settings, total: int) -> int | None:
    """Resolve ``owed`` documents into a store whose stories are grouped by what documents
    say; the number of documents re-resolved, or None when a full resolution is due.

    1. The new documents' TF-IDF vectors, weighed with the store's document frequencies
       (kept as documents are keyed), ask the stored text keys for their nearest documents;
       the stories whose documents are on average at least :data:`TEXT_NEAR` close to a new
       document (and the stories the new documents were in before, and their near-duplicates'
       stories) are *the stories they may join*: their documents and the new ones are grouped
       again, and their events, support and conflicts resolved again.
    2. Entities: the new documents' mentions join stored entities, read through their
       blocking keys (at most :data:`KEY_SAMPLE` earlier documents a key, the latest);
       entities no new document touches keep their rows.

    Tolerance against a full resolution of the same documents (tested): stories outside the
    ones taken in are not regrouped although the corpus's term weights moved a little; an
    entity link made earlier is never undone by a later document; a figure disagreement
    between a story taken in and one that is not is found by the next full resolution. On 100
    real ECB+ reports added one at a time: entities 883 against 882, events 2,880 against
    2,867 (B-cubed 0.993), stories 59 against 54 (B-cubed 0.957).
    """
    from ..resolve import resolve_increment
    from ..resolve.carry import carry_ids
    from ..resolve.keys import TEXT_KEY, TEXT_PREFIX
    from ..resolve.stories import MAX_NEIGHBOURS, MAX_TEXT_POSTING, doc_vector

    if len(owed) > FULL_SHARE * total:
        return None
    new = sorted(owed)
    terms = store.doc_terms(new)
    df = store.term_df(w for t in terms.values() for w, _ in t)
    vecs = {d: doc_vector(terms.get(d, ()), df, total) for d in new}
    keys = sorted({TEXT_PREFIX + w for v in vecs.values() for w in v})
    counts = store.key_counts(keys)
    keys = [k for k in keys if counts.get(k, 0) <= MAX_TEXT_POSTING]
    found = store.docs_with_keys_capped(keys, MAX_TEXT_POSTING)
    cands = sorted({d for ds in found.values() for d in ds} - owed)
    cterms = store.doc_terms(cands)
    df.update(store.term_df({w for t in cterms.values() for w, _ in t} - set(df)))
    cvecs = {o: doc_vector(cterms.get(o, ()), df, total) for o in cands}
    sims: dict[str, list[tuple[float, str]]] = {}
    for d in new:
        vd = vecs[d]
        mine = {o for w in vd for o in found.get(TEXT_PREFIX + w, ()) if o in cvecs}  # its own candidates
        close = [(-sim, o) for o in sorted(mine) if (sim := sum(x * cvecs[o].get(w, 0.0) for w, x in vd.items())) >= TEXT_NEAR]
        sims[d] = sorted(close)[:MAX_NEIGHBOURS]
    # a story the new documents may join: one whose documents are, on average, at least TEXT_NEAR
    # close to one new document (what any merge with it needs: a group's link is an average)
    story_of = store.story_of_docs(sorted({o for close in sims.values() for _, o in close}))
    sizes = store.story_sizes(sorted(set(story_of.values())))
    touched: set[str] = set()
    near: set[str] = set(owed)
    for close in sims.values():
        links: dict[str, float] = defaultdict(float)
        for neg, o in close:
            if o in story_of:
                links[story_of[o]] -= neg
            else:
                near.add(o)  # stored but in no story yet
        touched |= {st for st, x in links.items() if x >= TEXT_NEAR * sizes.get(st, 1)}
    dup_keys = sorted(k for k in store.keys_of(new) if k.startswith("d:"))
    near |= store.docs_with_keys(dup_keys)
    touched |= store.stories_of(sorted(near))  # the new documents' earlier stories, their originals'
    story_docs = near | store.docs_of_stories(sorted(touched))
    if len(story_docs) > FULL_SHARE * total:
        return None
    entity_keys = [k for k in store.keys_of(new) if not k.startswith((TEXT_PREFIX, "d:")) and k != TEXT_KEY]
    sample = {d for ds in store.docs_with_keys_capped(entity_keys, KEY_SAMPLE).values() for d in ds} - story_docs
    docs = sorted(story_docs | sample)
    records = store.records(docs)
    anns = list(store.annotations(sorted(story_docs))) + store.local_entities(sorted(sample))
    stored_of = store.entity_links(docs)
    stored = store.stored_entities(set(stored_of.values()))  # decoded as read: the few new members join
    all_terms = {w for a in anns for w, _ in a.terms}
    df = store.term_df(all_terms)
    res = resolve_increment(records, anns, settings, story_docs=story_docs, new_docs=owed, stored_of=stored_of,
                            stored=stored, df=df, corpus_size=total)
    _, evs, sts = store.resolution_members(sorted(story_docs))
    res = carry_ids({}, evs, sts, res)
    # every member has its entity_of row: the stored entities that held members of ``owed`` (annotated again)
    dropped = {e.id for e in res.entities} | {e for m, e in stored_of.items() if m[0] in owed and e in stored}
    store.replace_resolution_increment(sorted(story_docs), new, dropped, res)
    return len(story_docs)


def _restrict(res: Resolution, docs: set[str]) -> Resolution:
    """The items of ``res`` that involve ``docs`` (drops the placeholders' own stories)."""
    stories = tuple(st for st in res.stories if any(d in docs for d in st.documents))
    return Resolution(res.entities, res.events, stories, res.conflicts, res.support, res.entity_of)
