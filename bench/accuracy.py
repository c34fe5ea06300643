"""Accuracy against our own gold, per item type, with floors pinned in CI.

Gold lives in ``bench/gold/`` (JSON lines, one item per line, annotated by hand
on the five seed articles in ``../shared/seeds`` and on our own second example
story in ``bench/corpus/story2``). Every gold item names its document by file
name and its evidence by exact text (``n``-th occurrence), so gold survives
changes to offsets.

    python bench/accuracy.py                 # print the table
    python bench/accuracy.py --json          # machine-readable
    python bench/accuracy.py --check         # exit 1 when a metric is below its floor (bench/floors.json)

Matching: a predicted item matches a gold item in the same document when their
spans overlap; it is *correct* when the checked attribute agrees too (time
value, quote speaker, figure value and unit, event type). Precision = correct /
predicted in the gold documents; recall = correct / gold.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from storyline.lexicon.plover import PLOVER_TYPES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLD = HERE / "gold"
SEEDS = ROOT.parent / "shared" / "seeds"
STORY2 = HERE / "corpus" / "story2"
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"
FLOORS = HERE / "floors.json"


# ------------------------------------------------------------------ helpers


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).lower().strip()


def doc_key(source: str) -> str:
    """How gold names a document: the file's base name, plus ``#record`` inside multi-record files."""
    path, _, record = source.partition("#")
    return Path(path).name + (f"#{record}" if record else "")


def load_jsonl(name: str) -> list[dict]:
    path = GOLD / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def locate(text: str, sub: str, n: int = 1) -> tuple[int, int] | None:
    start = -1
    for _ in range(max(1, n)):
        start = text.find(sub, start + 1)
        if start < 0:
            return None
    return start, start + len(sub)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prf(correct: int, predicted: int, gold: int) -> dict:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "correct": correct, "predicted": predicted, "gold": gold}


def build_export(paths: list[Path]) -> dict:
    """Ingest ``paths`` with the real pipeline into an in-memory store and export storyline/1."""
    import storyline

    with storyline.open_store(":memory:") as store:
        storyline.ingest([str(p) for p in paths], store)
        return storyline.export_json(store)


class Corpus:
    """An export with lookups by file name."""

    def __init__(self, export: dict):
        self.x = export
        self.by_name: dict[str, dict] = {}
        for d in export["documents"]:
            self.by_name.setdefault(doc_key(d["source"]), d)
            self.by_name.setdefault(Path(d["source"].partition("#")[0]).name, d)
        self.entity_name = {e["id"]: e["name"] for e in export["entities"]}
        self.entity_names = {e["id"]: {norm(e["name"]), *map(norm, e.get("aliases", []))} for e in export["entities"]}

    def doc(self, name: str) -> dict | None:
        return self.by_name.get(name)

    def items(self, kind: str, doc_id: str) -> list[dict]:
        return [i for i in self.x[kind] if i["doc"] == doc_id]

    def speaker_is(self, entity_id: str | None, gold_name: str | None) -> bool:
        if gold_name is None:
            return entity_id is None
        if entity_id is None:
            return False
        names = self.entity_names.get(entity_id, set())
        g = norm(gold_name)
        if g in names:
            return True
        # "State Department" is "U.S. State Department": a multi-word gold name ending a predicted one
        if " " in g and any(n.endswith(" " + g) for n in names):
            return True
        # an entity known only by a surname matches on it; a different full name never does
        # (two Branns or two Okafors must not count as the same speaker)
        return bool(names) and all(" " not in n for n in names) and g.split()[-1] in names


def _score(corpus: Corpus, gold: list[dict], kind: str, correct_fn) -> dict:
    by_doc = defaultdict(list)
    for g in gold:
        by_doc[g["doc"]].append(g)
    correct = predicted = total = 0
    missing_docs = []
    for name, items in by_doc.items():
        d = corpus.doc(name)
        if d is None:
            missing_docs.append(name)
            continue
        preds = corpus.items(kind, d["id"])
        predicted += len(preds)
        used: set[int] = set()
        for g in items:
            total += 1
            loc = locate(d["text"], g["text"], g.get("n", 1))
            if loc is None:
                continue
            for i, p in enumerate(preds):
                if i in used or not overlaps(loc, (p["start"], p["end"])):
                    continue
                if correct_fn(corpus, p, g):
                    used.add(i)
                    correct += 1
                    break
    out = prf(correct, predicted, total)
    if missing_docs:
        out["missing_docs"] = missing_docs
    return out


# ------------------------------------------------------------------ per-document items


_VAGUE = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")  # TIMEX3's values for "now", "recently", "the future"


def eval_times(c: Corpus, gold_dir: str = "") -> dict:
    def ok(c, p, g):
        value = (p["when"] or {}).get("value")
        # the gold marks a vague reference with no value; TIMEX3 (issue 19) names it PRESENT_REF etc.
        return value == g.get("value") or (g.get("value") is None and value in _VAGUE)

    return _score(c, load_jsonl(gold_dir + "times.jsonl"), "times", ok)


