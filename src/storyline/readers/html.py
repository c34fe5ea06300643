"""HTML articles: whole pages through trafilatura, fragments through our own block reader.

A *page* (``<html>``, ``<body>`` or a doctype near the top) goes to trafilatura
for the main text, title and author; its date comes from htmldate restricted to
markup (``extensive_search=False``), basis ``metadata``. When trafilatura finds
nothing, or the page defeats lxml (nesting deeper than its limit), the page is
read like a fragment.

A *fragment* (seed 001's ``<h6><strong>Name</strong></h6> <h4><strong>lede</strong></h4> body``)
is split into blocks with :class:`html.parser.HTMLParser`, which is iterative,
so 10,000 nested tags cannot exhaust the stack. Leading heading or bold blocks
that are a person's name become the byline; a short ``h1``-``h3`` headline
without sentence punctuation becomes the title; heading blocks of sentence text
(a lede) stay in the text. Entities are unescaped, tags dropped, and blocks
joined with ``\\n\\n``. ``figcaption`` blocks go to captions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..config import Settings
from ..errors import IngestError
from ..model import Document, Published, When
from .clean import decode, make_document, normalize, repair
from .dates import parse_date
from .layout import byline_of, is_headline, is_person_name, tidy_body

__all__ = ["read_html", "html_document", "is_page", "blocks_of"]

_PAGE = re.compile(r"<(?:!doctype|html|body|head)[\s>]", re.I)
_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol br hr blockquote section article header footer figure figcaption "
    "tr table dd dt dl pre address aside main nav form title caption center".split()
)
_SKIP_TAGS = frozenset("script style noscript template svg iframe object head select button".split())
_BOLD_TAGS = frozenset({"strong", "b"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class Block:
    tag: str
    text: str
    bold: bool


@dataclass
class _Current:
    tag: str = "p"
    parts: list[str] = field(default_factory=list)
    all_bold: bool = True


class _BlockReader(HTMLParser):
    """Flat list of text blocks; never recursive, tolerant of unclosed and stray tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title: str | None = None
        self._cur = _Current()
        self._skip = 0
        self._bold = 0
        self._in_title = False
        self._title_parts: list[str] = []

    def _flush(self, next_tag: str) -> None:
        text = _SPACE.sub(" ", "".join(self._cur.parts)).strip()
        if text:
            self.blocks.append(Block(self._cur.tag, text, self._cur.all_bold))
        self._cur = _Current(tag=next_tag)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BOLD_TAGS:
            self._bold += 1
        elif tag in _BLOCK_TAGS:
            self._flush(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self._flush("p")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.title = _SPACE.sub(" ", "".join(self._title_parts)).strip() or None
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BOLD_TAGS:
            self._bold = max(0, self._bold - 1)
        elif tag in _BLOCK_TAGS:
            self._flush("p")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
            return
        if self._skip:
            return
        if data.strip() and not self._bold:
            self._cur.all_bold = False
        self._cur.parts.append(data)

    def finish(self) -> list[Block]:
        self.close()
        self._flush("p")
        return self.blocks


def blocks_of(html: str) -> tuple[list[Block], str | None]:
    """Text blocks of ``html`` and its ``<title>``."""
    reader = _BlockReader()
    reader.feed(html)
    return reader.finish(), reader.title


def is_page(html: str) -> bool:
    return bool(_PAGE.search(html[:4096]))


def _fragment_parts(blocks: list[Block]) -> tuple[str | None, str | None, list[str], list[str]]:
    """(title, byline, paragraphs, captions) by the fragment rules in the module docstring."""
    title = byline = None
    i = 0
    while i < len(blocks) and i < 4:
        b = blocks[i]
        marked = b.tag in _HEADINGS or b.bold
        if byline is None and marked and (is_person_name(b.text) or byline_of(b.text)):
            byline = byline_of(b.text) or b.text
        elif byline is None and byline_of(b.text):
            byline = byline_of(b.text)
        elif title is None and b.tag in ("h1", "h2", "h3", "title") and is_headline(b.text) and b.text[-1] not in ".:;":
            title = b.text
        else:
            break
        i += 1
    paragraphs = [b.text for b in blocks[i:] if b.tag != "figcaption"]
    captions = [b.text for b in blocks[i:] if b.tag == "figcaption"]
    return title, byline, paragraphs, captions


def _same(a: str, b: str) -> bool:
    a, b = _SPACE.sub(" ", a).strip().casefold(), _SPACE.sub(" ", b).strip().casefold()
    return bool(a and b) and (a == b or (len(a) >= 20 and b.startswith(a)) or (len(b) >= 20 and a.startswith(b)))


def _drop_head(paragraphs: list[str], title: str | None) -> list[str]:
    """trafilatura keeps the ``h1`` in the text: drop leading blank lines and a repeat of the title."""
    paragraphs = [p for p in paragraphs if p.strip()]
    if title and paragraphs and len(paragraphs[0]) <= 300 and _same(paragraphs[0], title):
        return paragraphs[1:]
    return paragraphs


def _page_date(html: str) -> When | None:
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError, RecursionError):
        return None
    return parse_date(found) if found else None


def _trafilatura(html: str, url: str | None) -> tuple[str | None, str | None, list[str]] | None:
    """(title, author, paragraphs) from trafilatura, or None when it finds no text."""
    import trafilatura
    from lxml.etree import LxmlError

    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except (LxmlError, ValueError, TypeError, RecursionError):
        return None
    if extracted is None:
        return None
    # a trafilatura Document (as_dict=False); its stubs also allow the deprecated dict form
    doc = extracted if isinstance(extracted, dict) else extracted.as_dict()
    if not doc or not (doc.get("text") or "").strip():
        return None
    return doc.get("title"), doc.get("author"), (doc.get("text") or "").split("\n")


def html_document(
    html: str,
    source: str,
    *,
    url: str | None = None,
    fallback: Published | None = None,
    fmt: str = "html",
) -> Document:
    """One Document from decoded HTML (page or fragment); E108 when it holds no text."""
    page = is_page(html)
    extracted = _trafilatura(html, url) if page else None
    if extracted is not None:
        title, byline, paragraphs = extracted
        captions: list[str] = []
        paragraphs = _drop_head(paragraphs, title)
        if paragraphs and byline_of(paragraphs[0]):
            byline = byline or byline_of(paragraphs[0])
            paragraphs = paragraphs[1:]
    else:
        blocks, page_title = blocks_of(html)
        title, byline, paragraphs, captions = _fragment_parts(blocks)
        if page and title is None and page_title and is_headline(page_title):
            title = page_title
    body = tidy_body([p.strip() for p in paragraphs if p.strip()])
    text = normalize("\n\n".join(body.paragraphs))
    if not text:
        raise IngestError(code="E108", path=source)
    when = _page_date(html) if page else None
    published = Published(when, "metadata") if when else (fallback or Published())
    evidence: list[tuple[int, int]] = []
    if not published.when.known and body.dateline_when.known and body.date_span:
        published = Published(body.dateline_when, "stated")
        first = body.paragraphs[0].strip()
        at = text.find(first[: body.date_span[1]])
        if at >= 0:
            evidence.append((at + body.date_span[0], at + body.date_span[1]))
    return make_document(
        text,
        source,
        title=title,
        byline=byline,
        published=published,
        fmt=fmt,
        url=url,
        captions=[*captions, *body.captions],
        dateline=body.dateline,
        evidence=evidence,
    )


def read_html(data: bytes, source: str, settings: Settings) -> list[Document]:
    return [html_document(repair(decode(data)), source)]
