"""storyline/1 export: validates against the vendored schema and every span cites its text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import jsonschema
import pytest

from storyline.errors import ConfigError
from storyline.export import FORMATS, SCHEMA_PATH, export_json, load_schema, write_export
from storyline.kb import open_store

ROOT = Path(__file__).resolve().parents[2]
SHARED_SCHEMA = ROOT / ".." / "shared" / "schema" / "storyline-export.schema.json"


def validate(data: dict) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(data)


def spans(data: dict):
    for key in ("quotes", "figures", "times"):
        yield from data[key]
    for e in data["entities"]:
        yield from e["mentions"]
    for ev in data["events"]:
        yield from ev["mentions"]
    for c in data["conflicts"]:
        yield from c["claims"]


def check_spans(data: dict) -> int:
    texts = {d["id"]: d["text"] for d in data["documents"]}
    n = 0
    for s in spans(data):
        assert texts[s["doc"]][s["start"] : s["end"]] == s["text"], s
        n += 1
    return n


def _less_optional_additions(ours, shared, where="$"):
    """``ours`` without the properties the shared contract lacks; each such addition must be optional."""
    if isinstance(ours, dict) and isinstance(shared, dict):
        out = {}
        for k, v in ours.items():
            if k == "properties" and isinstance(v, dict) and isinstance(shared.get(k), dict):
                extra = set(v) - set(shared[k])
                assert not extra & set(ours.get("required", [])), f"{where}: added properties must be optional"
                assert shared.get("additionalProperties", True) is not False, f"{where}: the contract forbids additions"
                out[k] = {p: _less_optional_additions(v[p], shared[k][p], f"{where}.{p}") for p in v if p not in extra}
            else:
                out[k] = _less_optional_additions(v, shared.get(k), f"{where}.{k}")
        return out
    if isinstance(ours, list) and isinstance(shared, list) and len(ours) == len(shared):
        return [_less_optional_additions(a, b, where) for a, b in zip(ours, shared)]
    return ours


def test_vendored_schema_is_the_shared_contract_plus_optional_fields():
    """Our schema may add optional fields (display_title, title_derived); all else equals the shared contract."""
    if not SHARED_SCHEMA.exists():
        pytest.skip("../shared/schema not present (only in CI and developer checkouts)")
    ours, shared = json.loads(SCHEMA_PATH.read_text()), json.loads(SHARED_SCHEMA.read_text())
    assert _less_optional_additions(ours, shared) == shared


def test_export_validates_and_every_span_cites_its_text(store, sample):
    data = export_json(store)
    validate(data)
    assert data["format"] == "storyline/1"
    assert check_spans(data) >= 20
    assert [d["id"] for d in data["documents"]] == [sample.A, sample.B]
    assert len(data["quotes"]) == 3 and len(data["figures"]) == 3 and len(data["times"]) == 4
    assert {e["id"] for e in data["entities"]} == {"E1", "E2", "E3"}


def test_export_maps_local_keys_to_entity_ids(store, sample):
    data = export_json(store)
    speakers = {q["id"]: q["speaker"] for q in data["quotes"]}
    assert speakers[f"{sample.A}:q1"] == "E2" and speakers[f"{sample.A}:q2"] == "E1"
    fig = next(f for f in data["figures"] if f["id"] == f"{sample.B}:f1")
    assert fig["speaker"] == "E1" and fig["qualifier"] == "by" and fig["period"] == "next year"
    (ev,) = data["events"]
    assert [m["when"]["value"] for m in ev["mentions"]] == ["2026-03-03", "2026-03-04"]
    assert ev["where"] == "E3"
    times = {t["id"]: t for t in data["times"]}
    assert times[f"{sample.B}:t2"]["anchor"] == "published"


def test_document_published_carries_basis_and_source(store, sample):
    docs = {d["id"]: d for d in export_json(store)["documents"]}
    assert docs[sample.A]["published"] == {"value": "2026-03-05", "earliest": "2026-03-05", "latest": "2026-03-05", "basis": "stated"}
    assert docs[sample.B]["published"]["basis"] == "inferred"
    assert docs[sample.B]["source"] == "b.html"


def test_export_before_resolution_falls_back_to_local_entities_and_mentions(sample):
    with open_store(":memory:") as s:
        for d in sample.documents():
            s.add_document(d)
        for ann in sample.annotations():
            s.save_annotations(ann)
        data = export_json(s)
    validate(data)
    check_spans(data)
    assert {e["id"] for e in data["entities"]} == {f"{sample.A}:e1", f"{sample.A}:e2", f"{sample.A}:e3",
                                                   f"{sample.B}:e1", f"{sample.B}:e2"}
    assert len(data["events"]) == 2
    ids = {e["id"] for e in data["entities"]}
    for ev in data["events"]:
        assert {p["entity"] for p in ev["participants"]} <= ids
    assert data["stories"] == [] and data["conflicts"] == []
    assert all(q["speaker"] in ids for q in data["quotes"])


def test_empty_store_exports_valid_json():
    with open_store(":memory:") as s:
        data = export_json(s)
    validate(data)
    assert data["documents"] == []


def test_unknown_when_is_null_and_validates(store, sample):
    a, _ = sample.annotations()
    q = dataclasses.replace(a.quotes[0], when=None)
    store.save_annotations(dataclasses.replace(a, quotes=(q,)))
    data = export_json(store)
    validate(data)
    assert next(x for x in data["quotes"] if x["doc"] == sample.A)["when"] is None


def test_json_writer_round_trips(store):
    buf = io.StringIO()
    write_export(store, "json", buf)
    assert json.loads(buf.getvalue()) == export_json(store)


def test_jsonl_one_typed_object_per_line(store):
    buf = io.StringIO()
    write_export(store, "jsonl", buf)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    data = export_json(store)
    counts = {}
    for obj in lines:
        counts[obj["type"]] = counts.get(obj["type"], 0) + 1
    assert counts == {"document": 2, "entity": 3, "event": 1, "quote": 3, "figure": 3, "time": 4, "story": 1, "conflict": 2}
    assert lines[0]["type"] == "document" and lines[0]["text"] == data["documents"][0]["text"]
    assert {o["entity_type"] for o in lines if o["type"] == "entity"} == {"PERSON", "GPE"}
    assert {o["time_type"] for o in lines if o["type"] == "time"} == {"DATE"}


def test_csv_one_row_per_cited_span(store):
    buf = io.StringIO()
    write_export(store, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    data = export_json(store)
    texts = {d["id"]: d["text"] for d in data["documents"]}
    assert len(rows) == sum(1 for _ in spans(data))
    for r in rows:
        assert texts[r["doc"]][int(r["start"]) : int(r["end"])] == r["text"], r
    assert {r["type"] for r in rows} == {"entity", "event", "quote", "figure", "time", "conflict"}
    fig = next(r for r in rows if r["type"] == "figure" and r["text"] == "12%")
    assert float(fig["value"]) == 12.0 and fig["unit"] == "percent"


def test_unknown_format_is_config_error(store):
    assert set(FORMATS) == {"json", "jsonl", "csv"}
    with pytest.raises(ConfigError):
        write_export(store, "xml", io.StringIO())
