"""Annotation on several processes (issue 11): the store is the same whatever the worker count,
documents stream through the pool, and a failing document is reported while the others go in."""

from __future__ import annotations

from pathlib import Path

import storyline
from storyline.run.pool import AnnotationFailure, annotate_batch, annotate_stream
import pytest

pytestmark = pytest.mark.slow  # runs the pipeline on many articles or several processes (make check leaves it out)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "storyline" / "examples" / "demo"


def _ingest(paths, workers: int, batch_size: int = 2):
    settings = storyline.Settings(batch_size=batch_size)
    store = storyline.open_store(":memory:", settings)
    report = storyline.ingest([str(p) for p in paths], store, settings, workers=workers)
    return store, report


def test_one_and_two_workers_give_identical_stores(seeds_dir, monkeypatch):
    # batch_size 2 makes several batches, so two workers really run in two processes; one worker
    # is this process, or (apart) a worker process while this process stores
    from storyline.run import local

    paths = [DEMO, seeds_dir]
    one, r1 = _ingest(paths, 1)
    two, r2 = _ingest(paths, 2)
    monkeypatch.setattr(local, "_apart", lambda workers: True)
    here, r3 = _ingest(paths, 1)
    try:
        assert r1.failed == r2.failed == r3.failed == []
        assert r1.annotated == r2.annotated == r3.annotated == one.document_count() > 8
        assert one.dump() == two.dump() == here.dump()
    finally:
        one.close()
        two.close()
        here.close()


def test_pool_keeps_input_order_and_reports_each_document():
    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)]
    settings = storyline.Settings(batch_size=1)
    out = list(annotate_stream(iter(docs), settings, workers=2))
    assert [a.doc for a in out] == [d.id for d in docs]
    assert all(isinstance(a, storyline.DocAnnotations) for a in out)


class _Breaks:
    """A pipeline seam whose ``pipe`` fails on one document's text."""

    def __init__(self, nlp, bad: str):
        self._nlp, self._bad = nlp, bad

    def make_doc(self, text):
        return self._nlp.make_doc(text)

    def pipe(self, docs, batch_size=32):
        for doc in self._nlp.pipe(docs, batch_size=batch_size):
            if doc.text == self._bad:
                raise ValueError("broken component")
            yield doc


def test_a_failing_document_is_reported_and_its_batch_goes_on():
    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)][:4]
    nlp = _Breaks(storyline.build_pipeline(), docs[1].text)
    out = annotate_batch(docs, nlp, storyline.Settings())
    assert [type(a) for a in out] == [storyline.DocAnnotations, AnnotationFailure, storyline.DocAnnotations, storyline.DocAnnotations]
    assert out[1].doc == docs[1].id and out[1].code == "E201"


def test_documents_stream_through_the_pool_in_bounded_batches():
    """Never the whole input in memory: at most 2 * workers batches are out at any time."""
    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)]
    settings = storyline.Settings(batch_size=1)
    pulled = 0

    def source():
        nonlocal pulled
        for i in range(4):
            for d in docs:
                pulled += 1
                yield d

    out = 0
    for _ in annotate_stream(source(), settings, workers=2):
        out += 1
        assert pulled - out <= 2 * 2 * settings.batch_size + 1
    assert out == pulled == 4 * len(docs)


# ------------------------------------------------- issue 11, part 1: the parent annotates too


def _demo_docs(copies: int = 1) -> list:
    import dataclasses

    docs = [d for d in storyline.read_paths([str(DEMO)]) if isinstance(d, storyline.Document)]
    return [dataclasses.replace(d, id=f"{d.id}-{i}") for i in range(copies) for d in docs]


