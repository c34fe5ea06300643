"""Words of time: month and weekday names, number words, seasons, parts of the day, and the
TIMEX3 codes they map to. Tables only; the rules that use them are in ``storyline.nlp.timex``.
"""

from __future__ import annotations

import calendar

__all__ = ["NOT_YEAR_AFTER", "YEAR_PREPOSITIONS", "DATING_EVENT_NOUNS", "SOLE_DATE_PREPS", "NAMED_BY_DATE", "SCHEDULE_WORDS", "NOT_SCHEDULED", "FUTURE_CUES", "TENSE_FUTURE_AUX",
    "MONTHS", "WEEKDAYS", "MONTH_NAMES", "MONTH_ABBREVIATIONS", "WEEKDAY_NAMES", "NUMBER_WORDS", "TENS", "SCALES", "ORDINALS", "UNIT_CODES", "SET_WORDS",
    "SEASONS", "DAY_PARTS", "REF_WORDS",
]

# month name or abbreviation (lower case, no dot) -> 1..12
MONTHS: dict[str, int] = {m.lower(): i for i in range(1, 13) for m in (calendar.month_name[i], calendar.month_abbr[i])}
MONTHS["sept"] = 9
# weekday name (lower case) -> 0 (Monday) .. 6 (Sunday)
WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}
# the same names as news writes them: "January".."December", "Jan".."Dec" and "Sept" (abbreviations take a
# dot in text; "May" is only a name), "Monday".."Sunday"
MONTH_NAMES: tuple[str, ...] = tuple(calendar.month_name[1:])
MONTH_ABBREVIATIONS: tuple[str, ...] = tuple(a for a in calendar.month_abbr[1:] if a != "May") + ("Sept",)
WEEKDAY_NAMES: tuple[str, ...] = tuple(calendar.day_name[i] for i in range(7))
# what else a timestamp line holds beside its date ("THURSDAY, DECEMBER 3, 2009, 9:36 AM EST", "Updated: ...")
TIMESTAMP_WORDS = frozenset("am pm a.m. p.m. et est edt gmt utc bst cet pst pdt updated posted published last".split())

# number words: units and teens, tens, and the scales that multiply them ("two thousand", "a hundred")
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "couple": 2,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}

# unit word -> TIMEX3 duration code (minute and month share M; PT marks the clock units)
UNIT_CODES: dict[str, str] = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "quarter": "Q",
    "year": "Y", "decade": "DE", "century": "CE",
}
# words of a regular repetition -> TIMEX3 SET value
SET_WORDS: dict[str, str] = {
    "annual": "P1Y", "annually": "P1Y", "yearly": "P1Y", "monthly": "P1M", "weekly": "P1W", "daily": "P1D",
    "hourly": "PT1H", "nightly": "P1D",
}
# season -> TIMEX3 code and the months it covers (northern hemisphere, as the news data is)
SEASONS: dict[str, tuple[str, int, int]] = {
    "spring": ("SP", 3, 5), "summer": ("SU", 6, 8), "fall": ("FA", 9, 11), "autumn": ("FA", 9, 11),
    "winter": ("WI", 12, 2),
}
# part of a day -> TIMEX3 code
DAY_PARTS: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI", "overnight": "NI",
    "midday": "MI", "noon": "MI",
}
# vague references to the present, past or future -> TIMEX3 value
REF_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at present": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the near term": "FUTURE_REF", "the short term": "FUTURE_REF", "the long term": "FUTURE_REF",
    "a later date": "FUTURE_REF", "the distant future": "FUTURE_REF",
}

TENSE_FUTURE_AUX = {"will", "shall", "'ll", "would", "wo"}

FUTURE_CUES = {"expect", "plan", "schedule", "set", "due", "intend", "go"}

# present-tense verbs that do not say a happening is scheduled ("says Monday", "is", "wants")
NOT_SCHEDULED = {"be", "have", "say", "tell", "report", "want", "feel", "believe", "know", "think", "remain", "seem",
                  "accord", "follow", "need", "hope", "add", "note", "insist", "argue", "claim", "warn", "deny"}

SCHEDULE_WORDS = {"schedule", "plan", "due", "slate", "upcoming", "scheduled", "planned"}

# nouns that make a date part of a name: "the Sept. 11 attacks", "the 9/11 bill", "the July 4 holiday"
NAMED_BY_DATE = frozenset(
    "attack attacks bill act law commission memorial museum fund victims responders holiday parade anniversary "
    "generation era".split()
)

SOLE_DATE_PREPS = {"on", "in", "at", "during"}

DATING_EVENT_NOUNS = frozenset(
    {"call", "conversation", "meeting", "talk", "talks", "summit", "visit", "interview", "speech", "conference",
     "announcement", "statement", "vote", "election", "attack", "strike", "agreement", "deal", "trip", "session"}
)

YEAR_PREPOSITIONS = {"in", "by", "since", "until", "till", "before", "after", "of", "from", "through"}

NOT_YEAR_AFTER = {"million", "billion", "thousand", "hundred", "percent", "times", "twice", "once", "thrice", "dollars",
               "euros", "pounds", "people", "ships", "barrels", "tonnes", "tons", "cents", "flights", "seats"}
