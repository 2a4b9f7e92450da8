"""The composition root of the HTTP service: ``create_app(settings) -> FastAPI``.

The lifespan opens Redis (an external server by ``REDIS_URL``, else the embedded one), makes
the stores and the post-index cache, keeps them on ``app.state``, and starts the monthly batch
scheduler when the batch runner is installed. Routes live under ``/api/v1`` in one router per
resource (``service/api/``); ``/healthz`` and ``/readyz`` sit at the root, the OpenAPI schema at
``/openapi.json`` and its page at ``/docs``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import redis
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from features.tabular import is_digits
from service.api.uploads import too_large
from service.deps import beijing_today
from service.problems import install_problem_handlers, problem_response
from service.redact import install_redaction
from service.settings import Settings, get_settings
from service.store import connect

log = logging.getLogger("renggang.http")

API_PREFIX = "/api/v1"
# Routers, one module per resource; each has ``router``.
_ROUTERS: tuple[str, ...] = (
    "service.api.meta",
    "service.api.templates",
    "service.api.laborers",
    "service.api.roster",
    "service.api.catalogue",
    "service.api.batches",
)
# The fixed answer of the trivial endpoint the load benchmark compares referrals against.
TEN_ITEMS: list[dict[str, Any]] = [{"n": i, "name": f"项目{i}"} for i in range(10)]

_TAGS = [
    {"name": "people", "description": "就业指导员与区人社局：人员查询、推荐岗位、记录结果"},
    {"name": "roster", "description": "区人社局：花名册导入与统计"},
    {"name": "catalogue", "description": "岗位、协作协议与用人单位"},
    {"name": "batches", "description": "月度推送批次"},
    {"name": "templates", "description": "空白导入模板"},
    {"name": "meta", "description": "服务状态与当前密钥"},
]


def _open_state(app: FastAPI, settings: Settings) -> None:
    client = connect(settings)
    app.state.redis = client
    from service.wiring import build_stores

    for name, value in build_stores(client, settings).items():
        setattr(app.state, name, value)


async def _start_scheduler(app: FastAPI) -> asyncio.Task[Any] | None:
    if not app.state.run_scheduler:
        return None
    from service.scheduler import run_scheduler

    return asyncio.create_task(
        run_scheduler(app.state.settings, app.state.redis), name="batch-scheduler"
    )


def create_app(
    settings: Settings | None = None,
    *,
    today: Callable[[], dt.date] | None = None,
    scheduler: bool = True,
) -> FastAPI:
    """The FastAPI app of the service, wired to the store that ``settings`` names."""
    settings = settings or get_settings()
    install_redaction()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(_open_state, app, settings)
        task = await _start_scheduler(app)
        try:
            yield
        finally:
            for running in (task, *app.state.batch_tasks.values()):
                if running is None:
                    continue
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await running
            app.state.redis.close()

    app = FastAPI(
        title="人岗 Renggang",
        summary="低收入农户劳动者人岗对接与岗位推送服务",
        description=(
            "就业指导员、区人社局、对接协作方和市人社局使用的接口。"
            "每个请求携带 `Authorization: Bearer <密钥>`（`renggang keys create` 生成）。"
            "错误按 RFC 9457 以 `application/problem+json` 返回。"
        ),
        version="1.0.0",
        openapi_tags=_TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.today = today or beijing_today
    app.state.run_scheduler = scheduler
    app.state.batch_tasks = {}  # month → the background task running its batch
    install_problem_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.upload_max_bytes + _FORM_OVERHEAD)
    _add_health(app)
    api = APIRouter(prefix=API_PREFIX)
    for name in _ROUTERS:
        api.include_router(importlib.import_module(name).router)
    app.include_router(api)
    app.include_router(importlib.import_module("service.pages").router)  # the web pages
    return app


# Multipart framing and form fields around an uploaded file of the full size.
_FORM_OVERHEAD = 256 * 1024


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, before they are read whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check Content-Length up front, and count the bytes of a body without one."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and is_digits(length) and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, too_large(self.limit - _FORM_OVERHEAD).detail)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        problem = too_large(self.limit - _FORM_OVERHEAD)
        response = problem_response(request, 413, problem.title, problem.detail)
        await response(scope, receive, send)


def _add_health(app: FastAPI) -> None:
    @app.get("/healthz", tags=["meta"], summary="进程存活")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["meta"], summary="数据库可连接", response_model=None)
    async def readyz(request: Request) -> dict[str, str] | JSONResponse:
        client: redis.Redis = request.app.state.redis
        try:
            await asyncio.to_thread(client.ping)
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return problem_response(
                request,
                503,
                "数据库暂时无法连接",
                "服务的数据存储（Redis）暂时无法连接，请稍后重试；恢复后服务会自动继续。",
                headers={"Retry-After": "5"},
            )
        return {"status": "ready"}

    @app.get(f"{API_PREFIX}/bench/trivial", include_in_schema=False)
    async def trivial() -> list[dict[str, Any]]:
        return TEN_ITEMS


__all__ = ["API_PREFIX", "TEN_ITEMS", "create_app"]
