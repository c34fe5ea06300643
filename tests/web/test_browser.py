"""Real browser tests: Playwright drives Debian's chromium against the app served by uvicorn.

Skipped when /usr/bin/chromium (``apt-get install chromium``) or Playwright is missing.
Screenshots go to ``$STORYLINE_TEST_OUTPUT`` (default ``test-output/``).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

import storyline
import web_sample as ws
from storyline.kb import open_store
from storyline.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
DEMO = Path(storyline.__file__).resolve().parent / "examples" / "demo"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def _out() -> Path:
    out = Path(os.environ.get("STORYLINE_TEST_OUTPUT", "test-output"))
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Server:
    """uvicorn serving the app for one store file in a background thread on a free loopback port."""

    def __init__(self, db: Path):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _store_from(paths: list[Path], db: Path) -> Path:
    with open_store(db) as store:
        report = storyline.ingest([str(p) for p in paths], store)
        assert report.new >= 1
    return db


def _follow_citations(page, base: str, tag: str) -> int:
    """Open the largest story; follow its conflict links (else its brief's) to each source document."""
    page.goto(base + "/")
    page.locator("table.stories a[href^='/story/']").first.click()
    page.wait_for_selector("svg.timeline")
    page.screenshot(path=str(_out() / f"{tag}-story.png"), full_page=True)
    story_url = page.url
    sides = page.locator("ul.conflicts a.claim-link")
    if sides.count() == 0:  # no conflict in this story: the brief's citations must work the same way
        sides = page.locator("ol.brief a.cite")
    n = min(sides.count(), 4)
    assert n >= 2, "nothing to follow on the story page"
    docs = set()
    for i in range(n):
        page.goto(story_url)
        link = sides.nth(i)
        href = link.get_attribute("href")
        doc, s, e = re.fullmatch(r"/doc/(\w+)\?hl=(\d+)-(\d+)#hl-\d+-\d+", href).groups()
        link.click()
        page.wait_for_selector("mark.cited")
        claim = page.request.get(f"{base}/api/doc/{doc}").json()["text"][int(s):int(e)]
        cited = page.locator(f"mark.cited#hl-{s}-{e}")
        assert cited.count() == 1
        assert " ".join(cited.inner_text().split()) == " ".join(claim.split())
        assert cited.is_visible()
        box, view = cited.bounding_box(), page.viewport_size
        assert box and 0 <= box["y"] < view["height"], "the browser did not scroll to the cited span"
        page.screenshot(path=str(_out() / f"{tag}-cited-{i}.png"))
        docs.add(doc)
    return len(docs)


@pytest.mark.seeds
def test_seed_story_citations_open_highlighted(browser, seeds_dir, tmp_path):
    db = _store_from(sorted(seeds_dir.iterdir()), tmp_path / "seeds.db")
    with Server(db) as base:
        page = browser.new_page()
        assert _follow_citations(page, base, "seeds") >= 2  # both source documents opened
        page.close()


def test_demo_conflict_links_open_both_sides(browser, tmp_path):
    db = _store_from([DEMO], tmp_path / "demo.db")
    with Server(db) as base:
        page = browser.new_page()
        page.goto(base + "/conflicts")
        assert page.locator("ul.conflicts a.claim-link").count() >= 2
        assert _follow_citations(page, base, "demo") >= 2
        page.close()


def test_script_payloads_never_run(browser, tmp_path):
    db = tmp_path / "xss.db"
    with open_store(db) as store:
        ws.build(store)
    dialogs: list[str] = []
    with Server(db) as base:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.add_init_script("window.__xss = 0; window.alert = function () { window.__xss = 2; };")
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        for path in (f"/doc/{ws.X}?hl=0-20", "/story/S1", "/story/S1/compare", "/entity/E4", "/conflicts",
                     "/search?q=reader"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") == 0, path
        page.goto(base + f"/doc/{ws.X}")
        text = page.locator("div.text").inner_text()
        assert ws.SCRIPT in text and ws.IMG in text and "javascript:window.__xss=1" in text
        assert page.title().startswith(f"Odd post {ws.SCRIPT}")
        assert page.locator("div.text img, div.text script, div.text a").count() == 0
        page.screenshot(path=str(_out() / "xss-doc.png"), full_page=True)
        page.close()
    assert dialogs == []
    assert violations == []  # nothing even tried to run against the policy


def test_report_opens_offline_without_running_payloads(browser, tmp_path):
    from storyline.web import write_report

    db = tmp_path / "xss.db"
    with open_store(db) as store:
        ws.build(store)
        out = write_report(store, None, tmp_path / "report.html")
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert [u for u in requests if not u.startswith("file:")] == []
    assert ws.SCRIPT in page.locator(f"#doc-{ws.X} div.text").inner_text()
    link = page.locator("ol.brief a.cite").first
    target = link.get_attribute("href")[1:]
    link.click()
    assert page.evaluate("location.hash") == "#" + target
    assert page.locator(f"[id='{target}']").is_visible()
    page.screenshot(path=str(_out() / "report.png"))
    page.close()
    assert dialogs == []


# ---------------------------------------------------------------- issue 13: the analyst's desk in a real browser


@pytest.fixture(scope="module")
def seed_server(browser, seeds_dir, tmp_path_factory):
    db = _store_from(sorted(seeds_dir.iterdir()), tmp_path_factory.mktemp("seeds13") / "seeds.db")
    with Server(db) as base:
        yield base


def _seed_story(page, base: str) -> dict:
    stories = page.request.get(f"{base}/api/stories").json()
    big = max(stories, key=lambda s: (s["documents"], s["events"]))
    return page.request.get(f"{base}/api/story/{big['id']}").json()


@pytest.mark.seeds
def test_seed_comparison_shows_every_source_within_1280px(browser, seed_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    story = _seed_story(page, seed_server)
    assert len(story["documents"]) >= 4
    page.goto(f"{seed_server}/story/{story['id']}/compare")
    heads = page.locator("table.compare thead th.source")
    assert heads.count() == len(story["documents"])
    for i in range(heads.count()):
        box = heads.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280, f"source column {i} is off screen"
        name = heads.nth(i).inner_text()
        assert "/" not in name.splitlines()[0], "a column is headed with a file path"
    wrap = page.evaluate("""() => { const s = document.querySelector('table.compare').parentElement;
        return [s.scrollWidth, s.clientWidth, document.documentElement.scrollWidth, window.innerWidth]; }""")
    assert wrap[0] <= wrap[1] and wrap[2] <= wrap[3], f"something hides behind a horizontal scroll bar: {wrap}"
    odd = page.locator("table.compare td.disagree")
    assert odd.count() >= 1  # the seeds disagree on the date of the Landau call
    note = odd.first.get_attribute("title")
    assert note and "says" in note
    odd.first.hover()
    page.screenshot(path=str(_out() / "seeds-compare-1280.png"), full_page=True)
    page.close()


@pytest.mark.seeds
def test_seed_figures_chart_has_spains_three_points_each_opening_its_span(browser, seed_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    story = _seed_story(page, seed_server)
    points = [p for c in story["charts"] for p in c["points"]]
    spain = next(p for p in points if p["value"] == 1.28)
    assert spain["year"] == 2024 and spain["status"] == "actual"
    same = {p["value"]: p for p in points if p["doc"] == spain["doc"]}
    assert same[2.0]["year"] == 2029 and same[2.0]["status"] == "target"
    assert same[5.0]["status"] in ("proposal", "target") and same[5.0]["year"] is None
    page.goto(f"{seed_server}/story/{story['id']}")
    chart = page.locator("svg.figchart").first
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(_out() / "seeds-figures-chart.png"))
    assert page.locator("svg.figchart a.point.actual circle.pt.actual").count() >= 1
    assert page.locator("svg.figchart a.point.target path.pt.target").count() >= 1  # targets drawn differently
    story_url = page.url
    for p in (spain, same[2.0], same[5.0]):
        page.goto(story_url)
        point = page.locator(f"svg.figchart a.point[data-cite='{p['cite']}']")
        assert point.count() == 1, p
        point.locator(".pt").click()  # the marker itself, as a reader would
        doc, rng = p["cite"].rsplit(":", 1)
        page.wait_for_selector("mark.cited")
        mark = page.locator(f"mark.cited#hl-{rng}")
        assert mark.is_visible() and mark.inner_text() == p["text"]
    page.close()


@pytest.mark.seeds
def test_seed_actor_graph_links_to_entity_pages(browser, seed_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    story = _seed_story(page, seed_server)
    page.goto(f"{seed_server}/story/{story['id']}")
    graph = page.locator("svg.actors")
    graph.scroll_into_view_if_needed()
    graph.screenshot(path=str(_out() / "seeds-actor-graph.png"))
    nodes = page.locator("svg.actors a.actor")
    assert nodes.count() == len(story["graph"]["nodes"]) >= 3
    assert page.locator("svg.actors a.link").count() == len(story["graph"]["edges"]) >= 2
    widths = {float(w) for w in page.eval_on_selector_all("svg.actors line.edge", "ls => ls.map(l => l.getAttribute('stroke-width'))")}
    assert widths
    names = {n["id"]: n["name"] for n in story["graph"]["nodes"]}
    rubio = next(i for i, n in names.items() if n == "Marco Rubio")
    node = page.locator(f"svg.actors a.actor[data-entity='{rubio}']")
    assert node.get_attribute("href") == f"/entity/{rubio}"
    node.locator(".node").click()
    page.wait_for_url(f"**/entity/{rubio}")
    assert page.locator("h1").inner_text().startswith("Marco Rubio")
    page.close()


def test_api_page_renders_with_no_network(browser, tmp_path):
    db = tmp_path / "api.db"
    with open_store(db) as store:
        ws.build(store)
    with Server(db) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/docs")
        page.wait_for_load_state("networkidle")
        schema = page.request.get(base + "/openapi.json").json()
        ops = sum(len(m) for m in schema["paths"].values())
        assert page.locator("section.op").count() == ops >= 10
        assert page.locator("section.op#get-api-timeline table.params td", has_text="offset").count() == 1
        assert [u for u in requests if not u.startswith(base)] == []
        assert errors == []
        page.screenshot(path=str(_out() / "api-docs.png"))
        page.locator("section.op#get-api-stories a.try").click()
        assert isinstance(page.request.get(base + "/api/stories").json(), list)
        page.close()


# ---------------------------------------------------------------- issue 18: every page at 1280 and 390 px


@pytest.fixture(scope="module")
def demo_server(browser, tmp_path_factory):
    db = _store_from([DEMO], tmp_path_factory.mktemp("demo18") / "demo.db")
    with Server(db) as base:
        yield base


def _page_types(page, base: str) -> dict[str, str]:
    """One address per page type on the store behind ``base``."""
    get = lambda path: page.request.get(base + path).json()  # noqa: E731
    stories = get("/api/stories")
    big = max(stories, key=lambda s: (s["documents"], s["events"]))
    story = get(f"/api/story/{big['id']}")
    ent = get("/api/entities?limit=1")[0]
    ev = next(e for e in get("/api/timeline?limit=50") if e["citations"])
    doc, rng = ev["citations"][0].rsplit(":", 1)
    word = story["documents"][0]["display_title"].split()[0]
    return {
        "stories": "/", "story": f"/story/{big['id']}", "compare": f"/story/{big['id']}/compare",
        "entity": f"/entity/{ent['id']}", "doc": f"/doc/{doc}?hl={rng}", "conflicts": "/conflicts",
        "timeline": "/timeline", "timeline-story": f"/timeline?story={big['id']}", "entities": "/entities",
        "documents": "/documents", "search": f"/search?q={word}", "api": "/docs", "not-found": "/no/such/page",
    }


@pytest.mark.slow
@pytest.mark.issue(18)
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_the_window(browser, demo_server, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    wide = {}
    for name, path in _page_types(page, demo_server).items():
        resp = page.goto(demo_server + path)
        assert resp is not None and resp.status == (404 if name == "not-found" else 200), path
        page.wait_for_load_state("load")
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1]:
            wide[name] = sizes
        page.screenshot(path=str(_out() / f"page-{name}-{width}.png"), full_page=True)
    page.close()
    assert wide == {}, f"pages wider than the {width} px window: {wide}"


@pytest.mark.slow
@pytest.mark.issue(18)
def test_timeline_filters_in_the_browser(browser, demo_server):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(demo_server + "/timeline")
    stories = page.request.get(demo_server + "/api/stories").json()
    big = max(stories, key=lambda s: (s["events"], s["documents"]))
    page.select_option("form.filters select[name=story]", big["id"])
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**/timeline?*story={big['id']}*")
    cells = page.locator("table.events td.story a")
    assert cells.count() >= 1
    assert {cells.nth(i).get_attribute("href") for i in range(cells.count())} == {f"/story/{big['id']}"}
    want = int(page.request.get(demo_server + f"/api/timeline?story={big['id']}&limit=1").headers["x-total-count"])
    assert page.locator("table.events tbody tr").count() == min(want, 50)
    reports = page.locator("table.events td.reports a.src")
    assert reports.count() >= 1 and not re.fullmatch(r"[0-9a-f]{16}", reports.first.inner_text())
    page.screenshot(path=str(_out() / "timeline-filtered-390.png"), full_page=True)
    page.close()


@pytest.mark.slow
@pytest.mark.issue(18)
def test_entity_and_document_filters_in_the_browser(browser, demo_server):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(demo_server + "/entities")
    page.locator("p.facets a", has_text="PERSON").click()
    page.wait_for_url("**/entities?type=PERSON")
    types = page.locator("table.entities tbody td:nth-child(2)")
    assert types.count() >= 2 and {types.nth(i).inner_text() for i in range(types.count())} == {"PERSON"}
    page.select_option("form.filters select[name=sort]", "name")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/entities?*sort=name*")
    names = [n.lower() for n in page.locator("table.entities tbody td:first-child").all_inner_texts()]
    assert names == sorted(names) and len(names) == types.count()
    page.goto(demo_server + "/documents")
    first = page.locator("table.documents tbody td.outlet a").first
    outlet = first.inner_text()
    first.click()
    page.wait_for_url("**/documents?outlet=*")
    shown = page.locator("table.documents tbody td.outlet").all_inner_texts()
    assert shown and set(shown) == {outlet}
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(_out() / "documents-by-outlet-390.png"), full_page=True)
    page.close()
