"""Every page and its /api twin on the invented sample store (TestClient)."""

from __future__ import annotations

import re
from html import unescape

import pytest

import web_sample as ws

PAGES = ["/", "/story/S1", "/story/S1/compare", "/entity/E2", f"/doc/{ws.A}", "/conflicts", "/search?q=ferries", "/docs"]


def cite_links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/doc/[^"]*\?hl=[^"]*)"', html)]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_csp(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:")
    assert "<style" not in r.text and "<script>" not in r.text  # no inline code a strict CSP would block


def test_index_lists_story_with_range_and_counts(client):
    html = client.get("/").text
    row = re.search(r"<tr[^>]*>\s*<td><a href=\"/story/S1\">Orlund ferry strike</a></td>(.*?)</tr>", html, re.S)
    assert row, html
    cells = re.findall(r"<td>(.*?)</td>", row[1])
    assert cells[:5] == ["2031-06-01", "2031-06-30", "3", "2", "2"]


def test_story_page_has_timeline_actors_figures_and_cited_brief(client):
    html = client.get("/story/S1").text
    svg = re.search(r"<svg class=\"timeline\".*?</svg>", html, re.S)[0]
    # the meeting's two dates are drawn side by side, the June letter as a range
    assert svg.count('class="mark disagree day"') == 2
    assert 'class="mark range"' in svg and "≠" in svg
    assert 'href="/entity/E1"' in html and 'href="/entity/E2"' in html
    for value in ("4%", "5%", "6%"):
        assert f"<td>{value}</td>" in html
    brief = re.search(r'<ol class="brief">(.*?)</ol>', html, re.S)[1]
    links = cite_links(brief)
    assert links and all(re.fullmatch(r"/doc/[0-9a-f]{16}\?hl=\d+-\d+#hl-\d+-\d+", h) for h in links)


def test_every_citation_link_highlights_its_span(client):
    """Follow every /doc?hl= link on the story and conflicts pages: the cited mark holds the span's text."""
    texts = {ws.A: ws.TEXT_A, ws.B: ws.TEXT_B, ws.X: ws.TEXT_X}
    links = set(cite_links(client.get("/story/S1").text) + cite_links(client.get("/conflicts").text))
    assert len(links) >= 6
    for link in links:
        doc, s, e = re.fullmatch(r"/doc/(\w+)\?hl=(\d+)-(\d+)#.*", link).groups()
        page = client.get(link.split("#")[0]).text
        mark = re.search(rf'<mark class="cited" id="hl-{s}-{e}">(.*?)</mark>', page, re.S)
        assert mark, link
        assert unescape(re.sub(r"<[^>]+>", "", mark[1])) == texts[doc][int(s):int(e)]


def test_compare_marks_disagreement(client):
    html = client.get("/story/S1/compare").text
    meeting = re.search(r'<tr class="event disagree">(.*?)</tr>', html, re.S)
    assert meeting and "Mira Halvorsen met" in meeting[1]  # the source's clause (issue 18), not the triple
    assert "2031-06-09" in meeting[1] and "2031-06-10" in meeting[1]
    assert 'class="disagree"' in meeting[1]
    data = client.get("/api/story/S1/compare").json()
    row = next(r for r in data["rows"] if r["id"] == "V1")
    assert row["disagree"] is True and set(row["odd"]) == {ws.A, ws.B}  # a tie: both sides marked
    letter = next(r for r in data["rows"] if r["id"] == "V2")
    assert letter["disagree"] is False


def test_entity_page_and_api(client):
    html = client.get("/entity/E2").text
    assert "Jonas Pell" in html and "The boats stay tied up," in html
    data = client.get("/api/entity/Pell").json()  # alias works too
    assert data["id"] == "E2" and len(data["documents"]) == 3
    assert {q["doc"] for q in data["quotes"]} == {ws.A, ws.B, ws.X}


