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
    rows = json.loads(run("brief", "--db", demo_db, "--json").output)["sentences"]
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


# ---------------------------------------------------------------- issue 18 §4: the terminal


@pytest.mark.issue(18)
def test_search_snippets_keep_the_matched_words(demo_db):
    res = run("search", "farmers", "--db", demo_db)
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "farmers drove tractors" in text  # was "Thousands of  drove tractors"
    assert "of  drove" not in res.output
    hits = json.loads(run("search", "farmers", "--db", demo_db, "--json").output)
    assert hits and all("[" in h["snippet"] for h in hits)  # scripts still get the match markers


@pytest.mark.issue(18)
def test_snippet_parts_mark_each_match():
    from storyline.views import snippet_parts

    assert snippet_parts("…Thousands of [farmers] drove [tractors]") == [
        ("…Thousands of ", False), ("farmers", True), (" drove ", False), ("tractors", True)]
    assert snippet_parts(None) == []


@pytest.mark.issue(18)
def test_show_a_citation_prints_the_span_in_context(demo_db):
    sentences = json.loads(run("brief", "--db", demo_db, "--json").output)["sentences"]
    cite = sentences[0]["citations"][0]
    doc, span = cite.split(":")
    start, end = map(int, span.split("-"))
    full = json.loads(run("show", doc, "--db", demo_db, "--json").output)["text"]
    res = run("show", cite, "--db", demo_db)
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert " ".join(full[start:end].split()) in flat
    assert cite in res.output
    data = json.loads(run("show", f"[{cite}]", "--db", demo_db, "--json").output)
    assert data["text"] == full[start:end] and full[data["context_start"]:start].strip() == data["before"].strip()
    assert run("show", f"{doc}:0-99999999", "--db", demo_db).exit_code == 4  # beyond the text: not found


@pytest.mark.issue(18)
def test_entities_list_with_type_name_and_sort(demo_db):
    every = json.loads(run("entities", "--db", demo_db, "--json").output)
    assert len(every) >= 5
    assert [r["mentions"] for r in every] == sorted((r["mentions"] for r in every), reverse=True)
    people = json.loads(run("entities", "--db", demo_db, "--type", "person", "--json").output)
    assert people and {r["type"] for r in people} == {"PERSON"} and len(people) < len(every)
    named = json.loads(run("entities", "--db", demo_db, "--name", "BRANN", "--json").output)
    assert named and all("brann" in r["name"].lower() for r in named)
    by_docs = json.loads(run("entities", "--db", demo_db, "--sort", "sources", "--json").output)
    assert [r["documents"] for r in by_docs] == sorted((r["documents"] for r in by_docs), reverse=True)
    assert run("entities", "--db", demo_db, "--sort", "colour").exit_code == 2
    table = run("entities", "--db", demo_db, "--name", "brann")
    assert table.exit_code == 0 and "Brann" in table.output


@pytest.mark.issue(18)
def test_version():
    from storyline import __version__

    res = run("--version")
    assert res.exit_code == 0 and res.output.strip() == f"storyline {__version__}"