def eval_quotes(c: Corpus, gold_dir: str = "") -> dict:
    def ok(c, p, g):
        return c.speaker_is(p.get("speaker"), g.get("speaker"))

    return _score(c, load_jsonl(gold_dir + "quotes.jsonl"), "quotes", ok)


def eval_figures(c: Corpus, gold_dir: str = "") -> dict:
    def ok(c, p, g):
        return abs(float(p["value"]) - float(g["value"])) < 1e-6 * max(1.0, abs(float(g["value"]))) and p["unit"] == g["unit"]

    return _score(c, load_jsonl(gold_dir + "figures.jsonl"), "figures", ok)


# what this gold annotates: PLOVER's political classes and statements, told as done or planned (the
# real-news events gold in bench/gold/real covers every reportable happening: bench/real.py)
GOLD_SCOPE = frozenset(PLOVER_TYPES)
SCOPE_MODALITIES = frozenset({"asserted", "planned", "expected", None})


def eval_events(c: Corpus, gold_dir: str = "") -> dict:
    mentions, seen = [], set()
    for e in c.x["events"]:
        if e["type"] not in GOLD_SCOPE:
            continue
        for m in e["mentions"]:
            if m.get("modality") not in SCOPE_MODALITIES:
                continue
            if e["type"] == "STATEMENT":  # the gold has one statement per speaker and sentence
                key = (m["doc"], m["start"], m["end"], tuple(sorted(p["entity"] for p in e["participants"])))
                if key in seen:
                    continue
                seen.add(key)
            trig = m.get("trigger") or {}
            mentions.append({**m, "type": e["type"], "start": trig.get("start", m["start"]), "end": trig.get("end", m["end"])})
    flat = Corpus({**c.x, "events_flat": mentions})

    def ok(c, p, g):
        return p["type"] == g["type"]

    gold = load_jsonl(gold_dir + "events.jsonl")
    out = _score(flat, gold, "events_flat", ok)

    def dated(c, p, g):
        return p["type"] == g["type"] and (p.get("when") or {}).get("value") == g.get("date")

    out["dated"] = _score(flat, [g for g in gold if g.get("date")], "events_flat", dated)["recall"]
    return out


def eval_published(c: Corpus, gold_dir: str = "") -> dict:
    gold = load_jsonl(gold_dir + "published.jsonl")
    right = 0
    wrong_confident = 0
    for g in gold:
        d = c.doc(g["doc"])
        if d is None:
            continue
        p = d["published"]
        if p["basis"] == g["basis"] and p.get("earliest") == g.get("earliest") and p.get("latest") == g.get("latest"):
            right += 1
        # a confident wrong date: a single day that is not the truth
        if p.get("earliest") and p.get("earliest") == p.get("latest"):
            lo, hi = g.get("earliest"), g.get("latest")
            if (lo and p["earliest"] < lo) or (hi and p["earliest"] > hi):
                wrong_confident += 1
    return {"accuracy": round(right / len(gold), 3) if gold else 0.0, "documents": len(gold), "confident_wrong": wrong_confident}


# ------------------------------------------------------------------ across documents (story2)


def _cluster_of(c: Corpus, kind: str, doc: dict, loc: tuple[int, int]) -> str | None:
    """The predicted item with a mention at ``loc``. Several events share a sentence, so for events:
    a classed event whose trigger is there, else a classed one in the sentence, else any trigger."""
    tiers: list[list[str]] = [[], [], [], []]
    for item in c.x[kind]:
        classed = item.get("type", "OTHER") != "OTHER"
        for m in item["mentions"]:
            if m["doc"] != doc["id"]:
                continue
            trig = m.get("trigger") or {}
            on_trigger = bool(trig) and overlaps(loc, (trig["start"], trig["end"]))
            in_span = overlaps(loc, (m["start"], m["end"]))
            if on_trigger or in_span:
                tiers[(0 if on_trigger else 1) if classed else (2 if on_trigger else 3)].append(item["id"])
    for tier in tiers:
        if tier:
            return tier[0]
    return None


def _pairwise(gold_clusters: list[list[tuple]], c: Corpus, kind: str) -> dict:
    """Pairwise precision/recall of predicted clusters over the gold mentions."""
    labelled = []  # (gold cluster, predicted cluster)
    for gi, mentions in enumerate(gold_clusters):
        for name, text, n in mentions:
            d = c.doc(name)
            loc = locate(d["text"], text, n) if d else None
            pred = _cluster_of(c, kind, d, loc) if loc else None
            labelled.append((gi, pred if pred is not None else f"none{len(labelled)}"))
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in combinations(labelled, 2):
        same_g, same_p = g1 == g2, p1 == p2
        tp += same_g and same_p
        fp += (not same_g) and same_p
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "pairs": tp + fn}


