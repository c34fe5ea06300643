"""storyline_figures: percentages, money, counts and durations with context.

Candidates come from :func:`storyline.nlp.numbers.find_quantities` (one linear
regex pass over the text); this component decides which are figures (not
years, dates, times, parts of names, "the two officials") and reads their
context from the dependency parse: what is measured (``about``), whose figure
it is (``subject``), for when (``period``), whether it is a fact, a target, a
proposal or an estimate (``status``) and who states it (``speaker``).
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language

from ...lexicon.figures import (
    DETERMINERS,
    DIMENSIONS,
    DISTANCE_UNITS,
    POSITION_WORDS,
    POSSESSIVES,
    RANGE_WORDS,
    LIMIT_PREPOSITIONS,
    MEASURE_NOUNS,
    MEASURE_VERBS,
    MONEY_VERBS,
    NOT_COUNTED,
    NOT_UNITS,
    TIME_PREPOSITIONS,
)
from ...lexicon.speech import ATTRIBUTION_VERBS
from ...lexicon.times import MONTHS as MONTH_NUMBERS

from ...model import Figure
from ..numbers import Quantity, find_quantities, rate_after
from ..util import doc_text, entity_at, make_span, sentence_of
from ...lexicon.figures import DURATION_WORDS as DURATIONS
from ...lexicon.figures import STATUS_CUES
from ...lexicon.figures import RAISE_VERBS
from ...lexicon.figures import PROPOSAL_MODALS
from ...lexicon.figures import PRESENT_WORDS
from ...lexicon.figures import BODY_WEIGHT, FAMILY_NOUNS, HEIGHT_WORDS, PARENT_WORDS, WEIGHT_UNIT

__all__ = ["find_figures", "make_figures", "STATUS_CUES", "SPEECH_VERBS"]

MONTHS = frozenset(MONTH_NUMBERS)  # month names and abbreviations
# number words that are almost always pronominal or generic ("the one", "two countries")
WEAK_WORDS = {"one", "two"}
CURRENCIES = {"USD", "EUR", "GBP"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "FAC", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT", "LOC"}

SPEECH_VERBS = ATTRIBUTION_VERBS  # one home: storyline.lexicon.speech
# "X puts the cost at ...": X is the source of the figure, not what it is about
SOURCE_VERBS = {"put", "peg", "place"}
_GDP_AFTER = re.compile(
    r"\s+of\s+(?:(?:their|its|the|his|her|our|a|national|annual)\s+)*(?:GDP\b|gross\s+domestic\s+product)", re.I
)


def _within(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of the ``spans`` (sorted by start)."""
    i = bisect.bisect_left(starts, end) - 1
    while i >= 0 and spans[i][0] > start - 300:
        if spans[i][1] > start:
            return True
        i -= 1
    return i >= 0 and spans[i][1] > start


def _is_date_like(doc, q: Quantity, tok) -> bool:
    text = doc_text(doc)
    raw = text[q.number_start : q.number_end]
    if q.unit is None and not q.words and re.fullmatch(r"(1[6-9]|20|21)\d\d", raw):
        return True  # a year
    if tok is None:
        return False
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    if q.unit is None and (prev.rstrip(".") in MONTHS or nxt.rstrip(".") in MONTHS):
        return True
    after = text[q.end : q.end + 12].lower()
    # a clock time: "10 p.m.", "10 p. m." (text rejoined from tokens), "10:30", "10: 30 a. m."
    return bool(_CLOCK_OR_RELATIVE.match(after))


_CLOCK_OR_RELATIVE = re.compile(r"\s*(ago|earlier|later|from now|o'clock|[ap]\.?\s?m\b\.?|:\s?\d\d)", re.IGNORECASE)


def _noun_phrase(doc, noun, after: int) -> str:
    """The noun with its left modifiers that come after character ``after``."""
    start = noun.idx
    for child in noun.lefts:
        if child.dep_ in ("compound", "amod", "nmod") and child.idx >= after:
            start = min(start, child.left_edge.idx if child.left_edge.idx >= after else child.idx)
    return doc_text(doc)[start : noun.idx + len(noun.text)]


