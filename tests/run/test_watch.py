"""`storyline watch FOLDER` (issue 11): files dropped in are ingested round by round with the same
reporting as ingest; SIGINT stops it cleanly with ingest's exit code and a whole store."""

from __future__ import annotations

import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import storyline
import pytest

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"


def _lines(proc) -> queue.Queue:
    q: queue.Queue = queue.Queue()

    def pump():
        for line in proc.stdout:
            q.put(line)
        q.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return q


def _next_round(q: queue.Queue, timeout: float = 120) -> dict:
    line = q.get(timeout=timeout)
    assert line is not None, "watch exited early"
    return json.loads(line)


def test_watch_ingests_dropped_files_and_stops_on_sigint(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "kb.db"
    exe = [sys.executable, "-m", "storyline.cli", "watch", str(inbox), "--db", str(db),
           "--interval", "0.2", "--workers", "1", "--json"]
    proc = subprocess.Popen(exe, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        q = _lines(proc)
        # each drop appears at once (one rename), so one round takes all of it
        one = tmp_path / "one"
        one.mkdir()
        shutil.copy(DEMO / "01_ostravia_herald_dam.txt", one)
        shutil.copy(DEMO / "02_ostravia_herald_call.txt", one)
        one.rename(inbox / "one")
        first = _next_round(q)
        assert (first["read"], first["new"], first["annotated"], first["failed"]) == (2, 2, 2, [])
        two = tmp_path / "two"
        two.mkdir()
        shutil.copy(DEMO / "05_lrc_statement.md", two)
        (two / "empty.txt").write_bytes(b"")
        (two / ".hidden.txt").write_text("an editor's swap file, never read")
        two.rename(inbox / "two")
        second = _next_round(q)
        assert (second["new"], second["annotated"]) == (1, 1)
        assert [f["code"] for f in second["failed"]] == ["E102"]
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 1  # as ingest: some input failed, the rest went in
    assert "empty.txt: [E102]" in proc.stderr.read()
    with storyline.open_store(db) as store:
        docs = {r.id for r in store.documents()}
        assert len(docs) == 3
        assert store.annotated_ids() == docs
        in_stories = {d for s in store.resolution().stories for d in s.documents}
        assert in_stories == docs  # the last round was resolved before the stop


def test_watch_refuses_a_missing_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "watch", str(tmp_path / "nope"), "--db", str(tmp_path / "kb.db")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and "[E100]" in done.stderr


def test_watch_api_counts_rounds_and_skips_unchanged_files(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(DEMO / "01_ostravia_herald_dam.txt", inbox)
    rounds = []
    with storyline.open_store(":memory:") as store:
        from storyline.run.watch import watch

        total = watch(inbox, store, interval=0.01, workers=1, rounds=4, on_round=rounds.append)
        assert [r.new for r in rounds] == [1]  # seen, then read once when stable, never again
        assert (total.read, total.new, total.exit_code) == (1, 1, 0)
