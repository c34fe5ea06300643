"""Shared by the tests of keys made with the annotations and apart (test_keys_saved, test_keys_apart)."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _feed(n: int = 60):
    """``n`` documents of bench/scale.py's six stories, each with terms (a shared word, its place,
    its own id), as (records, annotations)."""
    spec = importlib.util.spec_from_file_location("storyline_bench_scale", ROOT / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    recs, anns = scale.feed(n, stories=range(6))
    place = {a.doc: next(e.name.lower() for e in a.entities if e.type == "GPE") for a in anns}
    return recs, [dataclasses.replace(a, terms=(("talks", 2), (place[a.doc], 3), (a.doc, 1))) for a in anns]


@pytest.fixture
def feed():
    """The feed maker: ``feed(n=60) -> (records, annotations)``."""
    return _feed
