"""Words around names, one home: roles, titles, and the comparison key ``fold``.

``nlp`` reads titles and roles off the text ("Foreign Minister José Manuel Albares"); ``resolve``
strips them again when it compares names across documents. Both import from here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["MEDIA_WORDS", "NOT_ORG_ALONE", "NOT_COUNTRIES", "COUNTRIES", "PLACE_ALIASES", "ORG_SUFFIXES", "NAME_CONNECTORS", "PERSON_WORDS", "FEMALE_WORDS", "MALE_WORDS", "FEMALE_TITLES", "FEMALE_PRONOUNS", "MALE_PRONOUNS", "ACRONYM_SKIP", "ORG_WORDS", "SELF_PRONOUNS", "PERSON_PRONOUNS", "ROLE_HEADS", "TITLE_WORDS", "OCCUPATIONS", "NAME_AFFIXES", "NAME_PARTICLES", "NAME_SUFFIXES", "GENERATION_WORDS", "AWARD_HEADS", "AWARD_WORDS", "fold"]

# Nouns that name a person's office or role: heads of role phrases.
ROLE_HEADS = frozenset(
    """
    admiral adviser advisor aide ambassador boss ceo chairman chairwoman chancellor chief commander
    commissioner congressman congresswoman diplomat director envoy executive general governor judge king
    lawmaker leader mayor mediator minister negotiator official pope premier president prince princess
    prosecutor queen representative secretary senator spokesman spokesperson spokeswoman undersecretary
    """.split()
)
# Occupations written before a name as a title ("Comedian Ellen DeGeneres", "striker Alan Shearer"): cut
# from the name and kept as a role, but not role nouns that refer to a person on their own.
OCCUPATIONS = frozenset(
    """
    actor actress analyst anchor artist author batsman bowler boxer champion coach comedian composer
    correspondent dancer defender designer director driver economist editor entrepreneur fullback
    goalkeeper golfer guard historian jockey journalist keeper lawyer magnate manager midfielder model
    musician novelist outfielder painter photographer pitcher player poet producer quarterback rapper
    referee reporter rider rookie runner scientist singer skipper songwriter sprinter star striker
    strategist swimmer teammate trader veteran winger writer
    """.split()
)
# Words that may stand in a title before a name (lower case, no trailing dot).
TITLE_WORDS = ROLE_HEADS | OCCUPATIONS | frozenset(
    """
    acting adm affairs capt captain chair col colonel dame defence defense deputy dr economy emir
    executive finance foreign former gen gov health high interim interior justice lady lieutenant lord
    lt major marshal miss mr mrs ms officer policy pres president-elect prime prof professor rep sec
    secretary-general security sen senior sergeant sgt sheikh sir special state then top trade under
    vice
    """.split()
)
# A name ending with one of these is an award, not a person ("Nobel Peace Prize", "Golden Globe")
AWARD_HEADS = frozenset("prize prizes award awards medal medals trophy globe globes oscars emmys grammys".split())
# A name holding one of these is an award ("Pulitzer", "Grammy for best album")
AWARD_WORDS = frozenset("nobel pulitzer grammy emmy bafta".split())
# Lower-case words inside a person's name ("Ludwig van Beethoven", "Osama bin Laden")
NAME_PARTICLES = frozenset("al bin da de del della den der di du el la le van von y".split())
# Generational suffixes after a surname ("Donald Trump Jr.", "Anthony LaCalamita III"): not the surname.
# "Jr."/"Sr." tell a son from his father, who is written without it ("Donald J. Trump"); a number
# is often dropped ("Robert S. Mueller III" is "Robert Mueller" in the next report).
GENERATION_WORDS = frozenset("jr jnr sr snr".split())
NAME_SUFFIXES = GENERATION_WORDS | frozenset("ii iii iv".split())
# What else may stand before a name in a title when names are compared across documents: connectors,
# ministries and demonyms ("Spanish Foreign Minister", "Secretary of State for Defence").
NAME_AFFIXES = TITLE_WORDS | frozenset(
    """
    american and assistant bishop british cardinal chairperson chinese detective dutch european for fr
    french german global head home inspector italian junior labor labour maj ministers new of rev
    russian s spanish superintendent the transport u uk ukrainian union us
    """.split()
)


@lru_cache(maxsize=262_144)
def fold(text: str) -> str:
    """Comparison key: accents stripped, case folded, inner whitespace single, curly apostrophes straight
    ('Martínez  Belío' -> 'martinez belio')."""
    if text.isascii():  # ASCII has no decompositions and no combining marks: the same key, at a fraction of the cost
        return " ".join(text.lower().split())
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().split()).replace("\u2019", "'")

PERSON_PRONOUNS = {"he", "she", "him", "her"}

SELF_PRONOUNS = {"i", "we", "me", "us", "my", "our"}

ORG_WORDS = frozenset(
    "authority agency bank board company corp corporation council court department federation fund group inc "
    "institute league ltd ministry museum office party police press service times union university".split()
)

ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "del", "la", "le", "du", "on", "in", "&"})

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})

FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})

FEMALE_TITLES = ("mrs ", "mrs. ", "ms ", "ms. ", "miss ")

MALE_WORDS = MALE_PRONOUNS | {"mr", "mr."}  # pronouns and titles

FEMALE_WORDS = FEMALE_PRONOUNS | {"mrs", "ms", "mrs.", "ms.", "miss"}  # pronouns and titles

# subjects that are people the text does not name: a pronoun cannot reach past them
PERSON_WORDS = frozenset("he she man woman who spokesperson person worker".split())

NAME_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "to"})

# Corporate and broadcaster suffixes: "Repsol SA" is the full name of "Repsol".
ORG_SUFFIXES = frozenset(
    "sa inc inc. corp corp. co co. ltd ltd. plc llc ag nv bv gmbh spa group holdings tv news".split()
)

# folded surface -> (canonical name, type)
PLACE_ALIASES = {
    "us": ("United States", "GPE"),
    "u.s.": ("United States", "GPE"),
    "u.s": ("United States", "GPE"),
    "usa": ("United States", "GPE"),
    "u.s.a.": ("United States", "GPE"),
    "united states": ("United States", "GPE"),
    "united states of america": ("United States", "GPE"),
    "uk": ("United Kingdom", "GPE"),
    "u.k.": ("United Kingdom", "GPE"),
    "britain": ("United Kingdom", "GPE"),
    "great britain": ("United Kingdom", "GPE"),
    "united kingdom": ("United Kingdom", "GPE"),
    "nato": ("NATO", "ORG"),
    "eu": ("European Union", "ORG"),
    "e.u.": ("European Union", "ORG"),
    "european union": ("European Union", "ORG"),
    "un": ("United Nations", "ORG"),
    "u.n.": ("United Nations", "ORG"),
    "united nations": ("United Nations", "ORG"),
}

# demonyms and country names -> one key per country
COUNTRIES = {
    "us": "us u.s. usa u.s.a. american americans america united-states",
    "uk": "uk u.k. britain british great-britain united-kingdom",
    "spain": "spain spanish", "netherlands": "netherlands dutch holland", "france": "france french",
    "germany": "germany german", "italy": "italy italian", "russia": "russia russian", "ukraine": "ukraine ukrainian",
    "china": "china chinese", "canada": "canada canadian", "poland": "poland polish", "belgium": "belgium belgian",
    "japan": "japan japanese", "india": "india indian", "israel": "israel israeli", "iran": "iran iranian",
    "turkey": "turkey turkish", "mexico": "mexico mexican", "brazil": "brazil brazilian",
    "portugal": "portugal portuguese", "greece": "greece greek", "sweden": "sweden swedish",
    "norway": "norway norwegian", "denmark": "denmark danish", "finland": "finland finnish",
    "ireland": "ireland irish", "austria": "austria austrian", "hungary": "hungary hungarian",
    "lithuania": "lithuania lithuanian", "estonia": "estonia estonian", "latvia": "latvia latvian",
    "venezuela": "venezuela venezuelan", "lebanon": "lebanon lebanese", "switzerland": "switzerland swiss",
    "korea": "korea korean", "egypt": "egypt egyptian", "argentina": "argentina argentine argentinian",
}

NOT_COUNTRIES = frozenset({"nato", "eu", "e.u.", "european union", "un", "u.n.", "united nations", "european"})

NOT_ORG_ALONE = frozenset({"state", "states", "house", "department", "ministry", "government", "council"})

# a PERSON whose last word is one of these is a publication ("Halden Herald")
MEDIA_WORDS = frozenset("herald courier times post gazette daily tribune journal news chronicle telegraph desk".split())
