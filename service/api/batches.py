"""The monthly batch over HTTP: start it (202 and a status URL), its status, the shortage and
follow-up lists, the export, and the statistics as JSON or ``.xlsx``.

Districts and the batch key start a month; the city, districts and the batch key read status
and statistics (a district's lists are cut to its own people); counselors read their township's
follow-up list and export. Reading an export is audited.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from features.gazetteer import load_gazetteer
from matcher.plan import parse_month
from service import audit
from service.batch import (
    BatchBusyError,
    BatchError,
    BatchRunner,
    PlanSettings,
    load_inputs,
    month_day,
)
from service.batch_export import export_rows, to_csv, to_xlsx
from service.deps import BatchReader, PersonReader, TodayDep
from service.deps import BatchRunner as BatchStarter
from service.keys import Principal
from service.problems import Problem, forbidden
from service.roster_store import RosterStore
from service.xlsx import rows_to_xlsx

router = APIRouter(tags=["batches"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Month = Annotated[str, Path(pattern=r"^\d{4}-\d{2}$", description="月份，如 2026-11")]


def _month(month: str) -> str:
    try:
        parse_month(month)
    except ValueError:
        raise Problem(
            422, "月份有误", f"月份应写作 YYYY-MM（例如 2026-11），而不是“{month}”。"
        ) from None
    return month


def _runner(request: Request) -> BatchRunner:
    settings = request.app.state.settings
    return BatchRunner(
        request.app.state.redis,
        prefix=settings.key_prefix,
        chunk=settings.batch_chunk,
        lock_ttl_ms=settings.batch_lock_ttl_ms,
    )


def _districts(request: Request) -> dict[str, str]:
    """laborer_id → district, from the roster (cached by the store on its version)."""
    roster: RosterStore = request.app.state.roster
    return {r.laborer.laborer_id: r.laborer.district for r in roster.load_all()}


def _mine(
    request: Request, caller: Principal, entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The entries about people the caller may see: none for the city, which reads figures."""
    if caller.role == "city":
        return []
    if caller.role not in ("district", "counselor"):
        return entries
    districts = _districts(request)
    return [
        e
        for e in entries
        if districts.get(e["laborer_id"]) == caller.district
        and (caller.role != "counselor" or e["township"] == caller.township)
    ]


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


def _run(request: Request, month: str, today: dt.date) -> None:
    settings = request.app.state.settings
    client = request.app.state.redis
    _runner(request).run(
        month,
        inputs=lambda: load_inputs(client, settings, today=month_day(month, today)),
        settings=PlanSettings.from_settings(settings, client),  # the weights in force now
    )


@router.post(
    "/batches/{month}",
    status_code=202,
    summary="启动某月的推送批次（立即返回 202 和状态地址）",
)
async def start_batch(
    request: Request, caller: BatchStarter, today: TodayDep, month: Month
) -> JSONResponse:
    """Start (or resume) the month's batch in the background; 202 with its status URL."""
    _month(month)
    tasks: dict[str, asyncio.Task[None]] = request.app.state.batch_tasks
    running = tasks.get(month)
    if running is None or running.done():
        tasks[month] = asyncio.create_task(asyncio.to_thread(_run, request, month, today))
        tasks[month].add_done_callback(_log_failure)
    url = str(request.url_for("batch_status", month=month).path)
    state = _runner(request).state(month) or "starting"
    return JSONResponse(
        {"month": month, "state": state, "status_url": url},
        status_code=202,
        headers={"Location": url},
    )


def _log_failure(task: asyncio.Task[None]) -> None:
    import logging

    if task.cancelled():
        return
    exc = task.exception()
    if isinstance(exc, BatchBusyError):
        logging.getLogger("renggang.batch").info(
            "batch not started here: another run holds the lock"
        )
    elif exc is not None:
        logging.getLogger("renggang.batch").error("batch failed: %s", type(exc).__name__)


