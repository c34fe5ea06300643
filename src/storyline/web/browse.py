"""Filters, facets and source names for the browsing pages (timeline, entities, documents, search).

Built on ``storyline.views`` and the Store's public read methods; every list
comes back as ``(rows, total)`` so the pages and their ``/api`` twins page it
the same way (``X-Total-Count``). A source is shown by its outlet (the host of
its URL, else the file or feed it came from) and its display title, never by
its hex id.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from .. import views
from ..resolve.storymodel import ROLES as STORY_ROLES

__all__ = [
    "outlet_of", "doc_names", "with_sources", "conflicts_named", "timeline_rows", "entity_rows", "document_rows", "search_rows",
    "ROLES", "MODALITIES", "SEARCH_SORTS", "DOC_SORTS",
]

ROLES = STORY_ROLES  # one home: the story model
MODALITIES = ("fact", "not-fact")  # plain fact, or anything else (planned, denied, reported, ...)
SEARCH_SORTS = ("relevance", "date")
DOC_SORTS = ("stored", "date", "outlet")
SEARCH_CAP = 1000  # hits counted for a search's total (more reads "1000+")
DATE_SORT_CAP = 20_000  # hits a search by date orders (its newest first among these; no ranking needed)


def outlet_of(row: dict) -> str:
    """The outlet a document row comes from: its URL's host, else the last part of its source path."""
    host = views.outlet(row.get("url"))
    if host:
        return host
    src = str(row.get("source") or "").split("#")[0].rstrip("/")
    return PurePosixPath(src).name or src or row.get("id", "")


class DocIndex:
    """What the document list filters and sorts on, one small row per document (id, outlet, dates),
    read once per store state (documents and annotations stored) and kept: a page then reads only
    its own rows. ``order`` is storage order."""

    def __init__(self, rows: list[dict]):
        self.order = [r["id"] for r in rows]
        self.outlet = {r["id"]: outlet_of(r) for r in rows}
        self.day = {r["id"]: (r.get("published") or r.get("earliest"), r.get("latest")) for r in rows}
        self.facet = Counter(self.outlet.values()).most_common(30)


_INDEX: dict[tuple, DocIndex] = {}  # (store path, documents, annotated) -> its DocIndex


def doc_index(store) -> DocIndex:
    """The store's :class:`DocIndex`, read again when a document is stored or (re)annotated."""
    key = (str(getattr(store, "path", id(store))), *store.document_state())
    found = _INDEX.get(key)
    if found is None:
        found = DocIndex(store.document_rows())
        _INDEX.clear()  # one store's index at a time: the app serves one store
        _INDEX[key] = found
    return found


def outlets(store) -> dict[str, str]:
    """Every document's outlet (document id -> outlet)."""
    return doc_index(store).outlet


def doc_names(store, ids) -> dict[str, dict]:
    """Document id -> {id, outlet, title, date} for ``ids`` (unknown ids are left out)."""
    ids = list(dict.fromkeys(i for i in ids if i))
    out = {}
    for r in views.documents_of(store, ids) if ids else []:
        out[r["id"]] = {"id": r["id"], "outlet": outlet_of(r), "title": r.get("display_title") or r["id"],
                        "date": r.get("date")}
    return out


def _doc_of_cite(cite: str) -> str:
    return cite.rsplit(":", 1)[0]


def with_sources(store, rows: list[dict], key: str = "citations") -> list[dict]:
    """Add ``cited`` (one {cite, doc, outlet, title} per citation) to each row that has ``key`` citations."""
    names = doc_names(store, [_doc_of_cite(c) for r in rows for c in r.get(key) or ()])
    for r in rows:
        r["cited"] = []
        for c in r.get(key) or ():
            d = _doc_of_cite(c)
            n = names.get(d) or {"outlet": "source", "title": d}
            r["cited"].append({"cite": c, "doc": d, "outlet": n["outlet"], "title": n["title"]})
    return rows


