"""Timeline: the dated events of a resolution in calendar order.

Events are ordered by the earliest day they may mean, then by precision (an
exact day before the month that holds it), then label and id, so the order is
total and stable. Events dated only as a range (a month, a year, "between
March 28 and 31") keep their :class:`When` with its bounds, so views can draw
them as ranges; undated events are left out.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Event, Resolution
from .common import interval

__all__ = ["timeline"]


def timeline(resolution: Resolution | Iterable[Event], story: str | None = None, *, background: bool = False) -> list[Event]:
    """Dated events in order (earliest day, then precision); only ``story``'s when given, and
    then its news and reactions: its background (``Event.role``, :mod:`.storymodel`) only
    with ``background=True``."""
    if isinstance(resolution, Resolution):
        events = list(resolution.events)
        if story is not None:
            keep = {e for s in resolution.stories if s.id == story for e in s.events}
            events = [e for e in events if e.id in keep and (background or e.role != "background")]
    else:
        events = list(resolution)
    dated = [(iv, e) for e in events if (iv := interval(e.when)) is not None]
    dated.sort(key=lambda x: (x[0][0], x[0][1] - x[0][0], x[1].label, x[1].id))
    return [e for _, e in dated]
