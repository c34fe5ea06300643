"""The FastAPI application: read-only store, security headers, token check, one error handler.

The app never writes. Each worker thread opens the database with the SQLite
URI ``mode=ro`` (so a bug in a page cannot change the store) and checks that
the store's migrations are all applied (the CLI migrates it before serving).

``create_app(db_path, token=None)`` builds the app; ``serve`` runs it with
uvicorn and refuses (ConfigError E400) to bind a non-loopback address without
a token. With a token, every request must carry it as ``?token=``, as
``Authorization: Bearer ...`` or as the HttpOnly cookie the server sets after a
request that carried it in the query (so links and stylesheets keep working).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import re
import sqlite3
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..errors import ConfigError, StoreError, StorylineError
from ..kb import Store
from ..kb.migrations import MIGRATIONS, applied
from ..kb.postgres import is_server_url, open_postgres
from ..kb.reliability import damaged, is_corruption
from .render import STATIC, AppLinks, environment
from .routes import api, pages

__all__ = ["create_app", "serve", "is_loopback", "open_readonly", "StorePool", "CSP"]

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
COOKIE = "storyline_token"
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def open_readonly(path: str | Path) -> Store:
    """A :class:`Store` on a read-only connection; StoreError E300 (cannot open / not migrated) or E301."""
    if is_server_url(str(path)):  # a shared store: read-only transactions on the server
        return open_postgres(str(path), readonly=True)
    p = Path(path)
    name = str(p)
    if not p.is_file():
        raise StoreError(f"no store at {name}", code="E300", path=name)
    uri = f"{p.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {name} read-only: {exc}", code="E300", path=name) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        done = set(applied(conn))
    except sqlite3.Error as exc:
        conn.close()
        if is_corruption(exc):
            raise damaged(exc, name) from exc  # E303, with what to do
        raise StoreError(f"{name} is not a storyline store: {exc}", code="E300", path=name) from exc
    known = {m.name for m in MIGRATIONS}
    if done - known:
        conn.close()
        raise StoreError("store was written by a newer storyline", code="E301", path=name)
    if known - done:
        conn.close()
        raise StoreError("store needs migrating: open it once with a storyline command", code="E300", path=name)
    return Store(conn, name)


class StorePool:
    """One read-only Store per thread, all closed by :meth:`close`."""

    def __init__(self, path: str | Path):
        self.path = str(path) if is_server_url(str(path)) else Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Store] = []
        first = open_readonly(self.path)  # fail fast on a missing or foreign file
        self._local.store = first
        self._all.append(first)

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_readonly(self.path)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            stores, self._all = self._all, []
        for s in stores:
            s.close()
        self._local = threading.local()


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.query_params.get("token") or request.cookies.get(COOKIE)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def create_app(db_path: str | Path, token: str | None = None) -> FastAPI:
    """The web app and JSON API over the store at ``db_path``, opened read-only.

    Raises StoreError E300/E301 at once when the file is not a usable store.
    """
    pool = StorePool(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        pool.close()

    app = FastAPI(
        title="storyline",
        version="1",
        summary="A source-cited knowledge base of a developing news story (read-only).",
        docs_url=None,  # Swagger UI needs a CDN and inline scripts; /docs is our own page
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.env = environment()
    app.state.links = AppLinks()
    app.state.token = token

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if token:
            given = _token_of(request)
            if not given or not hmac.compare_digest(given.encode(), token.encode()):
                resp: Response = (JSONResponse({"error": "unauthorized", "detail": "token required"}, status_code=401)
                                  if _wants_json(request) else
                                  HTMLResponse("<!doctype html><title>token required</title>"
                                               "<p>This storyline server needs a token (?token=...).</p>", 401))
                resp.headers["WWW-Authenticate"] = "Bearer"
                resp.headers.update(_HEADERS)
                return resp
        resp = await call_next(request)
        resp.headers.update(_HEADERS)
        if token and request.query_params.get("token"):
            resp.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return resp

    @app.exception_handler(sqlite3.DatabaseError)
    async def database_error(request: Request, exc: sqlite3.DatabaseError):
        """A damaged (or locked) store answers with the store error, never a bare 500."""
        from ..kb.reliability import store_error

        return await storyline_error(request, store_error(exc))

    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError):
        status = 404 if exc.code == "E302" else 400 if exc.code.startswith("E4") else 500
        if _wants_json(request):
            return JSONResponse({"error": exc.code, "detail": exc.reason}, status_code=status)
        html = app.state.env.get_template("error.html").render(
            status=status, code=exc.code, reason=exc.reason, links=app.state.links, static="/static")
        return HTMLResponse(html, status_code=status)

    app.include_router(api)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the app with uvicorn; a non-loopback ``host`` without ``token`` is ConfigError E400."""
    if not is_loopback(host) and not token:
        raise ConfigError(f"binding {host} (not loopback) requires --token", code="E400")
    import uvicorn

    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="info", log_config=log_config())


_TOKEN_IN_QUERY = re.compile(r"(?i)([?&]token=)[^&#\s]*")


def redact_token(text: str) -> str:
    """``text`` (a request path with its query) with any ``token=`` value replaced by ``***``."""
    return _TOKEN_IN_QUERY.sub(r"\1***", text)


class RedactToken(logging.Filter):
    """Access-log filter: the token given as ``?token=`` never reaches the log in plain text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_token(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_token(record.msg)
        return True


def log_config() -> dict:
    """uvicorn's logging configuration with :class:`RedactToken` on the access log."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg.setdefault("filters", {})["redact_token"] = {"()": RedactToken}
    cfg["handlers"]["access"]["filters"] = ["redact_token"]
    return cfg
