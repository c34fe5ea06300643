"""Untrusted article content stays text; the server is read-only and token-guarded off loopback."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

import web_sample as ws
from storyline.errors import ConfigError, StoreError
from storyline.web import create_app, serve
from storyline.web.app import is_loopback
from storyline.web.report import render_report

XSS_PAGES = ["/", "/story/S1", "/story/S1/compare", "/entity/E2", "/entity/E4", f"/doc/{ws.X}",
             f"/doc/{ws.X}?hl=0-20&hl=5-40", "/conflicts", "/search?q=reader", "/search?q=%3Cscript%3E"]


class Tags(HTMLParser):
    """Every real start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str, inline_scripts: int = 0) -> None:
    """No payload reached the markup as markup: only our own tags, no handlers, no javascript: links."""
    assert ws.SCRIPT not in html and ws.IMG not in html
    tags = Tags(html).tags
    assert not [t for t, _ in tags if t in ("img", "iframe", "object", "embed")]
    handlers = [(t, a) for t, a in tags for name in a if name.startswith("on")]
    assert not handlers, handlers
    for t, a in tags:
        for name in ("href", "src", "action"):
            assert not (a.get(name) or "").strip().lower().startswith("javascript:"), (t, a)
    scripts = [a for t, a in tags if t == "script"]
    assert [a for a in scripts if a.get("src") != "/static/app.js"] == [{}] * inline_scripts


@pytest.mark.parametrize("path", XSS_PAGES)
def test_script_payloads_render_as_text(client, path):
    html = client.get(path).text
    assert_inert(html)


def test_payload_text_is_visible_escaped(client):
    doc = client.get(f"/doc/{ws.X}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert "&lt;a href=&#34;javascript:window.__xss=1&#34;&gt;click me&lt;/a&gt;" in doc
    assert "<title>Odd post &lt;script&gt;" in doc  # the title too
    entity = client.get("/entity/E4").text
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;" in entity


def test_report_escapes_payloads(store):
    html = render_report(store, None)
    assert_inert(html, inline_scripts=1)  # our one inline script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_app_never_writes(sample_db):
    before = sample_db.read_bytes()
    with TestClient(create_app(sample_db)) as c:
        for p in ("/", "/story/S1", f"/doc/{ws.A}", "/api/conflicts", "/search?q=x"):
            assert c.get(p).status_code == 200
        store = c.app.state.pool.get()
        with pytest.raises(StoreError, match="read-only"):  # the connection itself refuses (SQLite mode=ro)
            store._conn.execute("DELETE FROM documents")
        with pytest.raises(StoreError, match="read-only"):  # and the store never starts a write
            store.flag_failure(ws.A, "E201", "x")
    assert sample_db.read_bytes() == before


def test_missing_or_foreign_db_is_refused(tmp_path):
    with pytest.raises(StoreError) as exc:
        create_app(tmp_path / "nope.db")
    assert exc.value.code == "E300"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError) as exc:
        create_app(junk)
    assert exc.value.code == "E300"


def test_token_required_when_configured(sample_db):
    with TestClient(create_app(sample_db, token="s3cret")) as c:
        assert c.get("/").status_code == 401
        assert c.get("/api/stories").status_code == 401
        assert c.get("/api/stories").json()["error"] == "unauthorized"
        assert c.get("/api/stories", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/stories", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/static/app.css").status_code == 401
        r = c.get("/story/S1", params={"token": "s3cret"})
        assert r.status_code == 200
        assert "httponly" in r.headers["set-cookie"].lower()
        # the cookie then carries the token for links and the stylesheet
        assert c.get("/static/app.css").status_code == 200
        c.cookies.clear()
        assert c.get("/story/S1").status_code == 401


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_serve_refuses_public_host_without_token(sample_db, host):
    with pytest.raises(ConfigError) as exc:
        serve(sample_db, host=host, port=0, token=None)
    assert exc.value.code == "E400"


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.1") and not is_loopback("myhost")


# ------------------------------------------------------------------ issue 22: paging bounds, token in the log

LISTS = ["/api/documents", "/api/stories", "/api/entities", "/api/conflicts", "/api/timeline", "/api/quotes",
         "/api/figures", "/api/search?q=reader", "/documents", "/", "/entities", "/conflicts", "/timeline"]


@pytest.mark.issue(22)
@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("param", ["offset=9223372036854775808", "offset=99999999999999999999999",
                                   "limit=9223372036854775808", "offset=-1", "limit=0"])
def test_huge_or_negative_paging_is_a_422_never_a_500(client, path, param):
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}{param}")
    assert r.status_code == 422, (path, param, r.status_code, r.text[:200])


@pytest.mark.issue(22)
def test_the_largest_offset_allowed_answers_an_empty_page(client):
    from storyline.web.queries import MAX_OFFSET

    for path in ("/api/documents", "/api/quotes", "/api/figures", "/api/timeline"):
        r = client.get(path, params={"offset": MAX_OFFSET})
        assert r.status_code == 200 and r.json() == [], path


@pytest.mark.issue(22)
@pytest.mark.parametrize("path", ["/api/quotes", "/api/figures"])
def test_quotes_and_figures_are_paged_like_the_other_lists(client, path):
    whole = client.get(path, params={"limit": 1000})
    total = int(whole.headers["X-Total-Count"])
    assert total == len(whole.json()) >= 3
    pages = [client.get(path, params={"offset": o, "limit": 2}) for o in range(0, total, 2)]
    assert all(int(p.headers["X-Total-Count"]) == total for p in pages)
    assert [row for p in pages for row in p.json()] == whole.json()
    assert len(client.get(path).json()) == min(total, 100)  # the default page


TOKEN_KEYS = ["token", "%74oken", "tok%65n", "%74%6F%6B%65%6E", "%74%6f%6b%65%6e"]


@pytest.mark.issue(22)
@pytest.mark.parametrize("key", TOKEN_KEYS)
def test_every_token_key_the_server_accepts_is_redacted_in_the_access_log(sample_db, key):
    """Whatever encoding of ``token`` the server decodes and accepts, the access log line uvicorn writes
    for that request never holds the token (redaction by what the server accepted, not by spelling)."""
    import logging

    from storyline.web import app as webapp

    secret = "s3cret-Value_42"
    with TestClient(create_app(sample_db, token=secret)) as c:
        raw = f"/api/stories?limit=5&{key}={secret}"
        assert c.get(raw).status_code == 200  # the server took it as the token
        c.cookies.clear()
        assert c.get(f"/api/stories?limit=5&{key}=wrong").status_code == 401
    for redactor in (webapp.RedactToken(), webapp.RedactToken(secret)):
        record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                                   ("127.0.0.1:5000", "GET", raw, "1.1", 200), None)
        assert redactor.filter(record)
        line = record.getMessage()
        assert secret not in line and "limit=5" in line, line


@pytest.mark.issue(22)
def test_redaction_follows_the_servers_decoding_of_keys():
    from storyline.web.app import redact_token

    # redaction follows the server's decoding: a double-encoded key is not "token" to the server either
    assert redact_token("/a?%2574oken=abc") == "/a?%2574oken=abc"
    assert redact_token("/a?x=1&token=abc&y=2") == "/a?x=1&token=***&y=2"
