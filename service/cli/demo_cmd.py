"""``renggang demo``: a synthetic Beijing, loaded into the store, then served over HTTP.

The world comes from :func:`evaluation.synth.generate_world` (seeded). Its files are written to
``<data_dir>/demo/`` (roster.csv, posts-<uploader>.csv, agreements.json) and loaded through the
same functions as ``renggang agreements add``, ``renggang roster import`` and
``renggang posts upload``, so the demo exercises the real import paths. The world is generated
as of the first day of the current month, so running the demo again within the month loads the
same files and every import reports its rows unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis

from catalogue.agreements import parse_agreements
from evaluation.synth import generate_world, write_world
from features.gazetteer import load_gazetteer
from features.idcard import mask_name
from features.tiers import load_tier_rules
from service import keys
from service.catalogue_store import CatalogueStore
from service.cli.base import CliError, Context, add_json_flag, print_json
from service.roster_store import LaborerRecord, RosterStore, import_roster_file
from service.settings import Settings
from service.wiring import age_limits

DEMO_SEED = 20261101
DEMO_KEY_NOTE = "demo"


@dataclass
class DemoReport:
    """What the demo loaded, for printing as text or JSON."""

    folder: str
    day: dt.date  # the import date
    people: int
    seed: int
    agreements: dict[str, int]
    roster: dict[str, Any]
    posts: dict[str, dict[str, Any]]
    examples: list[dict[str, str]] = field(default_factory=list)
    demo_keys: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """One JSON object (no ID numbers or phones; keys only when just made)."""
        return {
            "folder": self.folder,
            "day": self.day.isoformat(),
            "people": self.people,
            "seed": self.seed,
            "agreements": self.agreements,
            "roster": self.roster,
            "posts": self.posts,
            "examples": self.examples,
            "keys": self.demo_keys,
        }


def _load_agreements(catalogue: CatalogueStore, text: str) -> dict[str, int]:
    """File the agreements that are new or changed; count the ones already on file as is."""
    agreements = parse_agreements(json.loads(text), gazetteer=load_gazetteer())
    known = {a.agreement_id: a for a in catalogue.agreements()}
    changed = [a for a in agreements if known.get(a.agreement_id) != a]
    added, replaced = catalogue.add_agreements(changed)
    return {"added": added, "replaced": replaced, "unchanged": len(agreements) - len(changed)}


def _examples(store: RosterStore, settings: Settings, today: dt.date) -> list[dict[str, str]]:
    """A few people worth looking at: seekers of each tier, a difficulty person, an excluded one."""
    from features.eligibility import no_push_reason

    limits = age_limits(settings)
    wanted: list[tuple[str, Callable[[LaborerRecord, str | None], bool]]] = [
        ("一般帮扶，需要推送", lambda r, why: why is None and r.tier == "general"),
        ("重点帮扶", lambda r, why: why is None and r.tier == "key"),
        ("特殊帮扶", lambda r, why: why is None and r.tier == "special"),
        ("就业困难人员（可安置公益性岗位）", lambda r, why: why is None and r.laborer.difficulty),
        ("不推送：已就业", lambda r, why: why == "已就业"),
        ("不推送：超过劳动年龄", lambda r, why: why == "超过劳动年龄"),
    ]
    records = sorted(store.load_all(), key=lambda r: r.laborer.laborer_id)
    out: list[dict[str, str]] = []
    for label, test in wanted:
        for record in records:
            why = no_push_reason(record.laborer, today, limits)
            if test(record, why) and all(e["laborer_id"] != record.laborer.laborer_id for e in out):
                p = record.laborer
                out.append(
                    {
                        "what": label,
                        "laborer_id": p.laborer_id,
                        "name": mask_name(p.name),
                        "district": p.district,
                        "township": p.township,
                        "tier": record.tier,
                    }
                )
                break
    return out


def _demo_keys(
    client: redis.Redis, settings: Settings, township: tuple[str, str]
) -> dict[str, str]:
    """Fresh demo keys (a counselor, a district bureau, the city); earlier demo keys revoked."""
    prefix = settings.key_prefix
    for row in keys.list_keys(client, prefix=prefix):
        if row.get("note") == DEMO_KEY_NOTE:
            keys.revoke(client, row["key_id"], prefix=prefix)
    district, town = township
    return {
        f"counselor {district}{town}": keys.create_key(
            client,
            "counselor",
            district=district,
            township=town,
            prefix=prefix,
            note=DEMO_KEY_NOTE,
        ),
        f"district {district}": keys.create_key(
            client, "district", district=district, prefix=prefix, note=DEMO_KEY_NOTE
        ),
        "city": keys.create_key(client, "city", prefix=prefix, note=DEMO_KEY_NOTE),
    }


def load_demo(
    client: redis.Redis,
    settings: Settings,
    *,
    people: int = 3000,
    seed: int = DEMO_SEED,
    today: dt.date | None = None,
    make_keys: bool = True,
) -> DemoReport:
    """Generate the demo world into ``<data_dir>/demo/`` and load it into the store."""
    day = today or dt.date.today()
    world = generate_world(seed=seed, people=people, year=day.year, today=day.replace(day=1))
    folder = settings.data_dir / "demo"
    files = write_world(world, folder)
    gazetteer = load_gazetteer()
    prefix = settings.key_prefix
    catalogue = CatalogueStore(client, prefix=prefix)
    agreements = _load_agreements(catalogue, files["agreements"].read_text(encoding="utf-8"))

    roster = RosterStore(client, prefix=prefix, secret=settings.resolved_secret())
    outcome = import_roster_file(
        roster,
        files["roster"].read_bytes(),
        files["roster"].name,
        as_of=day,
        limits=age_limits(settings),
        rules=load_tier_rules(settings.tier_rules),
        gazetteer=gazetteer,
    )
    if not outcome.written:
        raise CliError(f"演示名册导入失败：{outcome.errors[:3]}")
    posts: dict[str, dict[str, Any]] = {}
    for uploader in world.post_rows:
        path = files[uploader]
        report = catalogue.upload_file(
            path.read_bytes(), path.name, uploader=uploader, today=day, gazetteer=gazetteer
        )
        if report.refused:
            raise CliError(f"演示岗位上传失败（{uploader}）：{list(report.errors[:3])}")
        posts[uploader] = report.as_dict()
    examples = _examples(roster, settings, day)
    demo_keys: dict[str, str] = {}
    if make_keys and examples:
        demo_keys = _demo_keys(client, settings, (examples[0]["district"], examples[0]["township"]))
    roster_json = outcome.as_json()
    roster_json.pop("errors", None)
    return DemoReport(
        folder=str(folder),
        day=day,
        people=people,
        seed=seed,
        agreements=agreements,
        roster=roster_json,
        posts=posts,
        examples=examples,
        demo_keys=demo_keys,
    )


def _totals(posts: dict[str, dict[str, Any]]) -> dict[str, int]:
    names = ("created", "updated", "unchanged", "rejected")
    return {n: sum(int(r.get(n, 0)) for r in posts.values()) for n in names}


def _commands() -> set[str]:
    """The top-level commands this installation has (groups not written yet are absent)."""
    from service.cli import build_parser

    parser = build_parser()
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def print_report(report: DemoReport, *, host: str, port: int, serving: bool) -> None:
    """The report as text, in Chinese, with example ids and commands to try."""
    w = sys.stdout.write
    r = report.roster
    t = _totals(report.posts)
    a = report.agreements
    w(f"演示数据已生成：{report.folder}（{report.people} 人，随机种子 {report.seed}）\n")
    w(
        f"对接协议：新增 {a['added']}，更新 {a['replaced']}，未变 {a['unchanged']}\n"
        f"名册：新增 {r['created']}，更新 {r['updated']}，未变 {r['unchanged']}，"
        f"拒绝 {r['rejected']}\n"
        f"岗位（{len(report.posts)} 个上传方）：新增 {t['created']}，更新 {t['updated']}，"
        f"未变 {t['unchanged']}，拒绝 {t['rejected']}\n"
    )
    flagged = r.get("flagged") or {}
    if flagged:
        w("不推送的人员：" + "，".join(f"{k} {v}" for k, v in flagged.items()) + "\n")
    if report.examples:
        w("\n示例人员：\n")
        for e in report.examples:
            w(
                f"  {e['laborer_id']}  {e['name']}  {e['district']}{e['township']}  "
                f"[{e['tier']}] {e['what']}\n"
            )
        first = report.examples[0]["laborer_id"]
        month = report.day.strftime("%Y-%m")
        w("\n可以试试：\n")
        installed = _commands()
        for command in (
            f"renggang roster show {first}",
            f"renggang refer {first}",
            "renggang posts list",
            f"renggang batch run --month {month}",
            "renggang stats",
        ):
            if command.split()[1] in installed:
                w(f"  {command}\n")
    if report.demo_keys:
        w("\n演示用访问密钥（只显示这一次；再次运行 demo 会作废并重新生成）：\n")
        for who, token in report.demo_keys.items():
            w(f"  {who}: {token}\n")
    if serving:
        w(f"\n服务地址：http://{host}:{port}  （按 Ctrl+C 停止）\n")
    sys.stdout.flush()


def _run(ctx: Context, args: argparse.Namespace) -> int:
    if args.people < 1:
        raise CliError("--people 应为正整数", status=2)
    report = load_demo(
        ctx.redis,
        ctx.settings,
        people=args.people,
        seed=args.seed,
        today=args.today,
        make_keys=not args.no_keys,
    )
    host = ctx.settings.host
    port = args.port or ctx.settings.port
    if args.json:
        print_json(report.as_json())
    else:
        print_report(report, host=host, port=port, serving=not args.no_serve)
    if not args.no_serve:
        from service.cli.serve_cmd import serve

        serve(ctx.settings, host, port)
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，实际“{text}”") from None


def register(sub: Any) -> None:
    """Add ``demo``."""
    p = sub.add_parser(
        "demo",
        help="生成演示数据（模拟的北京远郊区）、导入并启动服务",
        description=__doc__,
    )
    p.add_argument("--people", type=int, default=3000, help="演示名册人数（默认 3000）")
    p.add_argument("--seed", type=int, default=DEMO_SEED, help="随机种子（同一种子生成同样的数据）")
    p.add_argument("--no-serve", action="store_true", help="只生成并导入，不启动服务")
    p.add_argument("--no-keys", action="store_true", help="不生成演示用访问密钥")
    p.add_argument("--port", type=int, default=None, help="服务端口（默认 8000）")
    p.add_argument(
        "--today", type=_date, default=None, metavar="YYYY-MM-DD", help="按某一天导入（默认今天）"
    )
    add_json_flag(p)
    p.set_defaults(run=_run)
