"""Words of figures, one home: number words, scales, currencies, units, qualifiers, and the verbs
and nouns that say what an amount of money is.

``storyline.nlp.numbers`` reads numbers with these tables; ``storyline.nlp.components.figures``
decides what a figure counts with the verb and noun lists.
"""

from __future__ import annotations

__all__ = ["RATE_UNITS", "PRESENT_WORDS", "PROPOSAL_MODALS", "RAISE_VERBS", "STATUS_CUES", "DURATION_WORDS",
    "WORD_NUMBERS", "SCALES", "CURRENCY_SYMBOLS", "CURRENCY_WORDS", "DURATION_UNITS", "MEASURE_UNITS",
    "PERCENT_WORDS", "POINT_WORDS", "QUALIFIERS", "HYPHEN_STOP", "MONEY_VERBS", "MEASURE_VERBS",
    "MEASURE_NOUNS", "NOT_COUNTED", "NOT_UNITS", "TIME_PREPOSITIONS", "DETERMINERS", "LIMIT_PREPOSITIONS",
    "POSSESSIVES", "DIMENSIONS", "RANGE_WORDS", "VULGAR_FRACTIONS", "FRACTION_DENOMINATORS", "POUND_WORDS",
    "WEIGHT_UNIT", "WEIGHT_CUES", "MONEY_CUES", "FAMILY_NOUNS", "FAMILY_MEASURES", "PARENT_WORDS", "BODY_WEIGHT",
    "HEIGHT_WORDS",
]

WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9,
    "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}

CURRENCY_SYMBOLS: dict[str, str] = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP"}
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "usd": "USD",
    "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "sterling": "GBP",
}
# word -> unit; a unit word may follow the number ("five years") or be joined to it ("five-year deal")
DURATION_UNITS: dict[str, str] = {
    "minute": "minutes", "minutes": "minutes", "min": "minutes", "mins": "minutes",
    "hour": "hours", "hours": "hours",
    "day": "days", "days": "days",
    "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months",
    "year": "years", "years": "years",
}
# a fraction after a whole number makes one value: "4½ months", "3 1/2 hours", "2-1/2 years"
VULGAR_FRACTIONS: dict[str, float] = {
    "½": 1 / 2, "¼": 1 / 4, "¾": 3 / 4, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8,
}
FRACTION_DENOMINATORS = ("16", "2", "3", "4", "8")  # of "N a/b"; longest first for the pattern
# "pound(s)" is money or a weight: a weight when a weight cue is near and no money cue is
# ("weighing 130 pounds", "6-foot, 200-pound", "42 kg (92 pounds)"); otherwise money, as before
POUND_WORDS = frozenset({"pound", "pounds"})
WEIGHT_UNIT = "pounds"
WEIGHT_CUES = frozenset(
    "weigh weighs weighed weighing weight kg kgs kilo kilos kilogram kilograms tall foot feet inch inches lb lbs".split()
)
# a person's weight: what a figure in pounds measures when it is a person's description ("is 5-foot-8,
# 135 pounds", "weighing 130 pounds"): nothing else named, or only the height beside it
BODY_WEIGHT = "weight"
HEIGHT_WORDS = frozenset({"foot", "feet", "inch", "inches", "tall"})
# a person's family counted: after a parent word ("a mother of 12", "father to two boys") or a possessive
# ("one of her 12 children", "his two sons"); the noun's class is what is counted (two sons and five
# children can both be true; "mother of 12" counts children)
FAMILY_NOUNS = {"children": "number of children", "child": "number of children", "kids": "number of children",
                "kid": "number of children", "sons": "number of sons", "son": "number of sons", "boys": "number of sons",
                "daughters": "number of daughters", "daughter": "number of daughters", "girls": "number of daughters"}
FAMILY_MEASURES = frozenset(FAMILY_NOUNS.values())  # what such a figure is about: one person's, compared by person
PARENT_WORDS = frozenset({"mother", "father", "mom", "mum", "dad", "parent", "parents"})
MONEY_CUES = frozenset(
    "£ $ € sterling euro euros dollar dollars worth paid pay pays cost costs price fine fined salary".split()
)
# units of length, area, weight and volume: "1,098 yards", "a 2,000-mile wall"
MEASURE_UNITS: dict[str, str] = {
    "mile": "miles", "miles": "miles", "kilometre": "km", "kilometres": "km", "kilometer": "km",
    "kilometers": "km", "km": "km", "metre": "metres", "metres": "metres", "meter": "metres", "meters": "metres",
    "foot": "feet", "feet": "feet", "yard": "yards", "yards": "yards", "acre": "acres", "acres": "acres",
    "nautical mile": "nautical_miles", "nautical miles": "nautical_miles",
    "hectare": "hectares", "hectares": "hectares", "ton": "tons", "tons": "tons", "tonne": "tonnes",
    "tonnes": "tonnes", "barrel": "barrels", "barrels": "barrels", "gallon": "gallons", "gallons": "gallons",
}
# distance units, and the words after one that make it a position ("150 nautical miles west of Aden",
# "13 miles from the coast"): it locates something and measures nothing the story sizes
DISTANCE_UNITS = frozenset({"miles", "km", "metres", "feet", "yards", "nautical_miles"})
POSITION_WORDS = frozenset(
    "from off away west east north south northwest northeast southwest southeast offshore inland outside".split()
)
PERCENT_WORDS = ("%", "percent", "per cent", "pct")
POINT_WORDS = ("percentage points", "percentage point", "points", "point")

