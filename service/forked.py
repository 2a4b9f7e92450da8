"""Work done beside the process: a function run in a forked child, its result sent back.

A roster file of 100,000 rows is read and checked in two parts at once on a machine with two
cores (:func:`service.roster_store.import_roster_file`). The child is a fork, so it starts
with every module and the file already in memory; it runs one function and sends the pickled
result through a pipe. Large bytes in the result wrapped in :class:`pickle.PickleBuffer`
travel beside the pickle rather than copied into it (and out of it again), and come back as
read-only memoryviews of one buffer. The child leaves with ``os._exit``: the parent's exit
handlers (which stop the embedded Redis server) and buffered output are the parent's alone.
It must not use the parent's connections (a redis-py pool notices the new pid and connects
anew).

A fork copies only the calling thread, so a process with other threads (the HTTP service runs
requests in a thread pool) should not fork: :func:`can_fork` says when it may.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_SET_PIPE_SIZE = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux; elsewhere the call fails harmlessly
_HEAD = struct.Struct("<QQ")  # the pickle's length, how many buffers follow it


class ChildError(RuntimeError):
    """The child failed or ended without a result (the message says how; no personal data)."""


def can_fork() -> bool:
    """Whether this process may fork a worker: a POSIX system and no other thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Child(Generic[T]):
    """A function running in a forked child: :meth:`result` waits for it, :meth:`cancel`
    stops it. One of the two must be called, or the child is left waiting on its pipe."""

    def __init__(self, work: Callable[[], T]) -> None:
        read_fd, write_fd = os.pipe()
        with contextlib.suppress(OSError):  # a larger pipe: fewer turns for a large result
            fcntl.fcntl(write_fd, _SET_PIPE_SIZE, 1 << 20)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
            _run_child(work, read_fd, write_fd)
        os.close(write_fd)
        self.pid = pid
        self._read_fd = read_fd  # -1 once closed
        self._reaped = False

    def result(self) -> T:
        """The child's return value; :class:`ChildError` when it raised or died."""
        try:
            with os.fdopen(self._read_fd, "rb") as pipe:
                payload, buffers = _receive(pipe)
        finally:
            self._read_fd = -1
        _, status = os.waitpid(self.pid, 0)
        self._reaped = True
        if payload is None:
            raise ChildError(f"the worker process ended without a result (status {status})")
        ok, value = pickle.loads(payload, buffers=buffers)
        if not ok:
            raise ChildError(value)
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child unless it was reaped already, and reap it."""
        if self._reaped:
            return
        if self._read_fd >= 0:
            os.close(self._read_fd)
            self._read_fd = -1
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._reaped = True


def _receive(pipe: Any) -> tuple[bytes | None, list[memoryview]]:
    """The pickle and its out-of-band buffers as the child wrote them (None if cut short)."""
    head = pipe.read(_HEAD.size)
    if len(head) < _HEAD.size:
        return None, []
    size, count = _HEAD.unpack(head)
    lengths = struct.unpack(f"<{count}Q", pipe.read(8 * count))
    payload = pipe.read(size)
    if len(payload) < size:
        return None, []
    block = memoryview(bytearray(sum(lengths)))  # every buffer read straight into one block
    done = 0
    while done < len(block):
        n = pipe.readinto(block[done:])
        if not n:
            return None, []
        done += n
    buffers, at = [], 0
    for length in lengths:
        buffers.append(block[at : at + length])
        at += length
    return payload, buffers


def _run_child(work: Callable[[], T], read_fd: int, write_fd: int) -> None:  # pragma: no cover
    code = 0
    try:
        os.close(read_fd)
        buffers: list[pickle.PickleBuffer] = []
        try:
            payload = pickle.dumps((True, work()), protocol=5, buffer_callback=buffers.append)
        except BaseException as exc:  # reported to the parent, which decides
            payload = pickle.dumps((False, f"{type(exc).__name__} in the worker process"))
            buffers, code = [], 1
        views = [b.raw() for b in buffers]
        lengths = struct.pack(f"<{len(views)}Q", *(v.nbytes for v in views))
        with os.fdopen(write_fd, "wb") as out:
            out.write(_HEAD.pack(len(payload), len(views)) + lengths)
            out.write(payload)
            for view in views:
                out.write(view)
    finally:
        os._exit(code)


__all__ = ["Child", "ChildError", "can_fork"]
