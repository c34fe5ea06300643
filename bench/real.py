"""Accuracy on real, human-annotated news: ``../shared/realdata`` through the CLI, with pinned floors.

Runs storyline the way a user does (``storyline ingest FILE.jsonl``, then ``storyline export``) on the
development parts of public datasets, and scores the exports with the datasets' own scorer
(``../shared/realdata/realbench.py``) and with our independent gold on the same articles
(``bench/realgold.py``, ``bench/gold/real/``):

- ``tempeval3``: time expressions (value F1, relaxed span F1), and our events gold on 30 of its
  articles (trigger, class, roles, modality, date);
- ``polnear``: attributions (quote span F1, speaker accuracy);
- ``conll2003``: named entities (exact-span F1);
- ``ecbplus``: one ingest of the ECB+ train and dev topics, scored for stories (B-cubed), events
  (``headline_recall``, ``mention_p``, cross-document ``coref_b3_f1``), and our conflicts and
  people gold; ``ecbstory``: each story's headline event, corroboration precision and conflicts that
  mix two incidents;
- ``newswcl50``: five outlets on each of ten political stories (story B-cubed);
- ``figures``: our figures gold on thirteen PolNeAR and ECB+ articles, three of them held out (strict
  accuracy: value, unit and what the figure counts).

    python bench/real.py                     # every dataset, print the table
    python bench/real.py --only ecbplus      # one dataset
    python bench/real.py --limit 40          # the first 40 records of each (a quick look)
    python bench/real.py --check             # exit 1 when a full run is below a floor
    python bench/real.py --json              # machine-readable

Floors are the ``real.*`` keys of ``bench/floors.json`` and apply to full runs only. The data is
absent from a clone without ``../shared``: then this says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REALDATA = (ROOT / ".." / "shared" / "realdata").resolve()
FLOORS = HERE / "floors.json"
DATASETS = ("tempeval3", "polnear", "conll2003", "ecbplus", "newswcl50", "figures")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _storyline() -> str:
    exe = os.environ.get("STORYLINE")
    if exe:
        return exe
    local = ROOT / ".venv" / "bin" / "storyline"
    return str(local) if local.exists() else "storyline"


def _run(realbench, folder: str, make, limit: int | None, after=None) -> tuple[list, dict | None, float]:
    """Ingest and export ``folder``'s records; ``after(db, export)`` runs while the store still exists."""
    docs, records = make(realbench.load(folder), limit)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        exp = realbench.run_project(records, tmp)
        secs = time.perf_counter() - started
        if after is not None and exp is not None:
            after(Path(tmp) / "kb.db", exp)
    return docs, exp, secs


def _briefs(briefgold, name: str, into: dict):
    """``after`` for _run: our brief gold (issue 18) scored on the briefs of this dataset's stories."""

    def score(db: Path, exp: dict) -> None:
        into["brief_gold"] = briefgold.score_briefs(exp, briefgold.cli_brief_of(db), only=name)

    return score


def evaluate(only: list[str] | None = None, limit: int | None = None) -> dict:
    """Scores per dataset (a nested dict of floats), each with the seconds its run took."""
    realbench = _load("realbench", REALDATA / "realbench.py")
    realgold = _load("realgold", HERE / "realgold.py")
    briefgold = _load("briefgold", HERE / "briefgold.py")
    os.environ.setdefault("STORYLINE", _storyline())
    out: dict = {}
    for name in only or DATASETS:
        if name == "figures":  # our figures gold: its PolNeAR and ECB+ articles, ingested alone
            records = realgold.figures_records()[:limit]
            started = time.perf_counter()
            with tempfile.TemporaryDirectory() as tmp:
                exp = realbench.run_project(records, tmp)
            out["figures"] = {"figures_gold": realgold.score_figures(exp), "seconds": time.perf_counter() - started}
        elif name == "ecbplus":
            extra: dict = {}
            docs, exp, secs = _run(realbench, "ecbplus", realbench.ecb_records, limit,
                                   after=_briefs(briefgold, "ecbplus", extra) if limit is None else None)
            out["ecbplus"] = {
                **extra,
                "labels": briefgold.score_labels(exp or {}),
                "stories": realbench.score_clusters(docs, exp),
                "events": realbench.score_ecbevents(docs, exp),
                "story": realbench.score_ecbstory(docs, exp),
                "seconds": secs,
            }
            if limit is None:
                out["ecbplus"]["conflicts_gold"] = realgold.score_conflicts(exp)
                out["ecbplus"]["conflicts_v2"] = realgold.score_conflicts_v2(exp, "ecbplus")
                out["ecbplus"]["people_gold"] = realgold.score_people(exp)
            # a conflict between two incidents is a false alarm: pinned as a ceiling (issue 17)
            out["ecbplus"]["story"]["cross_incident_false_alarms"] = out["ecbplus"]["story"].get("conflicts_cross_incident", 0)
        else:
            folder, make, score = realbench.DATASETS[name]
            extra = {}
            brief = _briefs(briefgold, name, extra) if name == "newswcl50" and limit is None else None
            docs, exp, secs = _run(realbench, folder, make, limit, after=brief)
            out[name] = {"scores": score(docs, exp), "seconds": secs, **extra}
            if name == "tempeval3" and limit is None:
                out[name]["events_gold"] = realgold.score_events(exp)
            if name == "newswcl50" and limit is None:
                out[name]["conflicts_v2"] = realgold.score_conflicts_v2(exp, "newswcl50")
    return out


def check(results: dict, floors: dict) -> list[str]:
    """Metrics below their floor (above it, a ceiling, for counts of false alarms and confidently wrong
    dates): ``bench/accuracy.py``'s check over ``{"real": results}``."""
    return _load("bench_accuracy", HERE / "accuracy.py").check({"real": results}, floors)


def flatten(results: dict) -> dict:
    return _load("bench_accuracy", HERE / "accuracy.py").flatten({"real": results})


def floors(prefix: str = "real.") -> dict[str, float]:
    return {k: v for k, v in json.loads(FLOORS.read_text()).items() if k.startswith(prefix)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=DATASETS, help="run only this dataset (repeatable)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records of each dataset")
    ap.add_argument("--check", action="store_true", help="exit 1 when a full run is below a pinned floor")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    if not (REALDATA / "realbench.py").exists():
        print(f"real.py: {REALDATA} is absent; nothing to measure", file=sys.stderr)
        return 0
    results = evaluate(args.only, args.limit)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        for key, value in flatten(results).items():
            print(f"{key:60s} {value:10.3f}" if isinstance(value, float) else f"{key:60s} {value:10d}")
    if args.check and args.limit is None:
        pinned = {k: v for k, v in floors().items() if k.split(".")[1] in results}
        bad = check(results, pinned)
        for line in bad:
            print("BELOW FLOOR", line, file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
