"""Restartability: a kill -9 during ingest followed by the same ingest leaves
every document stored once and whole, and annotated."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import storyline

ROOT = Path(__file__).resolve().parents[1]


def _article(i: int) -> str:
    return (
        f"Dock report {i}\n\n"
        f"Union leader Mara Quell{i} said on Tuesday that the strike at berth {i} would go on. "
        f"\"We will not move until the ministry talks to us,\" she added. "
        f"The port authority put the losses at {i + 3} million dollars a day.\n"
    )


def test_kill_9_then_same_ingest(tmp_path):
    pile = tmp_path / "pile"
    pile.mkdir()
    for i in range(60):
        (pile / f"a{i:03d}.txt").write_text(_article(i))
    db = tmp_path / "kb.db"
    exe = [sys.executable, "-m", "storyline.cli", "ingest", str(pile), "--db", str(db)]
    proc = subprocess.Popen(exe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # kill it while it is working: once the store has some documents, or after a while
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=0.1) as con:
                    if con.execute("select count(*) from documents").fetchone()[0] >= 5:
                        break
            except sqlite3.Error:
                pass
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = subprocess.run(exe, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with storyline.open_store(db) as store:
        recs = store.documents()
        assert len(recs) == 60
        assert len({r.id for r in recs}) == 60
        texts = {r.document.text for r in recs}
        assert texts == {storyline.read_bytes(_article(i).encode(), f"a{i}.txt")[0].text for i in range(60)}
        assert store.annotated_ids() == {r.id for r in recs}


def test_api_ingest_is_idempotent(tmp_path):
    pile = tmp_path / "p"
    pile.mkdir()
    for i in range(3):
        (pile / f"x{i}.txt").write_text(_article(i))
    with storyline.open_store(":memory:") as store:
        first = storyline.ingest([str(pile)], store)
        assert (first.new, first.failed) == (3, [])
        snap = storyline.export_json(store)
        again = storyline.ingest([str(pile)], store)
        assert (again.new, again.duplicate, again.annotated) == (0, 3, 0)
        assert storyline.export_json(store) == snap


def test_new_documents_join_existing_story_with_its_id(tmp_path):
    demo = ROOT / "src" / "storyline" / "examples" / "demo"
    files = sorted(p for p in demo.iterdir() if p.suffix in {".txt", ".md", ".html"})
    first, later = files[:-1], files[-1:]
    with storyline.open_store(":memory:") as store:
        storyline.ingest([str(p) for p in first], store)
        before = {s["id"]: s["documents"] for s in storyline.views.stories(store)}
        storyline.ingest([str(p) for p in later], store)
        after = {s["id"]: s["documents"] for s in storyline.views.stories(store)}
    biggest = max(before, key=before.get)
    assert biggest in after and after[biggest] >= before[biggest]
