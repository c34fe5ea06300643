"""Arbitrary Unicode text (not only bytes) through the whole NLP pipeline: no exception, and
every span the pipeline returns reproduces its text (the provenance invariant)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.config import Settings
from storyline.model import Document
from storyline.nlp import annotate
from storyline.readers.clean import doc_id

from .test_large_inputs import _spans

# words a news pipeline reacts to, mixed with any Unicode at all (surrogates cannot be encoded)
NEWSY = st.sampled_from([
    "said", "President", "Ana Muñoz", "on Monday", "3 March 2025", "$4 million", "12%", "\u201c", "\u201d", '"',
    "killed", "met", "in Paris", "\n\n", ". ", "Mr.", "he", "she", "last week", "«", "»", "—", "١٢٣", "北京",
])
TEXT = st.lists(
    st.one_of(NEWSY, st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)), max_size=40
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(text=TEXT)
def test_any_unicode_text_annotates_with_exact_spans(nlp, text):
    doc = Document(id=doc_id(text), text=text, source="hypothesis")
    (ann,) = list(annotate([doc], nlp, Settings(max_chars=1000)))
    assert ann.doc == doc.id
    for span in _spans(ann, []):
        assert span.doc == doc.id
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