# Longest first so "more than" wins over "than" and "north of" is one qualifier.
QUALIFIERS = (
    "approximately", "roughly", "around", "about", "some", "nearly", "almost", "close to",
    "more than", "over", "above", "upwards of", "in excess of", "north of", "at least",
    "less than", "fewer than", "under", "below", "south of", "at most", "up to", "as much as",
    "as many as", "just", "only", "exactly", "an estimated", "estimated",
)
# words after "N-" that make no compound with the number ("one-on-one", "two-to-one")
HYPHEN_STOP = frozenset("on to by and or for in of a off up point old".split())

# verbs whose object (or "for"/"in" amount) is a sum of money that the verb itself names:
# "raised $64 million", "will donate $1 million", "settled the suit for $5 million"
MONEY_VERBS = frozenset(
    """
    raise commit donate contribute give direct pull pour spend earn borrow lend save pay settle invest
    collect receive owe lose gain cost charge fund pledge allocate budget bring
    """.split()
)
# verbs whose object is an amount of money: what it measures is the verb's noun
MEASURE_VERBS: dict[str, str] = {"cost": "cost", "lose": "losses", "earn": "earnings", "spend": "spending", "owe": "debt"}
# nouns whose "of" phrase says what the amount belongs to ("the cost of the strike")
MEASURE_NOUNS = frozenset({"cost", "costs", "loss", "losses", "damage", "bill", "price", "value", "toll"})
# the word before a number that makes it a label ("No. 10", "article 5")
NOT_COUNTED = frozenset(
    {"article", "no", "number", "page", "chapter", "section", "room", "flight", "paragraph", "point", "phase"}
)
# nouns a bare number does not count ("three times", "six figures")
NOT_UNITS = frozenset({"decade", "decades", "century", "centuries", "time", "times", "figures", "digits"})
# prepositions that make a duration the period of something else ("over 10 years", "in seven months")
TIME_PREPOSITIONS = frozenset({"for", "over", "in", "within", "after", "during", "before", "since", "until", "through"})
# a weak number word after one of these refers back ("the two leaders", "our two nations")
DETERMINERS = frozenset({"the", "these", "those", "our", "their", "his", "her", "its", "my", "your", "both", "all", "other"})
# prepositions by which a noun states a figure's bound or size ("incomes of more than $5 million")
LIMIT_PREPOSITIONS = frozenset({"of", "above", "below", "over", "under", "than", "exceeding"})
# a number after one of these refers to a known set ("his 16 opponents", "its 246 passengers")
POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my", "your"})
# nouns that name a dimension, not what a figure measures ("90 minutes in duration")
DIMENSIONS = frozenset({"duration", "length", "size", "height", "width", "depth", "weight", "area", "total"})
# words between the two bounds of a range ("one to two years", "24- to 30-foot")
RANGE_WORDS = frozenset({"to", "-", "–", "or", "and"})

DURATION_WORDS = {"minutes", "hours", "days", "weeks", "months", "years"}

# lemma -> status; the nearest cue before the figure in its sentence decides.
STATUS_CUES: dict[str, str] = {
    "target": "target", "goal": "target", "commit": "target", "commitment": "target", "achieve": "target",
    "aim": "target", "pledge": "target", "objective": "target", "benchmark": "target", "reach": "target",
    "suggest": "proposal", "propose": "proposal", "proposal": "proposal", "ask": "proposal", "urge": "proposal",
    "demand": "proposal", "call": "proposal", "want": "proposal", "insist": "proposal",
    "assumption": "estimate", "assume": "estimate", "estimate": "estimate", "expect": "estimate",
    "forecast": "estimate", "project": "estimate", "projection": "estimate", "predict": "estimate",
    "likely": "estimate", "probably": "estimate",
    "current": "actual", "record": "actual", "currently": "actual", "already": "actual",
}

RAISE_VERBS = {"raise", "increase", "boost", "lift", "hike", "bring", "double"}

PROPOSAL_MODALS = {"should", "must", "ought", "need"}

# present-time words that locate no period ("now puts the cost at")
PRESENT_WORDS = {"now", "right now", "currently", "at present", "presently", "today"}

RATE_UNITS = ("hour", "day", "week", "month", "quarter", "year")
