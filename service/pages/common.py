"""What every page shares: the route class, the templates, the viewer and the CSRF check.

A page handler asks for ``Viewer`` (any logged-in session), ``ViewerIn(...)`` (some roles) or
``Poster`` (a form post whose CSRF token matches the session's). Without a session the browser
is sent to the login page; an action outside the role, or a person or post outside the scope,
renders the error page with the same status the API would answer (403 / 404), never JSON.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import pydantic
import redis
from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from features.idcard import mask_id_number, mask_phone
from features.laborer import TIER_NAMES
from service.keys import ROLE_NAMES
from service.pages.session import (
    SESSION_COOKIE,
    Session,
    load_session,
    pop_flash,
    same_token,
    set_flash,
)
from service.problems import Problem, domain_error_classes
from service.redact import redact_text

log = logging.getLogger("renggang.pages")

TEMPLATES_DIR = Path(str(files("service") / "templates"))
STATIC_DIR = Path(str(files("service") / "static"))
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals.update(
    tier_name=lambda t: TIER_NAMES.get(t or "", t or "—"),
    mask_id=mask_id_number,
    mask_phone=mask_phone,
    role_names=ROLE_NAMES,
)

# The menu of each role: (path, label).
NAV: dict[str, list[tuple[str, str]]] = {
    "counselor": [("/people", "人员查询"), ("/followups", "本月跟进")],
    "district": [
        ("/people", "人员查询"),
        ("/roster/import", "花名册导入"),
        ("/agreements", "协作协议"),
        ("/posts", "岗位"),
        ("/batches", "月度推送"),
        ("/stats", "统计"),
    ],
    "partner": [("/posts", "我的岗位"), ("/posts/upload", "上传岗位")],
    "city": [("/stats", "统计")],
    "batch": [("/batches", "月度推送")],
}
HOME: dict[str, str] = {
    "counselor": "/people",
    "district": "/people",
    "partner": "/posts",
    "city": "/stats",
    "batch": "/batches",
}

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


_DOMAIN_ERRORS = tuple(domain_error_classes())


class LoginRequiredError(Exception):
    """No live session: the browser goes to the login page."""


class PageRoute(APIRoute):
    """A route whose errors become HTML pages and whose answers carry no-store and CSP headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                response = await original(request)
            except LoginRequiredError:
                response = RedirectResponse("/login", status_code=303)
            except Problem as exc:
                response = error_page(request, exc.status, exc.title, exc.detail, exc.headers)
            except (RequestValidationError, pydantic.ValidationError):
                response = error_page(request, 422, "填写有误", "请检查表单中的内容后重新提交。")
            except _DOMAIN_ERRORS as exc:
                # The packages' domain errors carry Chinese messages that say what to do.
                response = error_page(request, 422, "无法办理", str(exc))
            except (redis.ConnectionError, redis.TimeoutError):
                log.warning("redis unreachable while rendering a page")
                response = error_page(
                    request,
                    503,
                    "数据库暂时无法连接",
                    "服务的数据存储暂时无法连接，请稍后刷新页面；恢复后会自动继续。",
                    {"Retry-After": "5"},
                )
            for name, value in _SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            if not request.url.path.startswith("/static/"):
                response.headers.setdefault("Cache-Control", "no-store")
            return response

        return handler


def redis_of(request: Request) -> redis.Redis:
    """The app's Redis client."""
    client: redis.Redis = request.app.state.redis
    return client


def prefix_of(request: Request) -> str:
    """The Redis key prefix of the app's settings."""
    prefix: str = request.app.state.settings.key_prefix
    return prefix


def today_of(request: Request) -> dt.date:
    """Today, by the app's clock."""
    clock: Callable[[], dt.date] = request.app.state.today
    return clock()


def client_of(request: Request) -> str:
    """The client's address, for the failed-login counter."""
    return request.client.host if request.client else "unknown"


def current_session(request: Request) -> Session:
    """The request's live session; otherwise the browser is sent to log in."""
    found = load_session(
        redis_of(request), request.cookies.get(SESSION_COOKIE), prefix=prefix_of(request)
    )
    if found is None:
        raise LoginRequiredError
    request.state.principal = found.principal
    return found


Viewer = Annotated[Session, Depends(current_session)]


def viewer_in(*roles: str) -> Callable[[Session], Session]:
    """A dependency that admits sessions of ``roles`` only (403 page for the others)."""

    def check(session: Viewer) -> Session:
        if session.principal.role not in roles:
            raise Problem(403, "无权查看此页面", "您的账号角色不能使用此功能，请从菜单进入。")
        return session

    return check


async def csrf_checked(request: Request, session: Viewer) -> Session:
    """The session of a form post whose hidden ``csrf`` field matches the session's token."""
    form = await request.form()
    given = form.get("csrf")
    if not same_token(session.csrf, given if isinstance(given, str) else None):
        raise Problem(403, "页面已过期", "表单校验失败（页面可能已过期），请刷新页面后重新提交。")
    return session


Poster = Annotated[Session, Depends(csrf_checked)]


def flash(request: Request, text: str) -> None:
    """A one-time message for the next page this browser opens."""
    set_flash(
        redis_of(request), request.cookies.get(SESSION_COOKIE), text, prefix=prefix_of(request)
    )


def render(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A template rendered with the layout's context (viewer, menu, CSRF token)."""
    role = session.principal.role if session else ""
    message = ""
    if session is not None:
        message = pop_flash(
            redis_of(request), request.cookies.get(SESSION_COOKIE), prefix=prefix_of(request)
        )
    base = {
        "flash": message,
        "viewer": session.principal if session else None,
        "csrf": session.csrf if session else "",
        "nav": NAV.get(role, []),
        "path": request.url.path,
        "role_name": ROLE_NAMES.get(role, ""),
    }
    base.update(context)
    return templates.TemplateResponse(request, template, base, status_code=status)


def error_page(
    request: Request,
    status: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The error page: a Chinese title and what to do, with the status the API would answer."""
    session = None
    try:
        session = current_session(request)
    except (LoginRequiredError, redis.RedisError):
        session = None
    response = render(
        request,
        "error.html",
        session,
        status=status,
        title=title,
        detail=redact_text(detail),
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


__all__ = [
    "HOME",
    "NAV",
    "STATIC_DIR",
    "LoginRequiredError",
    "PageRoute",
    "Poster",
    "Viewer",
    "client_of",
    "csrf_checked",
    "current_session",
    "error_page",
    "flash",
    "prefix_of",
    "redis_of",
    "render",
    "templates",
    "today_of",
    "viewer_in",
]
