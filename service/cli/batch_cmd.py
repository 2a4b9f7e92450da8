"""``renggang batch run|status|export``: the monthly push batch from the command line.

``RENGGANG_BATCH_PAUSE_AFTER=N`` makes ``batch run`` stop for good after committing N chunks
(the crash tests kill the process there, then run it again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from features.laborer import TIER_NAMES
from matcher.plan import parse_month
from service.batch import (
    WEIGHT_SOURCES,
    BatchBusyError,
    BatchError,
    BatchRunner,
    PlanSettings,
    load_inputs,
    month_day,
)
from service.batch_export import write_export
from service.cli.base import CliError, Context, add_json_flag, print_json
from service.settings import Settings

STATE_NAMES = {"none": "未运行", "planned": "已生成计划", "committing": "提交中", "done": "已完成"}


def _month(value: str) -> str:
    try:
        parse_month(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"月份应写作 YYYY-MM（例如 2026-11），而不是 {value!r}"
        ) from None
    return value


def runner_for(ctx_redis: Any, settings: Settings) -> BatchRunner:
    """The batch runner of these settings."""
    return BatchRunner(
        ctx_redis,
        prefix=settings.key_prefix,
        chunk=settings.batch_chunk,
        lock_ttl_ms=settings.batch_lock_ttl_ms,
    )


def run_month(
    client: Any, settings: Settings, month: str, *, pause_after: int | None = None
) -> dict[str, Any]:
    """Run the batch of ``month`` with the stored roster and catalogue and the weights in force
    (settings, else adopted, else hand: ``service.learned_weights.current_weights``); returns its
    status."""
    today = dt.datetime.now(ZoneInfo(settings.batch_timezone)).date()
    day = month_day(month, today)
    runner = runner_for(client, settings)
    return runner.run(
        month,
        inputs=lambda: load_inputs(client, settings, today=day),
        settings=PlanSettings.from_settings(settings, client),
        pause_after=pause_after,
    )


def print_month_stats(stats: dict[str, Any]) -> None:
    """The month's batch figures, in Chinese, for a terminal."""
    tiers = "，".join(f"{TIER_NAMES.get(t, t)} {n}" for t, n in stats["pushes_by_tier"].items())
    kinds = "，".join(f"{k} {n}" for k, n in stats["pushes_by_kind"].items())
    print(f"推送 {stats['pushes']} 条（按帮扶级别：{tiers or '无'}；按岗位类型：{kinds or '无'}）")
    print(
        f"就业困难人员 {stats['difficulty_people']} 人，获得两条以上推送 "
        f"{stats['difficulty_with_two']} 人（{stats['difficulty_share_two']:.1%}；"
        f"不在岗位不足名单上的 {stats['difficulty_share_two_not_short']:.1%}）；"
        f"为保底超出上限的推送 {stats['overflows']} 条"
    )
    source = stats.get("weights_source")  # months planned before it was recorded have none
    if source:
        print(f"排序所用权重：{WEIGHT_SOURCES.get(source, source)}")
    cong = stats["congestion"]
    print(
        f"每个空缺的推送数：最多 {cong['per_place_max']}，90分位 {cong['per_place_p90']}；"
        f"基尼系数 {cong['gini']}，曝光归一化熵 {cong['entropy']}"
    )
    if stats["shortage_people"]:
        print(f"岗位不足名单 {stats['shortage_people']} 人：")
        for township, reasons in stats["shortage_by_township"].items():
            print("  " + township + "：" + "，".join(f"{r} {n} 人" for r, n in reasons.items()))


def _print_status(status: dict[str, Any]) -> None:
    print(f"{status['month']} 批次：{STATE_NAMES.get(status['state'], status['state'])}")
    print(
        f"需推送人数 {status['people']}，计划推送 {status['pushes']} 条，"
        f"已提交 {status['committed_pushes']} 条"
    )
    if status.get("stats"):
        print_month_stats(status["stats"])


def _run(ctx: Context, args: argparse.Namespace) -> int:
    pause = os.environ.get("RENGGANG_BATCH_PAUSE_AFTER")
    try:
        status = run_month(
            ctx.redis, ctx.settings, args.month, pause_after=int(pause) if pause else None
        )
    except BatchBusyError as exc:
        raise CliError(str(exc), status=1) from None
    except BatchError as exc:
        raise CliError(str(exc), status=1) from None
    if args.json:
        print_json(status)
    else:
        _print_status(status)
    return 0


def _status(ctx: Context, args: argparse.Namespace) -> int:
    status = runner_for(ctx.redis, ctx.settings).status(args.month)
    if args.json:
        print_json(status)
    else:
        _print_status(status)
    return 0


def _export(ctx: Context, args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"导出文件名应以 .csv 或 .xlsx 结尾：{out.name}", status=2)
    runner = runner_for(ctx.redis, ctx.settings)
    if runner.state(args.month) is None:
        raise CliError(
            f"{args.month} 尚未运行推送批次：请先运行 renggang batch run --month {args.month}"
        )
    rows = write_export(runner, args.month, out, township=args.township)
    if args.json:
        print_json({"month": args.month, "rows": rows, "out": str(out)})
    else:
        print(f"已导出 {rows} 条推送到 {out}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``batch run``, ``batch status`` and ``batch export``."""
    group = subparsers.add_parser("batch", help="每月岗位推送批次")
    sub = group.add_subparsers(dest="batch_command", metavar="ACTION", required=True)

    run = sub.add_parser("run", help="运行（或续跑）某月的推送批次")
    run.add_argument("--month", required=True, type=_month, help="月份 YYYY-MM")
    add_json_flag(run)
    run.set_defaults(run=_run)

    status = sub.add_parser("status", help="查看某月批次的状态、统计与岗位不足名单")
    status.add_argument("--month", required=True, type=_month, help="月份 YYYY-MM")
    add_json_flag(status)
    status.set_defaults(run=_status)

    export = sub.add_parser("export", help="导出某月推送清单（.xlsx 或 .csv）")
    export.add_argument("--month", required=True, type=_month, help="月份 YYYY-MM")
    export.add_argument("--township", help="只导出这个乡镇(街道)")
    export.add_argument("--out", required=True, help="输出文件 FILE.xlsx 或 FILE.csv")
    add_json_flag(export)
    export.set_defaults(run=_export)
