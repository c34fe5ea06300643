"""Issue 10, item 1: an exception in any component on one document is that document's
failure only. The document is stored and flagged with the error code and reason (listed by
``storyline docs``, reported by ingest with exit 1), every other document is annotated, and
``storyline reannotate`` retries the flagged documents after the fault is fixed."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.kb import open_store
from storyline.nlp.components import figures

from .conftest import dump, ingest_into

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

MARK = "Quibblewick"


def _boom_on_marked(exc_type):
    real = figures.find_figures

    def find(doc, *a, **kw):
        if MARK in doc.text:
            raise exc_type("list index out of range (injected)")
        return real(doc, *a, **kw)

    return find


@pytest.fixture
def pile(tmp_path, demo):
    """The demo corpus plus one article that trips the injected fault."""
    folder = tmp_path / "pile"
    shutil.copytree(demo, folder)
    (folder / "99_marked.txt").write_text(
        "Harbour board meets\n\nThe harbour board of Quibblewick met on Monday. "
        "Its chair, Anna Berg, said the dock would reopen in May.\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("exc_type", [IndexError, ZeroDivisionError])
def test_one_bad_document_does_not_sink_the_batch(tmp_path, pile, nlp, monkeypatch, exc_type):
    monkeypatch.setattr(figures, "find_figures", _boom_on_marked(exc_type))
    db = tmp_path / "kb.db"
    report = ingest_into(db, [pile], nlp)
    assert report.exit_code == 1
    assert [(f.path.endswith("99_marked.txt"), f.code) for f in report.failed] == [(True, "E201")]
    assert exc_type.__name__ in report.failed[0].reason
    with open_store(db) as store:
        docs = store.document_count()
        assert docs == report.new == 10
        assert report.annotated == docs - 1 and len(store.annotated_ids()) == docs - 1
        (flag,) = store.failures()
        assert flag["code"] == "E201" and flag["source"].endswith("99_marked.txt")
        assert store.document(flag["doc"]).document.text.count(MARK) == 1  # stored whole
        assert store.stats()["stories"] > 0  # the others were resolved
        before = store.dump()

    # the same ingest again skips the flagged document (reannotate retries it) and changes nothing
    again = ingest_into(db, [pile], nlp)
    assert again.annotated == 0 and again.failed == []
    assert dump(db) == before


def test_docs_lists_the_flag_and_reannotate_retries(tmp_path, pile, nlp, monkeypatch):
    monkeypatch.setattr(figures, "find_figures", _boom_on_marked(IndexError))
    db = tmp_path / "kb.db"
    ingest_into(db, [pile], nlp)
    runner = CliRunner()

    res = runner.invoke(app, ["docs", "--db", str(db), "--json"])
    assert res.exit_code == 0
    flagged = [r for r in json.loads(res.stdout) if r["error"]]
    assert len(flagged) == 1 and flagged[0]["error"]["code"] == "E201"
    res = runner.invoke(app, ["docs", "--db", str(db)])
    assert "E201" in res.stdout and "reannotate" in res.stdout

    # still broken: reannotate reports it again (exit 1) and it stays flagged
    res = runner.invoke(app, ["reannotate", "--db", str(db), "--workers", "1"])
    assert res.exit_code == 1, res.output
    with open_store(db) as store:
        assert len(store.failures()) == 1

    # after the "upgrade" the retry annotates it, clears the flag and resolves it in
    monkeypatch.undo()
    res = runner.invoke(app, ["reannotate", "--db", str(db), "--workers", "1", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["annotated"] == 1
    with open_store(db) as store:
        assert store.failures() == []
        assert len(store.annotated_ids()) == store.document_count()
        assert store.resolution_owed() is None
        doc = next(r["id"] for r in store.document_rows() if r["source"].endswith("99_marked.txt"))
        assert any(doc in s.documents for s in store.resolution().stories)
    res = runner.invoke(app, ["check", "--db", str(db)])
    assert res.exit_code == 0 and "failed annotation" not in res.stdout


def test_annotate_names_the_document_for_any_exception(nlp, monkeypatch):
    """The API function raises a coded PipelineError naming the document, whatever the exception."""
    from storyline.errors import PipelineError
    from storyline.nlp import annotate
    from storyline.readers.clean import make_document

    monkeypatch.setattr(figures, "find_figures", _boom_on_marked(ZeroDivisionError))
    doc = make_document(f"The mayor of {MARK} resigned on Friday.", "x.txt")
    with pytest.raises(PipelineError) as err:
        list(annotate([doc], nlp))
    assert err.value.code == "E201" and doc.id in err.value.reason


def test_annotations_the_store_refuses_flag_that_document_only(tmp_path, pile, nlp, monkeypatch):
    """A document whose annotations break a store constraint (two times with one id) is flagged
    E203; the batch goes on."""
    import dataclasses

    import storyline.nlp as nlp_pkg

    real = nlp_pkg.to_annotations

    def twice(doc, offset=0):
        ann = real(doc, offset)
        if MARK in doc.text and ann.times:
            ann = dataclasses.replace(ann, times=ann.times + ann.times[:1])
        return ann

    monkeypatch.setattr(nlp_pkg, "to_annotations", twice)
    db = tmp_path / "kb.db"
    report = ingest_into(db, [pile], nlp)
    assert [(f.path.endswith("99_marked.txt"), f.code) for f in report.failed] == [(True, "E203")]
    with open_store(db) as store:
        assert [f["code"] for f in store.failures()] == ["E203"]
        assert len(store.annotated_ids()) == store.document_count() - 1
