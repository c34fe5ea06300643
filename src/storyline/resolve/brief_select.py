"""What a brief tells, chosen from one story's resolved items: the sentences its reports open with (the news
and developments), direct quotes with named speakers, and where sources disagree."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping, Sequence

from ..lexicon.discourse import DEPENDENT_OPENERS
from ..lexicon.speech import PAST_SPEECH
from ..model import Conflict, Event, EventReport, Quote, Span, Story
from .sentences import Echo, cite, content_words, render, reporters_voice, said_by, same_wording, sentence_span
from .words import day_of, value_words

__all__ = ["opening_sentences", "story_roles", "date_key", "quote_sentences", "quote_words", "conflict_sentence"]

OPENING = 3  # the sentences a report opens with (after its headline block) that a brief draws on


COVERAGE_CONCAVITY = 0.5  # a report's opening covered to share x is worth x ** this (less for each word more)


QUOTE_WORDS = (5, 40)

LEDE_WEIGHT = 0.1  # ... (or the report's main event) and scores this much more than its echo alone


def opening_sentences(events: Sequence[Event], roles: Mapping[str, str | None], docs: Mapping[str, dict], *,
                      budget: int, quoted: Sequence[Span] = ()) -> list[tuple[Event, EventReport, Span]]:
    """The story told from what its reports open with. Candidates: the first ``OPENING`` whole sentences of
    each original report (a near-duplicate copy adds none; a sentence inside a quotation, ``quoted``, is the
    speaker's and never told as fact). Each report's opening is a set of content words, each weighing the
    number of other reports' openings that use it too; a choice of sentences covers a share of each opening,
    and is worth the sum over the reports of the square root of that share (``COVERAGE_CONCAVITY``: covering
    a report not yet told is worth more than covering one told already, so a story that joins two incidents
    gets both). A report whose opening speaks in the first person (a column, a blog) tells no news here.
    Sentences are chosen greedily by what they add, within ``budget`` words (the sentences'
    words and their outlet and date), another outlet's copy of a chosen one skipped (when none adds anything,
    the reports' first sentences come first); the first is the news.
    Each comes with the event it tells (of the events reported in it, the headline first, then the news,
    by independent sources)."""
    found: dict[tuple[str, int, int], tuple[Span, list[tuple[Event, EventReport]]]] = {}
    for ev in events:
        for m in ev.mentions:
            row = docs.get(m.span.doc)
            if row is None or row.get("duplicate_of"):
                continue
            sp = sentence_span(m.span, m.trigger)
            if sp is None or sp.start < (row.get("title_end") or 0):
                continue
            if any(q.doc == sp.doc and q.start <= sp.start and sp.end <= q.end + 1 for q in quoted):
                continue
            found.setdefault((sp.doc, sp.start, sp.end), (sp, []))[1].append((ev, m))
    openings: dict[str, list[tuple[Span, list[tuple[Event, EventReport]]]]] = {}
    commentary = set()
    for key in sorted(found):
        rows = openings.setdefault(key[0], [])
        if len(rows) < OPENING:
            if not reporters_voice(found[key][0].text, cut_only=True):
                continue  # cut at an abbreviation: not a whole sentence
            if not reporters_voice(found[key][0].text):
                commentary.add(key[0])  # the writer speaks in the first person: a column or a blog, not a report
            rows.append(found[key])
    openings = {d: rows for d, rows in openings.items() if d not in commentary}
    words = {d: set().union(*(content_words(sp.text) for sp, _ in rows)) for d, rows in openings.items()}
    shared = Counter(w for ws in words.values() for w in ws)
    total = {d: sum(shared[w] - 1 for w in ws) for d, ws in words.items()}
    got = dict.fromkeys(words, 0)
    said: set[str] = set()
    out: list[tuple[Event, EventReport, Span]] = []
    spent = 0
    while True:
        best = None
        for rows in openings.values():
            for place, (sp, tells) in enumerate(rows):
                cost = len(sp.text.split()) + len(said_by(docs, sp.doc).split())
                if spent + cost > budget or any(o[2] is sp for o in out):
                    continue
                if same_wording(sp.text, [o[2].text for o in out]):
                    continue  # another outlet's copy or paraphrase of a sentence already chosen
                new = content_words(sp.text) - said
                gain = sum(_worth(got[d] + sum(shared[w] - 1 for w in ws & new), total[d]) - _worth(got[d], total[d])
                           for d, ws in words.items() if ws & new)
                rank = (gain, -place, -sp.start, sp.doc)  # what no other report tells: a report's first sentences first
                if best is None or rank > best[0]:
                    best = (rank, sp, tells, cost, new)
        if best is None:
            return out
        _, sp, tells, cost, new = best
        for d, ws in words.items():
            got[d] += sum(shared[w] - 1 for w in ws & new)
        said |= new
        told = [t for t in tells if t[0].type != "STATEMENT"] or tells
        ev, m = min(told, key=lambda t: _telling(t[0], roles))
        out.append((ev, m, sp))
        spent += cost


def _worth(got: int, total: int) -> float:
    return (got / total) ** COVERAGE_CONCAVITY if total else 0.0


def _telling(ev: Event, roles: Mapping[str, str | None]) -> tuple:
    """Which of the events a sentence reports it tells: the headline, then news, then a reaction, then
    background; of those, the one more independent sources report."""
    role = roles.get(ev.id)
    return (role != "headline", role != "news", role != "reaction", -ev.sources, ev.id)


def date_key(ev: Event, docs: Mapping[str, dict]) -> str:
    """An event's place in date order: its own day, else its earliest report's day."""
    day = day_of(ev.when) or (ev.when.earliest if ev.when and ev.when.earliest else None)
    if day:
        return day
    days = [(docs.get(m.span.doc) or {}).get("date") for m in ev.mentions]
    return min((d for d in days if d), default="9999")

def _importance(ev: Event) -> tuple:
    """Background first that more sources tell, and tell near the top of their reports."""
    best = min((m.salience for m in ev.mentions if m.salience), default=10**6)
    return (-ev.sources, best, not ev.main, ev.type in ("OTHER", "STATEMENT"), not ev.participants, -len(ev.mentions), ev.id)

def story_roles(story: Story | None, events: Sequence[Event]) -> dict[str, str | None]:
    """Each event's role (the story model's), with a fallback for a store resolved before it."""
    roles = {e.id: getattr(e, "role", None) for e in events}
    if all(r is None for r in roles.values()):
        roles = {e.id: "news" for e in events}
    headline = getattr(story, "headline", None) if story is not None else None
    if headline not in roles:
        ranked = sorted((e for e in events if e.mentions and e.type != "STATEMENT"), key=_importance)
        headline = ranked[0].id if ranked else None
    if headline is not None:
        roles = {k: ("news" if v == "headline" and k != headline else v) for k, v in roles.items()}
        roles[headline] = "headline"
    return roles

# a quotation that itself names who spoke ("..., said Andrew Wetzler") may carry the wrong speaker
_NAMES_ANOTHER = re.compile(r"\b(?:said|says|told)\s+[A-Z]|[A-Z][a-z]+\s+(?:said|says)\b")

def _named(name: str | None) -> bool:
    """A speaker a reader can identify: a capitalised name, not a pronoun."""
    if not name or name.strip().lower() in DEPENDENT_OPENERS | {"who", "someone"}:
        return False
    return name.strip()[0].isupper()

def quote_words(q: Quote) -> str | None:
    """A direct quote's words when they are a whole sentence (or several): a capital first,
    closing punctuation last (a trailing comma, as in “..., ” he said, becomes a full stop)."""
    t = " ".join(q.span.text.split()).strip(" \"“”'`")
    if t.endswith((",", ";", ":")):
        t = t[:-1]
    t = re.sub(r"[,;:]([’'])$", r"\1", t)  # “... ‘We have the best,’” he wrote: the inner quotation ends the words
    if t and not re.search(r"[.!?]$", t):
        t += "."  # the quote's span ends at its closing mark: the speaker's words end there
    opened = len(re.findall(r"(?<![\w])['‘](?=\w)", t))
    closed = len(re.findall(r"(?<=[\w.,!?])['’](?![\w])", t))
    if opened != closed:
        return None  # a quotation inside it is cut off: its marks would not balance
    if not t or not t[0].isupper() or re.search(r"[\"“”]|``|''", t):
        return None  # a quotation mark inside: the span runs over the reporter's words between two quotes
    if not QUOTE_WORDS[0] <= len(t.split()) <= QUOTE_WORDS[1] or _NAMES_ANOTHER.search(t):
        return None
    return t

def quote_sentences(rows: Iterable[tuple[Quote, str | None, str | None]], weight: Counter, docs: Mapping[str, dict],
                     n: int, echo: Echo) -> list[dict]:
    """Up to ``n`` direct quotes, one per named speaker: those whose words the other reports echo
    most (a quote several outlets carry), a participant of the news a little ahead."""
    rows = list(rows)
    speakers_of: dict[str, set] = {}
    for q, eid, name in rows:
        if eid or name:
            speakers_of.setdefault(" ".join(q.span.text.split()).strip(" \"“”,.").lower(), set()).add(eid or name)
    picked: list[tuple] = []
    for q, eid, name in rows:
        if q.kind not in ("direct", "mixed") or not _named(name):
            continue
        said_by = " ".join(q.speaker_span.text.split()).split(",")[0].strip() if q.speaker_span is not None else ""
        if not _named(said_by) or not said_by[:1].isupper() or len(said_by.split()) > 6:
            continue  # the report names no one next to the quote (a pronoun, a long description): not said here
        if len(speakers_of.get(" ".join(q.span.text.split()).strip(" \"“”,.").lower(), ())) > 1:
            continue  # the same words given to two speakers: who said them is not sure
        words = quote_words(q)
        if words is None:
            continue
        # the speaker as this report names them ("Trump", "Tom Perez"): the store's canonical name may join
        # two people of one surname
        name = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+(?=\w)", "", said_by)
        score = echo(words) + (LEDE_WEIGHT if weight.get(eid) else 0.0)
        picked.append(((-score, q.kind != "direct", -len(words)), q, eid, name, words))
    picked.sort(key=lambda r: r[0])
    out, speakers = [], set()
    for _, q, eid, name, words in picked:
        surname = name.split()[-1].lower()  # one person the store keeps as two entities ("Trump", "Donald Trump")
        if (eid or name) in speakers or surname in speakers:
            continue
        speakers.update({eid or name, surname})
        if q.cue and q.cue.isalpha() and not (q.cue.endswith("ed") or q.cue in PAST_SPEECH):
            continue  # "planned to ask", "will say": not words the speaker is reported to have said
        cue = q.cue if q.cue and q.cue.isalpha() and q.cue.islower() else "said"
        out.append(render(f"{name} {cue}: “{words}”", [q.span], docs, kind="quote"))
        if len(out) >= n:
            break
    return out

CLAIM_WORDS = 10  # a side's value longer than this is cited, not repeated

def conflict_sentence(c: Conflict, events: Mapping[str, Event], docs: Mapping[str, dict],
                       wording: bool = True) -> dict | None:
    """Where sources disagree, each side cited: only claims of this story's documents with values a
    reader can read (no "XXXX-11-19"), never a conflict across stories; a quotation worded differently
    only when ``wording`` (the long brief: a word that differs is not news)."""
    if c.status != "open" or len(c.claims) < 2 or any(cl.span.doc not in docs for cl in c.claims):
        return None
    if c.kind == "statement" and not wording:
        return None
    if any("XX" in (cl.value or "") for cl in c.claims):
        return None

    def side(cl) -> str:
        name = (docs.get(cl.span.doc) or {}).get("name") or cl.span.doc
        value = value_words(cl.value) or cl.value or ""
        shown = f" gives {value}" if value and len(value.split()) <= CLAIM_WORDS and c.kind != "quote" else ""
        return f"{name}{shown} [{cite(cl.span)}]"

    ev = events.get(c.about)
    if c.kind == "date":
        head = f"Sources give different dates for {_event_name(ev) if ev is not None else _conflict_subject(c)}"
    elif c.kind == "number":
        head = f"Sources give different figures for {_event_name(ev) if ev is not None else _conflict_subject(c)}"
    else:
        summary = (c.summary or "").split(":", 1)[0].strip()
        if not summary or len(summary.split()) > 15:
            return None
        head = summary[:1].upper() + summary[1:]
    text = f"{head}: {'; '.join(side(cl) for cl in c.claims)}."
    return {"text": text, "citations": [cite(cl.span) for cl in c.claims], "kind": "disagreement",
            "sources": [{"doc": cl.span.doc, "name": (docs.get(cl.span.doc) or {}).get("name") or cl.span.doc}
                        for cl in c.claims]}

def _conflict_subject(c: Conflict) -> str:
    """What a conflict not about an event is about, in words: the quoted measure of its summary
    ("sources give different values for 'the port budget': ..."), else the summary before its colon."""
    if m := re.match(r"(?:sources|reports) give different \w+ for (?:the \w+ )?'([^']{3,80})'", c.summary or ""):
        return f"“{m[1]}”"
    head = (c.summary or "").split(":", 1)[0].strip().rstrip(".")
    return head or "one figure"

def _event_name(ev: Event) -> str:
    """An event named in the sources' words (the story model's clause), quoted."""
    from .titles import event_title

    title = event_title(ev)
    return f"“{title}”" if title else f"“{ev.label}”"
