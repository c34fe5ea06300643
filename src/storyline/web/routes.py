"""The routes: the JSON API under ``/api`` and the server-rendered pages that show the same data.

Every route is a thin call of a ``storyline.views`` function (or the page data
in ``web.queries``) on this thread's read-only store; a page renders exactly
what its ``/api`` twin returns. API shapes are described in ``/openapi.json``;
pages stay out of the schema. Unknown ids answer 404 through the app's one
StorylineError handler.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from .. import views
from . import browse, queries
from .render import highlight
from .schemas import (
    CompareOut, ConflictOut, DocumentOut, DocumentRow, EntityOut, EntityRow, EventRow, FigureRow, QuoteRow,
    SearchHitOut, StoryOut, StoryRow,
)
from .svg import timeline_svg

__all__ = ["api", "pages", "store_of"]

api = APIRouter(prefix="/api", tags=["api"])
_404: dict[int | str, dict[str, Any]] = {404: {"description": "No such item in the store (error E302)"}}
# every list that grows with the store is paged: ?offset=&limit= (the total is in X-Total-Count where known)
OFFSET = Query(0, ge=0, le=queries.MAX_OFFSET, description="Rows to skip (paging)")
LIMIT = Query(100, ge=1, le=1000, description="Most rows to return (paging)")
PAGE = 50  # rows per HTML page
PAGE_LIMIT = Query(PAGE, ge=1, le=500)
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
FROM = Query(None, alias="from", pattern=_DATE, description="Earliest date kept (YYYY, YYYY-MM or YYYY-MM-DD)")
TO = Query(None, alias="to", pattern=_DATE, description="Latest date kept (YYYY, YYYY-MM or YYYY-MM-DD)")
Role = Literal["headline", "news", "background", "reaction"]
Modality = Literal["fact", "not-fact"]
EntitySort = Literal["mentions", "sources", "name"]
DocSort = Literal["stored", "date", "outlet"]
SearchSort = Literal["relevance", "date"]
ENTITY_SORT = Query("mentions", description="mentions, sources (documents) or name")
SEARCH_SORT = Query("relevance", description="relevance or date (newest first)")
MODALITY = Query(None, description="fact, or not-fact (planned, denied, ...)")
ROLE = Query(None, description="Role in its story: headline, news, background, reaction")


def _total(response: Response, n: int) -> None:
    response.headers["X-Total-Count"] = str(n)


def store_of(request: Request):
    """This worker thread's read-only Store."""
    return request.app.state.pool.get()


@api.get("/stories", response_model=list[StoryRow], summary="Stories with date range and counts (paged)")
def api_stories(request: Request, response: Response, offset: int = OFFSET, limit: int = LIMIT) -> Any:
    store = store_of(request)
    _total(response, views.count(store, "stories"))
    return views.stories(store, limit=limit, offset=offset)


@api.get("/story/{story_id}", response_model=StoryOut, responses=_404,
         summary="One story: documents, events, conflicts, timeline marks, actors, figures, brief")
def api_story(request: Request, story_id: str) -> Any:
    return queries.story_page(store_of(request), story_id)


@api.get("/story/{story_id}/compare", response_model=CompareOut, responses=_404,
         summary="Source comparison: one row per event or figure, one cell per document")
def api_compare(request: Request, story_id: str) -> Any:
    return queries.compare_page(store_of(request), story_id)


@api.get("/entity/{entity_id}", response_model=EntityOut, responses=_404,
         summary="One entity (id, name or alias): names, roles, events, quotes, figures")
def api_entity(request: Request, entity_id: str) -> Any:
    return views.entity_profile(store_of(request), entity_id)


@api.get("/doc/{doc_id}", response_model=DocumentOut, responses=_404,
         summary="One document (id or unique prefix): clean text and every extracted item with its span")
def api_doc(request: Request, doc_id: str,
            hl: list[str] = Query(default=[], description="Ranges start-end to report as cited")) -> Any:
    return queries.document_page(store_of(request), doc_id, hl)


@api.get("/documents", response_model=list[DocumentRow],
         summary="Documents (metadata, display title, published date or inferred range; no text; paged)")
def api_documents(request: Request, response: Response,
                  outlet: Optional[str] = Query(None, description="Outlet (URL host or source file name)"),
                  date_from: Optional[str] = FROM, date_to: Optional[str] = TO, sort: DocSort = "stored",
                  offset: int = OFFSET, limit: int = LIMIT) -> Any:
    rows, n, _ = browse.document_rows(store_of(request), outlet=outlet, date_from=date_from, date_to=date_to,
                                      sort=sort, offset=offset, limit=limit)
    _total(response, n)
    return rows


