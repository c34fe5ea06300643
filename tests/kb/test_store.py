"""The SQLite store: idempotent adds, round trips, transactions, migrations, search."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kb_sample as sample
from storyline.errors import StoreError
from storyline.kb import open_store
from storyline.kb.store import without_nul
from storyline.kb.migrations import MIGRATIONS, applied, migrate
from storyline.model import DocAnnotations, Document, Published, Resolution, When


def test_add_new_then_same_document_changes_nothing(store):
    a, b = sample.documents()
    assert store.add_document(a) == "new"
    assert store.add_document(b) == "new"
    before = store.dump()
    assert store.add_document(a) == "exists"
    assert store.dump() == before
    assert [r.id for r in store.documents()] == [a.id, b.id]


def test_same_document_from_another_source_records_only_the_source(store):
    a, _ = sample.documents()
    store.add_document(a)
    before = store.dump()
    assert store.add_document(dataclasses.replace(a, source="mirror/a.html", title="Other title")) == "exists"
    after = store.dump()
    assert len(after["sources"]) == 2
    assert {k: v for k, v in after.items() if k != "sources"} == {k: v for k, v in before.items() if k != "sources"}
    rec = store.document(a.id)
    assert rec.sources == ("a.txt", "mirror/a.html")
    assert rec.document.title == a.title


def test_document_round_trips_with_metadata(store):
    a, b = sample.documents()
    store.add_document(a)
    store.add_document(b)
    assert store.document(a.id).document == a
    assert store.document(b.id).document == b
    assert store.document(a.id).words == len(a.text.split())


def test_document_prefix_lookup_and_not_found(store):
    base = sample.documents()[0]
    for i in ("abc1", "abc2", "abd0"):
        store.add_document(dataclasses.replace(base, id=i + "0" * 12, text=base.text + i))
    assert store.document("abd").id == "abd0" + "0" * 12
    assert store.document("abc1" + "0" * 12).id.startswith("abc1")
    for bad in ("abc", "zzz", "", "abc2x"):
        with pytest.raises(StoreError) as exc:
            store.document(bad)
        assert exc.value.code == "E302"


def test_published_is_stated_else_inferred_else_unknown(store):
    a, b = sample.documents()
    c = Document(id="c" * 16, text="No date anywhere in this text.", source="c.txt")
    for d in (a, b, c):
        store.add_document(d)
    recs = {r.id: r for r in store.documents()}
    assert recs[b.id].published.basis == "unknown"  # not annotated yet
    for ann in sample.annotations():
        store.save_annotations(ann)
    store.save_annotations(DocAnnotations(doc=c.id, published=Published()))
    recs = {r.id: r for r in store.documents()}
    assert recs[a.id].published == a.published
    assert recs[b.id].published.basis == "inferred"
    assert recs[b.id].published.when.value == "2026-03-06"
    assert recs[c.id].published == Published()


def test_annotations_round_trip_equal(store):
    sample.filled_store(store)
    anns = sample.annotations()
    assert list(store.annotations()) == anns
    assert list(store.annotations([anns[1].doc])) == [anns[1]]
    assert store.annotated_ids() == {a.doc for a in anns}


def test_annotations_in_the_order_asked_and_only_the_fields_asked(store):
    sample.filled_store(store)
    a, b = sample.annotations()
    assert list(store.annotations([b.doc, "no-such-doc", a.doc, b.doc])) == [b, a, b]
    keyed = list(store.annotations(only=("entities", "figures")))
    assert keyed == [dataclasses.replace(x, times=(), quotes=(), events=()) for x in (a, b)]
    assert keyed[0].entities and keyed[0].terms == a.terms
    with pytest.raises(ValueError):
        list(store.annotations(only=("entity",)))


def test_save_annotations_replaces_that_document_only(store):
    sample.filled_store(store)
    a, b = sample.annotations()
    smaller = dataclasses.replace(a, quotes=a.quotes[:1], figures=())
    store.save_annotations(smaller)
    assert list(store.annotations()) == [smaller, b]


def test_failed_annotation_write_rolls_back(store):
    sample.filled_store(store)
    a, _ = sample.annotations()
    broken = dataclasses.replace(a, quotes=a.quotes + a.quotes[:1])  # duplicate quote id violates the key
    before = store.dump()
    with pytest.raises(StoreError) as exc:
        store.save_annotations(broken)
    assert exc.value.code == "E304"  # a constraint refused the data: one document's failure, the same on both backends
    assert store.dump() == before


def test_resolution_round_trip_and_replace(store):
    assert store.resolution() == Resolution()
    sample.filled_store(store)
    res = sample.resolution()
    assert store.resolution() == res
    smaller = dataclasses.replace(res, conflicts=res.conflicts[:1], stories=())
    store.save_resolution(smaller)
    assert store.resolution() == smaller
    assert store.stats()["stories"] == 0 and store.stats()["conflicts"] == 1


def test_stats_counts_rows(store):
    sample.filled_store(store)
    s = store.stats()
    assert s["documents"] == 2 and s["annotated"] == 2 and s["quotes"] == 3 and s["figures"] == 3
    assert s["entities"] == 3 and s["events"] == 1 and s["conflicts"] == 2


@pytest.mark.parametrize(
    "query",
    ['"', '""', 'AND(', "Marwood AND(", "NEAR(a b", "*", "-", "'", "col:umn", "budget OR", "^x", "(", ")", "", "   ",
     "NOT", "title:Velland", '"unterminated', "\u201cMarwood\u201d", "a\x00b"],
)
def test_search_survives_any_query(store, query):
    sample.filled_store(store)
    hits = store.search(query)
    assert isinstance(hits, list)


def test_search_finds_and_marks_terms(store):
    sample.filled_store(store)
    hits = store.search("marwood budget")
    assert {h.doc for h in hits} == {sample.A, sample.B}
    assert all("[Marwood]" in h.snippet or "[budget]" in h.snippet for h in hits)
    assert [h.doc for h in store.search("Kessport")] == [sample.A]
    assert {h.doc for h in store.search("Tomas")} == {sample.A, sample.B}  # accents are folded
    assert store.search("Kessport ships") == []
    assert len(store.search("Ferrant", limit=1)) == 1


def test_saving_a_resolution_leaves_the_indexes_as_they_were(tmp_path, monkeypatch):
    """SQLite drops the resolution tables' indexes while it fills them and makes them again after; a
    save that fails midway leaves the indexes, and the resolution, as they were before it."""
    schema = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with open_store(tmp_path / "kb.db") as s:
        sample.filled_store(s)
        before = [tuple(r) for r in s._conn.execute(schema)]
        assert {"event_reports_doc", "events_when", "support_item"} <= {name for name, _, _ in before}
        s.save_resolution(sample.resolution())
        assert [tuple(r) for r in s._conn.execute(schema)] == before
        plan = s._conn.execute("EXPLAIN QUERY PLAN SELECT event FROM event_reports WHERE doc = ?", ("x",)).fetchall()
        assert any("event_reports_doc" in r[-1] for r in plan)
        saved = s.resolution()
        fill = s._insert_resolution

        def failing(conn, res, first=0):
            fill(conn, res, first)
            raise RuntimeError("cut off")

        monkeypatch.setattr(s, "_insert_resolution", failing)
        with pytest.raises(RuntimeError):
            s.save_resolution(dataclasses.replace(sample.resolution(), conflicts=()))
        assert [tuple(r) for r in s._conn.execute(schema)] == before
        assert s.resolution() == saved


def test_file_store_survives_close_and_reopen(tmp_path):
    path = tmp_path / "kb.db"
    with open_store(path) as s:
        sample.filled_store(s)
        dump = s.dump()
        mode = s._conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with open_store(str(path)) as s:
        assert s.dump() == dump
        assert s.resolution() == sample.resolution()
        assert list(s.annotations()) == sample.annotations()


def test_migrations_recorded_and_not_rerun(tmp_path):
    path = tmp_path / "kb.db"
    with open_store(path) as s:
        first = s._conn.execute("SELECT name, applied_at FROM migrations ORDER BY rowid").fetchall()
        assert [r[0] for r in first] == [m.name for m in MIGRATIONS]
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    with open_store(path) as s:
        assert migrate(s._conn) == []
        again = s._conn.execute("SELECT name, applied_at FROM migrations ORDER BY rowid").fetchall()
        assert [tuple(r) for r in again] == [tuple(r) for r in first]


def test_failing_migration_leaves_nothing_behind():
    from storyline.kb.migrations import Migration

    from storyline.kb.sqlite import SqliteConnection

    conn = SqliteConnection(sqlite3.connect(":memory:", isolation_level=None))
    bad = MIGRATIONS[:1] + (Migration("0002_bad", ("CREATE TABLE half (x)", "CREATE TABLE half (x)")),)
    with pytest.raises(StoreError) as exc:
        migrate(conn, bad)
    assert exc.value.code == "E300" and isinstance(exc.value.__cause__, sqlite3.Error)
    assert applied(conn) == [MIGRATIONS[0].name]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0


def test_newer_store_is_refused(tmp_path):
    path = tmp_path / "kb.db"
    with open_store(path) as s:
        s._conn.execute("INSERT INTO migrations VALUES ('9999_from_the_future', 'x')")
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert exc.value.code == "E301"


@pytest.mark.parametrize("kind", ["directory", "not a database", "missing parent"])
def test_unopenable_store_is_e300(tmp_path, kind):
    if kind == "directory":
        path = tmp_path
    elif kind == "not a database":
        path = tmp_path / "x.db"
        path.write_bytes(b"this is plain text, not SQLite " * 100)
    else:
        path = tmp_path / "no" / "such" / "dir" / "kb.db"
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert exc.value.code == "E300"


def test_near_duplicate_points_to_earliest_stored(store):
    clean = pytest.importorskip("storyline.readers.clean")
    a, _ = sample.documents()
    body = a.text + " The talks resume next week, officials said."
    copy_text = body.replace("Harbour talks stall", "Harbour talks halt")
    d1 = dataclasses.replace(a, id="d1" * 8, text=body, fingerprint=tuple(clean.minhash(body)))
    d2 = dataclasses.replace(a, id="d2" * 8, text=copy_text, source="syndicated.txt", fingerprint=tuple(clean.minhash(copy_text)))
    other = "An unrelated report about grain prices in the northern provinces, which rose again this spring."
    d3 = Document(id="d3" * 8, text=other, source="o.txt", fingerprint=tuple(clean.minhash(other)))
    for d in (d1, d2, d3):
        store.add_document(d)
    recs = {r.id: r for r in store.documents()}
    assert recs[d1.id].duplicate_of is None
    assert recs[d2.id].duplicate_of == d1.id
    assert recs[d3.id].duplicate_of is None


# ------------------------------------------------------------------ property

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200)
whens = st.one_of(st.just(When()), st.dates().map(lambda d: When(d.isoformat(), d.isoformat(), d.isoformat())))
doc_strategy = st.builds(
    Document,
    id=st.text(alphabet="0123456789abcdef", min_size=16, max_size=16),
    text=words,
    source=st.text(min_size=1, max_size=40),
    title=st.one_of(st.none(), st.text(max_size=60)),
    byline=st.one_of(st.none(), st.text(max_size=30)),
    published=st.builds(Published, whens, st.sampled_from(["stated", "metadata", "inferred", "unknown"])),
    captions=st.lists(st.text(max_size=20), max_size=3).map(tuple),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(doc_strategy, min_size=1, max_size=6))
def test_adding_documents_twice_changes_nothing(docs):
    with open_store(":memory:") as s:
        for d in docs:
            s.add_document(d)
        dump = s.dump()
        for d in docs:
            assert s.add_document(d) == "exists"
        assert s.dump() == dump
        first = {}
        for d in docs:
            first.setdefault(d.id, without_nul(d))  # a NUL is stored as U+FFFD, noted in repairs
        assert [r.document for r in s.documents()] == list(first.values())


def test_unannotated_documents_and_near_duplicate_count(store):
    for doc in sample.documents():
        store.add_document(doc)
    pending = store.unannotated_documents()
    assert [d.id for d in pending] == [r.id for r in store.documents()]
    store.save_annotations(sample.annotations()[0])
    assert sample.annotations()[0].doc not in {d.id for d in store.unannotated_documents()}
    assert store.near_duplicate_count() == sum(1 for r in store.documents() if r.duplicate_of)


def test_search_caps_and_limits_hold_on_every_backend(store):
    from storyline.errors import ConfigError

    sample.filled_store(store)
    for q in (" OR ".join(["a"] * 2500), " ".join(f"w{i}" for i in range(33))):
        with pytest.raises(ConfigError) as exc:
            store.search(q)
        assert exc.value.code == "E402"
    assert store.search(" ".join(["marwood"] * 32))  # at the cap: fine, and it finds
    assert len(store.search("marwood", limit=10**30, offset=0)) == 2
    assert store.search("marwood", offset=10**30) == []


# ------------------------------------------------------------------ documents a batch to a transaction


def _three(clean):
    a, _ = sample.documents()
    body = a.text + " The talks resume next week, officials said."
    copy_text = body.replace("Harbour talks stall", "Harbour talks halt")
    other = "An unrelated report about grain prices in the northern provinces, which rose again this spring."
    return [
        dataclasses.replace(a, id="d1" * 8, text=body, fingerprint=tuple(clean.minhash(body))),
        dataclasses.replace(a, id="d2" * 8, text=copy_text, source="syndicated.txt", fingerprint=tuple(clean.minhash(copy_text))),
        Document(id="d3" * 8, text=other, source="o.txt", fingerprint=tuple(clean.minhash(other))),
    ]


def test_a_batch_stores_as_one_document_after_another(store):
    clean = pytest.importorskip("storyline.readers.clean")
    d1, d2, d3 = _three(clean)
    assert store.add_documents([d1, d2, d1, d3]) == ["new", "new", "exists", "new"]
    recs = {r.id: r for r in store.documents()}
    assert recs[d2.id].duplicate_of == d1.id  # a document sees those before it in its batch
    assert recs[d1.id].duplicate_of is None and recs[d3.id].duplicate_of is None
    before = store.dump()
    assert store.add_documents([d3, d2, d1]) == ["exists"] * 3
    assert store.dump() == before
    assert store.add_documents([]) == []


def test_a_refused_document_is_left_out_and_the_batch_goes_on(store):
    clean = pytest.importorskip("storyline.readers.clean")
    d1, d2, d3 = _three(clean)
    broken = dataclasses.replace(d2, source=None)  # a NOT NULL column: the store refuses it (E304), on every backend
    out = store.add_documents([d1, broken, d3])
    assert out[0] == out[2] == "new" and isinstance(out[1], StoreError) and out[1].code == "E304"
    assert [r.id for r in store.documents()] == [d1.id, d3.id]  # nothing of d2: row, source, bands
    dump = store.dump()
    assert all(d2.id not in str(row) for rows in dump.values() for row in rows)
    assert store.add_documents([d2]) == ["new"]
    assert store.document(d2.id).duplicate_of == d1.id


def _refusing(store, monkeypatch, doc_id: str) -> None:
    """``store`` refuses the full-text row of ``doc_id`` (E304), in a batch or alone."""
    one, many = store._index_text, store._index_texts

    def index(conn, rowid, doc):
        if doc.id == doc_id:
            raise StoreError("refused", code="E304")
        return one(conn, rowid, doc)

    def index_all(conn, after, docs):
        if any(d.id == doc_id for d in docs):
            raise StoreError("refused", code="E304")
        return many(conn, after, docs)

    monkeypatch.setattr(store, "_index_text", index)
    monkeypatch.setattr(store, "_index_texts", index_all)


def test_a_document_refused_after_the_batch_wrote_rows_leaves_nothing_of_it(store, monkeypatch):
    clean = pytest.importorskip("storyline.readers.clean")
    d1, d2, d3 = _three(clean)
    with monkeypatch.context() as patch:
        _refusing(store, patch, d2.id)
        out = store.add_documents([d1, d2, d3])
    assert out[0] == out[2] == "new" and isinstance(out[1], StoreError) and out[1].code == "E304"
    assert [r.id for r in store.documents()] == [d1.id, d3.id]
    assert all(d2.id not in str(row) for rows in store.dump().values() for row in rows)
    assert store.search_ids("grain prices") == [d3.id]  # the batch's own full-text rows, once each
    assert store.add_documents([d2]) == ["new"]
    assert store.document(d2.id).duplicate_of == d1.id


class _Killed(BaseException):
    """Stands for SIGKILL mid-batch: not an Exception, so nothing catches it."""


def test_a_batch_cut_midway_leaves_nothing_of_it(store, monkeypatch):
    clean = pytest.importorskip("storyline.readers.clean")
    d1, d2, d3 = _three(clean)
    real = store._index_texts

    def index(conn, after, docs):  # the batch's documents and sources rows written, not yet indexed
        raise _Killed

    monkeypatch.setattr(store, "_index_texts", index)
    with pytest.raises(_Killed):
        store.add_documents([d1, d2, d3])
    assert store.documents() == []
    monkeypatch.setattr(store, "_index_texts", real)
    assert store.add_documents([d1, d2, d3]) == ["new"] * 3  # the same batch again: stored once, whole
    assert [(r.id, r.duplicate_of) for r in store.documents()] == [(d1.id, None), (d2.id, d1.id), (d3.id, None)]


def test_the_read_stage_reports_a_refused_document_as_a_failure(monkeypatch):
    from storyline.readers import IngestFailure
    from storyline.run.local import IngestReport, quiet, store_read

    clean = pytest.importorskip("storyline.readers.clean")
    d1, d2, d3 = _three(clean)
    with open_store(":memory:") as s:
        _refusing(s, monkeypatch, d2.id)
        report = IngestReport()
        store_read(s, [d1, IngestFailure("bad.bin", "E103", "binary"), d2, d3, d1], report, quiet)
        assert (report.read, report.new, report.duplicate) == (3, 2, 1)
        assert [(f.path, f.code) for f in report.failed] == [("bad.bin", "E103"), (d2.source, "E304")]