def test_n_annotators_are_this_process_and_n_minus_1_workers(monkeypatch):
    """``workers=2`` starts one worker process; the parent annotates documents itself while the
    worker's batches are out, and every document comes back in order, as one process makes it."""
    import multiprocessing

    from storyline.run import pool

    docs = _demo_docs(3)
    settings = storyline.Settings(batch_size=2)
    here: list[str] = []
    real = pool.annotate_batch

    def counted(batch, nlp, s):
        here.extend(d.id for d in batch)
        return real(batch, nlp, s)

    alone = real(docs, pool.local_pipeline(settings), settings)
    monkeypatch.setattr(pool, "annotate_batch", counted)  # this process only: workers import their own
    before = set(multiprocessing.active_children())
    with pool.Annotators(settings, 2) as annotators:
        annotators.start()
        assert len(set(multiprocessing.active_children()) - before) == 1
        out = list(annotators.annotate(iter(docs), expected=len(docs)))
    assert [a.doc for a in out] == [d.id for d in docs]
    assert out == alone
    assert 0 < len(here) < len(docs)  # both annotated: the worker always gets the first batch
    kept: dict = {}  # as the store's rows, and as objects for the resolution: the workers' too
    with pool.Annotators(settings, 2) as annotators:
        rows = list(annotators.annotate(iter(docs), expected=len(docs), encoded=True, keep=kept))
    assert [r.doc for r in rows] == [d.id for d in docs]
    assert kept == {a.doc: a for a in alone}


def test_one_worker_apart_is_one_worker_process_and_this_process_annotates_nothing(monkeypatch):
    """``apart`` (one worker on a machine with more cores): the one annotator is a worker process;
    this process only stores, and gets each document's rows as one process makes them."""
    import multiprocessing

    from storyline.run import pool

    docs = _demo_docs(3)
    settings = storyline.Settings(batch_size=2)
    here: list[str] = []
    real = pool.annotate_batch

    def counted(batch, nlp, s):
        here.extend(d.id for d in batch)
        return real(batch, nlp, s)

    alone = real(docs, pool.local_pipeline(settings), settings)
    monkeypatch.setattr(pool, "annotate_batch", counted)
    before = set(multiprocessing.active_children())
    with pool.Annotators(settings, 1, apart=True) as annotators:
        annotators.start()
        assert len(set(multiprocessing.active_children()) - before) == 1
        out = list(annotators.annotate(iter(docs), expected=len(docs), encoded=True))
    assert here == []
    assert out == [pool.encode(a) for a in alone]
    with pool.Annotators(settings, 1, apart=True) as annotators:  # one batch, nothing started: here
        assert list(annotators.annotate(iter(docs[:2]), expected=2)) == alone[:2]
        assert here == [d.id for d in docs[:2]]


def test_a_wrong_expected_count_still_gives_every_document_in_order():
    """``expected`` only sizes the batches: fewer or more documents than announced all come back."""
    from storyline.run.pool import Annotators

    docs = _demo_docs(2)
    with Annotators(storyline.Settings(batch_size=2), 2) as annotators:
        for expected in (3, 10 * len(docs)):
            out = list(annotators.annotate(iter(docs), expected=expected))
            assert [a.doc for a in out] == [d.id for d in docs]
            assert all(isinstance(a, storyline.DocAnnotations) for a in out)


def _record_order(monkeypatch, store):
    from storyline.run.pool import Annotators

    events: list[str] = []
    real_start, real_add = Annotators.start, store.add_documents

    def start(self):
        events.append("start")
        return real_start(self)

    def add(docs):
        events.append("add")
        return real_add(docs)

    monkeypatch.setattr(Annotators, "start", start)
    monkeypatch.setattr(store, "add_documents", add)
    return events


def test_ingest_starts_the_workers_before_reading_large_inputs(monkeypatch):
    """Worker start-up (spawn, model load) overlaps the reading when the inputs are large enough."""
    from storyline.run import local

    settings = storyline.Settings(batch_size=2)
    monkeypatch.setattr(local, "EARLY_START_BYTES", 1)
    with storyline.open_store(":memory:", settings) as store:
        events = _record_order(monkeypatch, store)
        report = storyline.ingest([str(DEMO)], store, settings, workers=2)
        assert events[0] == "start" and "add" in events
        assert report.failed == [] and report.annotated == store.document_count() > 4


def test_small_inputs_read_before_any_worker_starts(monkeypatch):
    settings = storyline.Settings(batch_size=2)
    with storyline.open_store(":memory:", settings) as store:
        events = _record_order(monkeypatch, store)
        storyline.ingest([str(DEMO)], store, settings, workers=2)  # 17 kB: below EARLY_START_BYTES
        assert events[0] == "add"


