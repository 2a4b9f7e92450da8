"""``renggang refer LABORER_ID|ID_NUMBER [--k 10] [--json]``: referrals for one person.

Prints the DESIGN §4 JSON with ``--json``: ``{"laborer_id", "referrals": [post + "score",
"reasons"], "excluded": {rule: count}, "near_misses": [...], "reason"}``. A person who gets no
referral (employed, unwilling, excluded, or nothing within the rules) gets an empty list and a
``reason``, exit 0. An unknown person exits 1 with a Chinese message.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from features.eligibility import AgeLimits
from features.idcard import IdNumberError, laborer_id, normalize_id_number, parse_id_number
from matcher.refer import ReferralResult, refer
from service.catalogue_store import CatalogueStore, post_json
from service.cli.base import CliError, Context, add_json_flag, print_json
from service.deps import beijing_today
from service.learned_weights import current_weights
from service.post_index import IndexCache

RULE_NAMES: dict[str, str] = {
    "closed": "已关闭、已招满或已过期",
    "suspended_employer": "用人单位暂停推荐",
    "reserved_public_welfare": "公益性岗位仅限本乡镇就业困难人员",
    "directed_pairing": "定向招聘不面向本区",
    "age": "年龄不符",
    "commute": "超出可接受通勤时间",
    "certificate": "缺少所需证书",
}


def resolve_laborer_id(query: str, secret: str) -> str:
    """The laborer_id for a laborer_id or an ID number (never echoing the ID number)."""
    text = query.strip()
    if len(text) == 18:
        try:
            parse_id_number(text)
        except IdNumberError:
            raise CliError("身份证号码校验不通过：请核对后重新输入", status=2) from None
        return laborer_id(normalize_id_number(text), secret)
    return text.lower()


def result_json(result: ReferralResult, catalogue: dict[str, Any]) -> dict[str, Any]:
    """The DESIGN §4 object of a referral result; ``catalogue`` maps post_id to post JSON."""
    return {
        "laborer_id": result.laborer_id,
        "referrals": [
            {**catalogue[r.post_id], "score": round(r.score, 4), "reasons": list(r.reasons)}
            for r in result.referrals
        ],
        "excluded": result.excluded,
        "near_misses": [
            {
                "post_id": n.post_id,
                "title": catalogue[n.post_id]["title"],
                "employer": catalogue[n.post_id]["employer"],
                "township": catalogue[n.post_id]["township"],
                "missing": n.missing,
                "training": n.training,
                "score": n.score,
            }
            for n in result.near_misses
        ],
        "reason": result.reason,
    }


def _refer(ctx: Context, args: argparse.Namespace) -> int:
    from service.roster_store import RosterStore

    if args.k < 1:
        raise CliError("--k 应为不小于 1 的整数", status=2)
    settings = ctx.settings
    roster = RosterStore(ctx.redis, prefix=settings.key_prefix, secret=settings.resolved_secret())
    wanted = resolve_laborer_id(args.person, settings.resolved_secret())
    record = roster.get(wanted)
    if record is None:
        raise CliError("花名册中没有此人：请核对人员编号或身份证号码，或先导入花名册")
    today = args.today or beijing_today()
    store = CatalogueStore(ctx.redis, prefix=settings.key_prefix)
    index = IndexCache(store).current(today)
    limits = AgeLimits(settings.min_age, settings.max_age_men, settings.max_age_women)
    result = refer(
        record.laborer,
        index,
        k=args.k,
        weights=current_weights(ctx.redis, settings)[0],
        today=today,
        limits=limits,
        tier=record.tier,
    )
    shown = {r.post_id for r in result.referrals} | {n.post_id for n in result.near_misses}
    posts = {pid: post_json(index.posts[index.row_of(pid)], today) for pid in shown}
    payload = result_json(result, posts)
    if args.json:
        print_json(payload)
        return 0
    _print_text(payload)
    return 0


def _print_text(payload: dict[str, Any]) -> None:
    print(f"人员编号 {payload['laborer_id']}")
    if payload["reason"]:
        print(f"暂无推荐岗位：{payload['reason']}")
    for i, r in enumerate(payload["referrals"], start=1):
        where = r["township"] or r["district"]
        print(f"{i:>2}. {r['title']}｜{r['employer']}｜{where}｜推荐分 {r['score']:.2f}")
        print(f"    {'；'.join(r['reasons'])}")
    excluded = {k: v for k, v in payload["excluded"].items() if v}
    if excluded:
        print("已排除：" + "，".join(f"{RULE_NAMES.get(k, k)} {v} 个" for k, v in excluded.items()))
    for n in payload["near_misses"]:
        place = n["township"] or "—"
        print(
            f"差一点：{n['title']}｜{n['employer']}｜{place}（缺少{n['missing']}）→ {n['training']}"
        )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，实际“{text}”") from None


def register(subparsers: Any) -> None:
    """Add ``refer``."""
    parser = subparsers.add_parser(
        "refer", help="为一名劳动者推荐岗位（人员编号或身份证号码）", description=__doc__
    )
    parser.add_argument("person", metavar="LABORER_ID|ID_NUMBER", help="人员编号或身份证号码")
    parser.add_argument("--k", type=int, default=10, help="推荐岗位数（默认 10）")
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="按某一天计算年龄与岗位状态（默认今天）",
    )
    add_json_flag(parser)
    parser.set_defaults(run=_refer)


__all__ = ["RULE_NAMES", "register", "resolve_laborer_id", "result_json"]
