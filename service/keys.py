"""API keys: bearer tokens with a role and a scope, stored only as SHA-256 hashes.

A token reads ``rg_<key id>_<secret>``; it is printed once when made and never stored. Redis
keeps, under the hash of the token, the key's id, role and scope, and an index of key ids for
``list`` and ``revoke``. Roles (DESIGN §1 and §4):

- ``city``: reads the statistics of every district;
- ``district``: its own district (roster import, agreements, employers, batches, statistics);
- ``counselor``: the people of its own township;
- ``partner``: its own uploads of posts; never a person;
- ``batch``: starts and reads the monthly batches.

Repeated failed authentication from one client is slowed down: a counter per client with a
short window; past a threshold every request from that client gets 429 until the window ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import redis

from features.gazetteer import load_gazetteer
from service.store import key

ROLES: tuple[str, ...] = ("city", "district", "counselor", "partner", "batch")
ROLE_NAMES: dict[str, str] = {
    "city": "市人社局",
    "district": "区人社局",
    "counselor": "就业指导员",
    "partner": "对接协作方",
    "batch": "月度批处理",
}
# Failed authentications per client allowed within the window before requests get 429.
FAIL_LIMIT = 10
FAIL_WINDOW_S = 60


class KeyScopeError(ValueError):
    """A key that cannot be made as asked (role or scope); the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id (never the token), its role and scope."""

    key_id: str
    role: str
    district: str | None = None
    township: str | None = None
    partner: str | None = None

    def scope_text(self) -> str:
        """The scope in words, for lists and logs."""
        return "·".join(p for p in (self.district, self.township, self.partner) if p) or "全市"


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token's key is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _normalize_scope(
    role: str, district: str | None, township: str | None, partner: str | None
) -> tuple[str | None, str | None, str | None]:
    if role not in ROLES:
        raise KeyScopeError(f"未知的角色“{role}”：应为 {' / '.join(ROLES)} 之一")
    gaz = load_gazetteer()
    if role == "counselor":
        if not district or not township:
            raise KeyScopeError("就业指导员的密钥须指定区和乡镇：--district 区 --township 乡镇")
        area = gaz.district(district)
        return area.name, gaz.township(township, area.name).name, None
    if role == "district":
        if not district or township or partner:
            raise KeyScopeError("区人社局的密钥只指定区：--district 区")
        return gaz.district(district).name, None, None
    if role == "partner":
        if not partner or district or township:
            raise KeyScopeError("对接协作方的密钥只指定对接地区：--partner 地区（如 朝阳区）")
        return None, None, gaz.area(partner).name
    if district or township or partner:
        raise KeyScopeError(f"{ROLE_NAMES[role]}的密钥不指定区、乡镇或对接地区")
    return None, None, None


def create_key(
    redis_client: redis.Redis,
    role: str,
    *,
    district: str | None = None,
    township: str | None = None,
    partner: str | None = None,
    prefix: str = "rg",
    note: str = "",
) -> str:
    """Make a key for ``role`` in its scope; return the token (shown once, never stored)."""
    district, township, partner = _normalize_scope(role, district, township, partner)
    key_id = secrets.token_hex(4)
    token = f"rg_{key_id}_{secrets.token_urlsafe(24)}"
    digest = hash_token(token)
    record: dict[Any, Any] = {
        "key_id": key_id,
        "role": role,
        "district": district or "",
        "township": township or "",
        "partner": partner or "",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": note,
    }
    pipe = redis_client.pipeline(transaction=True)
    pipe.hset(key(prefix, "apikey", digest), mapping=record)
    pipe.hset(key(prefix, "apikeys"), key_id, digest)
    pipe.execute()
    return token


def revoke(redis_client: redis.Redis, key_id: str, *, prefix: str = "rg") -> bool:
    """Revoke the key with ``key_id``; False when there is no such key."""
    digest = redis_client.hget(key(prefix, "apikeys"), key_id)
    if digest is None:
        return False
    pipe = redis_client.pipeline(transaction=True)
    pipe.delete(key(prefix, "apikey", digest.decode() if isinstance(digest, bytes) else digest))
    pipe.hdel(key(prefix, "apikeys"), key_id)
    pipe.execute()
    return True


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _principal(fields: dict[bytes | str, bytes | str]) -> Principal:
    get = {_text(k): _text(v) for k, v in fields.items()}
    return Principal(
        key_id=get["key_id"],
        role=get["role"],
        district=get.get("district") or None,
        township=get.get("township") or None,
        partner=get.get("partner") or None,
    )


def list_keys(redis_client: redis.Redis, *, prefix: str = "rg") -> list[dict[str, str]]:
    """Every key's id, role, scope and creation time (never a token or its hash)."""
    out = []
    for digest in redis_client.hvals(key(prefix, "apikeys")):
        fields = redis_client.hgetall(key(prefix, "apikey", _text(digest)))
        if fields:
            row = {_text(k): _text(v) for k, v in fields.items()}
            out.append(row)
    return sorted(out, key=lambda r: (r.get("created", ""), r["key_id"]))


def authenticate(redis_client: redis.Redis, token: str, *, prefix: str = "rg") -> Principal | None:
    """The principal of ``token``, or None when it is not a live key."""
    if not token or len(token) > 200:
        return None
    fields = redis_client.hgetall(key(prefix, "apikey", hash_token(token)))
    if not fields:
        return None
    return _principal(fields)


def failures(redis_client: redis.Redis, client: str, *, prefix: str = "rg") -> int:
    """Failed authentications of ``client`` within the current window."""
    return int(redis_client.get(key(prefix, "authfail", client)) or 0)


def record_failure(redis_client: redis.Redis, client: str, *, prefix: str = "rg") -> int:
    """Count one failed authentication of ``client``; return the count in the window."""
    name = key(prefix, "authfail", client)
    pipe = redis_client.pipeline(transaction=True)
    # The window starts at the first failure (Redis 6.2 has no EXPIRE NX).
    pipe.set(name, 0, ex=FAIL_WINDOW_S, nx=True)
    pipe.incr(name)
    _, count = pipe.execute()
    return int(count)


__all__ = [
    "FAIL_LIMIT",
    "FAIL_WINDOW_S",
    "ROLES",
    "ROLE_NAMES",
    "KeyScopeError",
    "Principal",
    "authenticate",
    "create_key",
    "failures",
    "hash_token",
    "list_keys",
    "record_failure",
    "revoke",
]
