"""Normalisation, ids, MinHash fingerprints and linear-time reading of huge lines."""

from __future__ import annotations

import re
import subprocess
import sys

from storyline.readers import read_bytes
from storyline.neardup import lower_words
from storyline.readers.clean import fingerprint, lsh_keys, normalize, similarity

BASE = (
    "The river authority of Kellmark said on Monday that water levels at the northern gauge had fallen for a third "
    "week, and that farmers in the valley should expect cuts to irrigation until the reservoir recovers. The "
    "authority's director, Hanne Vigg, said the cuts would be shared fairly between the upper and lower valley, and "
    "that the board would meet again on Thursday to review the figures. Farm unions said they had not been consulted."
)
OTHER = (
    "A new ferry terminal opened in the harbour town of Brisholm on Saturday, replacing a wooden pier that had served "
    "the islands for sixty years. The mayor cut a ribbon in front of a crowd of several hundred people, and the first "
    "boat left for the outer islands shortly after noon carrying cars, bicycles and the morning post."
)


def test_near_duplicate_pair_is_similar_and_unrelated_is_not():
    copy = BASE.replace("said on Monday", "said on Monday,") + " This article was first published by the Kellmark Post."
    assert similarity(fingerprint(BASE), fingerprint(copy)) > 0.7
    assert similarity(fingerprint(BASE), fingerprint(OTHER)) < 0.2
    assert similarity(fingerprint(BASE), fingerprint(BASE)) == 1.0


def test_fingerprint_shape_and_lsh_bands():
    fp = fingerprint(BASE)
    assert len(fp) == 64 and all(0 <= v < 2**32 for v in fp)
    keys = lsh_keys(fp)
    assert len(keys) == 16 and len(set(keys)) == 16
    assert len(lsh_keys(fp, bands=8)) == 8
    assert set(lsh_keys(fingerprint(BASE.upper()))) == set(keys)  # lower-cased shingles
    assert not set(lsh_keys(fingerprint(OTHER))) & set(keys)


def test_fingerprint_is_stable_across_processes():
    code = "from storyline.readers.clean import fingerprint; print(list(fingerprint(%r)))" % BASE
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in range(2)}
    assert runs == {str(list(fingerprint(BASE))) + "\n"}


def test_fingerprint_of_short_and_wordless_text():
    assert len(fingerprint("Two words")) == 64
    assert len(fingerprint("!!! ???")) == 64


def test_lower_words_are_the_words_of_the_regex():
    """An ASCII text is split at its non-word characters (str.translate, then split): the same
    words as ``\\w+`` finds, as in any other text."""
    every_ascii = "".join(map(chr, range(128)))
    for text in (every_ascii * 2, f"Don't STOP_me: 3.5% e-mail\tx\x1fy\x0bz{every_ascii}", every_ascii + "é",
                 "Ünïcode wörds—and “quotes” İSTANBUL\u00a0x\u2003y ½ ٣ x²", "", "  ", "!!"):
        assert lower_words(text) == re.findall(r"\w+", text.lower())


def test_normalize():
    assert normalize("  a  \r\nb\r\rc\n\n\n\n\nd\t \n") == "a\nb\n\nc\n\nd"
    assert normalize("e\u0301") == "é"


def test_five_megabyte_single_line_is_read_whole():
    # speed on such input is measured by bench/, not here (about 0.4 s per MB)
    n = 90_000  # ~5 MB on one line
    line = ("The council met on Monday and voted to repair the bridge " * n).encode()
    (doc,) = read_bytes(line, "huge.txt")
    assert len(doc.text) > n * 50


def test_long_runs_that_could_backtrack():
    hostile = ("SELA" + " " * 50_000 + "x" + "-" * 50_000 + "By " + "A" * 50_000).encode()
    docs = read_bytes(hostile, "hostile.txt")
    assert docs and docs[0].text
