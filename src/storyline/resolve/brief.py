"""The brief: a story told in whole, cited sentences a person reads in a minute.

Pure functions over one story's resolved items (no database, no spaCy); ``storyline.views.brief``
gathers them from the store and calls :func:`build_brief`.

What a brief holds, in order (issue 18 §1):

- a heading: the story's title (the story model's, else its headline event's clause), its dates
  and its sources by outlet name (or title when the document names no outlet);
- **the news**: the headline event in the source's own sentence, dated and cited;
- **developments**: the story's other news events in date order, each in one source's sentence;
- **what was said**: direct quotes with a named speaker ("Speaker said: “...”"), never a quote
  without its speaker;
- **where sources disagree**: each side with its value and its citation;
- **background** last and short: events told as history or dated well before the news.

Every sentence is a source's whole sentence, verbatim (whitespace aside), and cites exactly the
characters it repeats: datelines ("WASHINGTON (Reuters) -"), headline lines run into the first
sentence, fragments (a lowercase start, no closing punctuation), unbalanced quotation marks and
sentences that are mostly a quotation (a partisan line would read as fact) are never used; an
event without such a sentence in any of its reports is left out. :func:`whole_sentence` is the test.

Sentences carry ``[doc:start-end]`` markers after their text (what ``storyline show`` and the web
pages open) and the outlet and date in words before them.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from typing import Iterable, Mapping, Sequence

from ..lexicon.discourse import DEPENDENT_OPENERS
from ..model import Conflict, Event, EventReport, Quote, Span, Story, When
from ..lexicon.speech import PAST_SPEECH as _PAST

__all__ = [
    "BRIEF", "LONG_BRIEF", "build_brief", "whole_sentence", "sentence_span", "date_words", "dates_words",
    "value_words", "plural", "cite", "flatten",
]

# sentences per section: the default is read in about a minute (about 200 words); --long is longer
BRIEF = {"news": 1, "developments": 4, "quotes": 2, "disagreements": 1, "background": 1}
LONG_BRIEF = {"news": 1, "developments": 10, "quotes": 5, "disagreements": 6, "background": 4}
SENTENCE_WORDS = (6, 60)  # a brief sentence has at least and at most this many words
QUOTE_WORDS = (5, 40)
QUOTED_SHARE = 0.5  # a sentence with more than this share of its characters inside quotation marks is a quote
SAME_WORDING = 0.5  # share of the shorter sentence's content words at which two brief sentences say the same



def cite(span: Span) -> str:
    return f"{span.doc}:{span.start}-{span.end}"


# ---------------------------------------------------------------- words for people


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 source", "2 sources", "1 story", "3 stories" (``many`` for irregular plurals)."""
    if n == 1:
        return f"1 {word}"
    if many is None:
        many = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{n:,} {many}"


