"""The scheduler: when a month is due, and that one instance runs it."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest

from service.batch import BatchRunner
from service.scheduler import due_month, run_scheduler, tick
from tests.service.batch_world import load_district

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def test_the_month_is_due_from_its_day_and_hour_until_it_is_done():
    assert due_month(at(2026, 11, 1, 1, 59), "2026-10", 1, 2) is None
    assert due_month(at(2026, 11, 1, 2, 0), "2026-10", 1, 2) == "2026-11"
    assert due_month(at(2026, 11, 17, 9, 30), "2026-10", 1, 2) == "2026-11"
    assert due_month(at(2026, 11, 17, 9, 30), "2026-11", 1, 2) is None
    assert due_month(at(2026, 11, 1, 3, 0), None, 1, 2) == "2026-11"


def test_a_day_past_the_months_end_means_its_last_day():
    assert due_month(at(2026, 2, 27, 23, 0), "2026-01", 31, 2) is None
    assert due_month(at(2026, 2, 28, 2, 0), "2026-01", 31, 2) == "2026-02"


def test_a_later_month_done_by_hand_is_not_run_again_by_the_scheduler():
    assert due_month(at(2026, 12, 5, 8, 0), "2026-12", 1, 2) is None
    assert due_month(at(2027, 1, 1, 2, 0), "2026-12", 1, 2) == "2027-01"


def test_bad_day_or_hour_is_refused():
    with pytest.raises(ValueError, match="day"):
        due_month(at(2026, 11, 1, 2, 0), None, 0, 2)


@pytest.mark.slow
def test_of_two_instances_one_runs_the_batch_and_then_neither_runs_it_again(settings, store):
    s = settings.model_copy(update={"key_prefix": "sch", "batch_chunk": 5})
    load_district(store, prefix="sch")
    now = at(2026, 11, 1, 2, 5)
    results: list[str | None] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def instance() -> None:
        barrier.wait()
        try:
            results.append(tick(store, s, now=now))
        except BaseException as exc:  # surfaced below with its type, not as a thread warning
            errors.append(exc)

    threads = [threading.Thread(target=instance) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    runner = BatchRunner(store, prefix="sch")
    assert runner.state("2026-11") == "done"
    assert results.count("2026-11") >= 1
    assert runner.done_months() == ["2026-11"]
    pushes = store.xlen("sch:outbox")
    assert pushes == runner.status("2026-11")["pushes"]
    assert tick(store, s, now=at(2026, 11, 20, 2, 0)) is None
    assert store.xlen("sch:outbox") == pushes


def test_before_the_hour_nothing_runs(settings, store):
    s = settings.model_copy(update={"key_prefix": "early"})
    assert tick(store, s, now=at(2026, 11, 1, 1, 0)) is None
    assert BatchRunner(store, prefix="early").state("2026-11") is None


@pytest.mark.slow
def test_the_background_task_runs_the_due_month_by_itself(settings, store):
    s = settings.model_copy(update={"key_prefix": "bg", "batch_chunk": 5})
    load_district(store, prefix="bg")
    runner = BatchRunner(store, prefix="bg")

    async def scenario() -> None:
        task = asyncio.create_task(
            run_scheduler(store, s, now=lambda: at(2026, 11, 1, 2, 1), interval=0.05)
        )
        try:
            while runner.state("2026-11") != "done":
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(scenario())
    assert runner.done_months() == ["2026-11"]
