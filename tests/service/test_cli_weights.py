"""``renggang weights show|fit|reset`` against the real Redis, on outcomes recorded there."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import redis

from service.catalogue_store import CatalogueStore
from service.cli import main
from service.learned_weights import current_weights, load_adopted
from service.outcomes import record_outcome
from service.roster_store import RosterStore
from service.settings import get_settings
from service.wiring import build_stores
from tests.factories import SECRET
from tests.service.batch_world import load_district


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    captured = capsys.readouterr()
    if "--json" in argv and code == 0:
        return code, json.loads(captured.out)
    return code, captured.out + captured.err


def record_two_months(client: redis.Redis) -> None:
    """Outcomes of October and November: a person takes up the posts of their own township
    (interviewed, and hired now and then), whatever the job, and declines the others."""
    ids = load_district(client, people=40, posts=12)
    roster = RosterStore(client, secret=SECRET)
    posts = sorted(CatalogueStore(client).all_posts(), key=lambda p: p.post_id)
    for month, day in enumerate((dt.date(2026, 10, 12), dt.date(2026, 11, 9))):
        for i, laborer_id in enumerate(ids):
            record = roster.get(laborer_id)
            assert record is not None
            home = record.laborer.township
            for j in range(5):
                post = posts[(i + j + 6 * month) % len(posts)]
                record_outcome(
                    client, laborer_id, post.post_id, "referred", reason="", actor="t", day=day
                )
                if post.township == home:
                    outcome = "hired" if (i + j) % 3 == 0 else "interviewed"
                else:
                    outcome = "declined"
                record_outcome(
                    client, laborer_id, post.post_id, outcome, reason="", actor="t", day=day
                )


def test_show_prints_the_hand_weights_when_nothing_was_adopted(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "weights", "show", "--json")
    assert code == 0
    assert out["source"] == "hand"
    assert out["weights"]["skill"] == 0.3
    code, text = run(capsys, "weights", "show")
    assert code == 0
    assert "人工设定" in text


def test_fit_adopts_weights_that_rank_the_held_out_month_better_and_reset_removes_them(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    record_two_months(cli_env)
    code, dry = run(capsys, "weights", "fit", "--today", "2026-11-20", "--dry-run", "--json")
    assert code == 0
    assert dry["written"] is False
    assert load_adopted(cli_env) is None
    code, fit = run(capsys, "weights", "fit", "--today", "2026-11-20", "--json")
    assert code == 0
    assert fit["train_months"] == ["2026-10"]
    assert fit["test_months"] == ["2026-11"]
    assert fit["train_rows"] == fit["test_rows"] == 200
    # Take-ups follow the commute, not the skills the hand weights favour: the fit leans on
    # it and ranks November better.
    assert fit["auc_learned"] > fit["auc_hand"] + fit["min_gain"]
    assert max(fit["weights"], key=fit["weights"].get) == "commute"
    assert fit["adopted"] is True
    assert fit["written"] is True
    code, shown = run(capsys, "weights", "show", "--json")
    assert shown["source"] == "learned"
    assert shown["weights"] == pytest.approx(fit["weights"], abs=1e-3)
    # The service's wiring picks the adopted weights up.
    weights = build_stores(cli_env, get_settings())["weights"]
    assert weights.desired == pytest.approx(fit["weights"]["desired"], abs=1e-3)
    assert current_weights(cli_env, get_settings())[1] == "learned"
    code, text = run(capsys, "weights", "show")
    assert "由记录的结果学习并采用" in text
    code, reset = run(capsys, "weights", "reset", "--json")
    assert code == 0
    assert reset == {"removed": True}
    assert run(capsys, "weights", "show", "--json")[1]["source"] == "hand"


def test_fit_refuses_in_chinese_when_there_are_too_few_outcomes(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(capsys, "weights", "fit", "--today", "2026-11-20")
    assert code == 1
    assert "结果记录不足" in text
    assert load_adopted(cli_env) is None


def test_settings_overrides_win_over_adopted_weights(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    record_two_months(cli_env)
    assert run(capsys, "weights", "fit", "--today", "2026-11-20", "--json")[1]["written"]
    monkeypatch.setenv("RENGGANG_MATCH_WEIGHTS", '{"commute": 0.9}')
    get_settings.cache_clear()
    _code, shown = run(capsys, "weights", "show", "--json")
    assert shown["source"] == "settings"
    assert "adopted" in shown
    get_settings.cache_clear()


@pytest.mark.slow
def test_fit_from_simulated_months_reports_without_adopting(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    code, fit = run(
        capsys, "weights", "fit", "--simulated", "--people", "600", "--months", "2", "--json"
    )
    assert code == 0
    assert fit["train_months"] == ["2026-11"]
    assert fit["test_months"] == ["2026-12"]
    assert fit["written"] is False
    assert load_adopted(cli_env) is None
