from __future__ import annotations

import os
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


_TEN = _HEAD.pack(10)  # a pickle of 10 bytes follows


@pytest.mark.parametrize(
    "sent",
    [b"", _TEN[:5], _TEN + b"0123"],
    ids=["nothing", "length cut", "pickle cut"],
)
def test_a_result_cut_short_on_the_pipe_is_no_result(sent: bytes) -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, sent)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        assert _receive(pipe) is None


def test_a_whole_result_on_the_pipe_is_the_pickle_it_announced() -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, _TEN + b"0123456789")
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        assert _receive(pipe) == b"0123456789"


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
