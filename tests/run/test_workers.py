"""Annotation on several processes (issue 11): the store is the same whatever the worker count,
documents stream through the pool, and a failing document is reported while the others go in."""

from __future__ import annotations

from pathlib import Path

import storyline
from storyline.run.pool import AnnotationFailure, annotate_batch, annotate_stream

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"


def _ingest(paths, workers: int, batch_size: int = 2):
    settings = storyline.Settings(batch_size=batch_size)
    store = storyline.open_store(":memory:", settings)
    report = storyline.ingest([str(p) for p in paths], store, settings, workers=workers)
    return store, report


def test_one_and_two_workers_give_identical_stores(seeds_dir):
    # batch_size 2 makes several batches, so two workers really run in two processes
    paths = [DEMO, seeds_dir]
    one, r1 = _ingest(paths, 1)
    two, r2 = _ingest(paths, 2)
    try:
        assert r1.failed == r2.failed == []
        assert r1.annotated == r2.annotated == one.document_count() > 8
        assert one.dump() == two.dump()
    finally:
        one.close()
        two.close()


def test_pool_keeps_input_order_and_reports_each_document():
    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)]
    settings = storyline.Settings(batch_size=1)
    out = list(annotate_stream(iter(docs), settings, workers=2))
    assert [a.doc for a in out] == [d.id for d in docs]
    assert all(isinstance(a, storyline.DocAnnotations) for a in out)


class _Breaks:
    """A pipeline seam whose ``pipe`` fails on one document's text."""

    def __init__(self, nlp, bad: str):
        self._nlp, self._bad = nlp, bad

    def make_doc(self, text):
        return self._nlp.make_doc(text)

    def pipe(self, docs, batch_size=32):
        for doc in self._nlp.pipe(docs, batch_size=batch_size):
            if doc.text == self._bad:
                raise ValueError("broken component")
            yield doc


def test_a_failing_document_is_reported_and_its_batch_goes_on():
    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)][:4]
    nlp = _Breaks(storyline.build_pipeline(), docs[1].text)
    out = annotate_batch(docs, nlp, storyline.Settings())
    assert [type(a) for a in out] == [storyline.DocAnnotations, AnnotationFailure, storyline.DocAnnotations, storyline.DocAnnotations]
    assert out[1].doc == docs[1].id and out[1].code == "E201"


def test_documents_stream_through_the_pool_in_bounded_batches():
    """Never the whole input in memory: at most 2 * workers batches are out at any time."""
    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)]
    settings = storyline.Settings(batch_size=1)
    pulled = 0

    def source():
        nonlocal pulled
        for i in range(4):
            for d in docs:
                pulled += 1
                yield d

    out = 0
    for _ in annotate_stream(source(), settings, workers=2):
        out += 1
        assert pulled - out <= 2 * 2 * settings.batch_size + 1
    assert out == pulled == 4 * len(docs)
