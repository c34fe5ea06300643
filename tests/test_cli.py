"""The command line end to end, on our own example corpus and on malformed files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from storyline.cli import app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"
SCHEMA = json.loads((ROOT / "src" / "storyline" / "export" / "storyline-export.schema.json").read_text())


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "kb.db"
    res = CliRunner().invoke(app, ["ingest", str(DEMO), "--db", str(db)])
    assert res.exit_code == 0, res.output
    return db


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_ingest_summary_and_docs(demo_db):
    res = run("docs", "--db", demo_db, "--json")
    assert res.exit_code == 0
    rows = json.loads(res.output)
    assert len(rows) >= 8
    assert all(r["id"] and r["source"] for r in rows)
    assert any(r.get("duplicate_of") for r in rows), "the syndicated copy is linked as a near-duplicate"


def test_reingest_changes_nothing(demo_db):
    before = json.loads(run("export", "--db", demo_db, "--format", "json").output)
    res = run("ingest", DEMO, "--db", demo_db, "--json")
    assert res.exit_code == 0
    summary = json.loads(res.output)
    assert summary["new"] == 0 and summary["annotated"] == 0
    after = json.loads(run("export", "--db", demo_db, "--format", "json").output)
    assert before == after


def test_export_json_validates_and_cites(demo_db, tmp_path):
    out = tmp_path / "x.json"
    res = run("export", "--db", demo_db, "--format", "json", "-o", out)
    assert res.exit_code == 0
    data = json.loads(out.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["entities"] and data["events"] and data["quotes"] and data["times"] and data["figures"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_other_formats(demo_db, fmt):
    res = run("export", "--db", demo_db, "--format", fmt)
    assert res.exit_code == 0 and len(res.output.splitlines()) > 10


def test_export_bad_format_is_usage_error(demo_db):
    assert run("export", "--db", demo_db, "--format", "xml").exit_code == 2


@pytest.mark.parametrize(
    "cmd",
    [["stories"], ["timeline"], ["conflicts"], ["quotes"], ["figures"], ["brief"], ["search", "minister"]],
)
def test_views_print_tables_and_json(demo_db, cmd):
    res = run(*cmd, "--db", demo_db)
    assert res.exit_code == 0, res.output
    res = run(*cmd, "--db", demo_db, "--json")
    assert res.exit_code == 0, res.output
    json.loads(res.output)


def test_brief_cites_every_sentence(demo_db):
    rows = json.loads(run("brief", "--db", demo_db, "--json").output)
    assert rows
    for s in rows:
        assert "[" in s["text"] and s["citations"], s


def test_show_unknown_doc_is_not_found(demo_db):
    assert run("show", "nosuchdoc", "--db", demo_db).exit_code == 4


def test_missing_store_is_store_error(tmp_path):
    assert run("docs", "--db", tmp_path / "none.db").exit_code == 3


def test_bad_inputs_reported_rest_goes_in(tmp_path):
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "good.txt").write_text(
        "Harbour talks resume\n\nThe port authority said on Monday that talks with the union would resume.\n"
    )
    (pile / "empty.txt").write_text("")
    (pile / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (pile / "cut.txt.gz").write_bytes(gzip.compress(b"Some text that is long enough to matter. " * 50)[:40])
    (pile / "shape.json").write_text('{"no": ["articles", "here"]}')
    db = tmp_path / "kb.db"
    res = run("ingest", pile, tmp_path / "does-not-exist.txt", "--db", db, "--json")
    assert res.exit_code == 1
    summary = json.loads(res.stdout)
    assert summary["new"] == 1
    codes = {Path(f["path"]).name: f["code"] for f in summary["failed"]}
    assert codes == {"empty.txt": "E102", "binary.txt": "E103", "cut.txt.gz": "E104", "shape.json": "E107", "does-not-exist.txt": "E100"}
    assert "does-not-exist.txt" in res.stderr


def test_bad_config_is_usage_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[storyline]\nbatch_size = -3\n")
    res = run("ingest", DEMO, "--db", tmp_path / "kb.db", "--config", cfg)
    assert res.exit_code == 2
