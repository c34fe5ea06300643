"""WARC and WARC.gz archives through warcio.

Every HTML ``response`` (or ``resource``) record becomes an article read by
:func:`storyline.readers.html.html_document`, with the record's target URI as
url and source ``file.warc.gz#<uri>`` (``#<n>`` when it has none). Its date is
the page's own markup date when htmldate finds one, else the record's
``WARC-Date``; both basis ``metadata``. A damaged record is one E109 error and
reading goes on at the next record start; a truncated archive yields the good
records read before the damage plus one E109. A payload is decoded
(``Content-Encoding: gzip``, chunked, the members of a ``.warc.gz``) a MiB at a
time and given up, E111, once it passes ``max_document_bytes`` (or
``max_file_bytes`` when lower).
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

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


def _loader():
    """warcio's record loader, but a record without ``WARC-Target-URI`` is read like one with an
    HTTP URI (warcio calls ``None.startswith`` on it and stops the whole archive)."""
    from warcio.recordloader import ArcWarcRecordLoader

    class Loader(ArcWarcRecordLoader):
        def load_http_headers(self, rec_type, uri, stream, length):
            if uri is None:
                uri = "http:"
            return super().load_http_headers(rec_type, uri, stream, length)

    return Loader(verify_http=False, arc2warc=False)


def _payload(record, limit: int) -> bytes | None:
    """The record's payload, de-chunked and inflated (``Content-Encoding`` gzip or deflate) here,
    at most a MiB of output per step, or None as soon as it passes ``limit`` bytes: an archive of
    300 KB cannot become 300 MB in memory (warcio inflates whatever one block or chunk holds)."""
    from warcio.bufferedreaders import ChunkedDataReader

    http = record.http_headers
    stream = record.raw_stream
    encoding = ""
    if http is not None:
        encoding = (http.get_header("Content-Encoding") or "").strip().lower()
        if (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
            stream = ChunkedDataReader(stream, decomp_type=None)
    inflate = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflate = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, told apart by zlib
    chunks, size = [], 0
    pending = b""
    while True:
        data = pending or stream.read(_BLOCK)
        if not data:
            break
        if inflate is None:
            piece, pending = data, b""
        else:
            try:
                piece = inflate.decompress(data, 1 << 20)
            except zlib.error:
                if size or encoding != "deflate":
                    raise
                inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # a raw deflate stream (some servers)
                piece = inflate.decompress(data, 1 << 20)
            pending = inflate.unconsumed_tail
            if inflate.eof and inflate.unused_data.strip(b"\x00\r\n"):  # a further gzip member
                pending, inflate = inflate.unused_data, zlib.decompressobj(32 + zlib.MAX_WBITS)
        size += len(piece)
        if size > limit:
            return None
        chunks.append(piece)
    return b"".join(chunks)


def _resync(data: bytes, after: int, gz: bool) -> int | None:
    """Where the next record may start after a damaged one at ``after`` (None: nowhere)."""
    if gz:
        at = data.find(b"\x1f\x8b\x08", after + 1)
        return at if at >= 0 else None
    m = _RECORD_START.search(data, after + 1)
    return None if m is None else m.end() - len(m.group().lstrip(b"\n"))


# compressed bytes warcio inflates at a time: deflate reaches 1032:1, so a block can become 4 MB
# (warcio's default, 16 KiB, lets one step of a bomb take 17 MB, twice over)
_BLOCK = 4096
_MAX_RESYNCS = 10_000  # damaged records skipped in one archive before the rest is given up


def read_warc(data: bytes, source: str, settings: Settings) -> Iterator[Document | IngestError]:
    """Every HTML record of the archive, one at a time; a damaged record is one E109 and reading goes on at the
    next record, a record whose payload decodes past ``max_document_bytes`` one E111."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    # warcio reports a damaged record through many exception types; all of them mean "malformed WARC"
    damaged = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, OSError,
               ValueError, KeyError, IndexError, AttributeError, TypeError, UnicodeDecodeError, OverflowError)
    gz = data[:2] == b"\x1f\x8b"
    errors = 0
    n = 0
    pos: int | None = 0
    resyncs = 0
    while pos is not None:
        fh = io.BytesIO(data)
        fh.seek(pos)
        records = ArchiveIterator(fh, block_size=_BLOCK)
        records.loader = _loader()
        try:
            for record in records:
                n += 1
                item = _record_item(record, n, source, settings)
                if item is not None:
                    yield item
            pos = None
        except damaged as exc:
            at = records.offset
            errors += 1
            yield IngestError(f"record {n} at byte {at}: {exc}; skipped", code="E109", path=source)
            resyncs += 1
            pos = _resync(data, at, gz) if resyncs < _MAX_RESYNCS else None
    if gz and not _gzip_complete(data):
        errors += 1
        yield IngestError(f"compressed archive is truncated after {n} record(s)", code="E109", path=source)
    elif not gz and len(_RECORD_START.findall(data)) > n:  # warcio drops a record cut inside its header block
        errors += 1
        yield IngestError(f"archive is truncated after {n} record(s)", code="E109", path=source)
    if n == 0 and not errors:
        yield IngestError("no WARC records", code="E109", path=source)


def _record_item(record, n: int, source: str, settings: Settings) -> Document | IngestError | None:
    """The document of one record, its error, or None for a record that is no article."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    name = f"{source}#{uri or n}"
    limit = min(settings.max_file_bytes, settings.max_document_bytes)
    payload = _payload(record, limit)
    if payload is None:
        return IngestError(f"record payload decodes past {limit} bytes (max_document_bytes): skipped",
                           code="E111", path=name)
    _check_whole(record)
    if record.rec_type not in _ARTICLE_RECORDS:
        return None
    if record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower() and b"<html" not in payload[:4096].lower():
        return None
    warc_when = parse_date((record.rec_headers.get_header("WARC-Date") or "")[:10])
    fallback = Published(warc_when, "metadata") if warc_when else None
    try:
        return html_document(_payload_text(payload, content_type), name, url=uri, fallback=fallback, fmt="warc")
    except IngestError as exc:
        exc.path = name
        return exc
