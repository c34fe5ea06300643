"""The engine's runner on forked processes (storyline.run.forks): a session shares the marked
steps between this process and its children, results cross to the process whose task reads
them, objects both hold travel by reference, and a child's failure is raised here."""

from __future__ import annotations

import operator
import os
import time

import pytest

from storyline.resolve.engine import SerialRunner
from storyline.run.forks import ForkRunner, Unavailable


def split(xs, n):
    return tuple(xs[i::n] for i in range(n))


def square_sum(*parts):
    return sum(x * x for p in parts for x in p), os.getpid()


def pair(*xs):
    return [x for x in xs]


def boom(x):
    raise ValueError(f"no {x}")


def _graph(runner, n=2):
    """Blocks cut in parts, every part read by every task of the next wave (an exchange)."""
    cut = [runner.submit(split, list(range(b * 10, b * 10 + 10)), n, returns=n) for b in range(3)]
    sums = [runner.submit(square_sum, *[c[k] for c in cut]) for k in range(n)]
    return runner.get(sums)


def test_a_session_gives_what_one_process_gives_and_uses_a_child():
    want = _graph(SerialRunner())
    runner = ForkRunner(2, forked={"square_sum"})
    got = _graph(runner)
    assert [v for v, _ in got] == [v for v, _ in want]
    pids = {pid for _, pid in got}
    assert len(pids) == 2 and os.getpid() in pids
    assert runner.sessions == 1


def test_results_exchanged_between_processes():
    runner = ForkRunner(2, forked={"split", "pair"})
    cut = [runner.submit(split, list(range(b * 4, b * 4 + 4)), 2, returns=2) for b in range(2)]  # one a process
    joined = [runner.submit(pair, *[c[k] for c in cut]) for k in range(2)]  # each reads the other's half
    assert runner.get(joined) == [[[0, 2], [4, 6]], [[1, 3], [5, 7]]]


def test_shared_objects_come_back_as_themselves():
    held = [object() for _ in range(3)]
    runner = ForkRunner(2, forked={"pair"}, shared=lambda: held)
    a, b = runner.get([runner.submit(pair, *held), runner.submit(pair, held[2], held[0])])
    assert a[0] is held[0] and b == [held[2], held[0]]


def test_a_result_read_only_in_a_child_is_not_kept():
    runner = ForkRunner(2, forked={"split", "pair"})
    cut = [runner.submit(split, [1, 2, 3, 4], 2, returns=2) for _ in range(2)]  # the second in the child
    here = runner.submit(pair, cut[0][0])
    there = runner.submit(pair, *cut[1])  # in the child too: the second cut never leaves it
    assert runner.get([here, there]) == [[[1, 3]], [[1, 3], [2, 4]]]
    assert runner.get([cut[0][1]]) == [[2, 4]]
    with pytest.raises(Unavailable):
        runner.get([cut[1][1]])


def test_a_child_failure_is_raised_here():
    runner = ForkRunner(2, forked={"boom", "pair"})
    with pytest.raises(ValueError, match="no 2"):
        runner.get([runner.submit(pair, 1), runner.submit(boom, 2)])  # the second in the child



def test_a_spawned_call_runs_in_a_child_and_gives_its_result_or_its_error():
    from storyline.errors import StoreError
    from storyline.run.forks import Spawned

    call = Spawned(operator.add, [1], [2])
    assert call.result() == [1, 2]
    child = Spawned(os.getpid)
    pid = child.result()
    assert pid == child.pid != os.getpid()
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(ZeroDivisionError):
        Spawned(operator.truediv, 1, 0).result()
    with pytest.raises(StoreError) as err:  # a coded error comes back whole
        Spawned(store_error).result()
    assert (err.value.code, err.value.reason, err.value.path) == ("E304", "refused", "kb.db")
    with pytest.raises(RuntimeError, match="ended before"):
        Spawned(os._exit, 3).result()


def store_error():
    from storyline.errors import StoreError

    raise StoreError("refused", code="E304", path="kb.db")


def test_a_spawned_call_left_or_cancelled_is_killed_and_reaped():
    from storyline.run.forks import Spawned

    with Spawned(time.sleep, 60) as call:
        pid = call.pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    call = Spawned(time.sleep, 60)
    call.cancel()
    call.cancel()  # nothing left to end
    with pytest.raises(RuntimeError, match="twice"):
        call.result()


def _counts_to(n, send):
    for i in range(n):
        send(i)


def _fails(send):
    from storyline.errors import StoreError

    send("started")
    raise StoreError("no room", code="E304", path="kb.db")


def _killed(send):
    send(os.getpid())
    os.kill(os.getpid(), 9)


def _waits(send):
    import time

    send(os.getpid())
    time.sleep(60)


def test_forked_streams_its_messages_then_ends():
    from storyline.run.forks import Forked

    with Forked("counter", _counts_to, 3) as child:
        got = []
        while (msg := child.receive()) is not Forked.END:
            got.append(msg)
        assert got == [0, 1, 2] and child.receive(wait=False) is Forked.END
        assert child.pid is None  # waited for


def test_forked_raises_its_error_here_as_itself():
    from storyline.errors import StoreError
    from storyline.run.forks import Forked

    with Forked("failing", _fails) as child:
        assert child.receive() == "started"
        with pytest.raises(StoreError) as err:
            child.receive()
    assert (err.value.code, err.value.reason, err.value.path) == ("E304", "no room", "kb.db")
    assert str(err.value) == "kb.db: [E304] no room"


def test_a_forked_child_that_dies_is_an_error_and_close_ends_one_still_running():
    from storyline.run.forks import Forked

    with Forked("doomed", _killed) as child:
        child.receive()
        with pytest.raises(RuntimeError, match=r"doomed process ended before it finished \(killed by signal 9\)"):
            child.receive()
    child = Forked("sleeper", _waits)
    pid = child.receive()
    assert child.receive(wait=False) is Forked.NOTHING
    child.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # killed and already waited for
