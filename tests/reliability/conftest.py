"""Fixtures for the reliability suite: one language pipeline per session, the demo corpus,
and a finished reference store to compare interrupted runs with."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"


@pytest.fixture(scope="session")
def nlp():
    from storyline.config import Settings
    from storyline.nlp import build_pipeline

    return build_pipeline(Settings())


@pytest.fixture(scope="session")
def demo() -> Path:
    return DEMO


def ingest_into(db: Path, paths, nlp, **kw):
    """``storyline.run.ingest`` on a store file, closed afterwards; returns the report."""
    from storyline.kb import open_store
    from storyline.run import ingest

    with open_store(db) as store:
        return ingest([str(p) for p in paths], store, nlp=nlp, workers=1, **kw)


def dump(db: Path) -> dict:
    from storyline.kb import open_store

    with open_store(db) as store:
        return store.dump()


@pytest.fixture(scope="session")
def reference(tmp_path_factory, nlp) -> dict:
    """The store an uninterrupted ingest of the demo corpus leaves."""
    db = tmp_path_factory.mktemp("reference") / "kb.db"
    ingest_into(db, [DEMO], nlp)
    return dump(db)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, nlp) -> Path:
    """A finished store of the demo corpus (copy it before changing it)."""
    db = tmp_path_factory.mktemp("demo_db") / "kb.db"
    ingest_into(db, [DEMO], nlp)
    return db


def copy_store(src: Path, dst: Path) -> Path:
    """A copy of a closed store file (WAL checkpointed on close)."""
    import shutil

    shutil.copyfile(src, dst)
    return dst
