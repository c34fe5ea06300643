"""Our second conflicts gold (bench/gold/real/conflicts_v2.json, issue 17) and its scorer."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "bench" / "gold" / "real" / "conflicts_v2.json").read_text())
_spec = importlib.util.spec_from_file_location("realgold_v2", ROOT / "bench" / "realgold.py")
rg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rg)


@pytest.fixture(scope="module")
def records():
    recs = {**rg.load_records("ecbplus"), **rg.load_records("newswcl50")}
    if not recs:
        pytest.skip("../shared/realdata not present (ecbplus.jsonl, newswcl50.jsonl)")
    return recs


def _claims(item):
    return [cl for side in item["sides"] for cl in side] if "sides" in item else item["claims"]


def test_gold_shape():
    assert len(GOLD["stories"]) >= 20
    assert {s["dataset"] for s in GOLD["stories"].values()} == {"ecbplus", "newswcl50"}
    for c in GOLD["conflicts"]:
        assert c["story"] in GOLD["stories"] and len(c["sides"]) >= 2
        for cl in _claims(c):
            assert cl["doc"] in GOLD["stories"][c["story"]]["documents"]


def test_every_span_is_in_its_record(records):
    items = GOLD["conflicts"] + GOLD["non_conflicts"] + GOLD["adjudicated"]["items"]
    for item in items:
        for cl in _claims(item):
            text = records[cl["doc"]]["text"][cl["start"]:cl["end"]]
            assert text and hashlib.sha1(text.encode()).hexdigest()[:8] == cl["sha1_8"], (item, cl)


def _export(records, dataset, items):
    rids = [r for s in GOLD["stories"].values() if s["dataset"] == dataset for r in s["documents"]]
    docs = [{"id": f"d{i}", "source": f"input.jsonl#{r}", "text": records[r]["text"]} for i, r in enumerate(rids)]
    did = {r: f"d{i}" for i, r in enumerate(rids)}
    conflicts = [{"id": f"c{k}", "kind": "statement", "about": "x", "summary": "", "claims": [
        {"doc": did[cl["doc"]], "start": cl["start"], "end": cl["end"], "value": "v"} for cl in _claims(item)]}
        for k, item in enumerate(items)]
    return {"documents": docs, "conflicts": conflicts}


@pytest.mark.parametrize("dataset", ["ecbplus", "newswcl50"])
def test_scorer_perfect_empty_and_false_alarms(records, dataset):
    mine = [c for c in GOLD["conflicts"] if GOLD["stories"][c["story"]]["dataset"] == dataset]
    nons = [n for n in GOLD["non_conflicts"] if GOLD["stories"][n["story"]]["dataset"] == dataset]
    r = rg.score_conflicts_v2(_export(records, dataset, mine), dataset, records=records)
    assert r["found"] == len(mine) and r["conflict_recall"] == 1.0 and r["conflict_precision"] == 1.0
    r = rg.score_conflicts_v2(_export(records, dataset, []), dataset, records=records)
    assert r["found"] == 0 and r["exported_in_scope"] == 0
    r = rg.score_conflicts_v2(_export(records, dataset, mine[::2] + nons), dataset, records=records)
    assert r["found"] == len(mine[::2]) and r["false_alarms"] == r["non_conflict_alarms"] == len(nons)
    one_side = [{"sides": [c["sides"][0]]} for c in mine]  # citing one side finds nothing
    assert rg.score_conflicts_v2(_export(records, dataset, one_side), dataset, records=records)["found"] == 0
