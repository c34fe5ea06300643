"""Which date an event mention takes: the time expression tied to its clause.

Used by ``storyline.nlp.components.events``. In order of trust:

1. a DATE/TIME attached to the trigger or its clause (``on``/``in``/``at``
   phrase, ``Tuesday`` as npadvmod, ``Monday's meeting``), also through the
   verb a trigger noun is the subject of ("the talks took place on March 10")
   or the object of ("held talks on Monday");
2. inherited from the governing clause: a conjoined verb sharing its subject
   ("met X on Sunday and asked Y"), a purpose infinitive ("marched on Sunday
   to demand"), a relative clause "in/during which" of a dated event noun;
3. a back-reference: "during the session", "said after the meeting", "the
   call" as the event noun itself, naming an earlier dated mention of the same
   kind of event in the document; only when every earlier compatible mention
   gives the same date;
4. the only DATE/TIME in the sentence when no other event trigger in the
   sentence competes for it: adverbial ("on"/"in"/"at"/"during" or a bare
   day name) to the trigger's own clause (never a reported clause, a
   relative clause or a "since"/"after" clause), outside direct quotes and
   not after publication.

Never from another sentence except through (3); never from a DURATION or SET
(the caller passes only DATE and TIME expressions). Unknown beats wrong.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from datetime import date as _date
from datetime import timedelta as _timedelta
from typing import TYPE_CHECKING

from ..model import EventMention, TimeExpr, When

if TYPE_CHECKING:
    from spacy.tokens import Span
from ..lexicon.events import ASK_VERBS, BACKREF_NOUNS
from ..lexicon.times import NUMBER_WORDS as _NUMBER_WORDS
from ..lexicon.events import DATED_LIGHT_VERBS as LIGHT_VERBS
from ..lexicon.events import OCCUR_VERBS
from ..lexicon.events import DEFINITE_WORDS as DEFINITE
from ..lexicon.times import SOLE_DATE_PREPS, TIMESTAMP_WORDS, WEEKDAYS
from .util import doc_text, replaced, sentence_of

__all__ = ["DateFinder", "LIGHT_VERBS", "OCCUR_VERBS", "BACKREF_NOUNS", "ESTIMATE_DAYS", "after_previous", "estimate"]

# event nouns that can refer back to an earlier mention, with the modes they may name
BACKREF_PREPS = {"during", "at", "in"}
SPEECH_BACKREF_PREPS = BACKREF_PREPS | {"after", "following"}
FUTURE_AUX = {"will", "would", "shall", "'ll"}
# verbs whose infinitive complement happens later than they do: "subpoenaed him Friday to testify"

def _is_noun(tok) -> bool:
    return tok.pos_ == "NOUN" and not tok.tag_.startswith("VB")


def _adverbial_verb(root):
    """The verb a time expression modifies as an adverbial ("on Monday", "Tuesday"), else None."""
    if root.dep_ in ("npadvmod", "tmod", "advmod"):
        verb = root.head
    elif root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.lower_ in SOLE_DATE_PREPS:
        verb = root.head.head
    else:
        return None
    return verb if verb.pos_ in ("VERB", "AUX") else None


def _same_clause(tok, verb) -> bool:
    """Whether ``verb`` is the trigger's own clause: the trigger itself, the
    verb the trigger noun is an argument of, or a conjunct / control verb."""
    if verb is None:
        return False
    if verb.i == tok.i:
        return True
    if tok.head.i == verb.i and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "conj", "xcomp"):
        return True
    return verb.head.i == tok.i and verb.dep_ in ("conj", "xcomp")


def _iv(t: TimeExpr) -> tuple[str | None, str | None]:
    w = t.when
    return (w.earliest or w.value, w.latest or w.value)


def _timestamp_line(text: str, start: int, end: int) -> bool:
    """A date on a line of its own (a weekday, a clock time, a zone at most beside it): the report's
    timestamp, which dates the article, not any happening it tells (ECB+: 115 such lines in 31 topics)."""
    lo = text.rfind("\n", max(0, start - 80), start) + 1 if start else 0
    hi = text.find("\n", end, end + 80)
    if lo == 0 and start > 80 or hi < 0 and len(text) - end > 80:
        return False  # not within a short line
    rest = (text[lo:start] + " " + text[end : hi if hi >= 0 else len(text)]).lower()
    words = re.findall(r"[a-z][a-z.]*", rest)
    return all(w.rstrip(".") in WEEKDAYS or w in TIMESTAMP_WORDS or w.rstrip(".") in TIMESTAMP_WORDS for w in words)


class DateFinder:
    """Date lookups over one parsed document.

    ``times``: DATE/TIME expressions; ``triggers``: token index -> mode of
    every event trigger the lexicon finds (with or without participants);
    ``antecedents``: the triggers an event noun may refer back to (not negated);
    ``direct``: (start, end) of direct quotes; ``published_latest``: the last
    day the document can have been published, or None.
    """

    def __init__(self, doc, times, triggers: dict[int, str | None], antecedents=None, direct=(), published_latest=None):
        self.doc = doc
        self.triggers = triggers
        self.antecedents = triggers if antecedents is None else antecedents
        self.direct = list(direct)
        self.published_latest = published_latest
        self.times: list[tuple[TimeExpr, Span]] = []
        for t in times:
            span = doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
            if span is not None and len(span) and not _timestamp_line(doc_text(doc), t.span.start, t.span.end):
                self.times.append((t, span))
        # where each time hangs, indexed by token, so a lookup costs what it finds, not the document's length
        self._hung_on: dict[int, list[int]] = {}  # token index -> positions in self.times
        self._on_object_of: dict[int, list[tuple[int, int]]] = {}  # verb index -> (position, object index)
        self._by_start: list[int] = sorted(range(len(self.times)), key=lambda k: self.times[k][0].span.start)
        self._starts = [self.times[k][0].span.start for k in self._by_start]
        self._trigger_order: list[int] = sorted(triggers)
        for k, (_, span) in enumerate(self.times):
            root = span.root
            a = root.head
            if a.dep_ == "prep":
                a = a.head
            for i in {a.i, root.head.i}:
                self._hung_on.setdefault(i, []).append(k)
            # "summoned the ambassador on Sunday": the parser hangs the date on the object
            if a.dep_ == "dobj" and root.head.lower_ in SOLE_DATE_PREPS:
                self._on_object_of.setdefault(a.head.i, []).append((k, a.i))
        self._own: dict[int, TimeExpr | None] = {}
        for i in self.antecedents:
            self.own(doc[i], _is_noun(doc[i]))

    # ------------------------------------------------------------ rule 1

    def anchors(self, tok, is_noun: bool) -> list:
        """The trigger and the tokens its time may hang on."""
        out = [tok]
        if not is_noun:
            return out
        head = tok.head
        if tok.dep_ == "dobj" and head.lemma_.lower() in LIGHT_VERBS:
            out.append(head)  # "held talks on Monday"
        if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in OCCUR_VERBS:
            out.append(head)  # "the talks took place on March 10"
        out += [c for c in tok.children if c.dep_ == "acl"]  # "the call held last Friday"
        return out

    def attached(self, anchors) -> TimeExpr | None:
        """The first time expression hanging on one of ``anchors``."""
        ids = {a.i for a in anchors}
        hits = [k for i in ids for k in self._hung_on.get(i, ())]
        hits += [k for i in ids for k, obj in self._on_object_of.get(i, ()) if obj not in self.triggers]
        return self.times[min(hits)][0] if hits else None

    def _times_between(self, start: int, end: int) -> list:
        """The (time, span) pairs that start in [start, end), in document order (a binary search)."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [self.times[k] for k in sorted(self._by_start[lo:hi])]

    def _triggers_between(self, start: int, end: int) -> set[int]:
        """Trigger token indices in [start, end) (a binary search over the sorted indices)."""
        order = self._trigger_order
        return set(order[bisect.bisect_left(order, start) : bisect.bisect_left(order, end)])

    def own(self, tok, is_noun: bool) -> TimeExpr | None:
        if tok.i not in self._own:
            self._own[tok.i] = self.attached(self.anchors(tok, is_noun))
        return self._own[tok.i]

    # ------------------------------------------------------------ rule 2

    def inherited(self, tok) -> TimeExpr | None:
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        kids = list(tok.children)
        head = tok.head
        if tok.dep_ == "conj" and head.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in kids):
            mine = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
            theirs = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if tok.tag_ == head.tag_ and not ((mine | theirs) & FUTURE_AUX):
                return self.attached([head]) or self.inherited(head)
        if (tok.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in kids)
                and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in ASK_VERBS):
            return self.attached([head])  # "marched on Sunday to demand"; not "subpoenaed him Friday to testify"
        if tok.dep_ == "relcl":
            rel = [c for c in kids if c.dep_ == "prep" and c.lower_ in ("in", "during")
                   and any(p.lower_ == "which" for p in c.children)]
            if rel:  # "a conversation with X in which he asked ..."
                node = head
                for _ in range(3):
                    if node.i in self.triggers:
                        return self.own(node, _is_noun(node)) or self.back_reference(node)
                    if node.dep_ != "pobj" or node.head.dep_ != "prep":
                        break
                    node = node.head.head
        return None

    # ------------------------------------------------------------ rule 3

    def back_reference(self, noun) -> TimeExpr | None:
        """The date of the earlier mention a definite event noun refers to."""
        lemma = noun.lemma_.lower()
        if lemma not in BACKREF_NOUNS and noun.lower_ not in BACKREF_NOUNS:
            return None
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
            return None
        if any(c.dep_ in ("poss", "amod") and c.lower_ in ("next", "another", "second", "first", "new", "previous", "earlier",
                                                        "my", "his", "her", "their", "our")
               for c in noun.children):
            return None
        modes = BACKREF_NOUNS.get(lemma, BACKREF_NOUNS.get(noun.lower_))
        found: list[TimeExpr] = []
        for i, mode in self.antecedents.items():
            if i >= noun.i or (modes is not None and mode not in modes):
                continue
            t = self._own.get(i)
            if t is not None and t.when.known:
                found.append(t)
        days = {_iv(t) for t in found}
        return found[-1] if len(days) == 1 else None

    def via_preposition(self, tok, speech: bool) -> TimeExpr | None:
        """'expressed ... during the session', 'said after the meeting'."""
        preps = SPEECH_BACKREF_PREPS if speech else BACKREF_PREPS
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                for p in c.children:
                    if p.dep_ == "pobj" and p.pos_ == "NOUN" and self.own(p, True) is None:
                        t = self.back_reference(p)
                        if t is not None:
                            return t
        return None

    # ------------------------------------------------------------ rule 4

    def sole_date(self, tok) -> TimeExpr | None:
        sent = sentence_of(tok)
        inside = self._times_between(sent.start_char, sent.end_char)
        if len(inside) != 1:
            return None
        if self._triggers_between(sent.start, sent.end) - {tok.i}:
            return None
        t, span = inside[0]
        if not t.when.known or any(s <= t.span.start < e for s, e in self.direct):
            return None
        earliest = _iv(t)[0]
        if self.published_latest and earliest and earliest > self.published_latest:
            return None
        return t if _same_clause(tok, _adverbial_verb(span.root)) else None


    # ------------------------------------------------------------ all rules

    def date_of(self, tok, is_noun: bool, speech: bool = False) -> TimeExpr | None:
        t = self.own(tok, is_noun)
        if t is None and not is_noun:
            t = self.inherited(tok) or self.via_preposition(tok, speech)
        if t is None and is_noun:
            t = self.back_reference(tok)
        if t is None:
            t = self.sole_date(tok)
        return t


