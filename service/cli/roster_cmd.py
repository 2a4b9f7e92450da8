"""``renggang roster …`` and ``renggang stats``: import, look up and act on the roster.

A person is named by laborer_id or ID number; the ID number is never printed except masked.
Exit status: 0 written / done, 1 refused (file errors, unknown person, a rule said no), 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path
from typing import Any

from features.eligibility import AgeLimits
from features.gazetteer import load_gazetteer
from features.laborer import TIER_NAMES, TIERS
from features.roster import ROSTER_COLUMNS
from features.stats import STATS_COLUMNS, roster_stats, stats_table
from features.tiers import TierRules, load_tier_rules
from features.verification import REGISTERED_KINDS
from service.cli.base import CliError, Context, add_json_flag, print_json
from service.roster_store import (
    STATUS_CHANGES,
    LaborerRecord,
    RosterError,
    RosterStore,
    import_roster_file,
    profile_json,
)
from service.xlsx import rows_to_xlsx, template_xlsx

log = logging.getLogger("renggang.roster")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期“{text}”无效：应为 YYYY-MM-DD，如 2026-11-01"
        ) from None


def limits_of(ctx: Context) -> AgeLimits:
    """The age limits of the settings."""
    s = ctx.settings
    return AgeLimits(s.min_age, s.max_age_men, s.max_age_women)


def rules_of(ctx: Context) -> TierRules:
    """The tier rules of the settings (the shipped table unless ``tier_rules`` names a file)."""
    try:
        return load_tier_rules(ctx.settings.tier_rules)
    except (OSError, ValueError) as exc:
        raise CliError(f"帮扶级别规则文件无法读取：{exc}", 2) from exc


def store_of(ctx: Context) -> RosterStore:
    """The roster store on the context's Redis."""
    return RosterStore(
        ctx.redis, prefix=ctx.settings.key_prefix, secret=ctx.settings.resolved_secret()
    )


def _person(store: RosterStore, person: str) -> LaborerRecord:
    record = store.get(store.resolve(person))
    if record is None:
        raise CliError("名册中没有此人：请核对人员编号（laborer_id）或公民身份号码", 1)
    return record


