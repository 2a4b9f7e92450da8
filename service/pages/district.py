"""District pages: import the roster (checked first, row errors in a table) and the agreements.

Both call the API's own functions (``service.api.roster`` and ``service.api.catalogue``), so a
page and an API call check and write exactly the same way.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from catalogue.errors import AgreementError
from features.errors import FeaturesError
from features.gazetteer import load_gazetteer
from service.api import catalogue as catalogue_api
from service.api import roster as roster_api
from service.api.uploads import read_upload
from service.pages import pending
from service.pages.common import (
    PageRoute,
    Poster,
    flash,
    prefix_of,
    redis_of,
    render,
    today_of,
    viewer_in,
)
from service.pages.session import Session
from service.problems import Problem

router = APIRouter(route_class=PageRoute, include_in_schema=False)
DistrictPage = Annotated[Session, Depends(viewer_in("district"))]
_KIND = "roster"


def _must_be_district(session: Session) -> None:
    if session.principal.role != "district":
        raise Problem(403, "无权办理", "只有区人社局可以导入花名册和备案协作协议。")


def _context(session: Session, report: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {
        "title": "花名册导入",
        "heading": "导入花名册（核实记录表）",
        "action": "/roster/import",
        "save_action": "/roster/import/save",
        "template_url": "/api/v1/templates/roster.xlsx",
        "what": "人员",
        "uploader": session.principal.district,
        "report": report,
        "token": "",
        "error": "",
    } | extra


@router.get("/roster/import")
def import_form(request: Request, session: DistrictPage) -> Response:
    """The roster import form."""
    return render(request, "roster_import.html", session, **_context(session, None))


def _run(
    request: Request, session: Session, data: bytes, name: str, *, dry_run: bool
) -> dict[str, Any]:
    """The API's import on these bytes; a refused file becomes a report with its errors."""
    try:
        answer: dict[str, Any] = roster_api._import(
            request,
            session.principal,
            data,
            name,
            as_of=today_of(request),
            dry_run=dry_run,
            keep_valid=False,
        )
    except Problem as exc:
        if exc.errors is None:
            raise
        return {"refused": True, "errors": exc.errors, "rejected": exc.extra.get("rejected", 0)}
    return answer | {"refused": False}


@router.post("/roster/import")
async def import_check(
    request: Request, session: Poster, file: Annotated[UploadFile, File()]
) -> Response:
    """Check a roster file (nothing written): its row errors, or what saving it would do."""
    _must_be_district(session)
    try:
        data, name = await read_upload(file, request.app.state.settings.upload_max_bytes)
        report = await run_in_threadpool(_run, request, session, data, name, dry_run=True)
    except Problem as exc:
        context = _context(session, None, error=exc.detail)
        return render(request, "roster_import.html", session, status=exc.status, **context)
    except FeaturesError as exc:
        context = _context(session, None, error=str(exc))
        return render(request, "roster_import.html", session, status=422, **context)
    token = ""
    if not report["refused"]:
        token = pending.keep(
            redis_of(request), session.principal, _KIND, data, name, prefix=prefix_of(request)
        )
    status = 422 if report["refused"] else 200
    context = _context(session, report, token=token)
    return render(request, "roster_import.html", session, status=status, **context)


@router.post("/roster/import/save")
async def import_save(
    request: Request, session: Poster, token: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    """Import the file that was checked (the store checks it again as it writes)."""
    _must_be_district(session)
    kept = pending.take(
        redis_of(request), session.principal, _KIND, token, prefix=prefix_of(request)
    )
    if kept is None:
        context = _context(session, None, error="检查结果已过期，请重新选择文件并检查。")
        return render(request, "roster_import.html", session, status=410, **context)
    report = await run_in_threadpool(_run, request, session, *kept, dry_run=False)
    if report["refused"]:
        return render(
            request, "roster_import.html", session, status=422, **_context(session, report)
        )
    flash(
        request,
        f"花名册已导入：新增 {report['created']} 人，更新 {report['updated']} 人，"
        f"未变 {report['unchanged']} 人。",
    )
    return RedirectResponse("/people", status_code=303)


# -- agreements -------------------------------------------------------------------------------


def _agreements_page(
    request: Request, session: Session, *, problems: list[str] | None = None, status: int = 200
) -> Response:
    listed = catalogue_api.list_agreements(request, session.principal)["agreements"]
    gaz = load_gazetteer()
    for item in listed:
        item["output_township_names"] = [gaz.by_code(c).name for c in item["output_townships"]]
    return render(
        request,
        "agreements.html",
        session,
        status=status,
        title="协作协议",
        agreements=listed,
        problems=problems or [],
        year=today_of(request).year,
    )


@router.get("/agreements")
def agreements(request: Request, session: DistrictPage) -> Response:
    """The district's agreements and the form to file one."""
    return _agreements_page(request, session)


@router.post("/agreements")
async def add_agreement(
    request: Request, session: Poster, file: Annotated[UploadFile, File()]
) -> Response:
    """File agreements from a JSON file (one object or a list), as ``renggang agreements add``."""
    _must_be_district(session)
    data = await file.read(1024 * 1024 + 1)
    try:
        if len(data) > 1024 * 1024:
            raise ValueError("too large")
        body = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return _agreements_page(
            request,
            session,
            problems=["文件不是有效的 JSON（UTF-8）：请按说明中的格式填写协议后重新上传。"],
            status=422,
        )
    try:
        done = catalogue_api.add_agreements(request, session.principal, body)
    except AgreementError as exc:
        return _agreements_page(request, session, problems=exc.problems, status=422)
    except Problem as exc:
        return _agreements_page(request, session, problems=[exc.detail], status=exc.status)
    flash(request, f"已备案：新增 {done['added']} 份协议，更新 {done['replaced']} 份。")
    return RedirectResponse("/agreements", status_code=303)


__all__ = ["router"]
