"""Read views shared by the CLI, the JSON API and the web pages.

Every function takes the Store first and returns plain dicts and lists
(JSON-ready). Citations are ``"doc:start-end"`` strings. Views read through
the Store's indexed queries (``storyline.kb.queries``): one entity or story
never loads the whole store.
"""

from __future__ import annotations

import calendar
import re

from .errors import StoreError
from .model import Conflict, Event, Figure, Quote, Span, When

__all__ = [
    "cite",
    "precision",
    "date_text",
    "event_label",
    "outlet",
    "brief_view",
    "entities",
    "derived_title",
    "short_name",
    "is_plain_fact",
    "count",
    "list_documents",
    "show_document",
    "timeline",
    "entities",
    "entity_profile",
    "quotes",
    "figures",
    "conflicts",
    "stories",
    "story",
    "brief",
    "compare",
    "search",
    "snippet_parts",
    "cited_span",
    "parse_cite",
    "plural",
    "value_words",
    "distinct",
]



def cite(span: Span) -> str:
    return f"{span.doc}:{span.start}-{span.end}"


def precision(when: When | None) -> str | None:
    """day, month, year, week, range or None, from the shape of the value."""
    if when is None or not when.known:
        return None
    v = when.value or ""
    if not v and when.exact_day:
        return "day"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
        return "day"
    if re.fullmatch(r"\d{4}-\d\d", v):
        return "month"
    if re.fullmatch(r"\d{4}", v):
        return "year"
    if re.fullmatch(r"\d{4}-W\d\d", v):
        return "week"
    return "range"


def _when(when: When | None) -> dict:
    w = when or When()
    date = w.value
    if date is None and w.exact_day:  # a one-day range is that day
        date = w.exact_day
    elif date is None and (w.earliest or w.latest):  # a range with no single value: say its bounds
        date = f"{w.earliest or '…'}..{w.latest or '…'}"
    return {"date": date, "earliest": w.earliest, "latest": w.latest, "precision": precision(when)}


def _date_words(when: When | None) -> str:
    """A readable date: "28 March 2025", "March 2025", "between 3 and 9 March 2025"."""
    if when is None:
        return "on an unknown date"
    v = when.value or ""
    if not v and when.earliest and when.earliest == when.latest:
        v = when.earliest
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", v):
        return f"on {int(m[3])} {calendar.month_name[int(m[2])]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
        return f"in {calendar.month_name[int(m[2])]} {m[1]}"
    if re.fullmatch(r"\d{4}", v):
        return f"in {v}"
    if when.earliest and when.latest:
        return f"between {_date_words(When(when.earliest))[3:]} and {_date_words(When(when.latest))[3:]}"
    if when.earliest:
        return f"after {when.earliest}"
    if when.latest:
        return f"by {when.latest}"
    return "on an unknown date"


def date_text(value: str | None, earliest: str | None = None, latest: str | None = None) -> str | None:
    """One date or a range, for people: "2025-04-03", "2025-03-28 – 2025-04-02", "after 2025-03-28"; None if unknown.

    A range is printed only when it is one: equal bounds are that day, and a value
    (a day, a month, a week) is printed as it is.
    """
    if value and not value.startswith("P"):
        return value
    if earliest and earliest == latest:
        return earliest
    if earliest and latest:
        return f"{earliest} – {latest}"
    if earliest:
        return f"after {earliest}"
    if latest:
        return f"by {latest}"
    return value or None


# Event modalities that say nothing beyond "it happened" (the timeline shows the others).
_PLAIN = {"", "asserted", "actual", "fact", "factual", "realis", "plain", "occurred", "happened", "reported"}


def is_plain_fact(modality: str | None) -> bool:
    """True when an event's modality is unknown or plain fact (the timeline then prints none)."""
    return modality is None or str(modality).strip().lower() in _PLAIN


# ---------------------------------------------------------------- documents

# the end of a first sentence: ., ! or ? after a lower-case word (not "U.S." or "Mr."), or a line break
_SENTENCE_END = re.compile(r"(?<=[a-z0-9]{2})[.!?][\"”’)]?(?=\s|$)|\n")


