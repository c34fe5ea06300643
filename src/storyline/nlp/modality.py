"""Did it happen? The modality of an event trigger: asserted, planned, expected, possible, requested,
denied, negated or hypothetical (TimeML and FactBank draw these lines).

Used by ``storyline.nlp.components.events``. A verb's modality comes from its own auxiliaries and
negation, then from the words that govern its clause ("is expected to", "plans to", "urged X to",
"denied that"), stopping at clauses whose modality is their own (wh-clauses, relative clauses,
conjoined verbs with their own auxiliary). A noun's comes from its own modifiers ("the planned
visit", "no deal") and, as a subject or object, from its clause's verb.
"""

from __future__ import annotations

from ..lexicon import events as ev
from .eventdates import OCCUR_VERBS
from ..lexicon.plover import HYPOTHETICAL_HEADS, SPEECH, noun_event
from ..lexicon.events import DOUBT_AUX
from ..lexicon.discourse import WH_WORDS

__all__ = ["modality_of", "negated_or_hypothetical", "forms"]

DOUBT_MARK = {"whether", "if", "unless"}


def _independent(clause) -> bool:
    """A clause whose modality is its own: one asked about with a wh-word ("would not say why she
    entered rehab" presupposes that she did), a relative clause, or a conjoined verb with its own
    auxiliary or subject ("decided to try and has entered rehab")."""
    kids = list(clause.children)
    if any(c.lower_ in WH_WORDS and c.dep_ in ("advmod", "mark", "nsubj", "nsubjpass", "dobj", "attr") for c in kids):
        return True
    if clause.dep_ in ("relcl", "acl"):
        return True
    return clause.dep_ == "conj" and any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in kids)


