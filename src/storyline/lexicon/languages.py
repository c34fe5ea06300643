"""Function words that tell English from other languages at a glance, one home.

:func:`storyline.readers.clean.language` calls a text English without loading the
language model when its sample is dense in :data:`ENGLISH_MARKERS`, nearly free of
:data:`OTHER_MARKERS` and nearly all ASCII (the thresholds are in ``clean.py`` and
``docs/ledger.md``). Both lists hold only words that are function words of one side and
not ordinary words of the other: ``in``, ``is``, ``was``, ``to``, ``for``, ``on``, ``a``,
``die`` and ``de`` are left out (Dutch, German, Polish, Scandinavian, French and Spanish
use them too, or English names carry them).
"""

from __future__ import annotations

__all__ = ["ENGLISH_MARKERS", "OTHER_MARKERS"]

ENGLISH_MARKERS = frozenset(
    "the and that with this which from have been were would their they said but who its are his had".split()
)

OTHER_MARKERS = frozenset(
    # French
    "le les des du est une et qui dans pour pas sur avec sont".split()
    # German
    + "der das und ist nicht ein eine mit dem sich auf auch wird".split()
    # Spanish
    + "el los las del que por una con para y es".split()
    # Italian
    + "il che di della per non sono gli dei nel".split()
    # Dutch
    + "het een van niet zijn voor ook".split()
    # Portuguese
    + "não uma os em ao".split()
    # Swedish, Danish, Norwegian
    + "och att det som är på og ikke af".split()
    # Polish
    + "nie się jest że".split()
    # Indonesian and Malay
    + "yang dan ini itu dengan untuk tidak".split()
    # Turkish
    + "ve bir bu için ile".split()
    # Hungarian
    + "és az hogy nem egy".split()
    # Finnish
    + "ja ei että".split()
    # Romanian
    + "și în care pentru".split()
)
