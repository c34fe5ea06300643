"""Incremental resolution reads what the new documents touch (issue 20 §3): of the stored
entities met through the new documents' blocking keys, only those they join or that the
re-resolved stories link are decoded, and the resolution equals one made at once."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

import storyline
from storyline.kb.store import Store, StoredEntities
from storyline.run.incremental import resolve_store

ROOT = Path(__file__).resolve().parents[2]


def _scale():
    spec = importlib.util.spec_from_file_location("storyline_bench_scale", ROOT / "bench" / "scale.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _load(store, records, anns) -> None:
    for rec in records:
        store.add_document(rec.document)
    for ann in anns:
        store.save_annotations(ann)


def _entities(store) -> set:
    r = store.resolution()
    return {(e.members, e.name, e.type, e.aliases, e.mentions) for e in r.entities}


@pytest.mark.issue(20)
def test_one_new_document_decodes_only_the_entities_it_touches(monkeypatch):
    recs, anns = _scale().feed(60, stories=range(6))
    place = {a.doc: next(e.name.lower() for e in a.entities if e.type == "GPE") for a in anns}
    anns = [dataclasses.replace(a, terms=(("talks", 2), (place[a.doc], 3), (a.doc, 1))) for a in anns]
    # the new report's words are its own: it regroups no stored story, its names still meet the stored entities
    anns[-1] = dataclasses.replace(anns[-1], terms=((anns[-1].doc, 1),))
    offered: list[StoredEntities] = []
    decoded: list[str] = []
    real_offer, real_get = Store.stored_entities, StoredEntities.__getitem__

    def offer(self, ids):
        out = real_offer(self, ids)
        offered.append(out)
        return out

    def get(self, key):
        decoded.append(key)
        return real_get(self, key)

    with storyline.open_store(":memory:") as grown, storyline.open_store(":memory:") as once:
        _load(grown, recs[:59], anns[:59])
        resolve_store(grown)
        _load(grown, recs[59:], anns[59:])
        monkeypatch.setattr(Store, "stored_entities", offer)
        monkeypatch.setattr(StoredEntities, "__getitem__", get)
        rep = resolve_store(grown)
        monkeypatch.undo()
        assert rep.mode == "partial" and rep.owed == 1
        assert len(offered) == 1 and decoded
        assert len(set(decoded)) < len(offered[0])  # the rest of what the keys met stays undecoded
        _load(once, recs, anns)
        resolve_store(once)
        assert _entities(grown) == _entities(once)


def _decoded(monkeypatch) -> list[str]:
    """The documents whose annotations the store decodes from now on (one entry each time)."""
    seen: list[str] = []
    real = Store._annotations_of

    def spy(self, ids, wanted=None):
        out = real(self, ids, wanted)
        seen.extend(a.doc for a in out)
        return out

    monkeypatch.setattr(Store, "_annotations_of", spy)
    return seen


@pytest.mark.issue(20)
@pytest.mark.parametrize("given", [0, 30, 60])
def test_a_full_resolution_reads_each_annotation_once_and_none_it_is_given(monkeypatch, given):
    """The first resolution of a store keys and resolves from one read of the annotations; those
    an ingest hands over from memory are not read at all; the resolution and keys are the same."""
    recs, anns = _scale().feed(60, stories=range(6))
    with storyline.open_store(":memory:") as read, storyline.open_store(":memory:") as handed:
        _load(read, recs, anns)
        _load(handed, recs, anns)
        decoded = _decoded(monkeypatch)
        assert resolve_store(read).mode == "full"
        assert sorted(decoded) == sorted(a.doc for a in anns)  # once each: for the keys and for resolve()
        decoded.clear()
        assert resolve_store(handed, annotations={a.doc: a for a in anns[:given]}).mode == "full"
        assert sorted(decoded) == sorted(a.doc for a in anns[given:])
        monkeypatch.undo()
        assert handed.resolution() == read.resolution()
        assert handed.dump()["doc_keys"] == read.dump()["doc_keys"]


def _df(store) -> dict[str, int]:
    return dict(store._conn.execute("SELECT term, n FROM term_df").fetchall())


@pytest.mark.issue(20)
def test_a_full_resolution_recounts_term_frequencies_and_writes_them_only_when_they_moved(monkeypatch):
    """A document annotated again keeps its first term count until a full resolution counts them
    again; a full resolution after an ingest that counted every document rewrites nothing."""
    recs, anns = _scale().feed(6, stories=range(2))
    anns = [dataclasses.replace(a, terms=(("talks", 2), (a.doc, 1))) for a in anns]
    with storyline.open_store(":memory:") as store:
        _load(store, recs, anns)
        resolve_store(store)
        assert _df(store) == {"talks": 6, **{a.doc: 1 for a in anns}}
        store.save_annotations(dataclasses.replace(anns[0], terms=(("truce", 1),)))
        resolve_store(store)
        assert _df(store)["talks"] == 6 and "truce" not in _df(store)  # counted once: its first terms
        resolve_store(store, full=True)
        assert _df(store) == {"talks": 5, "truce": 1, **{a.doc: 1 for a in anns[1:]}}
        writes: list[int] = []
        real_tx = Store._tx

        def tx(self):
            writes.append(1)
            return real_tx(self)

        monkeypatch.setattr(Store, "_tx", tx)
        store.recount_terms()
        assert not writes


@pytest.mark.issue(20)
def test_the_resolution_is_dropped_before_the_cycle_collector_resumes():
    """What a resolution reads and makes is freed while the collector is paused: the collection
    that follows (its allocations are far past the collector's threshold) finds no event or
    record of it to scan."""
    import gc

    from storyline.model import DocRecord, Event

    recs, anns = _scale().feed(60, stories=range(6))
    left: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            left.append(sum(isinstance(o, (Event, DocRecord)) for o in gc.get_objects(0)))

    with storyline.open_store(":memory:") as store:
        _load(store, recs, anns)
        was = gc.isenabled()
        gc.enable()
        gc.callbacks.append(count)
        try:
            assert resolve_store(store).mode == "full"
        finally:
            gc.callbacks.remove(count)
            if not was:
                gc.disable()
        assert store.resolution().events  # it made some
    assert left and not any(left)
