"""Incremental resolution (issue 11): a store resolved batch by batch equals the same documents
resolved at once (entities, events, stories, support, conflicts, entity_of), ids of items that
continue stay the same, and `resolve --full` rebuilds from scratch."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import storyline
from storyline.run.incremental import resolve_store

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"
STORY2 = ROOT / "bench" / "corpus" / "story2"


def _scale():
    spec = importlib.util.spec_from_file_location("storyline_bench_scale", ROOT / "bench" / "scale.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def canon(store) -> dict:
    """The stored resolution with every id replaced by what it stands for (members, reports,
    documents), so two stores compare equal when they hold the same items."""
    r = store.resolution()
    ent = {e.id: frozenset(e.members) for e in r.entities}
    ev = {e.id: frozenset((m.span.doc, m.mention) for m in e.mentions) for e in r.events}
    return {
        "entities": {(ent[e.id], e.name, e.type, e.aliases, e.descriptions, e.mentions) for e in r.entities},
        "events": {
            (ev[e.id], e.type, e.label, e.when, e.mode, ent.get(e.where, e.where), e.sources, e.mentions,
             frozenset((ent[p.entity], p.role) for p in e.participants))
            for e in r.events
        },
        "stories": {(frozenset(s.documents), frozenset(ev[x] for x in s.events), s.label, s.earliest, s.latest) for s in r.stories},
        "conflicts": {(c.kind, ev.get(c.about, c.about), c.summary, c.claims, c.status) for c in r.conflicts},
        "support": {(s.kind, ev.get(s.item, s.item), s.documents, s.sources) for s in r.support},
        "entity_of": {k: ent[v] for k, v in r.entity_of.items()},
    }


def _load(store, records, anns) -> None:
    for rec in records:
        store.add_document(rec.document)
    for ann in anns:
        store.save_annotations(ann)


def _ids(store) -> dict[str, frozenset]:
    r = store.resolution()
    out = {e.id: frozenset(e.members) for e in r.entities}
    out.update({e.id: frozenset((m.span.doc, m.mention) for m in e.mentions) for e in r.events})
    out.update({s.id: frozenset(s.documents) for s in r.stories})
    return out


def test_feed_in_batches_equals_once_and_keeps_ids():
    scale = _scale()
    base = scale.feed(400, stories=range(40))
    batches = [scale.feed(20, stories=range(34 + 2 * k, 44 + 2 * k), first=400 + 20 * k) for k in range(4)]
    with storyline.open_store(":memory:") as grown, storyline.open_store(":memory:") as once:
        _load(grown, *base)
        assert resolve_store(grown).mode == "full"  # nothing resolved yet
        modes = []
        for recs, anns in batches:
            before = _ids(grown)
            _load(grown, recs, anns)
            rep = resolve_store(grown)
            modes.append(rep.mode)
            assert rep.owed == 20 and rep.affected < 200  # only the stories the batch touches
            after = _ids(grown)
            for old_id, members in before.items():  # an item that grows keeps its id
                if old_id not in after:
                    assert not any(members <= m for m in after.values()), old_id
        assert modes == ["partial"] * 4
        for recs, anns in [base, *batches]:
            _load(once, recs, anns)
        assert resolve_store(once).mode == "full"
        assert canon(grown) == canon(once)
        assert grown.stats() == once.stats()
        assert len(once.resolution().stories) >= 40


def test_real_articles_in_batches_equal_once(real_annotations):
    records, anns = real_annotations
    with storyline.open_store(":memory:") as grown, storyline.open_store(":memory:") as once:
        for i in range(0, len(records), 4):
            part = records[i : i + 4]
            _load(grown, part, [anns[r.id] for r in part if r.id in anns])
            resolve_store(grown)
        _load(once, records, [anns[r.id] for r in records if r.id in anns])
        resolve_store(once)
        got, want = canon(grown), canon(once)
        for kind in want:
            assert got[kind] == want[kind], kind
        assert len(want["stories"]) > 1 and len(want["events"]) > 10 and want["conflicts"]


def test_resolution_owed_after_an_interruption_is_picked_up():
    scale = _scale()
    recs, anns = scale.feed(60, stories=range(6))
    with storyline.open_store(":memory:") as store:
        _load(store, recs[:30], anns[:30])
        resolve_store(store)
        _load(store, recs[30:], anns[30:])  # annotated, then the process died before resolving
        assert len(store.unresolved_docs()) == 30
        rep = resolve_store(store)
        assert rep.owed == 30 and store.unresolved_docs() == []
        assert resolve_store(store).mode == "none"  # nothing owed: nothing done


def test_resolve_full_cli_rebuilds_and_keeps_ids(tmp_path):
    scale = _scale()
    db = tmp_path / "kb.db"
    with storyline.open_store(db) as store:
        _load(store, *scale.feed(120, stories=range(12)))
        resolve_store(store)
        _load(store, *scale.feed(10, stories=range(10, 14), first=120))
        resolve_store(store)
        before, ids = canon(store), _ids(store)
    run = [sys.executable, "-m", "storyline.cli", "resolve", "--db", str(db), "--json"]
    done = subprocess.run(run + ["--full"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"mode": "full"' in done.stdout
    with storyline.open_store(db) as store:
        assert canon(store) == before
        assert _ids(store) == ids
    again = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and '"mode": "none"' in again.stdout


@pytest.mark.parametrize("share", [0.0])
def test_a_large_affected_set_falls_back_to_full(monkeypatch, share):
    import storyline.run.incremental as inc

    scale = _scale()
    monkeypatch.setattr(inc, "FULL_SHARE", share)
    with storyline.open_store(":memory:") as store:
        _load(store, *scale.feed(40, stories=range(4)))
        resolve_store(store)
        _load(store, *scale.feed(5, stories=range(1), first=40))
        assert resolve_store(store).mode == "full"


def test_a_document_annotated_after_a_resolution_is_resolved_again():
    """Another process may store a document, a resolution runs (the document, not annotated yet,
    gets a story of its own), then its annotations arrive: it is owed a resolution all the same."""
    scale = _scale()
    recs, anns = scale.feed(40, stories=range(4))
    with storyline.open_store(":memory:") as grown, storyline.open_store(":memory:") as once:
        _load(grown, recs, anns[:-3])  # the last three are stored but not annotated yet
        resolve_store(grown, full=True)
        assert {d for s in grown.resolution().stories for d in s.documents} >= {r.id for r in recs[-3:]}
        _load(grown, [], anns[-3:])
        assert resolve_store(grown).owed == 3
        _load(once, recs, anns)
        resolve_store(once)
        assert canon(grown) == canon(once)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_documents_with_content_terms_are_resolved_in_part(request, backend):
    """Stories grouped by what documents say: new documents regroup only the stories whose
    documents are near them in words, with the store's term weights (kept as it grows)."""
    import dataclasses

    scale = _scale()
    recs, anns = scale.feed(60, stories=range(6))
    place = {a.doc: next(e.name.lower() for e in a.entities if e.type == "GPE") for a in anns}  # the story's own place
    anns = [dataclasses.replace(a, terms=(("talks", 2), (place[a.doc], 3), (a.doc, 1))) for a in anns]
    db = ":memory:" if backend == "sqlite" else request.getfixturevalue("pg_url")
    with storyline.open_store(db) as grown, storyline.open_store(":memory:") as once:
        _load(grown, recs[:58], anns[:58])
        resolve_store(grown)
        _load(grown, recs[58:], anns[58:])
        rep = resolve_store(grown)
        touched = {place[a.doc] for a in anns[58:]}
        assert rep.mode == "partial" and rep.owed == 2  # the new documents' stories only
        assert rep.affected == sum(place[a.doc] in touched for a in anns)
        _load(once, recs, anns)
        resolve_store(once)
        assert canon(grown) == canon(once)


