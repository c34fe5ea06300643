"""bench/briefgold.py (issue 18): the must-state gold fits the real records, and the scorer counts a fact as
covered only when a brief sentence cites a span overlapping it."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
pytestmark = pytest.mark.issue(18)


def _bg():
    spec = importlib.util.spec_from_file_location("briefgold", ROOT / "bench" / "briefgold.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bg = _bg()


def test_gold_has_fifteen_multi_report_stories_with_the_ten_newswcl50_ones():
    gold = bg.load_gold()
    assert len(gold) >= 15
    assert {g["cluster"] for g in gold if g["dataset"] == "newswcl50"} == {f"event_{i}" for i in range(10)}
    for g in gold:
        assert len({sp["record"] for f in g["facts"] for sp in f["spans"]}) >= 2, g["story"]
        assert any(f["kind"] == "lead" for f in g["facts"])


@pytest.mark.skipif(not (REALDATA / "newswcl50.jsonl").exists(), reason="../shared/realdata is absent")
def test_gold_spans_fit_the_records():
    texts = {}
    for name in ("newswcl50.jsonl", "ecbplus.jsonl"):
        for line in open(REALDATA / name):
            r = json.loads(line)
            texts[r["id"]] = r["text"]
    for g in bg.load_gold():
        for f in g["facts"]:
            for sp in f["spans"]:
                piece = texts[sp["record"]][sp["start"]:sp["end"]]
                assert hashlib.sha1(piece.encode()).hexdigest()[:8] == sp["sha1_8"], (g["story"], f["id"])


def test_coverage_counts_overlapping_citations_only():
    gold = [{"story": "s", "dataset": "x", "cluster": "c", "facts": [
        {"id": "f1", "kind": "lead", "note": "", "spans": [{"record": "r1", "start": 10, "end": 40}]},
        {"id": "f2", "kind": "development", "note": "", "spans": [{"record": "r2", "start": 0, "end": 20}]}]}]
    exp = {"documents": [{"id": "D1", "source": "in.jsonl#r1"}, {"id": "D2", "source": "in.jsonl#r2"}],
           "stories": [{"id": "S", "documents": ["D1", "D2"]}, {"id": "T", "documents": ["D9"]}]}
    hit = {"sentences": [{"text": "A whole sentence. [D1:30-80]", "citations": ["D1:30-80"]},
                         {"text": "Another. [D2:20-50]", "citations": ["D2:20-50"]}]}  # touches f2 at its end only
    res = bg.score_briefs(exp, lambda sid: hit if sid == "S" else {}, gold=gold)
    assert res["coverage"] == 0.5 and res["lead_coverage"] == 1.0 and res["stories_matched"] == 1
    gold[0]["facts"][0]["spans"][0]["pass"] = "completion"  # a span added after looking: not in the blind figure
    res = bg.score_briefs(exp, lambda sid: hit if sid == "S" else {}, gold=gold)
    assert res["coverage"] == 0.5 and res["coverage_blind_spans"] == 0.0


def test_labels_that_are_not_words_a_person_writes_are_counted():
    exp = {"events": [{"label": "someone \u2014 lose"}, {"label": "lose"}, {"label": "Ostravia closed the dam gates"},
                      {"label": "Teodor Brann \u2014 fill"}],
           "stories": [{"label": "Maurice Cheeks fired as 76ers coach"}]}
    res = bg.score_labels(exp)
    assert res["event_labels_someone"] == 1 and res["event_labels_bare"] == 1 and res["event_labels_triple"] == 2
    assert res["labels_someone_or_bare"] == 2 and res["story_labels_triple"] == 0
