"""An ingest hands its first resolution the annotations it holds (issue 20 §1): none is decoded
back from the store, and what is stored is what a full resolution read from the store gives."""

from __future__ import annotations

import pytest

from storyline.kb import open_store
from storyline.kb.store import Store
from storyline.run import ingest, reresolve

from .conftest import DEMO


@pytest.mark.issue(20)
def test_a_first_ingest_resolves_from_memory_what_a_full_resolution_reads_back(tmp_path, nlp, monkeypatch):
    decoded: list[str] = []
    real = Store._annotations_of

    def spy(self, ids, wanted=None):
        out = real(self, ids, wanted)
        decoded.extend(a.doc for a in out)
        return out

    with open_store(tmp_path / "kb.db") as store:
        monkeypatch.setattr(Store, "_annotations_of", spy)
        report = ingest([str(DEMO)], store, nlp=nlp, workers=1)
        monkeypatch.undo()
        assert report.annotated > 1 and decoded == []
        from_memory, rows = store.resolution(), store.dump()
        read_back = reresolve(store, full=True)
        assert read_back == from_memory
        assert store.dump()["doc_keys"] == rows["doc_keys"]
