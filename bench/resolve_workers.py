"""Time a full resolution of a stored corpus in one process (``resolve()``) and on worker processes
(``storyline.run.parallel.pool_resolver``), and check that they give the same Resolution:

    python bench/resolve_workers.py STORE.db 2 4

Prints one JSON line per run: wall seconds, CPU seconds of this process and of its workers, the
engine's seconds per step. Copy a store first: nothing is written to it.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    import storyline
    from storyline.config import Settings
    from storyline.resolve import resolve
    from storyline.run.parallel import pool_resolver

    path, workers = sys.argv[1], [int(w) for w in sys.argv[2:]]
    with storyline.open_store(path) as store:
        settings = Settings()
        want = None
        for n in [1, *workers]:
            wall, cpu, kids, steps = time.perf_counter(), time.process_time(), _children_cpu(), {}
            if n == 1:
                res = resolve(store.documents(), list(store.annotations()), settings)
            else:
                res = pool_resolver(n)(store, settings, steps)
            want = want or res
            print(json.dumps({"workers": n, "wall_s": round(time.perf_counter() - wall, 2),
                              "cpu_s": round(time.process_time() - cpu, 2), "workers_cpu_s": round(_children_cpu() - kids, 2),
                              "steps": steps, "equal": res == want}), flush=True)


if __name__ == "__main__":
    main()
