"""Near-duplicate detection at scale: the time to store N generated near-similar articles, and the
same near-duplicate links with and without the capped band buckets on real articles (issue 20 §3).

The generated corpus is ``bench/cluster.py``'s: stories of ~20 articles that share a long paragraph
of boilerplate, so any two articles are similar enough (Jaccard ~0.3) to share a MinHash band with
probability ~0.2: with uncapped buckets every new article had candidates among a fifth of the store
(quadratic). Documents are made (cleaned, fingerprinted) before the clock starts; only
``Store.add_document`` is timed, into a fresh SQLite file: wall seconds and this process's CPU
seconds (on a shared machine the CPU seconds are the figure to compare).

    python bench/neardup.py                    # 20,000 generated articles
    python bench/neardup.py --docs 2000 --uncapped   # also the old, uncapped buckets (slow at scale)
    python bench/neardup.py --real             # capped vs uncapped links on ../shared/realdata (+ edited copies)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdata"
sys.path.insert(0, str(ROOT / "bench"))


def generated(n: int) -> list:
    from cluster import article

    from storyline.readers.clean import make_document

    rng = random.Random(11)
    return [make_document(article(i, rng), f"a{i:06d}.txt") for i in range(n)]


def real_with_copies(seed: int = 5) -> list:
    """Every article of the real corpora, and for one in five a wire copy stored later (a dateline,
    a word or a closing line changed, as outlets do), so there are true near-duplicates to find."""
    from storyline.readers.clean import make_document

    rng = random.Random(seed)
    texts = []
    for name in ("ecbplus", "newswcl50", "polnear", "tempeval3"):
        path = REAL / f"{name}.jsonl"
        if path.is_file():
            with path.open(encoding="utf-8") as fp:
                texts += [(f"{name}:{json.loads(line)['id']}", json.loads(line)["text"]) for line in fp]
    docs = [make_document(t, src) for src, t in texts if t.strip()]
    copies = []
    for d in docs:
        if rng.random() < 0.2 and len(d.text.split()) > 60:
            edit = rng.choice([
                lambda t: "LONDON (Reuters) - " + t,
                lambda t: t + "\n\nReporting by staff; editing by the desk.",
                lambda t: t.replace(" said ", " told reporters ", 1),
            ])
            copies.append(make_document(edit(d.text), "copy:" + d.source))
    rng.shuffle(copies)
    return docs + copies


def store_all(docs: list, cap: int | None = None) -> dict:
    import storyline.kb.docwrites as kbstore
    from storyline.kb import open_store

    saved = kbstore.BUCKET_CAP
    if cap is not None:
        kbstore.BUCKET_CAP = cap
    try:
        with tempfile.TemporaryDirectory() as tmp:
            with open_store(Path(tmp) / "kb.db") as store:
                t0, c0 = time.perf_counter(), time.process_time()
                for d in docs:
                    store.add_document(d)
                seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
                links = {r["id"]: r["duplicate_of"] for r in store.document_rows()}
                biggest = store._conn.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM doc_lsh GROUP BY key) b").fetchone()[0]
    finally:
        kbstore.BUCKET_CAP = saved
    return {"documents": len(docs), "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "docs_per_second": round(len(docs) / seconds),
            "near_duplicates": sum(1 for v in links.values() if v), "largest_bucket": biggest, "links": links}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--uncapped", action="store_true", help="also store with uncapped buckets (quadratic)")
    ap.add_argument("--real", action="store_true", help="compare capped and uncapped links on the real corpora")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = {}
    if args.real:
        docs = real_with_copies()
        capped, uncapped = store_all(docs), store_all(docs, cap=10**9)
        out["real"] = {
            "documents": len(docs),
            "near_duplicates": capped["near_duplicates"],
            "near_duplicates_uncapped": uncapped["near_duplicates"],
            "links_equal": capped["links"] == uncapped["links"],
            "largest_bucket": capped["largest_bucket"], "largest_bucket_uncapped": uncapped["largest_bucket"],
        }
    else:
        t0 = time.perf_counter()
        docs = generated(args.docs)
        made = time.perf_counter() - t0
        run = store_all(docs)
        run.pop("links")
        out["generated"] = {**run, "make_seconds_not_timed": round(made, 1)}
        if args.uncapped:
            old = store_all(docs, cap=10**9)
            old.pop("links")
            out["generated_uncapped"] = old
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
