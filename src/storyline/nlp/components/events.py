"""storyline_events: every reported happening, with its trigger, class, roles,
modality, date and salience.

Triggers: verbs (not states, attitudes or modality cues: ``NON_EVENT_VERBS``),
event nouns (``storyline.lexicon.events``, PLOVER's nouns, and nominalisations
of verbs the base pipeline's lemmatizer knows: "negotiation", "shooting"),
outcome adjectives ("dead", "guilty"); a light verb and its event noun are one
trigger ("held talks", "delivered a threat"). Reporting verbs are
``STATEMENT`` events, never the event they report. Class: PLOVER where the word fits
and participants are named, else a general class (legal steps, votes,
elections, deaths, disasters, business, ...), else ``OTHER`` with the lemma.

Roles by meaning: active subject = actor, object = target; passive subject =
target, "by" agent = actor; for a noun, its possessor or "of" phrase is who it
happened to when the class is one that happens to someone ("Hunter's
indictment"). Modality follows TimeML/FactBank: asserted, planned, expected,
possible, requested, denied, negated, hypothetical. Date: the time expression
tied to the clause (``storyline.nlp.eventdates``); with none, a happening told
as done is bounded above by the publication date, and one told as planned or
expected below it. Salience ranks mentions
within the document (1 = the main event: what the opening reports).
"""

from __future__ import annotations

from spacy.language import Language

import dataclasses
import re
from datetime import date as _date
from datetime import timedelta as _timedelta

from ...lexicon import events as ev
from ...model import EventMention, Participant, When
from ..eventdates import LIGHT_VERBS, OCCUR_VERBS, DateFinder
from ..numbers import QUALIFIERS, parse_number
from ..plover import HYPOTHETICAL_HEADS, PLOVER_TYPES, SANCTION_OBJECTS, SPEECH, noun_event, verb_event
from ..util import entity_at, make_span

__all__ = ["find_events", "make_events"]

