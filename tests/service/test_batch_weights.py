"""The monthly batch ranks with the weights in force (settings, else adopted, else hand) and
records which ones, on the real Redis."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import redis
from fastapi.testclient import TestClient

from features.eligibility import AgeLimits
from features.idcard import laborer_id, make_id_number
from features.laborer import Laborer
from features.tiers import load_tier_rules
from matcher.weights import DEFAULT_WEIGHTS, Weights
from service import keys
from service.app import create_app
from service.batch import WEIGHT_SOURCES, BatchRunner, PlanSettings
from service.catalogue_store import CatalogueStore
from service.cli import main
from service.cli.batch_cmd import run_month
from service.learned_weights import clear_adopted, save_adopted
from service.roster_store import RosterStore
from service.scheduler import tick
from service.settings import Settings
from tests.factories import SECRET, TODAY, birth_for_age, make_laborer
from tests.service.batch_world import load_district, upload_posts
from tests.service.people import run_batch

MONTH = "2026-11"
# All weight on the commute, none on skills or wishes: the nearest post comes first.
COMMUTE_ONLY = {
    "skill": 0.0,
    "desired": 0.0,
    "commute": 1.0,
    "kind": 0.0,
    "pay": 0.0,
    "freshness": 0.0,
    "boost": 0.0,
}


def _settings(settings: Settings, prefix: str, **over: object) -> Settings:
    return settings.model_copy(update={"key_prefix": prefix, "batch_chunk": 5, **over})


def _adopt(client: redis.Redis, prefix: str, weights: dict[str, float]) -> None:
    save_adopted(client, {"weights": weights, "source": "test", "actor": "test"}, prefix=prefix)


def _post(number: str, title: str, township: str) -> dict[str, str]:
    return {
        "岗位编号": number,
        "岗位名称": title,
        "岗位类型": "社会招聘",
        "用人单位": f"北京通州某公司{number}",
        "工作区": "通州区",
        "工作乡镇(街道)": township,
        "招聘人数": "5",
        "联系方式": "王经理 010-80000000",
        "月薪下限": "4500",
        "月薪上限": "5000",
    }


def _welder_and_two_posts(client: redis.Redis, prefix: str) -> Laborer:
    """A welder of 永乐店镇; a welding post two townships away and a cleaning post at home."""
    number = make_id_number("110112", birth_for_age(38), 777, male=True)
    welder = make_laborer(
        age=38,
        id_number=number,
        laborer_id=laborer_id(number, SECRET),  # the same person under every prefix
        township="永乐店镇",
        skills=("电焊",),
        desired_jobs=("电焊工",),
        max_commute_min=90,
    )
    RosterStore(client, prefix=prefix, secret=SECRET).import_laborers(
        [welder], day=TODAY, limits=AgeLimits(), rules=load_tier_rules()
    )
    upload_posts(
        client,
        [_post("FAR-WELD", "电焊工", "漷县镇"), _post("NEAR-CLEAN", "物业保洁员", "永乐店镇")],
        prefix=prefix,
    )
    return welder


def _first_push(client: redis.Redis, prefix: str, laborer_id: str) -> dict[str, object]:
    pushes = BatchRunner(client, prefix=prefix).ledger(MONTH)[laborer_id]
    first = min(pushes, key=lambda p: p["rank"])
    post = CatalogueStore(client, prefix=prefix).get(first["post_id"])
    assert post is not None
    return {"external_id": post.external_id, "score": first["score"]}


def test_adopted_weights_rank_the_nearest_post_first_and_the_summary_says_learned(
    settings: Settings, store: redis.Redis
) -> None:
    hand = _settings(settings, "wh")
    welder = _welder_and_two_posts(store, "wh")
    hand_status = run_month(store, hand, MONTH)
    assert hand_status["stats"]["weights_source"] == "hand"
    assert _first_push(store, "wh", welder.laborer_id)["external_id"] == "FAR-WELD"

    learned = _settings(settings, "wl")
    _welder_and_two_posts(store, "wl")
    _adopt(store, "wl", COMMUTE_ONLY)
    status = run_month(store, learned, MONTH)
    assert status["stats"]["weights_source"] == "learned"
    first = _first_push(store, "wl", welder.laborer_id)
    assert first["external_id"] == "NEAR-CLEAN"


def test_a_resumed_or_repeated_run_keeps_the_weights_the_plan_was_made_with(
    settings: Settings, store: redis.Redis
) -> None:
    s = _settings(settings, "wk")
    welder = _welder_and_two_posts(store, "wk")
    _adopt(store, "wk", COMMUTE_ONLY)
    first = run_month(store, s, MONTH)
    assert clear_adopted(store, prefix="wk")  # back to the hand weights after the month ran
    again = run_month(store, s, MONTH)
    assert again == first
    assert again["stats"]["weights_source"] == "learned"
    assert _first_push(store, "wk", welder.laborer_id)["external_id"] == "NEAR-CLEAN"


def test_the_settings_weights_win_over_adopted_ones(settings: Settings, store: redis.Redis) -> None:
    s = _settings(settings, "ws", match_weights=COMMUTE_ONLY)
    welder = _welder_and_two_posts(store, "ws")
    _adopt(store, "ws", {**COMMUTE_ONLY, "commute": 0.0, "skill": 1.0, "desired": 1.0})
    status = run_month(store, s, MONTH)
    assert status["stats"]["weights_source"] == "settings"
    assert _first_push(store, "ws", welder.laborer_id)["external_id"] == "NEAR-CLEAN"


def test_on_a_district_adopted_weights_change_the_rankings_and_hand_ones_do_not(
    settings: Settings, store: redis.Redis
) -> None:
    def first_pushes(prefix: str) -> dict[str, tuple[str, float]]:
        ledger = BatchRunner(store, prefix=prefix).ledger(MONTH)
        return {
            lid: next((p["post_id"], p["score"]) for p in pushes if p["rank"] == 1)
            for lid, pushes in ledger.items()
        }

    runs = {}
    for prefix, adopted in (("dh1", None), ("dh2", None), ("dl", COMMUTE_ONLY)):
        load_district(store, prefix=prefix, people=30, posts=12)
        if adopted is not None:
            _adopt(store, prefix, adopted)
        status = run_month(store, _settings(settings, prefix), MONTH)
        runs[prefix] = (status["stats"]["weights_source"], first_pushes(prefix))
    assert runs["dh1"][0] == runs["dh2"][0] == "hand"
    assert runs["dl"][0] == "learned"
    assert runs["dh1"][1] == runs["dh2"][1]  # the same world and weights: the same pushes
    hand, learned = runs["dh1"][1], runs["dl"][1]
    assert set(hand) == set(learned)
    assert any(hand[lid] != learned[lid] for lid in hand)


def test_plan_settings_take_the_weights_in_force(settings: Settings, store: redis.Redis) -> None:
    s = _settings(settings, "wp")
    plain = PlanSettings.from_settings(s, store)
    assert (plain.weights, plain.weights_source) == (DEFAULT_WEIGHTS, "hand")
    _adopt(store, "wp", COMMUTE_ONLY)
    adopted = PlanSettings.from_settings(s, store)
    assert (adopted.weights, adopted.weights_source) == (Weights(**COMMUTE_ONLY), "learned")
    assert PlanSettings.from_settings(s).weights_source == "hand"  # no Redis: nothing adopted
    overridden = _settings(settings, "wp", match_weights={"commute": 0.5})
    assert PlanSettings.from_settings(overridden, store).weights_source == "settings"
    assert PlanSettings.from_settings(overridden).weights == Weights(commute=0.5)


def test_plan_settings_refuse_a_source_that_would_misreport_the_weights() -> None:
    with pytest.raises(ValueError, match="weights_source"):
        PlanSettings(quotas={}, weights=Weights(**COMMUTE_ONLY))
    with pytest.raises(ValueError, match="weights_source"):
        PlanSettings(quotas={}, weights_source="guessed")
    custom = PlanSettings(quotas={}, weights=Weights(**COMMUTE_ONLY), weights_source="custom")
    assert custom.weights.commute == 1.0


def test_the_batch_cli_runs_with_adopted_weights_and_names_them_in_chinese(
    cli_env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    welder = _welder_and_two_posts(cli_env, "rg")
    _adopt(cli_env, "rg", COMMUTE_ONLY)
    assert main(["batch", "run", "--month", MONTH, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["weights_source"] == "learned"
    assert _first_push(cli_env, "rg", welder.laborer_id)["external_id"] == "NEAR-CLEAN"
    assert main(["batch", "status", "--month", MONTH]) == 0
    assert f"排序所用权重：{WEIGHT_SOURCES['learned']}" in capsys.readouterr().out


def test_a_batch_started_over_http_ranks_with_adopted_weights(
    client: TestClient, auth: dict[str, dict[str, str]], store: redis.Redis, settings: Settings
) -> None:
    welder = _welder_and_two_posts(store, settings.key_prefix)
    _adopt(store, settings.key_prefix, COMMUTE_ONLY)  # adopted after the app started
    status = run_batch(client, auth, MONTH)
    assert status["stats"]["weights_source"] == "learned"  # type: ignore[index]
    assert _first_push(store, settings.key_prefix, welder.laborer_id)["external_id"] == "NEAR-CLEAN"
    stats = client.get(f"/api/v1/batches/{MONTH}/stats", headers=auth["district"]).json()
    assert stats["stats"]["weights_source"] == "learned"


def test_the_batch_page_names_the_weights_the_month_was_ranked_with(
    settings: Settings, store: redis.Redis
) -> None:
    _welder_and_two_posts(store, settings.key_prefix)
    run_month(store, settings, MONTH)
    app = create_app(settings, today=lambda: TODAY, scheduler=False)
    with TestClient(app, base_url="https://testserver") as web:
        login = web.get("/login")
        token = keys.create_key(store, "district", district="通州区")
        csrf = re.search(r'name="csrf" value="([^"]+)"', login.text)
        assert csrf is not None
        web.post("/login", data={"api_key": token, "csrf": csrf.group(1)})
        page = web.get(f"/batches/{MONTH}")
        assert page.status_code == 200
        assert f"排序权重：{WEIGHT_SOURCES['hand']}" in page.text
        progress = web.get(f"/batches/{MONTH}/status.json").json()
        assert progress["weights"] == "hand"
        assert WEIGHT_SOURCES["hand"] in progress["text"]


def test_the_scheduled_batch_ranks_with_weights_adopted_after_the_service_started(
    settings: Settings, store: redis.Redis
) -> None:
    s = _settings(settings, "wt")
    welder = _welder_and_two_posts(store, "wt")
    _adopt(store, "wt", COMMUTE_ONLY)
    now = dt.datetime(2026, 11, 1, 2, 5, tzinfo=ZoneInfo(s.batch_timezone))
    assert tick(store, s, now=now) == MONTH
    status = BatchRunner(store, prefix="wt").status(MONTH)
    assert status["stats"]["weights_source"] == "learned"
    assert _first_push(store, "wt", welder.laborer_id)["external_id"] == "NEAR-CLEAN"
