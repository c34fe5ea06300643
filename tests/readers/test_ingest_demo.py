"""The shipped demo corpus reads cleanly, covers every format, and holds what `make demo` shows off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.readers import IngestFailure, read_paths
from storyline.readers.clean import similarity

DEMO = Path(__file__).resolve().parents[2] / "src" / "storyline" / "examples" / "demo"


@pytest.fixture(scope="module")
def docs():
    items = list(read_paths([str(DEMO)]))
    assert not [i for i in items if isinstance(i, IngestFailure)]
    return items


def test_every_format_and_length(docs):
    assert len(docs) >= 8
    assert {d.format for d in docs} == {"text", "markdown", "html", "jsonl", "json", "warc"}
    for d in docs:
        assert 150 <= len(d.text.split()) <= 400, d.source
        assert d.language == "en"


def test_layout_features_present(docs):
    by_file = {Path(d.source.split("#")[0]).name: d for d in docs}
    assert by_file["02_ostravia_herald_call.txt"].published.basis == "stated"
    assert by_file["03_meridan_daily_call.html"].published.basis == "metadata"
    assert by_file["04_river_watch_fragment.html"].byline == "Mira Castell"
    assert by_file["04_river_watch_fragment.html"].published.basis == "unknown"
    assert by_file["01_ostravia_herald_dam.txt"].captions
    assert "About the Lakes Regional Council" not in by_file["05_lrc_statement.md"].text
    assert by_file["08_lakeport_tribune.warc.gz"].url.startswith("https://")


def test_syndicated_copy_is_a_near_duplicate_and_the_rest_are_not(docs):
    pairs = sorted(
        ((similarity(a.fingerprint, b.fingerprint), a.source, b.source) for i, a in enumerate(docs) for b in docs[i + 1 :]),
        reverse=True,
    )
    assert pairs[0][0] > 0.7 and "02_ostravia_herald_call" in pairs[0][1] + pairs[0][2]
    assert pairs[1][0] < 0.3


def test_the_call_is_dated_two_ways(docs):
    texts = " ".join(d.text for d in docs)
    assert "last Friday" in texts and "March 13" in texts and "March 14" in texts
    assert re.search(r"150 million dollars", texts) and re.search(r"120 million dollars", texts)
