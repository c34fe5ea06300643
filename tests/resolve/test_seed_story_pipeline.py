"""Issue 9, end to end on the user's five articles (read in place from ../shared/seeds): the stories come
from the text, with one entity per person, the phone call's date conflict, and the August report apart."""

from __future__ import annotations

import pytest

import storyline

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def seed_store(seeds_dir):
    store = storyline.open_store(":memory:")
    storyline.ingest([str(seeds_dir)], store, workers=1)
    yield store
    store.close()


def _prefix(store) -> dict[str, str]:
    return {r.id: r.sources[0].rsplit("/", 1)[-1][:3] for r in store.documents()}


def test_april_reports_are_one_story_and_august_is_apart(seed_store):
    names = _prefix(seed_store)
    groups = sorted(sorted(names[d] for d in s.documents) for s in seed_store.resolution().stories)
    assert ["000", "001", "003", "004"] in groups
    assert ["002"] in groups


def test_one_entity_per_person(seed_store):
    res = seed_store.resolution()
    for surname in ("Albares", "Rubio", "Rutte", "Trump"):
        people = [e for e in res.entities if e.type == "PERSON" and e.name.split()[-1] == surname]
        assert len(people) == 1, (surname, [e.name for e in people])
    rubio = next(e for e in res.entities if e.name.endswith("Rubio"))
    rutte = next(e for e in res.entities if e.name.endswith("Rutte"))
    assert rubio.id != rutte.id


def test_the_call_dated_differently_is_a_conflict(seed_store):
    dates = [c for c in seed_store.resolution().conflicts if c.kind == "date"]
    assert any({"2025-03-28", "2025-03-31"} <= {cl.value for cl in c.claims} for c in dates)