def conflicts_named(store, conflicts: list[dict]) -> list[dict]:
    """Each conflict claim with the ``outlet`` and ``title`` of its document."""
    names = doc_names(store, [cl["doc"] for c in conflicts for cl in c["claims"]])
    for c in conflicts:
        for cl in c["claims"]:
            n = names.get(cl["doc"], {})
            cl["outlet"], cl["title"] = n.get("outlet", cl["doc"]), n.get("title", cl["doc"])
    return conflicts


# ---------------------------------------------------------------- timeline


def _row(ev, conflicted: set[str]) -> dict:
    row = views._event_row(ev, conflicted)  # the views' one row shape, plus the event's role in its story
    row["role"] = getattr(ev, "role", None)
    return row


def _in_range(row: dict, start: str | None, end: str | None) -> bool:
    """Whether the event's date (or range) can fall within [start, end] (ISO dates, either open)."""
    lo = row.get("earliest") or row.get("date") or ""
    hi = row.get("latest") or row.get("date") or lo
    if start and hi and hi < start:
        return False
    if end and lo and lo[: len(end)] > end:
        return False
    return True


def source_docs(store, source: str) -> list[str]:
    """The documents a ``source`` filter names: that document id, or every document of that outlet."""
    want = source.strip()
    if not want:
        return []
    low = want.lower()
    return [d for d, o in outlets(store).items() if d == want or o.lower() == low]


def modalities_of(store, modality: str) -> list[str | None]:
    """The stored modalities a ``modality`` filter keeps: plain facts (``fact``) or the others."""
    plain = modality == "fact"
    found = [m for m in store.event_modalities(dated=True) if views.is_plain_fact(m) == plain]
    return [*found, None] if plain and None not in found else found


def timeline_rows(store, *, story: str | None = None, entity: str | None = None, source: str | None = None,
                  date_from: str | None = None, date_to: str | None = None, modality: str | None = None,
                  role: str | None = None, offset: int = 0, limit: int = 100) -> tuple[list[dict], int]:
    """Dated events in date order, filtered, a page of them, and how many pass the filters.

    ``entity`` is a name, alias or id; ``source`` an outlet name or document id (a
    report of the event must come from it); ``date_from``/``date_to`` keep events
    whose date or range can fall inside; ``modality`` is ``fact`` or ``not-fact``;
    ``role`` one of :data:`ROLES`. Each row carries its story and its sources by name.
    Every filter runs in SQL: a page reads its own rows, and the total is one count.
    """
    filters: dict = {"dated": True, "story": story or None, "date_from": date_from or None,
                     "date_to": date_to or None, "roles": [role] if role else None}
    if entity:
        filters["entity_ids"] = store.entity_ids(entity)
        if not filters["entity_ids"]:
            return [], 0
    if source:
        filters["docs"] = source_docs(store, source)
        if not filters["docs"]:
            return [], 0
    if modality:
        filters["modalities"] = modalities_of(store, modality)
    if all(v is None for k, v in filters.items() if k != "dated"):
        total = views.count(store, "dated_events")
    else:
        total = store.count_events(**filters)
    events = store.events(**filters, limit=limit, offset=offset) if offset < total else []
    conflicted = store.open_conflicts_about([e.id for e in events])
    rows = [_row(e, conflicted) for e in events]
    stories = store.stories_of_events([r["event"] for r in rows])
    for r in rows:
        sid, label = stories.get(r["event"], (None, None))
        r["story"], r["story_label"] = sid, label
    return with_sources(store, rows), total


# ---------------------------------------------------------------- entities, documents, search


def entity_rows(store, *, type: str | None = None, name: str | None = None, sort: str = "mentions",
                offset: int = 0, limit: int = 100) -> tuple[list[dict], int, list[tuple[str, int]]]:
    """A page of entities, the total that pass, and the type facet, all in SQL. ``type`` keeps one
    type; ``name`` keeps entities one of whose names (canonical or alias) holds all its words (case-
    and accent-insensitive); ``sort`` is mentions, sources (documents) or name."""
    from ..kb import normalize_name

    if sort not in views.ENTITY_SORTS:
        raise ValueError(f"sort must be one of {', '.join(views.ENTITY_SORTS)}, not {sort!r}")
    type = (type or "").strip().upper() or None
    words = normalize_name(name).split() or None
    facet = store.entity_type_counts()
    if type is None and words is None:
        total = views.count(store, "entities")
    else:
        total = store.count_entities(type=type, words=words)
    if offset >= total:
        return [], total, facet
    if sort == "name":
        order = _name_order(store, type, words)
        return store.entity_rows(ids=order[offset: offset + limit]), total, facet
    return store.entity_rows(limit=limit, offset=offset, type=type, words=words, sort=sort), total, facet


