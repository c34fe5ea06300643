"""Issue 18 §3: filters, facets, outlet names, gzip and HTML error pages (TestClient on the invented sample)."""

from __future__ import annotations

import gzip
import re
from html import unescape

import pytest

import web_sample as ws

pytestmark = pytest.mark.issue(18)


def events(client, **params) -> tuple[list[str], int]:
    r = client.get("/api/timeline", params=params)
    assert r.status_code == 200, r.text
    return [e["event"] for e in r.json()], int(r.headers["x-total-count"])


def test_timeline_filters_on_api(client):
    assert events(client) == (["V2", "V1"], 2)
    assert events(client, story="S1") == (["V2", "V1"], 2)
    assert events(client, entity="Halvorsen") == (["V1"], 1)  # an alias, as on the terminal
    assert events(client, entity="Nobody at all") == ([], 0)
    assert events(client, source="a.txt") == (["V1"], 1)  # the outlet (file) a report comes from
    assert events(client, source=ws.X) == (["V2"], 1)  # or a document id
    # V1 is 2031-06-09; V2 is June 2031 (a range), which can fall on either side of the 10th
    assert events(client, **{"from": "2031-06-10"}) == (["V2"], 1)
    assert events(client, to="2031-06-09") == (["V2", "V1"], 2)
    assert events(client, **{"from": "2031-07"}) == ([], 0)
    assert events(client, modality="fact", limit=1) == (["V2"], 2)  # paged after filtering
    assert events(client, modality="fact", offset=1) == (["V1"], 2)
    assert events(client, modality="not-fact") == ([], 0)


def test_timeline_rows_carry_story_and_sources_by_name(client):
    row = next(e for e in client.get("/api/timeline").json() if e["event"] == "V1")
    assert row["story"] == "S1" and row["story_label"] == "Orlund ferry strike"
    assert {c["outlet"] for c in row["cited"]} == {"a.txt", "b.html"}
    assert {c["title"] for c in row["cited"]} == {"Ferry strike talks in Orlund", "Orlund ferries idle for a third day"}


@pytest.mark.parametrize("params", [{"modality": "bogus"}, {"role": "lead"}, {"from": "June"}, {"to": "2031-6-1"}])
def test_bad_filters_are_422(client, params):
    assert client.get("/api/timeline", params=params).status_code == 422
    page = client.get("/timeline", params=params)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Bad request</h1>" in page.text


def test_timeline_page_filters_and_story_column(client):
    html = client.get("/timeline", params={"entity": "Mira Halvorsen"}).text
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)[1]
    assert body.count("<tr") == 1 and "met" in body
    assert '<td class="story"><a href="/story/S1">Orlund ferry strike</a></td>' in body
    assert '<th>Story</th>' in html
    assert 'value="Mira Halvorsen"' in html  # the form keeps what was asked
    for doc in (ws.A, ws.B, ws.X):
        assert f">{doc}<" not in html  # no hex id shown as text


def test_timeline_pager_keeps_filters(client):
    html = client.get("/timeline", params={"story": "S1", "limit": 1}).text
    nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
    assert nxt and unescape(nxt[1]) == "/timeline?story=S1&offset=1&limit=1"


def test_entities_filter_sort_and_facet(client):
    def names(**params):
        r = client.get("/api/entities", params=params)
        assert r.status_code == 200
        return [e["name"] for e in r.json()], int(r.headers["x-total-count"])

    assert names(type="PERSON") == (["Jonas Pell", "Mira Halvorsen"], 2)
    assert names(type="person", sort="name") == (["Jonas Pell", "Mira Halvorsen"], 2)
    assert names(name="halvor") == (["Mira Halvorsen"], 1)
    assert names(sort="sources")[0][:2] == ["Jonas Pell", "Mira Halvorsen"]  # 3 documents, then 2
    assert names(type="GPE") == (["Brakvik"], 1)
    assert client.get("/api/entities", params={"sort": "size"}).status_code == 422
    html = client.get("/entities", params={"type": "PERSON"}).text
    assert "Brakvik" not in html and "Jonas Pell" in html
    assert re.search(r'<a href="/entities\?type=PERSON" class=on>PERSON <span class="n">2</span>', html)


def test_documents_by_outlet_and_date(client):
    def ids(**params):
        r = client.get("/api/documents", params=params)
        assert r.status_code == 200
        return [d["id"] for d in r.json()], int(r.headers["x-total-count"])

    assert ids(outlet="b.html") == ([ws.B], 1)
    assert ids(**{"from": "2031-06-11"}) == ([ws.B], 1)
    assert ids(to="2031-06-10") == ([ws.A], 1)  # the undated document is no match for a date range
    assert ids(sort="date")[0] == [ws.A, ws.B, ws.X]
    html = client.get("/documents", params={"outlet": "a.txt"}).text
    assert "Ferry strike talks in Orlund" in html and "Orlund ferries idle" not in html


def test_search_total_sort_and_names(client):
    r = client.get("/api/search", params={"q": "Pell", "limit": 1})
    assert r.headers["x-total-count"] == "3" and len(r.json()) == 1
    newest = client.get("/api/search", params={"q": "Pell", "sort": "date"}).json()
    assert [h["doc"] for h in newest][:2] == [ws.B, ws.A]  # 11 June, then 10 June
    assert newest[0]["outlet"] == "b.html" and newest[0]["display_title"] == "Orlund ferries idle for a third day"
    html = client.get("/search", params={"q": "Pell"}).text
    assert "Results 1–3 of 3" in html and "· b.html" in html