def _b3(got: list, want: list) -> float:
    """B-cubed F1 of two clusterings of the same items."""
    g = {x: frozenset(c) for c in got for x in c}
    w = {x: frozenset(c) for c in want for x in c}
    items = set(g) & set(w)
    p = sum(len(g[x] & w[x]) / len(g[x]) for x in items) / len(items)
    r = sum(len(g[x] & w[x]) / len(w[x]) for x in items) / len(items)
    return 2 * p * r / (p + r)


@pytest.fixture(scope="module")
def real_annotations(seeds_dir):
    nlp = storyline.build_pipeline()
    paths = sorted(DEMO.iterdir()) + sorted(seeds_dir.iterdir()) + sorted(STORY2.iterdir())
    with storyline.open_store(":memory:") as src:
        storyline.ingest([str(p) for p in paths], src, nlp=nlp, resolve=False)
        ids = [r.id for r in src.documents()]
        return src.records(ids), {a.doc: a for a in src.annotations(ids)}


@pytest.mark.parametrize("batch", [1, 5])
def test_real_articles_resolved_in_part_stay_within_tolerance(real_annotations, monkeypatch, batch):
    """Every batch resolved in part (never the full fallback): entities are the same as at once;
    stories and events within the documented tolerance (term weights move as the store grows)."""
    import storyline.run.incremental as inc

    monkeypatch.setattr(inc, "FULL_SHARE", 1.0)
    records, anns = real_annotations
    with storyline.open_store(":memory:") as grown, storyline.open_store(":memory:") as once:
        modes = []
        for i in range(0, len(records), batch):
            part = records[i : i + batch]
            _load(grown, part, [anns[r.id] for r in part if r.id in anns])
            modes.append(resolve_store(grown).mode)
        assert set(modes[1:]) == {"partial"}
        _load(once, records, [anns[r.id] for r in records if r.id in anns])
        resolve_store(once)
        got, want = grown.resolution(), once.resolution()
        assert {e.members for e in got.entities} == {e.members for e in want.entities}
        assert _b3([s.documents for s in got.stories], [s.documents for s in want.stories]) >= 0.9
        reports = lambda r: [[(m.span.doc, m.mention) for m in e.mentions] for e in r.events]  # noqa: E731
        assert _b3(reports(got), reports(want)) >= 0.95
        assert len(got.conflicts) == len(want.conflicts)


