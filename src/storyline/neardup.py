"""Near-duplicate fingerprints: MinHash signatures, LSH band keys and their similarity.

One home for the hashing that both ``readers`` (a document's fingerprint, made
when it is read) and ``kb`` (which stored document a new one near-duplicates)
need, so neither imports the other. Everything here is deterministic across
processes and linear in the input: no Python ``hash()`` (salted per process).

- :func:`fingerprint` is a MinHash signature (64 x 32-bit ints) of lower-cased
  word 5-shingles, computed a block of words at a time (memory does not grow
  with the text).
- :func:`lsh_keys` bands it (16 bands of 4 rows): two documents sharing a band
  key are candidates. With Jaccard similarity J a pair shares at least one of
  the 16 bands with probability ``1 - (1 - J**4)**16``: 0.99 at J = 0.7 (the
  default threshold), 0.21 at J = 0.35.
- :func:`similarity` estimates the Jaccard similarity of two signatures.
- :data:`BUCKET_CAP` bounds a band's bucket in the store: a bucket keeps its
  first ``BUCKET_CAP`` documents (the earliest stored, which is what a near
  duplicate points to), so a new document is compared with at most
  ``16 * BUCKET_CAP`` candidates however large the store, and a corpus whose
  articles share boilerplate (many pairs at J ~ 0.3, each a candidate with
  probability 0.2) costs linear time, not quadratic.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = [
    "NUM_PERM", "BANDS", "BUCKET_CAP", "SHINGLE", "fingerprint", "minhash", "lower_words", "lsh_keys", "similarity",
    "first_similar",
]

NUM_PERM = 64
BANDS = 16
SHINGLE = 5
# documents kept per band bucket (see the module docstring; docs/ledger.md has how it was chosen)
BUCKET_CAP = 16
_PRIME = 4294967311  # smallest prime above 2**32: (a*x + b) < 2**64 for 32-bit a, x, b
_MASK32 = 0xFFFFFFFF
_SEED = b"storyline-minhash-v1"
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    stream = hashlib.shake_256(_SEED).digest(NUM_PERM * 8)
    words = np.frombuffer(stream, dtype="<u4").astype(np.uint64)
    a = words[:NUM_PERM] % (_PRIME - 1) + 1
    b = words[NUM_PERM:] % _PRIME
    return a, b


_BLOCK_CHARS = 1 << 20  # characters of text hashed at a time: memory stays flat on any length of text
_NOT_WORD = re.compile(r"\W")


class _WordHashes(dict):
    """crc32 of words met before, shared by every text of the process (news texts share most of
    their words): a word met for the first time is hashed on lookup. Emptied when full (a crc32
    is cheap to redo), so memory stays flat."""

    def __missing__(self, word: str) -> int:
        h = self[word] = zlib.crc32(word.encode("utf-8"))
        return h


_WORD_HASHES = _WordHashes()
_WORD_HASHES_CAP = 1 << 18


# every ASCII character that is no word character (``\\w``) made a space: the words of an ASCII
# text are then its runs of non-spaces (str.split, twice as fast as the regular expression)
_ASCII_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not _WORD.fullmatch(c)})


def _words(low: str) -> list[str]:
    """The words (``\\w+``) of ``low``, a lower-cased text."""
    return low.translate(_ASCII_NOT_WORD).split() if low.isascii() else _WORD.findall(low)


def lower_words(text: str) -> list[str]:
    """The words (``\\w+``) of ``text`` lower-cased: what :func:`fingerprint` hashes."""
    return _words(text.lower())


def _word_blocks(text: str):
    """The lower-cased words of ``text`` in blocks of about ``_BLOCK_CHARS`` characters, each cut
    where no word is (one regex call a block)."""
    low = text.lower()
    n = len(low)
    start = 0
    while start < n:
        end = n
        if start + _BLOCK_CHARS < n:
            cut = _NOT_WORD.search(low, start + _BLOCK_CHARS)
            end = cut.start() if cut is not None else n
        yield _words(low[start:end]) if start or end < n else _words(low)
        start = end


def _word_hash_blocks(text: str, words: list[str] | None = None):
    """Word hashes of ``text`` (lower-cased) in blocks of words (uint32 arrays), each distinct
    word hashed once; ``words``: the text's :func:`lower_words`, one block."""
    table = _WORD_HASHES
    for block in _word_blocks(text) if words is None else (words,):
        if not block:
            continue
        if len(table) > _WORD_HASHES_CAP:
            table.clear()
        yield np.fromiter(map(table.__getitem__, block), dtype=np.uint32, count=len(block))


