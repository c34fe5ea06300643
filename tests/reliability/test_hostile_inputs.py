"""Issue 22: the readers attacked as a stranger would, with generated hostile inputs.

Every input, however broken, ends as documents that can be stored (text, title, source and
url encode as UTF-8) and coded failures whose path and reason can be printed; no input is a
reader's bug (E113), and a damaged record never costs the intact records around it.

What is generated: JSON records whose every field holds any code point, lone surrogates
included (written as ``\\uXXXX`` escapes, as scrapers write them); WARC archives, plain and
gzipped, with every header of a record removed or given a hostile value, random bytes
changed, cut at any byte, or given any ``Content-Encoding`` and chunking; gzip streams cut,
concatenated and followed by garbage; file names of invalid UTF-8, newlines and control
characters, links to themselves.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from storyline.config import Settings
from storyline.errors import CODES
from storyline.model import Document
from storyline.readers import IngestFailure, read_paths

from .test_bad_records import ARTICLE, OTHER, _page

# any code point at all, lone surrogates included (hypothesis leaves them out unless asked, and
# rarely draws from their 2,048 code points among a million unless pointed at them)
ANY_CHAR = st.characters(blacklist_categories=())
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, blacklist_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=60) | st.builds(
    lambda a, s, b: a + s + b, st.text(ANY_CHAR, max_size=20), SURROGATE, st.text(ANY_CHAR, max_size=20))
FIELDS = ["text", "maintext", "body", "title", "headline", "id", "url", "source", "authors", "byline", "date",
          "published"]


def _check(items: list) -> tuple[list[Document], list[IngestFailure]]:
    """The invariants every read must keep; returns (documents, failures)."""
    docs = [i for i in items if isinstance(i, Document)]
    failed = [i for i in items if isinstance(i, IngestFailure)]
    assert len(docs) + len(failed) == len(items)
    for d in docs:
        for value in (d.text, d.title, d.source, d.url, d.byline, d.dateline, *d.captions):
            if value is not None:
                value.encode("utf-8")  # storable in SQLite and PostgreSQL alike
        assert d.text.strip()
    for f in failed:
        assert f.code in CODES and f.code != "E113", f  # E113 is a reader's bug
        f.path.encode("utf-8")
        f.reason.encode("utf-8")
    return docs, failed


def _read(tmp_path, name: str | bytes, data: bytes, **kw) -> tuple[list[Document], list[IngestFailure]]:
    folder = os.fsencode(tmp_path)
    path = os.path.join(folder, os.fsencode(name))
    with open(path, "wb") as fp:
        fp.write(data)
    try:
        return _check(list(read_paths([os.fsdecode(path)], Settings(**kw))))
    finally:
        os.unlink(path)


# ------------------------------------------------------------------ JSON


record = st.dictionaries(st.sampled_from(FIELDS) | ANY_TEXT,
                         ANY_TEXT | st.lists(ANY_TEXT, max_size=3) | st.integers() | st.none(), max_size=6)


@pytest.mark.issue(22)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(records=st.lists(record, min_size=1, max_size=5), as_lines=st.booleans())
def test_json_records_with_any_code_point_in_any_field(tmp_path, records, as_lines):
    good = {"id": "good", "text": ARTICLE}
    records = records + [good]
    if as_lines:
        data = "\n".join(json.dumps(r, ensure_ascii=True) for r in records).encode()
        docs, failed = _read(tmp_path, "r.jsonl", data)
    else:
        docs, failed = _read(tmp_path, "r.json", json.dumps(records, ensure_ascii=True).encode())
    assert any(d.source.endswith("#good") for d in docs)  # the intact record after the bad ones
    assert len(docs) + len(failed) == len(records)  # each record is a document or one failure


@pytest.mark.issue(22)
@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d", "x\\ud800\\ud800"])
@pytest.mark.parametrize("field", ["text", "title", "authors", "url", "date", "id", "byline"])
def test_every_lone_surrogate_in_every_field(tmp_path, escape, field):
    bad = json.dumps({"id": "bad", "text": OTHER})[:-1] + f', "{field}": "Hi {escape} x"}}'
    bad = bad.replace('"text": "', '"text": "' + (f"Hi {escape} " if field == "text" else ""), 1)
    data = (bad + "\n" + json.dumps({"id": "good", "text": ARTICLE}) + "\n").encode()
    docs, failed = _read(tmp_path, "s.jsonl", data)
    assert any(d.source.endswith("#good") for d in docs)
    assert [f.code for f in failed] in ([], ["E105"])  # a field storyline does not keep is no failure


# ------------------------------------------------------------------ WARC


def _record(uri: str, html: bytes, headers: dict[str, str] | None = None, http_extra: bytes = b"") -> bytes:
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + http_extra + b"\r\n" + html
    head = {"WARC-Type": "response", "WARC-Target-URI": uri, "WARC-Date": "2025-03-10T08:00:00Z",
            "WARC-Record-ID": f"<urn:uuid:{abs(zlib.crc32(uri.encode())):032x}>",
            "Content-Type": "application/http; msgtype=response", "Content-Length": str(len(block))}
    for k, v in (headers or {}).items():
        if v is None:
            head.pop(k, None)
        else:
            head[k] = v
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    return b"WARC/1.0\r\n" + lines.encode("utf-8", "surrogateescape") + b"\r\n" + block + b"\r\n\r\n"


PAGE1 = _page("Dock strike", ARTICLE)
PAGE3 = _page("Ferry cancelled", "The ferry to Ostrava was cancelled on Sunday after a storm, the operator said.")


def _three(middle: bytes, gz: bool) -> bytes:
    recs = [_record("http://news.example/1", PAGE1), middle, _record("http://news.example/3", PAGE3)]
    if gz:
        return b"".join(gzip.compress(r, mtime=0) for r in recs)
    return b"".join(recs)


HOSTILE_VALUES = [None, "", " ", "-1", "99999999999999999999", "abc", "\x00", "\u202e\u2066", "12 34",
                  "1e9", "0x10", "NaN", "\udcff"]


@pytest.mark.issue(22)
@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("header", ["WARC-Type", "WARC-Target-URI", "WARC-Date", "WARC-Record-ID", "Content-Type",
                                    "Content-Length"])
def test_a_warc_record_with_any_header_removed_or_hostile_keeps_its_neighbours(tmp_path, header, gz):
    for value in HOSTILE_VALUES:
        middle = _record("http://news.example/2", _page("Bridge vote", OTHER), {header: value})
        docs, failed = _read(tmp_path, "a.warc.gz" if gz else "a.warc", _three(middle, gz))
        urls = [d.url for d in docs]
        assert "http://news.example/1" in urls and "http://news.example/3" in urls, (header, value, failed)


@pytest.mark.issue(22)
@pytest.mark.parametrize("extra", [
    b"Content-Encoding: gzip\r\n",  # says gzip, is not
    b"Content-Encoding: br\r\n",
    b"Content-Encoding: deflate\r\n",
    b"Content-Encoding: gzip, gzip\r\n",
    b"Transfer-Encoding: chunked\r\n",  # says chunked, is not
    b"Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
    b"Content-Type: text/html; charset=x-no-such-charset\r\n",
    b"Content-Type: text/html; charset=utf-16\r\n",
])
@pytest.mark.parametrize("gz", [False, True])
def test_a_warc_record_whose_http_headers_lie_keeps_its_neighbours(tmp_path, extra, gz):
    middle = _record("http://news.example/2", _page("Bridge vote", OTHER), http_extra=extra)
    docs, failed = _read(tmp_path, "a.warc.gz" if gz else "a.warc", _three(middle, gz))
    urls = [d.url for d in docs]
    assert "http://news.example/1" in urls and "http://news.example/3" in urls, failed


def _chunked(data: bytes, sizes: list[int]) -> bytes:
    out, at = [], 0
    for n in sizes + [len(data)]:
        piece = data[at: at + n]
        if not piece:
            break
        out.append(b"%x\r\n%s\r\n" % (len(piece), piece))
        at += len(piece)
    return b"".join(out) + b"0\r\n\r\n"


@pytest.mark.issue(22)
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "deflate-raw"])
def test_encoded_and_chunked_payloads_are_read(tmp_path, encoding):
    page = _page("Bridge vote", OTHER)
    if encoding == "gzip":
        body, name = gzip.compress(page, mtime=0), "gzip"
    elif encoding == "deflate":
        body, name = zlib.compress(page), "deflate"
    else:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        body, name = comp.compress(page) + comp.flush(), "deflate"
    for chunked in (False, True):
        extra = f"Content-Encoding: {name}\r\n".encode() + (b"Transfer-Encoding: chunked\r\n" if chunked else b"")
        middle = _record("http://news.example/2", _chunked(body, [7, 100]) if chunked else body, http_extra=extra)
        docs, failed = _read(tmp_path, "a.warc", _three(middle, False))
        assert [d.url for d in docs] == [f"http://news.example/{i}" for i in (1, 2, 3)], (chunked, failed)
        assert "Brenna" in docs[1].text


@pytest.mark.issue(22)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(gz=st.booleans(), edits=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8)), min_size=1, max_size=4),
       cut=st.none() | st.floats(0, 1))
def test_a_warc_with_random_bytes_changed_or_cut(tmp_path, gz, edits, cut):
    data = bytearray(_three(_record("http://news.example/2", _page("Bridge vote", OTHER)), gz))
    for where, new in edits:
        at = int(where * (len(data) - 1))
        data[at: at + len(new)] = new
    if cut is not None:
        data = data[: int(cut * len(data))]
    assume(data.strip())
    _read(tmp_path, "a.warc.gz" if gz else "a.warc", bytes(data))


# ------------------------------------------------------------------ gzip


@pytest.mark.issue(22)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(members=st.integers(1, 3), cut=st.none() | st.floats(0, 1), tail=st.binary(max_size=12),
       suffix=st.sampled_from([".txt.gz", ".jsonl.gz", ".gz", ".html.gz", ".warc.gz"]))
def test_gzip_cut_concatenated_or_followed_by_garbage(tmp_path, members, cut, tail, suffix):
    one = (json.dumps({"text": ARTICLE}) + "\n").encode() if "json" in suffix else ARTICLE.encode()
    data = b"".join(gzip.compress(one, mtime=0) for _ in range(members))
    if cut is not None:
        data = data[: max(2, int(cut * len(data)))]
    _read(tmp_path, "f" + suffix, data + tail)


# ------------------------------------------------------------------ names and links


@pytest.mark.issue(22)
@pytest.mark.parametrize("name", [b"bad\xff\xfe.txt", b"new\nline.txt", b"tab\tand\x1bescape.txt", b"-rf.txt",
                                  b"x" * 250 + b".txt", "caf\u00e9.txt".encode("latin-1")])
def test_hostile_file_names(tmp_path, name):
    docs, failed = _read(tmp_path, name, ARTICLE.encode())
    assert len(docs) == 1 and not failed


@pytest.mark.issue(22)
def test_a_link_to_itself_and_a_dangling_link_are_failures(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "ok.txt").write_text(ARTICLE)
    docs, failed = _check(list(read_paths([str(tmp_path)])))
    assert [d.source.rsplit("/", 1)[1] for d in docs] == ["ok.txt"]
    assert sorted((f.path.rsplit("/", 1)[1], f.code) for f in failed) == [("gone.txt", "E101"), ("loop.txt", "E101")]


@pytest.mark.issue(22)
def test_stdin_of_hostile_bytes(monkeypatch):
    import sys

    for data in (b"", b"\x1f\x8b", gzip.compress(b"\xff" * 100), b"WARC/1.0\r\n\r\n", b'{"text": "\\ud800"}'):
        class Stdin:
            buffer = io.BufferedReader(io.BytesIO(data))

        monkeypatch.setattr(sys, "stdin", Stdin())
        _check(list(read_paths(["-"])))
