"""The Ray engine builds the same store as the local engine from the same inputs (a local Ray on 2 CPUs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.kb import open_store
from storyline.run import ingest as local_ingest

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"


def test_without_ray_the_engine_says_how_to_install(monkeypatch, tmp_path):
    import builtins

    from storyline.run import ray as ray_engine

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with open_store(tmp_path / "kb.db") as s, pytest.raises(ConfigError) as exc:
        ray_engine.ingest([str(DEMO)], s)
    assert exc.value.code == "E401" and "storyline[ray]" in str(exc.value)


def test_ray_and_local_engines_build_equal_stores(tmp_path, seeds_dir):
    pytest.importorskip("ray.data", reason="Ray Data is the ray extra: pip install -e '.[ray]'")
    from storyline.run import ray as ray_engine

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    inputs = [str(DEMO), str(seeds_dir), str(broken), str(tmp_path / "missing.txt")]
    settings = Settings(batch_size=4)
    with open_store(tmp_path / "local.db") as s:
        want_report = local_ingest(inputs, s, settings, workers=1)
        want = s.dump()
    with open_store(tmp_path / "ray.db") as s:
        got_report = ray_engine.ingest(inputs, s, settings, num_cpus=2, workers=2)
        got = s.dump()
        assert ray_engine.ingest(inputs, s, settings, num_cpus=2).new == 0  # re-running changes nothing
        assert s.dump() == got
    def same(report) -> dict:
        d = report.as_dict()
        return d | {"seconds": 0, "stages": None, "failed": sorted(map(str, d["failed"]))}  # timings differ

    assert same(got_report) == same(want_report)
    assert {f.code for f in got_report.failed} == {"E100", "E106"}
    assert want["documents"] and want["quotes"] and want["entities"]
    assert got == want


def test_cli_engine_flags_are_checked(tmp_path):
    from typer.testing import CliRunner

    from storyline.cli import app

    db = str(tmp_path / "kb.db")
    assert CliRunner().invoke(app, ["ingest", str(DEMO), "--db", db, "--engine", "spark"]).exit_code == 2
    assert CliRunner().invoke(app, ["ingest", str(DEMO), "--db", db, "--address", "auto"]).exit_code == 2
    assert CliRunner().invoke(app, ["ingest", "-", "--db", db, "--engine", "ray"]).exit_code == 2


def test_cli_ingest_with_ray_engine_equals_local(tmp_path):
    pytest.importorskip("ray.data", reason="Ray Data is the ray extra: pip install -e '.[ray]'")
    import json

    from typer.testing import CliRunner

    from storyline.cli import app

    files = sorted(DEMO.iterdir())[:3]
    runner = CliRunner()
    out = {}
    for engine in ("local", "ray"):
        db = str(tmp_path / f"{engine}.db")
        res = runner.invoke(app, ["ingest", *map(str, files), "--db", db, "--engine", engine, "--workers", "1", "--json"])
        assert res.exit_code == 0, res.output
        out[engine] = json.loads(runner.invoke(app, ["export", "--db", db]).output)
    assert out["ray"] == out["local"] and out["local"]["documents"]


def test_ray_engine_into_a_postgres_store_equals_local_sqlite(tmp_path, pg_url):
    """The cluster set-up in one test: Ray annotates, the driver writes to a shared PostgreSQL store."""
    pytest.importorskip("ray.data", reason="Ray Data is the ray extra: pip install -e '.[ray]'")
    from storyline.export import export_json
    from storyline.run import ray as ray_engine

    files = [str(f) for f in sorted(DEMO.iterdir())[:4]]
    with open_store(tmp_path / "local.db") as s:
        local_ingest(files, s, workers=1)
        want = export_json(s)
    with open_store(pg_url) as s:
        report = ray_engine.ingest(files, s, num_cpus=2, workers=2)
        assert report.exit_code == 0 and report.new == len(want["documents"])
        assert export_json(s) == want


def test_partitioned_resolution_on_ray_equals_resolve(tmp_path, seeds_dir):
    """Issue 12: resolution partitioned by blocking key into Ray tasks (local Ray, two CPUs),
    merged with union-find over candidate links, gives resolve()'s Resolution, ids included,
    whether the tasks read their blocks from the store or the driver hands them over."""
    pytest.importorskip("ray.data", reason="Ray Data is the ray extra: pip install -e '.[ray]'")
    import ray

    from storyline.resolve import resolve
    from storyline.run.ray_resolve import ray_resolver

    settings = Settings(batch_size=4)
    with open_store(tmp_path / "kb.db") as s:
        local_ingest([str(DEMO), str(seeds_dir)], s, settings, workers=1, resolve=False)
        want = resolve(s.documents(), list(s.annotations()), settings)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        try:
            timings: dict = {}
            from_tasks = ray_resolver(ray, shares_disk=True, parts=3, block_size=4)(s, settings, timings)
            from_driver = ray_resolver(ray, shares_disk=False, parts=2, block_size=7)(s, settings)
        finally:
            ray.shutdown()
    assert want.entities and want.events and want.stories and want.support
    assert from_tasks == want
    assert from_driver == want
    assert set(timings) == {"blocks", "entities", "stories", "events", "assemble"}
