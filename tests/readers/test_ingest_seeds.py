"""The user's five articles in ../shared/seeds (read in place, never copied)."""

from __future__ import annotations

import re

import pytest

from storyline.readers import IngestFailure, read_bytes, read_paths

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    items = list(read_paths([str(seeds_dir)]))
    assert not [i for i in items if isinstance(i, IngestFailure)]
    return {i.source.rsplit("/", 1)[-1][:3]: i for i in items}


def first_line(seeds_dir, prefix: str) -> str:
    path = next(seeds_dir.glob(f"{prefix}_*"))
    return path.read_text(encoding="utf-8").strip().split("\n", 1)[0].strip()


def test_all_five_read_in_english_with_clean_bodies(seeds):
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    for doc in seeds.values():
        assert doc.language == "en"
        assert not re.search(r"</?[a-z][a-z0-9]*[\s>]", doc.text), doc.source
        assert doc.text == doc.text.strip() and "\r" not in doc.text and "\n\n\n" not in doc.text


def test_000_summary_line_is_the_headline(seeds, seeds_dir):
    doc = seeds["000"]
    headline = first_line(seeds_dir, "000")
    assert doc.title == headline
    assert headline not in doc.text
    assert doc.text.startswith("On April 2, 2025,")
    assert doc.published.basis == "unknown"  # no date line, no dateline


def test_001_fragment_byline_and_lede(seeds):
    doc = seeds["001"]
    assert doc.format == "html"
    assert doc.byline == "Eduardo González"
    assert "Eduardo González" not in doc.text[:40]
    assert doc.text.startswith("Foreign Minister José Manuel Albares described the telephone conversation")
    assert "\n\n" in doc.text  # lede and body are separate paragraphs
    assert "<strong>" not in doc.text and "&" not in doc.text[:200]


def test_002_has_no_headline_and_keeps_its_lead(seeds, seeds_dir):
    doc = seeds["002"]
    assert doc.title is None
    assert doc.text.startswith(first_line(seeds_dir, "002"))


def test_003_press_release_trailer_removed(seeds):
    doc = seeds["003"]
    assert "###" not in doc.text
    assert doc.text.endswith(".")
    assert doc.title is None


def test_004_date_line_headline_and_caption(seeds, seeds_dir):
    doc = seeds["004"]
    assert doc.published.when.value == "2025-04-03"
    assert doc.published.when.exact_day == "2025-04-03"
    assert doc.published.basis == "stated"
    assert doc.title == "Rubio says US will stay in NATO, but allies need to boost defense spending"
    assert "date 2025-04-03" not in doc.text and doc.title not in doc.text
    assert len(doc.captions) == 1 and doc.captions[0].endswith("Photo: AFP")
    assert "Photo: AFP" not in doc.text
    assert doc.text.startswith("US Secretary of State Marco Rubio has reassured allies")


def test_seeds_read_twice_are_equal(seeds_dir):
    for path in sorted(seeds_dir.iterdir()):
        assert read_bytes(path.read_bytes(), str(path)) == read_bytes(path.read_bytes(), str(path))
