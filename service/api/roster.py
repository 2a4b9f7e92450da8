"""The district's roster import: a ``.xlsx`` or ``.csv`` verification record, with a dry run.

A district imports only the people of its own district: a row of another district is an error
naming the row. Every row error comes back at once; nothing is written when there is one,
unless ``keep_valid`` asks to write the valid rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from features.gazetteer import load_gazetteer
from features.laborer import FIELD_AT
from features.roster import parse_roster
from features.stats import STATS_COLUMNS, roster_stats, stats_table
from features.tabular import RowError, read_table
from features.verification import StatusAssessor
from service.api.uploads import read_upload
from service.deps import DistrictCaller, StatsReader, TodayDep
from service.keys import Principal
from service.problems import Problem, forbidden
from service.roster_store import RosterStore, flagged_of
from service.xlsx import rows_to_xlsx

router = APIRouter(tags=["roster"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import(
    request: Request,
    caller: Principal,
    data: bytes,
    name: str,
    *,
    as_of: dt.date,
    dry_run: bool,
    keep_valid: bool,
) -> dict[str, Any]:
    state = request.app.state
    store: RosterStore = state.roster
    table = read_table(data, name)
    parsed = parse_roster(
        table, secret=store.secret, as_of=as_of, limits=state.limits, gazetteer=load_gazetteer()
    )
    errors = list(parsed.errors)
    laborers = []
    district_at = FIELD_AT["district"]
    for row, values in zip(parsed.rows, parsed.values, strict=True):
        district = str(values[district_at])
        if district != caller.district:
            errors.append(RowError(row, "区", district, f"只能导入本区（{caller.district}）的人员"))
        else:
            laborers.append(values)
    errors.sort(key=lambda e: e.row)
    rejected = len({e.row for e in errors if e.row > 1})
    if errors and (not keep_valid or not laborers):
        raise Problem(
            422,
            "花名册未导入：文件有错误",
            f"共 {rejected} 行有错误，全部人员均未写入。请按 errors 中的行号和列修改后重新导入，"
            "或加 keep_valid=true 只导入正确的行。",
            errors=[e.as_dict() for e in errors],
            rejected=rejected,
        )
    assessed = StatusAssessor(as_of, state.limits).rows(laborers)
    if dry_run:
        known = store.redis.hmget(store.people_key, [str(values[0]) for values in laborers])
        existing = sum(1 for k in known if k is not None)
        return {
            "dry_run": True,
            "written": False,
            "valid": len(laborers),
            "new": len(laborers) - existing,
            "existing": existing,
            "rejected": rejected,
            "flagged": flagged_of(assessed),
            "errors": [e.as_dict() for e in errors],
        }
    summary = store.import_rows(
        laborers,
        day=as_of,
        limits=state.limits,
        rules=state.tier_rules,
        actor=caller.key_id,
        source=name,
        assessed=assessed,
    )
    return {
        "dry_run": False,
        "written": True,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": rejected,
        "flagged": flagged_of(assessed),
        "errors": [e.as_dict() for e in errors],
    }


@router.post("/roster/import", summary="导入花名册（核实记录表，.xlsx/.csv，可试运行）")
async def import_roster(
    request: Request,
    caller: DistrictCaller,
    today: TodayDep,
    file: Annotated[UploadFile, File(description="核实记录表 .xlsx 或 .csv")],
    dry_run: Annotated[bool, Query(description="只检查不写入")] = False,
    keep_valid: Annotated[bool, Query(description="有错误时仍导入正确的行")] = False,
    as_of: Annotated[dt.date | None, Query(description="计算年龄的日期，默认今天")] = None,
) -> dict[str, Any]:
    """Import the district's roster file."""
    data, name = await read_upload(file, request.app.state.settings.upload_max_bytes)
    return await run_in_threadpool(
        _import,
        request,
        caller,
        data,
        name,
        as_of=as_of or today,
        dry_run=dry_run,
        keep_valid=keep_valid,
    )


@router.get(
    "/stats",
    summary="统计表（附件2）：按区、乡镇统计，JSON 或 .xlsx",
    response_model=None,
    responses={200: {"content": {XLSX: {}}}},
)
def roster_statistics(
    request: Request,
    caller: StatsReader,
    today: TodayDep,
    district: Annotated[str | None, Query(description="区（市人社局可选）")] = None,
    format: Annotated[Literal["json", "xlsx"], Query()] = "json",
) -> dict[str, Any] | Response:
    """The attachment-2 statistics: the city's for every district, a district's for its own."""
    if caller.role == "district":
        if district and load_gazetteer().district(district).name != caller.district:
            raise forbidden(f"区人社局只能查看本区（{caller.district}）的统计。")
        district = caller.district
    elif district:
        district = load_gazetteer().district(district).name
    records = request.app.state.roster.load_all()
    if district:
        records = [r for r in records if r.laborer.district == district]
    rows = roster_stats(records, today, request.app.state.limits)
    if format == "xlsx":
        headers, body = stats_table(rows)
        data = rows_to_xlsx(headers, body, sheet="统计表")
        return Response(
            data,
            media_type=XLSX,
            headers={"Content-Disposition": "attachment; filename*=UTF-8''stats.xlsx"},
        )
    keys = [k for k, _ in STATS_COLUMNS]
    return {
        "as_of": today.isoformat(),
        "columns": dict(STATS_COLUMNS),
        "rows": [
            {
                "district": r.district,
                "township": r.township,
                "township_code": r.township_code,
                **{k: r.counts.get(k, 0) for k in keys},
            }
            for r in rows
        ],
    }
