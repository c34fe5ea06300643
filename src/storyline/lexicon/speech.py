"""Verbs of speech, one home: which verbs report what someone said.

Three uses, three sets built from one core, so that a verb added here reaches every component:

- ``STATEMENT_VERBS``: a public statement (events code one ``STATEMENT`` per reporting verb);
- ``REPORT_VERBS``: verbs that introduce a quotation or a reported clause (quotes);
- ``ATTRIBUTION_VERBS``: verbs that make their subject the source of a figure ("X proposed 5%").

``QUOTE_VERBS`` adds the verbs that tag words in quote marks ("...," he asked). Quotes also read wider sets for attributions that are not statements in so many words:

- ``CLAIM_VERBS``: a view, finding or belief whose clausal complement is its source's claim ("polls show
  that ...", "she believes the law is fair", "he questioned whether ..."); a clause only, never an object;
- ``INTENT_VERBS``: a stated intention whose infinitive is the claim ("vowed to veto it", "wants to cut
  taxes"); the directives ("urged X to", "demanded X ...") and the joint or refused actions ("agreed to
  meet", "refused to talk": events, not claims) are not among them;
- ``CLAIM_NOUNS``: nouns whose ``that`` clause is their owner's claim ("the senator's view that ...");
- ``STANCE_VERBS``: verbs whose object is a position their subject states ("cited the poll");
- ``PREP_CUES``: verbs whose position follows a preposition ("called for a moratorium").
"""

from __future__ import annotations

__all__ = ["NOT_SOURCES", "PAST_SPEECH", "STATEMENT_VERBS", "REPORT_VERBS", "ATTRIBUTION_VERBS", "CLAIM_VERBS", "INTENT_VERBS", "CLAIM_NOUNS",
           "STANCE_VERBS", "PREP_CUES", "QUOTE_VERBS", "ROLE_NOUNS", "NAMING_WORDS", "OBJECT_CUES", "TITLE_SMALL", "EMPHASIS_VERBS", "HOPE_NOUNS", "TELL_VERBS"]

STATEMENT_VERBS = frozenset(
    "say state tell add note stress emphasize emphasise insist acknowledge confirm declare mention "
    "characterize characterise express argue explain reassure highlight".split()
)
REPORT_VERBS = STATEMENT_VERBS | frozenset(
    "warn claim announce deny reply respond assert caution urge admit concede remark describe reiterate "
    "suggest predict write tweet post comment affirm maintain contend underline underscore".split()
)
# verbs that tag a quotation in marks ("...," Graham asked; "...!" she shouted)
QUOTE_VERBS = REPORT_VERBS | frozenset(
    "ask demand continue shout sing chant quip joke scold yell exclaim recall testify boast complain plead "
    "observe muse wonder".split()
)
ATTRIBUTION_VERBS = STATEMENT_VERBS | frozenset(
    "suggest propose ask urge call demand expect claim estimate predict warn want announce".split()
)
CLAIM_VERBS = REPORT_VERBS | frozenset(
    "believe think know expect hope fear worry feel find show indicate conclude recall agree question "
    "doubt wonder realize realise estimate allege complain boast brag signal imply hint recommend propose "
    "report testify acknowledge predict promise pledge vow threaten guarantee assure insist "
    "speculate charge accuse suspect point ask".split()
)
INTENT_VERBS = frozenset(
    "promise vow pledge threaten plan want intend offer seek hope aim".split()
)
CLAIM_NOUNS = frozenset(
    "claim view belief argument assertion contention suggestion promise pledge warning accusation allegation "
    "statement insistence assessment conclusion hope wish fear concern position conviction confidence "
    "prediction assurance".split()
)
# reporting verbs whose noun-phrase object is itself the report ("stressed the importance of ...")
EMPHASIS_VERBS = frozenset("stress emphasize emphasise underline underscore reiterate".split())
# nouns whose "that" clause is reported after "expressed" ("expressed his hope that ...")
HOPE_NOUNS = frozenset("hope wish belief conviction confidence concern fear view".split())
# verbs with an addressee before the reported clause ("reassured allies that ...")
TELL_VERBS = frozenset("tell reassure assure warn inform remind caution".split())
# verbs whose object is a position their subject states ("cited the report", "rejected the offer"); not the
# verbs of joint or friendly acts ("discussed the dispute", "welcomed the call", "praised her efforts")
STANCE_VERBS = frozenset(
    "cite mention propose question describe criticize criticise reject endorse defend blame condemn dismiss "
    "denounce oppose show".split()
)
# verbs whose stated position is the object of a preposition ("called for a moratorium", "spoke of his
# legacy", "warned against a deal"): verb -> prepositions
PREP_CUES = {
    "call": frozenset({"for"}),
    "speak": frozenset({"of", "about"}),
    "talk": frozenset({"about"}),
    "complain": frozenset({"about", "of"}),
    "warn": frozenset({"about", "of", "against"}),
    "argue": frozenset({"for", "against"}),
    "push": frozenset({"for"}),
    "advocate": frozenset({"for"}),
    "point": frozenset({"to"}),
}
# singular role nouns that can name a speaker ("the minister said")
ROLE_NOUNS = frozenset(
    "minister diplomat secretary president chancellor premier spokesman spokeswoman spokesperson ambassador "
    "envoy leader chief general head director ceo chairman chairwoman chair commissioner senator governor "
    "mayor lawmaker negotiator adviser advisor official king queen prince pope master captain coach".split()
)
# words before quote marks that make the quoted words a name, not speech ("dubbed", "so-called")
NAMING_WORDS = frozenset("as called dubbed named titled entitled so-called nicknamed labelled labeled known".split())
# small words a quoted title leaves in lower case ("Women in Power")
TITLE_SMALL = frozenset("a an the of and or in on at to for with by from vs".split())

# verbs that report only with this object: "as she put it, ..."
OBJECT_CUES = {"put": "it"}

PAST_SPEECH = frozenset({"said", "told", "wrote", "thought", "felt", "put", "spoke", "swore", "held", "knew"})

# subjects that name no source: "it seems", "there is", "this shows"
NOT_SOURCES = frozenset("it there this that these those what which".split())
