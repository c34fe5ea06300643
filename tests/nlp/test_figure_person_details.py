"""A person's details as figures (issue 17, person details): how many children a person has and what a
person weighs, with the person as the subject; invented sentences."""

from __future__ import annotations

from storyline.lexicon.figures import BODY_WEIGHT, FAMILY_NOUNS

from .test_figures import annotate, by_text, nlp  # noqa: F401  (the session pipeline fixture)


def _subject_name(doc, fig) -> str | None:
    ents = {e.key: e.name for e in doc._.sl_entities}
    return ents.get(fig.subject) if fig.subject else None


def test_a_mother_of_twelve_and_her_thirteen_children_count_her_children(nlp):  # noqa: F811
    doc = annotate(nlp, "Maria Delgado, 34, a mother of 12, was shot on Tuesday. Police said Delgado was walking "
                        "with one of her 13 children when a man opened fire.")
    for surface in ("12", "13"):
        fig = by_text(doc, surface)
        assert (fig.unit, fig.about) == ("count", FAMILY_NOUNS["children"])
        assert _subject_name(doc, fig) == "Maria Delgado"


def test_a_count_of_sons_is_no_parent_s_unless_a_parent_word_or_possessive_says_so(nlp):  # noqa: F811
    doc = annotate(nlp, "Tom Reyes was one of five sons of Salvatore Reyes. A county deputy, a father of two sons, "
                        "died on Friday.")
    assert by_text(doc, "five").about != FAMILY_NOUNS["sons"]
    two = by_text(doc, "two")
    assert two.about == FAMILY_NOUNS["sons"] and two.subject is None  # no person named beside the parent word


def test_a_weight_in_a_person_s_description_is_his_weight(nlp):  # noqa: F811
    doc = annotate(nlp, "Police are searching for Jose Ortega, 27. He is 5-feet-8 inches tall, weighing 130 pounds, "
                        "and has a shaved head.")
    fig = by_text(doc, "130 pounds")
    assert (fig.unit, fig.about) == ("pounds", BODY_WEIGHT)
    assert _subject_name(doc, fig) == "Jose Ortega"
