"""Throughput of the whole per-document stage against spaCy's pipeline alone.

Builds a corpus of at least ``--words`` words (default 200,000) from our own
example articles (demo corpus and the second example story; repeated with a
numbered suffix so no two documents are identical), then in ONE process:

1. spaCy alone: the base English pipeline over the texts with ``nlp.pipe``;
2. storyline: ``storyline.annotate`` (the same base pipeline plus our
   components, and conversion into model objects).

Prints words per second for each, the ratio (storyline time / spaCy time;
the target is at most 1.5) and the process's peak memory after each stage.

    python bench/throughput.py [--words 200000] [--batch-size 32] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def corpus_texts(min_words: int) -> list:
    import storyline

    sources = [ROOT / "src" / "storyline" / "examples" / "demo", HERE / "corpus" / "story2"]
    docs = []
    for item in storyline.read_paths([str(p) for p in sources if p.exists()]):
        if isinstance(item, storyline.Document):
            docs.append(item)
    if not docs:
        raise SystemExit("no example documents found")
    out, words, i = [], 0, 0
    while words < min_words:
        d = docs[i % len(docs)]
        text = d.text + f"\n\nEdition {i}."
        out.append(storyline.Document(id=f"b{i}", text=text, source=d.source, published=d.published))
        words += len(text.split())
        i += 1
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(min_words: int, batch_size: int) -> dict:
    import storyline
    from storyline.nlp.build import build_pipeline, load_base

    settings = storyline.Settings(batch_size=batch_size)
    docs = corpus_texts(min_words)
    words = sum(len(d.text.split()) for d in docs)

    base = load_base(settings)
    list(base.pipe(["warm up."]))
    t0 = time.perf_counter()
    for _ in base.pipe((d.text for d in docs), batch_size=batch_size):
        pass
    t_spacy = time.perf_counter() - t0
    mem_spacy = peak_mb()

    nlp = build_pipeline(settings)
    list(storyline.annotate(docs[:1], nlp, settings))
    t0 = time.perf_counter()
    n_items = 0
    for ann in storyline.annotate(docs, nlp, settings):
        n_items += len(ann.entities) + len(ann.times) + len(ann.quotes) + len(ann.figures) + len(ann.events)
    t_ours = time.perf_counter() - t0
    return {
        "documents": len(docs),
        "words": words,
        "spacy_seconds": round(t_spacy, 2),
        "spacy_words_per_s": round(words / t_spacy),
        "storyline_seconds": round(t_ours, 2),
        "storyline_words_per_s": round(words / t_ours),
        "ratio": round(t_ours / t_spacy, 3),
        "items": n_items,
        "peak_mb_after_spacy": round(mem_spacy),
        "peak_mb_after_storyline": round(peak_mb()),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = run(args.words, args.batch_size)
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        for k, v in res.items():
            print(f"{k:28s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