def test_workers_started_for_nothing_are_not_waited_for():
    """Closing before any document was sent returns at once: the worker, still loading its
    pipeline, exits on its own (an ingest of documents already stored loses no time)."""
    import time

    from storyline.run.pool import Annotators

    annotators = Annotators(storyline.Settings(), 2).start()
    t0 = time.perf_counter()
    annotators.close()
    assert time.perf_counter() - t0 < 1.0  # spawning and loading the pipeline alone takes longer


_KILLED_INGEST = """
import multiprocessing, os, sys
import storyline
from storyline.kb import Store
from storyline.run import local

local.EARLY_START_BYTES = 1
real, calls = Store.save_encoded, [0]

def dying(self, *args):
    calls[0] += 1
    if calls[0] == 2:  # kill -9 in the middle of the annotation stage (a batch written), workers busy
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        os._exit(137)
    return real(self, *args)

Store.save_encoded = dying
if __name__ == "__main__":
    with storyline.open_store(sys.argv[2]) as store:
        storyline.ingest([sys.argv[1]], store, storyline.Settings(batch_size=2), workers=2)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fp:
            return fp.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie has ended
    except FileNotFoundError:
        return True


def test_kill_9_during_two_worker_annotation_then_same_ingest(tmp_path):
    """A parent killed while its worker annotates takes the worker with it, and the same ingest
    then leaves each document stored once and whole: the store of an uninterrupted run."""
    import subprocess
    import sys
    import time

    if not Path("/proc/self/stat").exists():
        import pytest

        pytest.skip("needs /proc to see the worker process end")
    script = tmp_path / "killed.py"
    script.write_text(_KILLED_INGEST)
    db = tmp_path / "kb.db"
    proc = subprocess.run([sys.executable, str(script), str(DEMO), str(db)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 137, proc.stderr
    workers = [int(p) for p in proc.stdout.split()]
    assert workers  # the worker process was running when the parent died
    deadline = time.monotonic() + 30
    while not all(_gone(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(p) for p in workers), "a worker outlived its killed parent"

    settings = storyline.Settings(batch_size=2)
    with storyline.open_store(db, settings) as store:
        assert 0 < len(store.annotated_ids()) < store.document_count()
        report = storyline.ingest([str(DEMO)], store, settings, workers=2)
        assert report.failed == [] and report.new == 0
        resumed = store.dump()
    with storyline.open_store(tmp_path / "ref.db", settings) as ref:
        storyline.ingest([str(DEMO)], ref, settings, workers=1)
        assert resumed == ref.dump()


def test_documents_held_stay_bounded_when_the_count_is_known():
    """With ``expected`` given (batches sized by what is left) the parent and one worker still
    hold at most (QUEUED * workers' processes + 2) * batch_size documents at any time."""
    from storyline.run.pool import QUEUED, Annotators

    docs = _demo_docs(4)
    settings = storyline.Settings(batch_size=3)
    bound = (QUEUED * 1 + 2) * settings.batch_size
    pulled = out = 0

    def source():
        nonlocal pulled
        for d in docs:
            pulled += 1
            yield d

    with Annotators(settings, 2) as annotators:
        for _ in annotators.annotate(source(), expected=len(docs)):
            out += 1
            assert pulled - out < bound
    assert out == pulled == len(docs)


def test_an_expected_count_known_later_sizes_the_batches_once_known():
    """``expected`` as a function (documents still being stored: run.readfork): batches are
    ``batch_size`` while it gives None, and shrink with what is left once it gives the count."""
    from storyline.run.pool import Annotators

    docs = _demo_docs(3)
    settings = storyline.Settings(batch_size=8)
    first: list[int] = []
    for expected in (lambda: None, lambda: len(docs)):
        with Annotators(settings, 2) as annotators:
            annotators.start()
            sizes: list[int] = []
            real = annotators._pool.submit

            def submit(fn, batch, *args, real=real, sizes=sizes):
                sizes.append(len(batch))
                return real(fn, batch, *args)

            annotators._pool.submit = submit
            out = list(annotators.annotate(iter(docs), expected=expected))
        assert [a.doc for a in out] == [d.id for d in docs]
        first.append(sizes[0])
    assert first == [8, -(-len(docs) // 8)]  # what is left over four batches for each of the 2 annotators
