"""Dependencies of the routes, as ``Annotated`` aliases: the store, the caller, the stores.

``Caller`` authenticates the bearer token (one pipelined round trip: the client's failure
counter and the key); ``RoleIn(...)`` narrows it to roles. Scope rules for people and posts live
here too, so every router asks the same questions the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated
from zoneinfo import ZoneInfo

import redis
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service import keys
from service.keys import Principal
from service.problems import Problem, forbidden
from service.settings import Settings
from service.store import key

_bearer = HTTPBearer(auto_error=False, description="API 密钥：renggang keys create 生成")


# Dependencies that only read app state are ``async``: FastAPI runs them on the event loop
# instead of sending each through the thread pool.


async def get_settings_dep(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_redis(request: Request) -> redis.Redis:
    """The app's Redis client (its pool reconnects by itself after an outage)."""
    client: redis.Redis = request.app.state.redis
    return client


async def get_today(request: Request) -> dt.date:
    """Today in Beijing (or the app's clock, in tests)."""
    clock: Callable[[], dt.date] = request.app.state.today
    return clock()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
RedisDep = Annotated[redis.Redis, Depends(get_redis)]
TodayDep = Annotated[dt.date, Depends(get_today)]


def _client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "需要有效的访问密钥",
        detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The principal of the request's bearer token; 401 without one, 429 after many failures."""
    client_redis: redis.Redis = request.app.state.redis
    prefix: str = request.app.state.settings.key_prefix
    client = _client_of(request)
    token = credentials.credentials if credentials else ""
    pipe = client_redis.pipeline(transaction=False)
    pipe.get(key(prefix, "authfail", client))
    if token and len(token) <= 200:
        pipe.hgetall(key(prefix, "apikey", keys.hash_token(token)))
    results = pipe.execute()
    if int(results[0] or 0) >= keys.FAIL_LIMIT:
        raise Problem(
            429,
            "验证失败次数过多",
            f"该客户端多次使用无效密钥，请 {keys.FAIL_WINDOW_S} 秒后再试，并核对密钥。",
            headers={"Retry-After": str(keys.FAIL_WINDOW_S)},
        )
    if not token:
        raise _unauthorized("请在请求头中携带 Authorization: Bearer <密钥>；密钥由区人社局发放。")
    fields = results[1] if len(results) > 1 else None
    if not fields:
        keys.record_failure(client_redis, client, prefix=prefix)
        raise _unauthorized("密钥无效或已被吊销，请核对密钥或向区人社局申请新密钥。")
    principal = keys._principal(fields)
    request.state.principal = principal
    return principal


Caller = Annotated[Principal, Depends(get_caller)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only ``roles`` (403 for any other valid key)."""

    async def check(caller: Caller) -> Principal:
        if caller.role not in roles:
            raise forbidden()
        return caller

    return check


# The role sets of the routes, one alias each.
PersonReader = Annotated[Principal, Depends(require_roles("counselor", "district"))]
DistrictCaller = Annotated[Principal, Depends(require_roles("district"))]
Uploader = Annotated[Principal, Depends(require_roles("partner", "district"))]
StatsReader = Annotated[Principal, Depends(require_roles("city", "district"))]
BatchRunner = Annotated[Principal, Depends(require_roles("district", "batch"))]
BatchReader = Annotated[Principal, Depends(require_roles("city", "district", "batch"))]


# -- scope ------------------------------------------------------------------------------------


def sees_person(caller: Principal, district: str, township: str) -> bool:
    """Whether the caller may see a person of ``township`` in ``district``."""
    if caller.role == "counselor":
        return caller.district == district and caller.township == township
    if caller.role == "district":
        return caller.district == district
    return False


def owns_uploads_of(caller: Principal, uploader: str) -> bool:
    """Whether the caller uploaded (and so may change) posts of ``uploader``."""
    if caller.role == "partner":
        return caller.partner == uploader
    if caller.role == "district":
        return caller.district == uploader
    return False


def sees_post(caller: Principal, uploader: str) -> bool:
    """Whether the caller may see a post: a partner only its own, every other role all."""
    if caller.role == "partner":
        return caller.partner == uploader
    return True


def beijing_today() -> dt.date:
    """Today's date in Beijing."""
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


__all__ = [
    "BatchReader",
    "BatchRunner",
    "Caller",
    "DistrictCaller",
    "PersonReader",
    "RedisDep",
    "SettingsDep",
    "StatsReader",
    "TodayDep",
    "Uploader",
    "beijing_today",
    "get_caller",
    "owns_uploads_of",
    "require_roles",
    "sees_person",
    "sees_post",
]
