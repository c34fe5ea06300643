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


def outlet_of(row: dict) -> str:
    """The outlet a document row comes from: its URL's host, else the last part of its source path."""
    host = views.outlet(row.get("url"))
    if host:
        return host
    src = str(row.get("source") or "").split("#")[0].rstrip("/")
    return PurePosixPath(src).name or src or row.get("id", "")


_OUTLETS: dict[tuple[str, int], dict[str, str]] = {}  # (store path, documents) -> {doc id: outlet}


def outlets(store) -> dict[str, str]:
    """Every document's outlet, read once per store and document count (a new document reads it again)."""
    key = (str(getattr(store, "path", id(store))), views.count(store, "documents"))
    found = _OUTLETS.get(key)
    if found is None:
        found = {r["id"]: outlet_of(r) for r in store.document_rows()}
        _OUTLETS.clear()  # one store's map at a time: the app serves one store
        _OUTLETS[key] = found
    return found


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


def timeline_rows(store, *, story: str | None = None, entity: str | None = None, source: str | None = None,
                  date_from: str | None = None, date_to: str | None = None, modality: str | None = None,
                  role: str | None = None, offset: int = 0, limit: int = 100) -> tuple[list[dict], int]:
    """Dated events in date order, filtered, a page of them, and how many pass the filters.

    ``entity`` is a name, alias or id; ``source`` an outlet name or document id (a
    report of the event must come from it); ``date_from``/``date_to`` keep events
    whose date or range can fall inside; ``modality`` is ``fact`` or ``not-fact``;
    ``role`` one of :data:`ROLES`. Each row carries its story and its sources by name.
    """
    entity_ids = None
    if entity:
        entity_ids = store.entity_ids(entity)
        if not entity_ids:
            return [], 0
    story = story or None
    simple = not (source or date_from or date_to or modality or role)
    if simple and entity_ids is None and story is None:
        events = store.events(dated=True, limit=limit, offset=offset)
        total = views.count(store, "dated_events")
        conflicted = store.open_conflicts_about([e.id for e in events])
        rows = [_row(e, conflicted) for e in events]
    else:
        events = store.events(entity_ids=entity_ids, story=story, dated=True)
        conflicted = store.open_conflicts_about([e.id for e in events])
        rows = [_row(e, conflicted) for e in events]
        if source:
            want = source.strip().lower()
            docs = {d for d, o in outlets(store).items() if d == source.strip() or o.lower() == want}
            rows = [r for r in rows if any(_doc_of_cite(c) in docs for c in r["citations"])]
        if date_from or date_to:
            rows = [r for r in rows if _in_range(r, date_from, date_to)]
        if modality:
            plain = modality == "fact"
            rows = [r for r in rows if views.is_plain_fact(r.get("modality")) == plain]
        if role:
            rows = [r for r in rows if r.get("role") == role]
        total = len(rows)
        rows = rows[offset: offset + limit]
    stories = store.stories_of_events([r["event"] for r in rows])
    for r in rows:
        sid, label = stories.get(r["event"], (None, None))
        r["story"], r["story_label"] = sid, label
    return with_sources(store, rows), total


# ---------------------------------------------------------------- entities, documents, search


def entity_rows(store, *, type: str | None = None, name: str | None = None, sort: str = "mentions",
                offset: int = 0, limit: int = 100) -> tuple[list[dict], int, list[tuple[str, int]]]:
    """A page of entities (``views.entities`` filters), the total that pass, and the type facet."""
    type, name = type or None, (name or "").strip() or None
    facet = store.entity_type_counts()
    if type is None and name is None and sort == "mentions":
        return views.entities(store, limit=limit, offset=offset), views.count(store, "entities"), facet
    rows = views.entities(store, type=type, name=name, sort=sort)
    return rows[offset: offset + limit], len(rows), facet


def _doc_key(r: dict, sort: str):
    if sort == "date":
        return (r.get("published") or r.get("earliest") or "9999", r["id"])
    return (r["outlet"].lower(), r.get("published") or r.get("earliest") or "", r["id"])


def document_rows(store, *, outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                  sort: str = "stored", offset: int = 0, limit: int = 100) -> tuple[list[dict], int, list[tuple[str, int]]]:
    """A page of documents (each with ``outlet``), the total that pass, and the outlet facet."""
    if not (outlet or date_from or date_to) and sort == "stored":
        rows = views.list_documents(store, limit=limit, offset=offset)
        for r in rows:
            r["outlet"] = outlet_of(r)
        facet = Counter(outlets(store).values()).most_common(30)
        return rows, views.count(store, "documents"), facet
    rows = views.list_documents(store)
    for r in rows:
        r["outlet"] = outlet_of(r)
    facet = Counter(r["outlet"] for r in rows).most_common(30)
    if outlet:
        rows = [r for r in rows if r["outlet"].lower() == outlet.strip().lower()]
    if date_from or date_to:
        rows = [r for r in rows if (r.get("published") or r.get("earliest"))
                and _in_range({"date": r.get("published"), "earliest": r.get("earliest"), "latest": r.get("latest")},
                              date_from, date_to)]
    if sort != "stored":
        rows.sort(key=lambda r: _doc_key(r, sort))
    return rows[offset: offset + limit], len(rows), facet


def search_rows(store, q: str, *, sort: str = "relevance", offset: int = 0,
                limit: int = 20) -> tuple[list[dict], int, bool]:
    """A page of search hits (each with outlet, display title and date), the total (counted up to
    :data:`SEARCH_CAP`) and whether the total was capped. ``sort`` is relevance or date (newest first)."""
    if not (q or "").strip():
        return [], 0, False
    hits = views.search(store, q, limit=SEARCH_CAP)
    capped = len(hits) >= SEARCH_CAP
    names = doc_names(store, [h["doc"] for h in hits] if sort == "date" else
                      [h["doc"] for h in hits[offset: offset + limit]])
    if sort == "date":
        hits.sort(key=lambda h: names.get(h["doc"], {}).get("date") or "", reverse=True)
    page = hits[offset: offset + limit]
    for h in page:
        n = names.get(h["doc"], {})
        h["outlet"], h["display_title"], h["date"] = n.get("outlet"), n.get("title") or h["title"], n.get("date")
    return page, len(hits), capped


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
