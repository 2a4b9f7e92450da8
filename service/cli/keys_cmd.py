"""``renggang keys create|revoke|list``: API keys of the HTTP service."""

from __future__ import annotations

import argparse
from typing import Any

from features.errors import UnknownPlaceError
from service import keys
from service.cli.base import CliError, Context, add_json_flag, print_json


def _create(ctx: Context, args: argparse.Namespace) -> int:
    try:
        token = keys.create_key(
            ctx.redis,
            args.role,
            district=args.district,
            township=args.township,
            partner=args.partner,
            prefix=ctx.settings.key_prefix,
            note=args.note or "",
        )
    except (keys.KeyScopeError, UnknownPlaceError) as exc:
        raise CliError(str(exc), status=2) from None
    if args.json:
        print_json({"key": token, "key_id": token.split("_")[1], "role": args.role})
    else:
        print(token)
        print(
            f"（密钥编号 {token.split('_')[1]}，角色 {keys.ROLE_NAMES[args.role]}；"
            "密钥只显示这一次，请妥善保存）"
        )
    return 0


def _revoke(ctx: Context, args: argparse.Namespace) -> int:
    done = keys.revoke(ctx.redis, args.key_id, prefix=ctx.settings.key_prefix)
    if args.json:
        print_json({"key_id": args.key_id, "revoked": done})
    elif done:
        print(f"已吊销密钥 {args.key_id}")
    if not done:
        if not args.json:
            raise CliError(f"没有编号为 {args.key_id} 的密钥：请用 renggang keys list 查看")
        return 1
    return 0


def _list(ctx: Context, args: argparse.Namespace) -> int:
    rows = keys.list_keys(ctx.redis, prefix=ctx.settings.key_prefix)
    if args.json:
        print_json({"keys": rows})
        return 0
    if not rows:
        print("尚无密钥：用 renggang keys create --role … 生成")
    for r in rows:
        scope = "·".join(x for x in (r.get("district"), r.get("township"), r.get("partner")) if x)
        print(f"{r['key_id']}\t{r['role']}\t{scope or '全市'}\t{r.get('created', '')}")
    return 0


def register(sub: Any) -> None:
    """Add ``keys create|revoke|list``."""
    group = sub.add_parser("keys", help="HTTP 服务的访问密钥")
    cmds = group.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = cmds.add_parser("create", help="生成密钥（只显示一次）")
    create.add_argument("--role", required=True, choices=keys.ROLES)
    create.add_argument("--district", help="区（counselor、district）")
    create.add_argument("--township", help="乡镇（counselor）")
    create.add_argument("--partner", help="对接地区（partner），如 朝阳区")
    create.add_argument("--note", help="备注，如使用人或单位")
    add_json_flag(create)
    create.set_defaults(run=_create)
    rev = cmds.add_parser("revoke", help="吊销密钥")
    rev.add_argument("key_id", metavar="KEY_ID")
    add_json_flag(rev)
    rev.set_defaults(run=_revoke)
    lst = cmds.add_parser("list", help="列出密钥（不含密钥本身）")
    add_json_flag(lst)
    lst.set_defaults(run=_list)
