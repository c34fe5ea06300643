"""Bytes to clean text, content ids, language and near-duplicate fingerprints.

Everything here is deterministic across processes and linear in the input:
no Python ``hash()`` (salted per process), no regular expression that can
backtrack over a long line.

- :func:`decode` turns bytes into text: BOM, strict UTF-8, then
  charset-normalizer; ftfy repairs mojibake when asked.
- :func:`normalize` is the one text normalisation: NFC, ``\\r\\n`` -> ``\\n``,
  no trailing spaces, at most one blank line in a row.
- :func:`fingerprint` is a MinHash signature (64 x 32-bit ints) of lower-cased
  word 5-shingles; :func:`lsh_keys` bands it for blocking and
  :func:`similarity` estimates the Jaccard similarity of two signatures.
- :func:`make_document` assembles a :class:`~storyline.model.Document`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..errors import IngestError
from ..model import Document, Published

__all__ = [
    "NUM_PERM",
    "decode",
    "looks_binary",
    "normalize",
    "repair",
    "doc_id",
    "language",
    "fingerprint",
    "minhash",
    "lsh_keys",
    "similarity",
    "make_document",
]

NUM_PERM = 64
SHINGLE = 5
_PRIME = 4294967311  # smallest prime above 2**32: (a*x + b) < 2**64 for 32-bit a, x, b
_MASK32 = 0xFFFFFFFF
_SEED = b"storyline-minhash-v1"

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
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(code="E105")
    return str(best)


def repair(text: str) -> str:
    """Repair mojibake (``JosÃ©`` -> ``José``) without touching quotes, widths or ligatures."""
    import ftfy

    return ftfy.fix_text(
        text,
        unescape_html=False,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization="NFC",
        explain=False,
    )


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
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (first 5,000 characters), None when too short to tell."""
    sample = text[:5000]
    if sum(1 for _ in _WORD.finditer(sample[:1000])) < 4:
        return None
    code, prob = _identifier().classify(sample)
    return str(code) if prob >= 0.5 else None


# ------------------------------------------------------------------ MinHash


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    stream = hashlib.shake_256(_SEED).digest(NUM_PERM * 8)
    words = np.frombuffer(stream, dtype="<u4").astype(np.uint64)
    a = words[:NUM_PERM] % (_PRIME - 1) + 1
    b = words[NUM_PERM:] % _PRIME
    return a, b


def _word_hashes(text: str) -> np.ndarray:
    table: dict[str, int] = {}
    out = []
    for m in _WORD.finditer(text.lower()):
        w = m.group()
        h = table.get(w)
        if h is None:
            h = table[w] = zlib.crc32(w.encode("utf-8"))
        out.append(h)
    return np.asarray(out, dtype=np.uint64)


def _shingle_hashes(text: str) -> np.ndarray:
    words = _word_hashes(text)
    if len(words) == 0:
        return np.asarray([zlib.crc32(text.encode("utf-8"))], dtype=np.uint64)
    k = min(SHINGLE, len(words))
    n = len(words) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    for i in range(k):  # polynomial combination of k word hashes, mod 2**32
        acc = (acc * np.uint64(1_000_003) + words[i : i + n]) & np.uint64(_MASK32)
    return np.unique(acc)


def fingerprint(text: str) -> tuple[int, ...]:
    """MinHash signature (64 x 32-bit ints) of lower-cased word 5-shingles."""
    shingles = _shingle_hashes(text)
    a, b = _permutations()
    sig = []
    for i in range(NUM_PERM):
        vals = (shingles * a[i] + b[i]) % np.uint64(_PRIME) & np.uint64(_MASK32)
        sig.append(int(vals.min()))
    return tuple(sig)


minhash = fingerprint  # the name the kb tests and the contract's prose use


def lsh_keys(fp: Sequence[int], bands: int = 16) -> list[str]:
    """One key per band of ``len(fp) // bands`` rows: documents sharing a key are candidates."""
    if not fp:
        return []
    rows = max(1, len(fp) // bands)
    keys = []
    for band in range(bands):
        chunk = fp[band * rows : (band + 1) * rows]
        if not chunk:
            break
        raw = b"".join(int(v).to_bytes(8, "little") for v in chunk)
        keys.append(f"b{band:02d}:{hashlib.blake2b(raw, digest_size=8).hexdigest()}")
    return keys


def similarity(fp_a: Sequence[int], fp_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of equal signature positions."""
    n = min(len(fp_a), len(fp_b))
    if n == 0:
        return 0.0
    return sum(1 for x, y in zip(fp_a, fp_b) if x == y) / n


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
) -> Document:
    """A Document with its id, language and fingerprint; E110 when ``text`` is blank.

    ``evidence`` gives (start, end) offsets in ``text`` that state the
    publication date; they become Spans once the id is known.
    """
    if not text.strip():
        raise IngestError(code="E110", path=source)
    from ..model import Span

    ident = doc_id(text)
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
        language=language(text),
        captions=tuple(captions),
        dateline=dateline or None,
        fingerprint=fingerprint(text),
    )
