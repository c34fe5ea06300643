"""storyline_times (placeholder until implemented)."""

from __future__ import annotations

from spacy.language import Language


@Language.factory("storyline_times", assigns=["doc._.sl_times"])
def make_times(nlp, name):
    def component(doc):
        doc._.sl_times = []
        if doc._.sl_published is None:
            doc._.sl_published = doc._.sl_document.published
        return doc

    return component