def eval_story2(c: Corpus) -> dict:
    path = GOLD / "story2.json"
    if not path.exists():
        return {}
    gold = json.loads(path.read_text(encoding="utf-8"))
    out: dict = {}
    ents = [[(m["doc"], m["text"], m.get("n", 1)) for m in e["mentions"]] for e in gold.get("entities", [])]
    out["entity_merge"] = _pairwise(ents, c, "entities")
    evs = [[(m["doc"], m["text"], m.get("n", 1)) for m in e["mentions"]] for e in gold.get("events", [])]
    out["event_coref"] = _pairwise(evs, c, "events")
    # story B-cubed over documents
    truth = gold.get("stories", {})
    pred_of = {}
    for s in c.x["stories"]:
        for doc_id in s["documents"]:
            pred_of[doc_id] = s["id"]
    names = [n for n in truth if c.doc(n)]
    ids = {n: c.doc(n)["id"] for n in names}
    ps, rs = [], []
    for n in names:
        same_t = {m for m in names if truth[m] == truth[n]}
        same_p = {m for m in names if pred_of.get(ids[m], "x" + m) == pred_of.get(ids[n], "x" + n)}
        ps.append(len(same_t & same_p) / len(same_p))
        rs.append(len(same_t & same_p) / len(same_t))
    if names:
        p, r = sum(ps) / len(ps), sum(rs) / len(rs)
        out["story_bcubed"] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    # conflicts: found and false alarms
    found = 0
    matched_pred = set()
    for g in gold.get("conflicts", []):
        locs = []
        for cl in g["claims"]:
            d = c.doc(cl["doc"])
            loc = locate(d["text"], cl["text"], cl.get("n", 1)) if d else None
            locs.append((d["id"] if d else None, loc))
        for pc in c.x["conflicts"]:
            if pc["kind"] != g["kind"]:
                continue
            hits = sum(
                any(cl["doc"] == did and loc and overlaps(loc, (cl["start"], cl["end"])) for cl in pc["claims"])
                for did, loc in locs
            )
            if hits >= 2:
                found += 1
                matched_pred.add(pc["id"])
                break
    out["conflicts"] = {
        "gold": len(gold.get("conflicts", [])),
        "found": found,
        "false_alarms": len([pc for pc in c.x["conflicts"] if pc["id"] not in matched_pred]),
    }
    return out


# ------------------------------------------------------------------ driver


def per_document(c: Corpus, gold_dir: str = "") -> dict:
    return {
        "times": eval_times(c, gold_dir),
        "quotes": eval_quotes(c, gold_dir),
        "figures": eval_figures(c, gold_dir),
        "events": eval_events(c, gold_dir),
        "published": eval_published(c, gold_dir),
    }


def evaluate(seeds: Path = SEEDS, story2: Path = STORY2, demo: Path = DEMO) -> dict:
    """Seeds (the user's articles; rules were written while reading them), held-out (our own example
    articles, annotated by someone who did not write the rules) and the cross-document story2 metrics."""
    results: dict = {}
    if seeds.is_dir():
        results["seeds"] = per_document(Corpus(build_export([seeds])))
    s2 = Corpus(build_export([story2])) if story2.is_dir() else None
    if (GOLD / "heldout").is_dir():
        exports = [build_export([demo])] + ([s2.x] if s2 else [])
        merged = {k: [x for e in exports for x in e[k]] for k in exports[0] if isinstance(exports[0][k], list)}
        results["heldout"] = per_document(Corpus({**exports[0], **merged}), "heldout/")
    if s2:
        results["story2"] = eval_story2(s2)
    return results


def flatten(results: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for k, v in results.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[key] = v
    return out


def check(results: dict, floors: dict) -> list[str]:
    """Metrics below their floor (or above their ceiling for names ending in false_alarms/confident_wrong)."""
    flat = flatten(results)
    bad = []
    for key, floor in floors.items():
        if key not in flat:
            bad.append(f"{key}: missing (floor {floor})")
            continue
        ceiling = key.endswith(("false_alarms", "confident_wrong", "confidently_wrong"))
        if (flat[key] > floor) if ceiling else (flat[key] < floor):
            bad.append(f"{key}: {flat[key]} {'above ceiling' if ceiling else 'below floor'} {floor}")
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 1 when below the floors in bench/floors.json")
    args = ap.parse_args(argv)
    results = evaluate()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in flatten(results).items():
            print(f"{key:45s} {value}")
    if args.check:
        pinned = {k: v for k, v in json.loads(FLOORS.read_text()).items() if not k.startswith("real.")}  # bench/real.py's
        bad = check(results, pinned)
        for b in bad:
            print("BELOW FLOOR:", b, file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
