"""The story model: what each story's news is, and what the rest of its events are.

Pure functions over a finished resolution (stories and events), the documents' days
and their near-duplicate originals. No database, no spaCy. Called last in
:func:`storyline.resolve.resolve` (so local, incremental and Ray resolutions all
carry it); views and the brief read the result from the stored resolution.

API (stable; views build on it)
-------------------------------
``apply_story_model(res, doc_days, duplicate_of, outlet_of=None, published=None) -> Resolution``
    ``res`` with every story given its ``headline`` (an event id), ``title`` (a
    trimmed clause of a source sentence, verbatim), ``label`` (the title when there
    is one) and ``earliest``/``latest`` (ISO days from the headline event and the
    developments whose date two or more sources give or a report gives near its own
    publication day, never from background; None when the news has no day), and every event of a story given its
    ``role`` (:data:`ROLES`). Events in no story keep ``role=None``.
``story_model(events, stories, doc_days, duplicate_of, outlet_of=None, published=None) -> (events, stories)``
    The same over lists (what :func:`storyline.resolve.resolve` calls); ``published``
    (:func:`published_days`): the stated or metadata publication days, against which history
    and the news's day are judged (a day read off a text's latest date is not one).
``headline_of(story, events, doc_days, duplicate_of, outlet_of=None) -> Event | None``
    The happening most of the story's reports tell and lead with: ranked by the
    independent sources of the story that report it, plus :data:`LEAD_WEIGHT` times those
    that lead with it (salience 1), plus :data:`OPEN_WEIGHT` times those whose first-told
    happening (of the story's, statements aside) it is; on a tie, the one more reports lead or open
    with (the riots, not the killing they are about), then a specific happening before a
    statement or an unclassed verb, then its number of reports, then the latest date. Only
    reports that name a happening count (:func:`names_happening`: "President-elect" and
    "anti-piracy" name a title and a kind).
``names_happening(report) -> bool``
    False when the report's trigger is the tail of a hyphenated word ("President-elect",
    "anti-piracy", also spaced as "anti - piracy" in tokenized texts): a title or a kind, not a
    happening (on ECB+, 5 of 241 such triggers hit a gold event).
``roles_of(story, events, headline, doc_days, duplicate_of=None, outlet_of=None) -> dict[event id, role]``
    ``headline``; ``background`` for an event dated more than :data:`BACKGROUND_DAYS`
    before the news (the headline's date when two or more sources give it and it is not told
    as history, else the publication day of the reports that tell the headline), or, when the
    news has no day, told as history (its reports date it more than :data:`HISTORY_DAYS`
    before their own articles); ``reaction`` for statements about the news
    (:data:`REACTION_TYPES`); ``news`` for the rest (the developments).
``title_span(event) -> Span | None`` / ``event_title(event) -> str | None`` (:mod:`.titles`, re-exported here)
    A short clause of one of the event's reports that holds its trigger (one naming its subject and
    opening on it first, then the lead report's): a sub-span of the report with its provenance (``doc, start, end, text``),
    cut at clause boundaries, datelines and attributions dropped, at most
    :data:`TITLE_WORDS` words; the title is that text with a capital first letter and no
    trailing punctuation; None when under :data:`TITLE_MIN_WORDS` words. Use it for event
    labels too (never "someone - lose").
``story_span(events, doc_days=None) -> (earliest, latest)``
    ISO days bounding the dated events given (pass the headline and news only), events
    told as history left out; (None, None) when none is dated: unknown beats wrong.
``news(res, story_id)`` / ``background(res, story_id)`` / ``reactions(res, story_id)``
    The story's events of those roles, in id order (``news`` includes the headline).
``outlet_of``: document id -> outlet (the URL's host, :func:`storyline.resolve.support.outlets`);
    with it every count of sources, ``Event.sources`` included, counts one outlet once.
``news_sources(story, events, duplicate_of, outlet_of=None) -> int``
    Independent sources behind the story's news: near-duplicates once, one outlet once.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from typing import Mapping, Sequence

from ..model import Event, EventReport, Resolution, Story
from .common import interval, iso
from .support import source_count
from ..lexicon.events import VERB_PREFIXES, WORD_PREFIXES
from .titles import TITLE_MIN_WORDS, TITLE_WORDS, event_title, reader_label, title_span

__all__ = [
    "ROLES", "LEAD_WEIGHT", "OPEN_WEIGHT", "BACKGROUND_DAYS", "NEAR_REPORT_DAYS", "HISTORY_DAYS", "TITLE_WORDS", "TITLE_MIN_WORDS", "REACTION_TYPES",
    "apply_story_model", "story_model", "published_days", "headline_of", "names_happening", "roles_of", "historical", "title_span", "event_title", "reader_label",
    "story_span", "news", "background", "reactions", "news_sources",
]

ROLES = ("headline", "news", "background", "reaction")
# an event dated more than this many days before the headline event is background
BACKGROUND_DAYS = 30
# a report whose own date ends more than this many days before its article's day tells history
HISTORY_DAYS = 30
# a date one report gives within this many days before its publication day dates the story
NEAR_REPORT_DAYS = 7
# statements about the news: what people said of it
REACTION_TYPES = frozenset({"STATEMENT"})
# a report that leads with the event (salience 1) counts this much beyond telling it
LEAD_WEIGHT = 0.5
# a report whose first-told happening (of the story's, statements aside) the event is counts this much more
OPEN_WEIGHT = 0.5
# happenings a headline is made of before these (a statement, an unclassed verb)
_WEAK_TYPES = frozenset({"STATEMENT", "OTHER"})
# the widest event date (days) that dates a story's span; wider ones (a year) say little of when
SPAN_PRECISION = 31


# ---------------------------------------------------------------- roles


def _report_historical(m: EventReport, doc_days: Mapping[str, tuple[int, int] | None]) -> bool | None:
    """True when the report dates the event well before its own article, False when near
    it, None when either is unknown."""
    iv, day = interval(m.when), doc_days.get(m.span.doc)
    if iv is None or day is None:
        return None
    return iv[1] < day[0] - HISTORY_DAYS


def historical(ev: Event, doc_days: Mapping[str, tuple[int, int] | None]) -> bool:
    """Told as history: most of its dated reports date it well before their own article."""
    if not doc_days:
        return False  # no day to judge by
    votes = [h for m in ev.mentions if (h := _report_historical(m, doc_days)) is not None]
    return bool(votes) and sum(votes) * 2 > len(votes)


# the tail of a hyphenated word: "President-elect", "anti-piracy" (and tokenized "anti - piracy"), not
# a verb's prefix ("re-elected")
_WORD_TAIL = re.compile(r"(?:\b(?!(?:" + "|".join(sorted(VERB_PREFIXES)) + r")-)\w+-|\b(?:" + "|".join(sorted(WORD_PREFIXES))
                        + r")\s*-\s*)$", re.IGNORECASE)


def names_happening(m: EventReport) -> bool:
    """The report names the happening with a word of its own, not as the tail of a hyphenated word
    ("President-elect Obama", "anti-piracy patrols" name a title and a kind, not an election or a piracy); a
    verb's prefix ("re-elected", "co-founded") still names one."""
    t = m.trigger
    if t is None or t.doc != m.span.doc or not m.span.start <= t.start <= m.span.end:
        return True
    before = m.span.text[max(0, t.start - m.span.start - 12):t.start - m.span.start]
    return not before.rstrip().endswith("-") or not _WORD_TAIL.search(before)  # a match ends in "-", spaces at most


