"""``renggang weights show|fit|reset``: the soft-signal weights in force, learned from outcomes.

``fit`` reads the outcomes counselors recorded (``service/outcomes.py``), fits the weights
(:mod:`evaluation.learn`) on every month but the last and tests them on it against the weights
in force; it adopts them (``service/learned_weights.py``) only when they rank the held-out
outcomes better. ``fit --simulated`` fits on simulated months of a synthetic world instead, to
try the method; it adopts those only with ``--adopt``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from service.cli.base import CliError, Context, add_json_flag, print_json
from service.learned_weights import clear_adopted, current_weights, load_adopted, save_adopted

_SOURCES = {
    "settings": "设置 RENGGANG_MATCH_WEIGHTS",
    "learned": "由记录的结果学习并采用",
    "hand": "人工设定（默认）",
}


def register(subparsers: Any) -> None:
    """Add the ``weights`` group."""
    parser = subparsers.add_parser("weights", help="推荐评分权重：查看、由结果学习、恢复默认")
    group = parser.add_subparsers(dest="weights_command", metavar="WEIGHTS")
    parser.set_defaults(run=_help(parser))

    show = group.add_parser("show", help="显示当前使用的权重及其来源")
    add_json_flag(show)
    show.set_defaults(run=run_show)

    fit = group.add_parser("fit", help="由记录的推荐结果学习权重，留出最近月份检验，更优才采用")
    fit.add_argument(
        "--simulated", action="store_true", help="改用模拟月份的结果（合成数据，试验用）"
    )
    fit.add_argument("--people", type=int, default=3000, help="模拟人数（默认 3000）")
    fit.add_argument("--months", type=int, default=3, help="模拟月数（默认 3）")
    fit.add_argument("--seed", type=int, default=20261101, help="模拟随机种子")
    fit.add_argument("--test-months", type=int, default=1, help="留出检验的最近月数（默认 1）")
    fit.add_argument(
        "--min-gain", type=float, default=0.005, help="采用所需的 AUC 最小提升（默认 0.005）"
    )
    fit.add_argument("--today", type=dt.date.fromisoformat, help="计算信号的日期（默认今天）")
    fit.add_argument("--dry-run", action="store_true", help="只报告，不采用")
    fit.add_argument("--adopt", action="store_true", help="模拟结果更优时也采用（仅 --simulated）")
    add_json_flag(fit)
    fit.set_defaults(run=run_fit)

    reset = group.add_parser("reset", help="删除已采用的学习权重，恢复人工设定的权重")
    add_json_flag(reset)
    reset.set_defaults(run=run_reset)


def _help(parser: argparse.ArgumentParser) -> Any:
    def run(ctx: Context, args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run


def _weights_dict(weights: Any) -> dict[str, float]:
    from evaluation.learn import SIGNALS

    w = weights.normalized()
    return {name: round(getattr(w, name), 4) for name in SIGNALS}


def run_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print the weights in force and where they come from."""
    weights, source = current_weights(ctx.redis, ctx.settings)
    record = load_adopted(ctx.redis, prefix=ctx.settings.key_prefix)
    payload: dict[str, Any] = {"source": source, "weights": _weights_dict(weights)}
    if record is not None:
        payload["adopted"] = record
    if args.json:
        print_json(payload)
        return 0
    print(f"当前权重来源：{_SOURCES[source]}")
    for name, value in payload["weights"].items():
        print(f"  {name:<10} {value:.4f}")
    if record is not None:
        print(
            f"已采用的学习权重：{record.get('fitted_on', '')} 由{record.get('data', '')}学习，"
            f"留出月份 AUC {record.get('auc_learned')}（原权重 {record.get('auc_hand')}）"
        )
        if source == "settings":
            print("注意：设置 RENGGANG_MATCH_WEIGHTS 优先于已采用的学习权重。")
    return 0


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else str(value)


def _store_records(ctx: Context) -> list[Any]:
    """Every outcome in the store's stream, oldest first, read a page at a time."""
    from evaluation.learn import OutcomeRecord

    out = []
    key = f"{ctx.settings.key_prefix}:outcomes"
    start = "-"
    while True:
        entries = ctx.redis.xrange(key, min=start, max="+", count=5000)
        if not entries:
            break
        for _, raw in entries:
            f = {_text(k): _text(v) for k, v in (raw or {}).items()}
            try:
                day = dt.date.fromisoformat(f["day"])
                out.append(OutcomeRecord(f["laborer_id"], f["post_id"], f["outcome"], day))
            except (KeyError, ValueError):
                continue  # an entry of another shape is not an outcome
        start = "(" + _text(entries[-1][0])  # exclusive: after the last entry read
    return out


