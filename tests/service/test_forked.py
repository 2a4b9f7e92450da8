from __future__ import annotations

import os
import pickle
import time

import pytest

from service.forked import _HEAD, Child, ChildError, _receive, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _fails() -> None:
    raise ValueError("110101199003071234 is not allowed here")


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    child = Child(lambda: _pid_and_sum(list(range(100_000))))
    pid, total = child.result()
    assert pid == child.pid != os.getpid()
    assert total == sum(range(100_000))


def test_a_large_result_passes_the_pipe_whole() -> None:
    blob = Child(lambda: b"x" * 5_000_000 + b"end").result()
    assert len(blob) == 5_000_003
    assert blob.endswith(b"end")


def test_wrapped_bytes_travel_beside_the_pickle_and_come_back_whole_and_read_only() -> None:
    chunks = [b"a" * 3_000_000, b"", b"\r\n" * 10, bytes(range(256)) * 4000]
    back = Child(lambda: {"n": 4, "chunks": [pickle.PickleBuffer(c) for c in chunks]}).result()
    assert back["n"] == 4
    assert [bytes(c) for c in back["chunks"]] == chunks
    assert all(isinstance(c, memoryview) and c.readonly for c in back["chunks"])


_TEN_AND_FIVE = _HEAD.pack(10, 1) + (5).to_bytes(8, "little")  # a pickle of 10, a buffer of 5


@pytest.mark.parametrize(
    "sent",
    [b"", _HEAD.pack(10, 1)[:5], _TEN_AND_FIVE + b"0123", _TEN_AND_FIVE + b"0123456789ab"],
    ids=["nothing", "header cut", "pickle cut", "buffer cut"],
)
def test_a_result_cut_short_on_the_pipe_is_no_result(sent: bytes) -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, sent)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        assert _receive(pipe) == (None, [])


def test_a_whole_result_on_the_pipe_is_the_pickle_and_its_buffers() -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, _TEN_AND_FIVE + b"0123456789abcde")
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        payload, buffers = _receive(pipe)
    assert payload == b"0123456789"
    assert [bytes(b) for b in buffers] == [b"abcde"]


def test_a_failure_in_the_child_is_raised_here_without_its_message() -> None:
    child = Child(_fails)
    with pytest.raises(ChildError) as caught:
        child.result()
    assert "ValueError" in str(caught.value)
    assert "1101" not in str(caught.value)  # the message may hold personal data: not passed on


def test_a_cancelled_child_is_stopped_and_reaped() -> None:
    child = Child(lambda: time.sleep(60))
    child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped: no such child any more
    child.cancel()  # a second call does nothing


def test_cancelling_after_the_result_was_taken_does_nothing() -> None:
    child = Child(lambda: 7)
    assert child.result() == 7
    child.cancel()  # already reaped: no second wait, no error
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
