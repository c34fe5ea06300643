"""The per-document stage on awkward input: no crash, nothing invented, spans valid."""

from __future__ import annotations

import dataclasses

import pytest

from storyline.config import Settings
from storyline.model import Document, Published, Span, When
from storyline.nlp import annotate, build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings())


def spans(obj):
    if isinstance(obj, Span):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from spans(x)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from spans(getattr(obj, f.name))


def run(nlp, text, published=Published(), settings=None):
    doc = Document(id="x", text=text, source="t", published=published)
    (ann,) = list(annotate([doc], nlp, settings or Settings()))
    for s in spans(ann):
        assert text[s.start : s.end] == s.text
    return ann


def test_empty_document(nlp):
    ann = run(nlp, "")
    assert (ann.entities, ann.times, ann.quotes, ann.figures, ann.events) == ((), (), (), (), ())


def test_table_of_numbers_gives_no_quotes_events_or_people(nlp):
    rows = "\n".join(f"{i}\t{i * 17 % 97}\t{i * 3.5:.1f}\t{2000 + i}" for i in range(300))
    ann = run(nlp, rows)
    assert ann.quotes == () and ann.events == ()
    assert not [e for e in ann.entities if e.type == "PERSON"]


def test_non_english_article_invents_nothing(nlp):
    text = (
        "El ministro de Exteriores se reunió el martes con su homólogo en Bruselas. "
        "«Ha sido una conversación muy cordial», dijo después. El gasto en defensa subirá al 2 % en 2029."
    )
    ann = run(nlp, text)
    assert ann.published.basis == "unknown"
    for t in ann.times:  # relative days stay unresolved without a publication date
        if t.relative:
            assert t.when.value is None


def test_all_capitals(nlp):
    text = 'THE MINISTER SAID ON TUESDAY THAT TALKS WOULD RESUME. "WE ARE READY," HE ADDED. LOSSES TOP $4 BILLION.'
    published = Published(When("2026-03-12", "2026-03-12", "2026-03-12"), "stated")
    ann = run(nlp, text, published)
    assert all(q.span.text for q in ann.quotes)


def test_one_long_paragraph_is_chunked_not_refused(nlp):
    sentence = "The harbour master said on Monday that 40 ships were waiting outside the port. "
    text = sentence * 700  # about 56,000 characters in one paragraph
    ann = run(nlp, text, settings=Settings(max_chars=20_000))
    starts = sorted(f.span.start for f in ann.figures)
    assert starts and starts[-1] > 40_000  # items found in the last chunk, offsets shifted back
    assert len({e.key for e in ann.entities}) == len(ann.entities)  # chunk-local keys never collide
