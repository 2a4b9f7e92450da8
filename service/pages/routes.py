"""The pages' router: login and logout, each role's home, the static files, and every page.

The API key is typed once on ``/login``; the answer sets an HTTP-only, Secure,
SameSite=Strict cookie holding only a random session id (:mod:`service.pages.session`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from service.pages import batches, district, followups, people, posts
from service.pages import session as sessions
from service.pages.common import (
    HOME,
    STATIC_DIR,
    PageRoute,
    Poster,
    Viewer,
    client_of,
    prefix_of,
    redis_of,
    render,
)
from service.problems import Problem

router = APIRouter(route_class=PageRoute, include_in_schema=False)

_STATIC = {"style.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The stylesheet and the small script of the pages (nothing else is served)."""
    if name not in _STATIC:
        raise Problem(404, "未找到", "没有这个文件。")
    return FileResponse(
        STATIC_DIR / name,
        media_type=_STATIC[name],
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/")
def home(session: Viewer) -> Response:
    """Each role's first page."""
    return RedirectResponse(HOME.get(session.principal.role, "/login"), status_code=303)


def _login_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    token = sessions.new_login_token()
    response = render(request, "login.html", None, status=status, login_token=token, error=error)
    response.set_cookie(
        sessions.LOGIN_COOKIE,
        token,
        max_age=sessions.LOGIN_TTL_S,
        path="/login",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    """The login page: one field for the API key (a live session goes straight home)."""
    found = sessions.load_session(
        redis_of(request),
        request.cookies.get(sessions.SESSION_COOKIE),
        prefix=prefix_of(request),
    )
    if found is not None:
        return RedirectResponse(HOME.get(found.principal.role, "/"), status_code=303)
    return _login_page(request)


@router.post("/login")
def login(
    request: Request,
    api_key: Annotated[str, Form(max_length=300)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Check the key, open a session and go to the role's home page."""
    client, prefix = redis_of(request), prefix_of(request)
    if not sessions.same_token(request.cookies.get(sessions.LOGIN_COOKIE, ""), csrf):
        return _login_page(request, error="登录页面已过期，请重新输入密钥。", status=403)
    if sessions.too_many_failures(client, client_of(request), prefix=prefix):
        return _login_page(
            request, error="密钥错误次数过多，请一分钟后再试，并核对密钥。", status=429
        )
    opened = sessions.login(client, api_key, client_of(request), prefix=prefix)
    if opened is None:
        return _login_page(
            request, error="密钥无效或已被吊销，请核对后重新输入，或向区人社局申请。", status=401
        )
    session_id, session = opened
    response = RedirectResponse(HOME.get(session.principal.role, "/"), status_code=303)
    response.set_cookie(
        sessions.SESSION_COOKIE,
        session_id,
        max_age=sessions.SESSION_TTL_S,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(sessions.LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, session: Poster) -> Response:
    """End the session and forget the cookie."""
    sessions.close_session(
        redis_of(request), request.cookies.get(sessions.SESSION_COOKIE), prefix=prefix_of(request)
    )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE, path="/", secure=True, httponly=True)
    return response


for _part in (people, followups, posts, district, batches):
    router.include_router(_part.router)

__all__ = ["router"]
