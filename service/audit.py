"""The audit stream: every read of a person's page or an export, by whom and when.

Entries go to the Redis stream ``<prefix>:audit`` (capped at about a million entries) with the
key id of the caller (never the token), its role, the action, the laborer_id or the month
exported, whether the full ID number was shown, and the time (UTC, ISO 8601).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import redis

from service.keys import Principal
from service.store import key

AUDIT_MAXLEN = 1_000_000


def audit_fields(
    who: Principal, action: str, *, laborer_id: str = "", detail: str = "", full: bool = False
) -> dict[str, str]:
    """The fields of one audit entry."""
    return {
        "key_id": who.key_id,
        "role": who.role,
        "action": action,
        "laborer_id": laborer_id,
        "detail": detail,
        "full": "1" if full else "0",
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
    }


def record(
    redis_client: redis.Redis | Any,
    who: Principal,
    action: str,
    *,
    laborer_id: str = "",
    detail: str = "",
    full: bool = False,
    prefix: str = "rg",
) -> None:
    """Append one entry to the audit stream (``redis_client`` may be a pipeline)."""
    redis_client.xadd(
        key(prefix, "audit"),
        audit_fields(who, action, laborer_id=laborer_id, detail=detail, full=full),  # type: ignore[arg-type]
        maxlen=AUDIT_MAXLEN,
        approximate=True,
    )


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def read(
    redis_client: redis.Redis, *, prefix: str = "rg", count: int = 100
) -> list[dict[str, str]]:
    """The latest ``count`` entries, newest first."""
    out = []
    for entry_id, fields in redis_client.xrevrange(key(prefix, "audit"), count=count) or []:
        row = {
            (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
            for k, v in (fields or {}).items()
        }
        row["id"] = _text(entry_id)
        out.append(row)
    return out


__all__ = ["AUDIT_MAXLEN", "audit_fields", "read", "record"]