_LATER = re.compile(r"\b(an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(day|week|month)s?\s+"
                    r"(?:later|after\s+(?:the|his|her|their|its)\b)", re.IGNORECASE)
_NEXT = re.compile(r"\bthe\s+(?:next|following)\s+(day|morning|week)\b|\bthe\s+day\s+after\b", re.IGNORECASE)


# A done event with no date of its own in a report dated to the day: its likeliest day is the report's,
# its likely days the report's and the ESTIMATE_DAYS before it. Fitted on the bare weekdays of the
# TempEval-3 dev reports (TimeBank + AQUAINT) in past-tense clauses: 132 of 284 on the report's day
# (the mode), 266 of 284 (94%) within 4 days before it (docs/ledger.md).
ESTIMATE_DAYS = 4
_REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


_STILL_TO_COME = ("planned", "expected", "requested")


def estimate(when: When | None, modality: str, published: When | None, news_day: str | None = None) -> When | None:
    """``when`` with a best estimate added when the text gives no date: an asserted (done) event whose
    only bound is "no later than the report", in a report dated to one day. The likeliest day is the
    report's news day (``news_day``: the day its first dated happening took place, when that lies in the
    estimate's days), else the report's own day. Anything the text says (a date, "yesterday", "on
    Monday", an anchor from the event before) is kept as it is."""
    day = published.exact_day if published is not None else None
    if day is None or modality != "asserted" or when is None or when.value or when.earliest or when.latest != day:
        return when
    lo = (_date.fromisoformat(day) - _timedelta(days=ESTIMATE_DAYS)).isoformat()
    best = news_day if news_day and lo <= news_day <= day else day
    return dataclasses.replace(when, estimate=(best, lo, day))


