"""A file checked in a dry run, kept briefly so that "保存" does not ask for it again.

The upload pages check a file first (nothing written) and show its row errors; when it is clean
the page offers a button that saves exactly the file that was checked. The bytes wait in Redis
under a random token bound to the session's key id, for ``PENDING_TTL_S`` at most, and are
deleted when used.
"""

from __future__ import annotations

import secrets

import redis

from service.keys import Principal
from service.store import key

PENDING_TTL_S = 15 * 60


def _name(prefix: str, who: Principal, kind: str, token: str) -> str:
    return key(prefix, "pending", kind, who.key_id, token)


def keep(
    redis_client: redis.Redis,
    who: Principal,
    kind: str,
    data: bytes,
    filename: str,
    *,
    prefix: str = "rg",
) -> str:
    """Keep a checked file of ``kind`` for ``who``; return the token that names it."""
    token = secrets.token_urlsafe(16)
    name = _name(prefix, who, kind, token)
    pipe = redis_client.pipeline(transaction=True)
    pipe.hset(name, mapping={"data": data, "filename": filename})
    pipe.expire(name, PENDING_TTL_S)
    pipe.execute()
    return token


def take(
    redis_client: redis.Redis, who: Principal, kind: str, token: str, *, prefix: str = "rg"
) -> tuple[bytes, str] | None:
    """The file kept under ``token`` for ``who`` (and forget it); None when gone or not theirs."""
    if not token or len(token) > 64:
        return None
    name = _name(prefix, who, kind, token)
    pipe = redis_client.pipeline(transaction=True)
    pipe.hgetall(name)
    pipe.delete(name)
    fields, _ = pipe.execute()
    if not fields:
        return None
    filename = fields[b"filename"].decode("utf-8")
    return bytes(fields[b"data"]), filename


__all__ = ["PENDING_TTL_S", "keep", "take"]
