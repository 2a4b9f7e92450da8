"""Work done beside the process: a function run in a forked child, its result sent back.

A roster file of 100,000 rows is read and checked in two parts at once on a machine with two
cores (:func:`service.roster_store.import_roster_file`). The child is a fork, so it starts
with every module and the file already in memory; it runs one function and sends the pickled
result through a pipe, after its length, so that a result cut short (a child killed while
writing) is known as such. The child leaves with ``os._exit``: the parent's exit handlers
(which stop the embedded Redis server) and buffered output are the parent's alone. It must not
use the parent's connections through redis-py (a pool notices the new pid and connects anew);
the roster import gives its worker a turn on the parent's socket explicitly.

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
from typing import IO, Generic, TypeVar

T = TypeVar("T")
_SET_PIPE_SIZE = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux; elsewhere the call fails harmlessly
_HEAD = struct.Struct("<Q")  # the pickle's length


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
                payload = _receive(pipe)
        finally:
            self._read_fd = -1
        _, status = os.waitpid(self.pid, 0)
        self._reaped = True
        if payload is None:
            raise ChildError(f"the worker process ended without a result (status {status})")
        ok, value = pickle.loads(payload)
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


def _receive(pipe: IO[bytes]) -> bytes | None:
    """The pickle as the child wrote it after its length (None if cut short)."""
    head = pipe.read(_HEAD.size)
    if len(head) < _HEAD.size:
        return None
    (size,) = _HEAD.unpack(head)
    payload = pipe.read(size)
    return payload if len(payload) == size else None


def _run_child(work: Callable[[], T], read_fd: int, write_fd: int) -> None:  # pragma: no cover
    code = 0
    try:
        os.close(read_fd)
        try:
            payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # reported to the parent, which decides
            payload = pickle.dumps((False, f"{type(exc).__name__} in the worker process"))
            code = 1
        with os.fdopen(write_fd, "wb") as out:
            out.write(_HEAD.pack(len(payload)))
            out.write(payload)
    finally:
        os._exit(code)


__all__ = ["Child", "ChildError", "can_fork"]
