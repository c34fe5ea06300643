"""Resolution in parts (storyline.resolve.engine over .partition and .textparts) equals resolve():
the same steps as on Ray, run in this process (and on a local process pool) on small blocks and
several parts each."""

from __future__ import annotations

import importlib.util
import random
from dataclasses import replace
from pathlib import Path

import pytest
from resolve_builder import DocBuilder, build_all

from storyline.config import Settings
from storyline.resolve import resolve
from storyline.resolve.keys import doc_keys, entity_keys
from storyline.resolve.partition import shard
from storyline.resolve.engine import SerialRunner, blocks_of, bucket_families, resolve_blocks
from storyline.run.parallel import PoolRunner

ROOT = Path(__file__).resolve().parents[2]


def _synthetic(n: int, seed: int):
    spec = importlib.util.spec_from_file_location("storyline_bench_scale", ROOT / "bench" / "scale.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.synthetic(n, seed=seed)


def _with_terms(anns, seed: int = 5):
    """Content terms: a story word and background words, so stories are grouped by text."""
    rng = random.Random(seed)
    out = []
    for a in anns:
        if rng.random() < 0.1:
            out.append(a)  # some documents have no terms
            continue
        bag = {f"w{rng.randrange(60)}": rng.randint(1, 3) for _ in range(12)}
        bag[f"s{a.doc[-3:-1]}"] = 2
        out.append(replace(a, terms=tuple(sorted(bag.items(), key=lambda kv: (-kv[1], kv[0])))))
    return out


def _parts(records, anns, size: int, parts: int, runner=None):
    runner = runner or SerialRunner()
    return resolve_blocks(blocks_of(records, anns, runner, size), runner, Settings(), parts)


def _corner_cases():
    """Entities that resolve only with what other documents say: an organisation that is a
    person, a role, an acronym, a near-duplicate, a partial event, disagreeing dates and figures."""
    a = DocBuilder("a1", "Transport Minister Helena Brandt met Tomas Reyes in Aldmere on March 3. Reyes said talks went well.",
                   "2026-03-04")
    brandt = a.ent("PERSON", "Helena Brandt", descriptions=("transport minister",))
    reyes = a.ent("PERSON", "Tomas Reyes")
    a.ent("ORG", "Reyes")  # the tagger's slip beside the full name
    a.ent("GPE", "Aldmere")
    a.event("CONSULT", "met", [brandt, reyes], "2026-03-03", "March 3")
    a.quote("talks went well", reyes)
    b = DocBuilder("b1", "The minister held talks in Aldmere. The United States welcomed them.", "2026-03-05")
    role = b.ent("PERSON", "The minister", kinds=("nominal",), name="the transport minister")
    b.ent("GPE", "Aldmere")
    b.ent("GPE", "United States")
    b.event("CONSULT", "held talks", [role])
    c = DocBuilder("c1", "U.S. officials said Brandt and Reyes met on March 2. Reyes said talks went well.", "2026-03-06")
    c.ent("GPE", "U.S.")
    cb, cr = c.ent("PERSON", "Brandt"), c.ent("PERSON", "Reyes")
    c.event("CONSULT", "met", [cb, cr], "2026-03-02", "March 2")
    c.quote("talks went well", cr)
    d = DocBuilder("d1", "U.S. officials said Brandt and Reyes met on March 2. Reyes said talks went well.", "2026-03-06",
                   duplicate_of="c1")
    d.ent("GPE", "U.S.")
    db_, dr = d.ent("PERSON", "Brandt"), d.ent("PERSON", "Reyes")
    d.event("CONSULT", "met", [db_, dr], "2026-03-02", "March 2")
    e = DocBuilder("e1", "The Port Authority put the cost of the dock at 40 million dollars.", "2026-04-01")
    pa = e.ent("ORG", "Port Authority")
    e.figure("40 million dollars", 40e6, "USD", "cost of the dock", subject=pa)
    f = DocBuilder("f1", "The Port Authority put the cost of the dock at 45 million dollars.", "2026-04-02")
    pf = f.ent("ORG", "Port Authority")
    f.figure("45 million dollars", 45e6, "USD", "cost of the dock", subject=pf)
    g = DocBuilder("g1", "Ana Sanchez and Pedro Sanchez spoke. Sanchez left.")  # undated, ambiguous surname
    g.ent("PERSON", "Ana Sanchez")
    g.ent("PERSON", "Pedro Sanchez")
    g.ent("PERSON", "Sanchez")
    return build_all(a, b, c, d, e, f, g)


@pytest.mark.parametrize("size,parts", [(1, 1), (2, 3), (3, 7)])
def test_corner_cases_resolve_the_same_in_parts(size, parts):
    records, anns = _corner_cases()
    want = resolve(records, anns)
    assert want.conflicts and any(len(e.members) > 2 for e in want.entities)
    assert _parts(records, anns, size, parts) == want
    with_terms = _with_terms(anns, seed=2)
    assert _parts(records, with_terms, size, parts) == resolve(records, with_terms)


@pytest.mark.parametrize("terms", [False, True], ids=["stories-by-entities", "stories-by-text"])
def test_generated_corpus_resolves_the_same_in_parts(terms):
    records, anns = _synthetic(400, seed=3)
    if terms:
        anns = _with_terms(anns)
    want = resolve(records, anns)
    assert len(want.stories) > 10 and want.conflicts and want.support
    assert _parts(records, anns, 37, 5) == want
    assert _parts(records, anns, 90, 3, PoolRunner(2)) == want  # the same tasks on two worker processes
    # input order and block cut change nothing
    rng = random.Random(1)
    rng.shuffle(records)
    rng.shuffle(anns)
    assert _parts(records, anns, 150, 2) == want


def test_entity_keys_hold_the_store_keys_of_each_entity():
    records, anns = _corner_cases()
    for rec, ann in zip(records, anns):
        mine = set().union(*(entity_keys(e) for e in ann.entities)) if ann.entities else set()
        store = {k for k in doc_keys(rec, ann) if k[:2] in ("p:", "n:", "a:", "r:")}
        assert store <= mine


def test_bucket_families_join_only_participant_sets_that_contain_one_another():
    keys = {
        ("CONSULT", ("ent_a",)): 1,
        ("CONSULT", ("ent_a", "ent_b")): 1,
        ("CONSULT", ("ent_b", "ent_c")): 1,
        ("CONSULT", ("ent_c",)): 1,
        ("STATEMENT", ("ent_a",)): 1,
        ("CONSULT", ("ent_d",)): 1,
    }
    fams = sorted(sorted(f) for f in bucket_families(keys))
    assert fams == [
        [("CONSULT", ("ent_a",)), ("CONSULT", ("ent_a", "ent_b"))],
        [("CONSULT", ("ent_b", "ent_c")), ("CONSULT", ("ent_c",))],
        [("CONSULT", ("ent_d",))],
        [("STATEMENT", ("ent_a",))],
    ]


def test_shards_do_not_depend_on_the_process():
    assert [shard(k, 7) for k in ("p:reyes", "n:united states", "")] == [shard(k, 7) for k in ("p:reyes", "n:united states", "")]
    assert shard("p:reyes", 7) == 4 and shard("anything", 1) == 0


def test_events_resolved_in_one_loop_are_the_engines():
    """resolve_events loops over the public steps the engine runs in parts: the same events."""
    from storyline.resolve.common import doc_intervals
    from storyline.resolve.events import resolve_events

    records, anns = _synthetic(300, seed=8)
    anns = _with_terms(anns)
    want = resolve(records, anns)
    story_of = {d: i for i, g in enumerate(sorted(list(s.documents) for s in want.stories)) for d in g}
    dup = {r.id: r.duplicate_of for r in records}
    events, event_of = resolve_events(anns, want.entity_of, dup, doc_intervals(records, anns), Settings().event_day_window,
                                      story_of)
    assert [(e.id, e.mentions) for e in events] == [(e.id, e.mentions) for e in want.events]
    assert set(event_of.values()) == {e.id for e in want.events}
