"""Each reader on our own fixture articles, and every malformed input gets its code."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import IngestError
from storyline.readers import IngestFailure, read_bytes, read_paths
from storyline.model import Document


@pytest.fixture(scope="module")
def fx(fixtures_dir) -> Path:
    return fixtures_dir / "ingest"


def one(path: Path) -> Document:
    docs = read_bytes(path.read_bytes(), str(path))
    assert len(docs) == 1
    return docs[0]


def code_of(data: bytes, source: str, **settings) -> str:
    with pytest.raises(IngestError) as info:
        read_bytes(data, source, Settings(**settings))
    return info.value.code


# ------------------------------------------------------------------ text


def test_plain_text_headline_dateline_caption_trailer(fx):
    doc = one(fx / "plain.txt")
    assert doc.title == "Harbour pilots end strike after pay deal in Port Amsel"
    assert doc.format == "text" and doc.language == "en"
    assert doc.dateline == "PORT AMSEL"
    assert not doc.published.when.known and doc.published.basis == "unknown"  # "June 3": no year
    assert doc.text.startswith("PORT AMSEL, June 3 (Coastline News) - Harbour pilots")
    assert doc.captions == ("Pilots boarding a container ship at the outer anchorage on Tuesday. (Photo: Coastline News)",)
    assert "Photo" not in doc.text and "ENDS" not in doc.text and doc.title not in doc.text
    assert doc.text.endswith("a figure the guild disputed.")


def test_date_line_then_headline_then_byline(fx):
    doc = one(fx / "dated.txt")
    assert doc.published.when.value == "2024-06-04" and doc.published.basis == "stated"
    assert doc.title == "Glassworks in Verrin to close after 140 years"
    assert doc.byline == "Ada Korvel"
    assert doc.text.startswith("The Verrin glassworks will close")
    assert "Published" not in doc.text and "By Ada" not in doc.text


def test_dateline_with_year_is_stated_with_evidence():
    data = b"WESTHOLM, March 5, 2024 (Coastline News) - The harbour reopened on Tuesday after a week of repairs to the sea wall.\n"
    doc = read_bytes(data, "a.txt")[0]
    assert doc.dateline == "WESTHOLM"
    assert doc.published.when.value == "2024-03-05" and doc.published.basis == "stated"
    (span,) = doc.published.evidence
    assert span.check(doc.text) and span.text == "March 5, 2024" and span.doc == doc.id


def test_markdown_heading_byline_markup_and_trailer(fx):
    doc = one(fx / "article.md")
    assert doc.format == "markdown"
    assert doc.title == "Orchard co-op wins water rights case"
    assert doc.byline == "Helle Margrave"
    assert "**" not in doc.text and "](" not in doc.text and "> " not in doc.text
    assert "a court in Lorne ruled" in doc.text
    assert '"We only asked for the water we paid for," said' in doc.text
    assert "About the Brisk" not in doc.text and "# # #" not in doc.text


def test_normalisation_crlf_trailing_spaces_blank_lines_nfc():
    raw = "Title line of a story here\r\n\r\nCafe\u0301 owners met.   \r\n\r\n\r\n\r\nThey agreed on a plan for the square.\r\n"
    doc = read_bytes(raw.encode(), "n.txt")[0]
    assert doc.text == "Café owners met.\n\nThey agreed on a plan for the square."


def test_latin1_is_decoded(fx):
    doc = one(fx / "latin1.txt")
    assert "Sørvik" in doc.text and "José Ærø" in doc.text


def test_mojibake_is_repaired(fx):
    doc = one(fx / "mojibake.txt")
    assert doc.title == "Café owners in Sørvik protest new quota"
    assert "José Ærø" in doc.text and "Ã" not in doc.text


def test_language_recorded_and_non_english_kept():
    data = "El gobierno anunció el martes un nuevo plan para el puerto de la ciudad, que costará doce millones.".encode()
    doc = read_bytes(data, "es.txt")[0]
    assert doc.language == "es"


# ------------------------------------------------------------------ HTML


def test_html_page_metadata_date_and_no_markup(fx):
    doc = one(fx / "page.html")
    assert doc.format == "html"
    assert doc.title and doc.title.startswith("Ferry line to Osk islands restored")
    assert doc.published.when.value == "2024-11-05" and doc.published.basis == "metadata"
    assert doc.byline == "Pia Lund"
    assert doc.text.startswith("The ferry line between Hallby")
    assert "“We never thought" in doc.text  # entity unescaped
    assert "<" not in doc.text and "tracking" not in doc.text and "Northern Courier 2024" not in doc.text
    assert "\n\n" in doc.text


def test_html_fragment_byline_lede_entities(fx):
    doc = one(fx / "fragment.html")
    assert doc.byline == "Marta Ilves"
    assert doc.title is None
    assert doc.text.startswith("The city council of Dunmarr voted on Wednesday")  # the lede stays
    assert '"The depot belongs to the people of Dunmarr," said' in doc.text
    assert "spring & last" in doc.text and "<" not in doc.text
    assert doc.text.count("\n\n") == 2


def test_html_in_a_txt_file_is_sniffed(fx):
    doc = read_bytes((fx / "fragment.html").read_bytes(), "fragment.txt")[0]
    assert doc.format == "html" and doc.byline == "Marta Ilves"


def test_html_without_text_is_e108():
    assert code_of(b"<html><body><script>var a = 1;</script><div> </div></body></html>", "x.html") == "E108"


def test_html_nested_10000_deep_does_not_crash():
    data = ("<html><body>" + "<div>" * 10000 + "<p>The deepest paragraph in the archive says the vote passed on Monday.</p>"
            + "</div>" * 10000 + "</body></html>").encode()
    docs = read_bytes(data, "deep.html")
    assert "vote passed on Monday" in docs[0].text
    frag = ("<span>" * 10000 + "Council votes to repair the old bridge this summer." + "</span>" * 10000).encode()
    assert "repair the old bridge" in read_bytes(frag, "deep-fragment.html")[0].text


# ------------------------------------------------------------------ JSON


def test_jsonl_records_verbatim_and_bad_lines(fx):
    path = fx / "records.jsonl"
    items = list(read_paths([str(path)]))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, IngestFailure)]
    assert [d.source for d in docs] == [f"{path}#n-1", f"{path}#n-2"]
    first = docs[0]
    assert first.text == "The toll on the Kell bridge will be scrapped from March 1, the transport minister said on Sunday.\r\nDrivers paid 40 crowns per crossing.  "
    assert first.title == "Bridge toll scrapped in Kell" and first.byline == "Oda Frey, Lars Bem"
    assert first.url == "https://example.org/kell-toll" and first.format == "jsonl"
    assert first.published.when.value == "2024-02-11" and first.published.basis == "metadata"
    assert docs[1].title == "Kell council welcomes toll decision" and docs[1].published.when.value == "2024-02-12"
    assert sorted((f.path, f.code) for f in fails) == [(f"{path}#3", "E106"), (f"{path}#n-4", "E107")]
    assert len(read_bytes(path.read_bytes(), str(path))) == 2
    with pytest.raises(IngestError):
        read_bytes(path.read_bytes(), str(path), strict=True)


def test_json_array_and_single_object(fx):
    docs = read_bytes((fx / "array.json").read_bytes(), "array.json")
    assert [d.source for d in docs] == ["array.json#7", "array.json#2"]
    assert docs[0].title == "Snow closes Fenn pass" and docs[0].byline == "Ulla Brek"
    assert docs[1].published.when.value == "2024-01-11"
    single = one(fx / "single.json")
    assert single.title == "Library hours extended in Dunmarr" and single.published.when.value == "2024-05-02"


@pytest.mark.parametrize(
    "data, code",
    [
        (b'{"status": "ok", "count": 2}', "E107"),
        (b"[1, 2, 3]", "E107"),
        (b"[]", "E107"),
        (b'"just a string"', "E107"),
        (b'{"text": "unterminated', "E106"),
        (b'[{"text": "   "}]', "E110"),
        (b'[{"text": 42}]', "E107"),
    ],
)
def test_json_wrong_shape_and_malformed(data, code):
    assert code_of(data, "x.json") == code


def test_wrong_shape_fixture(fx):
    assert code_of((fx / "wrong_shape.json").read_bytes(), "wrong_shape.json") == "E107"


# ------------------------------------------------------------------ WARC


def _warc(pages: list[tuple[str, str]], gz: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, html in pages:
        body = html.encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                        warc_headers_dict={"WARC-Date": "2024-11-06T10:00:00Z"})
        writer.write_record(rec)
    return out.getvalue()


def _page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"


PAGES = [
    ("https://example.org/a", _page("Ferry resumes to Osk", "The ferry to the Osk islands resumed on Monday after three weeks of repairs to the Hallby pier, officials said.")),
    ("https://example.org/b", _page("Osk shop reopens", "The only shop on the Osk islands reopened on Tuesday once the first ferry had brought fresh supplies, its owner said.")),
]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_response_records_become_articles(fx, gz):
    data = _warc(PAGES, gz=gz)
    docs = read_bytes(data, "crawl.warc.gz" if gz else "crawl.warc")
    assert [d.url for d in docs] == ["https://example.org/a", "https://example.org/b"]
    assert all(d.format == "warc" and d.published.basis == "metadata" and d.published.when.value == "2024-11-06" for d in docs)
    assert docs[0].text.startswith("The ferry to the Osk islands resumed") and docs[0].title == "Ferry resumes to Osk"


def test_truncated_warc_keeps_earlier_records(tmp_path):
    data = _warc(PAGES)
    first_len = len(_warc(PAGES[:1]))
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: first_len + (len(data) - first_len) // 2])
    items = list(read_paths([str(path)]))
    assert isinstance(items[0], Document) and items[0].url == "https://example.org/a"
    assert [(i.code) for i in items if isinstance(i, IngestFailure)] == ["E109"]
    assert code_of(b"WARC/1.0\r\nthis is not a header block at all\r\n\r\n", "bad.warc") == "E109"


# ------------------------------------------------------------------ whole-file failures


def test_gzip_transparent_and_truncated(fx):
    assert one(fx / "plain.txt.gz").text == one(fx / "plain.txt").text
    assert code_of((fx / "truncated.txt.gz").read_bytes(), "truncated.txt.gz") == "E104"
    assert code_of(b"not gzip at all", "x.txt.gz") == "E104"


def test_empty_binary_too_large(fx):
    assert code_of((fx / "empty.txt").read_bytes(), "empty.txt") == "E102"
    assert code_of(b"  \n\n\t ", "blank.txt") == "E102"
    assert code_of((fx / "binary.txt").read_bytes(), "binary.txt") == "E103"
    assert code_of(b"x" * 2000, "big.txt", max_file_bytes=1000) == "E111"
    assert code_of(gzip.compress(b"word " * 1000), "bomb.txt.gz", max_file_bytes=1000) == "E111"


def test_undecodable_is_e105():
    assert code_of(b"\xff\xfe" + b"a\x00b", "odd.txt") == "E105"  # UTF-16 BOM, odd length


def test_nothing_after_cleaning_is_e110():
    assert code_of(b"Photo: Coastline News\n", "x.txt") == "E110"


def test_too_large_by_stat_and_missing_path(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("A long story about nothing. " * 100)
    (fail,) = list(read_paths([str(big)], Settings(max_file_bytes=100)))
    assert fail == IngestFailure(str(big), "E111", fail.reason)
    (missing,) = list(read_paths([str(tmp_path / "nope.txt")]))
    assert missing.code == "E100"


def test_directory_recursion_sorted_with_bad_file_in_the_middle(tmp_path, fx):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_bytes((fx / "plain.txt").read_bytes())
    (tmp_path / "b" / "1-dated.txt").write_bytes((fx / "dated.txt").read_bytes())
    (tmp_path / "b" / "2-binary.txt").write_bytes((fx / "binary.txt").read_bytes())
    (tmp_path / "b" / "3-single.json").write_bytes((fx / "single.json").read_bytes())
    (tmp_path / "c.md").write_bytes((fx / "article.md").read_bytes())
    (tmp_path / ".hidden.txt").write_text("A hidden note that should not be read at all.")
    items = list(read_paths([str(tmp_path)]))
    names = [Path(i.path if isinstance(i, IngestFailure) else i.source.split("#")[0]).name for i in items]
    assert names == ["a.txt", "1-dated.txt", "2-binary.txt", "3-single.json", "c.md"]
    assert [type(i).__name__ for i in items].count("IngestFailure") == 1
    assert items[2].code == "E103"


def test_stdin_dash(monkeypatch, fx):
    fake = io.TextIOWrapper(io.BytesIO((fx / "plain.txt").read_bytes()))
    monkeypatch.setattr(sys, "stdin", fake)
    (doc,) = list(read_paths(["-"]))
    assert doc.source == "<stdin>" and doc.title == "Harbour pilots end strike after pay deal in Port Amsel"


def test_reading_twice_gives_equal_documents(fx):
    a = [d for d in read_paths([str(fx)]) if isinstance(d, Document)]
    b = [d for d in read_paths([str(fx)]) if isinstance(d, Document)]
    assert a == b and len(a) >= 10
    assert all(len(d.id) == 16 and len(d.fingerprint) == 64 for d in a)
    import hashlib
    assert all(d.id == hashlib.sha256(d.text.encode()).hexdigest()[:16] for d in a)


def test_json_text_field_never_repaired():
    raw = "CafÃ© owners met on Monday in the old town square to plan the market."
    doc = read_bytes(json.dumps([{"text": raw}]).encode(), "m.json")[0]
    assert doc.text == raw