def _counted(doc, tok, q: Quantity):
    """The noun a bare number counts, or None when it counts nothing."""
    head = tok.head
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    while (head.pos_ == "NUM" and head.dep_ in ("nummod", "compound", "quantmod") and head.head.i > head.i
           and nxt not in RANGE_WORDS):
        head = head.head  # "32 million people", "seven AK-47 rifles"; not a range bound ("one to two years")
    if tok.dep_ in ("nummod", "quantmod", "compound") and head.i > tok.i and head.pos_ in ("NOUN", "PROPN"):
        while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        return head
    for child in tok.children:  # "100 of his counterparts"
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return None


def _governor(tok):
    """The first verb or noun above the figure, skipping prepositions."""
    h = tok
    for _ in range(12):
        if h.head.i == h.i:
            return h
        h = h.head
        if h.pos_ in ("VERB", "AUX") or (h.pos_ == "NOUN" and h.dep_ not in ("pobj",) and h.lower_ != "%"):
            return h
    return h


def _np_of(doc, tok) -> str:
    return _noun_phrase(doc, tok, 0)


def _contains(node, tok) -> bool:
    return node.left_edge.i <= tok.i <= node.right_edge.i


def _with_of(doc, noun, tok) -> str:
    """The noun phrase, plus its "of" phrase for a measure noun ("cost of the strike")."""
    text = _np_of(doc, noun)
    if noun.lower_ not in MEASURE_NOUNS and noun.lemma_.lower() not in MEASURE_NOUNS:
        return text
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and not _contains(prep, tok):
            pobj = [p for p in prep.children if p.dep_ == "pobj"]
            if pobj and pobj[0].pos_ in ("NOUN", "PROPN"):
                return f"{text} of {doc_text(doc)[pobj[0].left_edge.idx : pobj[0].idx + len(pobj[0].text)]}"
    return text


def _measure_verb(doc, gov, tok) -> str | None:
    """'the strike was costing the economy €40 million' -> 'cost of the strike'."""
    noun = MEASURE_VERBS.get(gov.lemma_.lower())
    if noun is None or not any(c.dep_ == "dobj" and _contains(c, tok) for c in gov.children):
        return None
    for c in gov.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"):
            return f"{noun} of {doc_text(doc)[c.left_edge.idx : c.idx + len(c.text)]}"
    return noun


def _about(doc, tok, q: Quantity, counted, unit: str | None = None) -> str:
    """What the figure counts or measures, in the document's words: the noun the number counts or
    modifies, else the noun its "of"/"in" phrase names, else the noun it bounds ("incomes of more
    than $5 million", "a deal worth $80 million"), else what its clause says it is."""
    if counted is not None:
        return _noun_phrase(doc, counted, q.end)
    noun = _modified_noun(tok)
    if noun is not None:  # "a 36 percent rate", "the $1 billion mark", "five years' probation"
        return _noun_phrase(doc, noun, q.end)
    noun = _own_phrase(tok, "of" if unit != "percent_of_gdp" else None) or _own_phrase(tok, "in")
    if noun is not None:  # "$100 million of crude oil", "$125,000 in income"
        return _np_of(doc, noun)
    anchor = tok
    while anchor.dep_ == "conj" and anchor.head.i < anchor.i and anchor.head.pos_ in ("NUM", "SYM", "NOUN"):
        anchor = anchor.head  # "$38 million and $23 million": the second stands where the first does
    if anchor.head.lower_ in _NOT_HEADS and anchor.head.i > anchor.i:
        anchor = anchor.head  # "costs $100,000 total"
    noun = _bounded_noun(anchor)
    if noun is not None:
        return _np_of(doc, noun)
    gov = _governor(anchor)
    if gov.pos_ == "NOUN":
        return _with_of(doc, gov, anchor)
    measured = _measure_verb(doc, gov, anchor)
    if measured:
        return measured
    if unit in CURRENCIES and _money_object(gov, anchor):
        return gov.text  # "raised $64 million", "will donate $1 million"
    antecedent = _relative_antecedent(gov, anchor)
    if antecedent is not None:  # "the rate, which at 35 percent is ..."
        return _np_of(doc, antecedent)
    if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head == gov:
        return ""  # the figure is the subject: its verb's object is not what it measures
    kids = list(gov.children)
    for child in kids:
        if child.dep_ == "dobj" and child.pos_ == "NOUN" and not _contains(child, anchor):
            return _with_of(doc, child, anchor)
    own = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ in ("in", "for", "on")]
    verb_preps = [c for c in kids if c.dep_ == "prep" and c.lower_ in ("on", "to", "for") and not _contains(c, anchor)]
    for prep in verb_preps + own:
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN" and not pobj.ent_type_ and pobj.lower_ not in DIMENSIONS:
                return _np_of(doc, pobj)
    for child in kids:
        if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ == "NOUN" and not _contains(child, anchor):
            return _np_of(doc, child)
    return ""


