"""The brief: a story told in whole, cited sentences a person reads in a minute.

Pure functions over one story's resolved items (no database, no spaCy); ``storyline.views.brief``
gathers them from the store and calls :func:`build_brief`.

What a brief holds, in order (issue 18 §1):

- a heading: the story's title (the story model's, else its headline event's clause), its dates
  and its sources by outlet name (or title when the document names no outlet);
- **the news**: the sentence that tells most of what the reports open with, dated and cited;
- **developments**: the other sentences of the reports' openings that add most to it, in date order;
- **what was said**: direct quotes with a named speaker ("Speaker said: “...”"), never a quote
  without its speaker;
- **where sources disagree**: each side with its value and its citation;
- **background** last: those of the chosen sentences whose event the story model calls background.

Within a budget of words read in a minute (``BRIEF``; ``--long``: ``LONG_BRIEF``).

Every sentence is a source's whole sentence, verbatim (whitespace aside), and cites exactly the
characters it repeats: datelines ("WASHINGTON (Reuters) -"), headline lines run into the first
sentence, fragments (a lowercase start, no closing punctuation), unbalanced quotation marks and
sentences that are mostly a quotation (a partisan line would read as fact) are never used; an
event without such a sentence in any of its reports is left out. :func:`whole_sentence` is the test.

Sentences carry ``[doc:start-end]`` markers after their text (what ``storyline show`` and the web
pages open) and the outlet and date in words before them.

The news and developments come from what the reports open with (``brief_select.opening_sentences``): of
the first sentences of each report, those that cover most of the reports' openings, each report counted
less the more of it is told (so a story joining two incidents tells both). Modules: ``words`` (words for people), ``sentences`` (whole
sentences, echo, same wording, rendering), ``brief_select`` (what to tell) and this one (assembling).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, Sequence

from ..model import Conflict, Event, EventReport, Quote, Span, Story
from .brief_select import conflict_sentence, date_key, opening_sentences, quote_sentences, story_roles
from .sentences import Echo, cite, distinct, reading_length, render, sentence_span, whole_sentence
from .words import date_words, dates_words, day_of, plural, says_day, value_words

__all__ = [
    "BRIEF", "LONG_BRIEF", "build_brief", "whole_sentence", "sentence_span", "date_words", "dates_words",
    "value_words", "plural", "cite", "flatten", "distinct",
]

# words a brief holds, in all ("words", outlets and dates included) and for the news and developments
# ("narrative"), with at most "quotes" quotes and "disagreements" disagreements: the default is read in a minute
# (silent reading of non-fiction runs about 240 words a minute); --long is longer
BRIEF = {"words": 240, "narrative": 190, "quotes": 2, "disagreements": 1}
LONG_BRIEF = {"words": 700, "narrative": 450, "quotes": 5, "disagreements": 6}


def build_brief(
    story: Story | None,
    events: Sequence[Event],
    quotes: Iterable[tuple[Quote, str | None, str | None]],
    conflicts: Sequence[Conflict],
    docs: Mapping[str, dict],
    *,
    long: bool = False,
) -> dict:
    """The brief of one story (or of everything when ``story`` is None).

    ``docs`` maps each document id to ``{"name": outlet or title, "date": ISO day or None,
    "duplicate_of": id or None}``; ``quotes`` are (quote, speaker entity id, speaker name) rows.
    Returns ``{story, title, dates, sources, sections: [{kind, heading, sentences}], sentences}``:
    each sentence ``{text, citations, kind, sources}`` (``sentences`` is every section's, in order).
    """
    sizes = LONG_BRIEF if long else BRIEF
    roles = story_roles(story, events)
    by_id = {e.id: e for e in events}
    head_id = next((k for k, v in roles.items() if v == "headline"), None)
    head = by_id.get(head_id) if head_id else None
    echo = Echo(events)
    budget = sizes["words"]

    quotes = list(quotes)
    quoted = [q.span for q, _, _ in quotes if q.kind in ("direct", "mixed")]
    picked = opening_sentences(events, roles, docs, budget=sizes["narrative"], quoted=quoted)
    news, chosen, back = [], [], []
    for i, (ev, m, sp) in enumerate(picked):
        score = echo(sp.text)
        if i == 0:
            news.append(_told(ev, m, sp, docs, kind="news", dated=True, score=score))
        elif roles.get(ev.id) == "background":
            back.append(_told(ev, m, sp, docs, kind="background", dated=False, score=score))
        else:
            chosen.append(_told(ev, m, sp, docs, kind="development", dated=True, score=score))
    told = [e for e in events if e.mentions and e.type != "STATEMENT"]
    order = {e.id: date_key(e, docs) for e in told}
    chosen.sort(key=lambda s: (order.get(s.get("event") or "", "9999"), s["citations"][0]))
    spent = sum(reading_length(s) for s in news + chosen + back)

    weight = Counter(p.entity for e in [head, *(by_id.get(s.get("event") or "") for s in chosen)] if e is not None
                     for p in e.participants)
    quotes_said = []
    for q in quote_sentences(quotes, weight, docs, sizes["quotes"], echo):
        if spent + reading_length(q) <= budget:
            quotes_said.append(q)
            spent += reading_length(q)
    disagreements: list[dict] = []
    for c in conflicts:
        d = conflict_sentence(c, by_id, docs, wording=long)
        if d is not None and len(disagreements) < sizes["disagreements"] and spent + reading_length(d) <= budget:
            disagreements.append(d)
            spent += reading_length(d)

    sections = [
        {"kind": "news", "heading": "The news", "sentences": news},
        {"kind": "developments", "heading": "Developments", "sentences": chosen},
        {"kind": "quotes", "heading": "What was said", "sentences": quotes_said},
        {"kind": "disagreements", "heading": "Where sources disagree", "sentences": disagreements},
        {"kind": "background", "heading": "Background", "sentences": back},
    ]
    title = (getattr(story, "title", None) if story is not None else None) or (
        _event_title_text(head) if head is not None else None) or (story.label if story is not None else "All stories")
    earliest = story.earliest if story is not None else None
    latest = story.latest if story is not None else None
    sources = _sources(story.documents if story is not None else list(docs), docs)
    return {
        "story": story.id if story is not None else None,
        "title": title,
        "earliest": earliest,
        "latest": latest,
        "dates": dates_words(earliest, latest),
        "sources": sources,
        "reports": len(story.documents) if story is not None else len(docs),
        "sections": sections,
        "sentences": flatten(sections),
    }

def _told(ev: Event, m: EventReport, sp: Span, docs: Mapping[str, dict], *, kind: str, dated: bool, score: float) -> dict:
    """``sp`` (a report's whole sentence telling ``ev``) as a brief sentence, dated when asked and the sentence
    itself names the day its report gives."""
    day = day_of(m.when) if dated else None  # the date this report gives, never one merged from others
    if day and not says_day(sp.text, day):
        day = None  # the sentence does not name the day itself: a resolved "Saturday" may be a week off
    lead = f"{date_words(day)}: " if day else ""
    return {**render(sp.text, [sp], docs, kind=kind, lead=lead, event=ev.id), "score": round(score, 3)}

def _event_title_text(ev: Event) -> str | None:
    from .titles import event_title

    return event_title(ev)

def _sources(doc_ids: Iterable[str], docs: Mapping[str, dict]) -> list[dict]:
    """The story's sources by name, once each (a near-duplicate copy counts with its original)."""
    out: dict[str, dict] = {}
    for d in doc_ids:
        row = docs.get(d) or {}
        if row.get("duplicate_of") in docs:
            continue
        name = row.get("name") or d
        out.setdefault(name, {"name": name, "documents": []})["documents"].append(d)
    return list(out.values())

def flatten(sections: Sequence[dict]) -> list[dict]:
    """Every section's sentences in order, each with its section."""
    return [{**s, "section": sec["kind"]} for sec in sections for s in sec["sentences"]]
