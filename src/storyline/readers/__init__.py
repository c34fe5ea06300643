"""Ingest: files and bytes to :class:`~storyline.model.Document` objects.

One reader per format behind a registry keyed by file suffix, plus content
sniffing for files whose suffix says nothing (or says ``.txt`` but holds HTML
or a WARC). ``.gz`` is read transparently. Adding a format is one module and
one line in :data:`READERS`.

- :func:`read_paths` never raises for a bad file: it yields an
  :class:`IngestFailure` with the error code and goes on.
- :func:`read_bytes` returns the documents in one blob and raises
  :class:`~storyline.errors.IngestError` when it holds none.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..config import Settings
from ..errors import IngestError
from ..model import Document
from .clean import utf8_repairs
from .html import read_html
from .jsonl import read_json, read_jsonl
from .text import read_markdown, read_text
from .warc import is_warc, read_warc

__all__ = ["IngestFailure", "READERS", "Reader", "input_files", "read_bytes", "read_paths", "reader_for", "sniff"]

# a reader's result is only iterated: a list or a generator (WARC, JSONL stream their records)
Reader = Callable[[bytes, str, Settings], Iterable[Document | IngestError]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".warc": read_warc,
}
# readers whose file is one document (max_document_bytes bounds it, as the memory reading takes)
_ONE_DOCUMENT = frozenset({read_text, read_markdown, read_html})
# readers whose files may really hold another format (seed 001 is HTML in a .txt)
_SNIFFABLE = frozenset({read_text})
_GZIP = b"\x1f\x8b"
_HTML_START = re.compile(
    rb"\s*<(?:!doctype|!--|html|head|body|div|p|h[1-6]|article|section|span|strong|b|em|i|table|ul|ol|meta|title|br|a)[\s>/]",
    re.I,
)
_HTML_CLOSERS = (b"</p>", b"</div>", b"</h1>", b"</h2>", b"</h3>", b"</h4>", b"</li>", b"</strong>")


@dataclass(frozen=True)
class IngestFailure:
    """One input (a file, or one record of a file: ``file.jsonl#3``) that could not be read."""

    path: str
    code: str
    reason: str


def _looks_html(head: bytes) -> bool:
    if _HTML_START.match(head):
        return True
    low = head.lower()
    return sum(1 for c in _HTML_CLOSERS if c in low) >= 3


def _looks_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


# (reader, test on the first 8 KiB); the first that matches wins
_SNIFFERS: tuple[tuple[Reader, Callable[[bytes], bool], bool], ...] = (
    (read_warc, is_warc, True),
    (read_html, _looks_html, True),
    (read_json, _looks_json, False),  # only when the suffix says nothing
)


def sniff(data: bytes, *, known_suffix: bool = False) -> Reader | None:
    """The reader the content asks for, or None."""
    head = data[:8192]
    for reader, test, overrides_suffix in _SNIFFERS:
        if (overrides_suffix or not known_suffix) and test(head):
            return reader
    return None


def _suffixes(source: str) -> tuple[str, bool]:
    """(format suffix, gzip?) of a source name: ``a.warc.gz`` -> (``.warc``, True)."""
    sfx = [s.lower() for s in PurePath(source).suffixes]
    gz = bool(sfx) and sfx[-1] in (".gz", ".gzip")
    if gz:
        sfx = sfx[:-1]
    return (sfx[-1] if sfx else ""), gz


def reader_for(suffix: str, data: bytes) -> Reader:
    reader = READERS.get(suffix)
    if reader is None or reader in _SNIFFABLE:
        return sniff(data, known_suffix=reader is not None) or reader or read_text
    return reader


def read_capped(fp, limit: int, source: str, what: str = "input") -> bytes:
    """Every byte ``fp`` gives, read a MiB at a time; E111 as soon as there are more than
    ``limit`` (what is past the cap is never read, so a stream cannot grow memory beyond it)."""
    chunks, size = [], 0
    while chunk := fp.read(min(1 << 20, limit + 1 - size) or 1):
        size += len(chunk)
        if size > limit:
            raise IngestError(f"{what} exceeds max_file_bytes {limit}", code="E111", path=source)
        chunks.append(chunk)
    return b"".join(chunks)


def _gunzip(data: bytes, limit: int, source: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:  # inflates a MiB at a time
            return read_capped(fh, limit, source, "decompressed size")
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise IngestError(f"gzip: {exc}", code="E104", path=source) from exc


def _read(data: bytes, source: str, settings: Settings) -> Iterator[Document | IngestError]:
    """Documents and per-record errors in ``data``, one at a time (a JSON-lines file or an archive
    is never held as documents all at once); raises, before the first, for a whole-file problem."""
    if len(data) > settings.max_file_bytes:
        raise IngestError(f"{len(data)} bytes > max_file_bytes {settings.max_file_bytes}", code="E111", path=source)
    if not data or data.isspace():
        raise IngestError(code="E102", path=source)
    suffix, gz = _suffixes(source)
    if data[:2] == _GZIP:
        if suffix == ".warc":
            yield from read_warc(data, source, settings)
            return
        data = _gunzip(data, settings.max_file_bytes, source)
        if not data or data.isspace():
            raise IngestError("compressed file is empty", code="E102", path=source)
    elif gz:
        raise IngestError("not a gzip stream", code="E104", path=source)
    reader = reader_for(suffix, data)
    if reader in _ONE_DOCUMENT and len(data) > settings.max_document_bytes:
        raise IngestError(f"one document of {len(data)} bytes > max_document_bytes {settings.max_document_bytes}",
                          code="E111", path=source)
    bad = utf8_repairs(data)
    for item in reader(data, source, settings):
        if isinstance(item, IngestError) and item.path is None:
            item.path = source
        elif isinstance(item, Document):
            item = _noted(item, bad, settings)
        yield item


def _noted(doc: Document, bad_utf8: int, settings: Settings) -> Document:
    """``doc`` with what ingest mended or will not cover recorded in ``repairs``."""
    notes = []
    if bad_utf8:
        notes.append(f"{bad_utf8} invalid UTF-8 byte sequence{'s' if bad_utf8 > 1 else ''} replaced with U+FFFD")
    if len(doc.text) > settings.max_annotate_chars:
        notes.append(f"only the first {settings.max_annotate_chars} of {len(doc.text)} characters are annotated")
    return dataclasses.replace(doc, repairs=doc.repairs + tuple(notes)) if notes else doc


def read_bytes(data: bytes, source: str, settings: Settings | None = None, *, strict: bool = False) -> list[Document]:
    """The documents in ``data`` named ``source`` (its suffix picks the reader).

    Raises IngestError when no document can be read; records that fail while
    others succeed (a bad JSON line) are skipped unless ``strict``.
    """
    settings = settings or Settings()
    try:
        items = list(_read(data, source, settings))
    except IngestError as exc:
        exc.path = exc.path or source
        raise
    except RecursionError as exc:  # a parser outside our control recursed on hostile nesting
        raise IngestError("input nested too deeply", code="E101", path=source) from exc
    docs = [d for d in items if isinstance(d, Document)]
    errors = [e for e in items if isinstance(e, IngestError)]
    if errors and (strict or not docs):
        raise errors[0]
    if not docs:
        raise IngestError(code="E110", path=source)
    return docs


def _printable(text: str) -> str:
    """``text`` with what UTF-8 cannot print (a lone surrogate from a file name) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _failure(exc: IngestError, path: str) -> IngestFailure:
    return IngestFailure(_printable(exc.path or path), exc.code, _printable(exc.reason))


def input_files(root: Path) -> list[Path]:
    """Every regular file under ``root``, sorted; hidden files and folders are skipped."""
    found: list[Path] = []
    for top, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(top) / n for n in names if not n.startswith("."))
    return sorted(found, key=lambda p: p.as_posix())


def _read_file(path: Path, settings: Settings) -> Iterator[Document | IngestFailure]:
    name = os.fsencode(path).decode("utf-8", "backslashreplace")  # a name of invalid UTF-8 bytes: \xff
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe would block the read for ever
            raise IngestError("not a regular file (named pipe, socket or device): skipped", code="E112", path=name)
        size = info.st_size
        if size > settings.max_file_bytes:
            raise IngestError(f"{size} bytes > max_file_bytes {settings.max_file_bytes}", code="E111", path=name)
        with open(path, "rb") as fp:  # capped as read too: a file may grow after its size was taken
            data = read_capped(fp, settings.max_file_bytes, name, "file")
    except IngestError as exc:
        yield _failure(exc, name)
        return
    except OSError as exc:
        yield IngestFailure(name, "E101", f"cannot read: {exc.strerror or exc}")
        return
    yield from _read_blob(data, name, settings)


def _read_blob(data: bytes, name: str, settings: Settings) -> Iterator[Document | IngestFailure]:
    count = 0
    try:
        for item in _read(data, name, settings):
            count += 1
            yield _failure(item, name) if isinstance(item, IngestError) else item
    except IngestError as exc:
        yield _failure(exc, name)
        return
    except RecursionError:
        yield IngestFailure(name, "E101", "input nested too deeply")
        return
    except Exception as exc:  # a reader bug must cost this input only, never the files after it
        yield IngestFailure(name, "E113", f"reader failed: {type(exc).__name__}: {_printable(str(exc))[:300]}")
        return
    if not count:
        yield IngestFailure(name, "E110", "no document found")


def read_paths(paths: Iterable[str], settings: Settings | None = None) -> Iterator[Document | IngestFailure]:
    """Documents from files, folders (recursive, sorted) and ``-`` (stdin); failures are yielded, never raised."""
    settings = settings or Settings()
    for raw in paths:
        raw = str(raw)
        if raw == "-":
            try:  # capped while read: 1 GB piped in is refused after max_file_bytes, not held
                data = read_capped(sys.stdin.buffer, settings.max_file_bytes, "<stdin>", "standard input")
            except IngestError as exc:
                yield _failure(exc, "<stdin>")
                continue
            yield from _read_blob(data, "<stdin>", settings)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in input_files(path):
                yield from _read_file(file, settings)
        elif path.exists():
            yield from _read_file(path, settings)
        else:
            yield IngestFailure(raw, "E100", "path does not exist")