@router.get("/batches/{month}", name="batch_status", summary="批次状态")
def batch_status(request: Request, caller: BatchReader, month: Month) -> dict[str, Any]:
    """The month's state and figures (a district sees its own people in the shortage)."""
    _month(month)
    status = _runner(request).status(month)
    status["shortage"] = _mine(request, caller, status["shortage"])
    task = request.app.state.batch_tasks.get(month)
    status["running"] = bool(task is not None and not task.done())
    if task is not None and task.done() and not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        status["error"] = (
            "另一个批次正在运行，请稍后查看"
            if isinstance(exc, BatchBusyError)
            else "批次运行失败，请重试"
        )
    return status


@router.get("/batches/{month}/shortage", summary="推送不足名单（按乡镇和原因）")
def shortage(request: Request, caller: BatchReader, month: Month) -> dict[str, Any]:
    """Who could not get their quota, and why; grouped by township and reason."""
    _month(month)
    everyone = _runner(request).shortage(month)
    entries = _mine(request, caller, everyone)
    groups: dict[tuple[str, str], int] = {}
    for e in everyone if caller.role == "city" else entries:
        groups[(e["township"], e["reason"])] = groups.get((e["township"], e["reason"]), 0) + 1
    return {
        "month": month,
        "people": entries,
        "by_township": [
            {"township": t, "reason": r, "people": n} for (t, r), n in sorted(groups.items())
        ],
    }


@router.get("/batches/{month}/follow-up", summary="本月一对一跟踪名单")
def follow_up(
    request: Request,
    caller: PersonReader,
    month: Month,
    township: Annotated[str | None, Query(description="乡镇（街道），区人社局可选")] = None,
) -> dict[str, Any]:
    """Key, special and difficulty persons to follow up this month, with their pushes."""
    _month(month)
    if caller.role == "counselor" and township and township != caller.township:
        raise forbidden("就业指导员只能查看本乡镇的跟踪名单。")
    entries = _mine(request, caller, _runner(request).follow_up(month))
    if township:
        entries = [e for e in entries if e["township"] == township]
    return {"month": month, "people": entries}


@router.get(
    "/batches/{month}/export",
    summary="推送清单导出（.csv 或 .xlsx，姓名已脱敏）",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}}},
)
def export(
    request: Request,
    caller: PersonReader,
    month: Month,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "xlsx",
    township: Annotated[str | None, Query(description="只导出某乡镇（街道）")] = None,
) -> Response:
    """The month's pushes of the caller's people; the read is audited."""
    _month(month)
    if caller.role == "counselor":
        if township and township != caller.township:
            raise forbidden("就业指导员只能导出本乡镇的推送清单。")
        township = caller.township
    districts = _districts(request)
    rows = [
        r
        for r in export_rows(_runner(request), month, township=township)
        if districts.get(str(r[2])) == caller.district
    ]
    audit.record(
        request.app.state.redis,
        caller,
        "export",
        detail=f"{month}:{township or caller.district}:{len(rows)}",
        prefix=request.app.state.settings.key_prefix,
    )
    if format == "csv":
        return Response(
            to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''pushes-{month}.csv"},
        )
    return _xlsx(to_xlsx(rows), f"pushes-{month}.xlsx")


@router.get(
    "/batches/{month}/stats",
    summary="本月推送统计（JSON 或 .xlsx）",
    response_model=None,
    responses={200: {"content": {XLSX: {}}}},
)
def month_stats(
    request: Request,
    caller: BatchReader,
    month: Month,
    format: Annotated[Literal["json", "xlsx"], Query()] = "json",
) -> dict[str, Any] | Response:
    """The month's statistics: pushes by tier and kind, the floor, shortage, congestion."""
    _month(month)
    stats = _runner(request).status(month).get("stats") or {}
    if caller.role == "district" and stats:
        names = {t.name for t in load_gazetteer().townships_of(caller.district or "")}
        stats = dict(stats)
        stats["shortage_by_township"] = _only_townships(stats.get("shortage_by_township"), names)
    if format == "json":
        return {"month": month, "stats": stats}
    rows = [[key, _cell(value)] for key, value in stats.items()]
    return _xlsx(rows_to_xlsx(["指标", "数值"], rows, sheet=f"{month}统计"), f"stats-{month}.xlsx")


def _only_townships(value: Any, names: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k in names}
    if isinstance(value, list):
        return [v for v in value if not isinstance(v, dict) or v.get("township") in names]
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


__all__ = ["BatchError", "router"]