@api.get("/entities", response_model=list[EntityRow], summary="Entities, most mentioned first (paged)")
def api_entities(request: Request, response: Response,
                 type: Optional[str] = Query(None, description="Entity type (PERSON, ORG, GPE, ...)"),
                 name: Optional[str] = Query(None, description="Words the name holds"),
                 sort: EntitySort = ENTITY_SORT,
                 offset: int = OFFSET, limit: int = LIMIT) -> Any:
    rows, n, _ = browse.entity_rows(store_of(request), type=type, name=name, sort=sort, offset=offset, limit=limit)
    _total(response, n)
    return rows


@api.get("/conflicts", response_model=list[ConflictOut], summary="Where sources disagree, each claim cited (paged)")
def api_conflicts(request: Request, response: Response, offset: int = OFFSET, limit: int = LIMIT) -> Any:
    store = store_of(request)
    _total(response, views.count(store, "conflicts"))
    return browse.conflicts_named(store, views.conflicts(store, limit=limit, offset=offset))


@api.get("/search", response_model=list[SearchHitOut], summary="Full-text search over all documents (paged)")
def api_search(request: Request, response: Response, q: str = Query("", description="Words to find"),
               sort: SearchSort = SEARCH_SORT,
               limit: int = Query(20, ge=1, le=200, description="Most hits to return"), offset: int = OFFSET) -> Any:
    hits, n, capped = browse.search_rows(store_of(request), q, sort=sort, offset=offset, limit=limit)
    _total(response, n)
    return hits


@api.get("/timeline", response_model=list[EventRow], summary="Dated events in date order (paged)")
def api_timeline(request: Request, response: Response,
                 entity: Optional[str] = Query(None, description="Entity name, alias or id"),
                 story: Optional[str] = Query(None, description="Story id"),
                 source: Optional[str] = Query(None, description="Outlet name or document id that reports it"),
                 date_from: Optional[str] = FROM, date_to: Optional[str] = TO,
                 modality: Optional[Modality] = MODALITY,
                 role: Optional[Role] = ROLE,
                 offset: int = OFFSET, limit: int = LIMIT) -> Any:
    rows, n = browse.timeline_rows(store_of(request), story=story, entity=entity, source=source, date_from=date_from,
                                   date_to=date_to, modality=modality, role=role, offset=offset, limit=limit)
    _total(response, n)
    return rows


@api.get("/quotes", response_model=list[QuoteRow], summary="Quotes with speaker and citation (paged)")
def api_quotes(request: Request, response: Response,
               speaker: Optional[str] = Query(None, description="Speaker name or alias"),
               offset: int = OFFSET, limit: int = LIMIT) -> Any:
    store = store_of(request)
    rows = views.quotes(queries.Paged(store, offset, limit), speaker)
    _total(response, store.count_of("quotes") if speaker is None else len(views.quotes(store, speaker)))
    return rows


@api.get("/figures", response_model=list[FigureRow], summary="Figures, optionally about one thing (paged)")
def api_figures(request: Request, response: Response,
                about: Optional[str] = Query(None, description="Words the figure is about"),
                offset: int = OFFSET, limit: int = LIMIT) -> Any:
    store = store_of(request)
    _total(response, store.count_figures(about))
    return views.figures(queries.Paged(store, offset, limit), about)


# ---------------------------------------------------------------- pages

pages = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, **context) -> HTMLResponse:
    env = request.app.state.env
    html = env.get_template(template).render(links=request.app.state.links, static="/static", **context)
    return HTMLResponse(html)


def _paged(rows: list, offset: int, limit: int, total: int | None) -> dict:
    return queries.page_info(offset, limit, len(rows), total)


def _base(path: str, filters: dict) -> str:
    """``path?`` with the set filters, ready for the pager to append ``offset=&limit=``."""
    from urllib.parse import urlencode

    kept = {k: v for k, v in filters.items() if v}
    return f"{path}?{urlencode(kept)}&" if kept else f"{path}?"


@pages.get("/", response_class=HTMLResponse)
def index(request: Request, offset: int = OFFSET, limit: int = PAGE_LIMIT):
    store = store_of(request)
    rows = views.stories(store, limit=limit, offset=offset)
    return _page(request, "index.html", stories=rows, ndocs=views.count(store, "documents"),
                 page=_paged(rows, offset, limit, views.count(store, "stories")))


