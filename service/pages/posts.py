"""Pages of posts: a partner area (or a district) uploads its post file, lists and closes its posts.

An upload is checked first (a dry run of the catalogue store's own upload, nothing written):
row errors show in a table, in Chinese, with row, column and value; a clean file waits for the
"保存" button, which saves exactly the file that was checked.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from catalogue.models import POST_STATE_NAMES, post_state
from features.errors import FeaturesError
from features.gazetteer import load_gazetteer
from service.api.uploads import read_upload
from service.catalogue_store import CatalogueStore, UploadReport
from service.deps import owns_uploads_of
from service.keys import Principal
from service.pages import pending
from service.pages.common import (
    PageRoute,
    Poster,
    prefix_of,
    redis_of,
    render,
    today_of,
    viewer_in,
)
from service.pages.session import Session
from service.problems import Problem

router = APIRouter(route_class=PageRoute, include_in_schema=False)
UploaderPage = Annotated[Session, Depends(viewer_in("partner", "district"))]
_KIND = "posts"


def _store(request: Request) -> CatalogueStore:
    store: CatalogueStore = request.app.state.catalogue
    return store


def uploader_of(who: Principal) -> str:
    """The area whose posts ``who`` uploads: the partner area, or the district bureau."""
    name = who.partner if who.role == "partner" else who.district
    assert name is not None
    return name


def _own_posts(request: Request, who: Principal) -> list[dict[str, object]]:
    today = today_of(request)
    rows: list[dict[str, object]] = []
    for post in _store(request).all_posts():
        if not owns_uploads_of(who, post.uploader):
            continue
        state = post_state(post, today)
        rows.append(
            {
                "post": post,
                "state": state,
                "state_name": POST_STATE_NAMES.get(state, state),
            }
        )
    rows.sort(key=lambda r: (r["state"] != "open", r["post"].external_id))  # type: ignore[attr-defined]
    return rows


@router.get("/posts")
def list_posts(request: Request, session: UploaderPage) -> Response:
    """The caller's own posts, open ones first, each with a close button."""
    rows = _own_posts(request, session.principal)
    return render(
        request,
        "posts.html",
        session,
        title="我的岗位",
        rows=rows,
        uploader=uploader_of(session.principal),
    )


@router.get("/posts/upload")
def upload_form(request: Request, session: UploaderPage) -> Response:
    """The upload form."""
    return render(request, "upload.html", session, **_upload_context(session, None))


def _upload_context(
    session: Session, report: UploadReport | None, *, token: str = "", error: str = ""
) -> dict[str, Any]:
    return {
        "title": "上传岗位",
        "heading": "上传岗位信息表",
        "action": "/posts/upload",
        "save_action": "/posts/upload/save",
        "template_url": "/api/v1/templates/posts.xlsx",
        "what": "岗位",
        "uploader": uploader_of(session.principal),
        "report": report,
        "token": token,
        "error": error,
    }


async def _check(
    request: Request, who: Principal, data: bytes, name: str, *, dry_run: bool
) -> UploadReport:
    return await run_in_threadpool(
        _store(request).upload_file,
        data,
        name,
        uploader=uploader_of(who),
        today=today_of(request),
        gazetteer=load_gazetteer(),
        dry_run=dry_run,
    )


@router.post("/posts/upload")
async def upload_check(
    request: Request,
    session: Poster,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Check an uploaded file without writing; show its row errors, or offer to save it."""
    who = session.principal
    if who.role not in ("partner", "district"):
        raise Problem(403, "无权上传岗位", "只有对接协作方和区人社局可以上传岗位。")
    try:
        data, name = await read_upload(file, request.app.state.settings.upload_max_bytes)
        report = await _check(request, who, data, name, dry_run=True)
    except Problem as exc:
        context = _upload_context(session, None, error=exc.detail)
        return render(request, "upload.html", session, status=exc.status, **context)
    except FeaturesError as exc:
        context = _upload_context(session, None, error=str(exc))
        return render(request, "upload.html", session, status=422, **context)
    token = ""
    if not report.refused:
        token = pending.keep(redis_of(request), who, _KIND, data, name, prefix=prefix_of(request))
    status = 422 if report.refused else 200
    context = _upload_context(session, report, token=token)
    return render(request, "upload.html", session, status=status, **context)


@router.post("/posts/upload/save")
async def upload_save(
    request: Request, session: Poster, token: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    """Save the file that was checked; the catalogue store checks it again as it writes."""
    who = session.principal
    kept = pending.take(redis_of(request), who, _KIND, token, prefix=prefix_of(request))
    if kept is None:
        context = _upload_context(session, None, error="检查结果已过期，请重新选择文件并检查。")
        return render(request, "upload.html", session, status=410, **context)
    data, name = kept
    report = await _check(request, who, data, name, dry_run=False)
    if report.refused:
        context = _upload_context(session, report)
        return render(request, "upload.html", session, status=422, **context)
    rows = _own_posts(request, who)
    flash = f"已保存：新增 {report.created} 个岗位，更新 {report.updated} 个，未变 {report.unchanged} 个。"
    return render(
        request, "posts.html", session, title="我的岗位", rows=rows, flash=flash,
        uploader=uploader_of(who),
    )  # fmt: skip


@router.post("/posts/{post_id}/close")
def close_post(request: Request, session: Poster, post_id: str) -> Response:
    """Close one of the caller's own posts (404 for a post that is not theirs)."""
    who = session.principal
    post = _store(request).get(post_id)
    if post is None or not owns_uploads_of(who, post.uploader):
        raise Problem(404, "未找到该岗位", "没有找到该岗位，或它不是本单位发布的。")
    closed = _store(request).close(post_id, actor=who.key_id, day=today_of(request))
    rows = _own_posts(request, who)
    flash = f"岗位“{closed.title}”（{closed.external_id}）已关闭，不再推送。"
    return render(
        request, "posts.html", session, title="我的岗位", rows=rows, flash=flash,
        uploader=uploader_of(who),
    )  # fmt: skip


__all__ = ["router", "uploader_of"]
