"""The FastAPI application: read-only store, security headers, token check, one error handler.

The app never writes. Each worker thread opens the store read-only through
``storyline.kb.open_store(..., readonly=True)`` (SQLite's ``mode=ro``, or
read-only transactions on PostgreSQL: a bug in a page cannot change the store),
which refuses a store whose migrations are not all applied (the CLI migrates
it before serving). Store errors reach the app only as coded StoreErrors.

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
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus, urlencode

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ConfigError, StorylineError
from ..kb import Store, is_server_url, open_store
from .render import STATIC, AppLinks, environment
from .routes import api, pages

__all__ = ["create_app", "serve", "is_loopback", "open_readonly", "StorePool", "CSP"]

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
COOKIE = "storyline_token"
TOKEN_PARAM = "token"  # the query parameter that carries the token
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def open_readonly(path: str | Path) -> Store:
    """A read-only :class:`Store`; StoreError E300 (missing, not a store, not migrated), E301 or E303."""
    return open_store(path, readonly=True)


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
    return request.query_params.get(TOKEN_PARAM) or request.cookies.get(COOKIE)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def drop_empty_params(query: bytes) -> bytes:
    """A query string without its empty parameters (a filter form submits ``&role=`` for "any")."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if v != ""]
    return query if len(kept) == len(pairs) else urlencode(kept).encode("latin-1")


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
        if not _wants_json(request) and request.scope.get("query_string"):
            request.scope["query_string"] = drop_empty_params(request.scope["query_string"])
        resp = await call_next(request)
        resp.headers.update(_HEADERS)
        if token and request.query_params.get(TOKEN_PARAM):
            resp.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return resp

    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError):
        status = 404 if exc.code == "E302" else 400 if exc.code.startswith("E4") else 500
        if _wants_json(request):
            return JSONResponse({"error": exc.code, "detail": exc.reason}, status_code=status)
        html = app.state.env.get_template("error.html").render(
            status=status, code=exc.code, reason=exc.reason, links=app.state.links, static="/static")
        return HTMLResponse(html, status_code=status)

    def error_page(status: int, code: str, reason: str, headers=None) -> HTMLResponse:
        html = app.state.env.get_template("error.html").render(
            status=status, code=code, reason=reason, links=app.state.links, static="/static")
        return HTMLResponse(html, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """Unknown paths and refused methods: JSON under /api, a page elsewhere."""
        if _wants_json(request) or request.url.path.startswith("/static/"):
            return await http_exception_handler(request, exc)
        reason = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
        return error_page(exc.status_code, f"HTTP {exc.status_code}", reason, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError):
        """A parameter out of range or of the wrong form: FastAPI's JSON under /api, a page elsewhere."""
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        reasons = "; ".join(f"{' '.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg')}" for e in exc.errors())
        return error_page(422, "HTTP 422", f"Bad parameter ({reasons}).")

    app.add_middleware(GZipMiddleware, minimum_size=1000)  # outermost: pages, API and static files compressed
    app.include_router(api)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the app with uvicorn; a non-loopback ``host`` without ``token`` is ConfigError E400."""
    if not is_loopback(host) and not token:
        raise ConfigError(f"binding {host} (not loopback) requires --token", code="E400")
    import uvicorn

    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="info", log_config=log_config(token))


def redact_token(text: str, token: str | None = None) -> str:
    """``text`` (a request path with its query, as the access log shows it) with the value of every
    query parameter the server reads as ``token`` replaced by ``***``.

    Keys are decoded as the server decodes them (Starlette's ``parse_qsl``:
    percent escapes and ``+``), so ``?%74oken=...`` and ``?tok%65n=...``, which
    the server accepts, are redacted too. With ``token`` (the server's own),
    that value is also redacted wherever it appears, as given or percent-encoded."""
    path, sep, query = text.partition("?")
    if sep:
        parts = []
        for part in query.split("&"):
            key, eq, _ = part.partition("=")
            parts.append(f"{key}=***" if eq and unquote_plus(key) == TOKEN_PARAM else part)
        text = path + sep + "&".join(parts)
    if token and len(token) >= 6:  # a shorter value would blank out ordinary text (and is no secret)
        for form in {token, quote(token, safe=""), quote_plus(token, safe=""), quote(token)}:
            if form:
                text = text.replace(form, "***")
    return text


class RedactToken(logging.Filter):
    """Access-log filter: a token given in the query never reaches the log in plain text, whatever
    encoding of its key the server accepted (and the server's token itself, when given)."""

    def __init__(self, token: str | None = None):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_token(a, self.token) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_token(record.msg, self.token)
        return True


def log_config(token: str | None = None) -> dict:
    """uvicorn's logging configuration with :class:`RedactToken` on the access log."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg.setdefault("filters", {})["redact_token"] = {"()": RedactToken, "token": token}
    cfg["handlers"]["access"]["filters"] = ["redact_token"]
    return cfg