MODIFIER_DEPS = {"compound", "nmod", "amod", "poss", "npadvmod"}
DOUBT_AUX = {"may", "might", "could", "should"}
DOUBT_MARK = {"whether", "if", "unless"}
REPEAT_WORDS = {"again", "second", "third", "fourth", "another", "fresh", "renewed"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
SELF_PRONOUNS = {"i", "we", "me", "us", "my", "our"}
TARGET_PREPS = {"with", "between", "against", "on", "to", "among"}


class _Ctx:
    """Per-document lookups shared by every trigger."""

    def __init__(self, doc):
        self.doc = doc
        self.types = {e.key: e.type for e in doc._.sl_entities or ()}
        self.names = {e.key: e.name for e in doc._.sl_entities or ()}
        self.quotes = doc._.sl_quotes or ()
        self.times = [t for t in doc._.sl_times or () if t.type in ("DATE", "TIME")]

    def entity(self, tok, types=None):
        return entity_at(self.doc, tok.idx, tok.idx + len(tok.text), types)

    def quote_at(self, char: int):
        for q in self.quotes:
            if q.span.start <= char < q.span.end:
                return q
        return None


def _entities_in(ctx: _Ctx, node, allow_mods: bool = True) -> list[str]:
    """Entity keys the phrase headed by ``node`` names: the head and its
    conjuncts and appositions ("X and Y", "ministers, X and Y"), not what
    modifies them ("US" in "US President Donald Trump", "Venezuela" in
    "permits to operate in Venezuela"). Direct modifiers ("Spain's top
    diplomat") count only when nothing else is named and ``allow_mods``."""
    heads, mods = [], []
    for t in node.subtree:
        if t.is_punct:
            continue
        ent = ctx.entity(t)
        if ent is None:
            continue
        path, h = [], t
        while h.i != node.i and h.head is not h:
            path.append(h)
            h = h.head
        if h.i != node.i:
            continue
        # the mention's own internal edges (compound "Marco" -> "Rubio") do not count
        outer = [x for x in path if ctx.entity(x.head) is not ent or x.head.i == node.i]
        if all(x.dep_ in ("conj", "appos", "flat") for x in outer):
            heads.append(ent.key)
        elif len(outer) == 1 and outer[0].dep_ in MODIFIER_DEPS:
            # "Rubio's deputy" is not Rubio: a person's possessive names someone else
            if not (outer[0].dep_ == "poss" and ctx.types.get(ent.key) == "PERSON"):
                mods.append(ent.key)
    out = heads or (mods if allow_mods else [])
    return list(dict.fromkeys(out))


def _person(ctx: _Ctx, t) -> str | None:
    ent = ctx.entity(t)
    return ent.key if ent is not None and ctx.types.get(ent.key) == "PERSON" else None


def _pronoun_entity(ctx: _Ctx, tok) -> str | None:
    """A cheap antecedent for an unresolved pronoun: I/we in a quote -> its
    speaker; it/they in a reported clause -> the reporting subject; he/she ->
    the main subject of this sentence, else a person named before it, else
    the main subject of the previous sentence (all PERSON)."""
    low = tok.lower_
    if low in SELF_PRONOUNS:
        q = ctx.quote_at(tok.idx)
        return q.speaker if q is not None else None
    if low in ("it", "they"):
        gov = tok.head
        if gov.dep_ == "ccomp":
            for c in gov.head.children:
                if c.dep_ == "nsubj":
                    ent = ctx.entity(c, ("GPE", "ORG"))
                    if ent is not None:
                        return ent.key
        return None
    if low not in PERSON_PRONOUNS:
        return None
    sent = tok.sent
    before = [t for t in sent if t.i < tok.i and _person(ctx, t)]
    main = [t for t in before if t.head.dep_ == "ROOT" and t.dep_ == "nsubj" or (t.head.dep_ == "nsubj" and t.head.head.dep_ == "ROOT")]
    pick = main[-1:] or before[-1:]
    if not pick and sent.start > 0:
        prev = ctx.doc[sent.start - 1].sent
        pick = [t for t in prev if _person(ctx, t) and (t.dep_ == "nsubj" or t.head.dep_ == "nsubj")][-1:]
    return _person(ctx, pick[0]) if pick else None


def _phrase_entities(ctx: _Ctx, node, allow_mods: bool = True) -> list[str]:
    if node.pos_ == "PRON":
        ent = ctx.entity(node)
        if ent is not None:
            return [ent.key]
        key = _pronoun_entity(ctx, node)
        return [key] if key else []
    return _entities_in(ctx, node, allow_mods)


def _subject(tok):
    """The subject token of a verb, inherited through conjunction and control."""
    h = tok
    for _ in range(6):
        for c in h.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return c
        if h.dep_ in ("conj", "xcomp", "advcl") and h.head is not h:
            h = h.head
            continue
        if h.dep_ == "pcomp" and h.head.head is not h.head:  # "work on providing"
            h = h.head.head
            continue
        break
    return None


WH_WORDS = frozenset({"why", "what", "when", "where", "how", "who", "whom", "which"})


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


def _negated_or_hypothetical(tok) -> bool:
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


def _classify_verb(tok):
    """(type, mode) for a verb trigger, or None; context-dependent verbs here."""
    lemma = tok.lemma_.lower()
    kids = list(tok.children)
    preps = {c.lower_ for c in kids if c.dep_ == "prep"} | {c.lower_ for c in kids if c.dep_ == "prt"}
    objs = [c for c in kids if c.dep_ == "dobj"]
    if lemma == "call":
        if "on" in preps or "for" in preps:
            return ("DEMAND", None)
        if objs and objs[0].ent_type_ in ("PERSON", "ORG", "GPE") and not any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in kids):
            return ("CONSULT", "phone call")
        return None
    if lemma in ("announce", "impose", "threaten") and any(o.lemma_.lower() in SANCTION_OBJECTS for o in objs):
        return ("SANCTION", None) if lemma != "threaten" else ("THREATEN", None)
    found = verb_event(lemma)
    if found is None:
        return None
    typ, mode = found
    if lemma == "meet" and objs and not objs[0].ent_type_ and objs[0].pos_ != "PRON":
        return None  # "meet the target", "meet NATO needs"
    if lemma in ("discuss", "talk", "speak"):
        sub = _subject(tok)
        plural = sub is not None and any(c.dep_ == "conj" for c in sub.children)
        if not ({"with", "by"} & preps) and not plural:
            return None
        sub_phone = any(t.lower_ in ("phone", "telephone") for c in kids if c.dep_ == "prep" for t in c.subtree)
        return ("CONSULT", "phone call" if sub_phone else ("meeting" if lemma == "talk" else None))
    if lemma in ("ask", "urge", "press") and not any(c.dep_ in ("xcomp", "ccomp") for c in kids):
        return None
    if lemma == "pull" and "out" not in preps:
        return None
    if lemma == "warn" and not any(o.ent_type_ for o in objs):
        return None
    if lemma == "commit" and not ({"to"} & preps or any(c.dep_ == "xcomp" for c in kids)):
        return None
    return typ, mode


