"""Issue 9: reports of one event that size it differently disagree; hedged numbers and updates do not."""

from __future__ import annotations

import pytest

from storyline.config import Settings
from storyline.model import Document, Published, When
from storyline.nlp import annotate, build_pipeline
from storyline.resolve import resolve


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings())


def _resolve(nlp, *texts):
    day = When("2026-05-04", "2026-05-04", "2026-05-04")
    docs = [Document(id=f"d{i}", text=t, source=f"d{i}.txt", published=Published(day, "stated")) for i, t in enumerate(texts)]
    anns = list(annotate(docs, nlp, Settings()))
    return resolve([], anns, Settings())


STORY = ("A gunman opened fire at a school in the town of Brisk on Monday. Police said the gunman killed {n} people "
         "and wounded several others before he was arrested near the school.")


def test_two_tolls_for_one_shooting_conflict(nlp):
    res = _resolve(nlp, STORY.format(n="12"), STORY.format(n="18"))
    counts = [c for c in res.conflicts if c.kind == "number"]
    assert len(counts) == 1
    assert sorted(cl.value for cl in counts[0].claims) == ["12", "18"]
    assert {cl.span.text for cl in counts[0].claims} == {"12", "18"}


def test_hedged_toll_is_not_a_conflict(nlp):
    res = _resolve(nlp, STORY.format(n="at least 12"), STORY.format(n="18"))
    assert [c for c in res.conflicts if c.kind == "number"] == []


def test_an_update_is_not_a_conflict(nlp):
    later = STORY.format(n="12") + " The number of people killed rose to 18 on Tuesday, police said."
    res = _resolve(nlp, STORY.format(n="12"), later)
    assert not any(c.kind == "number" and {"12", "18"} <= {cl.value for cl in c.claims} and
                   len({cl.span.doc for cl in c.claims}) == 2 for c in res.conflicts)


@pytest.mark.issue(17)
def test_tolls_of_another_size_are_not_one_toll_told_differently(nlp):
    """5 vs 50 killed: another incident joined in, or the background, never one toll told twice; 12 vs 18 still is."""
    res = _resolve(nlp, STORY.format(n="5"), STORY.format(n="50"))
    assert [c for c in res.conflicts if c.kind == "number"] == []
    res = _resolve(nlp, STORY.format(n="5"), STORY.format(n="50"), STORY.format(n="7"))
    (c,) = [c for c in res.conflicts if c.kind == "number"]
    assert sorted(cl.value for cl in c.claims) == ["5", "7"] and "factor" in c.basis
