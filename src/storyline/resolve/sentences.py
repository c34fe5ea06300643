"""Whole sentences a brief may repeat, and how much two sentences or a story's reports share.

- :func:`whole_sentence` / :func:`sentence_span`: a source's whole sentence, verbatim, with its provenance:
  no dateline, headline run-on, fragment, unbalanced quotation marks or sentence that is mostly a quotation;
- :class:`Echo`: how much of a sentence the story's other reports also tell;
- :func:`same_wording` / :func:`distinct`: another outlet's copy or paraphrase of a sentence already said;
- :func:`render`: one brief sentence with its outlet, date and ``[doc:start-end]`` citations.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping, Sequence

from ..lexicon.discourse import ABBREVIATED_TITLES, DEPENDENT_OPENERS
from ..lexicon.names import SELF_PRONOUNS
from ..model import Event, Span
from .words import date_words

__all__ = ["cite", "whole_sentence", "reporters_voice", "sentence_span", "Echo", "content_words", "same_wording", "distinct", "render",
           "said_by", "reading_length"]

SENTENCE_WORDS = (6, 60)  # a brief sentence has at least and at most this many words

QUOTED_SHARE = 0.5  # a sentence with more than this share of its characters inside quotation marks is a quote

SAME_WORDING = 0.5  # share of the shorter sentence's content words at which two brief sentences say the same


def cite(span: Span) -> str:
    return f"{span.doc}:{span.start}-{span.end}"


# a dateline opening a report: "WASHINGTON (Reuters) - ", "April 29 (UPI) — ", "2025 (Herald) - "
_DATELINE_AGENCY = re.compile(r"^[^\n.!?]{0,60}?\((?:[A-Z][A-Za-z.&' ]{0,30})\)\s*[-–—:]+\s*")

# "WEST PALM BEACH, Fla. — ", "SEOUL, South Korea — ", "WASHINGTON ― "
_DATELINE_PLACE = re.compile(r"^[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][A-Za-z. ]{1,20})?\s*[-–—―]{1,2}\s+")

# a line that opens with a label ("Related: ...", "WATCH: ...", "DESPERATION: ..."): a link or a headline
_LABEL = re.compile(r"^[A-Z][A-Za-z]{1,15}(?: [A-Z][A-Za-z]{1,15})?:\s")

# "..., they said": an attribution the reader cannot follow alone
_PRONOUN_SAID = re.compile(r"\b(?:he|she|they|it|we)\s+(?:said|says|added|told|wrote|argued|claimed)\b")

_OPEN = "\"“‘'`("

_END = re.compile(r"[.!?][\"”’')]*$|[.!?]''$")

def _balanced(text: str) -> bool:
    if text.count("“") != text.count("”") or text.count("``") != text.count("''"):
        return False
    return text.replace("``", "").replace("''", "").count('"') % 2 == 0 and text.count("(") == text.count(")")

def _quoted_share(text: str) -> float:
    """Share of characters inside quotation marks (straight, curly or ``...'')."""
    inside = sum(len(m) for m in re.findall(r"“[^”]*”|\"[^\"]*\"|``.*?''", text))
    return inside / max(1, len(text))

def whole_sentence(text: str) -> bool:
    """A whole sentence a brief may repeat: a capital (or a digit, or an opening quote and a
    capital) first, closing punctuation last, balanced quotation marks, no line break, no dateline,
    between SENTENCE_WORDS words, not opening with a word that points back (``DEPENDENT_OPENERS``:
    "He", "But", "This") and not mostly a quotation."""
    t = text.strip()
    if not t or "\n" in t:
        return False
    if t[0] in _OPEN[:-1]:  # opens with a quotation mark: a quotation, which would read as fact
        return False
    first = t
    if not (first[0].isupper() or first[0].isdigit()):
        return False
    opener = re.match(r"[A-Za-z]+", first)
    if opener and opener[0].lower() in DEPENDENT_OPENERS:  # "He said...", "But...": needs the sentence before
        return False
    if not _END.search(t) or not _balanced(t):
        return False
    if _DATELINE_AGENCY.match(t) or _DATELINE_PLACE.match(t) or _LABEL.match(t) or _PRONOUN_SAID.search(t):
        return False
    n = len(t.split())
    if not SENTENCE_WORDS[0] <= n <= SENTENCE_WORDS[1]:
        return False
    return _quoted_share(t) <= QUOTED_SHARE

def reporters_voice(text: str, cut_only: bool = False) -> bool:
    """True when ``text`` is told in a reporter's voice: not cut at a title written short ("..., according to
    spokesperson Const.": the sentence splitter stopped at the abbreviation) and (unless ``cut_only``) with no
    first person outside its quotation marks ("we", "let's", "I": a columnist's or a blogger's voice)."""
    last = re.search(r"\b([A-Z][a-z]{1,4})\.$", text.strip())
    if last and last[1].lower() in ABBREVIATED_TITLES:
        return False
    if cut_only:
        return True
    bare = re.sub(r"“[^”]*”|\"[^\"]*\"|``.*?''", " ", text)
    # lower case only: "US" is a country; "I" alone (not in "F.B.I.") is the pronoun
    return not (re.search(r"(?<![\w.])I(?![\w.])|\b[Ll]et's\b", bare) or any(w in SELF_PRONOUNS for w in re.findall(r"\b[a-z]+\b", bare)))


def sentence_span(span: Span, trigger: Span | None = None) -> Span | None:
    """The whole sentence of ``span`` (a report's sentence) that a brief may repeat, as a sub-span
    with its provenance: the line holding the trigger (a headline run into the first sentence is
    dropped), its dateline cut off, surrounding spaces trimmed. None when what is left is not a
    whole sentence (:func:`whole_sentence`)."""
    text = span.text
    lo, hi = 0, len(text)
    at = (trigger.start - span.start) if trigger is not None and span.start <= trigger.start < span.end else None
    if "\n" in text:
        for part in re.finditer(r"[^\n]+", text):
            if at is None or part.start() <= at < part.end():
                lo, hi = part.start(), part.end()
                if at is not None:
                    break
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    for dl in (_DATELINE_AGENCY, _DATELINE_PLACE):
        if m := dl.match(text[lo:hi]):
            if at is None or lo + m.end() <= at:
                lo += m.end()
    piece = text[lo:hi]
    if not whole_sentence(piece):
        return None
    return Span(span.doc, span.start + lo, span.start + hi, piece)

def said_by(docs: Mapping[str, dict], doc: str) -> str:
    d = docs.get(doc) or {}
    name = d.get("name") or doc
    day = date_words(d.get("date"))
    return f"{name}, {day}" if day else name

def render(text: str, spans: Sequence[Span], docs: Mapping[str, dict], *, kind: str, lead: str = "",
              event: str | None = None) -> dict:
    """One brief sentence: ``lead`` (a date) then the words, the outlet(s) in parentheses and the
    ``[doc:start-end]`` markers."""
    cites = list(dict.fromkeys(cite(s) for s in spans))
    names = list(dict.fromkeys(said_by(docs, s.doc) for s in spans))
    body = " ".join(text.split())
    said = f" ({'; '.join(names)})" if names else ""
    marks = "".join(f" [{c}]" for c in cites)
    return {"text": f"{lead}{body}{said}{marks}", "citations": cites, "kind": kind,
            "sources": [{"doc": s.doc, "name": (docs.get(s.doc) or {}).get("name") or s.doc} for s in spans],
            **({"event": event} if event else {})}

def reading_length(sentence: dict) -> int:
    """Words a reader reads in a brief sentence: its text without the ``[doc:start-end]`` markers."""
    return len(re.sub(r"\[[^\]]*\]", "", sentence["text"]).split())

ECHO_WORDS = 12  # a sentence of this many content words scores its mean echo; longer ones score more of what they share

class Echo:
    """How much of a sentence the story's other reports also tell: for each content word (four letters
    or more) the share of the other documents whose reported sentences use it, averaged over the
    sentence's words. A lede every outlet echoes scores high; one outlet's aside or opinion scores low."""

    def __init__(self, events: Iterable[Event]):
        per_doc: dict[str, set[str]] = {}
        for ev in events:
            for m in ev.mentions:
                per_doc.setdefault(m.span.doc, set()).update(content_words(m.span.text))
        self.df = Counter(w for words in per_doc.values() for w in words)
        self.others = max(1, len(per_doc) - 1)

    def __call__(self, text: str) -> float:
        words = content_words(text)
        if not words:
            return 0.0
        shared = sum(min(self.df[w] - 1, self.others) for w in words) / self.others
        return shared / (ECHO_WORDS * (len(words) / ECHO_WORDS) ** 0.5)  # many shared words count, not only their share

def content_words(text: str, letters: int = 4) -> set[str]:
    """The words of ``letters`` letters or more (content words, roughly), lower case."""
    return set(re.findall(r"[a-z][a-z'-]{%d,}" % (letters - 1), text.lower()))

def same_wording(text: str, before: Sequence[str]) -> bool:
    """True when ``text`` shares ``SAME_WORDING`` of its (or the shorter one's) content words of five letters or
    more with one of ``before``: it tells the same again."""
    words = content_words(text, 5)
    return any(len(words & w) >= SAME_WORDING * min(len(words), len(w)) for w in map(lambda t: content_words(t, 5), before)
               if words and w)

def distinct(sentences: list[dict]) -> list[dict]:
    """``sentences`` without repeats: a sentence that shares ``SAME_WORDING`` of its content words (or of
    the shorter one's) with one before it tells the same again (another outlet's copy or paraphrase of
    the same report) and is left out."""
    out: list[dict] = []
    said: list[set[str]] = []
    for s in sentences:
        if any(s["citations"] == o["citations"] for o in out):
            continue
        words = content_words(re.sub(r"\([^)]*\)\s*(\[[^\]]*\]\s*)*$", "", s["text"]), 5)
        if any(len(words & w) >= SAME_WORDING * min(len(words), len(w)) for w in said if words and w):
            continue
        said.append(words)
        out.append(s)
    return out