def _first_told(evs: Sequence[Event], docs: set[str]) -> dict[str, str]:
    """Each of ``docs``' first-told happening among ``evs`` (statements aside): the event whose report
    naming it (:func:`names_happening`, asked only of a report that would come first) comes first there."""
    first: dict[str, tuple[int, str]] = {}
    for ev in evs:
        if ev.type in REACTION_TYPES:
            continue
        for m in ev.mentions:
            if m.trigger is not None and m.span.doc in docs:
                key = (m.trigger.start, ev.id)
                if (m.span.doc not in first or key < first[m.span.doc]) and names_happening(m):
                    first[m.span.doc] = key
    return {d: eid for d, (_, eid) in first.items()}


def headline_of(
    story: Story,
    events: Mapping[str, Event],
    doc_days: Mapping[str, tuple[int, int] | None],
    duplicate_of: Mapping[str, str | None],
    outlet_of: Mapping[str, str] | None = None,
) -> Event | None:
    """The story's headline event (see module doc); None for a story without events."""
    docs = set(story.documents)
    evs = [events[e] for e in story.events if e in events]
    if not evs:
        return None

    opened: dict[str, set[str]] = defaultdict(set)  # each event's documents that open with it
    for d, e in _first_told(evs, docs).items():
        opened[e].add(d)

    def rank(ev: Event, named: list[EventReport]):
        iv = interval(ev.when)
        told = source_count({m.span.doc for m in named}, duplicate_of, outlet_of)
        lead = source_count({m.span.doc for m in named if m.salience == 1}, duplicate_of, outlet_of)
        first = source_count(opened.get(ev.id, set()), duplicate_of, outlet_of)
        return (
            -(told + LEAD_WEIGHT * lead + OPEN_WEIGHT * first),
            -(lead + first),  # a tie: what more reports lead or open with is the news, not its cause
            ev.type in _WEAK_TYPES,
            -len(named),
            -(iv[1] if iv else -(10**9)),
            ev.id,
        )

    # an event's score is at most twice its reports (each of ``told``, ``lead`` and ``first`` counts
    # at most the sources of the documents of its reports that name it): from the most reported down,
    # the rest cannot beat a best that scores more than twice their reports
    best, best_rank = None, None
    for ev in sorted(evs, key=lambda e: len(e.mentions), reverse=True):
        if best_rank is not None and -best_rank[0] > 2 * len(ev.mentions):
            break
        r = rank(ev, [m for m in ev.mentions if m.span.doc in docs and names_happening(m)])
        if best_rank is None or r < best_rank:
            best, best_rank = ev, r
    return best


