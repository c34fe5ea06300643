"""spaCy makes a new Token object on every access, so tokens compare by index, never by identity
(issue 20): `tok.head is tok` is never true, and a walk up the tree that waited for it never ended
on a sentence whose root the tagger took for a preposition (one ECB+ article hung an annotator)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from storyline.nlp.attribution import subject_of

SRC = Path(__file__).resolve().parents[2] / "src" / "storyline"


@pytest.mark.issue(20)
@pytest.mark.timeout(20)
def test_a_walk_up_from_a_preposition_root_ends():
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=["At", "cautioning"], heads=[0, 0], deps=["ROOT", "advcl"], pos=["ADP", "VERB"])
    assert doc[1].head.i == 0 and doc[0].head.i == 0 and doc[0].head is not doc[0]
    assert subject_of(doc[1]) is None  # no subject, and it returns: the root is its own head


def test_no_token_is_compared_by_identity():
    identity = re.compile(r"\.head is (not )?\w|\bhead is (not )?tok\b")
    found = [f"{p.relative_to(SRC)}:{i}" for p in SRC.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if identity.search(line)]
    assert found == []
