"""Chunk offsets: shift moves every Span of an annotation, at any depth, and nothing else."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

from storyline.model import Span
from storyline.nlp.convert import shift


def _sample():
    name = "storyline_test_sample"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "kb" / "kb_sample.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


sample = _sample()


def _walk_shift(obj, offset):
    """The reference: every dataclass field looked into, whatever its declared type."""
    if isinstance(obj, Span):
        return Span(obj.doc, obj.start + offset, obj.end + offset, obj.text)
    if isinstance(obj, tuple):
        return tuple(_walk_shift(x, offset) for x in obj)
    if isinstance(obj, list):
        return [_walk_shift(x, offset) for x in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _walk_shift(getattr(obj, f.name), offset) for f in dataclasses.fields(obj)})
    return obj


def test_shift_moves_every_span_as_a_walk_of_every_field_does():
    for ann in sample.annotations():
        moved = shift(ann, 1000)
        assert moved == _walk_shift(ann, 1000)
        assert moved != ann
        assert shift(ann, 0) is ann
