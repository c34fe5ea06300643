"""Event words as data: which words name a happening, its class, and the concept
that lets two reports' different words name one event.

Read by ``storyline.nlp.components.events`` (triggers, classes, modality cues)
and by nothing that needs spaCy: every table here is plain strings.

Classes: PLOVER's political classes where a word fits them
(``storyline.lexicon.plover``), else one of the general news classes below, else
``OTHER`` with the trigger's lemma as its label (never a forced PLOVER class).
Entries were chosen by the error classes they fix across public news data
(ECB+ and TempEval-3 development parts: nouns that name incidents, legal
steps, disasters, contests and business deals), never for one sentence.
"""

from __future__ import annotations

__all__ = ["WORD_PREFIXES", "VERB_PREFIXES", "BACKREF_NOUNS", "ASK_VERBS", "DEFINITE_WORDS", "OCCUR_VERBS", "DATED_LIGHT_VERBS", "DOUBT_AUX", "STOP_PREPS", "TARGET_PREPS", "REPEAT_WORDS",
    "GENERAL_CLASSES",
    "CLASS_OF",
    "NOUN_CLASS_OF",
    "EVENT_NOUNS",
    "EVENT_ADJECTIVES",
    "NON_EVENT_VERBS",
    "NON_EVENT_NOMINALS",
    "LIGHT_VERBS",
    "GENERIC_VERBS",
    "PATIENT_CLASSES",
    "CONCEPTS",
    "LIGHT_CONCEPTS",
    "MODALITIES",
    "NEGATION_WORDS",
    "DENY_VERBS",
    "POSSIBLE_WORDS",
    "EXPECT_WORDS",
    "PLAN_WORDS",
    "REQUEST_WORDS",
    "HYPOTHETICAL_MARKS",
    "FUTURE_AUX",
    "concept",
    "nominal_stems",
]

# general classes for what PLOVER does not cover (documented in the README)
GENERAL_CLASSES = (
    "ARREST", "CHARGE", "TRIAL", "VERDICT", "SENTENCE", "RELEASE", "VOTE", "LEGISLATE", "ELECTION",
    "APPOINT", "RESIGN", "DISMISS", "DIE", "INJURE", "DISASTER", "ACCIDENT", "BUSINESS", "ECONOMY",
    "ANNOUNCE", "MOVE", "CONTEST", "CEREMONY", "OTHER",
)
MODALITIES = ("asserted", "planned", "expected", "possible", "requested", "denied", "negated", "hypothetical")

# lemma -> general class (verbs and nouns alike; PLOVER's own lexicon wins where it has the word)
CLASS_OF: dict[str, str] = {}


def _add(cls: str, words: str) -> None:
    for w in words.split():
        CLASS_OF[w.replace("_", " ")] = cls


_add("ARREST", "arrest detain apprehend nab capture custody detention apprehension")
_add("CHARGE", "charge indict indictment accuse accusation prosecute prosecution arraign arraignment sue lawsuit")
_add("TRIAL", "trial hearing testimony testify")
_add("VERDICT", "convict conviction acquit acquittal verdict guilty plead plea overturn")
_add("SENTENCE", "sentence sentencing jail imprison imprisonment execute execution")
_add("RELEASE", "release free parole bail")
_add("VOTE", "vote veto override ballot referendum poll")
_add("LEGISLATE", "legislate enact repeal ratify ratification amend amendment")
_add("ELECTION", "elect election reelect reelection campaign")
_add("APPOINT", "appoint appointment nominate nomination hire inauguration swear")
_add("RESIGN", "resign resignation quit retire retirement abdicate")
_add("DISMISS", "dismiss dismissal sack oust ouster suspend suspension expel expulsion")
_add("DIE", "die death dead suicide overdose")
_add("INJURE", "injure injury wound hurt injured wounded")
_add("DISASTER", "earthquake quake temblor tremor aftershock tsunami flood flooding storm hurricane typhoon "
     "cyclone tornado blaze wildfire eruption erupt landslide avalanche drought famine outbreak epidemic "
     "pandemic explosion blast explode collapse outage")
_add("ACCIDENT", "crash collision collide accident derail derailment sink capsize")
_add("BUSINESS", "acquire acquisition buy purchase merge merger takeover sell sale deal invest investment "
     "bankruptcy layoff layoffs ipo")
_add("ECONOMY", "inflation recession default devaluation")
_add("ANNOUNCE", "announce announcement unveil unveiling reveal launch")
_add("MOVE", "travel arrive arrival depart departure return flee escape evacuate evacuation")
_add("CONTEST", "game match playoff playoffs tournament final semifinal quarterfinal race championship "
     "victory win defeat score")
_add("CEREMONY", "ceremony funeral wedding concert festival vigil award awards celebration memorial")

# classes of nouns whose verb means something else ("a fire" is a disaster, "fired" a shot or a dismissal)
NOUN_CLASS_OF: dict[str, str] = {w: "DISASTER" for w in ("fire", "blaze", "inferno")}

