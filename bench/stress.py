"""Stress: huge and awkward inputs at full size, with peak memory and time.

Cases (each ingested into a fresh store by a fresh child process, one annotation
process, so the child's peak RSS is the whole cost):

* ``oneline50``: a 50 MB text file that is one line (real sentences from
  ../shared/seeds, repeated, joined by spaces). Target: peak RSS under 1 GB.
* ``para1m``: a 1 MB article that is one paragraph.
* ``ladder``: one-paragraph articles of 125, 250 and 500 kB: time per MB should
  stay flat (linear time), and peak RSS should not grow with the size.

Reference in the same run: the child also times spaCy alone (the base pipeline,
``nlp.pipe`` over the same text cut in the same chunks) on the ``para1m`` text
and reports storyline's annotation time as a ratio to it.

    .venv/bin/python bench/stress.py            # every case (about 5 minutes on 2 cores)
    .venv/bin/python bench/stress.py --quick    # 5 MB and 250 kB instead (under a minute)
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def _sentences() -> str:
    """One line of real article sentences (the seeds), or a stand-in when they are absent."""
    if SEEDS.is_dir():
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    else:
        text = "The port authority said on Monday that the strike had cost 4 million euros a day. " * 50
    return re.sub(r"\s+", " ", text).strip()


def make_file(path: Path, size: int) -> Path:
    """A one-line (one-paragraph) text file of ``size`` bytes."""
    unit = _sentences().encode("utf-8")
    with open(path, "wb") as fp:
        written = 0
        while written < size:
            piece = unit[: size - written]
            fp.write(piece)
            written += len(piece)
            if written < size:
                fp.write(b" ")
                written += 1
    # a cut in the middle of a UTF-8 sequence would be an invalid byte: end on a clean character
    data = path.read_bytes().decode("utf-8", "ignore").encode("utf-8")
    path.write_bytes(data)
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(path: Path, db: Path, reference: bool) -> dict:
    """In the child: read+store, annotate, resolve ``path`` into ``db``, with times and peak RSS."""
    from storyline.config import Settings
    from storyline.kb import open_store
    from storyline.readers import read_paths
    from storyline.run import local

    settings = Settings()
    out: dict = {"bytes": path.stat().st_size}
    t = time.perf_counter()
    with open_store(db, settings) as store:
        for item in read_paths([str(path)], settings):
            if hasattr(item, "code"):
                out["failed"] = f"[{item.code}] {item.reason}"
                continue
            store.add_document(item)
            out["chars"] = len(item.text)
            out["repairs"] = list(item.repairs)
            del item
        out["read_store_s"] = round(time.perf_counter() - t, 2)
        out["rss_after_store_mb"] = round(_rss_mb())
        t = time.perf_counter()
        out["annotated"] = local.reannotate(store, settings, workers=1)
        out["annotate_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        local.reresolve(store, settings)
        out["resolve_s"] = round(time.perf_counter() - t, 2)
        out["entities"] = store.stats()["entities"]
    out["total_s"] = round(out["read_store_s"] + out["annotate_s"] + out["resolve_s"], 2)
    out["annotated_chars"] = min(out.get("chars", 0), settings.max_annotate_chars)
    if out["annotated_chars"]:
        out["annotate_s_per_100k_chars"] = round(out["annotate_s"] / out["annotated_chars"] * 100_000, 2)
    if reference:
        out.update(_spacy_alone(path, settings, out["annotate_s"]))
    out["peak_rss_mb"] = round(_rss_mb())
    return out


def _spacy_alone(path: Path, settings, ours: float) -> dict:
    """spaCy's base pipeline alone over the same chunks (the same-run reference)."""
    from storyline.nlp import chunk_bounds
    from storyline.nlp.build import load_base

    text = path.read_text(encoding="utf-8")
    base = load_base(settings)
    pieces = [text[s:e] for s, e in chunk_bounds(text, settings.max_chars, settings.max_annotate_chars)]
    t = time.perf_counter()
    for _ in base.pipe(pieces, batch_size=1):
        pass
    alone = time.perf_counter() - t
    return {"spacy_alone_s": round(alone, 2), "ratio_to_spacy": round(ours / alone, 2) if alone else None}


def _child(case: str, path: Path, reference: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--db", str(Path(tmp) / "kb.db")]
            + (["--reference"] if reference else []),
            capture_output=True, text=True,
        )
    if proc.returncode != 0:
        return {"case": case, "error": proc.stderr[-2000:]}
    return {"case": case, **json.loads(proc.stdout.strip().splitlines()[-1])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (5 MB one line, 250 kB paragraph)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.db, args.reference)))
        return
    big, para = (5_000_000, 250_000) if args.quick else (50_000_000, 1_000_000)
    ladder = (62_500, 125_000) if args.quick else (125_000, 250_000, 500_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        rows.append(_child(f"oneline{big // 1_000_000}MB", make_file(tmpdir / "oneline.txt", big), False))
        print(json.dumps(rows[-1]), flush=True)
        rows.append(_child(f"para{para // 1000}kB", make_file(tmpdir / "para.txt", para), True))
        print(json.dumps(rows[-1]), flush=True)
        for size in ladder:
            rows.append(_child(f"para{size // 1000}kB", make_file(tmpdir / f"p{size}.txt", size), False))
            print(json.dumps(rows[-1]), flush=True)
    print()
    print(f"{'case':<14}{'MB':>7}{'read+store s':>14}{'annotate s':>12}{'resolve s':>11}{'peak RSS MB':>13}")
    for r in rows:
        if "error" in r:
            print(f"{r['case']:<14} ERROR {r['error'][-300:]}")
            continue
        print(f"{r['case']:<14}{r['bytes'] / 1e6:>7.2f}{r['read_store_s']:>14}{r['annotate_s']:>12}"
              f"{r['resolve_s']:>11}{r['peak_rss_mb']:>13}")
    first = rows[0]
    if "peak_rss_mb" in first:
        verdict = "PASS" if first["peak_rss_mb"] < 1024 else "FAIL"
        print(f"\n{first['case']}: peak RSS {first['peak_rss_mb']} MB (target < 1024 MB): {verdict}")
    per = [r["annotate_s_per_100k_chars"] for r in rows[1:] if "annotate_s_per_100k_chars" in r]
    if per:
        print(f"annotation seconds per 100k characters across sizes: {per} (flat = linear time)")
    ref = rows[1]
    if "ratio_to_spacy" in ref:
        print(f"{ref['case']}: storyline annotation {ref['annotate_s']} s vs spaCy alone {ref['spacy_alone_s']} s "
              f"(ratio {ref['ratio_to_spacy']})")


if __name__ == "__main__":
    main()
