"""The local engine against Ray with 1 and 2 workers on one generated corpus, and a projection.

Generates N news-like articles (stories of ~20 articles: people, places,
organisations, a quote, a figure, a dated meeting; ~160 words each) as text
files, then ingests the same files three times into fresh SQLite stores, each
run in its own process: the local engine (one process), Ray Data with 1
annotation actor and 1 CPU, and with 2 actors and 2 CPUs (Ray resolves in
tasks: ``storyline.run.ray_resolve``). For each run it reports words per second
through reading and annotation, the time of the resolution step, the peak
resident memory of the driver, of each annotating actor and of each Ray task
worker (sampled from /proc). It checks that the three stores are equal.

With ``--resolve-alone``, then the resolution alone, from scratch on copies of one store
(``resolve --full``'s path), each in its own process: in one process as the local engine
does, and in Ray tasks on 1 and on 2 CPUs, with the seconds of each step and
the peak memory of the driver and of the busiest task worker; the three
resolutions must be equal. Last, a projection from the measured per-document
costs of the time and machines needed for 10 million articles.

    python bench/cluster.py                  # 20,000 documents (about an hour on 2 cores)
    python bench/cluster.py --docs 400 --resolve-alone  # a quick run
    python bench/cluster.py --docs 400 --json

Needs the ray extra (pip install -e '.[ray]'); without it only the local
engine runs and the projection uses its numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import shutil
import subprocess
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
    """Peak resident memory (VmHWM) of this process and of every Ray worker process (command line
    ``ray::...``), each classed as an annotating actor or a task worker by what it was seen running."""

    def __init__(self, watch: bool):
        self.watch = watch
        self.peaks: dict[int, int] = {}
        self.actor: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _hwm(pid: int | str) -> int | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            if not self.watch:
                continue
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
                except OSError:
                    continue
                if cmd.startswith(b"ray::") and not cmd.split(b"\0")[0].endswith(b"Agent"):  # not Ray's own agents
                    pid = int(entry)
                    if b"Annotator" in cmd:
                        self.actor.add(pid)
                    hwm = self._hwm(entry)
                    if hwm:
                        self.peaks[pid] = max(self.peaks.get(pid, 0), hwm)

    def own(self) -> int:
        return self._hwm(os.getpid()) or 0

    def workers(self, actors: bool) -> list[int]:
        """Peaks in MB of the annotating actors (``actors``) or of the other Ray workers."""
        return sorted(round(v / 2**20) for p, v in self.peaks.items() if (p in self.actor) == actors)


def run(engine: str, corpus: Path, db: Path, words: int, workers: int) -> dict:
    """One ingest (call it in a process of its own: peaks are per process)."""
    from storyline.config import Settings
    from storyline.kb import open_store

    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total) -> None:
        marks.setdefault(stage + "_start", time.perf_counter())
        if stage == "resolve" and done == 1:
            marks.setdefault("resolve_end", time.perf_counter())  # the first: Ray stops before the last stage

    settings = Settings()
    started = time.perf_counter()
    with open_store(db) as store, PeakRSS(engine == "ray") as mem:
        if engine == "ray":
            from storyline.run.ray import ingest

            report = ingest([str(corpus)], store, settings, num_cpus=workers, workers=workers, progress=progress)
        else:
            from storyline.run import ingest

            report = ingest([str(corpus)], store, settings, workers=1, progress=progress)
    total = time.perf_counter() - started
    resolve = marks.get("resolve_end", 0) - marks.get("resolve_start", 0)
    annotate_end = marks.get("resolve_start", started + total)
    return {
        "engine": engine if engine == "local" else f"ray x{workers}",
        "documents": report.new,
        "seconds": round(total, 1),
        "read_annotate_seconds": round(annotate_end - started, 1),
        "words_per_second": round(words / (annotate_end - started)),
        "resolve_seconds": round(resolve, 2),
        "peak_rss_mb_driver": round(mem.own() / 2**20),
        "peak_rss_mb_per_annotating_actor": mem.workers(actors=True),
        "peak_rss_mb_per_task_worker": mem.workers(actors=False),
    }


def resolve_only(db: Path, engine: str, cpus: int) -> dict:
    """A full resolution of the store at ``db`` (call it in a process of its own), in this
    process (``local``) or in Ray tasks on ``cpus`` CPUs; its seconds, steps and peaks."""
    from storyline.config import Settings
    from storyline.kb import open_store
    from storyline.run.incremental import resolve_store

    settings = Settings()
    steps: dict = {}
    with open_store(db) as store, PeakRSS(engine == "ray") as mem:
        started = time.perf_counter()
        if engine == "ray":
            import ray

            from storyline.run.ray_resolve import ray_resolver

            ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
            try:
                ready = time.perf_counter()
                parts = ray_resolver(ray, shares_disk=True)
                resolve_store(store, settings, full=True, resolver=lambda st, se: parts(st, se, steps))
            finally:
                ray.shutdown()
        else:
            ready = started
            resolve_store(store, settings, full=True)
        seconds = time.perf_counter() - ready
        res = store.resolution()
    return {
        "engine": engine if engine == "local" else f"ray, {cpus} CPU{'s' if cpus > 1 else ''}",
        "seconds": round(seconds, 1),
        "ray_start_seconds": round(ready - started, 1),
        "steps": steps,
        "peak_rss_mb_driver": round(mem.own() / 2**20),
        "peak_rss_mb_per_task_worker": mem.workers(actors=False),
        "items": {k: len(getattr(res, k)) for k in ("entities", "events", "stories", "conflicts", "support")},
        "_res": res,
    }


def _child(args: list[str]) -> dict:
    """Run this script with ``args`` in a fresh process; its JSON answer."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def projection(rows: list[dict], resolves: list[dict], n_docs: int, words_per_doc: float, target: int = 10_000_000) -> dict:
    """From the measured runs: time for ``target`` articles on this machine and machines for one day."""
    local = next(r for r in rows if r["engine"] == "local")
    best = max(rows, key=lambda r: r["words_per_second"])
    cpu_seconds_per_doc = (words_per_doc / local["words_per_second"])  # one core's cost per article
    annotate_core_hours = target * cpu_seconds_per_doc / 3600
    out = {
        "articles": target,
        "measured_core_seconds_per_article": round(cpu_seconds_per_doc, 4),
        "annotation_core_hours": round(annotate_core_hours),
        "annotation_hours_on_this_machine_best_engine": round(target * words_per_doc / best["words_per_second"] / 3600),
        "machines_of_16_cores_for_24h": max(1, round(annotate_core_hours / (16 * 24) + 0.5)),
    }
    # the resolution step: alone when measured so, else inside the ingest runs
    local_res = next((r["seconds"] for r in resolves if r["engine"] == "local"), local["resolve_seconds"])
    out["resolution_hours_single_process_linear"] = round(target * local_res / n_docs / 3600, 1)
    ray1 = next((r["seconds"] for r in resolves if r["engine"].startswith("ray, 1 ")), None)
    ray1 = ray1 or next((r["resolve_seconds"] for r in rows if r["engine"] == "ray x1"), None)
    if ray1:  # core-seconds of the partitioned resolution, spread over the cluster's cores
        core_hours = target * ray1 / n_docs / 3600
        out["partitioned_resolution_core_hours_linear"] = round(core_hours, 1)
        out["partitioned_resolution_hours_on_10_machines_of_16_cores"] = round(core_hours / 160, 2)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--resolve-alone", action="store_true", help="also time full resolutions alone (local, Ray 1 and 2 CPUs)")
    ap.add_argument("--one", nargs=5, metavar=("ENGINE", "WORKERS", "CORPUS", "DB", "WORDS"), help=argparse.SUPPRESS)
    ap.add_argument("--resolve", nargs=3, metavar=("DB", "ENGINE", "CPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # a child: one ingest
        engine, workers, corpus, db, words = args.one
        print(json.dumps(run(engine, Path(corpus), Path(db), int(words), int(workers))))
        return 0
    if args.resolve:  # a child: one resolution, saved next to the store for comparison
        db, engine, cpus = args.resolve
        out = resolve_only(Path(db), engine, int(cpus))
        Path(db + ".res").write_bytes(pickle.dumps(out.pop("_res")))
        print(json.dumps(out))
        return 0
    try:
        import ray.data  # noqa: F401

        engines = [("local", 1), ("ray", 1), ("ray", 2)]
        resolvers = [("local", 1), ("ray", 1), ("ray", 2)]
    except ImportError:
        print("ray is not installed (pip install -e '.[ray]'): local engine only", file=sys.stderr)
        engines = [("local", 1)]
        resolvers = [("local", 1)]
    if not args.resolve_alone:
        resolvers = []
    root = Path(tempfile.mkdtemp(prefix="storyline-cluster-"))
    try:
        corpus = root / "corpus"
        corpus.mkdir()
        words = write_corpus(corpus, args.docs)
        rows = []
        for engine, workers in engines:
            db = root / f"{engine}{workers}.db"
            rows.append(_child(["--one", engine, str(workers), str(corpus), str(db), str(words)]) | {"_db": db})
            print(f"{rows[-1]['engine']}: {rows[-1]['seconds']}s", file=sys.stderr)
        from storyline.kb import open_store

        dumps = []
        for r in rows:
            with open_store(r.pop("_db")) as store:
                dumps.append(store.dump())
        equal = all(d == dumps[0] for d in dumps)
        del dumps
        resolves = []
        for engine, cpus in resolvers:
            copy = root / f"resolve-{engine}{cpus}.db"
            shutil.copyfile(root / "local1.db", copy)
            resolves.append(_child(["--resolve", str(copy), engine, str(cpus)]))
            resolves[-1]["_res"] = pickle.loads(Path(str(copy) + ".res").read_bytes())
            print(f"resolve {resolves[-1]['engine']}: {resolves[-1]['seconds']}s", file=sys.stderr)
        resolutions_equal = all(r["_res"] == resolves[0]["_res"] for r in resolves)
        for r in resolves:
            del r["_res"]
        out = {
            "documents": args.docs,
            "words": words,
            "cpus": os.cpu_count(),
            "stores_equal": equal,
            "runs": rows,
            "resolutions_equal": resolutions_equal,
            "resolutions": resolves,
            "projection": projection(rows, resolves, args.docs, words / args.docs),
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
                f"total {r['seconds']}s  peak RSS driver {r['peak_rss_mb_driver']} MB, annotating actors "
                f"{r['peak_rss_mb_per_annotating_actor']} MB, task workers {r['peak_rss_mb_per_task_worker']} MB"
            )
        if resolves:
            print(f"  full resolution alone; equal: {resolutions_equal}")
        for r in resolves:
            print(
                f"  {r['engine']:<12} {r['seconds']:>7}s  steps {r['steps']}  peak RSS driver {r['peak_rss_mb_driver']} MB, "
                f"task workers {r['peak_rss_mb_per_task_worker']} MB"
            )
        print("  projection:", json.dumps(out["projection"]))
    return 0 if equal and resolutions_equal else 1


if __name__ == "__main__":
    sys.exit(main())
