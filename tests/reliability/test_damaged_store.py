"""Issue 10, item 5: a damaged store (pages overwritten) is the store error E303, exit 3, with a
message that says what to do, in every command and in the web app; `storyline check` runs
SQLite's integrity check and reports."""

from __future__ import annotations

import json
import os
import random
import sqlite3

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app

from .conftest import copy_store

PAGE = 4096


def damage(db, share: float = 0.1, seed: int = 7) -> None:
    """Overwrite ``share`` of the pages with noise, sparing the header page and the migrations
    table (so the file still opens as a storyline store)."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    spare = {1} | {r[0] for r in conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'migrations'")}
    conn.close()
    pages = os.path.getsize(db) // page_size
    rnd = random.Random(seed)
    victims = rnd.sample([p for p in range(2, pages + 1) if p not in spare], max(1, int(pages * share)))
    with open(db, "r+b") as fp:
        for p in victims:
            fp.seek((p - 1) * page_size)
            fp.write(rnd.randbytes(page_size))


COMMANDS = [
    ["docs"], ["show", "0"], ["search", "harbour"], ["stories"], ["timeline"], ["export"], ["entity", "Brann"],
    ["quotes"], ["figures"], ["conflicts"], ["brief"], ["report", "-o", "{tmp}/r.html"], ["resolve"],
    ["reannotate", "--workers", "1"], ["check"],
]


@pytest.fixture
def damaged(tmp_path, demo_db):
    db = copy_store(demo_db, tmp_path / "kb.db")
    damage(db)
    return db


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_every_command_reports_the_damage(tmp_path, damaged, cmd):
    args = [a.replace("{tmp}", str(tmp_path)) for a in cmd]
    res = CliRunner().invoke(app, [*args, "--db", str(damaged)])
    assert res.exit_code == 3, res.output
    assert "E303" in res.output and "backup" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_without_the_opening_check_queries_still_map_the_damage(tmp_path, damaged, monkeypatch):
    """Stores too large for the quick check on opening: the command that meets a bad page says E303."""
    from storyline.kb import reliability

    monkeypatch.setattr(reliability, "QUICK_CHECK_BYTES", 0)
    for cmd in (["export"], ["docs"], ["timeline"]):
        res = CliRunner().invoke(app, [*cmd, "--db", str(damaged)])
        assert res.exit_code in (0, 3), res.output
        assert res.exit_code == 0 or "E303" in res.output
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    res = CliRunner().invoke(app, ["export", "--db", str(damaged)])
    assert res.exit_code == 3 and "E303" in res.output  # it reads every table


def test_check_reports_sound_and_damaged_stores(tmp_path, demo_db, damaged):
    sound = copy_store(demo_db, tmp_path / "sound.db")
    res = CliRunner().invoke(app, ["check", "--db", str(sound), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["ok"] is True and out["problems"] == [] and out["resolution_owed"] is False
    res = CliRunner().invoke(app, ["check", "--db", str(damaged), "--json"])
    assert res.exit_code == 3
    out = json.loads(res.stdout)
    assert out["ok"] is False and out["problems"]


def test_web_app_answers_with_the_store_error(damaged):
    from storyline.errors import StoreError
    from storyline.web import create_app

    try:
        web = create_app(damaged)
    except StoreError as exc:  # the damage hit the pages read on opening: `serve` stops with E303 and says why
        assert exc.code == "E303" and "backup" in str(exc)
        return
    with TestClient(web) as client:
        codes = {}
        for path in ("/api/stories", "/api/documents", "/api/entities", "/api/timeline", "/api/conflicts",
                     "/api/search?q=harbour", "/api/quotes", "/api/figures"):
            r = client.get(path)
            codes[path] = r.status_code
            if r.status_code != 200:
                assert r.status_code == 500 and r.json()["error"] in ("E303", "E300"), (path, r.text)
        assert 500 in codes.values(), codes
        page = client.get("/documents")
        if page.status_code != 200:
            assert page.status_code == 500 and "E303" in page.text and "Traceback" not in page.text
