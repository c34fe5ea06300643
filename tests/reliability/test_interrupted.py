"""Issue 10, item 2: a run killed at any stage boundary (read, store, annotate, resolve,
save) leaves the store so that the next writing command finishes the work: the store ends
the same as after an uninterrupted run. The store knows a resolution is owed (a durable
marker raised with every save of annotations, cleared after a resolution is saved)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.config import Settings
from storyline.kb import Store, open_store
from storyline.kb.sqlite import SqliteStore
from storyline.run import local

from .conftest import dump, ingest_into

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in storyline catches it."""


def _kill_on_call(n: int, real):
    calls = {"n": 0}

    def hook(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= n:
            raise Killed
        return real(*args, **kwargs)

    return hook


# stage boundary -> (object, attribute, on which call to die)
BOUNDARIES = {
    "read": (Store, "add_documents", 1),  # files read, nothing stored
    "store": (SqliteStore, "_index_texts", 3),  # some documents stored (2 to a transaction), a batch half-written
    "annotate": (Store, "save_encoded", 2),  # some documents annotated (written 3 to a transaction)
    "resolve": (local, "resolve_store", 1),  # every document annotated, no resolution
    "save": (Store, "save_resolution", 1),  # resolution computed, not saved
}


@pytest.mark.parametrize("stage", list(BOUNDARIES))
def test_killed_at_each_boundary_then_same_ingest(tmp_path, demo, nlp, reference, monkeypatch, stage):
    owner, name, n = BOUNDARIES[stage]
    db = tmp_path / "kb.db"
    with monkeypatch.context() as patch:
        patch.setattr(owner, name, _kill_on_call(n, getattr(owner, name)))
        if stage == "save":  # the incremental path saves through replace_resolution_part
            patch.setattr(Store, "replace_resolution_part", _kill_on_call(1, Store.replace_resolution_part))
        patch.setattr(local, "STORE_BATCH", 2)
        with pytest.raises(Killed):
            ingest_into(db, [demo], nlp, settings=Settings(batch_size=3) if stage == "annotate" else None)
    if stage == "store":
        with open_store(db) as store:
            assert store.document_count() == 4  # two batches whole; of the third, nothing
    if stage == "annotate":
        with open_store(db) as store:
            assert len(store.annotated_ids()) == 3  # the first batch, whole; the second, not at all
    if stage in ("resolve", "save"):
        with open_store(db) as store:
            assert store.resolution_owed() is not None  # the store knows what it owes
            assert store.stats()["stories"] == 0
    report = ingest_into(db, [demo], nlp)
    assert report.exit_code == 0
    assert dump(db) == reference


def test_killed_before_resolution_then_any_writing_command(tmp_path, demo, nlp, reference, monkeypatch):
    """reannotate (a writing command) also finishes an owed resolution."""
    db = tmp_path / "kb.db"
    with monkeypatch.context() as patch:
        patch.setattr(local, "resolve_store", _kill_on_call(1, local.resolve_store))
        with pytest.raises(Killed):
            ingest_into(db, [demo], nlp)
    res = CliRunner().invoke(app, ["reannotate", "--db", str(db), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert dump(db) == reference


def _cli_ingest(db, demo):
    env = {**os.environ, "STORYLINE_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", "ingest", str(demo), "--workers", "1"],
        capture_output=True, text=True, timeout=300, env=env,
    )


def test_kill_9_between_annotation_and_resolution(tmp_path, demo):
    """A real SIGKILL-like exit (os._exit, no cleanup) right before the resolution, then the CLI;
    the reference is an uninterrupted CLI run (same processes, same code)."""
    ref_db = tmp_path / "ref.db"
    assert _cli_ingest(ref_db, demo).returncode == 0
    db = tmp_path / "kb.db"
    script = textwrap.dedent(
        f"""
        import os
        from storyline.kb import open_store
        from storyline.run import ingest, local
        local.resolve_store = lambda *a, **k: os._exit(137)
        ingest([{str(demo)!r}], open_store({str(db)!r}), workers=1)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 137, proc.stderr
    with open_store(db) as store:
        assert store.stats()["stories"] == 0 and len(store.annotated_ids()) == store.document_count() > 0
    proc = _cli_ingest(db, demo)
    assert proc.returncode == 0, proc.stderr
    assert "annotated 0" in proc.stdout
    assert dump(db) == dump(ref_db)
