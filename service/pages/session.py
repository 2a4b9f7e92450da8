"""Browser sessions of the pages: a random id in a cookie, the key's role and scope in Redis.

The API key is entered once on the login page and never kept: the session hash (under the
SHA-256 of the session id, so a dump of Redis holds no live cookie) keeps only the key's id,
role and scope, and a per-session CSRF token that every form posts back in a hidden field.
A session ends at logout, after ``SESSION_TTL_S`` idle, or as soon as its key is revoked.
The login form itself is guarded by a double-submit token in a short-lived cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import redis

from service import keys
from service.keys import Principal
from service.store import key

SESSION_COOKIE = "rg_session"
LOGIN_COOKIE = "rg_login"
# Idle lifetime of a session; each page view extends it.
SESSION_TTL_S = 8 * 3600
LOGIN_TTL_S = 15 * 60


@dataclass(frozen=True, slots=True)
class Session:
    """A live browser session: who it speaks for, and its CSRF token."""

    principal: Principal
    csrf: str


def _name(prefix: str, session_id: str) -> str:
    digest = hashlib.sha256(session_id.encode("utf-8")).hexdigest()
    return key(prefix, "session", digest)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def open_session(
    redis_client: redis.Redis, principal: Principal, *, prefix: str = "rg"
) -> tuple[str, Session]:
    """Start a session for ``principal``; return the cookie's session id and the session."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    name = _name(prefix, session_id)
    fields = {
        "key_id": principal.key_id,
        "role": principal.role,
        "district": principal.district or "",
        "township": principal.township or "",
        "partner": principal.partner or "",
        "csrf": csrf,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    pipe = redis_client.pipeline(transaction=True)
    pipe.hset(name, mapping=fields)  # type: ignore[arg-type]
    pipe.expire(name, SESSION_TTL_S)
    pipe.execute()
    return session_id, Session(principal, csrf)


def load_session(
    redis_client: redis.Redis, session_id: str | None, *, prefix: str = "rg"
) -> Session | None:
    """The live session of ``session_id``, or None (unknown, expired, or its key revoked)."""
    if not session_id or len(session_id) > 100:
        return None
    name = _name(prefix, session_id)
    pipe = redis_client.pipeline(transaction=False)
    pipe.hgetall(name)
    pipe.expire(name, SESSION_TTL_S)  # a no-op on a missing key (Redis 6.2 has no EXPIRE XX)
    fields, _ = pipe.execute()
    if not fields:
        return None
    got = {_text(k): _text(v) for k, v in fields.items()}
    if not redis_client.hexists(key(prefix, "apikeys"), got["key_id"]):
        redis_client.delete(name)  # the key was revoked: the session ends with it
        return None
    principal = Principal(
        key_id=got["key_id"],
        role=got["role"],
        district=got["district"] or None,
        township=got["township"] or None,
        partner=got["partner"] or None,
    )
    return Session(principal, got["csrf"])


def set_flash(
    redis_client: redis.Redis, session_id: str | None, text: str, *, prefix: str = "rg"
) -> None:
    """Keep a one-time message for the session's next page (after a redirect)."""
    if session_id and len(session_id) <= 100:
        redis_client.hset(_name(prefix, session_id), "flash", text[:500])


def pop_flash(redis_client: redis.Redis, session_id: str | None, *, prefix: str = "rg") -> str:
    """The session's one-time message, removed as it is read ("" when none)."""
    if not session_id or len(session_id) > 100:
        return ""
    name = _name(prefix, session_id)
    pipe = redis_client.pipeline(transaction=True)
    pipe.hget(name, "flash")
    pipe.hdel(name, "flash")
    text, _ = pipe.execute()
    return _text(text)


def close_session(redis_client: redis.Redis, session_id: str | None, *, prefix: str = "rg") -> None:
    """End the session of ``session_id`` (nothing happens for an unknown one)."""
    if session_id and len(session_id) <= 100:
        redis_client.delete(_name(prefix, session_id))


def login(
    redis_client: redis.Redis, token: str, client: str, *, prefix: str = "rg"
) -> tuple[str, Session] | None:
    """Check an API key typed on the login page and open a session; None for a bad key.

    Failures count against ``client`` exactly as failed bearer tokens do, so the login page
    is slowed down by the same limit as the API (see :data:`service.keys.FAIL_LIMIT`).
    """
    principal = keys.authenticate(redis_client, token.strip(), prefix=prefix)
    if principal is None:
        keys.record_failure(redis_client, client, prefix=prefix)
        return None
    return open_session(redis_client, principal, prefix=prefix)


def too_many_failures(redis_client: redis.Redis, client: str, *, prefix: str = "rg") -> bool:
    """Whether ``client`` has failed to log in too often within the current window."""
    return keys.failures(redis_client, client, prefix=prefix) >= keys.FAIL_LIMIT


def same_token(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token with the one a form posted."""
    return bool(expected) and bool(given) and secrets.compare_digest(expected, given or "")


def new_login_token() -> str:
    """A fresh token for the login form's double-submit check."""
    return secrets.token_urlsafe(24)


__all__ = [
    "LOGIN_COOKIE",
    "LOGIN_TTL_S",
    "SESSION_COOKIE",
    "SESSION_TTL_S",
    "Session",
    "close_session",
    "load_session",
    "login",
    "new_login_token",
    "open_session",
    "pop_flash",
    "same_token",
    "set_flash",
    "too_many_failures",
]