def _gives(r: tuple[int, int], iv: tuple[int, int]) -> bool:
    """A report's date ``r`` gives the date ``iv``: it lies within it, or holds it and is no wider than
    :data:`SPAN_PRECISION` days ("October 2011" gives 21 October 2011; "2002", or a life from 1927 to
    2005, gives no day of it)."""
    return iv[0] <= r[0] and r[1] <= iv[1] or (r[0] <= iv[0] and iv[1] <= r[1] and r[1] - r[0] < SPAN_PRECISION)


def _date_sources(ev: Event, docs: set[str], duplicate_of, outlet_of=None) -> int:
    """Independent sources of ``docs`` whose own report gives ``ev`` its date (:func:`_gives`)."""
    iv = interval(ev.when)
    if iv is None:
        return 0
    return source_count({m.span.doc for m in ev.mentions if m.span.doc in docs and (r := interval(m.when)) is not None
                         and _gives(r, iv)}, duplicate_of, outlet_of)


def _trusted(ev: Event, story: Story, doc_days, duplicate_of, outlet_of=None) -> bool:
    """An event's date can date its story: it is not told as history, and two or more sources
    give it (one in a story of one source), or a report gives it as within
    :data:`NEAR_REPORT_DAYS` before its own publication day."""
    docs = set(story.documents)
    if historical(ev, doc_days):
        return False
    need = 1 if source_count(docs, duplicate_of, outlet_of) == 1 else 2
    return _date_sources(ev, docs, duplicate_of, outlet_of) >= need or _near_report(ev, docs, doc_days)


def _near_report(ev: Event, docs: set[str], doc_days) -> bool:
    """A report dates the event within :data:`NEAR_REPORT_DAYS` before its own publication day."""
    for m in ev.mentions:
        iv, day = interval(m.when), doc_days.get(m.span.doc)
        if m.span.doc in docs and iv and day and day[0] - NEAR_REPORT_DAYS <= iv[1] and iv[0] <= day[1]:
            return True
    return False


