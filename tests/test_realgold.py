"""The real-news gold scorers (bench/realgold.py) on small synthetic exports built from the gold
itself: perfect, empty and partly right. The exports need the articles' text, so these tests skip
where ../shared/realdata is absent."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_realgold", ROOT / "bench" / "realgold.py")
rg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rg)

pytestmark = pytest.mark.issue(8)


@pytest.fixture(scope="module")
def te_records():
    recs = rg.load_records("tempeval3")
    if not recs:
        pytest.skip("../shared/realdata not present (tempeval3.jsonl)")
    return recs


@pytest.fixture(scope="module")
def ecb_records():
    recs = rg.load_records("ecbplus")
    if not recs:
        pytest.skip("../shared/realdata not present (ecbplus.jsonl)")
    return recs


def _doc(rid, text, i):
    return {"id": f"d{i}", "source": f"input.jsonl#{rid}", "text": text, "title": None, "byline": None,
            "published": {"value": None, "earliest": None, "latest": None, "basis": "unknown"}}


def _empty(docs):
    return {"format": "storyline/1", "documents": docs, "entities": [], "events": [], "quotes": [],
            "times": [], "figures": [], "stories": [], "conflicts": []}


def _events_export(gold, records, keep=lambda i, ev: True, cls=lambda ev: ev["class"], shift=0):
    """One exported event per gold event (those ``keep`` selects), with its trigger, class, roles as
    entities, modality and date; texts shortened by ``shift`` leading characters."""
    docs, events, ents = [], [], []
    for i, g in enumerate(gold):
        text = records[g["id"]]["text"][shift:]
        did = f"d{i}"
        docs.append(_doc(g["id"], text, i))
        for j, ev in enumerate(g["events"]):
            if not keep(j, ev):
                continue
            parts = []
            for role in ("actor", "target"):
                sp = ev.get(role)
                if sp:
                    eid = f"e{len(ents)}"
                    ents.append({"id": eid, "name": "x", "type": "OTHER", "aliases": [], "mentions": [
                        {"doc": did, "start": sp["start"] - shift, "end": sp["end"] - shift,
                         "text": text[sp["start"] - shift:sp["end"] - shift]}]})
                    parts.append({"entity": eid, "role": role})
            t = ev["trigger"]
            s, e = t["start"] - shift, t["end"] - shift
            events.append({"id": f"v{len(events)}", "type": cls(ev), "label": "", "participants": parts,
                           "when": ev["date"], "mentions": [
                               {"doc": did, "start": s, "end": e, "text": text[s:e], "when": ev["date"],
                                "trigger": {"start": s, "end": e, "text": text[s:e]},
                                "modality": ev["modality"]}]})
    exp = _empty(docs)
    exp["events"], exp["entities"] = events, ents
    return exp


# ---------------------------------------------------------------- the gold files themselves
def test_gold_files_hold_offsets_not_text(te_records, ecb_records):
    ev = rg.load_events_gold()
    assert len(ev) == 30 and {g["split"] for g in ev} == {"timebank", "aquaint"}
    n = 0
    for g in ev:
        text = te_records[g["id"]]["text"]
        a, b = g["region"]
        for e in g["events"]:
            for sp in (e["trigger"], e["actor"], e["target"]):
                if sp:
                    assert rg.sha1_8(text[sp["start"]:sp["end"]]) == sp["sha1_8"]
            assert a <= e["trigger"]["start"] < e["trigger"]["end"] <= b
            n += 1
    assert 150 <= n <= 300
    conf = rg.load_conflicts_gold()
    for item in conf["conflicts"] + conf["non_conflicts"]:
        for cl in item["claims"]:
            assert ecb_records[cl["doc"]]["cluster"] == item["cluster"]
            assert rg.sha1_8(ecb_records[cl["doc"]]["text"][cl["start"]:cl["end"]]) == cl["sha1_8"]
        assert len({cl["sha1_8"] for cl in item["claims"]}) >= 2
    ppl = rg.load_people_gold()
    for c, data in ppl["clusters"].items():
        for m in data["mentions"]:
            assert rg.sha1_8(ecb_records[m["doc"]]["text"][m["start"]:m["end"]]) == m["sha1_8"]
    for f in (rg.EVENTS_FILE, rg.CONFLICTS_FILE, rg.PEOPLE_FILE):
        assert '"text"' not in f.read_text()


# ---------------------------------------------------------------- A. events
def test_events_perfect(te_records):
    gold = rg.load_events_gold()
    r = rg.score_events(_events_export(gold, te_records), gold, te_records)
    assert r["trigger_p"] == r["trigger_r"] == 1.0
    assert r["class_acc"] == r["modality_acc"] == r["actor_acc"] == r["target_acc"] == 1.0
    assert r["date_exact_acc"] == 1.0 and r["date_confidently_wrong"] == 0


def test_events_empty(te_records):
    gold = rg.load_events_gold()
    docs = [_doc(g["id"], te_records[g["id"]]["text"], i) for i, g in enumerate(gold)]
    r = rg.score_events(_empty(docs), gold, te_records)
    assert r["trigger_r"] == 0.0 and r["trigger_p"] == 0.0 and r["matched"] == 0
    assert rg.score_events({}, gold, te_records)["trigger_r"] == 0.0


def test_events_partly_right(te_records):
    gold = rg.load_events_gold()
    n = sum(len(g["events"]) for g in gold)
    kept = sum(1 for g in gold for j, _ in enumerate(g["events"]) if j % 2 == 0)
    exp = _events_export(gold, te_records, keep=lambda j, ev: j % 2 == 0,
                         cls=lambda ev: "OTHER" if ev["class"] != "OTHER" else "ASSAULT")
    r = rg.score_events(exp, gold, te_records)
    assert r["trigger_p"] == 1.0
    assert r["trigger_r"] == pytest.approx(kept / n)
    assert r["class_acc"] == 0.0 and r["modality_acc"] == 1.0


def test_events_shifted_text_without_records(te_records):
    """The export trimmed the leading newline: gold offsets follow, found from the span hashes."""
    gold = [g for g in rg.load_events_gold() if te_records[g["id"]]["text"].startswith("\n")]
    assert gold
    exp = _events_export(gold, te_records, shift=1)
    r = rg.score_events(exp, gold, records={})
    assert r["trigger_r"] == 1.0 and r["actor_acc"] == 1.0


def test_events_region_limits_precision(te_records):
    gold = rg.load_events_gold()[:1]
    exp = _events_export(gold, te_records)
    text = exp["documents"][0]["text"]
    b = gold[0]["region"][1]
    exp["events"].append({"id": "out", "type": "OTHER", "label": "", "participants": [], "when": None,
                          "mentions": [{"doc": "d0", "start": b + 1, "end": b + 3, "text": text[b + 1:b + 3]}]})
    exp["events"].append({"id": "in", "type": "OTHER", "label": "", "participants": [], "when": None,
                          "mentions": [{"doc": "d0", "start": gold[0]["region"][0], "end": gold[0]["region"][0] + 1,
                                        "text": "x"}]})
    r = rg.score_events(exp, gold, te_records)
    k = len(gold[0]["events"])
    if any(e["trigger"]["start"] == gold[0]["region"][0] for e in gold[0]["events"]):
        pytest.skip("first gold trigger starts the region")
    assert r["pred_in_regions"] == k + 1 and r["trigger_p"] == pytest.approx(k / (k + 1))


def test_event_dates():
    g = {"value": "1998-02-13", "earliest": "1998-02-13", "latest": "1998-02-13"}
    assert rg._date_fields({"value": "1998-02-13", "earliest": "1998-02-13", "latest": "1998-02-13"}, g) == (True, True, True, False)
    assert rg._date_fields({"value": None, "earliest": None, "latest": "1998-02-20"}, g) == (False, True, True, False)
    assert rg._date_fields({"value": "1998-02-12", "earliest": "1998-02-12", "latest": "1998-02-12"}, g) == (False, True, False, True)
    past = {"value": None, "earliest": None, "latest": "1998-02-13"}
    assert rg._date_fields(None, past) == (False, False, False, False)


@pytest.mark.issue(17)
def test_event_dates_right_day_or_month(te_records):
    day = {"value": "1998-02-13", "earliest": "1998-02-13", "latest": "1998-02-13"}
    month = {"value": "1998-01", "earliest": "1998-01-01", "latest": "1998-01-31"}
    estimated = {"value": None, "earliest": None, "latest": "1998-02-13",
                 "estimate": {"value": "1998-02-13", "earliest": "1998-02-09", "latest": "1998-02-13", "basis": "estimated"}}
    assert rg._right_day_or_month(estimated, day) is True  # the estimate names the day
    assert rg._right_day_or_month({"value": "1998-01-20", "earliest": "1998-01-20", "latest": "1998-01-20"}, month) is True
    assert rg._right_day_or_month(estimated, month) is False
    assert rg._right_day_or_month({"value": None, "earliest": None, "latest": "1998-02-13"}, day) is False
    assert rg._right_day_or_month(estimated, {"value": None, "earliest": None, "latest": "1998-02-13"}) is None
    assert rg._right_day_or_month(estimated, {"value": "1998-W07", "earliest": None, "latest": None}) is None
    # an estimate is never confidently wrong
    assert rg._date_fields(estimated, {"value": "1998-02-11", "earliest": "1998-02-11", "latest": "1998-02-11"})[3] is False
    gold = rg.load_events_gold()
    r = rg.score_events(_events_export(gold, te_records), gold, te_records)
    assert r["date_right_day_or_month"] == 1.0 and r["date_share_confidently_wrong"] == 0.0


# ---------------------------------------------------------------- B. conflicts
def _conflicts_export(gold, records, items):
    rids = [rid for c in gold["clusters"] for rid in gold["documents"][c]]
    docs = [_doc(rid, records[rid]["text"], i) for i, rid in enumerate(rids)]
    did = {rid: f"d{i}" for i, rid in enumerate(rids)}
    exp = _empty(docs)
    for k, item in enumerate(items):
        exp["conflicts"].append({"id": f"c{k}", "kind": "number", "about": "x", "summary": "", "claims": [
            {"doc": did[cl["doc"]], "start": cl["start"], "end": cl["end"],
             "text": records[cl["doc"]]["text"][cl["start"]:cl["end"]], "value": "v"} for cl in item["claims"]]})
    return exp


def test_conflicts_perfect_empty_and_false_alarms(ecb_records):
    gold = rg.load_conflicts_gold()
    r = rg.score_conflicts(_conflicts_export(gold, ecb_records, gold["conflicts"]), gold, ecb_records)
    assert r["conflict_recall"] == 1.0 and r["false_alarms"] == 0 and r["conflict_precision"] == 1.0
    r = rg.score_conflicts(_conflicts_export(gold, ecb_records, []), gold, ecb_records)
    assert r["conflict_recall"] == 0.0 and r["exported_in_scope"] == 0
    half = gold["conflicts"][::2]
    exp = _conflicts_export(gold, ecb_records, half + gold["non_conflicts"][:3])
    r = rg.score_conflicts(exp, gold, ecb_records)
    assert r["found"] == len(half)
    assert r["false_alarms"] == 3 and r["non_conflict_alarms"] == 3


def test_conflict_needs_two_sides(ecb_records):
    gold = rg.load_conflicts_gold()
    g = next(c for c in gold["conflicts"] if len(c["claims"]) >= 3 and
             c["claims"][0]["sha1_8"] == c["claims"][1]["sha1_8"])  # two claims of one side
    one_side = {"claims": g["claims"][:2]}
    r = rg.score_conflicts(_conflicts_export(gold, ecb_records, [one_side]), gold, ecb_records)
    assert r["found"] == 0 and r["false_alarms"] == 1


# ---------------------------------------------------------------- C. people
def _people_export(gold, records, entity_of):
    rids = [rid for c in gold["clusters"].values() for rid in c["documents"]]
    docs = [_doc(rid, records[rid]["text"], i) for i, rid in enumerate(rids)]
    did = {rid: f"d{i}" for i, rid in enumerate(rids)}
    ents = {}
    for c, data in gold["clusters"].items():
        for m in data["mentions"]:
            eid = entity_of(c, m)
            ents.setdefault(eid, {"id": eid, "name": eid, "type": "PERSON", "aliases": [], "mentions": []})
            ents[eid]["mentions"].append({"doc": did[m["doc"]], "start": m["start"], "end": m["end"],
                                          "text": records[m["doc"]]["text"][m["start"]:m["end"]]})
    exp = _empty(docs)
    exp["entities"] = list(ents.values())
    return exp


def test_people_perfect_merged_split_and_empty(ecb_records):
    gold = rg.load_people_gold()
    r = rg.score_people(_people_export(gold, ecb_records, lambda c, m: f"{c}/{m['person']}"), gold, ecb_records)
    assert r["pairwise_p"] == r["pairwise_r"] == 1.0
    merged = rg.score_people(_people_export(gold, ecb_records, lambda c, m: c), gold, ecb_records)
    assert merged["pairwise_r"] == 1.0 and merged["pairwise_p"] < 1.0
    by_doc = rg.score_people(_people_export(gold, ecb_records, lambda c, m: f"{m['doc']}/{m['person']}"), gold, ecb_records)
    assert by_doc["pairwise_p"] == 1.0 and 0.0 < by_doc["pairwise_r"] < 1.0
    r = rg.score_people(_empty([]), gold, ecb_records)
    assert r["pairwise_r"] == 0.0 and r["gold_pairs"] > 0


def test_people_gold_keeps_namesakes_apart():
    """Two men named Jim O'Brien, brothers Vinar, a mother and daughter Jenkin/McMeekin: the gold
    separates them, so a scorer fed name-merged entities loses precision."""
    gold = rg.load_people_gold()
    persons = {m["person"] for d in gold["clusters"].values() for m in d["mentions"]}
    assert {"obrien", "obrien_ohio_state", "mark_vinar", "miles_vinar", "john_jenkin", "katie_jenkin",
            "nick_jones", "rob_jones"} <= persons


def test_cli_prints_three_lines(tmp_path, te_records, ecb_records, capsys):
    gold = rg.load_events_gold()
    p = tmp_path / "exp.json"
    p.write_text(json.dumps(_events_export(gold, te_records)))
    assert rg.main([str(p)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("events: ") and "\nconflicts: " in out and "\npeople: " in out
