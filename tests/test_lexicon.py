"""One home for each word list (issue 8): components import the lexicon, they keep no copies."""

from __future__ import annotations

from storyline.lexicon import events, names, speech
from storyline.nlp import names as nlp_names
from storyline.lexicon import plover
from storyline.nlp.components import figures, quotes
from storyline.resolve import names as resolve_names


def test_speech_verbs_have_one_home():
    assert plover.SPEECH is speech.STATEMENT_VERBS
    assert quotes.REPORT_VERBS is speech.REPORT_VERBS
    assert figures.SPEECH_VERBS is speech.ATTRIBUTION_VERBS
    assert speech.STATEMENT_VERBS <= speech.REPORT_VERBS and speech.STATEMENT_VERBS <= speech.ATTRIBUTION_VERBS


def test_title_words_and_fold_have_one_home():
    assert nlp_names.TITLE_WORDS is names.TITLE_WORDS and resolve_names.TITLE_WORDS is names.TITLE_WORDS
    assert names.TITLE_WORDS <= names.NAME_AFFIXES
    assert nlp_names.fold is names.fold and resolve_names.fold is names.fold
    assert names.fold("Martínez  Belío’s") == "martinez belio's"


def test_concepts_join_words_for_one_happening():
    assert events.concept("quake") == events.concept("earthquake") == "earthquake"
    assert events.concept("slaying") == events.concept("die")
    assert events.concept("negotiation", "negotiate") == events.concept("talks")
    assert events.concept("vote") == "vote"  # a word with no synonyms is its own concept


def test_nominal_stems():
    assert "negotiate" in events.nominal_stems("negotiation")
    assert "shop" in events.nominal_stems("shopping")
    assert events.nominal_stems("cat") == []
