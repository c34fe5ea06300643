"""Pages over a store built by the real pipeline from the packaged demo articles (our own invented ones)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import storyline
from storyline.kb import open_store
from storyline.web import create_app

DEMO = Path(storyline.__file__).resolve().parent / "examples" / "demo"


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(db) as store:
        report = storyline.ingest([str(DEMO)], store)
        assert report.new >= 5
    with TestClient(create_app(db)) as c:
        yield c


def test_every_page_of_a_real_store_renders(demo_client):
    stories = demo_client.get("/api/stories").json()
    assert stories
    pages = ["/", "/conflicts", "/search?q=minister"]
    for s in stories:
        pages += [f"/story/{s['id']}", f"/story/{s['id']}/compare"]
        for a in demo_client.get(f"/api/story/{s['id']}").json()["actors"][:5]:
            pages.append(f"/entity/{a['id']}")
    for d in demo_client.get("/api/documents").json():
        pages.append(f"/doc/{d['id']}")
    for p in pages:
        r = demo_client.get(p)
        assert r.status_code == 200, p


def test_real_citations_land_on_their_text(demo_client):
    """Every citation link on every story page and on /conflicts highlights exactly the cited text."""
    html = demo_client.get("/conflicts").text
    for s in demo_client.get("/api/stories").json():
        html += demo_client.get(f"/story/{s['id']}").text
    links = {unescape(h) for h in re.findall(r'href="(/doc/[^"]*\?hl=[^"]*)"', html)}
    assert len(links) >= 5
    for link in links:
        doc, s, e = re.fullmatch(r"/doc/(\w+)\?hl=(\d+)-(\d+)#.*", link).groups()
        text = demo_client.get(f"/api/doc/{doc}").json()["text"]
        page = demo_client.get(link.split("#")[0]).text
        mark = re.search(rf'<mark class="cited" id="hl-{s}-{e}">(.*?)</mark>', page, re.S)
        assert mark and unescape(re.sub(r"<[^>]+>", "", mark[1])) == text[int(s):int(e)], link


def test_real_conflicts_show_both_sides(demo_client):
    conflicts = demo_client.get("/api/conflicts").json()
    html = demo_client.get("/conflicts").text
    for c in conflicts:
        for cl in c["claims"]:
            doc, rng = cl["cite"].rsplit(":", 1)
            assert f'href="/doc/{doc}?hl={rng}#hl-{rng}"' in html