def _news_day(mentions: list[EventMention], published: When | None) -> str | None:
    """The day of the first happening in the report dated to one day within the estimate's days."""
    day = published.exact_day if published is not None else None
    if day is None:
        return None
    lo = (_date.fromisoformat(day) - _timedelta(days=ESTIMATE_DAYS)).isoformat()
    for m in sorted(mentions, key=lambda m: m.span.start):
        d = m.when.exact_day if m.when is not None and m.modality == "asserted" else None
        if d and lo <= d <= day:
            return d
    return None


def after_previous(mentions: list[EventMention], published: When | None = None) -> list[EventMention]:
    """Dates that count from the event told before: "a week later", "the next day", "two days after
    the arrest". Each undated mention whose sentence says so takes the day of the nearest earlier
    mention dated to the day, shifted; with no such mention it stays undated (never counted from the
    report's own date). Then each done event still without a date of its own gets a best estimate
    (:func:`estimate`) when ``published`` is one day; a vague reference ("now", "recently") dates an
    event only by the days it bounds (its TIMEX3 value ``PRESENT_REF`` is no date)."""
    out = []
    pub_day = published.exact_day if published is not None else None
    searched: dict[str, tuple] = {}
    for m in mentions:
        if m.when is not None and m.when.value in _REFS:
            m = replaced(m, when=When(None, m.when.earliest, m.when.latest))
        elif m.when is not None and m.when.value and len(m.when.value) > 10 and m.when.value[10] == "T":
            # an event's date is day-grained: "this morning" (2025-04-02TMO) dates it to the day
            m = replaced(m, when=dataclasses.replace(m.when, value=m.when.value[:10]))
        if (m.modality in _STILL_TO_COME and pub_day and m.when is not None and m.when.latest
                and m.when.latest < pub_day):
            # planned or asked for, yet dated before the report: the date is the plan's or the request's
            # ("subpoenaed him Friday to testify"), not the event's: it is still to come
            m = replaced(m, when=When(None, pub_day, None), time=None)
        if m.when is not None and m.when.value:
            out.append(m)
            continue
        text = m.span.text
        if text not in searched:  # the mentions of one sentence share its text: search it once
            low = text.lower()  # both patterns need one of these words; most sentences have none
            cue = "day" in low or "week" in low or "month" in low or "morning" in low
            searched[text] = (_LATER.search(text), _NEXT.search(text)) if cue else (None, None)
        hit, nxt = searched[text]
        step: tuple[int, str] | None = None
        if hit and "after" in hit.group(0).lower():
            end = text.find(",", hit.end())
            if m.span.start + hit.start() <= m.trigger.start < m.span.start + (end if end > 0 else hit.end() + 25):
                out.append(m)  # "two days after the arrest": the arrest is what it counts from
                continue
        if hit:
            n = _NUMBER_WORDS.get(hit.group(1).lower()) or (int(hit.group(1)) if hit.group(1).isdigit() else None)
            step = (n, hit.group(2).lower()) if n else None
        elif nxt is not None:
            step = (1, "week" if (nxt.group(1) or "").lower() == "week" else "day")
        anchor = next((a for a in reversed(out) if a.when is not None and a.when.value and len(a.when.value) == 10
                       and a.span.start < m.span.start), None) if step else None
        if anchor is None or step is None:  # step None: anchor is None too
            out.append(m)
            continue
        n, unit = step
        assert anchor.when is not None and anchor.when.value is not None  # chosen as dated to the day
        base = _date.fromisoformat(anchor.when.value)
        if unit == "day":
            d = (base + _timedelta(days=n)).isoformat()
            when = When(d, d, d)
        elif unit == "week":
            mid = base + _timedelta(days=7 * n)
            when = When(None, (mid - _timedelta(days=3)).isoformat(), (mid + _timedelta(days=3)).isoformat())
        else:
            y, mo = divmod(base.year * 12 + base.month - 1 + n, 12)
            last = (_date(y + (mo + 1) // 12, (mo + 1) % 12 + 1, 1) - _timedelta(days=1)).day
            when = When(f"{y}-{mo + 1:02d}", f"{y}-{mo + 1:02d}-01", f"{y}-{mo + 1:02d}-{last:02d}")
        out.append(replaced(m, when=when))
    news = _news_day(out, published)
    return [m if m.time is not None else replaced(m, when=estimate(m.when, m.modality, published, news))
            for m in out]
