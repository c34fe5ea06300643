"""Publication dates inferred with the date hidden, against the known ones (issue 19 §1: "years from
the best evidence, unknown beats wrong").

Runs the pipeline up to ``storyline_times`` on real articles read without their date or URL, so that
``nlp/pubdate.py`` infers one, and sorts each inferred date by the rule that made it and whether it
holds the known date:

- ``tempeval3``: TempEval-3 dev (TimeBank + AQUAINT), the gold document creation time;
- ``newswcl50``: the date in the article's URL, else April 2018 (all ten events are of that month):
  right when the year is 2018;
- ``ecbplus``: ECB+ train and dev, no gold date: wrong when after 2013 (no ECB+ article is later).

Rules: ``lower`` (a full date in a past-tense clause: published on or after it), ``pin-stated`` (a
weekday and a dated day of one event), ``pin-written`` (the day's year written elsewhere in the
document), ``pin-floor`` (the year near the lower bound), ``pin-guessed`` (the year from the weekday
alone). ``today`` is fixed (2026-12-05) so the guessed years do not move with the clock.

    python bench/pubdate.py                       # all three, the table
    python bench/pubdate.py --only tempeval3 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdata"
TODAY = date(2026, 12, 5)
DATASETS = ("tempeval3", "newswcl50", "ecbplus")


def records(name: str) -> list[dict]:
    rows = [json.loads(line) for line in open(REAL / f"{name}.jsonl", encoding="utf-8")]
    if name == "tempeval3":
        return [dict(r, gold=r["dct"]) for r in rows if r.get("split") in ("timebank", "aquaint")]
    if name == "ecbplus":
        return [dict(r, gold=None) for r in rows if r.get("split") in ("train", "dev")]
    return [dict(r, gold=r.get("date")) for r in rows]


def clues_of(nlp, rec: dict):
    """The clues ``find_times`` builds for ``rec`` read without its date, and the date it had."""
    import storyline.nlp.components.times as times
    from storyline.nlp import run_through
    from storyline.readers import read_bytes

    data = json.dumps({"id": rec["id"], "title": rec.get("title"), "text": rec["text"]}).encode() + b"\n"
    document = read_bytes(data, "record.jsonl")[0]
    seen: dict = {}
    real = times.infer_published

    def spy(clues, today=None):
        seen["clues"] = clues
        return real(clues, today)

    times.infer_published = spy
    try:
        run_through(nlp, document, "storyline_times")
    finally:
        times.infer_published = real
    return seen.get("clues"), document.published


def rule_of(clues, pub) -> str:
    from storyline.nlp import pubdate as P

    if pub.basis != "inferred":
        return pub.basis
    if pub.when.latest is None:
        return "lower"
    bound = P.lower_bound(clues)
    found = P.pins(clues, bound[0] if bound else None, TODAY)
    if any(a.parsed.year is not None for _, _, _, a in found):
        return "pin-stated"
    written = getattr(P, "written_year", None)  # absent before the rule (a before/after run)
    if written is not None and any(written(a.parsed, clues) is not None for _, _, _, a in found):
        return "pin-written"
    return "pin-floor" if bound else "pin-guessed"


def verdict(name: str, gold: str | None, pub) -> str:
    w = pub.when
    if not w.earliest:
        return "unknown"
    lo = date.fromisoformat(w.earliest)
    hi = date.fromisoformat(w.latest) if w.latest else None
    if name == "ecbplus":
        return "wrong-year" if lo.year > 2013 else "plausible"
    if not gold:  # NewsWCL50 without a URL date: April 2018
        if lo.year > 2018 or (hi is not None and hi.year < 2018):
            return "wrong-year"
        return "right-year" if lo.year == 2018 and hi is not None and hi.year == 2018 else "plausible"
    g = date.fromisoformat(gold[:10])
    if lo <= g and (hi is None or g <= hi):
        return "right"
    if lo.year > g.year or (hi is not None and hi.year < g.year):
        return "wrong-year"
    return "wrong-day"


def run(name: str, nlp) -> dict:
    from storyline.nlp.pubdate import infer_published

    table: Counter = Counter()
    wrong = []
    t0 = os.times()
    for rec in records(name):
        clues, given = clues_of(nlp, rec)
        if clues is None:
            pub, rule = given, given.basis
        else:
            pub = infer_published(clues, TODAY)
            rule = rule_of(clues, pub)
        v = verdict(name, rec["gold"], pub)
        table[f"{rule} {v}"] += 1
        if v.startswith("wrong"):
            wrong.append({"id": rec["id"], "rule": rule, "verdict": v, "earliest": pub.when.earliest,
                          "latest": pub.when.latest, "gold": rec["gold"]})
    t1 = os.times()
    return {"dataset": name, "counts": dict(sorted(table.items())), "wrong": wrong,
            "cpu_s": round(t1.user + t1.system - t0.user - t0.system, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=DATASETS)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not REAL.is_dir():
        print(f"{REAL} not present: nothing to measure")
        return 0
    from storyline.config import Settings
    from storyline.nlp.build import build_pipeline

    nlp = build_pipeline(Settings())
    out = [run(name, nlp) for name in args.only or DATASETS]
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for r in out:
        print(f"{r['dataset']} ({r['cpu_s']} CPU s)")
        for k, n in r["counts"].items():
            print(f"  {k:28} {n}")
        for w in r["wrong"]:
            print(f"  wrong: {w['id']} {w['rule']} {w['earliest']}..{w['latest']} (known {w['gold']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
