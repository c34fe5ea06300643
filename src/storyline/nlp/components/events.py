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
from spacy.symbols import ADJ, NOUN, VERB

from ...lexicon import events as ev
from ...model import EventMention, Participant, When
from ..eventcount import count_fields
from ..eventdates import LIGHT_VERBS, DateFinder, after_previous
from ..modality import forms, modality_of, negated_or_hypothetical
from ...lexicon.plover import PLOVER_TYPES, SANCTION_OBJECTS, SPEECH, noun_event, verb_event
from ..util import entity_in, mention_index, replaced, sentence_index, sentence_of, sentences, span_maker
from ...lexicon.events import REPEAT_WORDS
from ...lexicon.names import PERSON_PRONOUNS
from ...lexicon.names import SELF_PRONOUNS
from ...lexicon.events import TARGET_PREPS
from ...lexicon.events import STOP_PREPS

__all__ = ["find_events", "make_events"]

MODIFIER_DEPS = {"compound", "nmod", "amod", "poss", "npadvmod"}
_MAX_NOUNS = 50_000  # nouns whose trigger a pipeline keeps (a bound on memory, not a tuned figure)
_TRIGGER_POS = frozenset({VERB, NOUN, ADJ})  # the parts of speech _trigger looks at (its first test)


class _Ctx:
    """Per-document lookups shared by every trigger."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.types = {e.key: e.type for e in doc._.sl_entities or ()}
        self.names = {e.key: e.name for e in doc._.sl_entities or ()}
        self.quotes = doc._.sl_quotes or ()
        self.times = [t for t in doc._.sl_times or () if t.type in ("DATE", "TIME")]
        self._entity_of: dict = {}  # (token index, types) -> entity: phrases walk the same tokens again
        self._mentions = mention_index(doc)
        self.span = span_maker(doc)
        self._alpha: dict[int, int] = {}  # sentence index -> its alphabetic tokens

    def entity(self, tok, types=None):
        key = (tok.i, types)
        if key not in self._entity_of:
            self._entity_of[key] = entity_in(self._mentions, tok.idx, tok.idx + len(tok.text), types)
        return self._entity_of[key]

    def alone(self, tok) -> bool:
        """No other word in ``tok``'s sentence (a section label, a caption)."""
        k = sentence_index(tok)
        if k not in self._alpha:
            self._alpha[k] = sum(t.is_alpha for t in sentences(self.doc)[k])
        return self._alpha[k] - tok.is_alpha <= 0

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
        while h.i != node.i and h.head.i != h.i:
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
    sent = sentence_of(tok)
    before = [t for t in sent if t.i < tok.i and _person(ctx, t)]
    main = [t for t in before if t.head.dep_ == "ROOT" and t.dep_ == "nsubj" or (t.head.dep_ == "nsubj" and t.head.head.dep_ == "ROOT")]
    pick = main[-1:] or before[-1:]
    if not pick and sent.start > 0:
        prev = sentence_of(ctx.doc[sent.start - 1])
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
        if h.dep_ in ("conj", "xcomp", "advcl") and h.head.i != h.i:
            h = h.head
            continue
        if h.dep_ == "pcomp" and h.head.head.i != h.head.i:  # "work on providing"
            h = h.head.head
            continue
        break
    return None


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


def _between_list(ctx, prep) -> list[str]:
    """Entities listed after "between" read left to right: a fallback for
    long lists the parser splits ("between European leaders, Ukrainian
    President Volodymyr Zelenskiy and US President Donald Trump")."""
    out = []
    doc = ctx.doc
    for t in doc[prep.i + 1 : sentence_of(prep).end]:
        if t.pos_ in ("VERB", "AUX") or t.lower_ in (".", ";", "(") or (t.pos_ == "ADP" and t.lower_ in STOP_PREPS):
            break
        ent = ctx.entity(t)
        if ent is None or (t.i + 1 < len(doc) and ctx.entity(doc[t.i + 1]) is ent):
            continue  # only the mention's last token decides
        root = t
        while root.head.i != root.i and ctx.entity(root.head) is ent:
            root = root.head
        if root.dep_ in MODIFIER_DEPS or (root.dep_ == "pobj" and root.head.lower_ == "of"):
            continue
        out.append(ent.key)
    return list(dict.fromkeys(out))


