"""The accuracy gate: bench/accuracy.py against our own gold, with the floors
pinned in bench/floors.json. A regression below a floor fails the build."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_accuracy", ROOT / "bench" / "accuracy.py")
accuracy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(accuracy)


@pytest.fixture(scope="module")
def results():
    return accuracy.evaluate()


def _floors(prefix: str) -> dict:
    floors = json.loads((ROOT / "bench" / "floors.json").read_text())
    return {k: v for k, v in floors.items() if k.startswith(prefix)}


def test_seed_floors(results, seeds_dir):
    floors = _floors("seeds.")
    assert floors, "no floors pinned for the seeds"
    assert accuracy.check(results, floors) == []


def test_story2_floors(results):
    floors = _floors("story2.")
    assert floors, "no floors pinned for the second example story"
    assert accuracy.check(results, floors) == []


def test_heldout_floors(results):
    """Our own example articles, annotated by someone who did not write the rules."""
    floors = _floors("heldout.")
    assert floors, "no floors pinned for the held-out articles"
    assert accuracy.check(results, floors) == []


def test_check_reports_a_regression():
    fake = {"seeds": {"times": {"f1": 0.2}}, "story2": {"conflicts": {"false_alarms": 3}}}
    bad = accuracy.check(fake, {"seeds.times.f1": 0.5, "story2.conflicts.false_alarms": 1, "seeds.quotes.f1": 0.1})
    assert len(bad) == 3
