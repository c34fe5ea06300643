"""Words that tie a sentence to the one before it, one home.

A sentence that opens with one of these ("He said...", "But the talks...", "This was...") reads as a
fragment when it is repeated alone (in a brief, as a label): the reader does not know who "he" is or
what "but" answers.
"""

from __future__ import annotations

__all__ = ["BRITISH_SPELLINGS", "STOP_WORDS", "LINK_WORDS", "CLAUSE_OPENERS", "WH_WORDS", "DEPENDENT_OPENERS", "ABBREVIATED_TITLES", "UNNAMED_SUBJECTS", "SUBJECT_OPENERS", "TITLE_END_WORDS", "OBJECT_PREPOSITIONS"]

DEPENDENT_OPENERS = frozenset(
    # pronouns and demonstratives that point back
    "he she it they we i you him her them us his its their our this that these those such there here "
    "both either neither another others".split()
    # conjunctions and connectives that answer a sentence before
    + "and but or nor so yet because since although though also meanwhile instead otherwise still "
      "however moreover furthermore besides then thus hence therefore".split()
)

WH_WORDS = frozenset({"why", "what", "when", "where", "how", "who", "whom", "which"})

# words a phrase starts with: a long clause is cut before one of them
CLAUSE_OPENERS = frozenset(
    "that which who whom whose where when while after before since because although though as for from "
    "to with without on in at by into over under during amid following despite than".split()
)

# words that link a clause to its sentence, dropped from a title's start
LINK_WORDS = frozenset("and but or so because although though while when as since after before if that which who whom "
                        "whose where then also".split())

STOP_WORDS = frozenset(
    "a an the of to in on and or for with by at from as is was were be been are that this it its his her "
    "their our we you he she they i not but has have had will would said says say".split()
)

BRITISH_SPELLINGS = {"defence": "defense", "programme": "program", "labour": "labor", "favour": "favor"}

# titles written short before a name ("Const. Tim Fanning", "Sen. Jones"): a sentence that ends with one was cut
# at the abbreviation by the sentence splitter, not at its end
ABBREVIATED_TITLES = frozenset("mr mrs ms dr prof gen col capt lt sgt cpl const det insp supt gov sen rep".split())

# pronouns that name nobody: a label opening with one reads as a placeholder ("someone heard shots"), so
# a title takes the clause from where its sentence starts, or another report's clause
UNNAMED_SUBJECTS = frozenset("someone somebody anyone anybody".split())

# lower-case words a clause that names its subject may open with (a determiner, a possessive, a
# pronoun, a number word): "the Kansas City Chiefs lost", "his brother fell"; a title opening on
# another lower-case word of its source ("has died", "capturing 23 of the raiders") lost its subject
SUBJECT_OPENERS = frozenset(
    "a an the this that these those his her its their our my your he she it they we i one two three four five "
    "six seven eight nine ten some many several all both each every another no most".split()
)

# words a title never ends on: they need what follows them (an article, a possessive, a preposition, a
# conjunction, a relative): "the fire and", "due to", "a good portion of the"
TITLE_END_WORDS = (CLAUSE_OPENERS - {"that", "following"}) | frozenset(
    "a an the of and or but nor his their its our my your".split()
)

# prepositions that take a noun phrase and never a clause: a title opening right after one is that
# phrase ("(separated from) their children", "(fall to) his death"), no clause with its subject
OBJECT_PREPOSITIONS = frozenset(
    "of from to with in on at by for into onto over under about against between through toward towards upon "
    "among via per like despite amid during without".split()
)
