"""Bytes to clean text, content ids, language and near-duplicate fingerprints.

Everything here is deterministic across processes and linear in the input:
no Python ``hash()`` (salted per process), no regular expression that can
backtrack over a long line.

- :func:`decode` turns bytes into text: BOM, strict UTF-8, then
  charset-normalizer; ftfy repairs mojibake when asked.
- :func:`normalize` is the one text normalisation: NFC, ``\\r\\n`` -> ``\\n``,
  no trailing spaces, at most one blank line in a row.
- :func:`fingerprint`, :func:`lsh_keys` and :func:`similarity` (MinHash) live in
  :mod:`storyline.neardup`, which the store uses too; they are re-exported here.
- :func:`make_document` assembles a :class:`~storyline.model.Document`.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..errors import IngestError
from ..lexicon.languages import ENGLISH_MARKERS, OTHER_MARKERS
from ..model import Document, Published
# MinHash fingerprints live in storyline.neardup (the store uses them too); re-exported here
from ..neardup import NUM_PERM, fingerprint, lower_words, lsh_keys, minhash, similarity

__all__ = [
    "NUM_PERM",
    "decode",
    "looks_binary",
    "normalize",
    "repair",
    "doc_id",
    "language",
    "plainly_english",
    "fingerprint",
    "minhash",
    "lsh_keys",
    "similarity",
    "make_document",
    "utf8_repairs",
    "MAX_TITLE",
]

MAX_TITLE = 1000  # characters; a longer title is cut (at a word when one is near) and the cut is noted


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# bytes that never occur in text: C0 controls except \t \n \f \r and ESC
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_SAMPLE = 8192
_WORD = re.compile(r"\w+")
_BLANKS = re.compile(r"\n{3,}")
# a lone UTF-16 surrogate (JSON's "\\ud800" escape decodes to one): not a character, cannot be stored as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


# ------------------------------------------------------------------ decoding


def _bom(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or too many control bytes in the first 8 KiB (BOM-marked UTF-16/32 is text)."""
    if _bom(data) in ("utf-16", "utf-32"):
        return False
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls / len(sample) > 0.05


def decode(data: bytes) -> str:
    """Text of ``data``: E103 when it looks binary, E105 when no encoding fits."""
    if looks_binary(data):
        raise IngestError(code="E103")
    enc = _bom(data)
    if enc:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            raise IngestError(f"declared {enc} but cannot decode: {exc.reason}", code="E105") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mended = _mended_utf8(data)
    if mended is not None:
        return mended[0]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(code="E105")
    return str(best)


def _mended_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 text with a few invalid byte sequences, as (text with U+FFFD, how many were
    replaced); None when ``data`` is not mostly UTF-8 (then another encoding fits better).

    Mostly UTF-8: the file has valid multi-byte UTF-8 characters and at most
    ``max(16, their number)`` invalid sequences. A Latin-1 or cp1252 file has
    (almost) no valid multi-byte sequences, so it never passes."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd")
    bad = replaced - data.count(b"\xef\xbf\xbd")
    if bad <= 0:
        return None
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - replaced
    if multibyte > 0 and bad <= max(16, multibyte):
        return text, bad
    return None


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, checked a MiB at a time (no copy of the text is made)."""
    check = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for at in range(0, len(data), 1 << 20):
            check.decode(view[at: at + (1 << 20)])
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def utf8_repairs(data: bytes) -> int:
    """How many invalid byte sequences :func:`decode` replaced with U+FFFD in ``data`` (0 when none)."""
    if _bom(data) is not None or looks_binary(data) or is_utf8(data):
        return 0
    mended = _mended_utf8(data)
    return mended[1] if mended else 0


_FTFY_SEGMENT = 1_000_000  # ftfy's own max_decode_length: it fixes a text line by line, in pieces of at most this


def repair(text: str) -> str:
    """Repair mojibake (``JosÃ©`` -> ``José``) without touching quotes, widths or ligatures.

    A huge text goes to ftfy one of ftfy's own segments at a time (a line, or
    ``_FTFY_SEGMENT`` characters of one), so the result is the same, and it is
    only rebuilt when a segment changed: memory stays at the text plus one segment."""
    import ftfy

    def fix(segment: str) -> str:
        return ftfy.fix_text(
            segment,
            unescape_html=False,
            uncurl_quotes=False,
            fix_character_width=False,
            fix_latin_ligatures=False,
            normalization="NFC",
            explain=False,
        )

    if len(text) <= _FTFY_SEGMENT:
        return fix(text)
    changed: list[tuple[int, int, str]] = []
    pos = 0
    while pos < len(text):
        cut = text.find("\n", pos) + 1 or len(text)
        cut = min(cut, pos + _FTFY_SEGMENT)
        segment = text[pos:cut]
        fixed = fix(segment)
        if fixed != segment:
            changed.append((pos, cut, fixed))
        pos = cut
    if not changed:
        return text
    out, last = [], 0
    for start, end, fixed in changed:
        out.append(text[last:start])
        out.append(fixed)
        last = end
    out.append(text[last:])
    return "".join(out)


def normalize(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` -> ``\\n``, trailing spaces stripped, 3+ newlines -> one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


# ------------------------------------------------------------------ ids, language


def doc_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _identifier():
    from .langmodel import identifier  # py3langid's model, unpacked once into the user's cache folder

    return identifier()


LANGUAGE_SAMPLE = 5000  # leading characters of a text its language is told by


def language(text: str, words: list[str] | None = None) -> str | None:
    """ISO 639-1 code of ``text`` (first 5,000 characters), None when too short to tell.

    The language model (py3langid) decides, and loads only when some text needs it: a sample
    that :func:`plainly_english` is "en" without it (the model's answer on every such text of
    the development data, ``tests/readers/test_language.py``). ``words``: the text's
    :func:`~storyline.neardup.lower_words` when the caller has them."""
    sample = text[:LANGUAGE_SAMPLE]
    if next(itertools.islice(_WORD.finditer(sample, 0, 1000), 3, None), None) is None:  # fewer than 4 words
        return None
    if plainly_english(sample, words if len(text) <= LANGUAGE_SAMPLE else None):
        return "en"
    code, prob = _identifier().classify(sample)
    return str(code) if prob >= 0.5 else None


# plainly English (docs/ledger.md: fitted on every record of ../shared/realdata and the seeds, their
# prefixes and lines, and those mixed with other languages, against the model)
EN_MIN_WORDS = 40  # words in the sample
EN_MIN_SHARE = 0.10  # of them English function words (lexicon.languages.ENGLISH_MARKERS)
OTHER_MAX_SHARE = 0.01  # of them function words of other languages (OTHER_MARKERS)
NON_ASCII_MAX = 0.01  # of the sample's characters outside ASCII (other scripts)


def plainly_english(sample: str, words: list[str] | None = None) -> bool:
    """Whether ``sample`` is English by its function words: at least ``EN_MIN_WORDS`` words, of
    which ``EN_MIN_SHARE`` English function words and at most ``OTHER_MAX_SHARE`` those of other
    languages, with at most ``NON_ASCII_MAX`` of its characters outside ASCII. ``words``: the
    sample's :func:`~storyline.neardup.lower_words` when the caller has them."""
    if len(sample) - len(sample.encode("ascii", "ignore")) > NON_ASCII_MAX * len(sample):
        return False
    if words is None:
        words = lower_words(sample)
    n = len(words)
    if n < EN_MIN_WORDS:
        return False
    english = sum(map(ENGLISH_MARKERS.__contains__, words))
    return english >= EN_MIN_SHARE * n and sum(map(OTHER_MARKERS.__contains__, words)) <= OTHER_MAX_SHARE * n


