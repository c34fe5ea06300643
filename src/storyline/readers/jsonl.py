"""JSON lines, JSON arrays and single JSON objects: one article per record.

Field names follow the common scrapers (news-please, trafilatura, newspaper):
text from ``text``/``maintext``/``body``/``content``; title from
``title``/``headline``; date from ``published``/``date_publish``/``date``/
``published_at`` (basis ``metadata``); byline from ``authors`` (list or
string)/``byline``/``author``; url from ``url`` (or ``source`` when it is a
URL); the record's ``id`` (else its 1-based line or position) names it in the
source, ``file.jsonl#<id>``.

The text field is kept **verbatim** (no normalisation, no repair) so character
offsets line up with the user's own data. A bad line is one
:class:`~storyline.readers.IngestFailure`; the other lines still go in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..config import Settings
from ..errors import IngestError
from ..model import Document, Published
from .clean import decode, has_surrogate, is_utf8, make_document
from .dates import find_dateline, parse_date

__all__ = ["read_jsonl", "read_json", "record_document", "TEXT_FIELDS"]

TEXT_FIELDS = ("text", "maintext", "body", "content")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("published", "date_publish", "date", "published_at")
AUTHOR_FIELDS = ("authors", "byline", "author")
WRAPPERS = ("articles", "documents", "records", "items", "data", "results")


def _first(record: dict, names: tuple[str, ...]) -> object:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _byline(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        names = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        return ", ".join(names) or None
    return None


def _short(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def record_document(record: object, source: str, fmt: str = "jsonl", max_chars: int | None = None) -> Document:
    """One Document from one JSON record; E107 when it is not an article record, E111 when its
    text is longer than ``max_chars`` (``max_document_bytes``)."""
    if not isinstance(record, dict):
        raise IngestError(f"record is a {type(record).__name__}, not an object", code="E107", path=source)
    text = _first(record, TEXT_FIELDS)
    if not isinstance(text, str):
        raise IngestError("record has no string field text/maintext/body/content", code="E107", path=source)
    if max_chars is not None and len(text) > max_chars:
        raise IngestError(f"text of {len(text)} characters > max_document_bytes {max_chars}", code="E111", path=source)
    when = parse_date(_first(record, DATE_FIELDS))
    url = _short(record.get("url"))
    src = _short(record.get("source"))
    if url is None and src and src.startswith(("http://", "https://")):
        url = src
    dl = find_dateline(text.lstrip()[:200])
    return make_document(
        text,  # verbatim: no normalisation so offsets match the user's data
        source,
        dateline=dl.place if dl else None,
        title=_short(_first(record, TITLE_FIELDS)),
        byline=_byline(_first(record, AUTHOR_FIELDS)),
        published=Published(when, "metadata") if when else Published(),
        fmt=fmt,
        url=url,
    )


def _name(record: object, position: int) -> str:
    if isinstance(record, dict):
        ident = record.get("id")
        if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
            name = str(ident).strip()[:200]
            if not has_surrogate(name):  # a name UTF-8 cannot print is no name: the position is
                return name
    return str(position)


def _records(items: list, source: str, fmt: str, limit: int | None = None) -> Iterator[Document | IngestError]:
    for pos, record in enumerate(items, start=1):
        name = f"{source}#{_name(record, pos)}"
        try:
            yield record_document(record, name, fmt, limit)
        except IngestError as exc:
            exc.path = name
            yield exc


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode(data)


def _utf8_lines(data: bytes) -> Iterator[str]:
    """The lines of UTF-8 ``data`` one at a time (never the whole text at once)."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while start <= len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield data[start:end].decode("utf-8")
        start = end + 1


def read_jsonl(data: bytes, source: str, settings: Settings) -> Iterator[Document | IngestError]:
    """One record per line, read and yielded a line at a time; each bad line is an E106/E107 error."""
    lines = _utf8_lines(data) if is_utf8(data) else iter(_text(data).split("\n"))  # Latin-1 and such: whole
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield IngestError(f"line {lineno}: {exc}", code="E106", path=f"{source}#{lineno}")
            continue
        yield from _line_record(record, source, lineno, settings.max_document_bytes)


def _line_record(record: object, source: str, lineno: int, limit: int | None = None) -> Iterator[Document | IngestError]:
    name = f"{source}#{_name(record, lineno)}"
    try:
        yield record_document(record, name, "jsonl", limit)
    except IngestError as exc:
        exc.path = name
        yield exc


def read_json(data: bytes, source: str, settings: Settings) -> list[Document | IngestError]:
    """A JSON array of records, an object holding one (``articles``, ``data``, ...), or one record."""
    text = _text(data)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if "\n" in text.strip() and exc.msg == "Extra data":  # JSON lines saved as .json
            del text
            return list(read_jsonl(data, source, settings))
        raise IngestError(str(exc), code="E106", path=source) from exc
    except RecursionError as exc:
        raise IngestError("JSON nested too deeply", code="E106", path=source) from exc
    if isinstance(value, dict) and _first(value, TEXT_FIELDS) is None:
        inner = next((value[k] for k in WRAPPERS if isinstance(value.get(k), list)), None)
        if inner is None:
            raise IngestError("object has no text field and no list of articles", code="E107", path=source)
        value = inner
    if isinstance(value, dict):
        return list(_records([value], source, "json", settings.max_document_bytes))
    if not isinstance(value, list):
        raise IngestError(f"top level is a {type(value).__name__}", code="E107", path=source)
    if not value:
        raise IngestError("empty array", code="E107", path=source)
    return list(_records(value, source, "json", settings.max_document_bytes))
