"""``renggang agreements …``, ``renggang posts …`` and ``renggang employers …``: the catalogue."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from catalogue.agreements import agreement_as_dict, parse_agreements
from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import credit_code_problem, normalize_credit_code
from catalogue.errors import AgreementError, CatalogueError
from catalogue.models import POST_KINDS, POST_STATE_NAMES, make_post_id
from features.errors import TableError, UnknownPlaceError
from features.gazetteer import load_gazetteer
from service.catalogue_store import CatalogueStore, post_json
from service.cli.base import CliError, Context, add_json_flag, print_json
from service.xlsx import template_xlsx


def _store(ctx: Context) -> CatalogueStore:
    return CatalogueStore(ctx.redis, prefix=ctx.settings.key_prefix)


def _today(args: argparse.Namespace) -> dt.date:
    text = getattr(args, "today", None)
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--today 应为日期，如 2026-11-01，实际为“{text}”", status=2) from None


def _area(name: str) -> str:
    try:
        return load_gazetteer().area(name).name
    except UnknownPlaceError as exc:
        raise CliError(f"{exc}：请写区名（如 朝阳区）或 北京经济技术开发区", status=2) from None


def _read(path: str, limit: int) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CliError(f"找不到文件“{path}”：请检查路径", status=2)
    if file.stat().st_size > limit:
        raise CliError(f"文件“{path}”超过 {limit // (1024 * 1024)} MB：请拆分后分批上传", status=1)
    return file.read_bytes()


# -- agreements -------------------------------------------------------------------------


def _agreements_add(ctx: Context, args: argparse.Namespace) -> int:
    inline = args.file.lstrip().startswith(("{", "["))
    try:
        if inline:
            data = json.loads(args.file)
        else:
            data = json.loads(_read(args.file, ctx.settings.upload_max_bytes).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        what = "所给 JSON" if inline else f"“{args.file}”"
        raise CliError(f"{what}不是有效的 UTF-8 JSON：{exc}", status=1) from None
    try:
        agreements = parse_agreements(data, gazetteer=load_gazetteer())
    except AgreementError as exc:
        if args.json:
            print_json({"added": 0, "replaced": 0, "errors": exc.problems})
            return 1
        raise CliError("协议未备案：\n" + "\n".join(f"- {p}" for p in exc.problems)) from None
    added, replaced = _store(ctx).add_agreements(agreements)
    if args.json:
        print_json(
            {
                "added": added,
                "replaced": replaced,
                "errors": [],
                "agreements": [agreement_as_dict(a) for a in agreements],
            }
        )
    else:
        print(f"已备案协议：新增 {added} 份，更新 {replaced} 份")
    return 0


def _agreements_list(ctx: Context, args: argparse.Namespace) -> int:
    agreements = _store(ctx).agreements()
    if args.json:
        print_json({"agreements": [agreement_as_dict(a) for a in agreements]})
        return 0
    if not agreements:
        print("尚无对接协议：用 renggang agreements add FILE.json 备案")
    for a in agreements:
        print(
            f"{a.agreement_id}\t{a.year}\t{a.output_district} ⇄ {'、'.join(a.partners)}\t"
            f"{a.status}\t用人单位 {len(a.employers)} 家\t计划 {a.plan_hires} 人"
        )
    return 0


# -- posts ------------------------------------------------------------------------------


def _posts_upload(ctx: Context, args: argparse.Namespace) -> int:
    uploader = _area(args.uploader)
    data = _read(args.file, ctx.settings.upload_max_bytes)
    try:
        report = _store(ctx).upload_file(
            data,
            Path(args.file).name,
            uploader=uploader,
            today=_today(args),
            gazetteer=load_gazetteer(),
            dry_run=args.dry_run,
            keep_valid=args.keep_valid,
        )
    except TableError as exc:
        if args.json:
            print_json(
                {
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "rejected": 0,
                    "written": False,
                    "errors": [{"row": 1, "column": "", "value": "", "message": str(exc)}],
                    "refused": True,
                    "dry_run": args.dry_run,
                }
            )
            return 1
        raise CliError(str(exc)) from None
    if args.json:
        print_json(report.as_dict())
    else:
        head = "试运行（未写入）：" if args.dry_run else ""
        print(
            f"{head}新增 {report.created}，更新 {report.updated}，"
            f"未变 {report.unchanged}，有错误的行 {report.rejected}"
        )
        for e in report.errors:
            print(f"第{e.row}行 [{e.column}]「{e.value}」：{e.message}")
        if report.refused:
            print("文件有错误，未写入任何岗位：请改正后重新上传，或加 --keep-valid 只写入正确的行")
    return 1 if report.refused else 0


def _posts_list(ctx: Context, args: argparse.Namespace) -> int:
    district = _area(args.district) if args.district else None
    posts = _store(ctx).posts(kind=args.kind, district=district)
    today = _today(args)
    if args.json:
        print_json({"posts": [post_json(p, today) for p in posts]})
        return 0
    if not posts:
        print("没有符合条件的岗位")
    for p in posts:
        row = post_json(p, today)
        print(
            f"{p.post_id}\t{p.uploader}/{p.external_id}\t{p.kind}\t{p.title}\t{p.employer}\t"
            f"{p.district}{p.township}\t余{p.places_left}/{p.headcount}\t"
            f"{POST_STATE_NAMES[row['status']]}"
        )
    return 0


def _post_id(store: CatalogueStore, ident: str, uploader: str | None) -> str:
    if store.get(ident) is not None or uploader is None:
        return ident
    return make_post_id(_area(uploader), ident)


def _posts_close(ctx: Context, args: argparse.Namespace) -> int:
    store = _store(ctx)
    post_id = _post_id(store, args.post_id, args.uploader)
    try:
        post = store.close(post_id, actor=args.uploader or "cli", day=_today(args))
    except CatalogueError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print_json(post_json(post, _today(args)))
    else:
        print(f"已关闭岗位 {post.post_id}（{post.uploader}/{post.external_id} {post.title}）")
    return 0


def _posts_expire(ctx: Context, args: argparse.Namespace) -> int:
    expired = _store(ctx).expire_due(_today(args))
    if args.json:
        print_json({"expired": expired})
    else:
        print(f"已将 {len(expired)} 个超过截止日期的岗位标为已过期")
    return 0


def _posts_template(ctx: Context, args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.write_bytes(template_xlsx(POST_COLUMNS, sheet="岗位信息表"))
    print(f"已生成岗位信息表模板：{out}")
    return 0


# -- employers --------------------------------------------------------------------------


def _employer_key(text: str) -> str:
    code = normalize_credit_code(text)
    if len(code) == 18 and code.isalnum() and text.isascii():
        problem = credit_code_problem(code)
        if problem:
            raise CliError(f"“{text}”：{problem}", status=2)
        return code
    return text.strip()  # an employer whose posts carry no code is named by its name


def _employers(ctx: Context, args: argparse.Namespace) -> int:
    key = _employer_key(args.employer)
    store = _store(ctx)
    actor = args.actor or "区人社局"
    try:
        if args.action == "boost":
            control = store.set_employer_control(
                key, boost=args.factor, reason=args.reason, actor=actor
            )
        elif args.action == "suspend":
            control = store.set_employer_control(
                key, suspended=True, reason=args.reason, actor=actor
            )
        else:
            store.clear_employer_control(key, reason=args.reason, actor=actor)
            control = None
    except ValueError as exc:
        raise CliError(
            f"参数无效：{exc}（加权系数应在 0.1–3 之间，原因不能为空）", status=2
        ) from None
    if args.json:
        state: dict[str, Any] = {"employer": key, "boost": 1.0, "suspended": False}
        if control is not None:
            state |= {"boost": control.boost, "suspended": control.suspended}
        print_json(state | {"reason": args.reason})
    elif control is None:
        print(f"已恢复用人单位 {key} 的岗位推荐（取消加权和暂停）")
    elif control.suspended:
        print(f"已暂停用人单位 {key} 的岗位推荐：{control.reason}")
    else:
        print(f"已对用人单位 {key} 的岗位加权 ×{control.boost}：{control.reason}")
    return 0


def _employers_list(ctx: Context, args: argparse.Namespace) -> int:
    controls = _store(ctx).employer_controls()
    if args.json:
        print_json(
            {
                "employers": [
                    {"employer": k, "boost": c.boost, "suspended": c.suspended, "reason": c.reason}
                    for k, c in sorted(controls.items())
                ]
            }
        )
        return 0
    for k, c in sorted(controls.items()):
        print(f"{k}\t{'暂停' if c.suspended else '正常'}\t×{c.boost}\t{c.reason}")
    return 0


def register(sub: Any) -> None:
    """Add ``agreements``, ``posts`` and ``employers``."""
    group = sub.add_parser("agreements", help="人岗对接协作协议")
    cmds = group.add_subparsers(dest="agreements_command", metavar="ACTION", required=True)
    add = cmds.add_parser("add", help="备案协议（JSON 文件或直接给出 JSON：一个对象或列表）")
    add.add_argument("file", metavar="FILE.json|JSON")
    add_json_flag(add)
    add.set_defaults(run=_agreements_add)
    lst = cmds.add_parser("list", help="列出已备案的协议")
    add_json_flag(lst)
    lst.set_defaults(run=_agreements_list)

    group = sub.add_parser("posts", help="岗位信息：上传、列出、关闭")
    cmds = group.add_subparsers(dest="posts_command", metavar="ACTION", required=True)
    up = cmds.add_parser("upload", help="上传岗位信息表（.xlsx 或 .csv）")
    up.add_argument("file", metavar="FILE")
    up.add_argument("--as", dest="uploader", required=True, help="上传方，如 朝阳区、通州区")
    up.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    up.add_argument("--keep-valid", action="store_true", help="有错误时仍写入正确的行")
    up.add_argument("--today", help=argparse.SUPPRESS)
    add_json_flag(up)
    up.set_defaults(run=_posts_upload)
    ls = cmds.add_parser("list", help="列出岗位")
    ls.add_argument("--kind", choices=POST_KINDS, help="岗位类型")
    ls.add_argument("--district", help="工作区")
    ls.add_argument("--today", help=argparse.SUPPRESS)
    add_json_flag(ls)
    ls.set_defaults(run=_posts_list)
    close = cmds.add_parser("close", help="关闭岗位")
    close.add_argument("post_id", metavar="ID", help="岗位 ID（或配合 --as 的岗位编号）")
    close.add_argument("--as", dest="uploader", help="上传方（按岗位编号关闭时）")
    close.add_argument("--today", help=argparse.SUPPRESS)
    add_json_flag(close)
    close.set_defaults(run=_posts_close)
    exp = cmds.add_parser("expire", help="将超过截止日期的岗位标为已过期")
    exp.add_argument("--today", help=argparse.SUPPRESS)
    add_json_flag(exp)
    exp.set_defaults(run=_posts_expire)
    tpl = cmds.add_parser("template", help="生成空白岗位信息表模板（.xlsx）")
    tpl.add_argument("--out", required=True, metavar="FILE.xlsx")
    tpl.set_defaults(run=_posts_template)

    group = sub.add_parser("employers", help="用人单位：加权、暂停、恢复")
    cmds = group.add_subparsers(dest="employers_command", metavar="ACTION", required=True)
    for action, text in (("boost", "加权推荐"), ("suspend", "暂停推荐"), ("restore", "恢复")):
        p = cmds.add_parser(action, help=f"{text}某用人单位的岗位")
        p.add_argument("employer", metavar="CODE", help="统一社会信用代码（无代码时为单位名称）")
        p.add_argument("--reason", required=True, help="原因（记录在案）")
        p.add_argument("--as", dest="actor", help="操作方，如 通州区")
        if action == "boost":
            p.add_argument("--factor", type=float, default=1.5, help="加权系数（默认 1.5）")
        add_json_flag(p)
        p.set_defaults(run=_employers, action=action)
    el = cmds.add_parser("list", help="列出加权或暂停的用人单位")
    add_json_flag(el)
    el.set_defaults(run=_employers_list)
