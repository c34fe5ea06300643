"""Score storyline's briefs against our must-state gold on real stories (issue 18 §1), and count machine
labels in an export (issue 18 §2).

The gold (``bench/gold/real/brief_must_state.jsonl``, see its README section E) lists, for 15 real stories
(the ten five-outlet stories of NewsWCL50 and five ECB+ dev incidents), the facts a one-minute brief must
state, each as the spans of the records that state it (record ids and offsets only).

- ``score_briefs(exp, brief_of)``: each gold story is matched to the exported story holding most of its
  records; ``brief_of(story_id)`` returns that story's brief (``storyline brief STORY --json``). A fact is
  covered when a citation of a brief sentence overlaps one of its spans. ``coverage`` is covered facts over
  all facts (a gold story with no exported story counts its facts as missed); ``coverage_blind_spans`` the
  same over the spans of the blind pass alone (the ECB+ records after the fifth were given spans in a later,
  marked ``"pass": "completion"``); ``lead_coverage`` the same over the lead facts; ``sentences`` and
  ``words`` per brief on average.
- ``score_labels(exp)``: event and story labels that start with "someone", are a bare lemma (one word in
  lower case) or a machine triple ("A — verb — B"); each a count, floor 0.

    python bench/briefgold.py                    # ingest the gold stories' records, brief them, score
    python bench/briefgold.py --keep DIR         # also write each brief (JSON) to DIR for review
    python bench/briefgold.py --long             # score the --long briefs
    python bench/briefgold.py --store S.db       # keep the store (reused next time: brief changes only)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLD_FILE = HERE / "gold" / "real" / "brief_must_state.jsonl"
REALDATA = (ROOT / ".." / "shared" / "realdata").resolve()
FILES = {"newswcl50": "newswcl50.jsonl", "ecbplus": "ecbplus.jsonl"}


def load_gold(path: Path = GOLD_FILE) -> list[dict]:
    return [json.loads(line) for line in open(path) if line.strip()]


def _storyline() -> str:
    exe = os.environ.get("STORYLINE")
    if exe:
        return exe
    local = ROOT / ".venv" / "bin" / "storyline"
    return str(local) if local.exists() else "storyline"


def doc_of_record(exp: dict) -> dict[str, str]:
    """Record id -> exported document id (the JSON-lines reader names each record ``FILE#ID``)."""
    out = {}
    for d in exp.get("documents", []):
        src = d.get("source") or ""
        if "#" in src:
            out[src.rsplit("#", 1)[1]] = d["id"]
        for s in d.get("sources") or ():
            if isinstance(s, str) and "#" in s:
                out.setdefault(s.rsplit("#", 1)[1], d["id"])
    return out


def _records_of(story: dict) -> set[str]:
    return {sp["record"] for f in story["facts"] for sp in f["spans"]}


def match_stories(exp: dict, gold: list[dict]) -> dict[str, str | None]:
    """Gold story -> the exported story holding most of its records (None when none holds any)."""
    doc_of = doc_of_record(exp)
    out = {}
    for g in gold:
        docs = {doc_of.get(r) for r in _records_of(g)} - {None}
        best = max(exp.get("stories", []), key=lambda s: (len(docs & set(s.get("documents", []))), -len(s.get("documents", []))),
                   default=None)
        out[g["story"]] = best["id"] if best and docs & set(best.get("documents", [])) else None
    return out


def _cites(brief: dict) -> list[tuple[str, int, int]]:
    out = []
    for s in brief.get("sentences", []):
        for c in s.get("citations", []):
            m = re.fullmatch(r"(.+):(\d+)-(\d+)", c)
            if m:
                out.append((m[1], int(m[2]), int(m[3])))
    return out


def covered(fact: dict, cites: list[tuple[str, int, int]], doc_of: dict[str, str], blind: bool = False) -> bool:
    """True when a citation overlaps one of the fact's spans (``blind``: only the spans of the first, blind pass)."""
    for sp in fact["spans"]:
        if blind and sp.get("pass") == "completion":
            continue
        doc = doc_of.get(sp["record"])
        if doc and any(d == doc and a < sp["end"] and sp["start"] < b for d, a, b in cites):
            return True
    return False


def score_briefs(exp: dict, brief_of, gold: list[dict] | None = None, only: str | None = None) -> dict:
    """Coverage of the must-state facts by the briefs of the matched stories (``only``: one dataset)."""
    gold = [g for g in (gold or load_gold()) if only is None or g["dataset"] == only]
    doc_of = doc_of_record(exp)
    matched = match_stories(exp, gold)
    n = hit = leads = lead_hit = blind_hit = 0
    sentences = words = briefs = 0
    kinds: Counter = Counter()
    kinds_hit: Counter = Counter()
    for g in gold:
        sid = matched[g["story"]]
        brief = brief_of(sid) if sid else {}
        cites = _cites(brief)
        if sid:
            briefs += 1
            sentences += len(brief.get("sentences", []))
            words += sum(len(re.sub(r"\[[^\]]*\]", "", s["text"]).split()) for s in brief.get("sentences", []))
        for f in g["facts"]:
            ok = covered(f, cites, doc_of)
            n += 1
            hit += ok
            blind_hit += covered(f, cites, doc_of, blind=True)
            kinds[f["kind"]] += 1
            kinds_hit[f["kind"]] += ok
            if f["kind"] == "lead":
                leads += 1
                lead_hit += ok
    out = {
        "coverage": hit / n if n else 0.0,
        "coverage_blind_spans": blind_hit / n if n else 0.0,
        "lead_coverage": lead_hit / leads if leads else 0.0,
        "facts": n,
        "stories": len(gold),
        "stories_matched": sum(1 for v in matched.values() if v),
        "sentences_per_brief": sentences / briefs if briefs else 0.0,
        "words_per_brief": words / briefs if briefs else 0.0,
    }
    for k in sorted(kinds):
        out[f"coverage_{k}"] = kinds_hit[k] / kinds[k]
    return out


def label_problems(label: str | None) -> set[str]:
    """What is wrong with a label as words a person would write: someone, bare (a lone lemma), triple."""
    text = " ".join((label or "").split())
    out = set()
    if not text:
        return {"empty"}
    if text.lower().startswith("someone"):
        out.add("someone")
    if len(text.split()) == 1 and text.islower():
        out.add("bare")
    if " — " in text:  # the extraction's "actor — verb — target"
        out.add("triple")
    return out


def score_labels(exp: dict) -> dict:
    """Counts of event and story labels starting with "someone", bare lemmas and machine triples."""
    counts: Counter = Counter()
    for kind, items in (("event", exp.get("events", [])), ("story", exp.get("stories", []))):
        for it in items:
            for p in label_problems(it.get("label")):
                counts[f"{kind}_labels_{p}"] += 1
        counts[f"{kind}_labels"] += len(items)
    out = {k: counts.get(k, 0) for k in ("event_labels_someone", "event_labels_bare", "event_labels_triple",
                                          "story_labels_someone", "story_labels_bare", "story_labels_triple")}
    out["labels_someone_or_bare"] = (out["event_labels_someone"] + out["event_labels_bare"]
                                     + out["story_labels_someone"] + out["story_labels_bare"])
    out["labels"] = counts["event_labels"] + counts["story_labels"]
    return out


def cli_brief_of(db: Path | str, long: bool = False, keep: Path | None = None):
    """``brief_of`` through the CLI (as a user runs it): ``storyline brief STORY --json --db DB``."""
    exe = _storyline()

    def brief_of(story_id: str) -> dict:
        cmd = [exe, "brief", story_id, "--db", str(db), "--json"] + (["--long"] if long else [])
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            sys.stderr.write(f"{' '.join(cmd)} -> {p.returncode}\n{p.stderr[-1000:]}\n")
            return {}
        out = json.loads(p.stdout)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{story_id}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
        return out

    return brief_of


def gold_records(gold: list[dict] | None = None, data: Path = REALDATA) -> list[dict]:
    """The records of the gold stories' clusters (all of each cluster), as realbench passes them."""
    gold = gold or load_gold()
    want: dict[str, set[str]] = {}
    for g in gold:
        want.setdefault(g["dataset"], set()).add(g["cluster"])
    out = []
    for ds, clusters in want.items():
        for line in open(data / FILES[ds]):
            r = json.loads(line)
            if r.get("cluster") in clusters and (ds != "ecbplus" or r.get("split") == "dev"):
                out.append({"id": r["id"], "title": None, "text": r["text"], "published": r.get("date"),
                            **({"url": r["url"]} if ds == "newswcl50" and r.get("url") else {})})
    return out


def run(long: bool = False, keep: Path | None = None, store: Path | None = None) -> dict:
    """Ingest the gold stories' records into a new store (or reuse ``store`` when it exists), export,
    brief each matched story, score."""
    exe = _storyline()
    with tempfile.TemporaryDirectory() as tmp:
        src, db, out = Path(tmp) / "input.jsonl", Path(store or Path(tmp) / "kb.db"), Path(tmp) / "export.json"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_records()))
        cmds = [[exe, "export", "--db", str(db), "--format", "json", "-o", str(out)]]
        if not db.exists():
            cmds.insert(0, [exe, "ingest", str(src), "--db", str(db)])
        for cmd in cmds:
            subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=3600)
        exp = json.loads(out.read_text())
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / "matched.json").write_text(json.dumps(match_stories(exp, load_gold()), indent=2))
        return {"briefs": score_briefs(exp, cli_brief_of(db, long=long, keep=keep)), "labels": score_labels(exp)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--long", action="store_true", help="score the --long briefs")
    ap.add_argument("--keep", type=Path, default=None, help="write each brief (JSON) to this folder")
    ap.add_argument("--store", type=Path, default=None,
                    help="keep the store in this file and reuse it when it exists (to score brief changes only)")
    args = ap.parse_args(argv)
    if not (REALDATA / FILES["newswcl50"]).exists():
        print(f"briefgold.py: {REALDATA} is absent; nothing to measure", file=sys.stderr)
        return 0
    res = run(long=args.long, keep=args.keep, store=args.store)
    for part, values in res.items():
        for k, v in values.items():
            print(f"{part}.{k:40s} {v:10.3f}" if isinstance(v, float) else f"{part}.{k:40s} {v:10d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
