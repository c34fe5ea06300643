"""Resolution on the local cores (storyline.run.parallel) equals resolve(): the engine's tasks on
forked worker processes, blocks read by the workers from the store file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import storyline
from storyline.config import Settings
from storyline.resolve import resolve
from storyline.run.incremental import resolve_store
from storyline.run.parallel import pool_resolver

ROOT = Path(__file__).resolve().parents[2]


def _synthetic(n: int, seed: int):
    spec = importlib.util.spec_from_file_location("storyline_bench_scale", ROOT / "bench" / "scale.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.synthetic(n, seed=seed)


def test_a_store_resolved_on_worker_processes_equals_resolve(tmp_path):
    records, anns = _synthetic(200, seed=4)
    with storyline.open_store(str(tmp_path / "s.db")) as store:
        for rec in records:
            store.add_document(rec.document)
        for ann in anns:
            store.save_annotations(ann)
        want = resolve(store.documents(), list(store.annotations()), Settings())
        timings: dict = {}
        got = pool_resolver(2, block_size=70)(store, Settings(), timings)
        assert got == want and len(want.events) > 50 and want.stories
        assert set(timings) == {"blocks", "entities", "stories", "events", "assemble"}
        report = resolve_store(store, Settings(), full=True, resolver=pool_resolver(2))
        assert report.mode == "full" and store.resolution().events == want.events


@pytest.mark.slow  # loads the language pipeline
def test_ingest_resolving_on_worker_processes_equals_one_process(tmp_path):
    demo = ROOT / "src" / "storyline" / "examples" / "demo"
    nlp = storyline.build_pipeline()
    paths = [str(p) for p in sorted(demo.iterdir())]
    with storyline.open_store(str(tmp_path / "a.db")) as a, storyline.open_store(str(tmp_path / "b.db")) as b:
        storyline.ingest(paths, a, nlp=nlp, workers=1)
        storyline.ingest(paths, b, nlp=nlp, workers=1, resolve_workers=2)
        assert a.resolution() == b.resolution() and a.resolution().events
