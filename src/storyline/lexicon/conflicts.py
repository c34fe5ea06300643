"""Words the conflict finder reads (storyline.resolve.conflicts)."""

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
