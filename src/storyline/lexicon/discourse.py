"""Words that tie a sentence to the one before it, one home.

A sentence that opens with one of these ("He said...", "But the talks...", "This was...") reads as a
fragment when it is repeated alone (in a brief, as a label): the reader does not know who "he" is or
what "but" answers.
"""

from __future__ import annotations

__all__ = ["DEPENDENT_OPENERS"]

DEPENDENT_OPENERS = frozenset(
    # pronouns and demonstratives that point back
    "he she it they we i you him her them us his its their our this that these those such there here "
    "both either neither another others".split()
    # conjunctions and connectives that answer a sentence before
    + "and but or nor so yet because since although though also meanwhile instead otherwise still "
      "however moreover furthermore besides then thus hence therefore".split()
)
