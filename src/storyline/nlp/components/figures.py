"""storyline_figures (placeholder until implemented)."""

from __future__ import annotations

from spacy.language import Language


@Language.factory("storyline_figures", assigns=["doc._.sl_figures"])
def make_figures(nlp, name):
    def component(doc):
        doc._.sl_figures = []
        return doc

    return component
