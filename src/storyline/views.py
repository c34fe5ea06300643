"""Read views shared by the CLI, the JSON API and the web pages.

Every function takes the Store first and returns plain dicts and lists
(JSON-ready). Citations are ``"doc:start-end"`` strings. Views read through
the Store's indexed queries (``storyline.kb.queries``): one entity or story
never loads the whole store.
"""

from __future__ import annotations

import re
from collections import Counter

from .errors import StoreError
from .model import Conflict, Event, Figure, Quote, Span, When

__all__ = [
    "cite",
    "precision",
    "date_text",
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
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


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
        return f"on {int(m[3])} {_MONTHS[int(m[2]) - 1]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
        return f"in {_MONTHS[int(m[2]) - 1]} {m[1]}"
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


def _event_row(ev: Event, conflicted: set[str]) -> dict:
    return {
        "event": ev.id,
        **_when(ev.when),
        "label": ev.label,
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


def entities(store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Resolved entities, most mentioned first: id, name, type, mentions, documents; a page with ``limit``."""
    return store.entity_rows(limit=limit, offset=offset)


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


# How a brief says an event of each PLOVER type: (with a partner, without one).
_EVENT_WORDS = {
    ("CONSULT", "phone call"): ("{a} spoke by phone with {b}", "{a} held a phone call"),
    ("CONSULT", "meeting"): ("{a} met {b}", "{a} held a meeting"),
    ("CONSULT", "visit"): ("{a} visited {b}", "{a} made a visit"),
    ("CONSULT", "summit"): ("{a} met {b} at a summit", "{a} attended a summit"),
    "CONSULT": ("{a} consulted {b}", "{a} held talks"),
    "AGREE": ("{a} reached an agreement with {b}", "{a} agreed"),
    "DEMAND": ("{a} made a demand of {b}", "{a} made a demand"),
    "THREATEN": ("{a} threatened {b}", "{a} issued a threat"),
    "SUPPORT": ("{a} backed {b}", "{a} expressed support"),
    "COOPERATE": ("{a} cooperated with {b}", "{a} cooperated"),
    "AID": ("{a} gave aid to {b}", "{a} gave aid"),
    "CONCEDE": ("{a} made a concession to {b}", "{a} made a concession"),
    "REJECT": ("{a} rejected {b}", "{a} rejected a proposal"),
    "DISAPPROVE": ("{a} criticised {b}", "{a} voiced disapproval"),
    "SANCTION": ("{a} took measures against {b}", "{a} imposed measures"),
    "PROTEST": ("{a} protested against {b}", "{a} protested"),
    "STATEMENT": ("{a} made a statement about {b}", "{a} made a statement"),
    "RETREAT": ("{a} withdrew from {b}", "{a} withdrew"),
    "COERCE": ("{a} coerced {b}", "{a} used coercion"),
    "INVESTIGATE": ("{a} investigated {b}", "{a} opened an investigation"),
    "MOBILIZE": ("{a} mobilised against {b}", "{a} mobilised"),
    "ASSAULT": ("{a} attacked {b}", "{a} carried out an attack"),
    "FIGHT": ("{a} fought {b}", "{a} fought"),
    "CRIME": ("{a} committed a crime against {b}", "{a} committed a crime"),
}


def _event_words(store, ev: Event, names: dict[str, str]) -> str:
    """A readable clause for an event from its type, mode and participants' canonical names."""

    def name(eid: str) -> str:
        if eid not in names:
            ent = store.entity(eid)
            names[eid] = ent.name if ent else eid
        return names[eid]

    actors = [name(p.entity) for p in ev.participants if p.role == "actor"]
    others = [name(p.entity) for p in ev.participants if p.role != "actor" and name(p.entity) not in actors]
    if not actors and others:
        actors, others = others[:1], others[1:]
    if not actors:
        return ev.label.rstrip(". ")
    words = _EVENT_WORDS.get((ev.type, ev.mode)) or _EVENT_WORDS.get(ev.type)
    if words is None:
        return ev.label.rstrip(". ")
    a, b = _and(actors), _and(others)
    return (words[0] if others else words[1]).format(a=a, b=b)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _sentence(text: str, spans: list[Span]) -> dict:
    cites = list(dict.fromkeys(cite(s) for s in spans))
    return {"text": text + "".join(f" [{c}]" for c in cites), "citations": cites}


# a quotation that itself says who spoke ("..., said Andrew Wetzler") may carry the wrong speaker
_NAMES_ANOTHER = re.compile(r"\b(?:said|says|told)\s+[A-Z]|[A-Z][a-z]+\s+(?:said|says)\b")


def _top_quote(rows: list[tuple[Quote, str | None, str | None]], weight: Counter) -> tuple | None:
    """The direct quote with a named speaker who matters most in the story (then the fuller quote)."""
    named = [(q, eid, n) for q, eid, n in rows if n and q.kind in ("direct", "mixed") and 15 <= len(q.span.text) <= 400
             and not _NAMES_ANOTHER.search(q.span.text)]
    if not named:
        return None
    return max(named, key=lambda r: (weight.get(r[1], 0), r[0].kind == "direct", len(r[0].span.text)))


# the only events the brief says in its own words: who met or called whom is sure when both are named;
# everything else is told in the source's own words, so no paraphrase can change what a verb meant
_TEMPLATED = {("CONSULT", "meeting"), ("CONSULT", "phone call"), ("CONSULT", "visit")}
_MODAL_WORDS = {"planned": "planned", "expected": "expected", "possible": "possible", "requested": "called for",
                "denied": "denied", "negated": "said not to have happened", "hypothetical": "hypothetical"}
BRIEF_EVENTS = 10
CLAUSE_CHARS = 220


def _clause(span: Span, trigger: Span | None) -> Span:
    """The words of the report around its trigger: the whole sentence when short, else the
    clause between the punctuation nearest the trigger, at most ``CLAUSE_CHARS`` long."""
    text = span.text.strip()
    lead = span.text.index(text) if text else 0
    if len(text) <= CLAUSE_CHARS or trigger is None or not (span.start <= trigger.start < span.end):
        if len(text) > CLAUSE_CHARS:
            cut = text.rfind(" ", 0, CLAUSE_CHARS)
            text = text[: cut if cut > 0 else CLAUSE_CHARS]
        return Span(span.doc, span.start + lead, span.start + lead + len(text), text)
    at = trigger.start - span.start
    lo = max((span.text.rfind(p, 0, at) for p in (", ", "; ", " — ", ": ")), default=-1)
    lo = 0 if lo < 0 or at - lo > CLAUSE_CHARS // 2 else lo + 2
    hi = min((i for i in (span.text.find(p, trigger.end - span.start) for p in (", ", "; ", " — ")) if i >= 0),
             default=len(span.text))
    hi = min(hi, lo + CLAUSE_CHARS)
    words = span.text[lo:hi]
    stripped = words.strip(" ,;:—")
    lo += words.index(stripped) if stripped else 0
    return Span(span.doc, span.start + lo, span.start + lo + len(stripped), stripped)


SAME_WORDING = 0.6  # share of shared words at which two brief sentences say the same


def _words(text: str) -> set[str]:
    """A sentence's words, its citations left out."""
    return {w for w in re.findall(r"\w+", re.sub(r"\[[^\]]*\]", " ", text).lower()) if len(w) > 2}


def distinct(sentences: list[dict]) -> list[dict]:
    """``sentences`` without repeats: one clause is one sentence, and a sentence worded like one
    before it (``SAME_WORDING`` of their words shared: another outlet's copy of the same report)
    is left out, its source's words already said."""
    out: list[dict] = []
    said: list[set[str]] = []
    for sentence in sentences:
        if any(sentence["citations"] == o["citations"] for o in out):
            continue
        words = _words(sentence["text"])
        if any(len(words & w) >= SAME_WORDING * len(words | w) for w in said):
            continue
        said.append(words)
        out.append(sentence)
    return out


def _brief_events(events: list[Event]) -> list[Event]:
    """The events worth a sentence: the main events first, then what else more than one source
    tells or what the extraction could class, in date order; never bare statements."""
    told = [e for e in events if e.mentions and e.type != "STATEMENT"]
    main = sorted((e for e in told if e.main), key=lambda e: (-e.sources, -len(e.mentions), e.id))
    rest = [e for e in told if not e.main and (e.sources >= 2 or (e.type != "OTHER" and e.participants))]
    rest.sort(key=lambda e: (interval_key(e.when), -e.sources, e.id))
    picked = main[:4] + [e for e in rest if e not in main[:4]]
    return picked[:BRIEF_EVENTS]


def interval_key(when: When | None) -> tuple:
    v = (when.value or when.earliest or "") if when else ""
    return (0, v) if v and v[:1].isdigit() else (1, "")


def _event_sentence(store, ev: Event, names: dict[str, str]) -> dict:
    """Grounded: a template only for a sure meeting or call with both sides named, told as happened;
    else the source's own clause, quoted, with the modality the source gives."""
    known = ev.when is not None and (ev.when.value or (ev.when.earliest and ev.when.latest))
    if ev.modality == "asserted" and (ev.type, ev.mode) in _TEMPLATED and len(ev.participants) >= 2 and known:
        when = _date_words(ev.when)
        return _sentence(f"{when[:1].upper()}{when[1:]}, {_event_words(store, ev, names)}.", [m.span for m in ev.mentions[:3]])
    report = min(ev.mentions, key=lambda m: (m.salience or 10**6, (m.modality or "asserted") != ev.modality, m.span.doc, m.span.start))
    words = _clause(report.span, report.trigger)
    # no date of ours before the source's words: the event's date may come from another report (or be
    # wrong), and the clause says what its source says, dated or not
    said = report.modality or "asserted"
    note = f" ({_MODAL_WORDS[said]})" if said in _MODAL_WORDS else ""
    return _sentence(f"\u201c{' '.join(words.text.split())}\u201d{note}", [words])


def brief(store, story_id: str | None = None) -> list[dict]:
    """Sentences, each citing ``[doc:start-end]``: the main event first, then what followed in date
    order, the top quote, then where sources disagree. Every sentence is grounded: the source's own
    clause (quoted) or, for a meeting or call whose sides and date the extraction is sure of, a plain
    template; an event told as planned, expected or denied is marked so.

    Without ``story_id`` the largest story is used (the whole store when there are no stories).
    """
    story_id = story_id or _main_story(store)
    if story_id is not None:
        st = store.story_record(story_id)
        events = store.events(story=st.id)
        quote_rows = store.quote_rows(docs=list(st.documents))
        confs = store.conflict_list(story=st.id)
    else:
        events = store.events()
        quote_rows = store.quote_rows()
        confs = store.conflict_list()
    out = []
    names: dict[str, str] = {}
    chosen = _brief_events(events)
    out.extend(distinct([_event_sentence(store, ev, names) for ev in chosen]))
    weight = Counter(p.entity for ev in chosen for p in ev.participants)
    top = _top_quote(quote_rows, weight)
    if top is not None:
        q, _, speaker = top
        words = q.span.text.strip(' "\u201c\u201d,;')
        out.append(_sentence(f"{speaker} {q.cue or 'said'}: \u201c{words}\u201d.", [q.span]))
    for c in confs:
        if c.status != "open" or len(c.claims) < 2:
            continue
        summary = c.summary.rstrip(". ")
        sides = "; ".join(f"{cl.value} [{cite(cl.span)}]" for cl in c.claims)
        cites = [cite(cl.span) for cl in c.claims]
        out.append({"text": f"Sources disagree: {summary[:1].lower()}{summary[1:]} ({sides}).", "citations": cites})
    return out


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
    """Full-text search hits: doc, title, snippet, rank; ``offset`` skips the first hits (paging)."""
    return [{"doc": h.doc, "title": h.title, "snippet": h.snippet, "rank": h.rank}
            for h in store.search(q, limit=limit, offset=offset)]
