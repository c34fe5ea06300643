"""Keys made apart (issue 20 §1): before a full resolution, which makes its own TF-IDF, the
documents' blocking keys are made by a child process (a fresh interpreter) on a connection of
its own while this process resolves, on two cores or more; the resolution is saved once they are in the store. Stores keyed
apart equal stores keyed here, a child's failure is raised here and the next run keys and
resolves, and one core (or a store only this connection reaches) keys here as before."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

import storyline
import storyline.run.incremental as incremental
from storyline.errors import StoreError
from storyline.run.incremental import resolve_store
from storyline.run.pool import encode


def _load(store, recs, anns) -> dict:
    """Store and annotate as an ingest does (the keys a document's annotations decide saved with
    them, but for every fifth document: keyed in full later); the annotations by document."""
    for rec in recs:
        store.add_document(rec.document)
    store._conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (recs[0].id, recs[-1].id))
    for i, ann in enumerate(anns):
        store.save_annotations(ann if i % 5 == 4 else encode(ann))
    return {a.doc: a for a in anns}


def _cores(monkeypatch, n: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(n)))


def noted_keys(address, settings, full):
    """The child's keying (in the child: this module is imported there), noting its process in
    the file KEYED_BY names and failing as KEYS_FAIL says."""
    from storyline.kb.sqlite import SqliteStore

    with open(os.environ["KEYED_BY"], "a") as f:
        f.write(f"{os.getpid()}\n")
    how = os.environ.get("KEYS_FAIL")
    if how == "raises":
        raise StoreError("the disk is full", code="E300", path="kb.db")
    if how == "dies":
        os._exit(3)
    if how == "fails after two pages":
        incremental._PAGE = 8
        real, saves = SqliteStore.save_doc_keys, []

        def save(self, *args):
            saves.append(1)
            if len(saves) == 3:
                raise StoreError("the disk is full", code="E300")
            return real(self, *args)

        SqliteStore.save_doc_keys = save  # type: ignore[method-assign]
    keyed = incremental._key_store(address, settings, full)
    if how == "sleeps":
        time.sleep(60)
    return keyed


@pytest.fixture
def keyed_by(monkeypatch, tmp_path):
    """The processes that keyed, in order, as a list made when asked (a child notes its own)."""
    log = tmp_path / "keyed_by"
    real = incremental.key_documents

    def spy(store, *args, **kwargs):
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(store, *args, **kwargs)

    monkeypatch.setenv("KEYED_BY", str(log))
    monkeypatch.setattr(incremental, "key_documents", spy)
    monkeypatch.setattr(incremental, "_key_store", noted_keys)

    def pids() -> list[int]:
        out = [int(x) for x in log.read_text().split()] if log.exists() else []
        log.unlink(missing_ok=True)
        return out

    return pids


def _report(rep) -> dict:
    return {k: v for k, v in rep.as_dict().items() if k != "seconds"}


def _same(a, b, tables=None) -> None:
    da, db = a.dump(), b.dump()
    for t in tables or sorted(set(da) | set(db)):
        assert da[t] == db[t], t
    assert a.resolution() == b.resolution()


@pytest.mark.issue(20)
def test_keys_made_apart_equal_keys_made_here(feed, tmp_path, monkeypatch, keyed_by):
    recs, anns = feed()
    with storyline.open_store(tmp_path / "apart.db") as apart, storyline.open_store(tmp_path / "here.db") as here:
        kept = {s: _load(s, recs[:56], anns[:56]) for s in (apart, here)}
        _cores(monkeypatch, 2)
        a = resolve_store(apart, annotations=kept[apart])  # a fresh ingest's: its annotations in memory
        assert [p != os.getpid() for p in keyed_by()] == [True]  # keyed by a child
        _cores(monkeypatch, 1)
        b = resolve_store(here, annotations=kept[here])
        assert keyed_by() == [os.getpid()]
        assert _report(a) == _report(b) and a.mode == "full" and a.keyed == 56
        _same(apart, here)
        for s in (apart, here):  # more documents: a store with a resolution keys here, whatever the cores
            for rec in recs[56:]:
                s.add_document(rec.document)
            for ann in anns[56:]:
                s.save_annotations(encode(ann))
        again = dataclasses.replace(anns[5], entities=anns[5].entities[1:])  # annotated again, then all rebuilt
        reports = []
        for s, cores in ((apart, 2), (here, 1)):
            _cores(monkeypatch, cores)
            reports.append(_report(resolve_store(s)))
            assert keyed_by() == [os.getpid()]
            s.save_annotations(encode(again))
            reports.append(_report(resolve_store(s, full=True)))  # keys and term counts made again
            assert [p != os.getpid() for p in keyed_by()] == [cores == 2]
        assert reports[:2] == reports[2:] and reports[1]["keyed"] == 1
        _same(apart, here)


@pytest.mark.issue(20)
def test_keys_made_apart_on_postgresql_equal_keys_made_here(feed, request, tmp_path, monkeypatch, keyed_by):
    recs, anns = feed()
    with storyline.open_store(request.getfixturevalue("pg_url")) as apart, storyline.open_store(tmp_path / "here.db") as here:
        kept = {s: _load(s, recs, anns) for s in (apart, here)}
        _cores(monkeypatch, 2)
        a = resolve_store(apart, annotations=kept[apart])
        assert [p != os.getpid() for p in keyed_by()] == [True]
        _cores(monkeypatch, 1)
        b = resolve_store(here, annotations=kept[here])
        assert _report(a) == _report(b)
        _same(apart, here, ("doc_keys", "keyed", "term_df", "df_docs"))


@pytest.mark.issue(20)
def test_one_core_or_a_store_in_memory_keys_here(feed, tmp_path, monkeypatch, keyed_by):
    recs, anns = feed(20)
    _cores(monkeypatch, 1)
    with storyline.open_store(tmp_path / "one.db") as store:
        assert resolve_store(store, annotations=_load(store, recs, anns)).keyed == 20
    _cores(monkeypatch, 2)
    with storyline.open_store(":memory:") as store:
        assert resolve_store(store, annotations=_load(store, recs, anns)).keyed == 20
    assert keyed_by() == [os.getpid(), os.getpid()]


@pytest.mark.issue(20)
@pytest.mark.parametrize("how", ["raises", "dies", "fails after two pages"])
def test_a_child_that_fails_raises_here_and_the_next_run_keys_and_resolves(feed, tmp_path, monkeypatch, keyed_by, how):
    recs, anns = feed(40)
    _cores(monkeypatch, 2)
    monkeypatch.setenv("KEYS_FAIL", how)
    with storyline.open_store(tmp_path / "kb.db") as store, storyline.open_store(":memory:") as ref:
        kept = _load(store, recs, anns)
        if how == "dies":
            with pytest.raises(RuntimeError, match="ended before"):
                resolve_store(store, annotations=kept)
        else:
            with pytest.raises(StoreError) as err:
                resolve_store(store, annotations=kept)
            assert err.value.reason == "the disk is full" and err.value.code == "E300"
        assert [p != os.getpid() for p in keyed_by()] == [True]
        assert not store.has_resolution()  # nothing saved without its keys
        made = store._conn.execute("SELECT count(*) FROM keyed").fetchone()[0]
        assert made == (16 if how == "fails after two pages" else 0)  # whole pages only
        monkeypatch.delenv("KEYS_FAIL")
        rep = resolve_store(store)
        assert rep.mode == "full" and rep.keyed == 40 - made
        _load(ref, recs, anns)
        resolve_store(ref)
        _same(store, ref)


@pytest.mark.issue(20)
def test_an_error_here_ends_the_child_and_the_next_run_keys_and_resolves(feed, tmp_path, monkeypatch, keyed_by):
    import storyline.resolve

    recs, anns = feed(30)
    log = Path(os.environ["KEYED_BY"])

    def broken(*args, **kwargs):
        for _ in range(300):  # until the child has begun
            if log.exists():
                break
            time.sleep(0.05)
        raise ValueError("resolution failed")

    _cores(monkeypatch, 2)
    monkeypatch.setenv("KEYS_FAIL", "sleeps")
    monkeypatch.setattr(storyline.resolve, "resolve", broken)
    with storyline.open_store(tmp_path / "kb.db") as store, storyline.open_store(":memory:") as ref:
        kept = _load(store, recs, anns)
        started = time.perf_counter()
        with pytest.raises(ValueError, match="resolution failed"):
            resolve_store(store, annotations=kept)
        assert time.perf_counter() - started < 30
        child = keyed_by()[0]
        assert child != os.getpid()
        with pytest.raises(ChildProcessError):  # killed and reaped
            os.waitpid(child, os.WNOHANG)
        monkeypatch.undo()
        assert resolve_store(store).mode == "full"
        _load(ref, recs, anns)
        resolve_store(ref)
        _same(store, ref)
