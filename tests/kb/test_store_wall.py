"""The store owns its database (issue 21) and changes nothing that is not a storyline store
(issue 22): driver errors arrive coded, a failing document is flagged on both backends and the
batch goes on, NUL is stored alike on both, settings reach the store, another application's
database is refused untouched, and near-duplicate candidates stay bounded."""

from __future__ import annotations

import ast
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import StoreError
from storyline.kb import open_store
from storyline.kb.store import without_nul
from storyline.model import Document
from storyline.neardup import BUCKET_CAP, fingerprint, lsh_keys

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "storyline"
DEMO = SRC / "examples" / "demo"
MARK = "Quibblewick"


def _imports(path: Path) -> set[str]:
    """Absolute and relative module names a file imports (relative ones resolved against storyline)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                out.add(mod)
                out.update(f"{mod}.{a.name}" for a in node.names)
            else:
                out.add(node.module or "")
    return out


@pytest.mark.issue(21)
def test_no_module_outside_kb_imports_a_database_driver():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.parent.name == "kb" and path.parent.parent == SRC:
            continue
        for mod in _imports(path):
            if mod.split(".")[0] in ("sqlite3", "psycopg", "psycopg2"):
                offenders.append((str(path.relative_to(SRC)), mod))
    assert offenders == []


@pytest.mark.issue(21)
def test_no_import_circle_in_kb_and_kb_does_not_import_readers():
    kb = SRC / "kb"
    graph = {}
    for path in kb.glob("*.py"):
        name = f"storyline.kb.{path.stem}"
        mods = _imports(path)
        assert not any(m.startswith(("storyline.readers", "storyline.nlp", "storyline.resolve")) for m in mods), name
        graph[name] = {m for m in mods if m.startswith("storyline.kb.") and m.count(".") == 2 and m != name}
    graph.pop("storyline.kb.__init__", None)

    def visit(node, stack):
        for nxt in graph.get(node, ()):
            assert nxt not in stack, f"import circle: {' -> '.join(stack + [nxt])}"
            visit(nxt, stack + [nxt])

    for node in graph:
        visit(node, [node])


# ------------------------------------------------------------------ one failing document, both backends


@pytest.fixture(scope="module")
def nlp():
    from storyline.config import Settings
    from storyline.nlp import build_pipeline

    return build_pipeline(Settings())


@pytest.fixture
def pile(tmp_path):
    folder = tmp_path / "pile"
    shutil.copytree(DEMO, folder)
    (folder / "99_marked.txt").write_text(
        "Harbour board meets\n\nThe harbour board of Quibblewick met on Monday, 3 March 2025. "
        "Its chair, Anna Berg, said the dock would reopen in May.\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.issue(21)
def test_a_document_the_store_refuses_is_flagged_and_the_batch_goes_on(store, pile, nlp, monkeypatch):
    """Two times with one id break a key on either backend (E304): that document is flagged E203,
    every other one is annotated and resolved (on PostgreSQL this aborted the whole ingest)."""
    import dataclasses

    import storyline.nlp as nlp_pkg
    from storyline.run import ingest

    real = nlp_pkg.to_annotations

    def twice(doc, offset=0):
        ann = real(doc, offset)
        if MARK in doc.text:
            assert ann.times, "the marked article states a date"
            ann = dataclasses.replace(ann, times=ann.times + ann.times[:1])
        return ann

    monkeypatch.setattr(nlp_pkg, "to_annotations", twice)
    report = ingest([str(pile)], store, nlp=nlp, workers=1)
    assert [(f.path.endswith("99_marked.txt"), f.code) for f in report.failed] == [(True, "E203")]
    assert report.exit_code == 1
    (flag,) = store.failures()
    assert flag["code"] == "E203" and flag["source"].endswith("99_marked.txt")
    assert len(store.annotated_ids()) == store.document_count() - 1 == report.annotated
    assert store.stats()["stories"] > 0  # the others were resolved


# ------------------------------------------------------------------ NUL, both backends


@pytest.mark.issue(22)
def test_nul_is_stored_as_replacement_character_on_both_backends(store):
    text = "Port talks\x00 resume in Lakeport on Monday, the union said."
    doc = Document(id="nul0" * 4, text=text, source="feed.jsonl#3", title="Talks\x00 resume", fingerprint=fingerprint(text))
    assert store.add_document(doc) == "new"
    got = store.document(doc.id).document
    assert got.text == text.replace("\x00", "\ufffd") and len(got.text) == len(text)  # offsets hold
    assert got.title == "Talks\ufffd resume"
    assert got.repairs == ("2 NUL characters replaced with U+FFFD",)
    assert got == without_nul(doc)
    assert store.add_document(doc) == "exists"  # the same record read again is the same document


@pytest.mark.issue(22)
def test_nul_in_a_resolution_name_or_label_is_stored_as_replacement_character_on_both_backends(store):
    """save_resolution looks only through the columns of free text (names and labels): a NUL there is
    stored as U+FFFD on both backends, like a NUL in any other text; the JSON holds it escaped."""
    import dataclasses

    import kb_sample as sample

    sample.filled_store(store)
    res = sample.resolution()
    first, *rest = res.entities
    ent = dataclasses.replace(first, name="Ilse\x00 Marwood", aliases=("Mar\x00wood",))
    ev = dataclasses.replace(res.events[0], label="Marwood\x00 met Ferrant")
    story = dataclasses.replace(res.stories[0], label="Velland\x00 talks")
    store.save_resolution(dataclasses.replace(res, entities=(ent, *rest), events=(ev,), stories=(story,)))
    conn = store._conn
    assert conn.execute("SELECT name FROM entities WHERE id = ?", (ent.id,)).fetchone()[0] == "Ilse\ufffd Marwood"
    assert {r[0] for r in conn.execute("SELECT name_norm FROM entity_names WHERE entity = ?", (ent.id,))} == {
        "ilse\ufffd marwood", "mar\ufffdwood"}
    assert conn.execute("SELECT label FROM events").fetchone()[0] == "Marwood\ufffd met Ferrant"
    assert conn.execute("SELECT label FROM stories").fetchone()[0] == "Velland\ufffd talks"
    dump = store.dump()
    assert not [v for rows in dump.values() for row in rows for v in row if isinstance(v, str) and "\x00" in v]
    assert store.resolution().entities[0].name == ent.name  # the object itself comes back from its JSON


def test_scrub_rows_looks_through_the_text_columns_named():
    from storyline.kb.store import scrub_rows

    rows = [("id1", "a\x00b", 1), ("id2", "cd", 2)]
    assert scrub_rows(rows, (1,)) == [("id1", "a\ufffdb", 1), ("id2", "cd", 2)]
    clean = [("id1", "ab", 1), ("id2", None, 2)]
    assert scrub_rows(clean, (1,)) is clean  # nothing to mend: the rows themselves
    assert scrub_rows([("id\x00", 5, "x\x00")], (1,)) == [("id\ufffd", 5, "x\ufffd")]  # not text there: each row whole


@pytest.mark.issue(22)
def test_a_record_holding_nul_is_ingested_alike_on_both_backends(store, tmp_path, nlp):
    """A JSON-lines record with \\u0000 in its text and title is stored (mended, noted) and annotated;
    its neighbours too; every item's span holds in the stored text."""
    from storyline.run import ingest

    feed = tmp_path / "feed.jsonl"
    rows = [
        {"title": "Dock strike\u0000 ends", "text": "The dock strike in Lakeport ended on Friday\u0000 after 12 days, "
                                                  "the Harbour Union said. Its leader, Mara Voss, said talks went well."},
        {"title": "Grain prices rise", "text": "Grain prices rose 4% in Fallow last week, the Grain Board said on Monday."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = ingest([str(feed)], store, nlp=nlp, workers=1)
    assert report.exit_code == 0 and report.new == 2 and report.annotated == 2, report.as_dict()
    docs = {r.document.title: r.document for r in store.documents()}
    mended = docs["Dock strike\ufffd ends"]
    assert "\x00" not in mended.text and "\ufffd" in mended.text
    assert any("NUL" in r for r in mended.repairs)
    for ann in store.annotations():
        text = docs_by_id(store)[ann.doc].text
        for item in (*ann.quotes, *ann.figures, *ann.times, *ann.events):
            assert text[item.span.start:item.span.end] == item.span.text


def docs_by_id(store) -> dict:
    return {r.document.id: r.document for r in store.documents()}


# ------------------------------------------------------------------ settings reach the store


@pytest.mark.issue(21)
def test_a_configured_near_duplicate_threshold_takes_effect(tmp_path):
    """The CLI opens the store with the loaded settings: a strict threshold keeps a lightly edited
    copy apart, the default links it."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    body = ("The port authority of Lakeport said on Monday that the dock strike had ended after twelve days of "
            "talks, and that ships would be loaded again from Wednesday. The union said its members voted to accept "
            "a pay rise of four per cent over two years, and thanked residents for their patience during the dispute.")
    (corpus / "a.txt").write_text("Strike ends\n\n" + body + "\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Strike over\n\n" + body.replace("on Monday", "on Monday morning") + "\n",
                                  encoding="utf-8")
    sim = __import__("storyline.neardup", fromlist=["similarity"]).similarity(
        fingerprint(body), fingerprint(body.replace("on Monday", "on Monday morning")))
    assert 0.7 <= sim < 0.99, sim  # a near-duplicate by default, not at 0.99
    strict = tmp_path / "strict.toml"
    strict.write_text("[storyline]\nnear_duplicate_threshold = 0.99\n", encoding="utf-8")
    counts = {}
    for name, extra in (("default", []), ("strict", ["--config", str(strict)])):
        db = tmp_path / f"{name}.db"
        res = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--json", "--workers", "1", *extra])
        assert res.exit_code == 0, res.output
        counts[name] = json.loads(res.stdout)["near_duplicate"]
    assert counts == {"default": 1, "strict": 0}


# ------------------------------------------------------------------ another application's database


def _foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); "
                       "INSERT INTO users (name) VALUES ('ada'); CREATE TABLE orders (id INTEGER, total REAL);")
    conn.close()
    return path


@pytest.mark.issue(22)
@pytest.mark.parametrize("cmd", [["docs"], ["stories"], ["check"], ["export"], ["search", "x"], ["serve"],
                                 ["resolve"], ["ingest", "{demo}"]], ids=lambda c: c[0])
def test_commands_never_change_another_applications_sqlite_file(tmp_path, cmd, monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: pytest.fail("serve started on a foreign file"))
    db = _foreign_sqlite(tmp_path / "other.db")
    os.utime(db, (1_000_000_000, 1_000_000_000))
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    args = [a.replace("{demo}", str(DEMO / "01_ostravia_herald_dam.txt")) for a in cmd]
    res = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert res.exit_code == 3, res.output
    assert "E300" in res.output and "not a storyline store" in res.output
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal or -shm left either


@pytest.mark.issue(22)
def test_a_foreign_migrations_table_is_not_taken_for_a_store(tmp_path):
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT); "
                       "INSERT INTO migrations VALUES ('20240101_create_users', 'x'); CREATE TABLE users (id INTEGER);")
    conn.close()
    before = db.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError) as exc:
            open_store(db, readonly=readonly)
        assert exc.value.code == "E300" and "not a storyline store" in str(exc.value)
    assert db.read_bytes() == before


@pytest.mark.issue(22)
def test_postgres_database_of_another_application_is_refused_untouched(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT)")
    with pytest.raises(StoreError) as exc:
        open_store(pg_url)
    assert exc.value.code == "E300" and "not a storyline store" in str(exc.value)
    with psycopg.connect(pg_url, autocommit=True) as raw:
        tables = [r[0] for r in raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
    assert tables == ["users"]


def test_empty_file_and_new_path_still_become_stores(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for path in (empty, tmp_path / "new.db"):
        with open_store(path) as s:
            assert s.document_count() == 0


# ------------------------------------------------------------------ read-only stores


@pytest.mark.issue(21)
def test_readonly_store_refuses_writes_and_unmigrated_files(tmp_path):
    db = tmp_path / "kb.db"
    with open_store(db) as s:
        s.add_document(Document(id="a" * 16, text="Port talks resume.", source="a.txt"))
    before = db.read_bytes()
    with open_store(db, readonly=True) as ro:
        assert ro.document_count() == 1
        with pytest.raises(StoreError) as exc:
            ro.add_document(Document(id="b" * 16, text="Other.", source="b.txt"))
        assert exc.value.code == "E300"
    assert db.read_bytes() == before
    with pytest.raises(StoreError) as exc:
        open_store(tmp_path / "missing.db", readonly=True)
    assert exc.value.code == "E300" and not (tmp_path / "missing.db").exists()


# ------------------------------------------------------------------ bounded near-duplicate candidates


def _article(i: int) -> str:
    """A short report of its own (about half its words) plus boilerplate every article shares."""
    import random

    rnd = random.Random(i)
    vocab = ("harbour council vote strike grain tariff rail closure flood barrier lease mayor union ferry port "
             "budget bridge court hearing ministry pilots wages shipment tanker quay crane pier levy").split()
    own = " ".join(rnd.choice(vocab) for _ in range(30))
    filler = ("Officials said the talks would continue through the week, and several delegations asked for more "
              "time to study the proposals before any vote. Local businesses reported that deliveries had slowed.")
    return f"Report {i}: {own}. " + filler


@pytest.mark.issue(20)
def test_band_buckets_are_capped_and_copies_still_find_their_original():
    """Articles sharing boilerplate fill band buckets; no bucket grows past BUCKET_CAP, and a copy of
    an article stored after its buckets filled still points to that (earliest) article."""
    with open_store(":memory:") as s:
        docs = []
        for i in range(6 * BUCKET_CAP):
            text = _article(i)
            docs.append(Document(id=f"{i:016x}", text=text, source=f"{i}.txt", fingerprint=fingerprint(text)))
            s.add_document(docs[-1])
        sizes = [r[0] for r in s._conn.execute("SELECT count(*) FROM doc_lsh GROUP BY key")]
        assert max(sizes) == BUCKET_CAP  # the boilerplate filled some buckets, none overflowed
        original = docs[-1]
        copy_text = original.text.replace("Local businesses", "Local shops")
        copy = Document(id="c" * 16, text=copy_text, source="copy.txt", fingerprint=fingerprint(copy_text))
        s.add_document(copy)
        assert s.document(copy.id).duplicate_of == original.id
        # the earliest document of the corpus is in every bucket it opened
        first = set(lsh_keys(docs[0].fingerprint))
        held = {r[0] for r in s._conn.execute("SELECT key FROM doc_lsh WHERE doc = ?", (docs[0].id,))}
        assert held == first


@pytest.mark.issue(22)
def test_huge_limits_and_offsets_are_clamped_on_both_backends(store):
    store.add_document(Document(id="a" * 16, text="Port talks resume.", source="a.txt"))
    for offset in (0, 2**63 - 1, 2**63, 2**70):
        rows = store.document_rows(limit=2**70, offset=offset)
        assert [r["id"] for r in rows] == (["a" * 16] if offset == 0 else [])
        assert store.story_rows(limit=2**64, offset=offset) == []
        assert store.search("port", limit=2**70, offset=offset) == ([] if offset else store.search("port"))


@pytest.mark.issue(20)
def test_first_similar_is_the_first_candidate_similarity_passes():
    import random

    from storyline.neardup import first_similar, similarity

    rnd = random.Random(3)
    for _ in range(200):
        fp = [rnd.randrange(4) for _ in range(64)]
        cands = [[rnd.randrange(4) if rnd.random() < 0.5 else v for v in fp] for _ in range(rnd.randrange(0, 12))]
        t = rnd.choice([0.5, 0.6, 0.7, 0.75, 0.9])
        expect = next((i for i, c in enumerate(cands) if similarity(fp, c) >= t), None)
        assert first_similar(fp, cands, t) == expect


@pytest.mark.issue(21)
@pytest.mark.slow
def test_ray_engine_flags_a_document_postgres_refuses_and_goes_on(pg_url, pile, monkeypatch):
    """The Ray driver saves what the actors annotate: a document whose annotations break a key on
    PostgreSQL (a real constraint error, E304) is flagged E203 and the rest are saved."""
    pytest.importorskip("ray.data", reason="Ray Data is the ray extra: pip install -e '.[ray]'")
    import dataclasses

    from storyline.kb.store import Store
    from storyline.kb.writes import decode_annotations
    from storyline.run import ray as ray_engine
    from storyline.run.pool import encode

    real = Store.save_annotations
    marked = {}

    def twice(self, enc):  # the driver saves them encoded, with their keys
        ann = decode_annotations(enc)
        if MARK in self.document(ann.doc).document.text and ann.times:
            marked[ann.doc] = True
            enc = encode(dataclasses.replace(ann, times=ann.times + ann.times[:1]))
        return real(self, enc)

    files = [str(pile / "99_marked.txt")] + [str(f) for f in sorted(DEMO.iterdir())[:2]]
    monkeypatch.setattr(Store, "save_annotations", twice)  # the driver saves: the patch is where the writes are
    with open_store(pg_url) as s:
        report = ray_engine.ingest(files, s, num_cpus=2, workers=1)
        assert marked, "the marked article was annotated with a date"
        assert [(f.path.endswith("99_marked.txt"), f.code) for f in report.failed] == [(True, "E203")]
        assert [f["code"] for f in s.failures()] == ["E203"]
        assert len(s.annotated_ids()) == s.document_count() - 1
