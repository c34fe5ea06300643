"""Tasks of the resolution engine on this process and processes forked from it: the runner
behind :func:`storyline.run.parallel.pool_resolver`.

:class:`ForkRunner` collects tasks as they are submitted (``submit`` returns handles) and runs
them when their results are asked for (``get``), in *waves*: the tasks whose arguments are
ready. Waves of cheap steps run in this process. From the first wave that holds a step worth a
process (``forked``: names of task functions), every task still pending runs in one *session*:
``workers - 1`` children are forked, which inherit everything this process holds (nothing
is sent to start them); each wave's forked steps are dealt round-robin to the processes, this
one first, and the other tasks stay here. Every process runs its tasks in wave order; a result
that a task on another process reads is pickled and sent to it as soon as it is computed (a
thread per destination writes it, so no process waits on a full pipe), and what a child
computed that no task of the session reads (what ``get`` asked for) comes back here. A result
that only tasks of its own child read stays there: asking for it later is an error.

Objects every process holds (``shared``: what the runner's caller held when the session forked,
such as the documents' annotations) travel by reference: pickled as their address in the
sender, taken from the same address in the receiver (a registry built before the fork keeps
them alive in both), so a cluster of event reports costs its shape, not its sentences.

No deadlock: a task reads only results of earlier waves, which every process computes and
sends before it waits on anything of a later wave. A child that fails sends its exception
(raised here) or dies (its pipes close: an error here, the other children are ended).

:class:`Forked` and :class:`Spawned` run one function in one child whose messages stream back
in order (one protocol, :class:`_Child`: its exception raised here, its death an error here).
:class:`Forked` forks, as a session does, and starts at once (no imports: the ingest's reader,
:mod:`.readfork`), ending with ``os._exit``; :class:`Spawned` starts a fresh interpreter, for
work that feeds nothing this process computes meanwhile and needs nothing it holds (the
blocking keys of a full resolution, which makes its own TF-IDF).
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from typing import Any, Callable, Iterable

__all__ = ["ForkRunner", "Forked", "Spawned", "Unavailable"]

_HEADER = struct.Struct("<qq")  # key, bytes
_DONE, _ERROR = -1, -2
_ALL = -1  # the whole result of a task (its index as an item)


_SHARED: dict[int, object] = {}  # the session's shared objects by address, inherited by its children


def _shared(address: int):
    return _SHARED[address]


def _by_ref(obj):
    if _SHARED.get(id(obj)) is obj:
        return _shared, (id(obj),)
    return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _dumps(value, types: frozenset) -> bytes:
    if not types:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    p.dispatch_table = {**copyreg.dispatch_table, **dict.fromkeys(types, _by_ref)}
    p.dump(value)
    return buf.getvalue()


class Unavailable(RuntimeError):
    """A result that stayed in the worker process that computed it."""


class _Task:
    __slots__ = ("fn", "args", "returns", "out", "done", "slot", "id")

    def __init__(self, fn: Callable, args: tuple, returns: int | None):
        self.fn, self.args, self.returns = fn, args, returns
        self.out: Any = None
        self.done, self.slot, self.id = False, 0, -1


class _Item:
    """The ``index``-th result of a task that returns several."""

    __slots__ = ("task", "index")

    def __init__(self, task: _Task, index: int):
        self.task, self.index = task, index


_GONE = object()


def _ready(x) -> bool:
    return x.done if isinstance(x, _Task) else x.task.done if isinstance(x, _Item) else True


def _value(x):
    if isinstance(x, _Task):
        out = x.out
    elif isinstance(x, _Item):
        out = x.task.out[x.index]
    else:
        return x
    if out is _GONE:
        raise Unavailable("a result read again after it stayed in a worker process")
    return out


def _ref(x) -> tuple[_Task, int] | None:
    if isinstance(x, _Task):
        return x, _ALL
    if isinstance(x, _Item):
        return x.task, x.index
    return None


class ForkRunner:
    """The engine's runner (``put``, ``submit``, ``get``) on ``workers`` processes: this one and
    ``workers - 1`` forked for each session (see the module docstring). ``forked``: names of the
    task functions worth sharing out; ``shared``: gives the objects every process holds (asked
    for at the first session)."""

    shares_disk = True  # the workers see this machine's files

    def __init__(self, workers: int, forked: Iterable[str], shared: Callable[[], Iterable[object]] | None = None):
        self.workers = max(1, workers)
        self.forked = frozenset(forked)
        self._pending: list[_Task] = []
        self._shared_of = shared
        self._registry: dict[int, object] | None = None
        self._types: frozenset = frozenset()
        self.sessions = 0

    def put(self, value):
        return value

    def submit(self, fn: Callable, *args, returns: int | None = None):
        task = _Task(fn, args, returns)
        self._pending.append(task)
        return task if returns is None else [_Item(task, i) for i in range(returns)]

    def get(self, handles):
        while self._pending:
            wave = [t for t in self._pending if all(_ready(a) for a in t.args)]
            if self.workers > 1 and any(t.fn.__name__ in self.forked for t in wave):
                if here := [t for t in wave if t.fn.__name__ not in self.forked]:
                    wave = here  # this process's own tasks first: the session forks as late as it can
                else:
                    waves = [wave]
                    rest = [t for t in self._pending if t not in wave]
                    while rest:
                        done = {id(t) for w in waves for t in w}
                        nxt = [t for t in rest if all((r := _ref(a)) is None or r[0].done or id(r[0]) in done for a in t.args)]
                        waves.append(nxt)
                        rest = [t for t in rest if t not in nxt]
                    self._pending = []
                    self._session(waves)
                    break
            self._pending = [t for t in self._pending if t not in wave]
            for t in wave:
                t.out, t.done = t.fn(*[_value(a) for a in t.args]), True
                t.args = ()
        return [_value(h) for h in handles]

    # ------------------------------------------------------------ a session

    def _session(self, waves: list[list[_Task]]) -> None:
        global _SHARED
        if self._registry is None:
            self._registry = {id(o): o for o in self._shared_of()} if self._shared_of else {}
            self._types = frozenset(type(o) for o in self._registry.values())
        _SHARED = self._registry
        try:
            self._run_session(waves)
        finally:
            _SHARED = {}

    def _run_session(self, waves: list[list[_Task]]) -> None:
        n = self.workers
        order = [t for w in waves for t in w]
        for i, t in enumerate(order):
            t.id = i
        for w in waves:
            k = 0
            for t in w:
                if t.fn.__name__ in self.forked:
                    t.slot, k = k % n, k + 1
                else:
                    t.slot = 0
        used = max(t.slot for t in order) + 1
        # who reads what: (task id, item) -> the other processes whose tasks read it
        readers: dict[tuple[int, int], set[int]] = {}
        read: set[tuple[int, int]] = set()
        for t in order:
            for a in t.args:
                if (r := _ref(a)) is not None and not r[0].done:
                    read.add((r[0].id, r[1]))
                    if r[0].slot != t.slot:
                        readers.setdefault((r[0].id, r[1]), set()).add(t.slot)
        pipes = {(a, b): os.pipe() for a in range(used) for b in range(used) if a != b}
        children: list[int] = []
        for slot in range(1, used):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's own coverage is not collected
                code = 0
                try:
                    _child(slot, order, readers, read, pipes, self._types)
                except BaseException:  # noqa: BLE001 - a child never returns into the caller
                    code = 1
                finally:
                    os._exit(code)
            children.append(pid)
        for (src, dst), (rfd, wfd) in pipes.items():
            if src != 0:
                os.close(wfd)
            if dst != 0:
                os.close(rfd)
        self.sessions += 1
        inbox = {src: _Inbox(rfd) for (src, dst), (rfd, _w) in pipes.items() if dst == 0}
        outbox = {dst: _Outbox(wfd) for (src, dst), (_r, wfd) in pipes.items() if src == 0}
        got: dict[int, Any] = {}
        try:
            for t in order:
                if t.slot != 0:
                    continue
                args = [_fetch(a, inbox, got) for a in t.args]
                t.out, t.done = t.fn(*args), True
                _send(t, readers, outbox, self._types)
            for sink in outbox.values():
                sink.close()
            for source in inbox.values():  # what the children computed that the caller may ask for
                got.update(source.drain())
            for t in order:
                if t.slot != 0:
                    whole = got.get(_key(t.id, _ALL), _GONE)
                    t.out = whole if whole is not _GONE or not t.returns else [
                        got.get(_key(t.id, i), _GONE) for i in range(t.returns)]
                t.done, t.args = True, ()
        except BaseException:
            for pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            raise
        finally:
            for sink in outbox.values():
                sink.close()
            for source in inbox.values():
                source.close()
            for pid in children:
                os.waitpid(pid, 0)


_STRIDE = 1 << 20  # key = task id * _STRIDE + item + 1 (item -1: the whole result)


def _key(task_id: int, item: int) -> int:
    return task_id * _STRIDE + item + 1


def _fetch(a, inbox: dict[int, "_Inbox"], got: dict[int, Any]):
    """The value of argument ``a``: computed here, or received from the process that computed it."""
    r = _ref(a)
    if r is None:
        return a
    task, item = r
    if task.done:
        return _value(a)
    key = _key(task.id, item)
    if key not in got:
        got[key] = inbox[task.slot].wait(key)
    return got[key]


def _send(t: _Task, readers: dict, outbox: dict[int, "_Outbox"], types: frozenset) -> None:
    """Send ``t``'s results to the processes whose tasks read them."""
    out = t.out
    items = {item: slots for (tid, item), slots in readers.items() if tid == t.id}
    for item, slots in sorted(items.items()):
        data = _dumps(out if item == _ALL else out[item], types)
        for s in sorted(slots):
            if s in outbox:
                outbox[s].put(_key(t.id, item), data)


