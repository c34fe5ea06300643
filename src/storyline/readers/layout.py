"""Article layout rules shared by the text and HTML readers.

Headline, byline, trailer, caption and dateline rules live here, once, and
work on a list of paragraphs (one paragraph per string).

Headline rule (plain text): the first non-empty line is the title when more
text follows it, it has at most 200 characters and 30 words, it does not start
with a quote mark, a dash or a lower-case letter, it is not a dateline
paragraph, and it *reads as a headline*: either it has no sentence-final
punctuation, or it is a single sentence of at most 25 words (a one-sentence
summary standfirst). A lead paragraph is longer or has several sentences and
stays in the body.

Trailer rule: a line that is only ``###``, ``# # #``, ``-30-`` or ``ENDS``
(after some body) ends the article; it and everything after it (press-release
"About X" boilerplate, media contacts) are dropped.

Caption rule: a paragraph of at most 400 characters that ends with a photo
credit (``Photo: AFP``, ``(Photo: Reuters)``, ``Credit: ...``) or starts with
``Photo:``/``Caption:`` is moved out of the body into ``captions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import UNKNOWN, When
from .dates import find_dateline

__all__ = [
    "is_headline",
    "byline_of",
    "is_person_name",
    "cut_trailer",
    "is_caption",
    "Body",
    "tidy_body",
]

_SENTENCE_END = re.compile(r"[.!?;:][\"'”’)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z]")
_OPENERS = "\"'“‘«„-–—•*>"
_BYLINE = re.compile(
    r"(?:[Bb]y|BY):?\s+(?P<names>[A-ZÀ-Þ][\w.'’\-]*(?:\s+(?:[A-ZÀ-Þ][\w.'’\-]*|de|da|del|van|von|der|la|le|bin|al-?\w*)){0,4}"
    r"(?:\s*(?:,|and|&)\s*[A-ZÀ-Þ][\w.'’\-]*(?:\s+[A-ZÀ-Þ][\w.'’\-]*){0,4}){0,3})"
    r"(?:\s*[,|/–—-]\s*[^\n]{0,60})?"
)
_NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ'’\-]+\.?|[A-Z]\.|(?:de|da|del|van|von|der|la|le|bin|y)")
_TRAILERS = frozenset({"###", "# # #", "-30-", "- 30 -", "ends", "-ends-", "- ends -", "—ends—", "-end-", "end"})
_CREDIT_TAIL = re.compile(
    r"(?:\(|\b)(?:photo(?:graph)?|picture|image|credit|photo credit|foto)s?\s*(?::|by)\s*[^()\n]{1,60}\)?\.?\s*$",
    re.I,
)
_CAPTION_HEAD = re.compile(r"(?:photo|caption|image|picture)\s*:", re.I)


def _words(line: str) -> int:
    return len(line.split())


def is_headline(line: str) -> bool:
    """The headline rule of this module's docstring (for a line with more text after it)."""
    line = line.strip()
    if not line or len(line) > 200 or _words(line) > 30:
        return False
    if line[0] in _OPENERS or line[0].islower() or find_dateline(line) is not None:
        return False
    if not _SENTENCE_END.search(line):
        return True
    return _words(line) <= 25 and not _SENTENCE_BREAK.search(line) and line.endswith((".", "!", "?"))


def is_person_name(text: str) -> bool:
    """Two to five capitalised name words (``Eduardo González``, ``Ana de la Cruz``), no digits."""
    text = text.strip()
    if not text or len(text) > 60 or any(c.isdigit() for c in text):
        return False
    words = text.split()
    if not 2 <= len(words) <= 5 or not words[0][:1].isupper():
        return False
    return all(_NAME_WORD.fullmatch(w) for w in words)


def byline_of(line: str) -> str | None:
    """``By Jane Doe and Ian Roe, Staff Writer`` -> ``Jane Doe and Ian Roe``."""
    line = line.strip().strip("*_").strip()
    if len(line) > 120:
        return None
    m = _BYLINE.fullmatch(line)
    return m.group("names").strip() if m else None


def cut_trailer(paragraphs: list[str]) -> list[str]:
    """Drop a ``###``/``-30-``/``ENDS`` line (after some body) and everything after it."""
    for i, p in enumerate(paragraphs):
        if i > 0 and p.strip().lower() in _TRAILERS and any(q.strip() for q in paragraphs[:i]):
            return paragraphs[:i]
    return paragraphs


def is_caption(paragraph: str) -> bool:
    p = paragraph.strip()
    if not p or len(p) > 400:
        return False
    return bool(_CREDIT_TAIL.search(p[-90:]) or _CAPTION_HEAD.match(p))


@dataclass
class Body:
    """Paragraphs after layout cleanup plus what was taken out of them."""

    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    dateline: str | None = None
    dateline_when: When = UNKNOWN
    date_span: tuple[int, int] | None = None  # in the first paragraph


def tidy_body(paragraphs: list[str]) -> Body:
    """Cut the trailer, move captions out, read a dateline at the start of the first paragraph."""
    kept: list[str] = []
    captions: list[str] = []
    for p in cut_trailer(paragraphs):
        (captions if is_caption(p) else kept).append(p)
    body = Body(kept, [c.strip() for c in captions])
    first = next((p for p in kept if p.strip()), None)
    if first is not None:
        lead = first.lstrip()
        dl = find_dateline(lead)
        if dl is not None:
            body.dateline = dl.place
            body.dateline_when = dl.when
            body.date_span = dl.date_span
    return body
