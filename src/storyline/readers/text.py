"""Plain text and Markdown articles.

Layout read from the top of the file, in order: optional Markdown front matter
(``title``/``date``/``author`` keys, basis ``metadata``), then up to five
leading lines that may be a date line (``date 2025-04-03 Headline``: the date is
``stated`` and the rest of the line is the headline), a Markdown ``# heading``,
a ``By ...`` byline, or the headline (rule in :mod:`.layout`). The body then
loses its trailer and captions, and its first paragraph may carry a dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import Settings
from ..model import Document, Published, When
from .clean import decode, make_document, normalize, repair
from .dates import date_line, parse_date
from .layout import byline_of, cut_trailer, is_headline, tidy_body

__all__ = ["read_text", "read_markdown", "parse_text"]

_MD_HEADING = re.compile(r"#{1,6}\s+(.{1,300}?)\s*#*")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\n]{0,500}\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)([^*_\n]{1,500}?)(?<=\S)\1")
_MD_EM = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]{1,500}?)(?<=\S)\1(?![\w*])")
_MD_QUOTE = re.compile(r"^>\s?", re.M)
_FRONT_KEY = re.compile(r"([A-Za-z_][\w-]{0,40})\s*:\s*(.*)")


@dataclass
class Parsed:
    text: str
    title: str | None
    byline: str | None
    published: Published
    captions: list[str]
    dateline: str | None
    evidence: list[tuple[int, int]]


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for line in lines[1:end]:
                m = _FRONT_KEY.fullmatch(line.strip())
                if m:
                    meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
            return meta, lines[end + 1 :]
    return {}, lines


def _unmark(line: str) -> str:
    """Markdown inline syntax to plain text (images become their alt text)."""
    if len(line) > 20000:  # not prose: leave as is (the patterns are linear, the cost is not needed)
        return line
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_STRONG.sub(r"\2", line)
    return _MD_EM.sub(r"\2", line)


def parse_text(raw: str, markdown: bool = False) -> Parsed:
    """Split normalised article text into title, byline, dates, body, captions and dateline."""
    lines = normalize(raw).split("\n")
    meta: dict[str, str] = {}
    if markdown:
        meta, lines = _front_matter(lines)
        lines = [_MD_QUOTE.sub("", ln) for ln in lines]
    title = meta.get("title") or None
    byline = meta.get("author") or meta.get("byline") or None
    stated: When | None = None
    tried_headline = False
    i, seen = 0, 0
    while i < len(lines) and seen < 5:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        seen += 1
        rest_of_text = any(ln.strip() for ln in lines[i + 1 :])
        heading = _MD_HEADING.fullmatch(line) if markdown else None
        dl = date_line(line) if stated is None else None
        if dl is not None:
            stated = dl.when
            if dl.rest and title is None:
                title = _unmark(dl.rest) if markdown else dl.rest
                tried_headline = True
        elif heading and title in (None, _unmark(heading.group(1))):
            title = _unmark(heading.group(1))
            tried_headline = True
        elif byline is None and byline_of(_unmark(line) if markdown else line):
            byline = byline_of(_unmark(line) if markdown else line)
        elif title is None and not tried_headline and rest_of_text and is_headline(line):
            title = line
            tried_headline = True
        else:
            break
        del lines[i]
    body_lines = lines  # the leading lines were deleted in place
    if markdown:
        body_lines = cut_trailer(body_lines)  # before "# # #" could be read as a heading
        body_lines = [_unmark(_MD_HEADING.sub(r"\1", ln) if ln.startswith("#") else ln) for ln in body_lines]
    body = tidy_body(body_lines)
    text = normalize("\n".join(body.paragraphs))
    published = Published()
    evidence: list[tuple[int, int]] = []
    if stated is not None:
        published = Published(stated, "stated")
    elif meta.get("date") and (meta_when := parse_date(meta["date"])) is not None:
        published = Published(meta_when, "metadata")
    elif body.dateline_when.known and body.date_span is not None:
        published = Published(body.dateline_when, "stated")
        first = next(p for p in body.paragraphs if p.strip()).strip()
        at = text.find(first[: body.date_span[1]])
        if at >= 0:
            evidence.append((at + body.date_span[0], at + body.date_span[1]))
    return Parsed(text, title, byline, published, body.captions, body.dateline, evidence)


def _to_document(parsed: Parsed, source: str, fmt: str) -> Document:
    return make_document(
        parsed.text,
        source,
        title=parsed.title,
        byline=parsed.byline,
        published=parsed.published,
        fmt=fmt,
        captions=parsed.captions,
        dateline=parsed.dateline,
        evidence=parsed.evidence,
    )


def read_text(data: bytes, source: str, settings: Settings) -> list[Document]:
    return [_to_document(parse_text(repair(decode(data))), source, "text")]


def read_markdown(data: bytes, source: str, settings: Settings) -> list[Document]:
    return [_to_document(parse_text(repair(decode(data)), markdown=True), source, "markdown")]