def _targets_of_verb(ctx, tok, demand: bool = False) -> list[str]:
    out: list[str] = []
    for c in tok.children:
        if c.dep_ in ("dobj", "dative", "attr"):
            out += _phrase_entities(ctx, c)
        elif c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    out += _phrase_entities(ctx, p)
        elif c.dep_ in ("xcomp", "ccomp") and demand:
            for s in c.children:
                if s.dep_ == "nsubj":
                    out += _phrase_entities(ctx, s)
    return out


STOP_PREPS = {"in", "at", "on", "during", "as", "since", "after", "before", "over", "about", "to", "from", "amid"}


def _between_list(ctx, prep) -> list[str]:
    """Entities listed after "between" read left to right: a fallback for
    long lists the parser splits ("between European leaders, Ukrainian
    President Volodymyr Zelenskiy and US President Donald Trump")."""
    out = []
    doc = ctx.doc
    for t in doc[prep.i + 1 : prep.sent.end]:
        if t.pos_ in ("VERB", "AUX") or t.lower_ in (".", ";", "(") or (t.pos_ == "ADP" and t.lower_ in STOP_PREPS):
            break
        ent = ctx.entity(t)
        if ent is None or (t.i + 1 < len(doc) and ctx.entity(doc[t.i + 1]) is ent):
            continue  # only the mention's last token decides
        root = t
        while root.head is not root and ctx.entity(root.head) is ent:
            root = root.head
        if root.dep_ in MODIFIER_DEPS or (root.dep_ == "pobj" and root.head.lower_ == "of"):
            continue
        out.append(ent.key)
    return list(dict.fromkeys(out))


def _noun_participants(ctx, tok) -> tuple[list[str], list[str], list]:
    """(actors, targets, anchor tokens) for an event noun."""
    actors, targets, anchors = [], [], [tok]
    for c in tok.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.ent_type_):
            actors += _phrase_entities(ctx, c) if c.pos_ == "PRON" else [k for k in [getattr(ctx.entity(c), "key", None)] if k]
        elif c.dep_ == "prep":
            pobjs = [p for p in c.children if p.dep_ == "pobj"]
            listed = _between_list(ctx, c) if c.lower_ == "between" else []
            targets += listed
            for p in [] if listed else pobjs:
                if c.lower_ == "by":
                    actors += _phrase_entities(ctx, p)
                elif c.lower_ in TARGET_PREPS:
                    targets += _phrase_entities(ctx, p)
                elif c.lower_ in ("in", "at"):  # "meeting in Washington between X and Y"
                    for pp in p.children:
                        listed = _between_list(ctx, pp) if pp.dep_ == "prep" and pp.lower_ == "between" else []
                        targets += listed
                        if pp.dep_ == "prep" and pp.lower_ in ("between", "with") and not listed:
                            targets += [k for o in pp.children if o.dep_ == "pobj" for k in _phrase_entities(ctx, o)]
        elif c.dep_ == "acl":
            anchors.append(c)
            for p in c.children:
                listed = _between_list(ctx, p) if p.dep_ == "prep" and p.lower_ == "between" else []
                targets += listed
                if p.dep_ == "prep" and p.lower_ in ("between", "with") and not listed:
                    for o in p.children:
                        if o.dep_ == "pobj":
                            targets += _phrase_entities(ctx, o)
    head = tok.head
    if tok.dep_ == "dobj" and head.lemma_.lower() in LIGHT_VERBS:
        anchors.append(head)
        sub = _subject(head)
        if sub is not None:
            actors += _phrase_entities(ctx, sub)
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "between"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        targets += _phrase_entities(ctx, p)
    return actors, targets, anchors


