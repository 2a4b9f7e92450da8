"""Policies side by side: deterministic runs, honest sums, the aims and the written report."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.baselines import baselines
from evaluation.compare import evaluate, run_policies
from evaluation.report import CHARTS, headline_table, write_report
from evaluation.synth import ParsedWorld, generate_world, parse_world
from tests.factories import TODAY


@pytest.fixture(scope="module")
def world() -> ParsedWorld:
    """A small synthetic world, parsed once."""
    return parse_world(generate_world(seed=12, people=300, today=TODAY), secret="s")


@pytest.mark.slow
def test_the_same_seed_gives_the_same_runs_and_sums_add_up(world: ParsedWorld) -> None:
    first = run_policies(baselines(seed=3), world, start=TODAY, months=2, seed=4)
    again = run_policies(baselines(seed=3), world, start=TODAY, months=2, seed=4)
    assert [r.headline() for r in first] == [r.headline() for r in again]
    assert [r.name for r in first] == ["random", "nearest", "uncapped", "batch"]
    for run in first:
        assert run.hires == sum(m.hires for m in run.metrics) == sum(r.hires for r in run.results)
        assert run.pushes == sum(len(m.pushes) for m in run.months)
        assert run.share_hired == pytest.approx(run.hires / run.seekers)
        assert run.compliance == min(m.compliance for m in run.metrics)
        assert run.first.congestion.per_place_p90 <= run.first.congestion.per_place_max
    # Every policy faced the same people in the first month.
    assert len({r.seekers for r in first}) == 1


@pytest.mark.slow
def test_evaluate_measures_the_aims_and_writes_a_report(tmp_path: Path) -> None:
    e = evaluate(seed=6, people=300, months=2, caps=(1.0,), learn=False)
    names = [r.name for r in e.runs]
    assert names == ["random", "nearest", "uncapped", "batch"]
    assert next(cap for cap, _ in e.sweep) == 1.0
    assert e.sweep[-1][1] is e.run("uncapped")
    aims = {a.name: a for a in e.aims()}
    batch, nearest = e.run("batch"), e.run("nearest")
    assert aims["hires vs nearest"].figure == pytest.approx(batch.hires / nearest.hires - 1)
    assert aims["hires vs nearest"].met == (batch.hires >= 1.2 * nearest.hires)
    p90 = batch.first.congestion.per_place_p90 / e.run("uncapped").first.congestion.per_place_p90
    assert aims["p90 pushes per place vs uncapped"].figure == pytest.approx(p90 - 1)
    assert aims["compliance outside the shortage list"].figure == 1.0
    table = headline_table(e)
    assert "full batch" in table
    assert "nearest first" in table
    assert table.count("\naim ") == len(aims)
    report = write_report(e, tmp_path / "report")
    text = report.read_text(encoding="utf-8")
    for chart in CHARTS:
        assert (tmp_path / "report" / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"({chart})" in text
    assert "| full batch |" in text
    assert "No fit: learning was not run." in text
