"""Blocking keys saved with the annotations (issue 20 §1): the keys a document's annotations
decide alone are made where they are encoded and written with them, so the resolution stage only
adds those that need the store (text keys, a near-duplicate's original). The keys, term counts and
resolution equal those of a store keyed by the resolution stage alone, across batches, documents
annotated again, keys of another version and stores written before keys were saved."""

from __future__ import annotations

import dataclasses

import pytest

import storyline
from storyline.kb.migrations import MIGRATIONS
from storyline.kb.writes import encode_annotations
from storyline.resolve.keys import KEY_VERSION, annotation_keys
from storyline.run.incremental import resolve_store
from storyline.run.pool import encode

MIGRATION = next(m.name for m in MIGRATIONS if m.name.endswith("_annotation_keys"))


def _load(store, recs, anns, keys: bool, duplicates: dict[str, str] | None = None) -> None:
    """Store and annotate, with the keys saved as the annotators save them, or none (as before)."""
    for rec in recs:
        store.add_document(rec.document)
    for doc, original in (duplicates or {}).items():  # what the read stage found near-duplicate
        store._conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (original, doc))
    for ann in anns:
        store.save_annotations(encode(ann) if keys else ann)


def _same(a, b) -> None:
    da, db = a.dump(), b.dump()
    for table in ("doc_keys", "keyed", "term_df", "df_docs"):
        assert da[table] == db[table], table
    assert a.resolution() == b.resolution()


@pytest.mark.issue(20)
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_keys_saved_with_annotations_key_and_resolve_as_the_resolution_stage_alone(feed, request, backend):
    recs, anns = feed()
    db = ":memory:" if backend == "sqlite" else request.getfixturevalue("pg_url")
    with storyline.open_store(db) as saved, storyline.open_store(":memory:") as later:
        for store, keys in ((saved, True), (later, False)):
            _load(store, recs[:56], anns[:56], keys, {recs[39].id: recs[3].id})
        one = anns[0].doc
        assert saved.keys_of([one]) == annotation_keys(anns[0]) and later.keys_of([one]) == set()
        assert resolve_store(saved).mode == resolve_store(later).mode == "full"
        assert "d:" + recs[3].id in saved.keys_of([recs[39].id])  # the near-duplicate's original
        _same(saved, later)
        for store, keys in ((saved, True), (later, False)):
            _load(store, recs[56:], anns[56:], keys, {recs[59].id: recs[41].id})
        assert resolve_store(saved).mode == resolve_store(later).mode == "partial"
        _same(saved, later)
        again = dataclasses.replace(anns[5], entities=anns[5].entities[1:])  # annotated again: one name less
        for store, keys in ((saved, True), (later, False)):
            store.save_annotations(encode(again) if keys else again)
        assert saved.keys_of([again.doc]) == annotation_keys(again)  # its text keys are made again
        resolve_store(saved)
        resolve_store(later)
        _same(saved, later)
        resolve_store(saved, full=True)
        resolve_store(later, full=True)
        _same(saved, later)


@pytest.mark.issue(20)
def test_keys_saved_under_another_version_are_made_again_in_full(feed):
    recs, anns = feed(30)
    with storyline.open_store(":memory:") as saved, storyline.open_store(":memory:") as later:
        _load(later, recs, anns, keys=False)
        for rec in recs:
            saved.add_document(rec.document)
        for ann in anns:
            stale = encode_annotations(ann, {"d:" + ann.doc, "p:stale"}, KEY_VERSION - 1)
            saved.save_annotations(encode(ann) if ann.doc < anns[15].doc else stale)
        resolve_store(saved)
        resolve_store(later)
        assert not saved.has_key("p:stale")
        _same(saved, later)


@pytest.mark.issue(20)
def test_a_store_written_before_keys_were_saved_is_keyed_and_resolves_the_same(feed, tmp_path):
    """A store of the code before keys were saved with the annotations (resolved, then more
    documents annotated): once migrated, the resolution stage keys what it had not keyed yet in
    full, and the store ends as one written with saved keys throughout."""
    recs, anns = feed()
    path = tmp_path / "old.db"
    with storyline.open_store(path) as old:
        _load(old, recs[:40], anns[:40], keys=False)
        resolve_store(old)
        _load(old, recs[40:], anns[40:], keys=False)
        # as that code left it: no key_version column, the migration not run
        old._conn.execute("ALTER TABLE annotated DROP COLUMN key_version")
        old._conn.execute("DELETE FROM migrations WHERE name = ?", (MIGRATION,))
        old._conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    with storyline.open_store(path) as old, storyline.open_store(":memory:") as new:
        assert old._conn.execute("SELECT count(*) FROM annotated WHERE key_version IS NULL").fetchone()[0] == len(anns)
        _load(new, recs[:40], anns[:40], keys=True)
        resolve_store(new)
        _load(new, recs[40:], anns[40:], keys=True)
        assert resolve_store(old).keyed == resolve_store(new).keyed == 20
        _same(old, new)
