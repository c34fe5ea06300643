"""Property: for any bytes and any suffix, read_bytes returns non-empty Documents or raises IngestError."""

from __future__ import annotations

import gzip
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import IngestError
from storyline.readers import READERS, read_bytes
from storyline.model import Document

SUFFIXES = sorted(READERS) + ["", ".gz", ".txt.gz", ".warc.gz", ".bin"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda kids: st.lists(kids, max_size=4)
    | st.dictionaries(st.sampled_from(["text", "body", "title", "date", "id", "authors", "url", "x"]) | st.text(max_size=6), kids, max_size=5),
    max_leaves=20,
)


def check(data: bytes, source: str) -> None:
    try:
        docs = read_bytes(data, source)
    except IngestError as exc:
        assert exc.code.startswith("E1")
        return
    assert docs and all(isinstance(d, Document) and d.text.strip() and len(d.id) == 16 for d in docs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(data, suffix):
    check(data, "f" + suffix)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400), suffix=st.sampled_from(SUFFIXES), zipped=st.booleans())
def test_arbitrary_text(text, suffix, zipped):
    data = text.encode("utf-8")
    check(gzip.compress(data, mtime=0) if zipped else data, "f" + suffix)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values, suffix=st.sampled_from([".json", ".jsonl", ""]))
def test_arbitrary_json(value, suffix):
    check(json.dumps(value).encode(), "f" + suffix)


@settings(max_examples=60, deadline=None)
@given(tags=st.lists(st.sampled_from(["<p>", "</p>", "<h6>", "<strong>", "</strong>", "</h6>", "<div>", "&amp;", "<br/>",
                                      "<html>", "<body>", "<script>", "</script>", "By Ann Lee", "Photo: AFP", "###", "x y z."]),
                     max_size=40))
def test_arbitrary_html_soup(tags):
    check("".join(tags).encode(), "f.html")
