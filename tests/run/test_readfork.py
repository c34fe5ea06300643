"""The read stage in a reader process while this process annotates (storyline.run.readfork): the
store and the report are those of reading first, annotation starts before the reading ends, a
reader's failure is raised here with nothing half-written, and small jobs, one core or a store in
memory read in this process."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import storyline
from storyline.errors import StoreError
from storyline.kb import is_server_url
from storyline.run import local, readfork
from storyline.run.forks import Forked

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"
SETTINGS = storyline.Settings(batch_size=2)  # a first batch of two documents, then the rest


@pytest.fixture
def forks(monkeypatch) -> list[str]:
    """The names of the processes forked (Forked) while the test runs."""
    names: list[str] = []
    real = Forked.__init__

    def spy(self, name, *args):
        names.append(name)
        real(self, name, *args)

    monkeypatch.setattr(Forked, "__init__", spy)
    return names


def _inputs(fixtures_dir: Path) -> list[str]:
    # the demo articles, files that cannot be read (binary, empty, a truncated .gz) and a missing path
    return [str(DEMO), str(fixtures_dir / "ingest"), "/nonexistent/storyline/article.txt"]


def _ingest(monkeypatch, paths, db, *, apart: bool, progress=None):
    monkeypatch.setattr(local, "EARLY_START_BYTES", 1 if apart else 1 << 60)
    with storyline.open_store(db, SETTINGS) as store:
        report = storyline.ingest(paths, store, SETTINGS, workers=1, progress=progress)
        order = [] if is_server_url(str(db)) else [tuple(r) for r in store._conn.execute(
            "SELECT d.id, a.rowid FROM documents d JOIN annotated a ON a.doc = d.id ORDER BY d.rowid")]
        return report, store.dump(), order


def _counts(report) -> dict:
    out = report.as_dict()
    del out["seconds"], out["stages"]
    return out


def test_reading_apart_stores_what_reading_first_stores(tmp_path, fixtures_dir, monkeypatch, forks):
    paths = _inputs(fixtures_dir)
    first, want, want_order = _ingest(monkeypatch, paths, tmp_path / "first.db", apart=False)
    assert forks == []
    apart, got, got_order = _ingest(monkeypatch, paths, tmp_path / "apart.db", apart=True)
    assert forks == ["reader"]
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], table
    assert got_order == want_order  # documents annotated in storage order, as they were stored
    assert _counts(apart) == _counts(first)
    assert apart.annotated == apart.new > 4
    # an input that cannot be read is still reported with its path and reason
    failed = {Path(f.path).name: (f.code, f.reason) for f in apart.failed}
    assert failed["article.txt"][0] == "E100" and failed["empty.txt"][0] == "E102"
    assert all(reason for _, reason in failed.values())
    assert set(apart.stages) == {"read", "annotate", "resolve"}


def test_annotation_starts_before_the_reading_ends(tmp_path, monkeypatch, forks):
    """The first batch is annotated while the reader still reads (it stalls after that batch)."""
    real = readfork.read_paths

    def slow(paths, settings):
        for i, item in enumerate(real(paths, settings)):
            if i == SETTINGS.batch_size:
                time.sleep(1.0)
            yield item

    monkeypatch.setattr(readfork, "read_paths", slow)
    events: list[tuple] = []
    report, _, _ = _ingest(monkeypatch, [str(DEMO)], tmp_path / "kb.db", apart=True,
                           progress=lambda stage, done, total: events.append((stage, done)))
    assert forks == ["reader"]
    first_annotated = events.index(("annotate", 1))
    last_read = max(i for i, (stage, _) in enumerate(events) if stage == "read")
    assert first_annotated < last_read
    assert report.annotated == report.new > 4
    # "read" is what annotation waited for (here the stall, once the first batch was annotated)
    assert 0.5 < report.stages["read"] < report.seconds - report.stages["annotate"]


def test_reading_again_what_is_stored_loads_no_pipeline(tmp_path, monkeypatch, forks):
    from storyline.run import pool

    db = tmp_path / "kb.db"
    _ingest(monkeypatch, [str(DEMO)], db, apart=True)

    def no_pipeline(settings):
        raise AssertionError("the pipeline was loaded with nothing to annotate")

    monkeypatch.setattr(pool, "local_pipeline", no_pipeline)
    report, _, _ = _ingest(monkeypatch, [str(DEMO)], db, apart=True)
    assert forks == ["reader", "reader"]
    assert report.annotated == report.new == 0 and report.duplicate == report.read > 4


def test_a_failing_reader_raises_here_and_leaves_whole_documents(tmp_path, monkeypatch, forks):
    """The reader's error is raised here as itself; its batch was rolled back: the store holds the
    first batch's documents, each whole (source, full-text row, bands), and nothing of the second."""
    from storyline.kb.sqlite import SqliteStore

    real, calls = SqliteStore._index_texts, [0]

    def fails_second(self, conn, after, docs):
        calls[0] += 1  # the reader's own count (this process stores nothing)
        real(self, conn, after, docs)
        if calls[0] == 2:
            raise StoreError("the disk is full", code="E300", path="kb.db")

    monkeypatch.setattr(SqliteStore, "_index_texts", fails_second)
    db = tmp_path / "kb.db"
    with pytest.raises(StoreError) as err:
        _ingest(monkeypatch, [str(DEMO)], db, apart=True)
    assert err.value.code == "E300" and err.value.reason == "the disk is full"
    assert str(err.value) == "kb.db: [E300] the disk is full"
    assert forks == ["reader"]
    with storyline.open_store(db, SETTINGS) as store:
        ids = {r[0] for r in store._conn.execute("SELECT id FROM documents")}
        assert len(ids) == SETTINGS.batch_size
        assert {r[0] for r in store._conn.execute("SELECT doc FROM sources")} == ids
        assert store._conn.execute("SELECT count(*) FROM doc_fts").fetchone()[0] == len(ids)
        assert store.annotated_ids() <= ids


def test_a_reader_that_dies_is_an_error_here(tmp_path, monkeypatch):
    def dies(paths, settings):
        os._exit(3)
        yield  # pragma: no cover

    monkeypatch.setattr(readfork, "read_paths", dies)
    with pytest.raises(RuntimeError, match=r"reader process ended before it finished \(exit status 3\)"):
        _ingest(monkeypatch, [str(DEMO)], tmp_path / "kb.db", apart=True)


def test_one_core_or_a_store_in_memory_reads_here(tmp_path, monkeypatch, forks):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    report, _, _ = _ingest(monkeypatch, [str(DEMO)], tmp_path / "kb.db", apart=True)
    assert forks == [] and report.annotated == report.new > 4
    monkeypatch.undo()
    monkeypatch.setattr(local, "EARLY_START_BYTES", 1)
    with storyline.open_store(":memory:", SETTINGS) as store:
        assert store.address() is None
        report = storyline.ingest([str(DEMO)], store, SETTINGS, workers=1)
    assert report.annotated == report.new > 4


def test_reading_apart_on_postgresql(pg_server, pg_url, tmp_path, fixtures_dir, monkeypatch, forks):
    other = pg_server.create_db()
    try:
        paths = _inputs(fixtures_dir)
        first, want, want_order = _ingest(monkeypatch, paths, other, apart=False)
        apart, got, got_order = _ingest(monkeypatch, paths, pg_url, apart=True)
        assert forks == ["reader"]
        assert got == want and got_order == want_order and _counts(apart) == _counts(first)
    finally:
        pg_server.drop_db(other)
