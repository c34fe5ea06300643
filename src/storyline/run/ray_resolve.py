"""Resolution on Ray: the resolution engine (:mod:`storyline.resolve.engine`) with its tasks
run by Ray, so that no process holds the corpus; the Ray engine's resolution step.

``storyline ingest --engine ray`` resolves this way (``ingest(..., partitioned=False)`` keeps the
driver-side resolution). :func:`storyline.run.incremental.resolve_store` decides, as for the
local engine, whether a resolution is full or partial and carries ids; a partial one (what new
documents touch) stays in the driver, a full one calls the resolver made here
(:func:`ray_resolver`), which runs :func:`~storyline.resolve.engine.resolve_blocks` over
blocks of the store with a :class:`RayRunner`. Each block task reads its documents' records
(without texts) and annotations from the store itself when the store is a file the workers can
open (a local Ray), else the driver reads a block at a time into Ray's object store
(:func:`~storyline.run.parallel.store_blocks`, as the local process pool does).

Equal to the local engine, which runs the same steps (``tests/run/test_ray.py`` on a local Ray
with two CPUs; the engine's tolerances are in its docstring).
"""

from __future__ import annotations

from typing import Callable

from ..config import Settings
from ..model import Resolution
from ..resolve.engine import BLOCK_SIZE, resolve_blocks
from .parallel import store_blocks

__all__ = ["RayRunner", "ray_resolver"]


def _call(fn, returns, *args):
    out = fn(*args)
    if returns is None:
        return out
    return out[0] if returns == 1 else tuple(out)


class RayRunner:
    """Runs tasks on Ray: ``submit`` returns object refs (one, or a list of ``returns``)."""

    def __init__(self, ray, *, shares_disk: bool):
        self.ray = ray
        self.shares_disk = shares_disk  # workers see the driver's files (a local Ray)
        self._call = ray.remote(_call)

    def put(self, value):
        return self.ray.put(value)

    def submit(self, fn: Callable, *args, returns: int | None = None):
        refs = self._call.options(num_returns=returns or 1, name=fn.__name__).remote(fn, returns, *args)
        if returns is None:
            return refs
        return [refs] if returns == 1 else list(refs)

    def get(self, handles):
        return self.ray.get(handles)


def ray_resolver(ray, *, shares_disk: bool, parts: int | None = None, block_size: int = BLOCK_SIZE) -> Callable:
    """A resolver for :func:`storyline.run.incremental.resolve_store` that resolves on Ray:
    ``resolver(store, settings) -> Resolution`` over every stored document."""
    runner = RayRunner(ray, shares_disk=shares_disk)

    def resolver(store, settings: Settings, timings: dict | None = None) -> Resolution:
        n = parts or max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
        return resolve_blocks(store_blocks(store, runner, size=block_size), runner, settings, n, timings)

    return resolver
