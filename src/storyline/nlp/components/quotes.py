"""storyline_quotes (placeholder until implemented)."""

from __future__ import annotations

from spacy.language import Language


@Language.factory("storyline_quotes", assigns=["doc._.sl_quotes"])
def make_quotes(nlp, name):
    def component(doc):
        doc._.sl_quotes = []
        return doc

    return component