_NAME_ORDERS: dict[tuple, list[str]] = {}  # (store path, resolution state, type, words) -> ids by name
MAX_NAME_ORDERS = 16  # name orders kept (each up to one id per entity)


def _name_order(store, type: str | None, words: list[str] | None) -> list[str]:
    """The entities by folded name (``store.entity_order``), kept for this store's resolution: sorting
    every name again for each page of the list would read them all."""
    key = (str(getattr(store, "path", id(store))), store.resolution_state(), type, tuple(words or ()))
    found = _NAME_ORDERS.get(key)
    if found is None:
        if len(_NAME_ORDERS) >= MAX_NAME_ORDERS or any(k[:2] != key[:2] for k in _NAME_ORDERS):
            _NAME_ORDERS.clear()
        found = _NAME_ORDERS[key] = store.entity_order(type=type, words=words)
    return found


def _doc_key(ix: DocIndex, sort: str):
    if sort == "date":
        return lambda d: ix.day[d][0] or "9999"
    return lambda d: (ix.outlet[d].lower(), ix.day[d][0] or "")


def document_rows(store, *, outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                  sort: str = "stored", offset: int = 0, limit: int = 100) -> tuple[list[dict], int, list[tuple[str, int]]]:
    """A page of documents (each with ``outlet``), the total that pass, and the outlet facet.

    Filters and sorts run on the store's :class:`DocIndex`; only the page's rows are read."""
    ix = doc_index(store)
    if not (outlet or date_from or date_to) and sort == "stored":
        rows = views.list_documents(store, limit=limit, offset=offset)
        for r in rows:
            r["outlet"] = ix.outlet.get(r["id"]) or outlet_of(r)
        return rows, len(ix.order), ix.facet
    ids = ix.order
    if outlet:
        want = outlet.strip().lower()
        ids = [d for d in ids if ix.outlet[d].lower() == want]
    if date_from or date_to:
        ids = [d for d in ids if ix.day[d][0] and _in_range({"earliest": ix.day[d][0], "latest": ix.day[d][1]},
                                                              date_from, date_to)]
    if sort != "stored":
        ids = sorted(ids, key=_doc_key(ix, sort))  # stable: storage order breaks ties
    page = ids[offset: offset + limit]
    found = {r["id"]: r for r in views.documents_of(store, page)} if page else {}
    rows = [found[d] for d in page if d in found]
    for r in rows:
        r["outlet"] = ix.outlet.get(r["id"]) or outlet_of(r)
    return rows, len(ids), ix.facet


def search_rows(store, q: str, *, sort: str = "relevance", offset: int = 0,
                limit: int = 20) -> tuple[list[dict], int, bool]:
    """A page of search hits (each with outlet, display title and date), the total (counted up to
    :data:`SEARCH_CAP`) and whether the total was capped. ``sort`` is relevance or date (newest first:
    up to :data:`DATE_SORT_CAP` hits ordered by their documents' dates)."""
    if not (q or "").strip():
        return [], 0, False
    total = store.search_count(q, SEARCH_CAP + 1)
    capped = total > SEARCH_CAP
    total = min(total, SEARCH_CAP)
    if offset >= total:
        return [], total, capped
    if sort == "date":
        ix = doc_index(store)
        ids = store.search_ids(q, limit=DATE_SORT_CAP, ranked=False)  # every hit, not the best-ranked
        ids.sort(key=lambda d: ((ix.day.get(d) or (None, None))[0] or "", d), reverse=True)
        page_ids = ids[offset: offset + limit]
        by_id = {h["doc"]: h for h in _hits(store, q, page_ids)}
        page = [by_id[d] for d in page_ids if d in by_id]
    else:
        page = views.search(store, q, limit=min(limit, total - offset), offset=offset)
    names = doc_names(store, [h["doc"] for h in page])
    for h in page:
        n = names.get(h["doc"], {})
        h["outlet"], h["display_title"], h["date"] = n.get("outlet"), n.get("title") or h["title"], n.get("date")
    return page, total, capped


