"""Who a pronoun or a cue-less quotation can point back to: the people named in a stretch of text.

``People`` indexes the PERSON name mentions of one document outside quote marks (sorted starts, bisected: a window costs its
own length) and what the document says of each person's gender (a he/she pronoun that the entity
recogniser joined to them, a Mr./Mrs./Ms. title). ``storyline_quotes`` asks it two things:

* ``named(lo, hi)``: the people named in ``lo:hi``, in order of first mention;
* ``fitting(lo, tok)``: the people named in ``lo:tok`` whom a pronoun ``tok`` can stand for (gender
  permitting): quotes give a pronoun a speaker only when one antecedent fits.
"""

from __future__ import annotations

from bisect import bisect_left
from ..lexicon.names import MALE_PRONOUNS as _MALE
from ..lexicon.names import FEMALE_PRONOUNS as _FEMALE
from ..lexicon.names import FEMALE_TITLES as _FEMALE_TITLES

__all__ = ["People", "gender_of_pronoun"]

_MALE_TITLES = ("mr ", "mr. ")


def gender_of_pronoun(word: str) -> str | None:
    low = word.lower()
    return "m" if low in _MALE else "f" if low in _FEMALE else None


class People:
    def __init__(self, entities, quoted=lambda start: False) -> None:
        rows: list[tuple[int, str]] = []
        self.genders: dict[str, list[tuple[int, str]]] = {}  # key -> (pronoun start, gender)
        self.titled: dict[str, str] = {}
        for ent in entities or ():
            if ent.type != "PERSON":
                continue
            for m in ent.mentions:
                if m.kind == "name":
                    if not quoted(m.span.start):  # a name inside quote marks is no one's antecedent
                        rows.append((m.span.start, ent.key))
                    low = m.span.text.lower()
                    if low.startswith(_MALE_TITLES):
                        self.titled[ent.key] = "m"
                    elif low.startswith(_FEMALE_TITLES):
                        self.titled[ent.key] = "f"
                elif m.kind == "pronoun":
                    g = gender_of_pronoun(m.span.text)
                    if g:
                        self.genders.setdefault(ent.key, []).append((m.span.start, g))
        rows.sort()
        self.rows = rows
        self.starts = [r[0] for r in rows]

    def named(self, lo: int, hi: int) -> list[str]:
        out: list[str] = []
        i = bisect_left(self.starts, lo)
        while i < len(self.rows) and self.rows[i][0] < hi:
            key = self.rows[i][1]
            if key not in out:
                out.append(key)
            i += 1
        return out

    def fits(self, key: str, gender: str | None, at: int) -> bool:
        """Nothing the document says of ``key`` (apart from the pronoun at ``at``) contradicts ``gender``."""
        if gender is None:
            return True
        said = {g for start, g in self.genders.get(key, ()) if start != at}
        if key in self.titled:
            said.add(self.titled[key])
        return not said or gender in said

    def fitting(self, lo: int, tok) -> list[str]:
        """The people named in ``lo:tok`` whom the pronoun ``tok`` can stand for, gender permitting."""
        gender = gender_of_pronoun(tok.text)
        return [k for k in self.named(lo, tok.idx) if self.fits(k, gender, tok.idx)]