_NOUN_DEPS = ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "appos", "conj", "ROOT")
_NOT_HEADS = frozenset({"total", "apiece", "each"})


def _modified_noun(tok):
    """The noun the figure modifies ("a 4 percent surcharge"), compounds climbed."""
    if tok.dep_ not in ("compound", "nummod", "amod", "nmod", "quantmod", "poss") or tok.head.i <= tok.i:
        return None
    head = tok.head
    if head.pos_ in ("NUM", "VERB", "AUX", "ADP") or head.lower_ in _NOT_HEADS:
        return None
    if head.pos_ not in ("NOUN", "PROPN") and head.dep_ not in _NOUN_DEPS:
        return None
    while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head
    return head


def _own_phrase(tok, prep_word: str | None):
    """The common noun of the figure's own "of"/"in" phrase."""
    if prep_word is None:
        return None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == prep_word:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN" and not pobj.ent_type_ and pobj.lower_ not in DIMENSIONS:
                    return pobj
    return None


def _bounded_noun(tok):
    """The noun whose size the figure states through a preposition or "worth"."""
    h = tok.head
    if tok.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ in LIMIT_PREPOSITIONS and h.head.pos_ in ("NOUN", "PROPN"):
        return h.head
    for w in (h, h.head):
        if w.lower_ == "worth" and w.head.pos_ in ("NOUN", "PROPN") and w.head.i < w.i:
            return w.head
    return None


def _money_object(gov, tok) -> bool:
    """Whether a sum is what a money verb moves: its object, or its "for"/"in" amount."""
    if gov.pos_ != "VERB" or gov.lemma_.lower() not in MONEY_VERBS:
        return False
    if tok.head == gov and tok.dep_ in ("dobj", "npadvmod", "attr", "oprd", "dative"):
        return True
    h = tok.head
    return tok.dep_ == "pobj" and h.dep_ in ("prep", "prt") and h.lower_ in ("for", "in") and h.head == gov


def _relative_antecedent(gov, tok):
    """The noun a relative clause ("which ...", "that ...") holding the figure describes."""
    if gov.dep_ != "relcl" or gov.head.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("which", "that", "who") for c in gov.children):
        return gov.head
    return None


def _is_period(tok) -> bool:
    """A duration that is the object of a time preposition ("over 10 years")."""
    return tok.dep_ == "pobj" and tok.head.lower_ in TIME_PREPOSITIONS


def _refers_back(doc, tok) -> bool:
    """A weak number word that refers back or names a relation rather than counts: "the two leaders",
    "one of them", "talks between two countries"."""
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    return prev in DETERMINERS or prev == "between" or nxt == "of"


def _possessed(doc, tok) -> bool:
    """A number after a possessive refers to a known set ("his 11 debates", "its 246 passengers")."""
    return tok.i > 0 and doc[tok.i - 1].lower_ in POSSESSIVES


_NEGATORS = frozenset({"not", "n't", "no"})