def negated_or_hypothetical(tok) -> bool:
    """Negated, doubted or under a wish, plan or refusal (a verb only: the fallback of ``modality_of``)."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.dep_ == "aux" and c.lower_ in DOUBT_AUX for c in tok.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in DOUBT_MARK for c in tok.children):
        return True
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("nsubj", "nsubjpass", "attr", "dobj"):
        head = tok.head
        if any(c.dep_ == "neg" or (c.dep_ == "mark" and c.lower_ in DOUBT_MARK) for c in head.children):
            return True
        if any(c.lower_ in ("possible", "impossible") for c in head.children) and any(c.dep_ == "neg" for c in head.children):
            return True
    child = tok
    for a in tok.ancestors:
        if a.lemma_.lower() in SPEECH or _independent(child):
            break
        child = a
        low = a.lower_
        if a.pos_ == "NOUN" and noun_event(a.lemma_) is not None:
            continue  # "a phone call in which she urged ...": the call is an event, not a wish
        if a.lemma_.lower() in HYPOTHETICAL_HEADS or low in HYPOTHETICAL_HEADS:  # lemma or word, never a prefix
            return True
    return False


def _governor(tok):
    """The verb whose clause a trigger noun or adjective belongs to."""
    h = tok
    for _ in range(4):
        if h.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "acomp", "oprd", "prep", "compound", "amod", "appos", "conj"):
            h = h.head
            if h.pos_ in ("VERB", "AUX"):
                return h
        else:
            break
    return h if h.pos_ in ("VERB", "AUX") else None


def modality_of(tok, kind: str) -> str:
    """What the text says of the happening: asserted, or planned, expected, possible,
    requested, denied, negated, hypothetical (TimeML/FactBank distinctions)."""
    kids = list(tok.children)
    lows = {c.lower_ for c in kids}
    if kind in ("noun", "adj"):
        if any(c.dep_ == "det" and c.lower_ == "no" for c in kids):
            return "negated"
        for c in kids:
            if c.dep_ == "amod":
                lemma = c.lemma_.lower()
                if lemma in ev.PLAN_WORDS or c.lower_ in ev.PLAN_WORDS:
                    return "planned"
                if lemma in ev.EXPECT_WORDS or c.lower_ in ("expected", "anticipated"):
                    return "expected"
                if c.lower_ in ev.POSSIBLE_WORDS:
                    return "possible"
        gov = _governor(tok)
        if gov is None or gov.lemma_.lower() in SPEECH:
            return "asserted"
        if tok.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr", "conj", "appos", "compound", "amod"):
            return "asserted"  # "despite his arrest, he will not play": the clause's negation is not the arrest's
        if tok.dep_ in ("nsubj", "nsubjpass") and gov.lemma_.lower() not in OCCUR_VERBS | {"be"}:
            return "asserted"  # "the arrest will not affect his status": not affecting, but arrested all the same
        if gov.lemma_.lower() in ev.PLAN_WORDS and tok.dep_ == "dobj":
            return "planned"
        if gov.lemma_.lower() in ev.REQUEST_WORDS and tok.dep_ in ("dobj", "pobj"):
            return "requested"
        if gov.lemma_.lower() in ev.DENY_VERBS and tok.dep_ == "dobj":
            return "denied"
        return modality_of(gov, "verb") if gov.lemma_.lower() not in ev.NON_EVENT_VERBS or gov.lemma_.lower() in ("be", "have") else _cue_modality(gov) or "asserted"
    if any(c.dep_ == "neg" for c in kids) or "never" in lows:
        return "negated"
    if any(c.dep_ == "mark" and c.lower_ in ev.HYPOTHETICAL_MARKS for c in kids):
        return "hypothetical"
    if any(c.dep_ == "aux" and c.lower_ in ev.POSSIBLE_WORDS for c in kids):
        return "possible"
    if any(c.dep_ == "aux" and c.lower_ in ev.FUTURE_AUX for c in kids):
        return "planned"
    if any(c.dep_ == "aux" and c.lower_ == "would" for c in kids):
        # reported future ("announced it would cease"): a plan; otherwise a conditional
        return "planned" if tok.dep_ in ("ccomp", "conj") else "hypothetical"
    return _cue_modality(tok) or "asserted"


def forms(tok) -> set[str]:
    """The lemma and plain suffix-stripped forms of a word: the small model's lemmatizer
    slips on some verbs ("hopes" -> "hop"), and a cue word must still count."""
    low = tok.lower_
    out = {tok.lemma_.lower(), low}
    for suf, add in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if low.endswith(suf) and len(low) > len(suf) + 2:
            out.add(low[: -len(suf)] + add)
    return out


def _cue_modality(tok) -> str | None:
    """Modality from the words that govern ``tok``: "is expected to be indicted",
    "plans to visit", "urged X to resign", "denied that he took", "may have"."""
    h = tok
    for _ in range(4):
        if h.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "auxpass", "pcomp") or h.head.i == h.i:
            return None
        if _independent(h):
            return None
        if h.dep_ == "conj":
            h = h.head
            continue
        gov = h.head
        low, words = gov.lower_, forms(gov)
        if any(c.dep_ == "neg" for c in gov.children) and not words & SPEECH:
            return "negated"
        if words & ev.DENY_VERBS and h.dep_ == "ccomp":
            return "denied"
        if words & ev.EXPECT_WORDS:
            return "expected"
        if words & ev.PLAN_WORDS or low in ("set", "scheduled", "going"):
            return "planned"
        if words & ev.REQUEST_WORDS and h.dep_ == "xcomp" or words & {"want", "wish", "hope"}:
            return "requested"
        if words & ev.POSSIBLE_WORDS:
            return "possible"
        if words & {"try", "attempt", "seek", "refuse"}:
            return "hypothetical"
        if "fail" in words:
            return "negated"
        if words & SPEECH or words & {"announce", "confirm", "report"}:
            if h.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ in ("would", "will") for c in tok.children):
                return "planned"
            return None
        if h.dep_ in ("ccomp", "advcl"):
            return None
        h = gov
    return None
