"""Parquet export: one file per table, read back with DuckDB; counts, spans and joins match storyline/1."""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import ConfigError
from storyline.export import export_json, write_parquet
from storyline.export.parquet import TABLES

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

duckdb = pytest.importorskip("duckdb", reason="duckdb is in the test extra: pip install -e '.[test]'")
pytest.importorskip("pyarrow", reason="pyarrow is the parquet extra: pip install -e '.[parquet]'")


def read(directory: Path, sql: str) -> list[tuple]:
    """Run ``sql`` with every table of ``directory`` visible as a view of the same name."""
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{directory / (table + '.parquet')}')")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def expected_counts(data: dict) -> dict[str, int]:
    return {
        "documents": len(data["documents"]),
        "entities": len(data["entities"]),
        "mentions": sum(len(e["mentions"]) for e in data["entities"]),
        "events": len(data["events"]),
        "event_mentions": sum(len(e["mentions"]) for e in data["events"]),
        "quotes": len(data["quotes"]),
        "times": len(data["times"]),
        "figures": len(data["figures"]),
        "stories": len(data["stories"]),
        "conflicts": len(data["conflicts"]),
        "conflict_claims": sum(len(c["claims"]) for c in data["conflicts"]),
    }


def check_directory(out: Path, data: dict) -> None:
    """Counts per table equal the storyline/1 object; every span reproduces its text in DuckDB."""
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    counts = {t: read(out, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}
    assert counts == expected_counts(data)
    for table in ("mentions", "event_mentions", "quotes", "times", "figures", "conflict_claims"):
        bad = read(
            out,
            f"""SELECT count(*) FROM {table} x JOIN documents d ON d.id = x.doc
                WHERE substr(d.text, x.start + 1, x."end" - x.start) <> x.text""",
        )[0][0]
        cited = read(out, f"SELECT count(*) FROM {table} x JOIN documents d ON d.id = x.doc")[0][0]
        assert bad == 0 and cited == counts[table], table


def test_sample_store_reads_back_in_duckdb(store, sample, tmp_path):
    out = tmp_path / "pq"
    counts = write_parquet(store, out)
    data = export_json(store)
    assert counts == expected_counts(data)
    check_directory(out, data)
    # quotes joined to their speakers: the same pairs the JSON export names
    pairs = read(
        out,
        """SELECT q.id, e.name FROM quotes q JOIN entities e ON e.id = q.speaker ORDER BY q.id""",
    )
    names = {e["id"]: e["name"] for e in data["entities"]}
    want = sorted((q["id"], names[q["speaker"]]) for q in data["quotes"] if q["speaker"] in names)
    assert pairs == want and len(pairs) == 3
    assert read(out, "SELECT value, unit FROM figures WHERE text = '12%'") == [(12.0, "percent")]
    (parts,) = read(out, "SELECT participants FROM events")[0]
    assert {p["entity"] for p in parts} <= set(names)


def test_rewrite_replaces_files_and_leaves_no_part_files(store, tmp_path):
    out = tmp_path / "pq"
    write_parquet(store, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    write_parquet(store, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_missing_pyarrow_is_e401_with_install_hint(store, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ConfigError) as exc:
        write_parquet(store, tmp_path / "pq")
    assert exc.value.code == "E401" and "storyline[parquet]" in str(exc.value)
    assert not (tmp_path / "pq").exists()


@pytest.mark.seeds
def test_cli_parquet_export_of_the_seeds(seeds_dir, tmp_path):
    db, out = tmp_path / "kb.db", tmp_path / "pq"
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(runner.invoke(app, ["export", "--db", str(db), "--format", "json"]).output)
    check_directory(out, data)
    assert len(data["documents"]) == 5 and len(data["quotes"]) > 0
    # every quote with a resolved speaker joins exactly one entity row, named as in the JSON export
    names = {e["id"]: e["name"] for e in data["entities"]}
    want = sorted((q["id"], names[q["speaker"]]) for q in data["quotes"] if q["speaker"] in names)
    got = read(out, "SELECT q.id, e.name FROM quotes q JOIN entities e ON e.id = q.speaker ORDER BY q.id")
    assert got == want and got


def test_cli_parquet_needs_a_directory(tmp_path):
    db = tmp_path / "kb.db"
    from storyline.kb import open_store

    open_store(db).close()
    res = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "parquet"])
    assert res.exit_code == 2
