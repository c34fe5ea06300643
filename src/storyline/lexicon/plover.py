"""Event trigger lexicon as data: word -> PLOVER event type and mode.

PLOVER (Political Language Ontology for Verifiable Event Records) types are
the event classes storyline codes; ``STATEMENT`` is ours for public
statements. Verbs are looked up by lemma, nouns by lemma; a few verbs depend
on their particle or object ("call on" demands, "call" a person is a phone
call, "announce tariffs" sanctions) and are resolved in
``storyline.nlp.components.events``. This module is data plus two lookups.
"""

from __future__ import annotations

from .speech import STATEMENT_VERBS

__all__ = [
    "PLOVER_TYPES",
    "VERBS",
    "NOUNS",
    "SPEECH",
    "SANCTION_OBJECTS",
    "HYPOTHETICAL_HEADS",
    "verb_event",
    "noun_event",
]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "INVESTIGATE", "DEMAND",
    "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "FIGHT",
    "CRIME", "STATEMENT",
)

# verb lemma -> (type, mode)
VERBS: dict[str, tuple[str, str | None]] = {
    # CONSULT
    "meet": ("CONSULT", "meeting"), "confer": ("CONSULT", "meeting"), "negotiate": ("CONSULT", "meeting"),
    "visit": ("CONSULT", "visit"), "host": ("CONSULT", "visit"), "phone": ("CONSULT", "phone call"),
    "telephone": ("CONSULT", "phone call"), "speak": ("CONSULT", None), "talk": ("CONSULT", None),
    "discuss": ("CONSULT", None), "consult": ("CONSULT", None),
    # AGREE
    "agree": ("AGREE", None), "commit": ("AGREE", None), "pledge": ("AGREE", None), "promise": ("AGREE", None),
    "sign": ("AGREE", None),
    # SUPPORT
    "support": ("SUPPORT", None), "endorse": ("SUPPORT", None), "praise": ("SUPPORT", None),
    "commend": ("SUPPORT", None), "back": ("SUPPORT", None),
    # COOPERATE
    "cooperate": ("COOPERATE", None), "collaborate": ("COOPERATE", None), "partner": ("COOPERATE", None),
    # AID
    "provide": ("AID", None), "supply": ("AID", None), "contribute": ("AID", None), "donate": ("AID", None),
    "deliver": ("AID", None),
    # CONCEDE / RETREAT
    "concede": ("CONCEDE", None), "relent": ("CONCEDE", None),
    "withdraw": ("RETREAT", None), "retreat": ("RETREAT", None), "cease": ("RETREAT", None),
    "pull": ("RETREAT", None),
    # INVESTIGATE
    "investigate": ("INVESTIGATE", None), "probe": ("INVESTIGATE", None), "inspect": ("INVESTIGATE", None),
    # DEMAND
    "demand": ("DEMAND", None), "urge": ("DEMAND", None), "ask": ("DEMAND", None), "request": ("DEMAND", None),
    "press": ("DEMAND", None), "seek": ("DEMAND", None),
    # DISAPPROVE / REJECT
    "criticize": ("DISAPPROVE", None), "criticise": ("DISAPPROVE", None), "condemn": ("DISAPPROVE", None),
    "denounce": ("DISAPPROVE", None), "accuse": ("DISAPPROVE", None), "blame": ("DISAPPROVE", None),
    "reject": ("REJECT", None), "refuse": ("REJECT", None), "dismiss": ("REJECT", None), "veto": ("REJECT", None),
    "deny": ("REJECT", None), "summon": ("DISAPPROVE", None),
    # THREATEN / PROTEST / MOBILIZE
    "threaten": ("THREATEN", None), "warn": ("THREATEN", None),
    "protest": ("PROTEST", None), "demonstrate": ("PROTEST", None), "boycott": ("PROTEST", None),
    "mobilize": ("MOBILIZE", None), "mobilise": ("MOBILIZE", None), "deploy": ("MOBILIZE", None),
    # SANCTION / COERCE
    "sanction": ("SANCTION", None), "revoke": ("SANCTION", None), "embargo": ("SANCTION", None),
    "expel": ("SANCTION", None), "ban": ("SANCTION", None), "impose": ("SANCTION", None),
    "seize": ("COERCE", None), "arrest": ("COERCE", None), "detain": ("COERCE", None), "blockade": ("COERCE", None),
    # ASSAULT / FIGHT / CRIME
    "attack": ("ASSAULT", None), "bomb": ("ASSAULT", None), "shell": ("ASSAULT", None), "kill": ("ASSAULT", None),
    "assassinate": ("ASSAULT", None),
    "fight": ("FIGHT", None), "invade": ("FIGHT", None), "clash": ("FIGHT", None),
    "steal": ("CRIME", None), "smuggle": ("CRIME", None), "kidnap": ("CRIME", None),
}

# noun lemma -> (type, mode); a noun is an event only with participants (see events.py)
NOUNS: dict[str, tuple[str, str | None]] = {
    "meeting": ("CONSULT", "meeting"), "talk": ("CONSULT", "meeting"), "talks": ("CONSULT", "meeting"),
    "summit": ("CONSULT", "summit"), "visit": ("CONSULT", "visit"), "call": ("CONSULT", "phone call"),
    "conversation": ("CONSULT", "phone call"), "phone": ("CONSULT", "phone call"),
    "negotiation": ("CONSULT", "meeting"), "consultation": ("CONSULT", None),
    "agreement": ("AGREE", None), "deal": ("AGREE", None), "accord": ("AGREE", None), "treaty": ("AGREE", None),
    "sanction": ("SANCTION", None), "embargo": ("SANCTION", None), "tariff": ("SANCTION", None),
    "attack": ("ASSAULT", None), "strike": ("ASSAULT", None), "bombing": ("ASSAULT", None),
    "war": ("FIGHT", None), "invasion": ("FIGHT", None), "clash": ("FIGHT", None),
    "protest": ("PROTEST", None), "investigation": ("INVESTIGATE", None), "probe": ("INVESTIGATE", None),
    "threat": ("THREATEN", None), "demand": ("DEMAND", None),
}

# verbs of public statement: one home in storyline.lexicon.speech
SPEECH = STATEMENT_VERBS
# objects that make "announce"/"impose"/"threaten with" a sanction
SANCTION_OBJECTS = {"tariff", "sanction", "embargo", "duty", "levy", "ban", "restriction", "permit"}
# an event under one of these is wished, planned or prevented, not reported as happening
HYPOTHETICAL_HEADS = {
    "hope", "wish", "want", "plan", "intend", "prevent", "avoid", "fail", "failure", "refuse", "seek",
    "propose", "suggest", "invite", "invitation", "whether", "possible", "may", "might", "could", "should",
    "would_like", "try", "attempt", "aim", "expect", "specify", "ask", "urge", "demand", "call", "need",
}


def verb_event(lemma: str) -> tuple[str, str | None] | None:
    """(type, mode) for a verb lemma, or None."""
    return VERBS.get(lemma.lower())


def noun_event(lemma: str) -> tuple[str, str | None] | None:
    """(type, mode) for a noun lemma, or None."""
    return NOUNS.get(lemma.lower())
