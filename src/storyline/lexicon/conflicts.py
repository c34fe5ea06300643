"""Words the conflict finder reads (storyline.resolve.conflicts)."""

# a date after one of these bounds a happening ("delayed until June 1", "since March") instead of
# dating it: never compared with the day another report gives the happening
DATE_BOUNDS = frozenset({"until", "till", "through", "by", "before", "after", "since", "from", "starting", "ending", "within"})
