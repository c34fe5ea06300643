"""Provenance is an invariant: every extracted item of every type reproduces its
text, ``document.text[start:end] == text``, in the annotations and in the export."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline
from spanwalk import all_spans
from storyline.model import Document

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"
SCHEMA = json.loads((ROOT / "src" / "storyline" / "export" / "storyline-export.schema.json").read_text())


def export_spans(exp):
    for k in ("quotes", "figures", "times"):
        for it in exp[k]:
            yield k, it
    for e in exp["entities"]:
        for m in e["mentions"]:
            yield "entity mention", m
    for v in exp["events"]:
        for m in v["mentions"]:
            yield "event mention", m
    for c in exp["conflicts"]:
        for m in c["claims"]:
            yield "conflict claim", m


def check_export(exp):
    jsonschema.Draft202012Validator(SCHEMA).validate(exp)
    docs = {d["id"]: d["text"] for d in exp["documents"]}
    kinds = set()
    for kind, s in export_spans(exp):
        kinds.add(kind)
        assert docs[s["doc"]][s["start"] : s["end"]] == s["text"], (kind, s)
    return kinds


@pytest.fixture(scope="module")
def nlp():
    return storyline.build_pipeline()


def _export(paths):
    with storyline.open_store(":memory:") as store:
        storyline.ingest([str(p) for p in paths], store)
        return storyline.export_json(store)


def test_demo_export_every_item_type_cites_its_text():
    kinds = check_export(_export([DEMO]))
    assert {"quotes", "figures", "times", "entity mention", "event mention"} <= kinds


def test_seeds_export_every_item_type_cites_its_text(seeds_dir):
    exp = _export([seeds_dir])
    assert len(exp["documents"]) == 5
    kinds = check_export(exp)
    assert {"quotes", "figures", "times", "entity mention", "event mention", "conflict claim"} <= kinds


NAMES = ["Ilse Marwood", "Tomas Ferrant", "Marwood", "the minister", "he", "she", "The Harbour Union", "Velland"]
VERBS = ["said", "told reporters", "added", "warned", "met", "called", "threatened"]
WHEN = ["on Tuesday", "last Friday", "on March 3, 2026", "this week", "in June", "by 2029", "", "two days ago"]
NUMS = ["12%", "$4.5 billion", "nearly 300 workers", "2% of GDP", "north of 3%", "€5bn", "four ships", ""]
QUOTES = ['"We will hold," ', "“Nothing moves,” ", "'calm' ", "“unbalanced ", '"', ""]


@st.composite
def sentences(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        s = " ".join(
            x
            for x in (
                draw(st.sampled_from(QUOTES)),
                draw(st.sampled_from(NAMES)),
                draw(st.sampled_from(VERBS)),
                draw(st.sampled_from(NAMES)),
                draw(st.sampled_from(WHEN)),
                draw(st.sampled_from(NUMS)),
            )
            if x
        )
        parts.append(s.strip() + draw(st.sampled_from([".", "!", "?", "", ".\n\n"])))
    return " ".join(parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=sentences(), dated=st.booleans())
def test_every_annotation_span_reproduces_its_text(nlp, text, dated):
    published = storyline.Published(storyline.When("2026-03-10", "2026-03-10", "2026-03-10"), "stated") if dated else storyline.Published()
    doc = Document(id="h", text=text, source="gen", published=published)
    (ann,) = list(storyline.annotate([doc], nlp))
    for span in all_spans(ann):
        assert span.doc == "h"
        assert text[span.start : span.end] == span.text, span
