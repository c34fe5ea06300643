"""storyline_events (placeholder until implemented)."""

from __future__ import annotations

from spacy.language import Language


@Language.factory("storyline_events", assigns=["doc._.sl_events"])
def make_events(nlp, name):
    def component(doc):
        doc._.sl_events = []
        return doc

    return component