def _anchor(story: Story, headline: Event | None, doc_days, duplicate_of=None, outlet_of=None) -> tuple[int, int] | None:
    """The news's day: the headline's own date when it can be trusted (:func:`_trusted`), else the
    earliest day of the reports that tell the headline, else None."""
    if headline is None:
        return None
    iv = interval(headline.when)
    if iv is not None and _trusted(headline, story, doc_days, duplicate_of or {}, outlet_of):
        return iv
    docs = set(story.documents)
    days = [d for m in headline.mentions if m.span.doc in docs and (d := doc_days.get(m.span.doc)) is not None]
    return min(days) if days else None


def roles_of(
    story: Story,
    events: Mapping[str, Event],
    headline: Event | None,
    doc_days: Mapping[str, tuple[int, int] | None],
    duplicate_of: Mapping[str, str | None] | None = None,
    outlet_of: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Each of the story's events' role (see module doc)."""
    anchor = _anchor(story, headline, doc_days, duplicate_of, outlet_of)
    out: dict[str, str] = {}
    for eid in story.events:
        ev = events.get(eid)
        if ev is None:
            continue
        if headline is not None and eid == headline.id:
            out[eid] = "headline"
            continue
        iv = interval(ev.when)
        if (iv and anchor and iv[1] < anchor[0] - BACKGROUND_DAYS) or (anchor is None and historical(ev, doc_days)):
            out[eid] = "background"
        elif ev.type in REACTION_TYPES:
            out[eid] = "reaction"
        else:
            out[eid] = "news"
    return out


def story_span(events: Sequence[Event], doc_days: Mapping[str, tuple[int, int] | None] | None = None) -> tuple[str | None, str | None]:
    """ISO days bounding the dated ``events`` whose dates are at most :data:`SPAN_PRECISION`
    days wide (the wider ones only when no event is dated closer); with ``doc_days``, an
    event told as history (:func:`historical`) does not date the span."""
    ivs = [iv for e in events if (iv := interval(e.when)) is not None and not (doc_days and historical(e, doc_days))]
    close = [iv for iv in ivs if iv[1] - iv[0] < SPAN_PRECISION] or ivs
    if not close:
        return None, None
    return iso(min(iv[0] for iv in close)), iso(max(iv[1] for iv in close))


# ---------------------------------------------------------------- the story model


def news_sources(
    story: Story, events: Mapping[str, Event], duplicate_of: Mapping[str, str | None], outlet_of: Mapping[str, str] | None = None
) -> int:
    """Independent sources behind the story's news (headline and developments)."""
    docs = set(story.documents)
    told = {m.span.doc for eid in story.events if (ev := events.get(eid)) is not None and ev.role in ("headline", "news")
            for m in ev.mentions if m.span.doc in docs}
    return source_count(told, duplicate_of, outlet_of)


def published_days(records) -> dict[str, tuple[int, int]]:
    """Each record's publication day when it is stated or given by metadata (not inferred)."""
    return {r.id: iv for r in records if r.published and r.published.basis in ("stated", "metadata")
            and (iv := interval(r.published.when)) is not None}


def apply_story_model(
    res: Resolution,
    doc_days: Mapping[str, tuple[int, int] | None],
    duplicate_of: Mapping[str, str | None],
    outlet_of: Mapping[str, str] | None = None,
    published: Mapping[str, tuple[int, int]] | None = None,
) -> Resolution:
    """``res`` with each story's headline, title, label and span and each event's role."""
    evs, stories = story_model(res.events, res.stories, doc_days, duplicate_of, outlet_of, published)
    return dataclasses.replace(res, events=tuple(evs), stories=tuple(stories))


def story_model(
    events_in: Sequence[Event],
    stories_in: Sequence[Story],
    doc_days: Mapping[str, tuple[int, int] | None],
    duplicate_of: Mapping[str, str | None],
    outlet_of: Mapping[str, str] | None = None,
    published: Mapping[str, tuple[int, int]] | None = None,
) -> tuple[list[Event], list[Story]]:
    """:func:`apply_story_model` over lists: the events (same order) with their roles and
    the stories (same order) with headline, title, label and span. ``published``: the days of
    the documents whose publication date is stated or given by metadata (:func:`published_days`);
    history and the news's day are judged against these (``doc_days`` when not given: a day read
    off a text's latest date is no publication day). With ``outlet_of`` (document
    -> outlet, :func:`~storyline.resolve.support.outlets`), each event's ``sources`` counts one
    outlet's reports once."""
    events = {e.id: e for e in events_in}
    days = published if published is not None else doc_days
    role: dict[str, str] = {}
    stories = []
    for st in stories_in:
        head = headline_of(st, events, days, duplicate_of, outlet_of)
        roles = roles_of(st, events, head, days, duplicate_of, outlet_of)
        for eid, r in roles.items():
            role.setdefault(eid, r)
        # the headline and the developments whose date two or more sources give (one report's
        # date of a side event is too often another happening's); none when the news has no day
        anchor = _anchor(st, head, days, duplicate_of, outlet_of)
        dated = [events[e] for e, r in roles.items()
                 if anchor is not None and r in ("headline", "news") and events[e].when is not None  # an undated event dates no span
                 and _trusted(events[e], st, days, duplicate_of, outlet_of)]
        earliest, latest = story_span(dated, days)  # nothing dated in the news: unknown
        title = event_title(head) if head else None
        label = title or _fallback_label(st, events, roles)
        stories.append(dataclasses.replace(st, headline=head.id if head else None, title=title,
                                           label=label, earliest=earliest, latest=latest))
    # an event's sources: one outlet's reports count once (near-duplicates already do)
    out = [_with_role(e, role.get(e.id), _sources(e, duplicate_of, outlet_of)) for e in events_in]
    return out, stories


def _sources(ev: Event, duplicate_of: Mapping[str, str | None], outlet_of: Mapping[str, str] | None) -> int:
    """The event's independent sources, one outlet's reports once (without ``outlet_of``: as counted)."""
    if not outlet_of:
        return ev.sources
    if len(ev.mentions) < 2:  # most events: one report (or none), one document
        return len(ev.mentions)
    return source_count({m.span.doc for m in ev.mentions}, duplicate_of, outlet_of)


def _with_role(ev: Event, role: str | None, sources: int) -> Event:
    """``ev`` with its role and sources: its fields copied as :func:`copy.copy` copies them, not set
    one by one again by the frozen ``__init__`` (what ``dataclasses.replace`` does: three times the
    cost, on every event of a resolution)."""
    out = object.__new__(Event)
    out.__dict__.update(vars(ev), role=role, sources=sources)
    return out


def _fallback_label(st: Story, events: Mapping[str, Event], roles: Mapping[str, str]) -> str:
    """A story label when its headline gives no clause: a clause of its news told by the most
    reports, else the grouping's label without "someone" (never a bare "someone — verb")."""
    news_evs = sorted((events[e] for e, r in roles.items() if r in ("headline", "news")),
                      key=lambda e: (-len({m.span.doc for m in e.mentions}), e.id))
    for ev in news_evs:
        if text := event_title(ev):
            return text
    label = re.sub(r"\bsomeone\s*[—–-]\s*", "", st.label).strip(" :—–-")
    return label or st.label


def _of_role(res: Resolution, story_id: str, wanted: tuple[str, ...]) -> list[Event]:
    keep = {e for s in res.stories if s.id == story_id for e in s.events}
    return sorted((e for e in res.events if e.id in keep and e.role in wanted), key=lambda e: e.id)


def news(res: Resolution, story_id: str) -> list[Event]:
    """The story's headline and developments."""
    return _of_role(res, story_id, ("headline", "news"))


def background(res: Resolution, story_id: str) -> list[Event]:
    """The story's events told as history or dated well before its news."""
    return _of_role(res, story_id, ("background",))


def reactions(res: Resolution, story_id: str) -> list[Event]:
    """The story's statements about its news."""
    return _of_role(res, story_id, ("reaction",))
