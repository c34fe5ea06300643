"""WARC and WARC.gz archives through warcio.

Every HTML ``response`` (or ``resource``) record becomes an article read by
:func:`storyline.readers.html.html_document`, with the record's target URI as
url and source ``file.warc.gz#<uri>``. Its date is the page's own markup date
when htmldate finds one, else the record's ``WARC-Date``; both basis
``metadata``. A truncated or malformed archive yields the good records read
before the damage plus one E109 error.
"""

from __future__ import annotations

import io
import re
import zlib

from ..config import Settings
from ..errors import IngestError
from ..model import Document, Published
from .clean import decode, repair
from .dates import parse_date
from .html import html_document

__all__ = ["read_warc", "is_warc"]

_ARTICLE_RECORDS = ("response", "resource")
_RECORD_START = re.compile(rb"(?:^|\n)WARC/1\.[01]\r?\n")


def is_warc(head: bytes) -> bool:
    return head.lstrip()[:5] == b"WARC/"


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _payload_text(payload: bytes, content_type: str) -> str:
    enc = _charset(content_type)
    if enc:
        try:
            return repair(payload.decode(enc))
        except (LookupError, UnicodeDecodeError):
            pass
    return repair(decode(payload))


def _check_whole(record) -> None:
    """A record must declare its type and length and hold all the bytes it declares."""
    if not record.rec_type or record.rec_headers.get_header("Content-Length") is None:
        raise ValueError("record header block is incomplete")
    if getattr(record.raw_stream, "limit", 0):
        raise EOFError("record is shorter than its Content-Length")


def _gzip_complete(data: bytes) -> bool:
    """Every gzip member in ``data`` reaches its end-of-stream marker (warcio stops silently otherwise)."""
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(31)
            while not d.eof and rest:
                d.decompress(rest[: 1 << 20], 1 << 16)
                rest = d.unconsumed_tail + rest[1 << 20 :] if d.unconsumed_tail else rest[1 << 20 :]
            if not d.eof:
                return False
            rest = d.unused_data + rest if d.unused_data else rest
            rest = rest.lstrip(b"\x00")
    except zlib.error:
        return False
    return True


def read_warc(data: bytes, source: str, settings: Settings) -> list[Document | IngestError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    # warcio reports a damaged archive through many exception types (a missing
    # URI header surfaces as AttributeError); all of them mean "malformed WARC"
    damaged = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, OSError,
               ValueError, KeyError, IndexError, AttributeError, TypeError, UnicodeDecodeError)

    out: list[Document | IngestError] = []
    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            n += 1
            payload = record.content_stream().read()
            _check_whole(record)
            if record.rec_type not in _ARTICLE_RECORDS:
                continue
            if record.http_headers is not None:
                content_type = record.http_headers.get_header("Content-Type") or ""
            else:
                content_type = record.rec_headers.get_header("Content-Type") or ""
            if "html" not in content_type.lower() and b"<html" not in payload[:4096].lower():
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or None
            name = f"{source}#{uri or n}"
            warc_when = parse_date((record.rec_headers.get_header("WARC-Date") or "")[:10])
            fallback = Published(warc_when, "metadata") if warc_when else None
            try:
                out.append(html_document(_payload_text(payload, content_type), name, url=uri, fallback=fallback, fmt="warc"))
            except IngestError as exc:
                exc.path = name
                out.append(exc)
    except damaged as exc:
        out.append(IngestError(f"after {n} record(s): {exc}", code="E109", path=source))
        return out
    if data[:2] == b"\x1f\x8b":
        if not _gzip_complete(data):
            out.append(IngestError(f"compressed archive is truncated after {n} record(s)", code="E109", path=source))
    elif len(_RECORD_START.findall(data)) > n:  # warcio drops a record cut inside its header block
        out.append(IngestError(f"archive is truncated after {n} record(s)", code="E109", path=source))
    if n == 0 and not out:
        out.append(IngestError("no WARC records", code="E109", path=source))
    return out