_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _number_words(value: float) -> str:
    """12000 -> "12,000"; 150000000 -> "150 million"; 2.5 -> "2.5"."""
    for size, word in _SCALES:
        if abs(value) >= size:
            v = value / size
            return (f"{int(v):,}" if v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")) + f" {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def value_words(value: float | int | str | None, unit: str | None = None, about: str | None = None) -> str | None:
    """A figure as people write it: "$150 million", "8,000 people", "30%", "3 years"; None when no value.

    A count names what it counts when ``about`` is one word ("12,000 farmers"). A string value
    "150000000.0 USD" (a conflict's side) is read as number and unit."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and unit is None:
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z%]+)?\s*", value)
        if not m:
            return date_words(value) if re.fullmatch(r"\d{4}(-\d\d){0,2}", value.strip()) else value
        value, unit = m[1], m[2]
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    unit = (unit or "").strip()
    n = _number_words(v)
    if unit in _CURRENCY:
        return _CURRENCY[unit] + n
    if unit.lower() in ("percent", "%", "per cent"):
        return f"{n}%"
    if unit.lower() in ("count", ""):
        noun = (about or "").strip()
        return f"{n} {noun}" if noun and noun.isalpha() else n
    if len(unit) == 3 and unit.isupper():  # another currency code
        return f"{n} {unit}"
    word = unit[:-1] if v == 1 and unit.endswith("s") else unit
    return f"{n} {word}"


def date_words(value: str | None) -> str | None:
    """"2025-03-08" -> "8 March 2025"; "2025-03" -> "March 2025"; "2025" -> "2025"; None otherwise."""
    v = (value or "").strip()
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", v):
        return f"{int(m[3])} {calendar.month_name[int(m[2])]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
        return f"{calendar.month_name[int(m[2])]} {m[1]}"
    if re.fullmatch(r"\d{4}", v):
        return v
    return None


def dates_words(earliest: str | None, latest: str | None) -> str | None:
    """A story's span in words: "8 March 2025", "8–22 March 2025", "28 March – 2 April 2025"."""
    a, b = date_words(earliest), date_words(latest)
    if not a or not b or a == b:
        return a or b
    pa, pb = a.split(" "), b.split(" ")
    if len(pa) == len(pb) == 3 and pa[2] == pb[2]:
        return f"{pa[0]}–{b}" if pa[1] == pb[1] else f"{pa[0]} {pa[1]} – {b}"
    return f"{a} – {b}"


def _day_of(when: When | None) -> str | None:
    """The event's day or month when the value says one (never a range's guess)."""
    if when is None:
        return None
    v = when.value or when.exact_day or ""
    return v if re.fullmatch(r"\d{4}-\d\d(-\d\d)?", v) else None


# ---------------------------------------------------------------- whole sentences

# a dateline opening a report: "WASHINGTON (Reuters) - ", "April 29 (UPI) — ", "2025 (Herald) - "
_DATELINE_AGENCY = re.compile(r"^[^\n.!?]{0,60}?\((?:[A-Z][A-Za-z.&' ]{0,30})\)\s*[-–—:]+\s*")
# "WEST PALM BEACH, Fla. — ", "SEOUL, South Korea — ", "WASHINGTON ― "
_DATELINE_PLACE = re.compile(r"^[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][A-Za-z. ]{1,20})?\s*[-–—―]{1,2}\s+")
# a line that opens with a label ("Related: ...", "WATCH: ...", "DESPERATION: ..."): a link or a headline
_LABEL = re.compile(r"^[A-Z][A-Za-z]{1,15}(?: [A-Z][A-Za-z]{1,15})?:\s")
# "..., they said": an attribution the reader cannot follow alone
_PRONOUN_SAID = re.compile(r"\b(?:he|she|they|it|we)\s+(?:said|says|added|told|wrote|argued|claimed)\b")
_OPEN = "\"“‘'`("
_CLOSE = "\"”’')"
_END = re.compile(r"[.!?][\"”’')]*$|[.!?]''$")


def _balanced(text: str) -> bool:
    if text.count("“") != text.count("”") or text.count("``") != text.count("''"):
        return False
    return text.replace("``", "").replace("''", "").count('"') % 2 == 0 and text.count("(") == text.count(")")


def _quoted_share(text: str) -> float:
    """Share of characters inside quotation marks (straight, curly or ``...'')."""
    inside = sum(len(m) for m in re.findall(r"“[^”]*”|\"[^\"]*\"|``.*?''", text))
    return inside / max(1, len(text))


def whole_sentence(text: str) -> bool:
    """A whole sentence a brief may repeat: a capital (or a digit, or an opening quote and a
    capital) first, closing punctuation last, balanced quotation marks, no line break, no dateline,
    between SENTENCE_WORDS words, not opening with a word that points back (``DEPENDENT_OPENERS``:
    "He", "But", "This") and not mostly a quotation."""
    t = text.strip()
    if not t or "\n" in t:
        return False
    if t[0] in _OPEN[:-1]:  # opens with a quotation mark: a quotation, which would read as fact
        return False
    first = t
    if not (first[0].isupper() or first[0].isdigit()):
        return False
    opener = re.match(r"[A-Za-z]+", first)
    if opener and opener[0].lower() in DEPENDENT_OPENERS:  # "He said...", "But...": needs the sentence before
        return False
    if not _END.search(t) or not _balanced(t):
        return False
    if _DATELINE_AGENCY.match(t) or _DATELINE_PLACE.match(t) or _LABEL.match(t) or _PRONOUN_SAID.search(t):
        return False
    n = len(t.split())
    if not SENTENCE_WORDS[0] <= n <= SENTENCE_WORDS[1]:
        return False
    return _quoted_share(t) <= QUOTED_SHARE


def sentence_span(span: Span, trigger: Span | None = None) -> Span | None:
    """The whole sentence of ``span`` (a report's sentence) that a brief may repeat, as a sub-span
    with its provenance: the line holding the trigger (a headline run into the first sentence is
    dropped), its dateline cut off, surrounding spaces trimmed. None when what is left is not a
    whole sentence (:func:`whole_sentence`)."""
    text = span.text
    lo, hi = 0, len(text)
    at = (trigger.start - span.start) if trigger is not None and span.start <= trigger.start < span.end else None
    if "\n" in text:
        for part in re.finditer(r"[^\n]+", text):
            if at is None or part.start() <= at < part.end():
                lo, hi = part.start(), part.end()
                if at is not None:
                    break
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    for dl in (_DATELINE_AGENCY, _DATELINE_PLACE):
        if m := dl.match(text[lo:hi]):
            if at is None or lo + m.end() <= at:
                lo += m.end()
    piece = text[lo:hi]
    if not whole_sentence(piece):
        return None
    return Span(span.doc, span.start + lo, span.start + hi, piece)


# ---------------------------------------------------------------- sentences


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", re.sub(r"\[[^\]]*\]", " ", text).lower()) if len(w) > 2}


def _said_by(docs: Mapping[str, dict], doc: str) -> str:
    d = docs.get(doc) or {}
    name = d.get("name") or doc
    day = date_words(d.get("date"))
    return f"{name}, {day}" if day else name


def _sentence(text: str, spans: Sequence[Span], docs: Mapping[str, dict], *, kind: str, lead: str = "",
              event: str | None = None) -> dict:
    """One brief sentence: ``lead`` (a date) then the words, the outlet(s) in parentheses and the
    ``[doc:start-end]`` markers."""
    cites = list(dict.fromkeys(cite(s) for s in spans))
    names = list(dict.fromkeys(_said_by(docs, s.doc) for s in spans))
    body = " ".join(text.split())
    said = f" ({'; '.join(names)})" if names else ""
    marks = "".join(f" [{c}]" for c in cites)
    return {"text": f"{lead}{body}{said}{marks}", "citations": cites, "kind": kind,
            "sources": [{"doc": s.doc, "name": (docs.get(s.doc) or {}).get("name") or s.doc} for s in spans],
            **({"event": event} if event else {})}


ECHO_WORDS = 12  # a sentence of this many content words scores its mean echo; longer ones score more of what they share


class Echo:
    """How much of a sentence the story's other reports also tell: for each content word (four letters
    or more) the share of the other documents whose reported sentences use it, averaged over the
    sentence's words. A lede every outlet echoes scores high; one outlet's aside or opinion scores low."""

    def __init__(self, events: Iterable[Event]):
        per_doc: dict[str, set[str]] = {}
        for ev in events:
            for m in ev.mentions:
                per_doc.setdefault(m.span.doc, set()).update(_content(m.span.text))
        self.df = Counter(w for words in per_doc.values() for w in words)
        self.others = max(1, len(per_doc) - 1)

    def __call__(self, text: str) -> float:
        words = _content(text)
        if not words:
            return 0.0
        shared = sum(min(self.df[w] - 1, self.others) for w in words) / self.others
        return shared / (ECHO_WORDS * (len(words) / ECHO_WORDS) ** 0.5)  # many shared words count, not only their share


def _content(text: str, letters: int = 4) -> set[str]:
    """The words of ``letters`` letters or more (content words, roughly), lower case."""
    return set(re.findall(r"[a-z][a-z'-]{%d,}" % (letters - 1), text.lower()))


def _candidates(ev: Event, docs: Mapping[str, dict], used: list[Span], echo: Echo) -> list[tuple[float, EventReport, Span]]:
    """The event's reports that give a whole sentence not yet said, each with its score: how much of it
    the other reports echo, more for a sentence in its report's lede (``LEDE_CHARS``) or the report's main event."""
    out: list[tuple[float, EventReport, Span]] = []
    for m in ev.mentions:
        if m.span.doc not in docs:
            continue  # a report in another story's document: not this story's to tell
        sp = sentence_span(m.span, m.trigger)
        if sp is None or sp.start < ((docs.get(sp.doc) or {}).get("title_end") or 0):
            continue  # none, or the document's headline block: headline words, not a sentence of the report
        if any(u.doc == sp.doc and u.start < sp.end and sp.start < u.end for u in used):
            continue
        top = (docs.get(sp.doc) or {}).get("title_end") or 0
        lede = bool(m.salience == 1) or sp.start - top <= LEDE_CHARS  # what the report opens with
        original = not (docs.get(sp.doc) or {}).get("duplicate_of")
        out.append((echo(sp.text) + (LEDE_WEIGHT if lede else 0.0) + (0.0 if original else -1.0), m, sp))
    out.sort(key=lambda c: (-c[0], (docs.get(c[2].doc) or {}).get("date") or "9999", c[2].doc, c[2].start))
    return out


def _event_sentence(ev: Event, docs: Mapping[str, dict], used: list[Span], echo: Echo, *, kind: str,
                    dated: bool) -> dict | None:
    """The event in its best report's whole sentence (None when no report has one or all of them
    repeat a sentence already said)."""
    cands = _candidates(ev, docs, used, echo)
    if not cands:
        return None
    score, m, sp = cands[0]
    day = _day_of(m.when) if dated else None  # the date this report gives, never one merged from others
    if day and not _says_day(sp.text, day):
        day = None  # the sentence does not name the day itself: a resolved "Saturday" may be a week off
    lead = f"{date_words(day)}: " if day else ""
    used.append(sp)
    return {**_sentence(sp.text, [sp], docs, kind=kind, lead=lead, event=ev.id), "score": round(score, 3)}


def _says_day(text: str, day: str) -> bool:
    """True when ``text`` names ``day`` (an ISO day) itself: "March 30", "30 March", "Feb. 22"."""
    m = re.fullmatch(r"\d{4}-(\d\d)-(\d\d)", day)
    if not m:
        return False
    month, d = calendar.month_name[int(m[1])], int(m[2])
    name = rf"(?:{month}|{month[:3]}\.?)"
    return bool(re.search(rf"\b{name}\s+{d}(?:st|nd|rd|th)?\b|\b{d}(?:st|nd|rd|th)?\s+(?:of\s+)?{name}\b", text))


def _date_key(ev: Event, docs: Mapping[str, dict]) -> str:
    """An event's place in date order: its own day, else its earliest report's day."""
    day = _day_of(ev.when) or (ev.when.earliest if ev.when and ev.when.earliest else None)
    if day:
        return day
    days = [(docs.get(m.span.doc) or {}).get("date") for m in ev.mentions]
    return min((d for d in days if d), default="9999")


LEDE_CHARS = 400  # a sentence starting this close to the top of its report's body is in its lede
LEDE_WEIGHT = 0.1  # ... (or the report's main event) and scores this much more than its echo alone
SOURCE_WEIGHT = 0.1  # each independent source beyond the first adds this much to a development's score


def _importance(ev: Event) -> tuple:
    """Background first that more sources tell, and tell near the top of their reports."""
    best = min((m.salience for m in ev.mentions if m.salience), default=10**6)
    return (-ev.sources, best, not ev.main, ev.type in ("OTHER", "STATEMENT"), not ev.participants, -len(ev.mentions), ev.id)


# a quotation that itself names who spoke ("..., said Andrew Wetzler") may carry the wrong speaker
_NAMES_ANOTHER = re.compile(r"\b(?:said|says|told)\s+[A-Z]|[A-Z][a-z]+\s+(?:said|says)\b")


def _named(name: str | None) -> bool:
    """A speaker a reader can identify: a capitalised name, not a pronoun."""
    if not name or name.strip().lower() in DEPENDENT_OPENERS | {"who", "someone"}:
        return False
    return name.strip()[0].isupper()


def _quote_words(q: Quote) -> str | None:
    """A direct quote's words when they are a whole sentence (or several): a capital first,
    closing punctuation last (a trailing comma, as in “..., ” he said, becomes a full stop)."""
    t = " ".join(q.span.text.split()).strip(" \"“”'`")
    if t.endswith((",", ";", ":")):
        t = t[:-1]
    if t and not re.search(r"[.!?]$", t):
        t += "."  # the quote's span ends at its closing mark: the speaker's words end there
    if not t or not t[0].isupper() or re.search(r"[\"“”]|``|''", t):
        return None  # a quotation mark inside: the span runs over the reporter's words between two quotes
    if not QUOTE_WORDS[0] <= len(t.split()) <= QUOTE_WORDS[1] or _NAMES_ANOTHER.search(t):
        return None
    return t


def _quote_sentences(rows: Iterable[tuple[Quote, str | None, str | None]], weight: Counter, docs: Mapping[str, dict],
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
        words = _quote_words(q)
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
        if (eid or name) in speakers:
            continue
        speakers.add(eid or name)
        if q.cue and q.cue.isalpha() and not (q.cue.endswith("ed") or q.cue in _PAST):
            continue  # "planned to ask", "will say": not words the speaker is reported to have said
        cue = q.cue if q.cue and q.cue.isalpha() and q.cue.islower() else "said"
        out.append(_sentence(f"{name} {cue}: “{words}”", [q.span], docs, kind="quote"))
        if len(out) >= n:
            break
    return out


CLAIM_WORDS = 10  # a side's value longer than this is cited, not repeated


def _conflict_sentence(c: Conflict, events: Mapping[str, Event], docs: Mapping[str, dict]) -> dict | None:
    """Where sources disagree, each side cited: only claims of this story's documents with values a
    reader can read (no "XXXX-11-19"), never a conflict across stories."""
    if c.status != "open" or len(c.claims) < 2 or any(cl.span.doc not in docs for cl in c.claims):
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
    from .storymodel import event_title

    title = event_title(ev)
    return f"“{title}”" if title else f"“{ev.label}”"


def distinct(sentences: list[dict]) -> list[dict]:
    """``sentences`` without repeats: a sentence that shares ``SAME_WORDING`` of its content words (or of
    the shorter one's) with one before it tells the same again (another outlet's copy or paraphrase of
    the same report) and is left out."""
    out: list[dict] = []
    said: list[set[str]] = []
    for s in sentences:
        if any(s["citations"] == o["citations"] for o in out):
            continue
        words = _content(re.sub(r"\([^)]*\)\s*(\[[^\]]*\]\s*)*$", "", s["text"]), 5)
        if any(len(words & w) >= SAME_WORDING * min(len(words), len(w)) for w in said if words and w):
            continue
        said.append(words)
        out.append(s)
    return out


# ---------------------------------------------------------------- the brief


def _roles(story: Story | None, events: Sequence[Event]) -> dict[str, str | None]:
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
    roles = _roles(story, events)
    by_id = {e.id: e for e in events}
    used: list[Span] = []
    head_id = next((k for k, v in roles.items() if v == "headline"), None)
    head = by_id.get(head_id) if head_id else None

    echo = Echo(events)
    news = []
    if head is not None:
        s = _event_sentence(head, docs, used, echo, kind="news", dated=True)
        if s is not None:
            news.append(s)

    told = [e for e in events if e.mentions and e.id != head_id and e.type != "STATEMENT"]
    devs = [e for e in told if roles.get(e.id) == "news"]
    ranked = []
    for ev in devs:  # each development by its best sentence's echo, and by its independent sources
        cands = _candidates(ev, docs, used, echo)
        if cands:
            ranked.append((cands[0][0] + SOURCE_WEIGHT * (ev.sources - 1), ev))
    ranked.sort(key=lambda r: (-r[0], r[1].id))
    devs = [ev for _, ev in ranked]
    chosen: list[dict] = []
    for ev in devs:
        if len(chosen) >= sizes["developments"]:
            break
        s = _event_sentence(ev, docs, used, echo, kind="development", dated=True)
        if s is not None and distinct(news + chosen + [s])[-1] is s:
            chosen.append(s)
    order = {e.id: _date_key(e, docs) for e in told}
    chosen.sort(key=lambda s: (order.get(s.get("event") or "", "9999"), s["citations"][0]))

    weight = Counter(p.entity for e in [head, *devs[:10]] if e is not None for p in e.participants)
    quotes_said = _quote_sentences(quotes, weight, docs, sizes["quotes"], echo)

    disagreements = [s for s in (_conflict_sentence(c, by_id, docs) for c in conflicts) if s][: sizes["disagreements"]]

    back: list[dict] = []
    olds = []
    for ev in (e for e in told if roles.get(e.id) == "background"):  # ranked as developments are
        cands = _candidates(ev, docs, used, echo)
        if cands:
            olds.append((cands[0][0] + SOURCE_WEIGHT * (ev.sources - 1), ev))
    olds.sort(key=lambda r: (-r[0], r[1].id))
    for ev in (ev for _, ev in olds):
        if len(back) >= sizes["background"]:
            break
        s = _event_sentence(ev, docs, used, echo, kind="background", dated=False)
        if s is not None and distinct(news + chosen + back + [s])[-1] is s:
            back.append(s)

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


def _event_title_text(ev: Event) -> str | None:
    from .storymodel import event_title

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
