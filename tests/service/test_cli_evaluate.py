"""``renggang evaluate``: the policies on a small synthetic world, a report and the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis

from service.cli import main


@pytest.mark.slow
def test_evaluate_writes_the_report_and_prints_the_headline_table(
    cli_env: redis.Redis, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    argv = ["evaluate", "--people", "300", "--months", "2", "--seed", "7", "--out", str(out)]
    assert main([*argv, "--no-learn"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith("seed 7: 300 people")
    assert lines[1].split()[:3] == ["policy", "pushes", "hires"]
    assert [line.split("  ")[0] for line in lines[2:6]] == [
        "random eligible",
        "nearest first",
        "score, uncapped",
        "full batch",
    ]
    assert sum(line.startswith("aim ") for line in lines) == 5
    report = (out / "README.md").read_text(encoding="utf-8")
    assert "## Hires against congestion as the cap varies" in report
    assert (out / "tradeoff.png").stat().st_size > 0
    # Nothing was written to the store.
    assert cli_env.dbsize() == 0
    assert main([*argv, "--no-learn", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [p["policy"] for p in payload["policies"]] == ["random", "nearest", "uncapped", "batch"]
    assert {a["aim"] for a in payload["aims"]} >= {"hires vs nearest", "hires vs random"}


def test_evaluate_refuses_a_world_of_nobody(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "--people", "0"]) == 2
    assert "人数" in capsys.readouterr().err
