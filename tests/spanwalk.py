"""Every Span nested in a model object: the walk the provenance tests share."""

from __future__ import annotations

import dataclasses
from typing import Iterator

from storyline.model import Span


def all_spans(obj) -> Iterator[Span]:
    """Every Span nested anywhere in a model object."""
    if isinstance(obj, Span):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from all_spans(x)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from all_spans(getattr(obj, f.name))
