"""The one-file report: self-contained, every internal link lands on an anchor that holds the cited text."""

from __future__ import annotations

import re
from html import unescape

import pytest

import web_sample as ws
from storyline.errors import StoreError
from storyline.kb import open_store
from storyline.web import write_report

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_report_is_self_contained(store, tmp_path):
    out = write_report(store, "S1", tmp_path / "story.html")
    html = out.read_text(encoding="utf-8")
    assert not EXTERNAL.search(html)
    assert "http://" not in html and "https://" not in html
    assert '<link rel="stylesheet"' not in html and "<style>" in html and "<svg class=\"timeline\"" in html
    assert not re.search(r'(?:src|href)="/', html)  # no server paths either


def test_report_links_resolve_to_cited_spans(store, tmp_path):
    html = write_report(store, "S1", tmp_path / "story.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = {unescape(h)[1:] for h in re.findall(r'href="(#[^"]+)"', html)}
    assert targets and targets <= ids, targets - ids
    texts = {ws.A: ws.TEXT_A, ws.B: ws.TEXT_B, ws.X: ws.TEXT_X}
    cited = [t for t in targets if t.startswith("c-")]
    assert len(cited) >= 6
    marks = dict(re.findall(r'<mark class="cited" id="(c-[^"]+)">(.*?)</mark>', html, re.S))
    anchors = set(re.findall(r'<span class="anchor" id="(c-[^"]+)"></span>', html))
    for t in cited:
        doc, s, e = re.fullmatch(r"c-(\w+)-(\d+)-(\d+)", t).groups()
        if t in marks:
            shown, want = unescape(re.sub(r"<[^>]+>", "", marks[t])), texts[doc][int(s):int(e)]
            # equal, or a merged mark (it then holds the anchors of the ranges overlapping this one)
            assert shown == want or (shown.startswith(want) and 'class="anchor"' in marks[t])
        else:  # overlaps an earlier cited range: an anchor inside that merged mark
            assert t in anchors


def test_report_sections(store, tmp_path):
    html = write_report(store, None, tmp_path / "all.html").read_text(encoding="utf-8")
    for anchor in ("story-S1", "compare-S1", "conflicts", "documents", f"doc-{ws.A}", f"doc-{ws.B}", f"doc-{ws.X}"):
        assert f'id="{anchor}"' in html, anchor
    assert '<ol class="brief">' in html and 'class="compare"' in html
    assert re.search(r'<tr class="event disagree">', html)
    # a brief citation's anchor sits on a mark holding exactly the cited text
    m = re.search(r'<mark class="cited" id="c-' + ws.A + r'-(\d+)-(\d+)">(.*?)</mark>', html, re.S)
    assert m and unescape(re.sub(r"<[^>]+>", "", m[3])) == ws.TEXT_A[int(m[1]):int(m[2])]


def test_report_unknown_story_is_e302(store, tmp_path):
    with pytest.raises(StoreError) as exc:
        write_report(store, "NOPE", tmp_path / "x.html")
    assert exc.value.code == "E302"
    assert not (tmp_path / "x.html").exists()


def test_report_of_store_without_stories_lists_documents(tmp_path):
    with open_store(":memory:") as s:
        for d in ws.documents()[:2]:
            s.add_document(d)
        html = write_report(s, None, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No stories in this store." in html
    assert f'id="doc-{ws.A}"' in html and f'id="doc-{ws.B}"' in html


@pytest.mark.issue(18)
def test_report_compares_only_what_two_sources_give(store, tmp_path):
    """Sized to what it shows: a comparison row one source gives compares nothing and is left out,
    with a note of how many; the served comparison keeps every row."""
    from storyline.web.queries import compare_page

    cmp = compare_page(store, "S1")
    single = sum(1 for r in cmp["rows"] if len(r["cells"]) < 2)
    html = write_report(store, "S1", tmp_path / "story.html").read_text(encoding="utf-8")
    table = re.search(r'<section class="compare".*?</section>', html, re.S)[0]
    assert table.count('<tr class="') == len(cmp["rows"]) - single
    if single:
        assert f"{single} item" in table and "left out" in table