def _shingles(words: np.ndarray, k: int) -> np.ndarray:
    """The hash of each run of ``k`` words (repeats kept: a minimum needs no distinct values), as uint64."""
    n = len(words) - k + 1
    acc = words[:n].astype(np.uint32)  # a copy
    for i in range(1, k):  # polynomial combination of k word hashes, mod 2**32 (uint32 arithmetic wraps)
        acc *= np.uint32(1_000_003)
        acc += words[i : i + n]
    return acc.astype(np.uint64)


def _shingle_blocks(text: str, words: list[str] | None = None):
    """The word-shingle hashes of ``text``, block by block (blocks overlap by k-1 words,
    so every shingle is seen; a minimum over blocks is the minimum over the whole)."""
    carry = np.zeros(0, dtype=np.uint32)
    seen = 0
    pending = None
    for block in _word_hash_blocks(text, words):
        hashes = np.concatenate([carry, block]) if len(carry) else block
        seen += len(block)
        if len(hashes) >= SHINGLE:
            yield _shingles(hashes, SHINGLE)
            pending = None
        else:
            pending = hashes
        carry = hashes[-(SHINGLE - 1):]
    if seen == 0:
        yield np.asarray([zlib.crc32(text.encode("utf-8", "surrogatepass"))], dtype=np.uint64)
    elif pending is not None and seen < SHINGLE:  # fewer words than a shingle: one shingle of them all
        yield _shingles(pending, len(pending))


def _shingle_hashes(text: str) -> np.ndarray:
    return np.unique(np.concatenate(list(_shingle_blocks(text))))


def fingerprint(text: str, words: list[str] | None = None) -> tuple[int, ...]:
    """MinHash signature (64 x 32-bit ints) of lower-cased word 5-shingles (computed in
    blocks of words: memory does not grow with the text). ``words``: the text's
    :func:`lower_words` when the caller has them (the same signature, the words found once)."""
    a, b = _permutations()
    a, b = a[:, None], b[:, None]
    sig = np.full(NUM_PERM, _MASK32, dtype=np.uint64)
    prime = np.uint64(_PRIME)
    for shingles in _shingle_blocks(text, words):
        for i in range(0, len(shingles), _HASH_PIECE):  # every permutation at once, a piece of shingles at a time
            vals = shingles[None, i : i + _HASH_PIECE] * a
            vals += b
            # vals %= prime, as vals - (vals // prime) * prime: numpy divides by a scalar with
            # multiplications (libdivide), four times faster than its remainder's division
            quotients = vals // prime
            quotients *= prime
            vals -= quotients
            vals &= np.uint64(_MASK32)
            np.minimum(sig, vals.min(axis=1), out=sig)
    return tuple(sig.tolist())


_HASH_PIECE = 4096  # shingles hashed by all permutations at once: a 64 x 4096 array (2 MB)


minhash = fingerprint  # the name the kb tests and the contract's prose use


def lsh_keys(fp: Sequence[int], bands: int = BANDS) -> list[str]:
    """One key per band of ``len(fp) // bands`` rows: documents sharing a key are candidates."""
    if not fp:
        return []
    rows = max(1, len(fp) // bands)
    raw = np.asarray(fp, dtype="<u8").tobytes()  # each value as 8 little-endian bytes
    names = _BAND_NAMES if bands == BANDS else tuple(f"b{band:02d}:" for band in range(bands))
    width = rows * 8
    return [names[band] + hashlib.blake2b(raw[band * width : (band + 1) * width], digest_size=8).hexdigest()
            for band in range(min(bands, -(-len(fp) // rows)))]


_BAND_NAMES = tuple(f"b{band:02d}:" for band in range(BANDS))  # each band's key starts with its name


def similarity(fp_a: Sequence[int], fp_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of equal signature positions."""
    n = min(len(fp_a), len(fp_b))
    if n == 0:
        return 0.0
    return sum(1 for x, y in zip(fp_a, fp_b, strict=False) if x == y) / n


def first_similar(fp: Sequence[int], candidates: Sequence[Sequence[int] | np.ndarray], threshold: float) -> int | None:
    """The index of the first of ``candidates`` whose :func:`similarity` to ``fp`` is at least
    ``threshold`` (None when none is): all of them compared at once."""
    n = len(fp)
    if not n or not candidates:
        return None
    if set(map(len, candidates)) != {n}:  # signatures of another length: one at a time
        return next((i for i, c in enumerate(candidates) if similarity(fp, list(c)) >= threshold), None)
    equal = (np.stack(candidates).astype(np.int64, copy=False) == np.asarray(fp, dtype=np.int64)).sum(axis=1)
    hits = np.flatnonzero(equal / n >= threshold)
    return int(hits[0]) if len(hits) else None
