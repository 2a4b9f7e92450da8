"""``renggang refer`` against the real Redis: roster and posts imported from real files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import redis

from features.idcard import laborer_id, make_id_number
from service.cli import main
from tests.service.uploads import csv_bytes, directed_post, local_post, roster_row, xlsx_bytes

TODAY = "2026-11-01"
CODE = "91110105MA01ABCD13"


@pytest.fixture
def env(cli_env: redis.Redis) -> redis.Redis:
    """The CLI's environment, pointing at the session's Redis."""
    return cli_env


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if "--json" in argv else captured.out + captured.err


def number(seq: int, *, born: dt.date, male: bool = True) -> str:
    return make_id_number("110112", born, seq, male=male)


@pytest.fixture
def world(env: redis.Redis, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    people = {
        "welder": number(1, born=dt.date(1980, 5, 1)),
        "woman51": number(2, born=dt.date(1975, 3, 1), male=False),
        "employed": number(3, born=dt.date(1985, 3, 1)),
        "zhaitang": number(4, born=dt.date(1978, 3, 1)),
    }
    rows = [
        roster_row("王铁柱", people["welder"], 技能特长="电气焊", 期望工种="焊工"),
        roster_row("李秀英", people["woman51"], 性别="女"),
        roster_row("赵大勇", people["employed"], 就业状况="已就业"),
        roster_row(
            "孙有福",
            people["zhaitang"],
            district="门头沟区",
            township="斋堂镇",
            **{"可接受通勤(分钟)": "30"},
        ),
    ]
    roster = tmp_path / "核实记录表.xlsx"
    roster.write_bytes(xlsx_bytes(rows))
    assert main(["roster", "import", str(roster), "--as-of", TODAY]) == 0
    agreement = tmp_path / "协议.json"
    agreement.write_text(
        json.dumps(
            {
                "output_district": "通州区",
                "partners": ["朝阳区"],
                "year": 2026,
                "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert main(["agreements", "add", str(agreement)]) == 0
    local = tmp_path / "通州岗位.csv"
    local.write_bytes(
        csv_bytes(
            [
                local_post("TZ-001", 证书要求=""),
                local_post(
                    "TZ-002", 岗位名称="电焊工", 技能要求="电焊", 岗位类型="社会招聘", 证书要求=""
                ),
                local_post(
                    "TZ-003",
                    岗位名称="管道焊工",
                    技能要求="电焊",
                    岗位类型="社会招聘",
                    证书要求="特种作业操作证",
                ),
            ],
            encoding="gbk",
        )
    )
    assert main(["posts", "upload", str(local), "--as", "通州区"]) == 0
    partner = tmp_path / "朝阳定向.csv"
    partner.write_bytes(csv_bytes([directed_post("CY-001", 统一社会信用代码=CODE)]))
    assert main(["posts", "upload", str(partner), "--as", "朝阳区"]) == 0
    capsys.readouterr()
    return people


def test_refer_prints_the_design_json_with_reasons_exclusions_and_near_misses(
    world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    lid = laborer_id(world["welder"], "test-secret")
    code, out = run(capsys, "refer", lid, "--today", TODAY, "--json")
    assert code == 0
    assert out["laborer_id"] == lid
    assert out["reason"] is None
    titles = [r["title"] for r in out["referrals"]]
    assert titles[0] == "电焊工"
    first = out["referrals"][0]
    assert {
        "post_id",
        "external_id",
        "uploader",
        "kind",
        "district",
        "places_left",
        "status",
    } <= set(first)
    assert 0.0 <= first["score"] <= 1.0
    assert "技能匹配：电焊" in first["reasons"]
    assert out["excluded"]["certificate"] == 1
    (miss,) = out["near_misses"]
    assert miss["title"] == "管道焊工"
    assert miss["missing"] == "特种作业操作证"
    assert miss["employer"]
    assert miss["township"]
    assert "培训" in miss["training"]
    assert "管道焊工" not in titles
    scores = [r["score"] for r in out["referrals"]]
    assert scores == sorted(scores, reverse=True)


def test_refer_takes_the_id_number_and_never_prints_it(
    world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "refer", world["welder"], "--today", TODAY, "--k", "1")
    assert code == 0
    assert world["welder"] not in out
    assert "电焊工" in out
    assert "推荐分" in out
    # a near miss names the post's employer and place, as a referral does
    (line,) = [x for x in out.splitlines() if x.startswith("差一点：")]
    assert line.startswith("差一点：管道焊工｜")
    assert "（缺少特种作业操作证）" in line


def test_people_who_get_nothing_get_an_empty_list_and_a_reason(
    world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for key, reason in (
        ("woman51", "超过劳动年龄"),
        ("employed", "已就业"),
        ("zhaitang", "通勤范围内无岗位"),
    ):
        code, out = run(capsys, "refer", world[key], "--today", TODAY, "--json")
        assert code == 0
        assert out["referrals"] == []
        assert out["reason"] == reason


def test_unknown_person_and_bad_arguments(
    world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "refer", "0123456789abcdef", "--today", TODAY)
    assert code == 1
    assert "花名册中没有此人" in out
    bad = world["welder"][:-1] + ("0" if world["welder"][-1] != "0" else "1")
    code, out = run(capsys, "refer", bad, "--today", TODAY)
    assert code == 2
    assert bad not in out
    code, out = run(capsys, "refer", world["welder"], "--k", "0")
    assert code == 2