# event nouns that no suffix reveals; a noun is an event trigger when it is here, in CLASS_OF,
# in PLOVER's noun lexicon, or a nominalisation of a known verb (see ``nominal_stems``)
EVENT_NOUNS = frozenset(
    """
    fire murder shooting attack riot heist arson raid killing slaying rampage robbery theft piracy hijacking
    kidnapping abduction bombing siege ambush massacre assault stabbing coup war battle clash fight strike
    protest demonstration march rally boycott walkout lockout shutdown crackdown rescue search chase
    meeting talks summit visit trip tour conference session debate speech interview negotiations
    discovery breakthrough failure loss comeback exit ouster firing hiring promotion leak breach hack
    cyberattack patch update fix disruption downtime breakdown malfunction operation investigation probe
    inquiry attempt bid offer ban sanctions embargo threat scandal rehab treatment surgery birth divorce
    marriage incident accident crash fall rise drop damage cut cuts suspicion
    """.split()
)
# adjectives that report an event's outcome ("were dead", "found guilty")
EVENT_ADJECTIVES = frozenset("dead guilty injured wounded missing killed arrested".split())

# verbs that name no happening: states, attitudes, aspect and modality (their complement is the event)
NON_EVENT_VERBS = frozenset(
    """
    be have seem appear include involve contain consist accord mean want wish hope need like love hate
    prefer intend aim let tend belong own matter sound look expect plan try seek attempt manage fail
    think believe feel
    """.split()
)
# nominalisations that name things, places, groups or states, not happenings
NON_EVENT_NOMINALS = frozenset(
    """
    government department information position nation station relation population organization
    organisation administration foundation institution situation condition region edition section option
    opinion building evening morning thing nothing something anything everything ceiling meaning feeling
    spring string king ring wing bring official officials national international rival general total
    individual original potential material capital hospital terminal criminal equipment environment
    establishment management agreement apartment settlement document development movement regulation
    communication television application version location direction collection construction
    production generation tradition competition constitution corporation association commission
    committee foundation federation legislation statement question nature culture future
    feature structure legislature temperature literature mixture sculpture agriculture mission vision
    pension tension dimension passion profession possession commission permission emission
    """.split()
)
# verbs whose object names the happening: "held talks", "launched an attack", "gave a speech"
LIGHT_VERBS = frozenset(
    "hold give make take launch stage conduct carry deliver mount wage undergo suffer commit issue pay "
    "file lodge score open".split()
)
# verbs (concepts) that name no one happening on their own: two reports sharing only the word
# are not one event ("voters called", "what he called"); they need shared participants or wording.
# "report" as well: "police reported", "the paper reported" tell of the telling, not one happening
GENERIC_VERBS = frozenset("say call do make take set find announce begin meet report".split())
# classes whose possessor or "of" phrase is who it happened to: "Hunter's indictment"
PATIENT_CLASSES = frozenset({"ARREST", "CHARGE", "TRIAL", "VERDICT", "SENTENCE", "RELEASE", "DIE", "INJURE",
                             "DISMISS", "APPOINT", "ELECTION"})

# different words for one happening: reports that use either may name the same event
_CONCEPTS = {
    "earthquake": "earthquake quake temblor tremor",
    "strike": "strike hit jolt rock shake",
    "death": "die death dead decease pass_away perish kill killing slay slaying murder homicide hang suicide",
    "shoot": "shoot shooting shot gun gunfire gun_down",
    "fire": "fire blaze burn arson inferno",
    "arrest": "arrest detain detention apprehend nab capture custody",
    "charge": "charge indict indictment accuse accusation",
    "convict": "convict conviction guilty",
    "injure": "injure injury wound hurt injured wounded",
    "win": "win victory triumph beat defeat lose loss",
    "acquire": "acquire acquisition buy purchase takeover",
    "resign": "resign resignation quit step_down",
    "attack": "attack assault",
    "explode": "explode explosion blast",
    "crash": "crash collision collide accident",
    "talk": "talk talks negotiate negotiation",
    "meet": "meet meeting summit",
    "elect": "elect election",
    "appoint": "appoint appointment nominate nomination",
    "sentence": "sentence sentencing",
    "release": "release free",
    "steal": "steal theft heist robbery rob",
    "riot": "riot rioting unrest",
    "escape": "escape flee",
    "announce": "announce announcement unveil",
    "damage": "damage cut sever destroy destruction devastate",
    "find": "find discover",
    "place": "place put",
    "fix": "fix plug patch repair",
    "enter": "enter check admit",
    "thwart": "thwart foil prevent repel repulse",
    "treat": "treat treatment rehab rehabilitation",
    "retain": "retain keep defend",
}
# a verb with its object (or the object of its preposition) that names one happening: "opened fire"
# is shooting, not a blaze; "claimed ten lives" is deaths, "caught fire" a fire, "taken into custody"
# and "placed under arrest" an arrest, "set" and "broke" a record one feat
LIGHT_CONCEPTS = {
    ("open", "fire"): "shoot", ("claim", "life"): "death", ("catch", "fire"): "fire",
    ("take", "custody"): "arrest", ("place", "arrest"): "arrest", ("set", "record"): "record",
    ("break", "record"): "record",
}
CONCEPTS: dict[str, str] = {w.replace("_", " "): k for k, ws in _CONCEPTS.items() for w in ws.split()}

