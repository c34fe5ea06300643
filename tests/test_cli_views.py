"""Terminal views read at a glance (issue 13): tables and blocks on the seeds, --json unchanged, long lists cut."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline
from storyline import views
from storyline.cli import app
from storyline.kb import open_store
from storyline.model import Document, Published, When

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def seeds_db(seeds_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("cliviews") / "seeds.db"
    with open_store(db) as store:
        assert storyline.ingest([str(p) for p in sorted(seeds_dir.iterdir())], store).new == 5
    return db


def test_docs_show_inferred_range_and_derived_titles(seeds_db):
    rows = json.loads(run("docs", "--db", seeds_db, "--json").output)
    untitled = [r for r in rows if not r["title"]]
    assert untitled, "the seeds have documents without a title"
    with open_store(seeds_db) as store:
        for r in untitled:  # the display title is the start of the document's own first sentence
            text = store.document(r["id"]).document.text
            assert r["title_derived"] is True
            assert text.lstrip().startswith(r["display_title"].rstrip("…"))
    inferred = [r for r in rows if r["basis"] == "inferred"]
    assert inferred and all(r["date"] for r in inferred)
    out = run("docs", "--db", seeds_db).output
    for r in inferred:  # the inferred range is printed, not an empty published column
        line = next(ln for ln in out.splitlines() if r["id"] in ln)
        assert r["date"] in line and "inferred" in line
    assert "~ " + untitled[0]["display_title"][:30] in out
    assert "derived from the lede" in out


def test_timeline_prints_ranges_only_when_ranges(seeds_db):
    rows = json.loads(run("timeline", "--db", seeds_db, "--json").output)
    assert rows and all(set(r) >= {"date", "earliest", "latest", "modality", "citations"} for r in rows)
    out = run("timeline", "--db", seeds_db).output
    for day in {r["earliest"] for r in rows if r["earliest"] and r["earliest"] == r["latest"]}:
        assert f"{day}..{day}" not in out and f"{day} – {day}" not in out
    assert ".." not in out
    odd = [r for r in rows if not views.is_plain_fact(r["modality"])]
    assert ("modality" in out.splitlines()[1]) == bool(odd)  # a modality column only when some event needs it
    for r in odd:  # planned, denied, ...: printed on the event's line
        line = next(ln for ln in out.splitlines() if r["label"][:30] in ln and r["modality"] in ln)
        assert line
    for ln in out.splitlines()[3:-1]:
        assert "asserted" not in ln  # plain fact says nothing


def test_conflicts_print_one_block_per_conflict_with_both_sides(seeds_db):
    rows = json.loads(run("conflicts", "--db", seeds_db, "--json").output)
    assert rows
    out = run("conflicts", "--db", seeds_db).output
    assert '{"value"' not in out  # no raw JSON
    for c in rows:
        assert c["summary"][:40] in out
        for cl in c["claims"]:
            assert cl["cite"] in out and cl["text"][:30] in out
    with open_store(seeds_db) as store:
        claimed = views.documents_of(store, [rows[0]["claims"][0]["doc"]])[0]
    assert claimed["display_title"][:25] in out


def test_entity_prints_tables_not_json_lines(seeds_db):
    out = run("entity", "Albares", "--db", seeds_db).output
    assert "José Manuel Albares" in out.splitlines()[0]
    assert not re.search(r'\[\{"event"', out) and '"citations"' not in out
    for section in ("Events (", "Quotes (", "Figures ("):
        assert section in out
    prof = json.loads(run("entity", "Albares", "--db", seeds_db, "--json").output)
    assert prof["name"] == "José Manuel Albares" and prof["events"]
    assert prof["events"][0]["citations"][0] in out


def _many_docs(db, n):
    with open_store(db) as store:
        for i in range(n):
            text = f"Report number {i} on the harbour strike.\n\nWorkers met on day {i}."
            doc = hashlib.sha256(text.encode()).hexdigest()[:16]
            store.add_document(Document(doc, text, f"gen/{i}.txt", None,
                                        published=Published(When("2031-06-01", "2031-06-01", "2031-06-01"), "metadata")))


def test_long_lists_are_cut_with_a_count_and_all_shows_every_row(tmp_path):
    db = tmp_path / "many.db"
    _many_docs(db, 57)
    out = run("docs", "--db", db).output
    assert "7 more of 57" in out and "--all" in out
    assert sum("Report number" in ln for ln in out.splitlines()) == 50
    full = run("docs", "--db", db, "--all").output
    assert sum("Report number" in ln for ln in full.splitlines()) == 57 and "more of" not in full
    assert len(json.loads(run("docs", "--db", db, "--json").output)) == 57  # --json unchanged: every row


def test_export_marks_derived_titles_and_validates_against_both_schemas(seeds_db, tmp_path):
    import jsonschema

    out = tmp_path / "kb.json"
    assert run("export", "--db", seeds_db, "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    for schema in (ROOT / "src" / "storyline" / "export" / "storyline-export.schema.json",
                   ROOT.parent / "shared" / "schema" / "storyline-export.schema.json"):
        if schema.exists():
            jsonschema.validate(data, json.loads(schema.read_text(encoding="utf-8")))
    docs = data["documents"]
    derived = [d for d in docs if d["title_derived"]]
    assert derived and all(d["title"] is None for d in derived)  # the title stays unknown; the display one is marked
    for d in derived:
        assert d["text"].lstrip().startswith(d["display_title"].rstrip("…"))
    assert all(d["display_title"] == d["title"] for d in docs if not d["title_derived"])


def test_show_gives_the_derived_title_and_inferred_range(seeds_db):
    rows = json.loads(run("docs", "--db", seeds_db, "--json").output)
    r = next(r for r in rows if r["title_derived"] and r["basis"] == "inferred")
    out = run("show", r["id"], "--db", seeds_db).output.splitlines()
    assert out[1].startswith("title: ~ " + r["display_title"]) and "derived from the lede" in out[1]
    assert f"published: {r['date']}" in out
