"""Issue 10, items 4 and 6 (inputs): invalid bytes in UTF-8, named pipes, huge titles and
implausible numeric timestamps."""

from __future__ import annotations

import json
import os
import threading

import jsonschema
import pytest

from storyline.config import Settings
from storyline.kb import open_store
from storyline.readers import IngestFailure, read_paths
from storyline.readers.clean import MAX_TITLE, decode
from storyline.readers.dates import parse_date

ARTICLE = (
    "Mayor José Ortega opens the bridge\n\n"
    "Mayor José Ortega of Zaragoza opened the new bridge on Monday, 3 March 2025. "
    "The 12-million-euro crossing links the old town with the Actur district, "
    "said Ana Muñoz, who led the works for the city council.\n"
)


def _with_bad_bytes(text: str, n: int) -> bytes:
    """``text`` as UTF-8 with ``n`` invalid bytes (0xFF) put between words."""
    data = text.encode("utf-8")
    spaces = [i for i, b in enumerate(data) if b == 0x20][12 : 12 + n]
    for i in reversed(spaces):
        data = data[:i] + b"\xff" + data[i:]
    return data


def test_utf8_with_a_few_bad_bytes_stays_utf8_and_says_so(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_bytes(_with_bad_bytes(ARTICLE, 9))
    (doc,) = list(read_paths([str(path)]))
    assert "José" in doc.text and "Muñoz" in doc.text  # not JosƩ: the rest stays UTF-8
    assert doc.text.count("\ufffd") == 9
    assert doc.repairs == ("9 invalid UTF-8 byte sequences replaced with U+FFFD",)
    with open_store(tmp_path / "kb.db") as store:
        store.add_document(doc)
        (row,) = store.document_rows()
        assert row["repairs"] == list(doc.repairs)  # visible in `docs`
        assert store.document(doc.id).document.repairs == doc.repairs


def test_repairs_are_in_the_export_and_it_still_validates(tmp_path, demo, nlp):
    from storyline.export import export_json

    from .conftest import ingest_into

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bridge.txt").write_bytes(_with_bad_bytes(ARTICLE, 3))
    db = tmp_path / "kb.db"
    ingest_into(db, [tmp_path / "in"], nlp)
    with open_store(db) as store:
        data = export_json(store)
    (d,) = data["documents"]
    assert d["repairs"] == ["3 invalid UTF-8 byte sequences replaced with U+FFFD"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for schema_path in (os.path.join(root, "src", "storyline", "export", "storyline-export.schema.json"),
                        os.path.join(root, "..", "shared", "schema", "storyline-export.schema.json")):
        if os.path.exists(schema_path):
            with open(schema_path, encoding="utf-8") as fp:
                jsonschema.validate(data, json.load(fp))


def test_latin1_and_clean_utf8_are_unchanged(fixtures_dir):
    (doc,) = list(read_paths([str(fixtures_dir / "ingest" / "latin1.txt")]))
    assert "\ufffd" not in doc.text and doc.repairs == ()
    assert decode(ARTICLE.encode("utf-8")) == ARTICLE


def test_named_pipe_in_a_folder_is_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(folder / "b.txt")
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(read_paths([str(folder)])), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "reading a folder with a named pipe hung"
    fails = [x for x in out if isinstance(x, IngestFailure)]
    assert [(os.path.basename(f.path), f.code) for f in fails] == [("b.txt", "E112")]
    assert sum(1 for x in out if not isinstance(x, IngestFailure)) == 1


def test_a_two_million_character_title_is_cut_and_flagged(tmp_path):
    path = tmp_path / "t.jsonl"
    title = "Harbour " * 250_000
    path.write_text(json.dumps({"title": title, "text": ARTICLE}) + "\n", encoding="utf-8")
    (doc,) = list(read_paths([str(path)]))
    assert len(doc.title) <= MAX_TITLE and doc.title.endswith("…")
    assert title.startswith(doc.title[:-1])
    assert any(r.startswith("title cut from 1999999 to") for r in doc.repairs)


@pytest.mark.parametrize(
    "value, expect",
    [
        (12345, None),  # 1970-01-01: not a publication date
        (0, None),
        (-5, None),
        (float("nan"), None),
        (1e30, None),
        (1_741_000_000, "2025-03-03"),  # epoch seconds
        (1_741_000_000_000, "2025-03-03"),  # epoch milliseconds
        (True, None),
    ],
)
def test_numeric_published_must_be_a_plausible_timestamp(value, expect):
    when = parse_date(value)
    assert (when.value if when else None) == expect


def test_numeric_published_in_a_record(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "published": 12345}) + "\n", encoding="utf-8")
    (doc,) = list(read_paths([str(path)], Settings()))
    assert doc.published.basis != "metadata" or not doc.published.when.known
    assert "1970" not in (doc.published.when.value or "")