def _add_person_action(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    p.add_argument("person", metavar="LABORER_ID|ID_NUMBER", help="人员编号或公民身份号码")
    p.add_argument("--date", type=_date, default=None, help="日期（默认今天）")
    p.add_argument("--actor", default="cli", help="经办人")
    add_json_flag(p)
    return p


def register(subparsers: Any) -> None:
    """Add ``roster`` and ``stats`` to the ``renggang`` parser."""
    roster = subparsers.add_parser("roster", help="低收入农户劳动者名册（核实记录表）")
    sub = roster.add_subparsers(dest="roster_command", metavar="ACTION")

    p = sub.add_parser("import", help="导入名册文件（.xlsx 或 .csv）")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--as-of", type=_date, default=None, help="核实日期，年龄按此计算（默认今天）")
    p.add_argument("--keep-valid", action="store_true", help="有错误时仍导入无误的行")
    p.add_argument("--actor", default="cli", help="经办人")
    add_json_flag(p)
    p.set_defaults(run=run_import)

    p = sub.add_parser("show", help="查看一个人")
    p.add_argument("person", metavar="LABORER_ID|ID_NUMBER")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--history", action="store_true", help="同时列出历史记录")
    add_json_flag(p)
    p.set_defaults(run=run_show)

    p = sub.add_parser("template", help="生成空白名册模板（.xlsx）")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    p.set_defaults(run=run_template)

    p = _add_person_action(sub, "register", "登记：转移就业登记或失业登记")
    p.add_argument("--kind", required=True, choices=REGISTERED_KINDS)
    p.add_argument("--certificate", default="", help="登记证编号")
    p.set_defaults(run=run_register)

    p = _add_person_action(sub, "difficulty", "认定或撤销就业困难人员")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--confirm", action="store_true")
    group.add_argument("--revoke", action="store_true")
    p.add_argument("--reason", required=True)
    p.set_defaults(run=run_difficulty)

    p = _add_person_action(sub, "confirmation", "记录已收回“暂无就业意愿”签字确认")
    p.set_defaults(run=run_confirmation)

    p = _add_person_action(sub, "status", "记录状态变化：就业、务农、无业、迁出、丧失劳动能力")
    p.add_argument("--status", required=True, choices=tuple(STATUS_CHANGES))
    p.add_argument("--reason", default="")
    p.set_defaults(run=run_status)

    p = _add_person_action(sub, "tier", "调整帮扶级别（须填写原因）")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--tier", choices=TIERS)
    group.add_argument("--clear", action="store_true", help="取消调整，恢复按规则计算的级别")
    p.add_argument("--reason", default="")
    p.set_defaults(run=run_tier)

    p = subparsers.add_parser("stats", help="统计表（附件2）：按区、乡镇统计")
    p.add_argument("--xlsx", type=Path, default=None, metavar="OUT.xlsx")
    p.add_argument("--district", default=None, help="只统计一个区")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--month", default=None, metavar="YYYY-MM", help="同时给出该月推送批次的统计")
    add_json_flag(p)
    p.set_defaults(run=run_stats)


def run_import(ctx: Context, args: argparse.Namespace) -> int:
    """Import a roster file: all-or-nothing unless --keep-valid."""
    try:
        data = args.file.read_bytes()
    except OSError:
        raise CliError(f"无法读取文件“{args.file}”：请检查路径", 2) from None
    as_of = args.as_of or dt.date.today()
    outcome = import_roster_file(
        store_of(ctx),
        data,
        args.file.name,
        as_of=as_of,
        limits=limits_of(ctx),
        rules=rules_of(ctx),
        gazetteer=load_gazetteer(),
        keep_valid=args.keep_valid,
        actor=args.actor,
    )
    s = outcome.summary
    log.info(
        "roster import %s: written=%s created=%d updated=%d unchanged=%d rejected=%d errors=%d",
        args.file.name,
        outcome.written,
        s.created,
        s.updated,
        s.unchanged,
        s.rejected,
        len(outcome.errors),
    )
    if args.json:
        print_json(outcome.as_json())
    else:
        for e in outcome.errors:
            where = f"第{e.row}行" + (f"“{e.column}”列" if e.column else "")
            value = f"（{e.value}）" if e.value else ""
            print(f"{where}{value}：{e.message}")
        if outcome.written:
            print(
                f"已导入（核实日期 {as_of}）：新增 {s.created} 人，更新 {s.updated} 人，"
                f"未变 {s.unchanged} 人，拒收 {s.rejected} 行"
            )
            for reason, n in sorted(outcome.flagged.items()):
                print(f"  不推送岗位：{reason} {n} 人")
        else:
            print(
                f"未导入：文件有 {len(outcome.errors)} 处错误，请改正后重新导入（或用 --keep-valid 只导入无误的行）"
            )
    return 0 if outcome.written else 1


def run_show(ctx: Context, args: argparse.Namespace) -> int:
    """One person's profile (ID number and phone masked)."""
    store = store_of(ctx)
    record = _person(store, args.person)
    day = args.as_of or dt.date.today()
    profile = profile_json(record, day, limits_of(ctx))
    if args.history or args.json:
        profile["history"] = store.history(record.laborer.laborer_id)
    if args.json:
        print_json(profile)
        return 0
    labels = {
        "laborer_id": "人员编号",
        "name": "姓名",
        "id_number": "公民身份号码",
        "phone": "联系电话",
        "district": "区",
        "township": "乡镇(街道)",
        "village": "村(社区)",
        "sex": "性别",
        "age": "年龄",
        "excluded": "不纳入原因",
        "employment": "就业状况",
        "registration": "登记情况",
        "status": "核实状态",
        "status_note": "说明",
        "difficulty": "就业困难人员",
    }
    for key, label in labels.items():
        value = profile[key]
        if isinstance(value, bool):
            value = "是" if value else "否"
        print(f"{label}：{'' if value is None else value}")
    tier = profile["tier"]
    override = "（人工调整）" if profile["tier_override"] else ""
    print(f"帮扶级别：{TIER_NAMES[tier]}{override}；依据：{'；'.join(profile['tier_reasons'])}")
    if args.history:
        for entry in profile["history"]:
            print(f"  {entry.get('day')} {entry.get('action')} → {entry.get('status')}")
    return 0


def run_template(ctx: Context, args: argparse.Namespace) -> int:
    """Write the empty roster template."""
    args.out.write_bytes(template_xlsx(ROSTER_COLUMNS))
    print(f"已生成名册模板：{args.out}")
    return 0


def _done(ctx: Context, args: argparse.Namespace, record: LaborerRecord, what: str) -> int:
    if args.json:
        print_json(profile_json(record, args.date or dt.date.today(), limits_of(ctx)))
    else:
        print(
            f"已记录{what}：{record.laborer.laborer_id} 当前状态 {record.status}，帮扶级别 {TIER_NAMES[record.tier]}"
        )
    return 0


def _action(ctx: Context, args: argparse.Namespace, call: Any, what: str, **kw: Any) -> int:
    store = store_of(ctx)
    record = _person(store, args.person)
    try:
        updated = call(
            store,
            record.laborer.laborer_id,
            day=args.date or dt.date.today(),
            actor=args.actor,
            limits=limits_of(ctx),
            rules=rules_of(ctx),
            **kw,
        )
    except RosterError as exc:
        raise CliError(str(exc), 1) from exc
    log.info("roster action %s on %s", what, record.laborer.laborer_id)
    return _done(ctx, args, updated, what)


def run_register(ctx: Context, args: argparse.Namespace) -> int:
    """Record a registration."""
    return _action(
        ctx,
        args,
        RosterStore.record_registration,
        args.kind,
        kind=args.kind,
        certificate=args.certificate,
    )


def run_difficulty(ctx: Context, args: argparse.Namespace) -> int:
    """Confirm or revoke the difficulty status."""
    what = "认定就业困难人员" if args.confirm else "撤销就业困难人员"
    return _action(
        ctx,
        args,
        RosterStore.set_difficulty,
        what,
        confirmed=bool(args.confirm),
        reason=args.reason,
    )


def run_confirmation(ctx: Context, args: argparse.Namespace) -> int:
    """Record the signed confirmation collected."""
    return _action(ctx, args, RosterStore.record_confirmation_collected, "签字确认已收回")


def run_status(ctx: Context, args: argparse.Namespace) -> int:
    """Record a status change."""
    return _action(
        ctx,
        args,
        RosterStore.record_status_change,
        f"状态变化（{args.status}）",
        status=args.status,
        reason=args.reason,
    )


def run_tier(ctx: Context, args: argparse.Namespace) -> int:
    """Override (or clear the override of) a tier."""
    tier = None if args.clear else args.tier
    return _action(
        ctx, args, RosterStore.override_tier, "帮扶级别调整", tier=tier, reason=args.reason
    )


def run_stats(ctx: Context, args: argparse.Namespace) -> int:
    """Print (and optionally write as .xlsx) the attachment-2 statistics."""
    records = store_of(ctx).load_all()
    if args.district:
        try:
            district = load_gazetteer().district(args.district).name
        except LookupError as exc:
            raise CliError(str(exc), 2) from exc
        records = [r for r in records if r.laborer.district == district]
    day = args.as_of or dt.date.today()
    rows = roster_stats(records, day, limits_of(ctx))
    headers, body = stats_table(rows)
    batch = _batch_stats(ctx, args.month) if getattr(args, "month", None) else None
    if args.xlsx is not None:
        args.xlsx.write_bytes(rows_to_xlsx(headers, body, sheet="统计表"))
    if args.json:
        print_json(
            {
                **({"batch": batch} if batch is not None else {}),
                "as_of": day.isoformat(),
                "rows": [
                    {
                        "district": r.district,
                        "township": r.township,
                        "township_code": r.township_code,
                        **{k: r.counts.get(k, 0) for k, _ in STATS_COLUMNS},
                    }
                    for r in rows
                ],
            }
        )
        return 0
    print("\t".join(headers))
    for line in body:
        print("\t".join(str(v) for v in line))
    if batch is not None:
        from service.cli.batch_cmd import print_month_stats

        print_month_stats(batch)
    if args.xlsx is not None:
        print(f"已写入：{args.xlsx}")
    return 0


def _batch_stats(ctx: Context, month: str) -> dict[str, Any]:
    """The month's batch figures (``renggang stats --month``); refuses a month never run."""
    from matcher.plan import parse_month
    from service.cli.batch_cmd import runner_for

    try:
        parse_month(month)
    except ValueError:
        raise CliError(f"月份应写作 YYYY-MM（例如 2026-11），而不是 {month!r}", 2) from None
    status = runner_for(ctx.redis, ctx.settings).status(month)
    if status["stats"] is None:
        raise CliError(f"{month} 尚未运行推送批次：请先运行 renggang batch run --month {month}")
    return {"month": month, "state": status["state"], **status["stats"]}
