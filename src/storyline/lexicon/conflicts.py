"""Words the conflict finder reads (storyline.resolve.conflicts)."""

from .names import PERSON_PRONOUNS, SELF_PRONOUNS

# a date after one of these bounds a happening ("delayed until June 1", "since March") instead of
# dating it: never compared with the day another report gives the happening
DATE_BOUNDS = frozenset({"until", "till", "through", "by", "before", "after", "since", "from", "starting", "ending", "within"})

RATE_WORDS = frozenset({"hour", "day", "week", "month", "quarter", "year", "annual", "daily", "weekly", "monthly"})

# what a toll counts, and a quake's strength: other counts (boats, rifles, cars) are often of
# different things within one incident ("two boats" attacked, "three boats" boarded), so they never conflict
COUNT_MEASURES = frozenset(
    "people person man woman child children victim officer policeman student passenger civilian soldier "
    "worker resident pilgrim magnitude".split()
)

# words that make a larger number an update, not a disagreement ("the toll rose to 40")
UPDATE_WORDS = ("rose", "risen", "rise", "climbed", "climb", "increased", "jumped", "updated", "revised", "now",
                "originally", "initially")

# words whose duration object says how long the happening itself ran ("sentenced to 2 years", "served
# five months", "a sentence of 12 years", "lasted 30 seconds"): two reports of one such happening giving
# two durations disagree. Other durations near a trigger date or place the happening ("two weeks ago",
# "for the past three years" of living somewhere, "with 12 seconds left") and are never compared.
DURATION_TRIGGERS = frozenset(
    "sentence sentenced sentences sentencing serve served serves serving last lasted lasts lasting jailed imprisoned".split()
)
# what a duration's own words may start with and still be exact ("just 24 hours"); other qualifiers hedge it
EXACT_QUALIFIERS = frozenset({"just", "only", "exactly"})
# a word right after a duration that makes it place the happening, not measure it ("sentenced 2 years ago",
# "arrested 12 days later", "a 36-year-old", "with 12 seconds left")
PLACING_WORDS = frozenset({"ago", "later", "earlier", "before", "after", "old", "left", "remaining", "since", "from"})

# the last word of a speaker's span that names no one (quote wording takes two speakers with one last
# name as one speaker: "President Trump" / "Donald Trump"; "He" / "he" are no name)
NOT_SPEAKER_NAMES = frozenset(PERSON_PRONOUNS | SELF_PRONOUNS | {"they", "it", "you"})