def _where(ctx, anchors) -> str | None:
    """A GPE/LOC attached by "in"/"at" to the trigger, or to its object or
    partner ("met with X in London" often hangs "in London" on X)."""
    extra = [p for a in anchors for c in a.children if c.dep_ == "prep" and c.lower_ in ("with", "between")
             for p in c.children if p.dep_ == "pobj"]
    extra += [c for a in anchors for c in a.children if c.dep_ == "dobj"]
    for a in [*anchors, *extra]:
        for c in a.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                for t in c.subtree:
                    ent = ctx.entity(t, ("GPE", "LOC"))
                    if ent is not None:
                        return ent.key
    return None


class _Lexicon:
    """Trigger lookups for one pipeline: our word tables plus the verbs the
    base pipeline's lemmatizer knows (for "negotiation" -> "negotiate")."""

    def __init__(self, verbs: frozenset[str] = frozenset()):
        self.verbs = verbs

    def noun_stem(self, lemma: str) -> str | None:
        """The verb a noun names the act of, when it is a nominalisation of a known verb."""
        if lemma in ev.NON_EVENT_NOMINALS:
            return None
        for stem in ev.nominal_stems(lemma):
            if stem in self.verbs and stem not in ev.NON_EVENT_VERBS:
                return stem
        return None


def _class(lemma: str, stem: str | None, pos: str) -> tuple[str, str | None]:
    """(class, mode): PLOVER where the lexicon has the word, else a general class, else OTHER."""
    if pos == "NOUN" and lemma in ev.NOUN_CLASS_OF:
        return ev.NOUN_CLASS_OF[lemma], None
    found = noun_event(lemma) if pos == "NOUN" else verb_event(lemma)
    if found is None and stem:
        found = verb_event(stem)
    if found is not None:
        return found
    for w in (lemma, stem):
        if w and w in ev.CLASS_OF:
            return ev.CLASS_OF[w], None
    return "OTHER", None


