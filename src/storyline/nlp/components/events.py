"""storyline_events: who did what with whom, when and where (PLOVER types).

Triggers are verbs and event nouns from the lexicon in ``storyline.nlp.plover``.
A trigger becomes an :class:`EventMention` only when the text names at least
one participant (unknown beats wrong) and it is not negated or merely wished,
planned or asked about. Participants come from the dependency parse (subject
= actor; object, "with"/"between"/"on"/"against" partner = target) resolved
to entity keys through the entity mentions; ``where`` is a GPE/LOC attached by
"in"/"at"; ``when`` is the TimeExpr attached to the trigger's clause. Public
statements give one ``STATEMENT`` per speaker and occasion, not one per quote.
"""

from __future__ import annotations

from spacy.language import Language

from ...model import EventMention, Participant
from ..eventdates import LIGHT_VERBS, DateFinder
from ..plover import HYPOTHETICAL_HEADS, OCCASIONS, SANCTION_OBJECTS, SPEECH, noun_event, verb_event
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
    for a in tok.ancestors:
        if a.lemma_.lower() in SPEECH:
            break
        low = a.lower_
        if a.pos_ == "NOUN" and noun_event(a.lemma_) is not None:
            continue  # "a phone call in which she urged ...": the call is an event, not a wish
        if a.lemma_.lower() in HYPOTHETICAL_HEADS or {low, low[:-1], low[:-2], low[:-3]} & HYPOTHETICAL_HEADS:
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


def _trigger(tok) -> tuple[str, str | None, str] | None:
    """(type, mode, kind) when ``tok`` is an event trigger in the lexicon; kind is verb, speech or noun."""
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
        found = _classify_verb(tok)
        if found is not None:
            return (*found, "verb")
        return ("STATEMENT", None, "speech") if tok.lemma_.lower() in SPEECH else None
    if tok.pos_ == "NOUN":
        found = noun_event(tok.lemma_)
        return (*found, "noun") if found else None
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


def _occasion(tok) -> str | None:
    """What distinguishes one statement occasion: an interview, a press
    conference, "previously", a day named."""
    found = None
    for c in tok.children:
        if c.dep_ in ("dobj", "dative") and c.lemma_.lower() in OCCASIONS:
            return c.lemma_.lower()
        if c.dep_ == "prep":
            for t in c.subtree:
                if t.lemma_.lower() in OCCASIONS:
                    return t.lemma_.lower()
        if c.dep_ == "advmod" and c.lower_ in ("previously", "earlier"):
            found = found or "previous"
        if c.dep_ == "npadvmod" and c.ent_type_ == "DATE":
            found = found or c.lower_
    return found


def _label(ctx, actors, verb, targets) -> str:
    a = " and ".join(ctx.names.get(k, k) for k in actors) or "someone"
    t = " and ".join(ctx.names.get(k, k) for k in targets)
    return f"{a} — {verb} — {t}" if t else f"{a} — {verb}"


def _clause(tok):
    """Characters of the clause (or sentence) that reports the trigger."""
    sent = tok.sent
    return sent.start_char, sent.end_char


def find_events(doc) -> list[EventMention]:
    """Every reported event in ``doc``, in text order."""
    ctx = _Ctx(doc)
    out: list[EventMention] = []
    statements: dict[str, set] = {}
    trigger_ids: set[int] = set()
    found_at = {tok.i: f for tok in doc if (f := _trigger(tok)) is not None}
    negated = {i for i in found_at if _negated_or_hypothetical(doc[i])}
    dates = _date_finder(ctx, found_at, negated)
    for tok in doc:
        if tok.i not in found_at or tok.i in negated:
            continue
        typ, mode, kind = found_at[tok.i]
        if kind == "noun":
            if tok.head.i in trigger_ids and tok.dep_ in ("dobj", "pobj"):
                continue  # "threatened Spain with tariffs": the verb is the event
            actors, targets, anchors = _noun_participants(ctx, tok)
            if tok.i > 0 and doc[tok.i - 1].lower_ in ("telephone", "phone"):
                mode = "phone call"
            trig_start = doc[tok.i - 1].idx if doc[tok.i - 1].lower_ in ("telephone", "phone") else tok.idx
        else:
            sub = _subject(tok)
            actors = _phrase_entities(ctx, sub, kind != "speech") if sub is not None else []
            if sub is not None and sub.dep_ == "nsubjpass":
                actors = []
                for c in tok.children:
                    if c.dep_ == "agent":
                        actors = [k for p in c.children if p.dep_ == "pobj" for k in _phrase_entities(ctx, p)]
            if not actors and ctx.quote_at(tok.idx) is not None:
                if any(t.lower_ in SELF_PRONOUNS and t.dep_ == "nsubj" for t in tok.sent):
                    actors = [ctx.quote_at(tok.idx).speaker] if ctx.quote_at(tok.idx).speaker else []
            targets = [] if kind == "speech" else _targets_of_verb(ctx, tok, typ == "DEMAND")
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
        if not actors and not targets:
            continue
        time = dates.date_of(tok, kind == "noun", kind == "speech")
        if kind == "speech":
            speaker = actors[0]
            occ = _occasion(tok) or (time.id if time else None)
            seen = statements.setdefault(speaker, set())
            if seen and (occ is None or occ in seen or None in seen):
                continue
            seen.add(occ)
        trigger_ids.add(tok.i)
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
                when=time.when if time else None,
                time=time.id if time else None,
                repeat=_repeat(tok),
            )
        )
    return out


@Language.factory(
    "storyline_events",
    assigns=["doc._.sl_events"],
    requires=["doc._.sl_entities", "doc._.sl_times", "doc._.sl_quotes"],
)
def make_events(nlp, name):
    def component(doc):
        doc._.sl_events = find_events(doc)
        return doc

    return component