def _sample_from_store(ctx: Context, today: dt.date) -> tuple[Any, dict[str, Any]]:
    from evaluation.learn import sample_from_records
    from service.catalogue_store import CatalogueStore
    from service.post_index import IndexCache
    from service.roster_store import RosterStore

    settings = ctx.settings
    records = _store_records(ctx)
    roster = RosterStore(ctx.redis, prefix=settings.key_prefix, secret=settings.resolved_secret())
    wanted = {r.laborer_id for r in records}
    laborers = {}
    for laborer_id in sorted(wanted):
        record = roster.get(laborer_id)
        if record is not None:
            laborers[laborer_id] = record.laborer
    index = IndexCache(CatalogueStore(ctx.redis, prefix=settings.key_prefix)).current(today)
    sample, skipped = sample_from_records(records, laborers, index)
    return sample, {"data": "记录的推荐结果", "records": len(records), "skipped": skipped}


def _sample_from_simulation(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    from evaluation.learn import sample_from_months
    from evaluation.policies import BatchPolicy, MonthIndex
    from evaluation.simulate import simulate_months
    from evaluation.synth import generate_world, parse_world

    if args.people < 1 or args.months < 2:
        raise CliError("模拟至少需要 1 人、2 个月（--people、--months），请重新指定。", status=2)
    raw = generate_world(seed=args.seed, people=args.people)
    world = parse_world(raw, secret="evaluation")
    indexes = MonthIndex(world.agreements)
    policy = BatchPolicy(world.agreements, indexes=indexes)
    results = simulate_months(
        world.laborers, world.posts, policy, start=raw.today, months=args.months, seed=args.seed
    )
    sample = sample_from_months(results, world.laborers, world.posts, indexes)
    return sample, {
        "data": f"模拟月份（种子 {args.seed}，{args.people} 人，{args.months} 个月）",
        "records": len(sample),
        "skipped": 0,
    }


def run_fit(ctx: Context, args: argparse.Namespace) -> int:
    """Fit the weights from outcomes and adopt them when they beat the weights in force."""
    from evaluation.learn import LearnError, fit_weights
    from service.deps import beijing_today

    if args.test_months < 1:
        raise CliError("--test-months 至少为 1，请重新指定。", status=2)
    today = args.today or beijing_today()
    if args.simulated:
        sample, origin = _sample_from_simulation(args)
    else:
        sample, origin = _sample_from_store(ctx, today)
    hand, source = current_weights(ctx.redis, ctx.settings)
    try:
        fit = fit_weights(sample, hand=hand, test_months=args.test_months, min_gain=args.min_gain)
    except LearnError as exc:
        raise CliError(
            "结果记录不足，无法学习权重：需要至少两个月、每部分至少 20 条"
            "且既有已面试/已录用又有本人婉拒的记录。请继续记录推荐结果后再试。"
            f"（{exc}）"
        ) from None
    record = {
        **fit.as_dict(),
        **origin,
        "compared_with": source,
        "fitted_on": today.isoformat(),
    }
    may_adopt = not args.dry_run and (not args.simulated or args.adopt)
    adopted = fit.adopted and may_adopt
    if adopted:
        save_adopted(ctx.redis, record, prefix=ctx.settings.key_prefix)
    payload = {**record, "written": adopted}
    if args.json:
        print_json(payload)
        return 0
    print(
        f"数据：{origin['data']}；训练 {fit.train_rows} 条（{'、'.join(fit.train_months)}），"
        f"留出检验 {fit.test_rows} 条（{'、'.join(fit.test_months)}）"
    )
    print(f"{'信号':<10} {'现用':>8} {'学习':>8}")
    for name, value in record["weights"].items():
        print(f"{name:<10} {record['hand'][name]:>8.4f} {value:>8.4f}")
    print(f"留出月份 AUC：现用 {fit.auc_hand:.4f}，学习 {fit.auc_learned:.4f}")
    if adopted:
        print("学习的权重更优，已采用（重启服务后生效）。")
    elif fit.adopted:
        print("学习的权重更优，但未采用（--dry-run，或模拟数据未加 --adopt）。")
    else:
        print(f"学习的权重未超过现用权重（至少提高 {fit.min_gain}），未采用。")
    return 0


def run_reset(ctx: Context, args: argparse.Namespace) -> int:
    """Remove the adopted weights: the service goes back to the hand weights."""
    removed = clear_adopted(ctx.redis, prefix=ctx.settings.key_prefix)
    if args.json:
        print_json({"removed": removed})
        return 0
    print("已删除学习权重，恢复人工设定的权重。" if removed else "没有已采用的学习权重。")
    return 0