def _trigger(tok, lex: _Lexicon) -> tuple[str, str | None, str, str] | None:
    """(type, mode, kind, concept) when ``tok`` names a happening; kind is verb, speech, noun or adj."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
        if lemma in SPEECH:
            return ("STATEMENT", None, "speech", lemma)
        if lemma == "accord" and tok.dep_ == "prep":
            return ("STATEMENT", None, "speech", "say")  # "according to police": the police said
        if _forms(tok) & ev.NON_EVENT_VERBS or (tok.dep_ == "prep" and tok.tag_ == "VBG"):
            return None  # "including", "following"
        found = _classify_verb(tok)
        if found is None:
            found = _class(lemma, None, "VERB")
            if found[0] in PLOVER_TYPES:  # a PLOVER verb whose context rules it out ("meet the target")
                found = ("OTHER", None)
        return (*found, "verb", ev.concept(lemma))
    if tok.pos_ == "NOUN":
        stem = None if lemma in ev.EVENT_NOUNS or noun_event(lemma) or lemma in ev.CLASS_OF else lex.noun_stem(lemma)
        if stem is None and lemma not in ev.EVENT_NOUNS and noun_event(lemma) is None and lemma not in ev.CLASS_OF:
            return None
        typ, mode = _class(lemma, stem, "NOUN")
        return (typ, mode, "noun", ev.concept(lemma, stem))
    if tok.pos_ == "ADJ" and lemma in ev.EVENT_ADJECTIVES:
        typ, mode = _class(lemma, None, "ADJ")
        return (typ, mode, "adj", ev.concept(lemma))
    return None


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


def _modality(tok, kind: str) -> str:
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
        return _modality(gov, "verb") if gov.lemma_.lower() not in ev.NON_EVENT_VERBS or gov.lemma_.lower() in ("be", "have") else _cue_modality(gov) or "asserted"
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


def _forms(tok) -> set[str]:
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
        if h.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "auxpass", "pcomp") or h.head is h:
            return None
        if _independent(h):
            return None
        if h.dep_ == "conj":
            h = h.head
            continue
        gov = h.head
        low, forms = gov.lower_, _forms(gov)
        if any(c.dep_ == "neg" for c in gov.children) and not forms & SPEECH:
            return "negated"
        if forms & ev.DENY_VERBS and h.dep_ == "ccomp":
            return "denied"
        if forms & ev.EXPECT_WORDS:
            return "expected"
        if forms & ev.PLAN_WORDS or low in ("set", "scheduled", "going"):
            return "planned"
        if forms & ev.REQUEST_WORDS and h.dep_ == "xcomp" or forms & {"want", "wish", "hope"}:
            return "requested"
        if forms & ev.POSSIBLE_WORDS:
            return "possible"
        if forms & {"try", "attempt", "seek", "refuse"}:
            return "hypothetical"
        if "fail" in forms:
            return "negated"
        if forms & SPEECH or forms & {"announce", "confirm", "report"}:
            if h.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ in ("would", "will") for c in tok.children):
                return "planned"
            return None
        if h.dep_ in ("ccomp", "advcl"):
            return None
        h = gov
    return None


def _date_finder(ctx: _Ctx, found_at: dict, negated: set[int]) -> DateFinder:
    """Date lookups for this document: every trigger competes for a sentence's
    only date; CONSULT triggers that are not negated can be referred back to."""
    doc = ctx.doc
    triggers = {i: f[1] for i, f in found_at.items()}
    antecedents = {i: f[1] for i, f in found_at.items() if f[0] == "CONSULT" and i not in negated}
    direct = [(q.span.start, q.span.end) for q in ctx.quotes if q.kind == "direct"]
    published = doc._.sl_published
    latest = published.when.latest if published is not None else None
    return DateFinder(doc, ctx.times, triggers, antecedents, direct, latest)


def _repeat(tok) -> bool:
    if any(c.lower_ in REPEAT_WORDS for c in tok.children):
        return True
    h = tok.head
    return h.lemma_.lower() == "time" and any(c.lower_ in REPEAT_WORDS for c in h.children)


def _label(ctx, actors, verb, targets) -> str:
    a = " and ".join(ctx.names.get(k, k) for k in actors) or "someone"
    t = " and ".join(ctx.names.get(k, k) for k in targets)
    return f"{a} — {verb} — {t}" if t else f"{a} — {verb}"


def _clause(tok):
    """Characters of the clause (or sentence) that reports the trigger."""
    sent = tok.sent
    return sent.start_char, sent.end_char


# what a happening's size is counted in; the counted noun, or "magnitude" for a quake's strength
COUNTED = {"ASSAULT", "DIE", "INJURE", "ARREST", "CHARGE", "DISASTER", "ACCIDENT", "FIGHT", "CRIME", "OTHER"}
HEDGES = frozenset(w for q in QUALIFIERS for w in [q])


def _count(doc, tok, typ: str) -> tuple | None:
    """(span, value, what, hedged) for the number that sizes a happening: the numeral of its
    object or subject ("killed 12 people", "12 people died", "12 dead") or a quake's magnitude
    ("a magnitude 6.1 earthquake", "6.1-magnitude quake", "measured 6.1")."""
    if typ not in COUNTED:
        return None
    nouns = []
    if tok.pos_ in ("VERB", "AUX"):
        nouns = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
    elif tok.pos_ == "ADJ":
        nouns = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")] + [tok.head]
    else:
        nouns = [tok] + [c for c in tok.children if c.dep_ in ("compound", "nmod")]
    for n in nouns:
        for c in n.children:
            if c.dep_ == "nummod" and c.like_num and c.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
                value = parse_number(c.text)
                if value is None:
                    continue
                what = n.lemma_.lower()
                if what in ("magnitude", "earthquake", "quake", "temblor", "tremor", "aftershock"):
                    if value >= 10 or "." not in c.text:
                        continue  # "6 earthquakes" counts quakes; a magnitude is "6.1"
                    what = "magnitude"  # "a magnitude 6.1 earthquake"
                start = c.i
                while start > 0 and (doc[start - 1].dep_ in ("quantmod", "advmod") or doc[start - 1].lower_ in ("at", "least", "than")) and doc[start - 1].head.i in (c.i, start):
                    start -= 1
                hedge = doc[start : c.i].text.lower()
                hedged = any(h in hedge for h in HEDGES) or start < c.i
                return make_span(doc, c.idx, c.idx + len(c.text)), value, what, hedged
    if tok.lemma_.lower() in ("earthquake", "quake", "temblor", "tremor", "aftershock"):
        for t in doc[max(0, tok.i - 6) : min(len(doc), tok.i + 12)]:
            if t.like_num and t.sent == tok.sent and "." in t.text and (value := parse_number(t.text)) is not None and value < 10:
                near = doc[max(0, t.i - 3) : t.i + 3].text.lower()
                if "magnitude" in near or "richter" in near or "measur" in near:
                    hedged = any(h in near for h in ("about", "around", "preliminary", "estimated"))
                    return make_span(doc, t.idx, t.idx + len(t.text)), value, "magnitude", hedged
    return None


def _count_fields(doc, tok, typ: str) -> dict:
    found = _count(doc, tok, typ)
    if found is None:
        return {}
    span, value, what, hedged = found
    return {"count": span, "count_value": value, "count_of": what, "count_hedged": hedged}


def _light_object(tok, found_at: dict):
    """The event noun a light verb takes ("held talks", "launched an attack", "delivered a threat")."""
    if tok.lemma_.lower() not in ev.LIGHT_VERBS and tok.lemma_.lower() not in LIGHT_VERBS:
        return None
    for c in tok.children:
        if c.dep_ == "dobj" and c.i in found_at and found_at[c.i][2] == "noun" and 0 < c.i - tok.i <= 4:
            return c
    return None


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
_LATER = re.compile(r"\b(an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(day|week|month)s?\s+"
                    r"(?:later|after\s+(?:the|his|her|their|its)\b)", re.IGNORECASE)
_NEXT = re.compile(r"\bthe\s+(?:next|following)\s+(day|morning|week)\b|\bthe\s+day\s+after\b", re.IGNORECASE)


def _after_previous(mentions: list[EventMention]) -> list[EventMention]:
    """Dates that count from the event told before: "a week later", "the next day", "two days after
    the arrest". Each undated mention whose sentence says so takes the day of the nearest earlier
    mention dated to the day, shifted; with no such mention it stays undated (never counted from the
    report's own date)."""
    out = []
    for i, m in enumerate(mentions):
        if m.when is not None and m.when.value:
            out.append(m)
            continue
        text = m.span.text
        hit = _LATER.search(text)
        step = None
        if hit and "after" in hit.group(0).lower():
            end = text.find(",", hit.end())
            if m.span.start + hit.start() <= m.trigger.start < m.span.start + (end if end > 0 else hit.end() + 25):
                out.append(m)  # "two days after the arrest": the arrest is what it counts from
                continue
        if hit:
            n = _NUMBER_WORDS.get(hit.group(1).lower()) or (int(hit.group(1)) if hit.group(1).isdigit() else None)
            step = (n, hit.group(2).lower()) if n else None
        elif (nxt := _NEXT.search(text)) is not None:
            step = (1, "week" if (nxt.group(1) or "").lower() == "week" else "day")
        anchor = next((a for a in reversed(out) if a.when is not None and a.when.value and len(a.when.value) == 10
                       and a.span.start < m.span.start), None) if step else None
        if anchor is None:
            out.append(m)
            continue
        n, unit = step
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
        out.append(dataclasses.replace(m, when=when))
    return out


def _salience(doc, mentions: list[EventMention], found_at: dict) -> list[EventMention]:
    """Rank each mention within the document; 1 is the main event: what the title and
    first paragraph report, classed, with participants and told more than once."""
    if not mentions:
        return mentions
    first_sents = []
    for sent in doc.sents:
        first_sents.append((sent.start_char, sent.end_char))
        if len(first_sents) == 3:
            break
    concepts = {}
    for m in mentions:
        concepts[m.concept] = concepts.get(m.concept, 0) + 1

    def score(m: EventMention) -> tuple:
        pos = next((i for i, (a, b) in enumerate(first_sents) if a <= m.trigger.start < b), 3)
        told = min(concepts.get(m.concept, 1), 4)
        return (
            -(3 - pos) * 2
            - (m.type not in ("OTHER", "STATEMENT")) * 2
            - (m.type != "STATEMENT") * 2
            - bool(m.participants)
            - (m.modality == "asserted")
            - told,
            m.trigger.start,
        )

    order = sorted(range(len(mentions)), key=lambda i: score(mentions[i]))
    rank = {i: r + 1 for r, i in enumerate(order)}
    return [dataclasses.replace(m, salience=rank[i]) for i, m in enumerate(mentions)]


def find_events(doc, lex: _Lexicon | None = None) -> list[EventMention]:
    """Every reported happening in ``doc``, in text order, with its modality and salience."""
    lex = lex or _Lexicon()
    ctx = _Ctx(doc)
    out: list[EventMention] = []
    found_at = {tok.i: f for tok in doc if (f := _trigger(tok, lex)) is not None}
    light = {}
    for i in list(found_at):
        obj = _light_object(doc[i], found_at)
        if obj is not None:
            light[obj.i] = doc[i]
            del found_at[i]  # the noun names the happening; the verb only carries it
    modality = {i: _modality(doc[i], found_at[i][2]) for i in found_at}
    for i, m in modality.items():
        # verbs only: a noun's modality is its own ("tried to put out the fire": the fire is real)
        if m == "asserted" and found_at[i][2] in ("verb", "speech") and _negated_or_hypothetical(doc[i]):
            modality[i] = "hypothetical"  # under a wish, a plan or a refusal: not told as done
    negated = {i for i, m in modality.items() if m != "asserted"}
    dates = _date_finder(ctx, found_at, negated)  # every trigger competes for a sentence's only date
    published = doc._.sl_published
    upper = published.when.latest if published is not None and published.when is not None else None
    lower = published.when.earliest if published is not None and published.when is not None else None
    for tok in doc:
        if tok.i not in found_at:
            continue
        typ, mode, kind, key = found_at[tok.i]
        if kind in ("noun", "adj"):
            actors, targets, anchors = _noun_participants(ctx, tok)
            if typ in ev.PATIENT_CLASSES and kind == "noun":
                # "Hunter's indictment", "the arrest of X": who it happened to
                poss = [k for c in tok.children if c.dep_ == "poss" for k in _phrase_entities(ctx, c)]
                of = [k for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj" for k in _phrase_entities(ctx, p)]
                targets = list(dict.fromkeys(poss + of + targets))
                actors = [k for k in actors if k not in targets]
            if kind == "adj":
                sub = _subject(tok.head) if tok.dep_ in ("acomp", "oprd") else None
                targets = _phrase_entities(ctx, sub) if sub is not None else []
                actors = []
            if tok.i > 0 and doc[tok.i - 1].lower_ in ("telephone", "phone"):
                mode = "phone call"
            trig_start = doc[tok.i - 1].idx if tok.i > 0 and doc[tok.i - 1].lower_ in ("telephone", "phone") else tok.idx
            if tok.i in light:
                verb = light[tok.i]
                trig_start = min(trig_start, verb.idx)
                key = ev.LIGHT_CONCEPTS.get((verb.lemma_.lower(), tok.lemma_.lower()), key)
                anchors.append(verb)
                sub = _subject(verb)
                if sub is not None and not actors:
                    actors = _phrase_entities(ctx, sub)
        else:
            sub = _subject(tok)
            actors = _phrase_entities(ctx, sub, kind != "speech") if sub is not None else []
            passive = sub is not None and sub.dep_ == "nsubjpass"
            if passive:
                # "X was indicted by a grand jury": the grand jury acts, X is acted upon
                targets_p = actors
                actors = [k for c in tok.children if c.dep_ == "agent"
                          for p in c.children if p.dep_ == "pobj" for k in _phrase_entities(ctx, p)]
            if not actors and ctx.quote_at(tok.idx) is not None:
                if any(t.lower_ in SELF_PRONOUNS and t.dep_ == "nsubj" for t in tok.sent):
                    actors = [ctx.quote_at(tok.idx).speaker] if ctx.quote_at(tok.idx).speaker else []
            if tok.lemma_.lower() == "accord":  # "according to X": X speaks
                actors = [k for c in tok.children if c.dep_ == "prep"
                          for p in c.children if p.dep_ == "pobj" for k in _phrase_entities(ctx, p)]
            targets = [] if kind == "speech" else _targets_of_verb(ctx, tok, typ == "DEMAND")
            if passive:
                targets = list(dict.fromkeys(targets_p + targets))
            anchors = [tok]
            trig_start = tok.idx
        if typ == "CONSULT" and len(actors) > 1 and not targets:
            actors, targets = actors[:1], actors[1:]
        if typ == "CONSULT" and not actors and len(targets) > 1:  # "between X and Y"
            actors, targets = targets[:1], targets[1:]
        targets = [k for k in dict.fromkeys(targets) if k not in actors]
        actors = list(dict.fromkeys(actors))
        where = _where(ctx, anchors)
        targets = [k for k in targets if k != where]
        if typ in PLOVER_TYPES and typ != "STATEMENT" and not actors and not targets:
            typ = "OTHER"  # a political class says who did what to whom; with nobody named, say less
        time = dates.date_of(tok, kind in ("noun", "adj"), kind == "speech")
        when = time.when if time and time.when.known else None
        if when is None and modality[tok.i] == "asserted" and upper:
            when = When(None, None, upper)  # told as done or going on: no later than the report
        elif when is None and modality[tok.i] in ("planned", "expected") and lower:
            when = When(None, lower, None)  # still to come when the report was written
        start, end = _clause(tok)
        verb = mode or (tok.lemma_.lower() if typ != "STATEMENT" else "statement")
        participants = tuple(Participant(k, "actor") for k in actors) + tuple(Participant(k, "target") for k in targets)
        out.append(
            EventMention(
                span=make_span(doc, start, end),
                id=f"v{len(out)}",
                type=typ,
                trigger=make_span(doc, trig_start, tok.idx + len(tok.text)),
                label=_label(ctx, actors, verb, targets),
                mode=mode,
                participants=participants,
                where=where,
                when=when,
                time=time.id if time else None,
                repeat=_repeat(tok),
                modality=modality[tok.i],
                concept=key,
                **_count_fields(doc, tok, typ),
            )
        )
    return _salience(doc, _after_previous(out), found_at)


@Language.factory(
    "storyline_events",
    assigns=["doc._.sl_events"],
    requires=["doc._.sl_entities", "doc._.sl_times", "doc._.sl_quotes"],
)
def make_events(nlp, name):
    lex = _Lexicon(_known_verbs(nlp))

    def component(doc):
        doc._.sl_events = find_events(doc, lex)
        return doc

    return component


def _known_verbs(nlp) -> frozenset[str]:
    """The verbs the base pipeline's lemmatizer knows (its WordNet index), or none."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(table["verb"])
    except (KeyError, ValueError, AttributeError):
        return frozenset()
