"""``renggang evaluate``: the batch against its baselines on a synthetic world, as a report.

Runs :func:`evaluation.compare.evaluate` (no store is touched), writes the Markdown report and
its charts (:func:`evaluation.report.write_report`) and prints the headline table.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from service.cli.base import CliError, Context, add_json_flag, print_json


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` command."""
    parser = subparsers.add_parser(
        "evaluate", help="在合成数据上模拟各推送策略，写出评估报告（Markdown 与图表）"
    )
    parser.add_argument("--people", type=int, default=3000, help="合成人数（默认 3000）")
    parser.add_argument("--months", type=int, default=3, help="模拟月数（默认 3）")
    parser.add_argument("--seed", type=int, default=20261101, help="随机种子（默认 20261101）")
    parser.add_argument(
        "--cap", type=float, default=3.0, help="每个剩余名额的推送上限倍数（默认 3）"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("evaluation-report"),
        help="报告目录（默认 evaluation-report）",
    )
    parser.add_argument("--no-learn", action="store_true", help="不学习权重（更快）")
    add_json_flag(parser)
    parser.set_defaults(run=run_evaluate)


def run_evaluate(ctx: Context, args: argparse.Namespace) -> int:
    """Simulate the policies, write the report, print the headline table."""
    from evaluation.compare import evaluate
    from evaluation.report import headline_table, write_report

    if args.people < 1 or args.months < 1 or args.cap <= 0:
        raise CliError("人数、月数须至少为 1，上限倍数须大于 0，请重新指定。", status=2)
    evaluation = evaluate(
        seed=args.seed,
        people=args.people,
        months=args.months,
        cap_multiple=args.cap,
        learn=not args.no_learn,
    )
    report = write_report(evaluation, args.out)
    if args.json:
        print_json(
            {
                "report": str(report),
                "policies": [run.headline() for run in evaluation.runs],
                "aims": [
                    {"aim": a.name, "figure": round(a.figure, 4), "target": a.target, "met": a.met}
                    for a in evaluation.aims()
                ],
            }
        )
        return 0
    print(headline_table(evaluation))
    print(f"report: {report}")
    return 0