@pages.get("/documents", response_class=HTMLResponse)
def documents(request: Request, outlet: Optional[str] = None, date_from: Optional[str] = FROM,
              date_to: Optional[str] = TO, sort: DocSort = "stored", offset: int = OFFSET, limit: int = PAGE_LIMIT):
    rows, n, facet = browse.document_rows(store_of(request), outlet=outlet, date_from=date_from, date_to=date_to,
                                          sort=sort, offset=offset, limit=limit)
    f = {"outlet": outlet or "", "from": date_from or "", "to": date_to or "", "sort": sort}
    return _page(request, "documents.html", docs=rows, page=_paged(rows, offset, limit, n), facet=facet, f=f,
                 base=_base("/documents", f))


@pages.get("/entities", response_class=HTMLResponse)
def entities(request: Request, type: Optional[str] = None, name: Optional[str] = None, sort: EntitySort = "mentions",
             offset: int = OFFSET, limit: int = PAGE_LIMIT):
    rows, n, facet = browse.entity_rows(store_of(request), type=type, name=name, sort=sort, offset=offset, limit=limit)
    f = {"type": type or "", "name": name or "", "sort": sort}
    return _page(request, "entities.html", entities=rows, page=_paged(rows, offset, limit, n), facet=facet, f=f,
                 base=_base("/entities", f))


@pages.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, story: Optional[str] = None, entity: Optional[str] = None,
                  source: Optional[str] = None, date_from: Optional[str] = FROM, date_to: Optional[str] = TO,
                  modality: Optional[Modality] = None, role: Optional[Role] = None,
                  offset: int = OFFSET, limit: int = PAGE_LIMIT):
    store = store_of(request)
    rows, n = browse.timeline_rows(store, story=story, entity=entity, source=source, date_from=date_from,
                                   date_to=date_to, modality=modality, role=role, offset=offset, limit=limit)
    f = {"story": story or "", "entity": entity or "", "source": source or "", "from": date_from or "",
         "to": date_to or "", "modality": modality or "", "role": role or ""}
    return _page(request, "timeline.html", events=rows, page=_paged(rows, offset, limit, n), f=f,
                 base=_base("/timeline", f), stories=views.stories(store, limit=200), roles=browse.ROLES)


@pages.get("/story/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str):
    data = queries.story_page(store_of(request), story_id)
    svg = timeline_svg(data["timeline"], request.app.state.links)
    return _page(request, "story.html", story=data, svg=svg)


@pages.get("/story/{story_id}/compare", response_class=HTMLResponse)
def compare(request: Request, story_id: str):
    return _page(request, "compare.html", cmp=queries.compare_page(store_of(request), story_id))


@pages.get("/entity/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str):
    store = store_of(request)
    ent = views.entity_profile(store, entity_id)
    browse.with_sources(store, ent.get("events") or [])
    return _page(request, "entity.html", ent=ent, docnames=browse.doc_names(store, ent.get("documents") or []))


@pages.get("/doc/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str, hl: list[str] = Query(default=[])):
    data = queries.document_page(store_of(request), doc_id, hl)
    body = highlight(data["text"], data["items"], [(c["start"], c["end"]) for c in data["cited"]])
    return _page(request, "doc.html", doc=data, body=body)


@pages.get("/conflicts", response_class=HTMLResponse)
def conflicts(request: Request, offset: int = OFFSET, limit: int = PAGE_LIMIT):
    store = store_of(request)
    rows = browse.conflicts_named(store, views.conflicts(store, limit=limit, offset=offset))
    return _page(request, "conflicts.html", conflicts=rows,
                 page=_paged(rows, offset, limit, views.count(store, "conflicts")))


@pages.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Optional[str] = Query(None), sort: SearchSort = "relevance", offset: int = OFFSET,
           limit: int = Query(20, ge=1, le=200)):
    hits, n, capped = browse.search_rows(store_of(request), q or "", sort=sort, offset=offset, limit=limit)
    f = {"q": q or "", "sort": sort}
    return _page(request, "search.html", q=q or "", hits=hits, page=_paged(hits, offset, limit, n), capped=capped,
                 f=f, base=_base("/search", f))


@pages.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """The JSON API reference, rendered here from the OpenAPI schema (no CDN, no script)."""
    from .apidocs import operations

    return _page(request, "apidocs.html", ops=operations(request.app.openapi()))
