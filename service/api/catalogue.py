"""Posts, partner agreements and employer controls.

Partners upload, list, update and close their own posts and never see a person; districts do
the same for their own uploads, file their agreements and boost or suspend employers; every
other role reads the catalogue. A post a partner may not see is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from catalogue.agreements import agreement_as_dict, parse_agreements
from catalogue.columns import POST_COLUMNS
from catalogue.controls import BOOST_MAX, BOOST_MIN
from catalogue.models import Post
from features.gazetteer import load_gazetteer
from features.tabular import Table
from service.api.uploads import read_upload
from service.catalogue_store import CatalogueStore, UploadReport, post_json
from service.deps import Caller, DistrictCaller, TodayDep, Uploader, owns_uploads_of, sees_post
from service.keys import Principal
from service.problems import Problem, forbidden, not_found

router = APIRouter(tags=["catalogue"])


def _store(request: Request) -> CatalogueStore:
    store: CatalogueStore = request.app.state.catalogue
    return store


def _visible_post(request: Request, caller: Principal, post_id: str) -> Post:
    post = _store(request).get(post_id)
    if post is None or not sees_post(caller, post.uploader):
        raise not_found("岗位")
    return post


def _owned_post(request: Request, caller: Principal, post_id: str) -> Post:
    post = _visible_post(request, caller, post_id)
    if not owns_uploads_of(caller, post.uploader):
        raise forbidden("只有发布该岗位的单位可以修改或关闭它。")
    return post


def _uploader(caller: Principal) -> str:
    name = caller.partner if caller.role == "partner" else caller.district
    assert name is not None
    return name


def _report_answer(report: UploadReport) -> dict[str, Any]:
    if report.refused:
        raise Problem(
            422,
            "上传未写入：文件有错误",
            f"共 {report.rejected} 行有错误，全部岗位均未写入。请按 errors 中的行号和列修改后重新上传，"
            "或加 keep_valid=true 只写入正确的行。",
            errors=[e.as_dict() for e in report.errors],
            report=report.as_dict(),
        )
    return report.as_dict() | {"version": report.version}


# -- posts ------------------------------------------------------------------------------------


@router.post("/posts/upload", summary="上传岗位（.xlsx/.csv，可试运行）")
async def upload_posts(
    request: Request,
    caller: Uploader,
    today: TodayDep,
    file: Annotated[UploadFile, File(description="岗位信息表 .xlsx 或 .csv")],
    dry_run: Annotated[bool, Query(description="只检查不写入")] = False,
    keep_valid: Annotated[bool, Query(description="有错误时仍写入正确的行")] = False,
) -> dict[str, Any]:
    """Upload the caller's posts; row errors come back all at once, nothing written."""
    data, name = await read_upload(file, request.app.state.settings.upload_max_bytes)
    report = await run_in_threadpool(
        _store(request).upload_file,
        data,
        name,
        uploader=_uploader(caller),
        today=today,
        gazetteer=load_gazetteer(),
        dry_run=dry_run,
        keep_valid=keep_valid,
    )
    return _report_answer(report)


