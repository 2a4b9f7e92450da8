from __future__ import annotations

import json

import pytest

from service.cli import build_parser, main


def test_eval_is_a_group_with_titles_as_a_command() -> None:
    args = build_parser().parse_args(["eval", "titles", "--folds", "3", "--json"])
    assert args.folds == 3
    assert args.json


def test_eval_titles_refuses_a_single_fold(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "titles", "--folds", "1"]) == 2
    assert "折数" in capsys.readouterr().err


@pytest.mark.slow
def test_eval_titles_prints_the_three_accuracies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "titles", "--folds", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folds"] == 2
    for level in ("fine", "small", "major"):
        assert 0 < report[level]["accuracy"] <= 1
        assert report[level]["total"] == report["scored"]
