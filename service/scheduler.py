"""The month's batch, started by the running service itself (DESIGN §6, issue 5 §7).

Every minute the scheduler asks :func:`due_month`: once the configured day and hour of a month
have come (default the 1st at 02:00, Asia/Shanghai) and that month's batch is not done, it runs
the batch. When several service instances share one Redis, the batch lock lets exactly one of
them run it; the others find the lock taken and, next time, the month done. A batch that died
half-way is not done either, so the next tick resumes it. Each run ranks with the weights in
force when it plans (``service.learned_weights.current_weights``), so weights adopted since the
service started are used without a restart.

The cron equivalent, for a deployment without a long-running service::

    TZ=Asia/Shanghai
    0 2 1 * * renggang batch run --month $(date +\\%Y-\\%m)
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import redis

from service.batch import BatchError
from service.cli.batch_cmd import run_month, runner_for
from service.settings import Settings

log = logging.getLogger(__name__)


def due_month(now: dt.datetime, last_done: str | None, day: int, hour: int) -> str | None:
    """The month whose batch should run at ``now`` (local time), or None.

    The batch of ``now``'s month is due from ``day`` at ``hour`` (a day past the month's end
    means its last day) until it is done; ``last_done`` is the latest month done (YYYY-MM).
    """
    if not 1 <= day <= 31 or not 0 <= hour <= 23:
        raise ValueError(f"day must be 1..31 and hour 0..23, got {day}, {hour}")
    month = f"{now.year:04d}-{now.month:02d}"
    last_day = calendar.monthrange(now.year, now.month)[1]
    start = now.replace(day=min(day, last_day), hour=hour, minute=0, second=0, microsecond=0)
    if now < start:
        return None
    if last_done is not None and last_done >= month:
        return None
    return month


def local_now(settings: Settings) -> dt.datetime:
    """Now, in the batch's time zone."""
    return dt.datetime.now(ZoneInfo(settings.batch_timezone))


def tick(client: redis.Redis, settings: Settings, *, now: dt.datetime) -> str | None:
    """Run the batch if one is due at ``now``; the month run, or None (not due, or busy)."""
    runner = runner_for(client, settings)
    done = runner.done_months()
    month = due_month(now, done[-1] if done else None, settings.batch_day, settings.batch_hour)
    if month is None:
        return None
    try:
        run_month(client, settings, month)
    except BatchError as exc:  # another instance holds the lock, or it was lost
        log.info("batch %s not run here: %s", month, type(exc).__name__)
        return None
    log.info("batch %s done", month)
    return month


async def run_scheduler(
    settings: Any,
    client: Any,
    *,
    now: Callable[[], dt.datetime] | None = None,
    interval: float = 60.0,
) -> None:
    """Check every ``interval`` seconds and run the month's batch when due (a background task).

    Accepts ``(settings, redis)`` and, as the app's lifespan passes them, ``(redis, settings)``.
    """
    if isinstance(settings, redis.Redis) and isinstance(client, Settings):
        settings, client = client, settings
    clock = now or (lambda: local_now(settings))
    while True:
        try:
            await asyncio.to_thread(tick, client, settings, now=clock())
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the service up; the next tick tries again
            log.exception("batch scheduler tick failed")
        await asyncio.sleep(interval)


__all__ = ["due_month", "local_now", "run_scheduler", "tick"]