def derived_title(text: str | None, limit: int = 80) -> str | None:
    """A display title from a document's lede: its first sentence, cut at a word near ``limit`` chars.

    For documents without a title; callers mark it as derived. None when the text has no words.
    """
    lede = (text or "").lstrip()
    if not lede:
        return None
    m = _SENTENCE_END.search(lede)
    first = " ".join((lede[: m.start()] if m else lede).split()).rstrip(" ,;:")
    if len(first) <= limit:
        return first or None
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return (cut or first[:limit]) + "…"


def short_name(row: dict, limit: int = 34) -> str:
    """A short name for a source column: its outlet or (display) title, shortened, then its date."""
    name = row.get("outlet") or row.get("display_title") or row.get("title") or row.get("source") or row.get("id", "")
    name = " ".join(str(name).split())
    if len(name) > limit:
        name = name[: limit].rsplit(" ", 1)[0].rstrip(" ,;:—–-") + "…"
    when = date_text(row.get("published"), row.get("earliest"), row.get("latest"))
    return f"{name}, {when}" if when else name


def _doc(row: dict) -> dict:
    """A document row for people: ``display_title`` (the title, else one derived from the lede, then
    ``title_derived``), ``date`` (published day or inferred range) and ``short_name``."""
    lede = row.pop("lede", None)
    title = (row.get("title") or "").strip()
    row["display_title"] = title or derived_title(lede) or None
    row["title_derived"] = not title and row["display_title"] is not None
    row["date"] = date_text(row.get("published"), row.get("earliest"), row.get("latest"))
    row["short_name"] = short_name(row)
    return row


def documents_of(store, ids: list[str]) -> list[dict]:
    """Rows of the given documents (for a story), each with display title, date and short name."""
    return [_doc(r) for r in store.document_rows(ids)]


def count(store, what: str) -> int:
    """How many documents, entities, stories, conflicts or dated_events there are (for paging)."""
    return store.count_of(what)


