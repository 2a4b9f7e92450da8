"""District pages of the monthly batch: start it, watch its progress, read the month's figures.

The batch page starts the month's batch through the API's own start (``service.api.batches``:
the runner in a background task, one per month) and the progress box polls a small JSON made
from the API's status (without JavaScript the page refreshes itself). The statistics page draws
the month's figures for the viewer's district as inline SVG charts, with the same figures in
tables, and offers the statistics and the API's push export as ``.xlsx`` downloads (each
download audited).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from matcher.plan import parse_month
from service import audit
from service.api import batches as batches_api
from service.batch import WEIGHT_SOURCES
from service.keys import Principal
from service.pages.charts import Bar, bar_chart, bars
from service.pages.common import PageRoute, Poster, prefix_of, redis_of, render, today_of, viewer_in
from service.pages.monthstats import (
    MonthFigures,
    month_figures,
    months_with_batches,
    runner_of,
    stats_rows,
)
from service.pages.session import Session
from service.problems import Problem
from service.xlsx import rows_to_xlsx

router = APIRouter(route_class=PageRoute, include_in_schema=False)
BatchPage = Annotated[Session, Depends(viewer_in("district", "batch"))]
StatsPage = Annotated[Session, Depends(viewer_in("district", "city"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_NAMES = {
    "none": "未运行",
    "running": "正在计算推送计划",
    "planned": "已生成计划",
    "committing": "正在写入推送",
    "done": "已完成",
}


def _month(value: str) -> str:
    try:
        parse_month(value)
    except ValueError:
        raise Problem(
            422, "月份有误", f"月份应写作 YYYY-MM（例如 2026-11），而不是“{value[:10]}”。"
        ) from None
    return value


def progress(request: Request, who: Principal, month: str) -> dict[str, Any]:
    """The batch's state as the progress box shows it: words (with the weights that ranked the
    posts), chunks done of all, finished."""
    status = batches_api.batch_status(request, who, month)
    state = status["state"]
    runner = runner_of(request)
    running = bool(status.get("running")) or bool(runner.client.exists(runner.keys.lock))
    if state == "none" and running:
        state = "running"
    total, done = status["chunks"], status["chunks_done"]
    text = STATE_NAMES.get(state, state)
    if state in ("planned", "committing"):
        text += f"：已写入 {done}/{total} 批，{status['committed_pushes']} 条推送"
    elif state == "done":
        text += f"：{status['people']} 人需推送，共推送 {status['pushes']} 条"
    source = (status.get("stats") or {}).get("weights_source") or ""
    if source:  # recorded with the plan; months planned before it was have none
        text += f"；排序权重：{WEIGHT_SOURCES.get(source, source)}"
    if status.get("error"):
        text += f"（{status['error']}）"
    return {
        "month": month,
        "state": state,
        "text": text,
        "done": done,
        "total": total,
        "finished": state == "done" or (state == "none" and not running),
        "weights": source,
    }


@router.get("/batches")
def batches(request: Request, session: BatchPage) -> Response:
    """The months with a batch and the form to start one."""
    runner, today = runner_of(request), today_of(request)
    months = months_with_batches(runner, today)
    rows = [progress(request, session.principal, m) for m in months]
    return render(
        request,
        "batches.html",
        session,
        title="月度推送",
        rows=rows,
        this_month=f"{today:%Y-%m}",
    )


@router.post("/batches")
async def start_batch(
    request: Request, session: Poster, month: Annotated[str, Form(max_length=7)]
) -> Response:
    """Start (or resume) the month's batch, as the API's start does, and show its progress."""
    if session.principal.role not in ("district", "batch"):
        raise Problem(403, "无权运行批次", "只有区人社局和批处理账号可以运行月度推送批次。")
    month = _month(month)
    await batches_api.start_batch(request, session.principal, today_of(request), month)
    return RedirectResponse(f"/batches/{month}", status_code=303)


@router.get("/batches/{month}")
def batch_page(request: Request, session: BatchPage, month: str) -> Response:
    """The batch's progress (polled by the page's script; refreshed without it)."""
    month = _month(month)
    state = progress(request, session.principal, month)
    return render(
        request,
        "batch.html",
        session,
        title=f"{month} 推送批次",
        month=month,
        state=state,
        can_see_stats=session.principal.role in ("district", "city"),
    )


@router.get("/batches/{month}/status.json")
def batch_status(request: Request, session: BatchPage, month: str) -> Response:
    """The progress as JSON for the progress box."""
    return JSONResponse(progress(request, session.principal, _month(month)))


# -- statistics -------------------------------------------------------------------------------


def _charts(figures: MonthFigures) -> dict[str, Any]:
    share = [
        Bar(t, s.share, f"{s.share * 100:.0f}%（{s.with_two}/{s.people}人）")
        for t, s in figures.difficulty_by_township.items()
    ]
    return {
        "difficulty": bar_chart(
            share, title="就业困难人员获得两条以上推送的比例（按乡镇）", scale_max=1.0
        ),
        "tier": bar_chart(
            bars(list(figures.pushes_by_tier.items())), title="按帮扶级别的推送数", color=1
        ),
        "kind": bar_chart(
            bars(list(figures.pushes_by_kind.items())), title="按岗位类型的推送数", color=2
        ),
        "shortage": bar_chart(
            bars([(t, sum(r.values())) for t, r in figures.shortage_by_township.items()]),
            title="岗位不足人数（按乡镇）",
            color=3,
        ),
        "congested": bar_chart(
            [Bar(c["title"], c["per_place"], f"{c['per_place']:.1f}") for c in figures.congested],
            title="每个剩余名额的推送数最多的岗位",
            color=4,
        ),
    }


@router.get("/stats")
def stats(request: Request, session: StatsPage, month: str = "") -> Response:
    """The month's statistics of the viewer's district (the city sees every district)."""
    runner, today = runner_of(request), today_of(request)
    months = [m for m in months_with_batches(runner, today) if runner.state(m) == "done"]
    chosen = month if month in months else (months[0] if months else "")
    figures = month_figures(request, session.principal, chosen) if chosen else None
    return render(
        request,
        "stats.html",
        session,
        title="统计",
        months=months,
        month=chosen,
        f=figures,
        charts=_charts(figures) if figures else {},
    )


def _download(data: bytes, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{filename}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


def _done_month(request: Request, month: str) -> str:
    month = _month(month)
    if runner_of(request).state(month) != "done":
        raise Problem(404, "该月没有已完成的批次", "请先运行该月的推送批次，完成后再下载。")
    return month


@router.get("/downloads/{month}/stats.xlsx")
def download_stats(request: Request, session: StatsPage, month: str) -> Response:
    """The month's statistics of the viewer's scope as ``.xlsx``."""
    month = _done_month(request, month)
    figures = month_figures(request, session.principal, month)
    headers, rows = stats_rows(figures)
    audit.record(
        redis_of(request),
        session.principal,
        "export_stats",
        detail=month,
        prefix=prefix_of(request),
    )
    return _download(rows_to_xlsx(headers, rows, sheet="月度统计"), f"stats-{month}.xlsx")


@router.get("/downloads/{month}/pushes.xlsx")
def download_pushes(
    request: Request, session: Annotated[Session, Depends(viewer_in("district"))], month: str
) -> Response:
    """The month's push export of the district's people (names masked), from the API's export
    (which audits the read)."""
    month = _done_month(request, month)
    return batches_api.export(request, session.principal, month, format="xlsx", township=None)


__all__ = ["progress", "router"]