@pytest.mark.issue(18)
def test_read_total_is_counted_before_reading(tmp_path):
    from storyline.cli import input_count

    (tmp_path / "a.txt").write_text("One article.")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n\n{"text": "z"}\n')
    (tmp_path / ".hidden.txt").write_text("skipped by the readers")
    assert input_count([str(tmp_path)]) == 4
    assert input_count([str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl")]) == 4
    assert input_count(["-"]) is None  # standard input: unknown until read


@pytest.mark.issue(18)
def test_watch_says_each_file_it_takes_in(tmp_path, capsys):
    import shutil

    import storyline
    from storyline.cli import say_taken
    from storyline.run.watch import watch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(DEMO / "01_ostravia_herald_dam.txt", inbox)
    shutil.copy(DEMO / "05_lrc_statement.md", inbox)
    with storyline.open_store(tmp_path / "kb.db") as store:
        watch(inbox, store, interval=0.05, workers=1, rounds=3, on_round=lambda r: say_taken(store, r, False))
    out = capsys.readouterr().out
    taken = [line for line in out.splitlines() if line.startswith("took in ")]
    assert len(taken) == 2
    assert any("01_ostravia_herald_dam.txt" in t for t in taken) and any("05_lrc_statement.md" in t for t in taken)


@pytest.mark.issue(18)
def test_values_print_as_people_write_them(demo_db):
    from storyline.views import value_words

    assert value_words(150000000.0, "USD") == "$150 million"
    assert value_words(2100000000.0, "USD") == "$2.1 billion"
    assert value_words(8000, "count", "people") == "8,000 people"
    assert value_words(12000.0, "count", "cost of the dam") == "12,000"
    assert value_words(30.0, "percent") == "30%"
    assert value_words(1.0, "years") == "1 year"
    assert value_words(None) is None
    out = run("figures", "--db", demo_db).output
    assert "$150 million" in out and "150000000.0" not in out


@pytest.mark.issue(18)
def test_plurals_agree():
    from storyline.views import plural

    assert [plural(1, "source"), plural(2, "source"), plural(1, "story"), plural(3, "story"), plural(1200, "conflict")] == [
        "1 source", "2 sources", "1 story", "3 stories", "1,200 conflicts"]


@pytest.mark.issue(18)
def test_search_highlights_the_matched_words():
    from storyline.cli.screen import snippet_text

    text = snippet_text("…Thousands of [farmers] drove  [tractors]")
    assert text.plain == "…Thousands of farmers drove tractors"
    marked = [text.plain[s.start:s.end] for s in text.spans if "bold" in str(s.style)]
    assert marked == ["farmers", "tractors"]


@pytest.mark.issue(18)
def test_progress_bar_shows_totals_and_time_left(tmp_path):
    import io

    from rich.console import Console
    from rich.progress import TimeRemainingColumn

    from storyline.cli.intake import progress_bar

    (tmp_path / "a.txt").write_text("One article.")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n')
    con = Console(file=io.StringIO(), force_terminal=True, width=100)
    bar, update = progress_bar([str(tmp_path)], console=con)
    assert any(isinstance(c, TimeRemainingColumn) for c in bar.columns)
    with bar:
        update("read", 1, None)  # the readers do not know the total: the count made before reading is used
        update("annotate", 2, 3)
        con.print(bar.make_tasks_table(bar.tasks))
        totals = {t.description: (t.completed, t.total) for t in bar.tasks}
        update("read", 5, None)  # more than counted (a record the count missed): no false total
        over = bar.tasks[0].total
    assert totals == {"read": (1, 3), "annotate": (2, 3)}
    assert over is None
    shown = con.file.getvalue()
    assert "1/3" in shown and "2/3" in shown and "left" in shown
    assert progress_bar([str(tmp_path)]) == (None, None)  # not a terminal: no bar


@pytest.mark.issue(18)
def test_brief_takes_a_story_and_says_which(demo_db):
    stories = json.loads(run("stories", "--db", demo_db, "--json").output)
    assert stories
    chosen = stories[-1]
    res = run("brief", chosen["id"], "--db", demo_db)
    assert res.exit_code == 0, res.output
    assert f"story {chosen['id']}" in res.output and "This is the largest of" not in res.output
    given = json.loads(run("brief", chosen["id"][:8], "--db", demo_db, "--json").output)  # a unique prefix
    assert given["story"] == chosen["id"] and given["chosen"] == "given"
    default = run("brief", "--db", demo_db)
    assert "story " in default.output
    if len(stories) > 1:
        assert f"largest of {len(stories)} stories" in default.output
    assert run("brief", "sty_nosuchstory", "--db", demo_db).exit_code == 4


def test_python_m_storyline_runs_the_command_line():
    import subprocess
    import sys

    from storyline import __version__

    for module in ("storyline", "storyline.cli"):
        out = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and out.stdout.strip() == f"storyline {__version__}", out.stderr