def _negated(tok) -> bool:
    """Whether the figure's noun phrase, or the first verb above it, is negated ("is not a
    2,000-mile wall", "would not open a $10 trillion hole"); "never ... fewer than four" bounds a
    figure rather than denying it, and a figure in an adjunct ("with the team on a three-game
    streak") is not what a negated verb denies."""
    h = tok
    for _ in range(12):
        if any((c.dep_ == "neg" and c.lower_ in _NEGATORS) or (c.dep_ == "det" and c.lower_ == "no") for c in h.children):
            return True
        if h.pos_ in ("VERB", "AUX") or h.head == h:
            return False
        if h.dep_ == "pobj" and h.head.head.pos_ in ("NOUN", "PROPN") and h.head.head.dep_ == "pobj":
            return False  # a prepositional adjunct of an adjunct
        if h.dep_ == "prep" and h.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return False  # "with the team on a ... streak": inside a noun's modifier
        h = h.head
    return False


def _status(doc, tok, sent) -> str:
    best, best_i = "actual", -1
    for t in sent:
        if t.i >= tok.i:
            break
        cue = STATUS_CUES.get(t.lemma_.lower())
        if cue == "target" and t.tag_ in ("VBD", "VBN"):
            cue = None  # "has committed $5 million", "reached deals": done, not aimed at
        if t.lemma_.lower() in RAISE_VERBS and (
            t.tag_ in ("VB", "VBG") or any(c.dep_ in ("aux", "auxpass") and c.lower_ in PROPOSAL_MODALS for c in t.children)
        ):
            cue = "proposal"
        if cue and t.i > best_i:
            best, best_i = cue, t.i
    return best


def _speaker(doc, tok, quotes) -> str | None:
    """Who states the figure: the quote's speaker, else the subject of a speech
    verb at most two clauses above it (conjuncts do not count)."""
    for q in quotes:
        if q.span.start <= tok.idx < q.span.end and q.speaker:
            return q.speaker
    h, hops = tok, 0
    for _ in range(24):
        if h.head.i == h.i or hops >= 2:
            break
        prev, h = h, h.head
        if h.pos_ not in ("VERB", "AUX"):
            continue
        if h.lemma_.lower() in SPEECH_VERBS or _is_source_verb(h):
            for child in h.children:
                if child.dep_ == "nsubj":
                    ent = _entity_of_np(doc, child)
                    if ent is not None:
                        return ent.key
            return None
        if prev.dep_ != "conj":
            hops += 1
    return None


def _is_source_verb(tok) -> bool:
    """'puts the cost at €25 million': the subject estimates, it does not own the figure."""
    return tok.lemma_.lower() in SOURCE_VERBS and any(c.dep_ == "prep" and c.lower_ == "at" for c in tok.children)


def _entity_of_np(doc, tok):
    """The entity named by the noun phrase headed by ``tok`` (relative clauses left out)."""
    return entity_at(doc, tok.left_edge.idx, tok.idx + len(tok.text))


def _subject(doc, tok, counted) -> str | None:
    if counted is not None:
        for child in counted.children:
            if child.dep_ in ("compound", "amod", "nmod", "poss") and child.i != tok.i:
                ent = entity_at(doc, child.idx, child.idx + len(child.text))
                if ent is not None:
                    return ent.key
    h = tok
    for _ in range(12):
        if h.head.i == h.i:
            break
        h = h.head
        if h.pos_ == "VERB" and (h.lemma_.lower() in SPEECH_VERBS or _is_source_verb(h)):
            return None  # never cross into the speaker's clause
        for child in h.children:
            if child.dep_ == "poss" or (h.pos_ in ("VERB", "AUX") and child.dep_ in ("nsubj", "nsubjpass")):
                if child.i <= tok.i <= child.right_edge.i:
                    continue
                ent = _entity_of_np(doc, child)
                if ent is not None:
                    return ent.key
        if h.pos_ in ("VERB", "AUX"):
            break
    return None