def _noun_participants(ctx, tok) -> tuple[list[str], list[str], list]:
    """(actors, targets, anchor tokens) for an event noun."""
    actors: list[str] = []
    targets: list[str] = []
    anchors = [tok]
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
        self._nouns: dict[str, tuple[str, str | None, str, str] | None] = {}  # lemma -> trigger or None

    def noun_trigger(self, lemma: str) -> tuple[str, str | None, str, str] | None:
        """:func:`_trigger` of a noun, which depends on its lemma alone: worked out once per lemma."""
        if lemma not in self._nouns:
            if len(self._nouns) >= _MAX_NOUNS:
                self._nouns.clear()
            stem = None if lemma in ev.EVENT_NOUNS or noun_event(lemma) or lemma in ev.CLASS_OF else self.noun_stem(lemma)
            found = None
            if stem is not None or lemma in ev.EVENT_NOUNS or noun_event(lemma) is not None or lemma in ev.CLASS_OF:
                typ, mode = _class(lemma, stem, "NOUN")
                found = (typ, mode, "noun", ev.concept(lemma, stem))
            self._nouns[lemma] = found
        return self._nouns[lemma]

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
    if tok.pos_ not in ("VERB", "NOUN", "ADJ"):
        return None  # every branch below needs one of these
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
        if lemma in SPEECH:
            return ("STATEMENT", None, "speech", lemma)
        if lemma == "accord" and tok.dep_ == "prep":
            return ("STATEMENT", None, "speech", "say")  # "according to police": the police said
        if forms(tok) & ev.NON_EVENT_VERBS or (tok.dep_ == "prep" and tok.tag_ == "VBG"):
            return None  # "including", "following"
        found = _classify_verb(tok)
        if found is None:
            found = _class(lemma, None, "VERB")
            if found[0] in PLOVER_TYPES:  # a PLOVER verb whose context rules it out ("meet the target")
                found = ("OTHER", None)
        # a phrasal verb ("passed away", "gunned down"): the parser tags the particle prt or advmod
        particles = [c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod") and c.i == tok.i + 1]
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        objects += [p for c in tok.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        for o in objects:  # "claimed ten lives", "taken into custody"
            if (phrase := ev.LIGHT_CONCEPTS.get((lemma, o.lemma_.lower()))) is not None:
                return (*found, "verb", phrase)
        return (*found, "verb", ev.concept(lemma, particle=particles[0] if particles else None))
    if tok.pos_ == "NOUN":
        return lex.noun_trigger(lemma)
    if tok.pos_ == "ADJ" and lemma in ev.EVENT_ADJECTIVES:
        typ, mode = _class(lemma, None, "ADJ")
        return (typ, mode, "adj", ev.concept(lemma))
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
    sent = sentence_of(tok)
    return sent.start_char, sent.end_char


# what a happening's size is counted in; the counted noun, or "magnitude" for a quake's strength
def _light_object(tok, found_at: dict):
    """The event noun a light verb takes ("held talks", "launched an attack", "delivered a threat")."""
    if tok.lemma_.lower() not in ev.LIGHT_VERBS and tok.lemma_.lower() not in LIGHT_VERBS:
        return None
    for c in tok.children:
        if c.dep_ == "dobj" and c.i in found_at and found_at[c.i][2] == "noun" and 0 < c.i - tok.i <= 4:
            return c
    return None


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
    concepts: dict[str | None, int] = {}
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
    return [replaced(m, salience=rank[i]) for i, m in enumerate(mentions)]


def find_events(doc, lex: _Lexicon | None = None) -> list[EventMention]:
    """Every reported happening in ``doc``, in text order, with its modality and salience."""
    lex = lex or _Lexicon()
    ctx = _Ctx(doc)
    out: list[EventMention] = []
    found_at = {tok.i: f for tok in doc if tok.pos in _TRIGGER_POS and (f := _trigger(tok, lex)) is not None}
    light = {}
    for i in list(found_at):
        obj = _light_object(doc[i], found_at)
        if obj is not None:
            light[obj.i] = doc[i]
            del found_at[i]  # the noun names the happening; the verb only carries it
    modality = {i: modality_of(doc[i], found_at[i][2]) for i in found_at}
    for i, m in modality.items():
        # verbs only: a noun's modality is its own ("tried to put out the fire": the fire is real)
        if m == "asserted" and found_at[i][2] in ("verb", "speech") and negated_or_hypothetical(doc[i]):
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
                if any(t.lower_ in SELF_PRONOUNS and t.dep_ == "nsubj" for t in sentence_of(tok)):
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
        if ctx.alone(tok):
            continue  # a word alone is no report of a happening: a section label ("UPDATE:"), a caption
        start, end = _clause(tok)
        verb = mode or (tok.lemma_.lower() if typ != "STATEMENT" else "statement")
        participants = tuple(Participant(k, "actor") for k in actors) + tuple(Participant(k, "target") for k in targets)
        out.append(
            EventMention(
                span=ctx.span(start, end),
                id=f"v{len(out)}",
                type=typ,
                trigger=ctx.span(trig_start, tok.idx + len(tok.text)),
                label=_label(ctx, actors, verb, targets),
                mode=mode,
                participants=participants,
                where=where,
                when=when,
                time=time.id if time else None,
                repeat=_repeat(tok),
                modality=modality[tok.i],
                concept=key,
                **count_fields(doc, tok, typ),
            )
        )
    return _salience(doc, after_previous(out, published.when if published is not None else None), found_at)


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
