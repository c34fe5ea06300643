"""Issue 10, item 3 at test sizes (bench/stress.py runs the full 50 MB / 1 MB cases): what is
in flight during annotation is bounded whatever one document's length, only the first
``max_annotate_chars`` characters are annotated (and the document says so), and the steps that
were quadratic or held every word in memory now work block by block with the same results."""

from __future__ import annotations

import random
import re

import pytest

from storyline.config import Settings
from storyline.kb import open_store
from storyline.nlp import annotate
from storyline.readers import read_paths
from storyline import neardup
from storyline.readers import clean

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

SENTENCES = (
    "The port authority of Halden said on Monday that the strike had cost 4 million euros a day. "
    "Union leader Mara Quell told reporters that talks with the ministry would resume on Friday. "
    "\"We will not move until the ministry talks to us,\" she said. "
)


def _one_paragraph(chars: int) -> str:
    return (SENTENCES * (chars // len(SENTENCES) + 1))[:chars].rsplit(" ", 1)[0]


def _spans(obj, out):
    from spanwalk import all_spans

    out.extend(all_spans(obj))
    return out


def test_characters_in_flight_stay_bounded(nlp, monkeypatch):
    """A one-paragraph article 12x max_chars goes through spaCy at most max_chars characters at a
    time (before: batch_size chunks at once, 3.2 M characters for the default settings)."""
    settings = Settings(max_chars=5000, batch_size=32)
    text = _one_paragraph(60_000)
    doc = clean.make_document(text, "long.txt")
    seen = []
    real_pipe = nlp.pipe

    def pipe(docs, **kw):
        docs = list(docs)
        seen.append(sum(len(d.text) for d in docs))
        return real_pipe(docs, **kw)

    monkeypatch.setattr(nlp, "pipe", pipe)
    (ann,) = list(annotate([doc], nlp, settings))
    assert len(seen) >= 12 and max(seen) <= settings.max_chars
    spans = _spans(ann, [])
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    assert max(s.end for s in spans) > 50_000  # the end of the article was annotated too


def test_only_the_first_max_annotate_chars_are_annotated(tmp_path, nlp):
    settings = Settings(max_chars=5000, max_annotate_chars=20_000)
    text = _one_paragraph(80_000)
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = list(read_paths([str(path)], settings))
    assert doc.text == text  # stored whole
    assert any("only the first 20000 of" in r for r in doc.repairs)
    (ann,) = list(annotate([doc], nlp, settings))
    spans = _spans(ann, [])
    assert spans and max(s.end for s in spans) <= 20_000
    assert all(doc.text[s.start : s.end] == s.text for s in spans)
    with open_store(tmp_path / "kb.db", settings) as store:
        store.add_document(doc)
        (row,) = store.document_rows()
        assert any("only the first" in r for r in row["repairs"])
        assert store.search("Quell")  # the whole text is searchable


@pytest.mark.parametrize("words", [0, 1, 3, 4, 5, 6, 20, 1000])
def test_blockwise_minhash_equals_the_whole(monkeypatch, words):
    """The MinHash fingerprint is computed a block of words at a time (no list of every word of a
    50 MB file); the signature is exactly the one of all shingles at once."""
    rnd = random.Random(words)
    vocab = ["strike", "Halden", "port", "İstanbul", "talks", "ÉTÉ", "4", "euros", "the"]
    text = " ".join(rnd.choice(vocab) for _ in range(words))
    whole = neardup.fingerprint(text)
    shingles = neardup._shingle_hashes(text)
    a, b = neardup._permutations()
    import numpy as np

    expect = tuple(int(((shingles * a[i] + b[i]) % np.uint64(neardup._PRIME) & np.uint64(neardup._MASK32)).min())
                   for i in range(neardup.NUM_PERM))
    assert whole == expect
    monkeypatch.setattr(neardup, "_BLOCK_CHARS", 7)  # blocks of a word or two: the same signature
    assert neardup.fingerprint(text) == whole
    monkeypatch.setattr(neardup, "_HASH_PIECE", 5)
    assert neardup.fingerprint(text) == whole


def test_entity_lookup_matches_a_full_scan(nlp):
    """entity_at (called per token by the event component) finds what a scan of every mention finds."""
    from storyline.nlp.util import entity_at

    text = _one_paragraph(6000)
    d = clean.make_document(text, "x.txt")
    spacy_doc = nlp.make_doc(d.text)
    spacy_doc._.sl_document = d
    for _name, proc in nlp.pipeline:
        spacy_doc = proc(spacy_doc)
    ents = spacy_doc._.sl_entities
    assert ents

    def scan(start, end, types=None):
        best, best_len = None, 0
        for ent in ents:
            if types and ent.type not in types:
                continue
            for m in ent.mentions:
                overlap = min(end, m.span.end) - max(start, m.span.start)
                if overlap > best_len:
                    best, best_len = ent, overlap
        return best

    for m in re.finditer(r"\w+", text):
        for types in (None, ("PERSON",), ("ORG", "GPE")):
            assert entity_at(spacy_doc, m.start(), m.end(), types) is scan(m.start(), m.end(), types)


def test_repair_by_segments_equals_ftfy(monkeypatch):
    """Huge texts go to ftfy one segment at a time (memory: the text plus one segment); the result is
    ftfy's own, which cuts at the same places."""
    import ftfy

    monkeypatch.setattr(clean, "_FTFY_SEGMENT", 50)
    cfg = ftfy.TextFixerConfig(max_decode_length=50, unescape_html=False, uncurl_quotes=False,
                               fix_character_width=False, fix_latin_ligatures=False, normalization="NFC",
                               explain=False)
    rnd = random.Random(3)
    pieces = ["JosÃ© ", "naÃ¯ve ", "\n", "plain words ", "e\u0301 ", "\x1b[31mred ", "cafÃ©\n", "x" * 60]
    for _ in range(200):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        assert clean.repair(text) == ftfy.fix_text(text, cfg)
    plain = "plain words\n" * 20
    assert clean.repair(plain) is plain  # nothing to mend: no copy
