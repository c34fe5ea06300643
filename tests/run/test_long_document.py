"""Issue 20 §3: a long document is annotated in pieces cut at sentence ends, and the pieces of one
document spread over the annotation workers; what comes back is the annotations one process gives."""

from __future__ import annotations

import re
import pytest

import storyline
from spanwalk import all_spans
from storyline.nlp import PIECE_CHARS, annotate, join, piece_bounds, pieces
from storyline.readers import clean
from storyline.run import pool
from storyline.run.pool import AnnotationFailure, annotate_stream

SENTENCES = (
    "The port authority of Halden said on Monday that the strike had cost 4 million euros a day. "
    "Union leader Mara Quell told reporters that talks with the ministry would resume on Friday. "
    "\"We will not move until the ministry talks to us,\" she said. "
    "Three ships left the harbour on Tuesday, and the ministry said 1,200 workers were idle. "
)


def _one_paragraph(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars].rsplit(" ", 1)[0]


def _spans(obj, out: list) -> list:
    out.extend(all_spans(obj))
    return out


def test_pieces_end_at_sentence_ends_and_cover_the_text():
    settings = storyline.Settings()
    text = _one_paragraph(SENTENCES, 130_000)
    bounds = piece_bounds(text, settings)
    assert len(bounds) > 130_000 // PIECE_CHARS
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(e - s <= PIECE_CHARS for s, e in bounds)
    assert all(re.search(r"[.!?\"]\s*$", text[s:e]) for s, e in bounds[:-1])  # cut after a sentence
    doc = clean.make_document(text, "long.txt")
    parts = pieces(doc, settings)
    assert [(o, len(p.text)) for o, p in parts] == [(s, e - s) for s, e in bounds]
    assert all(p.id == doc.id and text[o : o + len(p.text)] == p.text for o, p in parts)
    short = clean.make_document(text[:50_000], "short.txt")  # up to max_chars: whole, as before
    assert pieces(short, settings) == [(0, short)]


def _ann(doc: str) -> storyline.DocAnnotations:
    return storyline.DocAnnotations(doc=doc, published=storyline.Published())


def test_join_of_one_piece_is_the_piece():
    ann = _ann("d")
    assert join([ann]) is ann


def test_a_failing_piece_fails_its_document_and_the_others_go_on():
    from collections import deque

    ok = _ann("b")
    bad = AnnotationFailure("a", "a.txt", "E201", "broken")
    piece = pool.PieceAnnotations(_ann("a"))
    out = list(pool._joined(iter([piece, bad, piece, ok]), deque([3, 1])))
    assert out == [bad, ok]


def test_joined_pieces_are_kept_and_encoded_once_whole():
    from collections import deque

    a, b = _ann("a"), _ann("b")
    keep: dict = {}
    out = list(pool._joined(iter([pool.PieceAnnotations(a), pool.PieceAnnotations(a), b]), deque([2, 1]),
                            encoded=True, keep=keep))
    whole = join([a, a])
    assert out[0] == pool.encode(whole) and out[1] is b  # a whole document's result passes as it came
    assert out[0].keys and "d:a" in out[0].keys  # with the blocking keys of the whole
    assert keep == {"a": whole}


def test_pieces_encoded_where_annotated_join_into_the_rows_of_the_whole():
    """Each piece placed and encoded by its annotator (numbered from 0): the joined rows are the
    rows of the document one process annotates whole, and so are the kept annotations."""
    from collections import deque

    settings = storyline.Settings(max_chars=1_000)
    doc = clean.make_document(_one_paragraph(SENTENCES, 4_000), "long.txt")
    nlp = pool.local_pipeline(settings)
    items = list(pool._items(iter([doc]), settings, counts := deque()))
    assert len(items) >= 4 and counts == deque([len(items)])
    here = pool._annotate_items(items[:2], nlp, settings, encoded=True)  # as this process does
    there = pool._annotate_items(items[2:], nlp, settings, encoded=True)  # as a worker does
    assert all(p.rows is not None for p in here + there)
    keep: dict = {}
    (rows,) = pool._joined(iter(here + there), counts, encoded=True, keep=keep)
    (one,) = annotate([doc], nlp, settings)
    assert keep == {doc.id: one}
    assert rows == pool.encode(one)
    assert all(len({r[2] for r in table}) == len(table) for table in rows.items)  # ord numbered on
    assert sum(len(table) for table in rows.items) > 10


@pytest.mark.slow  # two processes, each loading the pipeline
@pytest.mark.parametrize("source", ["ours", "seeds"])
def test_two_workers_annotate_one_long_document_as_one_process_does(source, request, monkeypatch):
    """A 100 kB one-paragraph article (over max_chars: in pieces) through two annotators (this
    process and a worker) gives the very annotations of one process."""
    if source == "seeds":
        seeds = request.getfixturevalue("seeds_dir")
        unit = re.sub(r"\s+", " ", " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))))
    else:
        unit = SENTENCES
    settings = storyline.Settings(max_chars=20_000)  # 100 kB in pieces (the default cuts above 100,000)
    text = _one_paragraph(unit.strip() + " ", 100_000)
    doc = clean.make_document(text, "long.txt")
    n = len(pieces(doc, settings))
    assert n >= 5
    here = []
    real = pool._annotate_items

    def counted(items, nlp, s, *rest):
        here.extend(items)
        return real(items, nlp, s, *rest)

    monkeypatch.setattr(pool, "_annotate_items", counted)
    (two,) = list(annotate_stream([doc], settings, workers=2, expected=1))
    (one,) = list(annotate([doc], storyline.build_pipeline(settings), settings))
    assert isinstance(two, storyline.DocAnnotations)
    assert 0 < len(here) < n  # the worker annotated some pieces, this process the others
    assert two == one
    spans = _spans(two, [])
    assert spans and max(s.end for s in spans) > 90_000
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert len({e.key for e in two.entities}) == len(two.entities)
