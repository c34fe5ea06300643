"""How `storyline.resolve` scales: time and peak memory over synthetic annotations.

Generates N synthetic documents (stories of ~20 articles, each naming 3 of a
story's people, an organisation and common places, reporting one meeting, one
quote and one figure; 5% near-duplicates; 10% undated), then times
``resolve`` and measures its peak traced memory (tracemalloc) in this process.

    python bench/scale.py                 # 1,000 and 10,000 documents
    python bench/scale.py --big           # also 100,000 (a few minutes)
    python bench/scale.py --sizes 2000 --json
    python bench/scale.py --incremental --sizes 10000 30000   # adding 1,000 articles to a store (issue 11)
    python bench/scale.py --incremental --text --sizes 10000  # ... whose articles carry content terms
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta

from storyline.model import (
    DocAnnotations,
    DocRecord,
    Document,
    EventMention,
    Figure,
    LocalEntity,
    Mention,
    Participant,
    Published,
    Quote,
    Span,
    When,
)

FIRST = "Ana Ben Carla Dev Eli Femi Gus Hana Ivo Jun Kai Lea Milo Nia Omar Pia Quin Rosa Sami Tia Uma Vic Wen Yara Zed".split()
LAST = [
    a + b + c
    for a in "Bar Cor Dal Fen Gor Hal Jor Kel Lun Mor Nor Pel Ros Sal Tor Var Wil".split()
    for b in "ek ov in s ar".split()
    for c in ("a", "i", "o", "ton", "berg", "ley")
]
PLACES = ["Aldmere", "Brisk", "Corvale", "Dunhaven", "Estrel", "Fallow", "Gadsby", "Harlow"]
ORGS = ["Port Authority", "Transport Ministry", "Harbour Union", "City Council", "Grain Board", "Rail Guild"]


def _when(day: date) -> When:
    s = day.isoformat()
    return When(s, s, s)


def synthetic(n: int, seed: int = 7) -> tuple[list[DocRecord], list[DocAnnotations]]:
    """``n`` synthetic documents with annotations whose spans hold."""
    rng = random.Random(seed)
    records, anns = [], []
    last: dict[int, str] = {}
    base = date(2020, 1, 1)
    stories = max(1, n // 20)
    cast = [
        [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(4)] + [(rng.choice(ORGS),)] for _ in range(stories)
    ]
    for i in range(n):
        s = rng.randrange(stories)
        people = rng.sample(cast[s][:4], 3)
        org = cast[s][4][0]
        place = rng.choice(PLACES)
        day = base + timedelta(days=s * 3 + rng.randrange(5))
        event_day = base + timedelta(days=s * 3 - (1 if rng.random() < 0.05 else 0))
        names = [f"{f} {l}" for f, l in people]
        quote = f"we will {rng.choice(['talk', 'wait', 'act', 'vote'])} on the {rng.choice(['offer', 'deal', 'plan'])} {s}"
        text = (
            f"{names[0]} met {names[1]} in {place} on {event_day.isoformat()}. "
            f"{people[1][1]} said \"{quote}\". {names[2]} of the {org} said costs rose {s % 9 + 1}% in {day.year}. "
            f"Story {s} report {i}."
        )
        doc = f"d{i:07d}"

        def sp(sub: str, start: int = 0) -> Span:
            k = text.index(sub, start)
            return Span(doc, k, k + len(sub), sub)

        ents = []
        for j, nm in enumerate(names):
            ments = [Mention(sp(nm))]
            if j == 1:
                ments.append(Mention(sp(people[1][1] + " said")))  # bare surname mention
                ments[-1] = Mention(Span(doc, ments[-1].span.start, ments[-1].span.start + len(people[1][1]), people[1][1]))
            ents.append(LocalEntity(f"e{j}", doc, nm, "PERSON", tuple(ments)))
        ents.append(LocalEntity("e3", doc, place, "GPE", (Mention(sp(place)),)))
        ents.append(LocalEntity("e4", doc, org, "ORG", (Mention(sp(org)),)))
        trig = sp(" met ")
        trig = Span(doc, trig.start + 1, trig.end - 1, "met")
        ev = EventMention(trig, "v0", "MEET", trig, "meeting", "meeting", (Participant("e0", "actor"), Participant("e1", "with")), "e3", _when(event_day))
        q = Quote(sp(quote), "q0", "direct", "e1")
        fig_text = f"{s % 9 + 1}%"
        fig = Figure(sp(fig_text, text.index("costs")), "f0", float(s % 9 + 1), "percent", "costs", "e4", str(day.year))
        undated = rng.random() < 0.1
        pub = Published() if undated else Published(_when(day), "stated")
        dup = last.get(s) if rng.random() < 0.05 else None
        last[s] = doc
        document = Document(doc, text, f"{doc}.txt", published=pub)
        records.append(DocRecord(document, (document.source,), dup, len(text.split()), pub))
        anns.append(DocAnnotations(doc, pub, tuple(ents), (), (q,), (fig,), (ev,)))
    return records, anns


def _code(s: int) -> str:
    """A short pronounceable tag for story ``s`` ("bab", "bac", ...), unique per story."""
    out = ""
    for _ in range(4):
        s, r = divmod(s, 21)
        out += "bcdfghjklmnpqrstvwxz"[r % 20] + "aeiou"[r % 5]
    return out


def feed(n: int, *, stories: range, first: int = 0, seed: int = 7) -> tuple[list[DocRecord], list[DocAnnotations]]:
    """``n`` synthetic articles numbered from ``first``, each about one story of ``stories``,
    where every story has its own people, organisation and place (a story's cast is the
    same whichever call generates it): a news feed of separate developing stories, whose
    blocking keys tie an article only to its own story. Spans hold."""
    rng = random.Random(seed * 1_000_003 + first)
    records, anns = [], []
    base = date(2020, 1, 1)
    for i in range(first, first + n):
        s = rng.choice(stories)
        tag = _code(s)
        srng = random.Random(s)
        cast = [(srng.choice(FIRST), srng.choice(LAST).lower().capitalize() + tag) for _ in range(4)]
        org = (srng.choice(ORGS).split()[0] + tag).capitalize()
        place = (srng.choice(PLACES) + tag).capitalize()
        people = rng.sample(cast, 3)
        day = base + timedelta(days=s // 10 + rng.randrange(3))
        names = [f"{f} {l}" for f, l in people]
        quote = f"we will {rng.choice(['talk', 'wait', 'act', 'vote'])} on the {rng.choice(['offer', 'deal', 'plan'])} {tag}"
        text = (
            f"{names[0]} met {names[1]} in {place} on {day.isoformat()}. "
            f"{people[1][1]} said \"{quote}\". {names[2]} of {org} said costs rose {s % 9 + 1}% in {day.year}. "
            f"Report {i}."
        )
        doc = f"f{i:07d}"

        def sp(sub: str, start: int = 0) -> Span:
            k = text.index(sub, start)
            return Span(doc, k, k + len(sub), sub)

        ents = [LocalEntity(f"e{j}", doc, nm, "PERSON", (Mention(sp(nm)),)) for j, nm in enumerate(names)]
        ents.append(LocalEntity("e3", doc, place, "GPE", (Mention(sp(place)),)))
        ents.append(LocalEntity("e4", doc, org, "ORG", (Mention(sp(org)),)))
        trig = sp(" met ")
        trig = Span(doc, trig.start + 1, trig.end - 1, "met")
        ev = EventMention(trig, "v0", "MEET", trig, "meeting", "meeting", (Participant("e0", "actor"), Participant("e1", "with")), "e3", _when(day))
        q = Quote(sp(quote), "q0", "direct", "e1")
        fig = Figure(sp(f"{s % 9 + 1}%", text.index("costs")), "f0", float(s % 9 + 1), "percent", "costs", "e4", str(day.year))
        pub = Published(_when(day), "stated")
        document = Document(doc, text, f"{doc}.txt", published=pub)
        records.append(DocRecord(document, (document.source,), None, len(text.split()), pub))
        anns.append(DocAnnotations(doc, pub, tuple(ents), (), (q,), (fig,), (ev,)))
    return records, anns


def measure(n: int, trace: bool = True) -> dict:
    """Time ``resolve`` untraced; then, when ``trace``, its peak traced memory in a second run."""
    from storyline.resolve import resolve

    records, anns = synthetic(n)
    t0 = time.perf_counter()
    res = resolve(records, anns)
    seconds = time.perf_counter() - t0
    peak = None
    if trace:
        tracemalloc.start()
        resolve(records, anns)
        peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return {
        "documents": n,
        "seconds": round(seconds, 2),
        "docs_per_second": round(n / seconds) if seconds else None,
        "peak_mib": peak,
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "entities": len(res.entities),
        "events": len(res.events),
        "stories": len(res.stories),
        "conflicts": len(res.conflicts),
    }


def _load(store, records, anns) -> None:
    for rec in records:
        store.add_document(rec.document)
    for ann in anns:
        store.save_annotations(ann)


def _with_terms(anns: list[DocAnnotations], seed: int) -> list[DocAnnotations]:
    """The feed's articles with content terms, as the pipeline keeps them: their story's words
    (its place and organisation, and five topic words of its own), common news words and one
    word of their own, so that stories are grouped by what the articles say."""
    import dataclasses

    rng = random.Random(seed)
    out = []
    for a in anns:
        story = next(e.name for e in a.entities if e.type == "GPE").lower()
        srng = random.Random(story)
        topic = [f"w{srng.randrange(5_000)}" for _ in range(5)]
        common = rng.sample(COMMON_WORDS, 8)
        terms = [(w, 2) for w in topic] + [(story, 3)] + [(w, 1) for w in common] + [(f"u{a.doc}", 1)]
        out.append(dataclasses.replace(a, terms=tuple(terms)))
    return out


COMMON_WORDS = ("meet talk say cost rise report city official plan deal week vote court police minister "
                "market price strike union port board council year month people government").split()


def incremental(n: int, add: int = 1_000, per_story: int = 10, text: bool = False) -> dict:
    """A store of ``n`` feed articles (stories of ~``per_story`` articles, resolved), then
    ``add`` new articles about the latest stories and new ones: seconds to resolve what
    they touch (incremental, as ingest does) against a full resolution of the grown store.
    With ``text``, the articles carry content terms (stories grouped by words: the text
    increment). Also the store's peak memory in this process (maxrss)."""
    import tempfile
    from pathlib import Path

    import storyline
    from storyline.run.incremental import resolve_store

    stories = max(1, n // per_story)
    with tempfile.TemporaryDirectory() as tmp, storyline.open_store(Path(tmp) / "kb.db") as store:
        t0 = time.perf_counter()
        for first in range(0, n, 5_000):  # generated and stored a slice at a time
            recs, anns = feed(min(5_000, n - first), stories=range(stories), first=first)
            _load(store, recs, _with_terms(anns, first) if text else anns)
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        resolve_store(store)
        t_first = time.perf_counter() - t0
        # today's articles: the latest stories go on, a few new ones begin
        recs, anns = feed(add, stories=range(max(0, stories - 60), stories + 40), first=n)
        _load(store, recs, _with_terms(anns, n) if text else anns)
        t0 = time.perf_counter()
        rep = resolve_store(store)
        t_incr = time.perf_counter() - t0
        t0 = time.perf_counter()
        resolve_store(store, full=True)
        t_full = time.perf_counter() - t0
    return {
        "store_docs": n,
        "terms": text,
        "added": add,
        "load_s": round(t_load, 1),
        "first_resolution_s": round(t_first, 2),
        "add_incremental_s": round(t_incr, 2),
        "mode": rep.mode,
        "affected_docs": rep.affected,
        "full_resolution_s": round(t_full, 2),
        "incremental_share": round(t_incr / t_full, 3) if t_full else None,
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    ap.add_argument("--big", action="store_true", help="also run 100,000 documents")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--incremental", action="store_true",
                    help="time adding 1,000 articles to stored, resolved stores of --sizes articles vs a full resolution")
    ap.add_argument("--text", action="store_true", help="with --incremental: articles carry content terms (stories by words)")
    args = ap.parse_args(argv)
    sizes = list(args.sizes) + ([100_000] if args.big else [])
    if args.incremental:
        rows = [incremental(n, text=args.text) for n in sizes]
    else:
        rows = [measure(n, trace=n <= 20_000) for n in sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    cols = list(rows[0])
    print(" ".join(f"{c:>15s}" for c in cols))
    for r in rows:
        print(" ".join(f"{str(r[c]):>15s}" for c in cols))
    print("(seconds untraced; peak_mib = tracemalloc peak of resolve in a second run, up to 20,000 docs;")
    print(" maxrss_mib = the whole process so far, synthetic inputs included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