_PARENT_OF = re.compile(r"\b(?:" + "|".join(sorted(PARENT_WORDS)) + r")\s+(?:of|to)\s+$", re.I)


def _family(doc, first, q: Quantity, counted) -> str | None:
    """What a count of a person's family counts (``lexicon.figures.FAMILY_NOUNS``): a number after a parent
    word ("a mother of 12", "Mother of 13 Zurana Horton", "father of two sons") or a family noun's number
    after a possessive ("one of her 12 children"); None for any other number."""
    noun = FAMILY_NOUNS.get(counted.lower_) if counted is not None else None
    if _PARENT_OF.search(doc_text(doc)[max(0, q.start - 20) : q.start]):
        return noun or FAMILY_NOUNS["children"]
    return noun if noun and _possessed(doc, first) else None


def _family_subject(doc, tok, counted) -> str | None:
    """Whose family a count counts: the possessor ("one of her 12 children"), the person named after it
    ("Mother of 13 Zurana Horton"), or the person a parent word stands beside or is said of ("Zurana
    Horton, 34, a mother of 12", "Horton was the mother of 12 children"); None otherwise (never the
    owner of a noun further up: "the County Sheriff's deputy, a father of two sons")."""
    if counted is not None:
        for child in counted.children:
            if child.dep_ == "poss":
                return _person(doc, child)
        if counted.pos_ == "PROPN":
            return _person(doc, counted)
    h = tok
    for _ in range(4):
        if h.head.i == h.i:
            return None
        h = h.head
        if h.lower_ in PARENT_WORDS:
            break
    else:
        return None
    if h.dep_ == "appos":
        return _person(doc, h.head)
    if h.dep_ == "attr" and h.head.pos_ in ("VERB", "AUX"):
        for child in h.head.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return _person(doc, child)
    return None


def _person(doc, tok) -> str | None:
    """The person (an entity of type PERSON) the noun phrase headed by ``tok`` names."""
    ent = entity_at(doc, tok.left_edge.idx, tok.idx + len(tok.text), ("PERSON",))
    return ent.key if ent is not None else None


def _participle_subject(doc, tok) -> str | None:
    """The subject of the clause a subjectless participle hangs on ("He is 5-feet-8 inches tall, weighing
    130 pounds": He)."""
    h = tok
    for _ in range(6):
        if h.head.i == h.i:
            return None
        h = h.head
        if h.pos_ in ("VERB", "AUX"):
            break
    if h.tag_ not in ("VBG", "VBN") or h.dep_ not in ("advcl", "xcomp", "conj") or h.head.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
        return None
    for child in h.head.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return _person(doc, child)
    return None


def _path_to_verb(tok) -> set[int]:
    """Token ids from the figure up to the first verb above it (inclusive)."""
    out = {tok.i}
    h = tok
    for _ in range(12):
        if h.head.i == h.i:
            break
        h = h.head
        out.add(h.i)
        if h.pos_ in ("VERB", "AUX"):
            break
    return out


def _period(doc, tok, sent, times, rate=None) -> str | None:
    """The time expression attached to the figure's own clause: "in 2024" -> "2024",
    "by 2029" -> "by 2029". A rate ("a day") and "now" are no period."""
    path = _path_to_verb(tok)
    for start, end, _typ in times:
        if not (sent.start_char <= start and end <= sent.end_char) or start <= tok.idx < end:
            continue
        if (rate and start < rate[1] and rate[0] < end) or doc_text(doc)[start:end].lower() in PRESENT_WORDS:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        attach = span.root.head
        prep = attach.lower_ if attach.dep_ == "prep" else None
        if attach.dep_ == "prep":
            attach = attach.head
        if attach.i in path or (attach.i != tok.i and tok.is_ancestor(attach)):
            label = doc_text(doc)[start:end]
            if prep in ("by", "until", "through", "before"):
                return f"{prep} {label}"
            return label
    return None


def _time_spans(doc) -> list[tuple[int, int, str]]:
    times = [(t.span.start, t.span.end, t.type) for t in (doc._.sl_times or ())]
    if not times:  # before storyline_times fills in: spaCy's DATE entities
        times = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    return sorted(times)


