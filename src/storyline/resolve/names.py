"""Name normalisation for entity resolution: accent folding, titles, person
name parts, acronyms and the display form of a name.

All comparison forms are folded (NFKD with combining marks removed, lower
case, punctuation dropped), so "Martínez Belío" and "Martinez Belio" are one
key, and "U.S." and "US" are one key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon.names import NAME_AFFIXES, TITLE_WORDS, fold
from ..lexicon.names import ACRONYM_SKIP as _ACRONYM_SKIP
from ..lexicon.names import NAME_PARTICLES as _PARTICLES
from ..lexicon.names import NAME_SUFFIXES as _SUFFIXES

__all__ = [
    "fold",
    "name_tokens",
    "strip_titles",
    "person_tokens",
    "person_suffix",
    "nickname_forms",
    "acronym_of",
    "acronym_key",
    "display_name",
    "compatible_person",
    "TITLE_WORDS",
]

_ARTICLES = frozenset({"the", "a", "an"})
# a nickname quoted or in brackets inside a name: 'Gerardo "Jerry" Ortiz', "Mark 'Deep Throat' Felt",
# 'Charles (Lucky) Luciano' (not O'Brien's apostrophe)
_NICKNAME = re.compile(r"""\s(?:(?:``|''|["“”‘’'])([^"“”‘’'`()]{1,40}?)(?:''|["“”‘’'])|\(([^()"]{1,40})\))(?=\s)""")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_INITIALISM = re.compile(r"\b((?:[a-z]\.){2,})")
_POSSESSIVE = re.compile(r"'s\b")


def _undot(m: re.Match) -> str:
    return m.group(1).replace(".", "")


@lru_cache(maxsize=262_144)
def name_tokens(name: str) -> tuple[str, ...]:
    """Folded word tokens; dotted initialisms collapse ('U.S.' -> 'us'), possessive "'s" goes."""
    text = fold(name).replace("’", "'")
    if "." in text:
        text = _INITIALISM.sub(_undot, text)
    if "'" not in text:
        return tuple(_WORD.findall(text))
    toks = [t.replace("'", "") for t in _WORD.findall(_POSSESSIVE.sub("", text))]
    return tuple(t for t in toks if t)


def strip_titles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Drop leading title words and articles ('secretary of state marco rubio' -> 'marco rubio')."""
    i = 0
    while i < len(tokens) and (tokens[i] in NAME_AFFIXES or tokens[i] in _ARTICLES):
        i += 1
    return tokens[i:]


@lru_cache(maxsize=262_144)
def person_tokens(name: str) -> tuple[str, ...]:
    """The name part of a person mention: titles, a nickname quoted inside the name and a
    generational suffix ('Jr.', 'III') dropped, so that the surname is the last token; () when
    only a role remains."""
    toks = strip_titles(name_tokens(_NICKNAME.sub(" ", name)))
    if len(toks) > 2 and toks[-1] in _SUFFIXES:
        toks = toks[:-1]
    # a trailing role after a comma-less apposition ("rubio secretary") is rare; keep as is
    return toks


def nickname_forms(name: str) -> list[tuple[str, ...]]:
    """The names a nickname inside ``name`` gives its bearer: 'Gerardo "Jerry" Ortiz' ->
    [('jerry', 'ortiz')] (the nickname with the surname of :func:`person_tokens`)."""
    toks = person_tokens(name)
    if len(toks) < 2:
        return []
    out = []
    for m in _NICKNAME.finditer(name):
        nick = strip_titles(name_tokens(m.group(1) or m.group(2)))
        if nick and nick[-1] != toks[-1]:
            out.append((*nick, toks[-1]))
    return out


def person_suffix(name: str) -> str | None:
    """The generational suffix :func:`person_tokens` drops ('jr' of 'Cal Ripken Jr.'), else None:
    'Jr.' and 'Sr.' of one name are two people."""
    toks = strip_titles(name_tokens(name))
    return toks[-1] if len(toks) > 2 and toks[-1] in _SUFFIXES else None


def acronym_of(tokens: tuple[str, ...]) -> str | None:
    """Initials of a multi-word name ('united states' -> 'us'), None for one word."""
    words = [t for t in tokens if t not in _ACRONYM_SKIP]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words)


@lru_cache(maxsize=262_144)
def acronym_key(name: str) -> str | None:
    """The letters of a name written as an acronym ('U.S.', 'NATO', 'EU'), else None."""
    raw = name.strip()
    if raw.lower().startswith("the "):
        raw = raw[4:]
    letters = raw.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return fold(letters)
    return None


def _initial(tok: str) -> bool:
    return len(tok) == 1


def _first_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if _initial(a) or _initial(b):
        return a[0] == b[0]
    return False


def compatible_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two folded person names may be one person.

    Same last token, and either one is a suffix of the other ('albares' of
    'jose manuel albares', 'martinez belio' of 'diego martinez belio') or the
    first names agree (equal or initial) and the middle names do not clash.
    """
    if not a or not b or a[-1] != b[-1]:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_[len(long_) - len(short):] == short:
        return True
    if len(short) < 2:
        return False
    if not _first_compatible(short[0], long_[0]):
        return False
    mid_s = [t for t in short[1:-1] if t not in _PARTICLES]
    mid_l = [t for t in long_[1:-1] if t not in _PARTICLES]
    if mid_s and mid_l:
        # every middle of the shorter must match (or initial-match) one of the longer, in order
        j = 0
        for t in mid_s:
            while j < len(mid_l) and not _first_compatible(t, mid_l[j]):
                j += 1
            if j == len(mid_l):
                return False
            j += 1
    return True


@lru_cache(maxsize=262_144)
def display_name(name: str) -> str:
    """The name as written, with leading titles and articles removed ('the United States' -> 'United States')."""
    words = name.strip().split()
    i = 0
    while i < len(words) - 1:
        toks = name_tokens(words[i])
        if toks and all(t in NAME_AFFIXES or t in _ARTICLES for t in toks):
            i += 1
            continue
        break
    return " ".join(words[i:]).strip(" ,;:()")
