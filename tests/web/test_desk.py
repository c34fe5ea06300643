"""Issue 13 in the served pages (no browser): paging, charts, actor graph, comparison notes, API reference."""

from __future__ import annotations

import re

import pytest

import web_sample as ws


def test_lists_that_grow_are_paged_with_totals(client):
    r = client.get("/api/conflicts", params={"limit": 1})
    assert r.status_code == 200 and len(r.json()) == 1 and r.headers["X-Total-Count"] == "2"
    second = client.get("/api/conflicts", params={"limit": 1, "offset": 1}).json()
    assert {r.json()[0]["id"], second[0]["id"]} == {"C1", "C2"}
    assert client.get("/api/timeline", params={"limit": 1}).headers["X-Total-Count"] == "2"
    assert len(client.get("/api/documents", params={"limit": 2}).json()) == 2
    ents = client.get("/api/entities").json()
    assert ents and all(set(e) >= {"id", "name", "type", "mentions", "documents"} for e in ents)
    html = client.get("/conflicts", params={"limit": 1}).text
    assert html.count('class="conflict ') == 1 and 'rel="next"' in html and "1–1 of 2" in html
    html = client.get("/conflicts", params={"limit": 1, "offset": 1}).text
    assert 'rel="prev"' in html and 'rel="next"' not in html
    for path in ("/documents", "/entities", "/timeline", "/?limit=1"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/conflicts", params={"limit": 0}).status_code == 422


def test_story_has_figure_chart_and_actor_graph_linked(client):
    story = client.get("/api/story/S1").json()
    (chart,) = story["charts"]  # the raises: 4% for 2031 (A) and 5% with no period (B)
    by_value = {p["value"]: p for p in chart["points"]}
    assert by_value[4.0]["year"] == 2031 and by_value[5.0]["year"] is None
    html = client.get("/story/S1").text
    svg = re.search(r'<svg class="figchart".*?</svg>', html, re.S)[0]
    for p in chart["points"]:
        doc, rng = p["cite"].rsplit(":", 1)
        assert f'href="/doc/{doc}?hl={rng}#hl-{rng}"' in svg
    assert "no period given" in svg
    graph = story["graph"]
    names = {n["name"] for n in graph["nodes"]}
    assert {"Mira Halvorsen", "Jonas Pell"} <= names
    gsvg = re.search(r'<svg class="actors".*?</svg>', html, re.S)[0]
    for n in graph["nodes"]:
        assert f'href="/entity/{n["id"]}"' in gsvg
    assert ws.SCRIPT not in gsvg and ws.SCRIPT not in svg


def test_compare_headers_are_short_names_and_odd_cells_explained(client):
    html = client.get("/story/S1/compare").text
    heads = re.findall(r'<th scope="col" class="source"[^>]*>(.*?)</th>', html, re.S)
    assert heads and not any(".txt" in h or ".html" in h for h in heads)
    notes = re.findall(r'<td class="disagree" title="([^"]+)"', html)
    assert notes and all("says" in n for n in notes)


def test_api_reference_is_rendered_from_the_schema(client):
    schema = client.get("/openapi.json").json()
    html = client.get("/docs").text
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in html
    assert "X-Total-Count" in html
    assert not re.search(r'<script(?![^>]*src="/static/app\.js")', html)  # only our own small script
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from another host


@pytest.mark.issue(18)
def test_counts_of_different_things_get_their_own_charts_and_labels_never_overlap():
    """Seasons, points and games are counted on separate charts (one axis per thing counted); a point label
    that would overlap one already drawn is left out (its point keeps its marker and tooltip)."""
    from storyline.web.queries import figure_charts
    from storyline.web.render import AppLinks
    from storyline.web.svg import LABEL_CHAR_W, LABEL_H, figure_chart_svg

    figs = [{"value": float(v), "unit": "count", "about": about, "text": f"{v} {about}", "period": str(year),
             "cite": f"D1:{i}-{i + 2}", "doc": "D1"}
            for i, (v, about, year) in enumerate([(12, "seasons", 2020), (13, "seasons", 2021), (30, "points", 2020),
                                                  (31, "points", 2020), (32, "points", 2020), (5, "games", 2021)])]
    charts = figure_charts(figs, [{"id": "D1", "short_name": "d1"}])
    assert sorted(c["title"] for c in charts) == ["Counts: points", "Counts: seasons"]  # one game: no chart
    points = next(c for c in charts if c["title"] == "Counts: points")
    svg = str(figure_chart_svg(points, AppLinks()))
    boxes = []
    for x, y, text in re.findall(r'<text class="pt-label" x="([\d.]+)" y="([\d.]+)">([^<]*)</text>', svg):
        x, y = float(x), float(y)
        boxes.append((x, y - LABEL_H, x + LABEL_CHAR_W * len(text), y + 3))
    assert 1 <= len(boxes) < 3  # three points at nearly one place: not three labels on top of each other
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    assert svg.count('class="point ') == 3
