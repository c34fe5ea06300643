"""Issue 22, defects 1, 2 and the WARC weak spot: one bad record (a lone surrogate escape in
JSON, a WARC record without a target URI, a file name of invalid UTF-8) is one coded failure;
the rest of its file and every later file go in, are annotated, and a rerun changes nothing.
`storyline watch` survives such a file and keeps ingesting."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from storyline.kb import open_store
from storyline.readers import IngestFailure, read_paths

from .conftest import DEMO, ingest_into

ARTICLE = (
    "The harbour authority of Halden said on Monday that the dock strike had cost four million "
    "euros a day. Union leader Mara Quell told reporters that talks would resume on Friday."
)
OTHER = "The city council of Brenna voted on Tuesday to rebuild the old railway bridge by 2027."


def _line(**record) -> str:
    return json.dumps(record, ensure_ascii=True)


def _surrogate_files(folder: Path) -> list[Path]:
    """A JSON-lines file with a lone surrogate in one record's text, a JSON array with one in a
    title, and a plain text file after them."""
    good = _line(id="good", text=ARTICLE)
    bad_text = '{"id": "bad", "text": "Hi \\ud800 x. ' + OTHER + '"}'
    a = folder / "a.jsonl"
    a.write_text(bad_text + "\n" + good + "\n", encoding="ascii")
    b = folder / "b.json"
    b.write_text('[{"id": "t", "title": "Bridge \\udc00", "text": "' + OTHER + '"}, '
                 '{"id": "u", "text": "The ferry to Ostrava was cancelled on Sunday after a storm."}]',
                 encoding="ascii")
    c = folder / "c.txt"
    c.write_text("Later file\n\nThe mayor of Zaragoza opened the new bridge on Monday.\n", encoding="utf-8")
    return [a, b, c]


@pytest.mark.issue(22)
def test_a_lone_surrogate_is_a_record_error_and_the_rest_goes_in(tmp_path):
    items = list(read_paths([str(p) for p in _surrogate_files(tmp_path)]))
    failed = [i for i in items if isinstance(i, IngestFailure)]
    docs = [i for i in items if not isinstance(i, IngestFailure)]
    assert sorted((f.path.rsplit("/", 1)[-1], f.code) for f in failed) == [("a.jsonl#bad", "E105"), ("b.json#t", "E105")]
    assert all("surrogate" in f.reason and "\ud800" not in f.reason for f in failed)
    assert sorted(d.source.rsplit("/", 1)[-1] for d in docs) == ["a.jsonl#good", "b.json#u", "c.txt"]
    for d in docs:
        d.text.encode("utf-8")  # everything read can be stored


@pytest.mark.issue(22)
def test_a_surrogate_in_an_id_names_the_record_by_its_line(tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": "x\\udfff", "text": "' + ARTICLE + '"}\n', encoding="ascii")
    (doc,) = list(read_paths([str(path)]))
    assert doc.source.endswith("ids.jsonl#1")


@pytest.mark.issue(22)
def test_surrogate_records_do_not_stop_the_batch_and_a_rerun_changes_nothing(tmp_path, nlp):
    files = _surrogate_files(tmp_path)
    db = tmp_path / "kb.db"
    first = ingest_into(db, files, nlp)
    assert (first.new, sorted(f.code for f in first.failed)) == (3, ["E105", "E105"])
    with open_store(db) as store:
        docs = {r.id for r in store.documents()}
        assert len(docs) == 3 and store.annotated_ids() == docs
        before = store.dump()
    again = ingest_into(db, files, nlp)
    assert (again.new, again.duplicate, len(again.failed)) == (0, 3, 2)
    with open_store(db) as store:
        assert store.dump() == before


@pytest.mark.issue(22)
def test_surrogate_file_on_the_command_line_exits_1_without_a_traceback(tmp_path):
    files = _surrogate_files(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "ingest", *map(str, files), "--db", str(tmp_path / "kb.db"),
         "--workers", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "a.jsonl#bad: [E105]" in done.stderr
    assert "read 3, new 3" in done.stdout


@pytest.mark.issue(22)
def test_a_file_name_of_invalid_utf8_is_read_and_named_printably(tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"bridge\xff.txt"), "wb") as fp:
        fp.write(ARTICLE.encode())
    (doc,) = list(read_paths([str(tmp_path / "in")]))
    assert doc.source.endswith("bridge\\xff.txt")
    doc.source.encode("utf-8")
    with open_store(":memory:") as store:
        assert store.add_document(doc) == "new"


# ------------------------------------------------------------------ WARC


def _warc(records: list[tuple[str | None, bytes]], gz: bool = False) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for uri, html in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(uri or "http://placeholder.example/", "response", payload=io.BytesIO(html),
                                        http_headers=http)
        if uri is None:
            rec.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(rec)
    return buf.getvalue()


def _page(title: str, body: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>").encode()


@pytest.mark.issue(22)
@pytest.mark.parametrize("gz", [False, True])
def test_a_warc_record_without_a_target_uri_keeps_the_records_after_it(tmp_path, gz):
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    path.write_bytes(_warc([
        ("http://news.example/1", _page("Dock strike", ARTICLE)),
        (None, _page("Bridge vote", OTHER)),
        ("http://news.example/3", _page("Ferry cancelled", "The ferry to Ostrava was cancelled on Sunday after a storm, "
                                        "the port operator said in a statement.")),
    ], gz=gz))
    items = list(read_paths([str(path)]))
    assert [i for i in items if isinstance(i, IngestFailure)] == []
    names = [i.source.rsplit("#", 1)[1] for i in items]
    assert names == ["http://news.example/1", "2", "http://news.example/3"]
    assert "Brenna" in items[1].text and items[1].url is None


@pytest.mark.issue(22)
def test_a_damaged_warc_record_is_skipped_and_reading_goes_on(tmp_path):
    data = _warc([("http://news.example/1", _page("Dock strike", ARTICLE)),
                  ("http://news.example/2", _page("Bridge vote", OTHER)),
                  ("http://news.example/3", _page("Ferry", "The ferry to Ostrava was cancelled on Sunday."))])
    second = data.index(b"WARC/1.", 10)
    damaged = data[:second] + data[second:].replace(b"WARC-Type: response", b"WARC-Type response", 1)
    path = tmp_path / "d.warc"
    path.write_bytes(damaged)
    items = list(read_paths([str(path)]))
    codes = [i.code for i in items if isinstance(i, IngestFailure)]
    urls = [i.url for i in items if not isinstance(i, IngestFailure)]
    assert codes == ["E109"] and urls == ["http://news.example/1", "http://news.example/3"]


# ------------------------------------------------------------------ watch


def _watch_in_thread(inbox: Path, db: Path, **kw):
    from storyline.run.watch import watch

    stop = threading.Event()
    rounds = []
    result = {}

    def run():
        with open_store(db) as store:
            try:
                result["total"] = watch(inbox, store, workers=1, stop=stop, on_round=rounds.append, **kw)
            except BaseException as exc:  # noqa: BLE001 - the test reports it
                result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, stop, rounds, result


def _wait_for(cond, timeout: float = 180.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


@pytest.mark.issue(22)
@pytest.mark.slow
def test_watch_survives_a_surrogate_file_and_keeps_ingesting(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    db = tmp_path / "kb.db"
    staging = tmp_path / "staging"
    staging.mkdir()
    _surrogate_files(staging)
    thread, stop, rounds, result = _watch_in_thread(inbox, db, interval=0.1)
    try:
        staging.rename(inbox / "first")
        _wait_for(lambda: rounds or not thread.is_alive())
        assert "error" not in result, result.get("error")
        shutil.copy(DEMO / "01_ostravia_herald_dam.txt", inbox)
        _wait_for(lambda: len(rounds) >= 2 or not thread.is_alive())
    finally:
        stop.set()
        thread.join(120)
    assert "error" not in result, result.get("error")
    assert [r.new for r in rounds] == [3, 1]
    assert sorted(f.code for f in rounds[0].failed) == ["E105", "E105"]
    with open_store(db) as store:
        docs = {r.id for r in store.documents()}
        assert len(docs) == 4 and store.annotated_ids() == docs


@pytest.mark.issue(22)
@pytest.mark.slow
def test_watch_never_reads_a_file_whose_writer_pauses(tmp_path):
    """A writer puts half an article in, pauses for many intervals (less than --settle), then
    writes the rest: one document, the whole article."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    db = tmp_path / "kb.db"
    text = (DEMO / "01_ostravia_herald_dam.txt").read_text(encoding="utf-8")
    path = inbox / "slow.txt"
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(text[: len(text) // 2])
    thread, stop, rounds, result = _watch_in_thread(inbox, db, interval=0.05, settle=1.5)
    try:
        time.sleep(0.6)  # twelve intervals
        with open(path, "a", encoding="utf-8") as fp:
            fp.write(text[len(text) // 2 :])
        _wait_for(lambda: rounds or not thread.is_alive())
        time.sleep(2.0)  # no second round comes
    finally:
        stop.set()
        thread.join(120)
    assert "error" not in result, result.get("error")
    assert [r.new for r in rounds] == [1]
    with open_store(db) as store:
        (doc,) = store.documents()
    (whole,) = read_paths([str(DEMO / "01_ostravia_herald_dam.txt")])
    assert doc.id == whole.id  # the whole article, never its first half


@pytest.mark.issue(22)
def test_watch_skips_files_a_download_is_still_writing(tmp_path):
    from storyline.run.watch import scan

    for name in ("a.txt.part", "b.html.crdownload", "c.txt.tmp", "d.txt~", "e.txt"):
        (tmp_path / name).write_text(ARTICLE)
    assert [Path(p).name for p in scan(tmp_path)] == ["e.txt"]
