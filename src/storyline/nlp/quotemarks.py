"""Quote-mark pairing: pure string work, no spaCy.

``pair_quotes(text)`` finds the quoted stretches of a text: straight (``"``,
``'``) and curly (“ ” ‘ ’) marks, plus „ ‚ « » ‹ ›, paired within one
paragraph by a single left-to-right pass with a small stack, so it is linear in
the length of the text.

Rules:

* A mark's direction comes from its shape (“ opens, ” closes) and from its
  context (after a space and before a word it opens; after a word and before a
  space or punctuation it closes). When shape and context disagree, context wins
  (texts that use ” for both ends still pair).
* A single mark between two letters or digits is an apostrophe (``Spain's``,
  ``Nato’s``, ``don't``); a single closing mark with nothing open is an
  apostrophe too (``allies' budgets``), and so are single marks around one or
  two characters (``rock 'n' roll``).
* Pairs never cross a paragraph break. An opening double mark left open at the
  end of its paragraph is kept (capped at the paragraph end, ``capped=True``)
  only when the next paragraph opens with a double mark -- the news convention
  for a quotation running over several paragraphs; otherwise it is dropped. An
  unmatched closing mark or single opening mark is dropped.
* ``depth`` counts the pairs enclosing a pair (a single-quoted phrase inside a
  double-quoted one has depth 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .util import strip_span

__all__ = ["QuotePair", "pair_quotes", "paragraphs", "DOUBLE_MARKS", "SINGLE_MARKS"]

DOUBLE_MARKS = '"“”„«»'
SINGLE_MARKS = "'‘’‚‹›"
_OPEN_SHAPE = set("“„«‘‚‹")
_CLOSE_SHAPE = set("”»’›")
_MARKS = re.compile("[" + re.escape(DOUBLE_MARKS + SINGLE_MARKS) + "]")
_PARA = re.compile(r"\n\s*\n|\n")
_OPENERS_BEFORE = set("([{—–―-/") | set(DOUBLE_MARKS) | set(SINGLE_MARKS)
_CLOSERS_AFTER = set(".,;:!?)]}—–―-…/") | set(DOUBLE_MARKS) | set(SINGLE_MARKS)


@dataclass(frozen=True)
class QuotePair:
    """One quoted stretch: marks at ``open`` and ``close - 1``; words in ``start:end``.

    ``close`` is the index just past the closing mark (the paragraph end, with
    no mark, when ``capped``). ``start:end`` excludes the marks and surrounding
    whitespace.
    """

    open: int
    close: int
    start: int
    end: int
    family: str  # "double" or "single"
    depth: int = 0
    capped: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between line breaks."""
    out, pos = [], 0
    for m in _PARA.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _family(ch: str) -> str:
    return "double" if ch in DOUBLE_MARKS else "single"


def _context(text: str, i: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(can open, can close) judged from the neighbours of the mark at ``i``."""
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    can_open = (prev == "" or prev.isspace() or prev in _OPENERS_BEFORE) and nxt != "" and not nxt.isspace()
    can_close = prev != "" and not prev.isspace() and (nxt == "" or nxt.isspace() or nxt in _CLOSERS_AFTER)
    return can_open, can_close


def _pair_paragraph(text: str, lo: int, hi: int, next_opens_double: bool) -> list[tuple[int, int, str, bool]]:
    """(open, close, family, capped) for the pairs of one paragraph."""
    stack: list[tuple[int, str]] = []  # (index, family) of open marks
    pairs: list[tuple[int, int, str, bool]] = []
    for m in _MARKS.finditer(text, lo, hi):
        i, ch = m.start(), m.group()
        fam = _family(ch)
        prev = text[i - 1] if i > lo else ""
        nxt = text[i + 1] if i + 1 < hi else ""
        if fam == "single" and prev.isalnum() and nxt.isalnum():
            continue  # apostrophe inside a word
        can_open, can_close = _context(text, i, lo, hi)
        pending = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == fam), None)
        if ch in _OPEN_SHAPE:
            close = pending is not None and can_close and not can_open
            open_ = not close
        elif ch in _CLOSE_SHAPE:
            if pending is not None and (can_close or not can_open):
                close, open_ = True, False
            else:
                close, open_ = False, can_open and not can_close
        else:  # straight mark: context, then parity
            if pending is not None and (can_close or not can_open):
                close, open_ = True, False
            else:
                close, open_ = False, can_open
        if close and pending is not None:
            start = stack[pending][0]
            del stack[pending:]  # marks opened inside and never closed are dropped
            pairs.append((start, i + 1, fam, False))
        elif open_:
            stack.append((i, fam))
    if next_opens_double:
        for start, fam in stack:
            if fam == "double":  # a quotation running on into the next paragraph
                pairs.append((start, hi, fam, True))
                break
    return pairs


def _inner(text: str, open_: int, close: int, capped: bool) -> tuple[int, int]:
    """The quoted words between the marks (to ``close`` itself when the quotation runs past it), trimmed."""
    return strip_span(text, open_ + 1, close if capped else close - 1)


def pair_quotes(text: str) -> list[QuotePair]:
    """Every quoted stretch of ``text``, sorted by position, with its nesting depth."""
    paras = paragraphs(text)
    raw: list[tuple[int, int, str, bool]] = []
    for k, (lo, hi) in enumerate(paras):
        nxt = False
        if k + 1 < len(paras):
            nlo, nhi = paras[k + 1]
            while nlo < nhi and text[nlo].isspace():
                nlo += 1
            nxt = nlo < nhi and text[nlo] in DOUBLE_MARKS and text[nlo] not in _CLOSE_SHAPE
        raw.extend(_pair_paragraph(text, lo, hi, nxt))
    raw.sort(key=lambda p: (p[0], -p[1]))
    out: list[QuotePair] = []
    enclosing: list[int] = []  # close positions of the pairs enclosing the current one
    for open_, close, fam, capped in raw:
        while enclosing and enclosing[-1] <= open_:
            enclosing.pop()
        start, end = _inner(text, open_, close, capped)
        if start < end and (fam == "double" or end - start > 2):  # 'n', 'em: elisions, not quotes
            out.append(QuotePair(open_, close, start, end, fam, len(enclosing), capped))
        enclosing.append(close)
    return out
