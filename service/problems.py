"""RFC 9457 problem details: every error of the HTTP service as ``application/problem+json``.

Routes raise domain errors (or :class:`Problem`); the handlers registered here turn them into
problem documents with a Chinese ``title`` and ``detail`` that say what to do. Upload row errors
travel in an ``errors`` list. A person or post outside the caller's scope is a plain 404, with
no hint that it exists; an action the role may not take is a 403. Messages never carry an ID
number or a phone: they are built from ids, place names and row numbers only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalogue.errors import AgreementError, PostStateError, UnknownPostError
from features.errors import FeaturesError, TableError, UnknownPlaceError
from service.redact import redact_text
from service.roster_store import RosterError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("renggang.http")


class Problem(Exception):
    """An HTTP error the caller should read: status, Chinese title and detail, extra members."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(f"{status} {title}")
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = headers or {}
        self.extra = extra


def not_found(what: str = "记录") -> Problem:
    """404 for a person or post that does not exist or lies outside the caller's scope."""
    return Problem(404, f"未找到该{what}", f"没有找到该{what}，或您无权查看。请核对编号。")


def forbidden(
    detail: str = "您的密钥角色不能执行此操作。如需办理，请联系有权限的单位。",
) -> Problem:
    """403 for an action the caller's role may not take."""
    return Problem(403, "无权执行此操作", detail)


def bad_request(detail: str, *, errors: Sequence[dict[str, Any]] | None = None) -> Problem:
    """400 for a request the caller must correct."""
    return Problem(400, "请求有误", detail, errors=errors)


def unprocessable(
    title: str, detail: str, *, errors: Sequence[dict[str, Any]] | None = None, **extra: Any
) -> Problem:
    """422 for a well-formed request whose content the rules refuse (e.g. an upload's rows)."""
    return Problem(422, title, detail, errors=errors, **extra)


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    errors: Sequence[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem-details response for ``request``."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = list(errors)
    body.update(extra)
    # An error message never carries an ID number or a phone, whatever the input echoed.
    return JSONResponse(
        _redacted(body), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(v) for v in value]
    return value


_STATUS_TITLES = {
    400: "请求有误",
    401: "需要有效的访问密钥",
    403: "无权执行此操作",
    404: "未找到",
    405: "不支持该请求方法",
    413: "文件过大",
    415: "不支持的文件类型",
    422: "请求内容有误",
    429: "请求过于频繁",
    500: "服务内部错误",
    503: "服务暂不可用",
}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        out.append(
            {
                "column": ".".join(loc) or str(err.get("loc", [""])[0]),
                "message": redact_text(str(err.get("msg", ""))),
            }
        )
    return out


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(
        request,
        exc.status,
        exc.title,
        exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        **exc.extra,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    title = _STATUS_TITLES.get(status, "请求失败")
    detail = {
        404: "没有这个地址，请核对路径（接口位于 /api/v1 下，说明见 /docs）。",
        405: "该地址不支持此请求方法，请查看 /docs 中的接口说明。",
    }.get(status, title)
    if isinstance(exc.detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail):
        detail = exc.detail  # a Chinese detail set by the service itself
    return problem_response(request, status, title, detail, headers=dict(exc.headers or {}))


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        request,
        422,
        "请求参数有误",
        "请按 /docs 中的说明填写参数后重试。",
        errors=_validation_errors(exc),
    )


async def _on_place(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownPlaceError)
    return problem_response(
        request, 422, "地名无法识别", str(exc), suggestions=list(exc.suggestions)
    )


async def _on_table(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(request, 422, "文件无法读取", redact_text(str(exc)))


async def _on_domain(request: Request, exc: Exception) -> JSONResponse:
    # Domain errors of the packages carry Chinese messages that say what to do.
    return problem_response(request, 422, "请求无法办理", redact_text(str(exc)))


async def _on_unknown_post(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request, 404, "未找到该岗位", "没有找到该岗位，或您无权查看。请核对岗位编号。"
    )


async def _on_post_state(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(request, 409, "岗位状态不允许此操作", redact_text(str(exc)))


async def _on_agreement(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AgreementError)
    return problem_response(
        request,
        422,
        "协议不符合规则",
        "协议有以下问题，请更正后重新提交。",
        errors=[{"message": redact_text(p)} for p in exc.problems],
    )


async def _on_redis_down(request: Request, exc: Exception) -> JSONResponse:
    log.warning("redis unreachable: %s", type(exc).__name__)
    return problem_response(
        request,
        503,
        "数据库暂时无法连接",
        "服务的数据存储（Redis）暂时无法连接，请稍后重试；恢复后服务会自动继续。",
        headers={"Retry-After": "5"},
    )


def domain_error_classes() -> list[type[Exception]]:
    """The base error classes of the packages' errors.py trees that are importable now."""
    import importlib

    found: list[type[Exception]] = [FeaturesError]
    for module, name in (
        ("catalogue.errors", "CatalogueError"),
        ("matcher.errors", "MatcherError"),
        ("service.errors", "ServiceError"),
    ):
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        found.append(cls)
    return found


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers that turn errors into problem details."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    for cls in domain_error_classes():
        app.add_exception_handler(cls, _on_domain)
    app.add_exception_handler(UnknownPlaceError, _on_place)
    app.add_exception_handler(UnknownPostError, _on_unknown_post)
    app.add_exception_handler(PostStateError, _on_post_state)
    app.add_exception_handler(AgreementError, _on_agreement)
    app.add_exception_handler(RosterError, _on_domain)
    app.add_exception_handler(TableError, _on_table)
    app.add_exception_handler(redis.ConnectionError, _on_redis_down)
    app.add_exception_handler(redis.TimeoutError, _on_redis_down)


__all__ = [
    "PROBLEM_JSON",
    "Problem",
    "bad_request",
    "forbidden",
    "install_problem_handlers",
    "not_found",
    "problem_response",
    "unprocessable",
]