@router.get("/posts", summary="岗位列表（对接协作方只见本方岗位）")
def list_posts(
    request: Request,
    caller: Caller,
    today: TodayDep,
    kind: Annotated[str | None, Query(description="岗位类型")] = None,
    district: Annotated[str | None, Query(description="工作区")] = None,
    uploader: Annotated[str | None, Query(description="发布单位")] = None,
    status: Annotated[str | None, Query(description="open / filled / closed / expired")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Posts the caller may see, filtered."""
    rows = []
    for post in _store(request).all_posts():
        if not sees_post(caller, post.uploader):
            continue
        if kind and post.kind != kind:
            continue
        if district and post.district != district:
            continue
        if uploader and post.uploader != uploader:
            continue
        shown = post_json(post, today)
        if status and shown["status"] != status:
            continue
        rows.append(shown)
    return {"total": len(rows), "posts": rows[offset : offset + limit]}


@router.get("/posts/{post_id}", summary="岗位详情")
def get_post(request: Request, caller: Caller, today: TodayDep, post_id: str) -> dict[str, Any]:
    """One post the caller may see."""
    return post_json(_visible_post(request, caller, post_id), today)


@router.post("/posts/{post_id}/close", summary="关闭本单位发布的岗位")
def close_post(request: Request, caller: Uploader, today: TodayDep, post_id: str) -> dict[str, Any]:
    """Close one of the caller's own posts."""
    _owned_post(request, caller, post_id)
    post = _store(request).close(post_id, actor=caller.key_id, day=today)
    return post_json(post, today)


class PostUpdate(BaseModel):
    """The fields of a post its owner may change; the rest stays as uploaded."""

    title: str | None = Field(None, min_length=1, max_length=100)
    headcount: int | None = Field(None, ge=1, le=100000)
    closes_on: dt.date | None = None
    min_age: int | None = Field(None, ge=16, le=65)
    max_age: int | None = Field(None, ge=16, le=65)
    salary_min: int | None = Field(None, ge=0, le=1000000)
    salary_max: int | None = Field(None, ge=0, le=1000000)
    skills: str | None = Field(None, max_length=500)
    certificates: list[str] | None = None
    description: str | None = Field(None, max_length=2000)
    address: str | None = Field(None, max_length=200)
    lodging: bool | None = None
    schedule: str | None = Field(None, max_length=10)
    contact: str | None = Field(None, max_length=100)


def _cells_of(post: Post) -> dict[str, str]:
    gaz = load_gazetteer()

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (tuple, list)):
            return "、".join(str(v) for v in value)
        return str(value)

    cells = {c.key: text(getattr(post, c.key, None)) for c in POST_COLUMNS}
    cells["for_townships"] = "、".join(gaz.by_code(code).name for code in post.for_townships)
    return cells


@router.patch("/posts/{post_id}", summary="修改本单位发布的岗位")
def update_post(
    request: Request,
    caller: Uploader,
    today: TodayDep,
    post_id: str,
    update: Annotated[PostUpdate, Body()],
) -> dict[str, Any]:
    """Change fields of one of the caller's posts; checked by the same rules as an upload."""
    post = _owned_post(request, caller, post_id)
    cells = _cells_of(post)
    changes = update.model_dump(exclude_unset=True)
    for name, value in changes.items():
        cells[name] = _cells_of(_replace(post, name, value))[name]
    table = Table([c.header for c in POST_COLUMNS], [[cells[c.key] for c in POST_COLUMNS]])
    report = _store(request).upload(
        table, uploader=post.uploader, today=today, gazetteer=load_gazetteer()
    )
    if report.refused:
        raise Problem(
            422,
            "修改未保存",
            "修改后的岗位不符合上传规则：请按 errors 中的说明更正。",
            errors=[e.as_dict() for e in report.errors],
        )
    updated = _store(request).get(post_id)
    assert updated is not None
    return post_json(updated, today)


def _replace(post: Post, name: str, value: Any) -> Post:
    import dataclasses

    if name == "certificates" and value is not None:
        value = tuple(value)
    return dataclasses.replace(post, **{name: value})


# -- agreements -------------------------------------------------------------------------------


@router.get("/agreements", summary="人-岗对接协作协议")
def list_agreements(request: Request, caller: Caller) -> dict[str, Any]:
    """Agreements the caller is party to (city and batch: all)."""
    out = []
    for agreement in _store(request).agreements():
        party = agreement.output_district == caller.district or (
            caller.district in agreement.partners
        )
        if caller.role in ("district", "counselor") and not party:
            continue
        if caller.role == "partner" and caller.partner not in agreement.partners:
            continue
        out.append(agreement_as_dict(agreement))
    return {"agreements": out}


@router.post("/agreements", summary="备案协作协议（本区为输出区）")
def add_agreements(
    request: Request,
    caller: DistrictCaller,
    body: Annotated[
        dict[str, Any] | list[dict[str, Any]], Body(description="协议 JSON，单个或列表")
    ],
) -> dict[str, Any]:
    """File agreements whose output district is the caller's district."""
    agreements = parse_agreements(body, gazetteer=load_gazetteer())
    for agreement in agreements:
        if agreement.output_district != caller.district:
            raise forbidden(
                f"只能备案本区（{caller.district}）为输出区的协议，"
                f"该协议的输出区为{agreement.output_district}。"
            )
    added, replaced = _store(request).add_agreements(agreements)
    return {
        "added": added,
        "replaced": replaced,
        "agreements": [agreement_as_dict(a) for a in agreements],
    }


# -- employer controls ------------------------------------------------------------------------


class ControlIn(BaseModel):
    """A boost and/or suspension of an employer's posts, with the reason."""

    boost: float | None = Field(None, ge=BOOST_MIN, le=BOOST_MAX)
    suspended: bool | None = None
    reason: str = Field(min_length=1, max_length=200)


@router.get("/employers/controls", summary="用人单位的加权与暂停")
def list_controls(request: Request, caller: Caller) -> dict[str, Any]:
    """The boosts and suspensions in force (partners may not read them)."""
    if caller.role == "partner":
        raise forbidden()
    controls = _store(request).employer_controls()
    return {
        "controls": {
            k: {"boost": c.boost, "suspended": c.suspended, "reason": c.reason}
            for k, c in sorted(controls.items())
        }
    }


@router.put("/employers/{employer}/control", summary="加权或暂停某用人单位的岗位")
def set_control(
    request: Request, caller: DistrictCaller, employer: str, control: ControlIn
) -> dict[str, Any]:
    """Boost or suspend an employer (by 统一社会信用代码, or name when it has none)."""
    if not control.reason.strip():
        raise Problem(422, "请填写原因", "加权或暂停用人单位须写明原因。")
    done = _store(request).set_employer_control(
        employer,
        boost=control.boost,
        suspended=control.suspended,
        reason=control.reason,
        actor=caller.key_id,
    )
    return {
        "employer": employer,
        "boost": done.boost,
        "suspended": done.suspended,
        "reason": done.reason,
    }


@router.delete("/employers/{employer}/control", summary="取消对某用人单位的加权或暂停")
def clear_control(
    request: Request,
    caller: DistrictCaller,
    employer: str,
    reason: Annotated[str, Query(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """Remove an employer's boost and suspension."""
    if not reason.strip():
        raise Problem(422, "请填写原因", "取消加权或暂停须写明原因。")
    removed = _store(request).clear_employer_control(employer, reason=reason, actor=caller.key_id)
    if not removed:
        raise not_found("用人单位设置")
    return {"employer": employer, "cleared": True}


__all__ = ["router"]