def _child(slot: int, order: list[_Task], readers: dict, read: set[tuple[int, int]], pipes: dict, types: frozenset) -> None:
    for (a, b), (r, w) in pipes.items():
        if a != slot:
            os.close(w)
        if b != slot:
            os.close(r)
    inbox = {a: _Inbox(r) for (a, b), (r, w) in pipes.items() if b == slot}
    outbox = {b: _Outbox(w) for (a, b), (r, w) in pipes.items() if a == slot}
    got: dict[int, Any] = {}
    try:
        for t in order:
            if t.slot != slot:
                continue
            args = [_fetch(a, inbox, got) for a in t.args]
            t.out, t.done = t.fn(*args), True
            _send(t, readers, outbox, types)
            items = [_ALL] if not t.returns else range(t.returns)
            if any((t.id, i) not in read for i in items) and (t.id, _ALL) not in read:
                # some result no task of the session reads: the caller may ask for it
                outbox[0].put(_key(t.id, _ALL), _dumps(t.out, types))
    except BaseException as exc:  # noqa: BLE001 - raised in the parent
        outbox[0].put(_ERROR, _portable(exc))
    finally:
        for box in outbox.values():
            box.close()


def _portable(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(exc)
    except Exception:  # noqa: BLE001
        return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


class _Outbox:
    """Messages to one process, written by a thread in order (``close`` ends with a done mark
    and waits for them to be written)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.q: queue.Queue = queue.Queue()
        self.closed = False
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def put(self, key: int, data: bytes) -> None:
        self.q.put((key, data))

    def _write(self) -> None:
        try:  # closing flushes too, so the reader may be found gone there as well
            with os.fdopen(self.fd, "wb") as f:
                while (msg := self.q.get()) is not None:
                    key, data = msg
                    f.write(_HEADER.pack(key, len(data)))
                    f.write(data)
                    f.flush()  # the reader may be waiting for it
                f.write(_HEADER.pack(_DONE, 0))
        except OSError:  # the reader is gone: nothing to tell it
            pass

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.q.put(None)
            self.thread.join()


class _Inbox:
    """Messages from one process, read in order and kept until asked for."""

    def __init__(self, fd: int):
        self.f = os.fdopen(fd, "rb")
        self.kept: dict[int, Any] = {}
        self.finished = False

    def _next(self) -> tuple[int, Any]:
        head = self.f.read(_HEADER.size)
        if len(head) < _HEADER.size:
            raise RuntimeError("a resolution worker process ended before sending its results")
        key, size = _HEADER.unpack(head)
        data = self.f.read(size) if size else b""
        if key == _ERROR:
            raise pickle.loads(data)
        if key == _DONE:
            self.finished = True
            return key, None
        return key, pickle.loads(data)

    def wait(self, key: int):
        while key not in self.kept:
            if self.finished:
                raise RuntimeError("a result a worker process was to send never came")
            k, v = self._next()
            if k != _DONE:
                self.kept[k] = v
        return self.kept.pop(key)

    def drain(self) -> dict[int, Any]:
        while not self.finished:
            k, v = self._next()
            if k != _DONE:
                self.kept[k] = v
        out, self.kept = self.kept, {}
        return out

    def close(self) -> None:
        self.f.close()


class _Child:
    """One child process that runs ``fn(*args, send)`` and whose messages come back in order
    through :meth:`receive` (the protocol of :class:`Forked` and :class:`Spawned`, which differ
    only in how the child starts). The child ignores SIGINT and SIGTERM (this process decides
    when it stops: leaving the context, or :meth:`close`, kills a child that has not finished)."""

    END = object()  # fn has returned (and the child has exited)
    NOTHING = object()  # no message yet (receive without waiting)

    def __init__(self, name: str, pid: int, rfd: int):
        from multiprocessing.connection import Connection

        self.name = name
        self._waiting: int | None = pid  # not reaped yet
        self._conn = Connection(rfd, writable=False)
        self.done = False

    def receive(self, wait: bool = True):
        """The child's next message; :attr:`END` once ``fn`` has returned, :attr:`NOTHING` when not
        ``wait`` ing and none has come. ``fn``'s exception is raised here; a child that ends without
        returning is a RuntimeError saying how it ended."""
        if self.done:
            return self.END
        if not wait and not self._conn.poll():
            return self.NOTHING
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):  # nothing more, or a message cut short
            raise RuntimeError(f"the {self.name} process ended before it finished ({self._ended()})") from None
        if kind == _MESSAGE:
            return value
        self._ended()
        if kind == _RAISED:
            try:
                exc = pickle.loads(value)
            except Exception as why:  # noqa: BLE001 - an exception type that cannot be rebuilt here
                raise RuntimeError(f"the {self.name} process failed, and its error could not be read: {why}") from None
            raise exc
        return self.END

    def _ended(self) -> str:
        """Wait for the child; how it ended."""
        self.done = True
        pid, self._waiting = self._waiting, None
        if pid is None:
            return "ended"
        status = self._reap(pid)
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        return f"exit status {os.WEXITSTATUS(status)}"

    def _reap(self, pid: int) -> int:
        return os.waitpid(pid, 0)[1]

    def close(self) -> None:
        """End the child now if it has not finished (killed: what it had not committed is lost)."""
        if self._waiting is not None:
            try:
                os.kill(self._waiting, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._ended()
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Forked(_Child):
    """``fn(*args, send)`` run in a child forked from this process (``name`` says what it is, in
    errors). What the child passes to ``send`` (picklable values) comes back in order through
    :meth:`receive`. The child freezes what it inherited out of its cycle collector and ends with
    ``os._exit``: nothing of this process (a store's connection, a pool's threads) is finalised
    there. It must not use a connection it inherited; it opens its own."""

    def __init__(self, name: str, fn: Callable, *args):
        from multiprocessing.connection import Connection

        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's own coverage is not collected
            code = 1
            try:
                os.close(rfd)
                import gc

                gc.freeze()  # what it inherited is this process's to finalise, never the child's
                code = _serve_child(Connection(wfd, readable=False), fn, args)
            finally:
                os._exit(code)
        os.close(wfd)
        super().__init__(name, pid, rfd)

    @property
    def pid(self) -> int | None:
        """The child's, until it has been waited for."""
        return self._waiting


class Spawned(_Child):
    """``fn(*args)`` run in a fresh interpreter started now, in the protocol of :class:`Forked`:
    :meth:`result` waits for it and returns its result or raises its exception here (a child that
    dies without a word: RuntimeError), :meth:`cancel` (or leaving it as a context) kills it when
    it still runs. ``fn`` (by name) and ``args`` reach it pickled through a pipe, never on its
    command line (a server URL's password stays out of ``ps``), after this process's
    ``sys.path``; it inherits nothing else: it opens what it uses.

    Not forked: a fork write-protects every page of this process, and the first write to each
    after it faults (on the 772 ECB+ articles a resolution over the same objects took 54,000
    faults more, 0.15 CPU s, against 0.0003 s to start an interpreter, which then costs the
    other core its imports, 0.35 s)."""

    def __init__(self, fn: Callable, *args):
        rfd, wfd = os.pipe()
        try:
            proc = subprocess.Popen([sys.executable, "-c", _BOOT, str(wfd)], stdin=subprocess.PIPE, pass_fds=(wfd,))
        except BaseException:
            os.close(rfd)
            raise
        finally:
            os.close(wfd)
        self._proc = proc
        self.pid = proc.pid
        super().__init__("spawned", proc.pid, rfd)
        try:
            with proc.stdin as f:  # type: ignore[union-attr]
                pickle.dump(sys.path, f)
                pickle.dump((fn, args), f, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:  # it is gone already: result() says so
            pass

    def _reap(self, pid: int) -> int:
        code = self._proc.wait()  # through Popen, which then knows it has ended
        return -code if code < 0 else code << 8  # as os.waitpid gives it

    def result(self):
        """The call's result, once the child has ended (its exception raised here)."""
        if self.done:
            raise RuntimeError("the result of a spawned call was asked for twice, or after it was cancelled")
        try:
            out = None
            while (msg := self.receive()) is not self.END:
                out = msg
            return out
        finally:
            self.close()

    def cancel(self) -> None:
        """End the child (killed if it still runs) and reap it; nothing when it already was."""
        self.close()


_BOOT = "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); from storyline.run.forks import _serve; _serve()"


def _serve() -> None:  # pragma: no cover - runs in the spawned interpreter
    """The spawned interpreter's work (:class:`Spawned`): the call read from stdin, its result
    sent through the pipe named on the command line."""
    from multiprocessing.connection import Connection

    fn, args = pickle.load(sys.stdin.buffer)
    sys.exit(_serve_child(Connection(int(sys.argv[1]), readable=False), _sending_result, (fn, args)))


def _sending_result(fn: Callable, args: tuple, send) -> None:
    send(fn(*args))


_MESSAGE, _RETURNED, _RAISED = 0, 1, 2  # what a Forked child sends: (kind, value)


def _serve_child(conn, fn: Callable, args: tuple) -> int:  # pragma: no cover - runs in the child
    """The child of :class:`Forked` or :class:`Spawned`: run ``fn``; its exit status."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        fn(*args, lambda value: conn.send((_MESSAGE, value)))
        conn.send((_RETURNED, None))
        return 0
    except BaseException as exc:  # noqa: BLE001 - raised in the parent
        try:
            conn.send((_RAISED, _portable(exc)))
        except OSError:  # the parent is gone
            pass
        return 1
    finally:
        conn.close()