def _hits(store, q: str, docs: list[str]) -> list[dict]:
    """Search hits (with snippets) of ``q`` in these documents only."""
    return [{"doc": h.doc, "title": h.title, "snippet": h.snippet, "rank": h.rank}
            for h in store.search(q, limit=max(1, len(docs)), docs=docs)] if docs else []


# ---------------------------------------------------------------- why a story's reports were grouped

MAX_SHARED = 8  # people and terms listed per story


def why_grouped(store, documents: list[dict], actor_ids: list[str]) -> dict:
    """What the story's reports have in common, from what the store holds (not the resolver's scores):
    ``people`` named in two or more of them, title ``terms`` two or more share, the ``dates`` they
    span, and ``duplicates`` (near-duplicates of another stored report)."""
    from ..resolve.common import content_tokens

    ids = [d["id"] for d in documents]
    inside = set(ids)
    n = len(ids)
    people = []
    for eid in actor_ids:
        ent = store.entity(eid)
        if ent is None:
            continue
        docs = {m.doc for m in ent.mentions} & inside
        if len(docs) >= 2:
            people.append({"id": ent.id, "name": ent.name, "type": ent.type, "reports": len(docs)})
    people.sort(key=lambda p: (-p["reports"], p["name"]))
    terms: Counter = Counter()
    for d in documents:
        if d.get("title_derived") is False and d.get("display_title"):
            terms.update(content_tokens(d["display_title"]))
    shared_terms = [{"term": t, "reports": k} for t, k in terms.most_common() if k >= 2 and not t.isdigit()]
    days = sorted(x for x in ((d.get("published") or d.get("earliest")) for d in documents) if x)
    names = {d["id"]: outlet_of(d) for d in documents}
    titles = {d["id"]: d.get("display_title") for d in documents}
    dups = [{"doc": d["id"], "outlet": names[d["id"]], "title": titles[d["id"]] or d["id"],
             "of": d["duplicate_of"], "of_title": titles.get(d["duplicate_of"])}
            for d in documents if d.get("duplicate_of")]
    return {"reports": n, "people": people[:MAX_SHARED], "terms": shared_terms[:MAX_SHARED],
            "dates": {"first": days[0] if days else None, "last": days[-1] if days else None,
                      "dated": len(days)},
            "duplicates": dups}


MAX_NEIGHBOUR_EVENTS = 500  # events of a report's people looked at for its closest other story (a page's cost)


def story_context(store, doc_id: str) -> dict:
    """The stories that hold a report, and the other story closest to it: the one whose events
    involve the most of the people and organisations the report names (with their names)."""
    own = store.stories_of_docs([doc_id]).get(doc_id, [])
    mine = {sid for sid, _ in own}
    ents = {eid: name for eid, name in store.entity_map(doc_id).values()}
    shared: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    if ents:
        events = store.events(entity_ids=list(ents), limit=MAX_NEIGHBOUR_EVENTS)
        where = store.stories_of_events([e.id for e in events])
        for ev in events:
            sid, label = where.get(ev.id, (None, None))
            if sid is None or sid in mine:
                continue
            labels[sid] = label
            shared.setdefault(sid, set()).update(p.entity for p in ev.participants if p.entity in ents)
    closest = None
    if shared:
        sid = max(shared, key=lambda s: (len(shared[s]), s))
        if shared[sid]:
            closest = {"id": sid, "label": labels[sid], "shared": sorted(ents[e] for e in shared[sid])}
    return {"stories": [{"id": s, "label": lab} for s, lab in own], "closest": closest}
