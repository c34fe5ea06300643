"""Issue 10, item 6: search caps, a huge --limit, the token in the access log, and two
ingests sharing one store annotating each document once."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import ConfigError
from storyline.kb import open_store
from storyline.run import local

from .conftest import copy_store

FLOOD = " OR ".join(["a"] * 2500)  # the 10 KB query that took 17-24 s


def test_search_caps_query_length_and_terms(tmp_path, demo_db):
    db = copy_store(demo_db, tmp_path / "kb.db")
    with open_store(db) as store:
        for q in (FLOOD, " ".join(f"w{i}" for i in range(33))):
            with pytest.raises(ConfigError) as err:
                store.search(q)
            assert err.value.code == "E402"
        assert store.search(" ".join(["harbour"] * 32)) is not None  # at the cap: fine
    res = CliRunner().invoke(app, ["search", FLOOD, "--db", str(db)])
    assert res.exit_code == 2 and "E402" in res.output


def test_search_limit_out_of_range_is_a_usage_error(tmp_path, demo_db):
    db = copy_store(demo_db, tmp_path / "kb.db")
    for limit in ("99999999999999999999", "0", "-3"):
        res = CliRunner().invoke(app, ["search", "dam", "--limit", limit, "--db", str(db)])
        assert res.exit_code == 2, res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
    with open_store(db) as store:  # the API clamps instead of overflowing SQLite's integers
        assert isinstance(store.search("dam", limit=10**20), list)


def test_web_search_flood_is_a_400(tmp_path, demo_db):
    from storyline.web import create_app

    db = copy_store(demo_db, tmp_path / "kb.db")
    with TestClient(create_app(db)) as client:
        r = client.get("/api/search", params={"q": FLOOD})
        assert r.status_code == 400 and r.json()["error"] == "E402"


def test_access_log_redacts_the_token(monkeypatch):
    from storyline.web import app as webapp

    cfg = webapp.log_config()
    assert cfg["handlers"]["access"]["filters"] == ["redact_token"]
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/stories?limit=5&token=s3cret&x=1", "1.1", 200), None,
    )
    assert webapp.RedactToken().filter(record)
    line = record.getMessage()
    assert "s3cret" not in line and "token=***" in line and "limit=5" in line and "x=1" in line


def test_serve_passes_the_redacting_log_config(tmp_path, demo_db, monkeypatch):
    from storyline.web import app as webapp

    captured = {}
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: captured.update(kw))
    webapp.serve(copy_store(demo_db, tmp_path / "kb.db"), token="s3cret")
    handler = captured["log_config"]["handlers"]["access"]
    assert handler["filters"] == ["redact_token"]


def test_two_ingests_sharing_a_store_annotate_each_document_once(tmp_path, demo, nlp):
    """Process B starts while A holds its first batch: B takes the rest, A skips what B did."""
    from storyline.config import Settings

    db = tmp_path / "kb.db"
    settings = Settings(batch_size=2)
    with open_store(db, settings) as a:
        local.ingest([str(demo)], a, settings, nlp=nlp, workers=1, resolve=False)  # read and annotate
    with open_store(db, settings) as s:  # forget the annotations, keep the documents
        total = s.document_count()
        s._conn.execute("DELETE FROM annotated")
    counts = {}

    def run_b():
        with open_store(db, settings) as b:
            counts["b"] = local.reannotate(b, settings, nlp=nlp, workers=1)

    def progress(stage, done, total_):
        if stage == "annotate" and done == 1 and "b" not in counts:
            run_b()  # B runs to the end in the middle of A's first batch

    with open_store(db, settings) as a:
        counts["a"] = local.reannotate(a, settings, nlp=nlp, workers=1, progress=progress)
        assert len(a.annotated_ids()) == total
        assert a._conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0  # claims released
    assert counts["a"] + counts["b"] == total, counts
    assert counts["a"] >= 1 and counts["b"] >= 1


def test_a_dead_owners_claims_are_taken_over(tmp_path, demo_db):
    db = copy_store(demo_db, tmp_path / "kb.db")
    with open_store(db) as s:
        doc = next(iter(s.annotated_ids()))
        s._conn.execute("DELETE FROM annotated WHERE doc = ?", (doc,))
        import socket

        dead = f"{socket.gethostname()}:999999999:0"  # no such process
        assert s.claim([doc], "elsewhere:1:0") == [doc]  # another host's recent claim...
        assert s.claim([doc], "me:1:0") == []  # ...is left to it
        assert s.claim([doc], "me:1:0", stale_after=-1) == [doc]  # unless it is stale
        s._conn.execute("UPDATE claims SET owner = ?", (dead,))
        assert s.claim([doc], "me:2:0") == [doc]  # a dead owner's claim is taken over at once