# ------------------------------------------------------------------ assembly


def make_document(
    text: str,
    source: str,
    *,
    title: str | None = None,
    byline: str | None = None,
    published: Published | None = None,
    fmt: str = "text",
    url: str | None = None,
    captions: Sequence[str] = (),
    dateline: str | None = None,
    evidence: Sequence[tuple[int, int]] = (),
    repairs: Sequence[str] = (),
) -> Document:
    """A Document with its id, language and fingerprint; E110 when ``text`` is blank.

    ``evidence`` gives (start, end) offsets in ``text`` that state the
    publication date; they become Spans once the id is known.
    """
    if not text.strip():
        raise IngestError(code="E110", path=source)
    _no_surrogates(source, text=text, title=title, byline=byline, url=url, dateline=dateline,
                   captions="\n".join(captions))
    from ..model import Span

    ident = doc_id(text)
    # the words of a text no longer than a language sample, found once for its language and its fingerprint
    words = lower_words(text) if len(text) <= LANGUAGE_SAMPLE else None
    repairs = tuple(repairs)
    if title and len(title) > MAX_TITLE:
        title, repairs = short_title(title), repairs + (f"title cut from {len(title)} to {MAX_TITLE} characters",)
    pub = published or Published()
    if evidence:
        pub = Published(pub.when, pub.basis, tuple(Span.of(ident, text, s, e) for s, e in evidence))
    return Document(
        id=ident,
        text=text,
        source=source,
        title=(title or None),
        byline=(byline or None),
        published=pub,
        format=fmt,
        url=url or None,
        language=language(text, words),
        captions=tuple(captions),
        dateline=dateline or None,
        fingerprint=fingerprint(text, words),
        repairs=repairs,
    )


def _no_surrogates(source: str, **fields: str | None) -> None:
    """E105 when a field holds a lone surrogate: it is no character, UTF-8 cannot encode it, and
    replacing it would store text the input does not hold (the record is reported and skipped)."""
    for name, value in fields.items():
        hit = _SURROGATE.search(value) if value and not value.isascii() else None  # ASCII holds none
        if hit:
            raise IngestError(
                f"{name} holds a lone surrogate (\\u{ord(hit.group()):04x}) at character {hit.start()}: not text",
                code="E105", path=source,
            )


def has_surrogate(value: str) -> bool:
    """Whether ``value`` holds a lone UTF-16 surrogate (which UTF-8 cannot encode)."""
    return _SURROGATE.search(value) is not None


def short_title(title: str, limit: int = MAX_TITLE) -> str:
    """``title`` cut to at most ``limit`` characters, at a space near the end when there is one, with "…"."""
    if len(title) <= limit:
        return title
    head = title[: limit - 1]
    space = head.rfind(" ", limit - 200)
    return (head[:space] if space > 0 else head).rstrip() + "…"
