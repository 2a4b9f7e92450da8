"""Outcomes counselors record after a referral: referred, interviewed, hired, declined, no answer.

Keys (``{p}`` is the prefix):

- ``{p}:outcomes``              a stream of every outcome (laborer_id, post_id, outcome, reason,
  key id, day), for the statistics and for learning weights from outcomes;
- ``{p}:outcomes:<laborer_id>`` a list of that person's outcomes, as JSON, oldest first;
- ``{p}:declined:<laborer_id>`` the set of post ids the person declined: referrals leave them
  out and the monthly batch never pushes them again.

An outcome and its entries are written in one MULTI/EXEC.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import redis

OUTCOMES: dict[str, str] = {
    "referred": "已推荐",
    "interviewed": "已面试",
    "hired": "已录用",
    "declined": "本人婉拒",
    "no_answer": "未联系上",
}


def declined_key(prefix: str, laborer_id: str) -> str:
    """The set of post ids ``laborer_id`` declined."""
    return f"{prefix}:declined:{laborer_id}"


def declined_posts(client: redis.Redis, laborer_id: str, *, prefix: str = "rg") -> set[str]:
    """The post ids the person declined."""
    members = client.smembers(declined_key(prefix, laborer_id))
    return {m.decode() if isinstance(m, bytes) else str(m) for m in members}


def record_outcome(
    client: redis.Redis,
    laborer_id: str,
    post_id: str,
    outcome: str,
    *,
    reason: str,
    actor: str,
    day: dt.date,
    prefix: str = "rg",
) -> dict[str, Any]:
    """Store one outcome (and, for a decline, the declined post) in one transaction."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {sorted(OUTCOMES)}, got {outcome!r}")
    entry = {
        "laborer_id": laborer_id,
        "post_id": post_id,
        "outcome": outcome,
        "outcome_name": OUTCOMES[outcome],
        "reason": reason,
        "actor": actor,
        "day": day.isoformat(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    pipe = client.pipeline(transaction=True)
    pipe.xadd(f"{prefix}:outcomes", dict(entry))  # type: ignore[arg-type]
    pipe.rpush(f"{prefix}:outcomes:{laborer_id}", json.dumps(entry, ensure_ascii=False))
    if outcome == "declined":
        pipe.sadd(declined_key(prefix, laborer_id), post_id)
    pipe.execute()
    return entry


def outcomes_of(
    client: redis.Redis, laborer_id: str, *, prefix: str = "rg"
) -> list[dict[str, Any]]:
    """The person's outcomes, oldest first."""
    raw = client.lrange(f"{prefix}:outcomes:{laborer_id}", 0, -1)
    return [json.loads(r) for r in raw]


__all__ = ["OUTCOMES", "declined_key", "declined_posts", "outcomes_of", "record_outcome"]
