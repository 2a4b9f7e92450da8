"""``renggang eval …``: offline measurements of the matching core.

A group of sub-commands; ``eval titles`` is the first. Other parts add theirs by calling
:func:`add_command` from their own module's ``register`` or by extending ``register`` here.
"""

from __future__ import annotations

import argparse
from typing import Any

from service.cli.base import CliError, Context, add_json_flag, print_json


def register(subparsers: Any) -> None:
    """Add the ``eval`` group and its sub-commands."""
    parser = subparsers.add_parser("eval", help="离线评估（标题归一化准确率等）")
    group = parser.add_subparsers(dest="eval_command", metavar="EVAL")
    parser.set_defaults(run=_run_help(parser))

    titles = group.add_parser(
        "titles", help="岗位名称→职业代码 的交叉验证准确率（细类、小类、大类）"
    )
    titles.add_argument("--folds", type=int, default=5, help="交叉验证折数（默认 5）")
    titles.add_argument("--seed", type=int, default=0, help="划分折的随机种子（默认 0）")
    add_json_flag(titles)
    titles.set_defaults(run=run_titles)


def _run_help(parser: argparse.ArgumentParser) -> Any:
    def run(ctx: Context, args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run


def run_titles(ctx: Context, args: argparse.Namespace) -> int:
    """Cross-validate title normalisation on the packaged titles file and print the accuracies."""
    from features.titles import load_title_rows, title_accuracy

    if args.folds < 2:
        raise CliError(f"折数至少为 2（--folds {args.folds}），请重新指定。", status=2)
    report = title_accuracy(load_title_rows(), folds=args.folds, seed=args.seed)
    if args.json:
        print_json(report)
        return 0
    print(
        f"岗位名称归一化（{report['folds']} 折交叉验证，每个标题只由未见过它的模型评分）"
        f"：评分 {report['scored']} 条，跳过无代码 {report['skipped']} 条"
    )
    for key, label in (("fine", "细类"), ("small", "小类"), ("major", "大类")):
        level = report[key]
        print(
            f"  {label}准确率 {level['accuracy']:.1%}（{level['correct']}/{level['total']}）"
            f"；仅计代码细到该级的标题 {level['strict_accuracy']:.1%}"
            f"（{level['strict_correct']}/{level['strict_total']}）"
        )
    return 0