def list_documents(store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """One row per document (no text): id, title, display_title (title_derived), byline, published, earliest,
    latest, date, basis, source, words, duplicate_of; a page of ``limit`` rows from ``offset``."""
    return [_doc(r) for r in store.document_rows(limit=limit, offset=offset)]


def show_document(store, doc_id: str) -> dict:
    """A document with its text and every extracted item (with spans) for highlighting."""
    rec = store.document(doc_id)
    (row,) = documents_of(store, [rec.id])
    d = rec.document
    out = {**row, "sources": list(rec.sources), "language": d.language, "url": d.url, "format": d.format,
           "text": d.text, "items": []}
    ann = next(store.annotations([rec.id]), None)
    if ann is None:
        return out
    emap = store.entity_map(rec.id)

    def name(key: str | None) -> str | None:
        if key is None:
            return None
        if key in emap:
            return emap[key][1]
        ent = ann.entity(key)
        return ent.name if ent else None

    items = out["items"]
    for e in ann.entities:
        eid = emap.get(e.key, (f"{rec.id}:{e.key}",))[0]
        for m in e.mentions:
            items.append({"type": "entity", "id": e.key, "entity": eid, "name": name(e.key), "entity_type": e.type,
                          "kind": m.kind, **_span(m.span)})
    for t in ann.times:
        items.append({"type": "time", "id": t.id, "time_type": t.type, **_when(t.when), **_span(t.span)})
    for q in ann.quotes:
        items.append({"type": "quote", "id": q.id, "kind": q.kind, "speaker": name(q.speaker), "cue": q.cue,
                      "speaker_span": _span(q.speaker_span) if q.speaker_span else None, **_span(q.span)})
    for f in ann.figures:
        items.append({"type": "figure", "id": f.id, "value": f.value, "unit": f.unit, "about": f.about,
                      "subject": name(f.subject), "speaker": name(f.speaker), "status": f.status, **_span(f.span)})
    for ev in ann.events:
        items.append({"type": "event", "id": ev.id, "event_type": ev.type, "label": ev.label, **_when(ev.when),
                      "trigger": _span(ev.trigger), **_span(ev.span)})
    items.sort(key=lambda it: (it["start"], -it["end"], it["type"]))
    return out


def _span(s: Span) -> dict:
    return {"doc": s.doc, "start": s.start, "end": s.end, "text": s.text, "cite": cite(s)}


# ---------------------------------------------------------------- events and entities


def _modality(ev: Event) -> str | None:
    """The event's modality where the model has one (on the event, else shared by all its reports)."""
    m = getattr(ev, "modality", None)
    if m is None and ev.mentions:
        seen = {getattr(r, "modality", None) for r in ev.mentions}
        m = seen.pop() if len(seen) == 1 else None
    return m


def event_label(ev: Event) -> str:
    """An event's label as a person writes it (:func:`storyline.resolve.storymodel.reader_label`)."""
    from .resolve.storymodel import reader_label

    return reader_label(ev)


def _event_row(ev: Event, conflicted: set[str]) -> dict:
    return {
        "event": ev.id,
        **_when(ev.when),
        "label": event_label(ev),
        "triple": ev.label,
        "type": ev.type,
        "mode": ev.mode,
        "modality": _modality(ev),
        "sources": ev.sources,
        "reports": len(ev.mentions),
        "conflict": ev.id in conflicted,
        "citations": [cite(m.span) for m in ev.mentions],
    }


def timeline(store, entity: str | None = None, story: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[dict]:
    """Dated events in date order, optionally for one entity (name or alias) or one story; a page with ``limit``."""
    entity_ids = None
    if entity is not None:
        entity_ids = store.entity_ids(entity)
        if not entity_ids:
            return []
    events = store.events(entity_ids=entity_ids, story=story, dated=True, limit=limit, offset=offset)
    conflicted = store.open_conflicts_about([e.id for e in events])
    return [_event_row(e, conflicted) for e in events]


ENTITY_SORTS = ("mentions", "sources", "name")


def entities(store, limit: int | None = None, offset: int = 0, *, type: str | None = None, name: str | None = None,
             sort: str = "mentions") -> list[dict]:
    """Resolved entities: id, name, type, mentions, documents; most mentioned first (``sort``: mentions,
    sources = documents, or name); ``type`` keeps one type, ``name`` those whose name holds its words
    (case- and accent-insensitive); a page with ``limit``. ValueError on an unknown sort."""
    if sort not in ENTITY_SORTS:
        raise ValueError(f"--sort must be one of {', '.join(ENTITY_SORTS)}, not {sort!r}")
    if type is None and name is None and sort == "mentions":
        return store.entity_rows(limit=limit, offset=offset)
    rows = store.entity_rows()
    if type is not None:
        rows = [r for r in rows if (r.get("type") or "").upper() == type.strip().upper()]
    if name is not None:
        want = _folded(name).split()
        rows = [r for r in rows if all(w in _folded(r.get("name") or "") for w in want)]
    if sort == "sources":
        rows.sort(key=lambda r: (-(r.get("documents") or 0), -(r.get("mentions") or 0)))
    elif sort == "name":
        rows.sort(key=lambda r: _folded(r.get("name") or ""))
    return rows[offset : None if limit is None else offset + limit]


def _folded(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def entity_profile(store, name: str, limit: int = 100) -> dict:
    """One entity by canonical name, alias or id (case- and accent-insensitive); E302 when unknown.

    Events, quotes and figures are each capped at ``limit`` rows (earliest first).
    """
    ids = store.entity_ids(name)
    if not ids:
        raise StoreError(f"no entity named {name!r}", code="E302")
    ent = store.entity(ids[0])
    evs = store.entity_events(ent.id, limit=limit)
    conflicted = store.open_conflicts_about([e.id for e, _ in evs])
    return {
        "id": ent.id,
        "name": ent.name,
        "type": ent.type,
        "aliases": list(ent.aliases),
        "roles": list(ent.descriptions),
        "mentions": len(ent.mentions),
        "documents": sorted({s.doc for s in ent.mentions} | {d for d, _ in ent.members}),
        "events": [{**_event_row(e, conflicted), "role": role} for e, role in evs],
        "quotes": [_quote_row(q, eid, n) for q, eid, n in store.quote_rows(entity_ids=[ent.id], limit=limit)],
        "figures": [_figure_row(f, names) for f, names in store.figure_rows(entity_ids=[ent.id], limit=limit)],
        "also": ids[1:],
    }


# ---------------------------------------------------------------- quotes, figures, conflicts


def _quote_row(q: Quote, eid: str | None, name: str | None) -> dict:
    return {
        "id": q.id,
        "doc": q.span.doc,
        "speaker": name,
        "speaker_id": eid,
        "speaker_text": q.speaker_span.text if q.speaker_span else None,
        "kind": q.kind,
        "cue": q.cue,
        "text": q.span.text,
        **({"when": _when(q.when)} if q.when else {}),
        "cite": cite(q.span),
    }


def quotes(store, speaker: str | None = None) -> list[dict]:
    """Quotes with speaker, kind, cue and citation; only one speaker's when ``speaker`` is given."""
    if speaker is None:
        rows = store.quote_rows()
    else:
        rows = store.quote_rows(entity_ids=store.entity_ids(speaker), name=speaker)
    return [_quote_row(q, eid, n) for q, eid, n in rows]


def _figure_row(f: Figure, names: dict) -> dict:
    return {
        "id": f.id,
        "doc": f.span.doc,
        "text": f.span.text,
        "value": f.value,
        "unit": f.unit,
        "about": f.about,
        "subject": names.get("subject"),
        "subject_id": names.get("subject_id"),
        "period": f.period,
        "qualifier": f.qualifier,
        "status": f.status,
        "speaker": names.get("speaker"),
        "cite": cite(f.span),
    }


def figures(store, about: str | None = None) -> list[dict]:
    """Figures; ``about`` keeps those whose ``about`` holds it (case- and accent-insensitive)."""
    return [_figure_row(f, names) for f, names in store.figure_rows(about=about)]


def _conflict_row(c: Conflict) -> dict:
    return {
        "id": c.id,
        "kind": c.kind,
        "about": c.about,
        "summary": c.summary,
        "status": c.status,
        "claims": [{"value": cl.value, "text": cl.span.text, "doc": cl.span.doc, "cite": cite(cl.span)} for cl in c.claims],
    }


def conflicts(store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Where sources disagree, each claim cited; a page of ``limit`` from ``offset``."""
    return [_conflict_row(c) for c in store.conflict_list(limit=limit, offset=offset)]


# ---------------------------------------------------------------- stories


def stories(store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Stories: label, date range, documents, events and open conflicts (counts); a page with ``limit``."""
    return store.story_rows(limit=limit, offset=offset)


def story(store, story_id: str) -> dict:
    """One story: its documents, all its events (dated first, in order) and its conflicts; E302 if unknown."""
    st = store.story_record(story_id)
    events = store.events(story=st.id)
    conflicted = store.open_conflicts_about([e.id for e in events])
    return {
        "id": st.id,
        "label": st.label,
        "earliest": st.earliest,
        "latest": st.latest,
        "documents": documents_of(store, list(st.documents)),
        "events": [_event_row(e, conflicted) for e in events],
        "conflicts": [_conflict_row(c) for c in store.conflict_list(story=st.id)],
    }


def _main_story(store) -> str | None:
    rows = store.story_rows()
    if not rows:
        return None
    return max(rows, key=lambda r: (r["documents"], r["events"], -rows.index(r)))["id"]


def outlet(url: str | None) -> str | None:
    """An outlet's name from a document's address: its host without "www." ("nytimes.com")."""
    if not url:
        return None
    m = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", url.strip(), re.I)
    if not m:
        return None
    host = m[1].lower()
    return host[4:] if host.startswith("www.") else host


def _brief_docs(store, ids: list[str]) -> dict[str, dict]:
    """What the brief says of each document: its outlet (or short title), day and original."""
    out = {}
    for row in documents_of(store, ids):
        try:
            doc = store.document(row["id"]).document
            url, text = doc.url, doc.text
        except StoreError:
            url, text = None, ""
        head = _headline_end(text or "")
        title = row.get("display_title") or row["id"]
        if len(title) > 40:
            title = title[:40].rsplit(" ", 1)[0].rstrip(" ,;:—–-") + "…"
        day = row.get("published") if re.fullmatch(r"\d{4}-\d\d-\d\d", row.get("published") or "") else None
        out[row["id"]] = {"name": outlet(url) or title, "date": day, "duplicate_of": row.get("duplicate_of"),
                          "title": row.get("display_title"), "title_end": head}
    return out


HEADLINE_WORDS = 20  # a paragraph this short at the top of a text, set off by a blank line, is a headline or deck


def _headline_end(text: str) -> int | None:
    """Where the headline block of a text ends: the short paragraphs (headline, deck, photo caption; each
    at most ``HEADLINE_WORDS`` words, set off by blank lines) before its first long one; None without."""
    end = None
    for m in re.finditer(r"[^\r\n]+(?:\r?\n(?![ \t]*\r?\n)[^\r\n]+)*", text):
        if len(m[0].split()) > HEADLINE_WORDS:
            break
        if not re.match(r"[ \t]*\r?\n[ \t]*\r?\n", text[m.end():]):
            break  # a paragraph not set off by a blank line: the text has no headline block
        end = m.end()
    return end


def brief_view(store, story_id: str | None = None, long: bool = False) -> dict:
    """The brief of one story (``resolve.brief.build_brief``): heading (title, dates, sources by name),
    then the news, developments, quotes, disagreements and background, each sentence cited.

    Without ``story_id`` the largest story is used, and ``chosen`` says so (``stories`` counts them);
    E302 for an unknown story."""
    from .resolve.brief import build_brief

    given = story_id is not None
    story_id = story_id or _main_story(store)
    if story_id is not None:
        st = store.story_record(_story_id(store, story_id))
        events = store.events(story=st.id)
        quote_rows = store.quote_rows(docs=list(st.documents))
        confs = store.conflict_list(story=st.id)
        ids = list(st.documents)
    else:
        st = None
        events = store.events()
        quote_rows = store.quote_rows()
        confs = store.conflict_list()
        ids = [r["id"] for r in store.document_rows()]
    out = build_brief(st, events, quote_rows, confs, _brief_docs(store, ids), long=long)
    out["chosen"] = "given" if given else ("largest" if st is not None else "all")
    out["stories"] = count(store, "stories")
    return out


def _story_id(store, given: str) -> str:
    """A story id from the id or a unique prefix of it (as documents take); E302 when none or several."""
    try:
        return store.story_record(given).id
    except StoreError:
        pass
    ids = [r["id"] for r in store.story_rows()]  # a prefix: only when the id is not whole
    hits = [i for i in ids if i.startswith(given) or i.startswith("sty_" + given)]
    if len(hits) == 1:
        return hits[0]
    raise StoreError(f"no story {given!r}" if not hits else f"story {given!r} is ambiguous ({len(hits)} match)",
                     code="E302")


def brief(store, story_id: str | None = None, long: bool = False) -> list[dict]:
    """The brief's sentences in order, each ``{text, citations, kind, section}`` with ``[doc:start-end]``
    markers in its text (:func:`brief_view` has the heading and sections)."""
    return brief_view(store, story_id, long=long)["sentences"]


def compare(store, story_id: str) -> dict:
    """Rows = the story's events and figures, columns = its documents, cell = what that document says."""
    st = store.story_record(story_id)
    docs = list(st.documents)
    rows = []
    for ev in store.events(story=st.id):
        cells: dict[str, str] = {}
        for m in ev.mentions:
            if m.span.doc in cells:
                continue
            cells[m.span.doc] = (m.when.value or _date_words(m.when)) if m.when else "no date"
        rows.append({"kind": "event", "id": ev.id, "label": ev.label, "cells": cells,
                     "cites": {m.span.doc: cite(m.span) for m in reversed(ev.mentions)}})
    groups: dict[tuple, dict] = {}
    for f, names in store.figure_rows(docs=docs):
        key = (names.get("subject_id") or names.get("subject") or "", " ".join(f.about.lower().split()), f.unit)
        row = groups.setdefault(key, {"kind": "figure", "id": f"{f.span.doc}:{f.id}",
                                      "label": " ".join(x for x in (names.get("subject"), f.about) if x) + f" ({f.unit})",
                                      "cells": {}, "cites": {}})
        if f.span.doc not in row["cells"]:
            row["cells"][f.span.doc] = f.span.text
            row["cites"][f.span.doc] = cite(f.span)
    rows.extend(sorted(groups.values(), key=lambda r: -len(r["cells"])))
    return {"story": st.id, "label": st.label, "documents": documents_of(store, docs), "rows": rows}


def search(store, q: str, limit: int = 20, offset: int = 0) -> list[dict]:
    """Full-text search hits: doc, title, snippet, rank; ``offset`` skips the first hits (paging).

    The snippet marks each matched word as ``[word]`` (:func:`snippet_parts` splits it for display)."""
    return [{"doc": h.doc, "title": h.title, "snippet": h.snippet, "rank": h.rank}
            for h in store.search(q, limit=limit, offset=offset)]


_MARK = re.compile(r"\[([^\[\]\n]{1,80})\]")


def snippet_parts(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) pieces: the store's ``[word]`` markers become matched pieces,
    their words kept (a terminal that reads ``[word]`` as markup would otherwise drop them)."""
    text = snippet or ""
    out: list[tuple[str, bool]] = []
    at = 0
    for m in _MARK.finditer(text):
        if m.start() > at:
            out.append((text[at : m.start()], False))
        out.append((m[1], True))
        at = m.end()
    if at < len(text):
        out.append((text[at:], False))
    return out


# ---------------------------------------------------------------- citations and words for people

_CITE = re.compile(r"\[?([^:\s\[\]]+):(\d+)-(\d+)\]?")
CONTEXT_CHARS = 240  # characters of context a cited span is shown with, each side (cut at a sentence or word)


def parse_cite(text: str) -> tuple[str, int, int] | None:
    """``"DOC:START-END"`` (the brief's citation form, brackets allowed) as (doc, start, end); None otherwise."""
    m = _CITE.fullmatch((text or "").strip())
    if not m or int(m[2]) > int(m[3]):
        return None
    return m[1], int(m[2]), int(m[3])


def cited_span(store, citation: str, context: int = CONTEXT_CHARS) -> dict:
    """The span a citation names, with the text around it: doc, start, end, text (== document text
    [start:end]), before, after, title and outlet. E302 when the document is unknown or the span
    falls outside its text."""
    parsed = parse_cite(citation)
    if parsed is None:
        raise StoreError(f"not a citation {citation!r}; expected DOC:START-END", code="E302")
    doc_id, start, end = parsed
    rec = store.document(doc_id)
    text = rec.document.text
    if end > len(text):
        raise StoreError(f"{citation}: the document has only {len(text)} characters", code="E302")
    lo = max(0, start - context)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    lo = cut + 1 if cut >= 0 else (text.find(" ", lo, start) + 1 if lo else 0)
    hi = min(len(text), end + context)
    sentence_end = _SENTENCE_END.search(text, end, hi)  # not at "Mr." or "U.S."
    stop = [i for i in ((sentence_end.start() if sentence_end else -1), text.find("\n", end, hi)) if i >= 0]
    hi = min(stop) + 1 if stop else (text.rfind(" ", end, hi) if hi < len(text) and text.rfind(" ", end, hi) > 0 else hi)
    (row,) = documents_of(store, [rec.id])
    return {"doc": rec.id, "start": start, "end": end, "text": text[start:end], "cite": f"{rec.id}:{start}-{end}",
            "before": text[lo:start].lstrip(), "after": text[end:hi].rstrip(), "context_start": lo, "context_end": hi,
            "more_after": hi < len(text),
            "title": row.get("display_title"), "outlet": row.get("outlet"), "date": row.get("date"),
            "source": row.get("source")}


from .resolve.brief import distinct, plural, value_words  # noqa: E402  (words for people: one home)
