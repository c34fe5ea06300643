"""Stories: the list, one story with its documents, events and conflicts, its brief (built by
``resolve.brief``), and its sources compared side by side."""

from __future__ import annotations

import re

from ..errors import StoreError
from .display import cite, date_words, outlet, shorten
from .documents import count, documents_of
from .items import conflict_row, event_row

__all__ = ["stories", "story", "main_story", "brief_docs", "HEADLINE_WORDS", "headline_end", "brief_view",
           "story_id_of", "brief", "compare"]


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
        "events": [event_row(e, conflicted) for e in events],
        "conflicts": [conflict_row(c) for c in store.conflict_list(story=st.id)],
    }


def main_story(store) -> str | None:
    """The largest story's id (most documents, then most events, then the first listed); None without stories."""
    rows = store.story_rows()
    if not rows:
        return None
    best = max(range(len(rows)), key=lambda i: (rows[i]["documents"], rows[i]["events"], -i))
    return rows[best]["id"]


def brief_docs(store, ids: list[str]) -> dict[str, dict]:
    """What the brief says of each document: its outlet (or short title), day and original."""
    out = {}
    for row in documents_of(store, ids):
        try:
            doc = store.document(row["id"]).document
            url, text = doc.url, doc.text
        except StoreError:
            url, text = None, ""
        head = headline_end(text or "")
        title = shorten(row.get("display_title") or row["id"], 40)
        day = row.get("published") if re.fullmatch(r"\d{4}-\d\d-\d\d", row.get("published") or "") else None
        out[row["id"]] = {"name": outlet(url) or title, "date": day, "duplicate_of": row.get("duplicate_of"),
                          "title": row.get("display_title"), "title_end": head}
    return out


HEADLINE_WORDS = 20  # a paragraph this short at the top of a text, set off by a blank line, is a headline or deck


def headline_end(text: str) -> int | None:
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
    from ..resolve.brief import build_brief

    given = story_id is not None
    story_id = story_id or main_story(store)
    if story_id is not None:
        st = store.story_record(story_id_of(store, story_id))
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
    out = build_brief(st, events, quote_rows, confs, brief_docs(store, ids), long=long)
    out["chosen"] = "given" if given else ("largest" if st is not None else "all")
    out["stories"] = count(store, "stories")
    return out


def story_id_of(store, given: str) -> str:
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
            cells[m.span.doc] = (m.when.value or date_words(m.when)) if m.when else "no date"
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
