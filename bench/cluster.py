"""The local engine against Ray with 1 and 2 workers on one generated corpus, and a projection.

Generates N news-like articles (stories of ~20 articles: people, places,
organisations, a quote, a figure, a dated meeting; ~160 words each) as text
files, then ingests the same files three times into fresh SQLite stores:
the local engine (one process), Ray Data with 1 annotation actor and with 2.
For each run it reports words per second through reading and annotation, the
time of the resolution step, and the peak resident memory of each annotating
process (the local process; each Ray actor, sampled from /proc). It checks
that the three stores are equal, then projects from the measured per-document
costs the time and machines needed for 10 million articles.

    python bench/cluster.py                  # 20,000 documents (hours on 2 cores)
    python bench/cluster.py --docs 400       # a quick run
    python bench/cluster.py --docs 400 --json

Needs the ray extra (pip install -e '.[ray]'); without it only the local
engine runs and the projection uses its numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

FIRST = "Ana Ben Carla Dev Eli Femi Gus Hana Ivo Jun Kai Lea Milo Nia Omar Pia Quin Rosa Sami Tia".split()
LAST = "Barek Corvin Dalton Fenwick Gorsky Halloran Jorvik Kellerman Lundqvist Morrow Norland Pellerin".split()
PLACES = ["Aldmere", "Brisk", "Corvale", "Dunhaven", "Estrel", "Fallow", "Gadsby", "Harlow"]
ORGS = ["Port Authority", "Transport Ministry", "Harbour Union", "City Council", "Grain Board", "Rail Guild"]
TOPICS = ["the dock strike", "the grain tariff", "the rail closure", "the flood barrier", "the port lease"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
FILLER = (
    "Officials said the talks would continue through the week, and several delegations asked for more time "
    "to study the proposals before any vote. Local businesses reported that deliveries had slowed, while "
    "residents described long queues at the main crossing. Analysts noted that similar disputes in the region "
    "had taken months to settle, and that the outcome would depend on funding promised by the national "
    "government. The committee is expected to publish its findings after the next session."
)


def article(i: int, rng: random.Random) -> str:
    story = i // 20
    srng = random.Random(story)
    people = [f"{srng.choice(FIRST)} {srng.choice(LAST)}" for _ in range(3)]
    org, place, topic = srng.choice(ORGS), srng.choice(PLACES), srng.choice(TOPICS)
    month, day = srng.choice(MONTHS), srng.randint(1, 27)
    who = rng.choice(people)
    n = rng.randint(2, 90)
    return (
        f"{org} and unions meet over {topic} in {place}\n\n"
        f"{place}, {month} {day + 1}, 2025. {people[0]}, head of the {org}, met {people[1]} in {place} on "
        f"{month} {day} to discuss {topic}. \"We will not accept a deal that leaves workers behind,\" {who} said "
        f"after the meeting. The {org} put the cost at {n} million dollars, up {rng.randint(2, 40)}% on last year. "
        f"{people[2]} said the {org} would respond by the end of the month. " + FILLER + "\n"
    )


def write_corpus(root: Path, n: int) -> int:
    rng = random.Random(11)
    words = 0
    for i in range(n):
        text = article(i, rng)
        words += len(text.split())
        (root / f"{i // 1000:03d}").mkdir(exist_ok=True)
        (root / f"{i // 1000:03d}" / f"a{i:06d}.txt").write_text(text, encoding="utf-8")
    return words


class PeakRSS:
    """Peak resident memory (VmHWM) of this process and of every process whose command line holds ``needle``."""

    def __init__(self, needle: str | None):
        self.needle = needle
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _hwm(pid: int) -> int | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            if self.needle is None:
                continue
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
                except OSError:
                    continue
                if self.needle.encode() in cmd:
                    hwm = self._hwm(int(entry))
                    if hwm:
                        self.peaks[int(entry)] = max(self.peaks.get(int(entry), 0), hwm)

    def own(self) -> int:
        return self._hwm(os.getpid()) or 0


def run(engine: str, corpus: Path, db: Path, words: int, workers: int) -> dict:
    from storyline.config import Settings
    from storyline.kb import open_store

    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total) -> None:
        marks.setdefault(stage + "_start", time.perf_counter())
        if stage == "resolve" and done == 1:
            marks["resolve_end"] = time.perf_counter()

    settings = Settings()
    started = time.perf_counter()
    with open_store(db) as store, PeakRSS("MapBatches(Annotator)" if engine == "ray" else None) as mem:
        if engine == "ray":
            from storyline.run.ray import ingest

            report = ingest([str(corpus)], store, settings, num_cpus=workers, workers=workers, progress=progress)
        else:
            from storyline.run import ingest

            report = ingest([str(corpus)], store, settings, workers=1, progress=progress)
        dump = store.dump()
    total = time.perf_counter() - started
    resolve = marks.get("resolve_end", 0) - marks.get("resolve_start", 0)
    annotate_end = marks.get("resolve_start", started + total)
    worker_peaks = sorted(mem.peaks.values()) if engine == "ray" else [mem.own()]
    return {
        "engine": engine if engine == "local" else f"ray x{workers}",
        "documents": report.new,
        "seconds": round(total, 1),
        "read_annotate_seconds": round(annotate_end - started, 1),
        "words_per_second": round(words / (annotate_end - started)),
        "resolve_seconds": round(resolve, 2),
        "peak_rss_mb_per_worker": [round(p / 2**20) for p in worker_peaks],
        "_dump": dump,
    }


def projection(rows: list[dict], n_docs: int, words_per_doc: float, target: int = 10_000_000) -> dict:
    """From the measured runs: time for ``target`` articles on this machine and machines for one day."""
    local = next(r for r in rows if r["engine"] == "local")
    best = max(rows, key=lambda r: r["words_per_second"])
    cpu_seconds_per_doc = (words_per_doc / local["words_per_second"])  # one core's cost per article
    resolve_per_doc = local["resolve_seconds"] / max(1, n_docs)
    annotate_core_hours = target * cpu_seconds_per_doc / 3600
    return {
        "articles": target,
        "measured_core_seconds_per_article": round(cpu_seconds_per_doc, 4),
        "annotation_core_hours": round(annotate_core_hours),
        "annotation_hours_on_this_machine_best_engine": round(target * words_per_doc / best["words_per_second"] / 3600),
        "machines_of_16_cores_for_24h": max(1, round(annotate_core_hours / (16 * 24) + 0.5)),
        "resolution_hours_single_process_linear": round(target * resolve_per_doc / 3600, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        import ray.data  # noqa: F401

        engines = [("local", 1), ("ray", 1), ("ray", 2)]
    except ImportError:
        print("ray is not installed (pip install -e '.[ray]'): local engine only", file=sys.stderr)
        engines = [("local", 1)]
    root = Path(tempfile.mkdtemp(prefix="storyline-cluster-"))
    try:
        corpus = root / "corpus"
        corpus.mkdir()
        words = write_corpus(corpus, args.docs)
        rows = []
        for engine, workers in engines:
            rows.append(run(engine, corpus, root / f"{engine}{workers}.db", words, workers))
            print(f"{rows[-1]['engine']}: {rows[-1]['seconds']}s", file=sys.stderr)
        equal = all(r["_dump"] == rows[0]["_dump"] for r in rows)
        for r in rows:
            del r["_dump"]
        out = {
            "documents": args.docs,
            "words": words,
            "cpus": os.cpu_count(),
            "stores_equal": equal,
            "runs": rows,
            "projection": projection(rows, args.docs, words / args.docs),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{out['documents']} documents, {out['words']:,} words, {out['cpus']} CPUs; stores equal: {equal}")
        for r in rows:
            print(
                f"  {r['engine']:<8} {r['words_per_second']:>6,} words/s  resolve {r['resolve_seconds']:>6}s  "
                f"total {r['seconds']}s  peak RSS per worker {r['peak_rss_mb_per_worker']} MB"
            )
        print("  projection:", json.dumps(out["projection"]))
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