def test_doc_page_highlights_each_kind(client):
    html = client.get(f"/doc/{ws.A}").text
    for cls in ("hl ent", "hl time", "hl quote", "hl fig", "hl evt"):
        assert f'class="{cls}' in html, cls
    assert '<mark class="cited"' not in html
    text = re.search(r'<div class="text">(.*?)</div>', html, re.S)[1]
    assert unescape(re.sub(r"<[^>]+>", "", text)) == ws.TEXT_A  # highlighting never changes the text


def test_doc_bad_hl_values_are_ignored_and_reported(client):
    r = client.get(f"/doc/{ws.A}", params=[("hl", "5-2"), ("hl", "abc"), ("hl", "0-99999"), ("hl", "0-5")])
    assert r.status_code == 200
    assert r.text.count('<mark class="cited"') == 1
    data = client.get(f"/api/doc/{ws.A[:8]}", params=[("hl", "0-5"), ("hl", "x")]).json()
    assert data["id"] == ws.A and data["cited"] == [{"start": 0, "end": 5, "text": ws.TEXT_A[:5]}]
    assert data["ignored_hl"] == ["x"]


def test_conflicts_page_links_both_sides(client):
    html = client.get("/conflicts").text
    c1 = re.search(r'id="conflict-C1">(.*?)</li>\s*</ul>', html, re.S)[1]
    sides = cite_links(c1)
    assert {re.match(r"/doc/(\w+)", h)[1] for h in sides} == {ws.A, ws.B}


def test_search_page_and_api(client):
    html = client.get("/search", params={"q": "ferries"}).text
    assert f'href="/doc/{ws.B}"' in html and '<mark class="match">' in html
    hits = client.get("/api/search", params={"q": "Halvorsen"}).json()
    assert {h["doc"] for h in hits} == {ws.A, ws.B}
    assert client.get("/api/search", params={"q": ""}).json() == []


def test_api_routes_answer_json(client):
    assert [s["id"] for s in client.get("/api/stories").json()] == ["S1"]
    story = client.get("/api/story/S1").json()
    assert {a["id"] for a in story["actors"]} == {"E1", "E2", "E4"}
    marks = {m["event"]: m for m in story["timeline"]}
    assert story["brief"] and marks["V1"]["disagree"] is True and marks["V2"]["disagree"] is False
    assert sorted(d["date"] for d in marks["V1"]["dates"]) == ["2031-06-09", "2031-06-10"]
    assert [e["event"] for e in client.get("/api/timeline").json()] == ["V2", "V1"]  # June (range) starts first
    assert [e["event"] for e in client.get("/api/timeline", params={"entity": "Mira Halvorsen"}).json()] == ["V1"]
    assert {c["id"] for c in client.get("/api/conflicts").json()} == {"C1", "C2"}
    assert len(client.get("/api/documents").json()) == 3
    assert {q["doc"] for q in client.get("/api/quotes", params={"speaker": "Pell"}).json()} == {ws.A, ws.B, ws.X}
    assert {f["text"] for f in client.get("/api/figures", params={"about": "raise"}).json()} == {"4%", "5%", "6%"}


def test_openapi_describes_every_api_route(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for p in ("/api/stories", "/api/story/{story_id}", "/api/story/{story_id}/compare", "/api/entity/{entity_id}",
              "/api/doc/{doc_id}", "/api/conflicts", "/api/search", "/api/timeline"):
        assert p in paths
    assert not any(not p.startswith("/api/") for p in paths)  # pages stay out of the schema
    story = schema["paths"]["/api/story/{story_id}"]["get"]
    assert "404" in story["responses"]


@pytest.mark.parametrize("path", ["/story/NOPE", "/story/NOPE/compare", "/entity/Nobody", "/doc/ffffffffffff"])
def test_unknown_ids_are_404_pages(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "E302" in r.text and r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/story/NOPE", "/api/story/NOPE/compare", "/api/entity/Nobody", "/api/doc/fffffffff"])
def test_unknown_ids_are_404_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["error"] == "E302"