def find_figures(doc) -> list[Figure]:
    """Every figure in ``doc`` with its context, in text order."""
    times = _time_spans(doc)
    date_spans = [(s, e) for s, e, typ in times if typ != "DURATION"]
    date_starts = [s for s, _ in date_spans]
    names = sorted((e.start_char, e.end_char) for e in doc.ents if e.label_ in NAME_LABELS)
    name_starts = [s for s, _ in names]
    quotes = doc._.sl_quotes or ()
    out: list[Figure] = []
    for q in find_quantities(doc_text(doc)):
        span = doc.char_span(q.number_start, q.number_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        tok = span[-1]
        if _is_date_like(doc, q, tok) or _within(names, name_starts, q.number_start, q.number_end):
            continue
        if q.unit not in DURATIONS and _within(date_spans, date_starts, q.number_start, q.number_end):
            continue
        counted = family = None
        unit = q.unit
        weak = q.words and doc_text(doc)[q.number_start : q.number_end].lower() in WEAK_WORDS and not q.scaled
        if weak and unit in DURATIONS:
            continue  # "one day after", "two years ago"
        fig_tok = doc.char_span(q.start, q.end, alignment_mode="expand")
        head = fig_tok.root if fig_tok is not None else tok
        if unit in DURATIONS and _is_period(head):
            continue  # "over 10 years": the period of another figure or event, not a figure
        if unit is None:
            counted = _counted(doc, tok, q)
            family = _family(doc, span[0], q, counted)
            if family is None and (counted is None or counted.lower_ in NOT_UNITS
                                   or doc[tok.i - 1].lower_.rstrip(".") in NOT_COUNTED):
                continue
            if family is None and ((weak and _refers_back(doc, tok)) or _possessed(doc, span[0])):
                continue  # "the two leaders", "one of the teams", "his 16 opponents"
            unit = "count"
        elif unit == "percent" and _GDP_AFTER.match(doc_text(doc), q.end):
            unit = "percent_of_gdp"
        sent = sentence_of(tok)
        about = "" if _a_position(doc_text(doc), q.end, unit) else _about(doc, head, q, counted, unit)
        subject = _subject(doc, head, counted)
        if family is not None:  # a person's family: "a mother of 12", "one of her 12 children"
            about, subject = family, _family_subject(doc, tok, counted)
        elif unit == WEIGHT_UNIT and (not about or about.lower() in HEIGHT_WORDS):
            about, subject = BODY_WEIGHT, subject or _participle_subject(doc, head)  # "He is 5-feet-8, weighing 130 pounds"
        rate = rate_after(doc_text(doc), q.end)
        if rate is not None and about:  # a rate is part of what is measured: "cost of the strike a day"
            about = f"{about} {doc_text(doc)[rate[0] : rate[1]]}"
        out.append(
            Figure(
                span=make_span(doc, q.start, q.end),
                id=f"f{len(out)}",
                value=q.value,
                unit=unit,
                about=about,
                subject=subject,
                period=_period(doc, head, sent, times, rate),
                qualifier=q.qualifier,
                status="negated" if _negated(head) else _status(doc, head, sent),
                speaker=_speaker(doc, head, quotes),
            )
        )
    return out


def _a_position(text: str, end: int, unit: str | None) -> bool:
    """A distance that places something ("150 nautical miles west of Aden", "13 miles from the ship"):
    it sizes nothing, so it is about nothing two reports could disagree on."""
    if unit not in DISTANCE_UNITS:
        return False
    nxt = text[end : end + 20].split()
    return bool(nxt) and nxt[0].lower().strip(",.") in POSITION_WORDS


@Language.factory("storyline_figures", assigns=["doc._.sl_figures"], requires=["doc._.sl_entities", "doc._.sl_times"])
def make_figures(nlp, name):
    def component(doc):
        doc._.sl_figures = find_figures(doc)
        return doc

    return component