def test_conflicts_and_entity_pages_name_sources(client):
    html = client.get("/conflicts").text
    docs = re.findall(r'<span class="doc"[^>]*>\(([^)]*)\)</span>', html)
    assert docs and set(docs) <= {"a.txt", "b.html", "x.html"}
    claims = client.get("/api/conflicts").json()[0]["claims"]
    assert all(c["outlet"] in ("a.txt", "b.html", "x.html") for c in claims)
    ent = client.get("/entity/E1").text
    assert "Ferry strike talks in Orlund" in ent and f">{ws.A}<" not in ent


def test_story_page_says_why_reports_are_together(client):
    data = client.get("/api/story/S1").json()
    g = data["grouped"]
    assert g["reports"] == 3
    assert [(p["name"], p["reports"]) for p in g["people"]] == [("Jonas Pell", 3), ("Mira Halvorsen", 2)]
    assert {t["term"] for t in g["terms"]} == {"orlund"}  # in both real titles; the third title is derived
    assert g["dates"] == {"first": "2031-06-10", "last": "2031-06-11", "dated": 2}
    assert g["duplicates"] == []
    html = client.get("/story/S1").text
    assert 'id="why-grouped"' in html and "(3 of 3)" in html


def test_pages_and_api_are_gzipped(client):
    for path in ("/story/S1", "/api/story/S1", "/static/app.css"):
        with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as r:
            assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip", path
            raw = b"".join(r.iter_raw())
        body = gzip.decompress(raw)
        assert len(raw) < len(body) / 2, path  # the body on the wire is much smaller
    small = client.get("/api/stories", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200  # small answers may stay plain


def test_unknown_paths_and_bad_parameters_are_html_pages_off_the_api(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in r.text and 'href="/static/app.css"' in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    bad = client.get("/entities", params={"offset": "-1"})
    assert bad.status_code == 422 and "<h1>Bad request</h1>" in bad.text and "offset" in bad.text
    api = client.get("/api/no/such")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    api_bad = client.get("/api/entities", params={"offset": "-1"})
    assert api_bad.status_code == 422 and api_bad.json()["detail"][0]["loc"] == ["query", "offset"]


def test_a_filter_form_with_empty_fields_is_no_error(client):
    """A submitted form sends every field, the unset ones empty: they mean "any", not a bad value."""
    r = client.get("/timeline?story=S1&entity=&source=&from=&to=&modality=&role=")
    assert r.status_code == 200, r.text
    assert re.search(r"<tbody>(.*?)</tbody>", r.text, re.S)[1].count("<tr") == 2
    assert client.get("/entities?name=&type=&sort=name").status_code == 200
    assert client.get("/documents?outlet=&from=&to=&sort=date").status_code == 200


def test_story_citations_and_marks_read_in_words(client):
    html = client.get("/story/S1").text
    brief = re.search(r'<ol class="brief">(.*?)</ol>', html, re.S)[1]
    tips = [unescape(t) for t in re.findall(r'<a class="cite" href="[^"]*" title="([^"]*)"', brief)]
    assert tips and all(re.fullmatch(r"(a\.txt|b\.html|x\.html) — .+", t) for t in tips), tips
    marks = {m["event"]: m["label"] for m in client.get("/api/story/S1").json()["timeline"]}
    assert marks["V1"] != "Mira Halvorsen met Jonas Pell"  # the source's own clause, not the extraction's triple
    assert "met" in marks["V1"] and "Halvorsen" in marks["V1"]


def test_doc_page_names_its_story(client):
    data = client.get(f"/api/doc/{ws.A}").json()
    assert data["outlet"] == "a.txt"
    assert data["context"]["stories"] == [{"id": "S1", "label": "Orlund ferry strike"}]
    assert data["context"]["closest"] is None  # the sample has one story: no other can be closest
    html = client.get(f"/doc/{ws.A}").text
    assert 'In <a href="/story/S1">Orlund ferry strike</a>' in html


def test_closest_other_story_shares_the_reports_people(tmp_path):
    """Split the sample in two stories: the odd post (naming Pell) is closest to the meeting's story."""
    import dataclasses

    from fastapi.testclient import TestClient

    from storyline.kb import open_store
    from storyline.model import Story
    from storyline.web import create_app

    res = ws.resolution()
    res = dataclasses.replace(res, stories=(Story("S1", "Ferry talks", (ws.A, ws.B), ("V1",), "2031-06-09", "2031-06-10"),
                                            Story("S2", "Odd post", (ws.X,), ("V2",), "2031-06-01", "2031-06-30")))
    db = tmp_path / "two.db"
    with open_store(db) as store:
        for d in ws.documents():
            store.add_document(d)
        for ann in ws.annotations():
            store.save_annotations(ann)
        store.save_resolution(res)
    with TestClient(create_app(db)) as c:
        ctx = c.get(f"/api/doc/{ws.X}").json()["context"]
        assert ctx["stories"] == [{"id": "S2", "label": "Odd post"}]
        assert ctx["closest"] == {"id": "S1", "label": "Ferry talks", "shared": ["Jonas Pell"]}
        assert c.get(f"/api/doc/{ws.A}").json()["context"]["closest"] is None  # S2's one event names no one of A's
        html = c.get(f"/doc/{ws.X}").text
        assert 'closest other story: <a href="/story/S1">Ferry talks</a>' in html
        assert [e["story"] for e in c.get("/api/timeline").json()] == ["S2", "S1"]