@pytest.fixture(scope="module")
def ecb_annotations(tmp_path_factory):
    """100 ECB+ reports across its topics (every seventh record), annotated; skips without
    ../shared/realdata. The texts are written to a temporary folder only."""
    spec = importlib.util.spec_from_file_location("bench_realgold", ROOT / "bench" / "realgold.py")
    rg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rg)
    recs = rg.load_records("ecbplus")
    if not recs:
        pytest.skip("../shared/realdata not present (ecbplus.jsonl)")
    folder = tmp_path_factory.mktemp("ecb")
    for rid in list(recs)[::7][:100]:
        (folder / f"{rid}.txt").write_text(recs[rid]["text"], encoding="utf-8")
    with storyline.open_store(":memory:") as src:
        storyline.ingest([str(folder)], src, nlp=storyline.build_pipeline(), resolve=False)
        ids = [r.id for r in src.documents()]
        return src.records(ids), {a.doc: a for a in src.annotations(ids)}


def test_real_news_one_report_at_a_time_stays_within_its_bound(ecb_annotations, monkeypatch):
    """Incremental against full resolution on 100 real reports (ECB+) added one at a time, each
    resolved in part: what differs is bounded. An entity link made earlier is never undone, and
    stories outside those a new report may join are not regrouped as term weights move, so a few
    items differ, never many. Measured (the same before and after the one resolution engine):
    entities 883 vs 882 (15 member sets of 1,765 differ), events 2,880 vs 2,867 (B-cubed 0.993),
    stories 59 vs 54 (B-cubed 0.957), conflicts 0 and 0."""
    import storyline.run.incremental as inc

    monkeypatch.setattr(inc, "FULL_SHARE", 1.0)
    records, anns = ecb_annotations
    with storyline.open_store(":memory:") as grown, storyline.open_store(":memory:") as once:
        for rec in records:
            _load(grown, [rec], [anns[rec.id]] if rec.id in anns else [])
            resolve_store(grown)
        _load(once, records, [anns[r.id] for r in records if r.id in anns])
        resolve_store(once)
        got, want = grown.resolution(), once.resolution()
        members = lambda r: {e.members for e in r.entities}  # noqa: E731
        reports = lambda r: [[(m.span.doc, m.mention) for m in e.mentions] for e in r.events]  # noqa: E731
        assert len(members(got) ^ members(want)) <= 0.03 * len(want.entities)
        assert _b3(reports(got), reports(want)) >= 0.985
        assert _b3([s.documents for s in got.stories], [s.documents for s in want.stories]) >= 0.94
        assert abs(len(got.conflicts) - len(want.conflicts)) <= 1