# modality cues (lemmas)
NEGATION_WORDS = frozenset("not n't never no nobody none nothing without".split())
DENY_VERBS = frozenset("deny dismiss refute reject dispute".split())
POSSIBLE_WORDS = frozenset("may might could possible possibly perhaps maybe potential potentially".split())
EXPECT_WORDS = frozenset("expect anticipate predict forecast likely unlikely poise due".split())
PLAN_WORDS = frozenset("plan intend schedule propose prepare upcoming planned scheduled proposed set vow".split())
REQUEST_WORDS = frozenset("ask urge call demand request order appeal press".split())
HYPOTHETICAL_MARKS = frozenset("if unless whether".split())
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})

# noun suffix -> verb-stem endings to try ("negotiation" -> "negotiate", "failure" -> "fail")
_SUFFIXES = (
    ("ation", ("ate", "", "e")), ("ition", ("ite", "")), ("tion", ("te", "t", "")),
    ("sion", ("de", "d", "t", "se")), ("ment", ("",)), ("ance", ("", "e")), ("ence", ("", "e")),
    ("ure", ("", "e")), ("al", ("", "e")), ("ing", ("", "e")), ("ery", ("",)),
)


def nominal_stems(noun: str) -> list[str]:
    """Candidate verb lemmas a noun may be derived from, most likely first."""
    out: list[str] = []
    for suf, ends in _SUFFIXES:
        if noun.endswith(suf) and len(noun) > len(suf) + 2:
            base = noun[: -len(suf)]
            out += [base + e for e in ends]
            if suf == "ing" and len(base) > 2 and base[-1] == base[-2]:
                out.append(base[:-1])  # "shopping" -> "shop"
            break
    return out


def concept(lemma: str, stem: str | None = None, particle: str | None = None) -> str:
    """The key two reports' triggers share when they may name one event; a phrasal verb's
    ``particle`` counts when the phrase has a concept of its own ("pass away" is a death)."""
    low = lemma.lower()
    if particle and (phrase := f"{low} {particle.lower()}") in CONCEPTS:
        return CONCEPTS[phrase]
    if low in CONCEPTS:
        return CONCEPTS[low]
    if stem and stem in CONCEPTS:
        return CONCEPTS[stem]
    return stem or low

REPEAT_WORDS = {"again", "second", "third", "fourth", "another", "fresh", "renewed"}

TARGET_PREPS = {"with", "between", "against", "on", "to", "among"}

STOP_PREPS = {"in", "at", "on", "during", "as", "since", "after", "before", "over", "about", "to", "from", "amid"}

DOUBT_AUX = {"may", "might", "could", "should"}

DATED_LIGHT_VERBS = {"hold", "have", "conduct", "make", "host", "attend", "begin", "start", "join", "arrange"}

# verbs whose subject is an event: "the talks took place / began / were held on Monday"
OCCUR_VERBS = {"take", "happen", "occur", "begin", "start", "end", "resume", "open", "close", "last",
               "continue", "conclude", "hold", "convene", "finish", "break", "collapse", "run"}

DEFINITE_WORDS = {"the", "this", "that", "these", "those"}

# nouns that refer back to an earlier happening ("the call", "the talks") -> the kinds of trigger they may name
_PHONE = ("phone call", None)
_MEET = ("meeting", "summit", "visit", None)
BACKREF_NOUNS: dict[str, tuple[str | None, ...] | None] = {
    "call": _PHONE, "phone": _PHONE, "conversation": None, "discussion": None, "dialogue": None,
    "meeting": _MEET, "talk": _MEET, "talks": _MEET, "session": _MEET, "summit": _MEET, "negotiation": _MEET,
    "visit": ("visit", None),
}

# verbs whose object event is wanted or asked for, not done: its date is not the report's
ASK_VERBS = REQUEST_WORDS | PLAN_WORDS | {"subpoena", "invite", "summon", "tell", "persuade", "force", "allow",
                                          "authorize", "decide", "agree", "promise", "vow", "want", "hope", "seek"}

# prefixes that make a word of an event noun ("anti-piracy patrols", "counter-terrorism", "ex-wife"): the
# compound names a kind or a title, not a happening; spelled out because tokenized texts space the hyphen
# ("anti - piracy"), where a bare " - " is a dash
WORD_PREFIXES = frozenset("anti counter non pre post ex".split())
# prefixes that still make a happening of the verb they join ("re-elected", "co-founded"): not a word part
VERB_PREFIXES = frozenset({"re", "co"})
