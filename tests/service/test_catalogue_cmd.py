"""``renggang agreements|posts|employers`` against the real Redis, with real files."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import redis

from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import make_credit_code
from catalogue.models import make_post_id
from service.cli import main

CODE = make_credit_code(51)
HEADERS = [c.header for c in POST_COLUMNS]
TODAY = "2026-11-01"


@pytest.fixture
def env(cli_env: redis.Redis) -> redis.Redis:
    """The CLI's environment, pointing at the session's Redis."""
    return cli_env


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in argv else out


def agreement_file(tmp_path: Path, **over: object) -> Path:
    obj: dict[str, object] = {
        "output_district": "通州区",
        "partners": ["朝阳区", "北京经济技术开发区"],
        "year": 2026,
        "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
        "plan_hires": 200,
        "status": "生效",
    }
    obj.update(over)
    path = tmp_path / "协议.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def post_row(external_id: str, **over: str) -> dict[str, str]:
    row = {
        "岗位编号": external_id,
        "岗位名称": "普工坐班包吃住300预支",
        "岗位类型": "定向招聘",
        "用人单位": "北京朝阳某物业管理有限公司",
        "统一社会信用代码": CODE,
        "工作区": "朝阳区",
        "招聘人数": "2",
        "截止日期": "2026年12月31日",
    }
    row.update(over)
    return row


def gbk_csv(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_an_agreement_is_added_and_listed(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = run(capsys, "agreements", "add", str(agreement_file(tmp_path)), "--json")
    assert code == 0
    assert (out["added"], out["replaced"]) == (1, 0)
    code, out = run(capsys, "agreements", "list", "--json")
    [a] = out["agreements"]
    assert (a["output_district"], a["partners"]) == ("通州区", ["朝阳区", "北京经济技术开发区"])
    assert a["employers"] == [{"name": "北京朝阳某物业管理有限公司", "code": CODE}]


def test_an_agreement_may_be_given_inline(
    env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(
        {
            "output_district": "密云区",
            "partners": ["顺义区"],
            "year": 2026,
            "employers": [{"name": "北京顺义某食品有限公司", "code": CODE}],
        },
        ensure_ascii=False,
    )
    code, out = run(capsys, "agreements", "add", text, "--json")
    assert (code, out["added"]) == (0, 1)
    assert out["agreements"][0]["partners"] == ["顺义区"]


def test_a_wrong_agreement_is_refused_with_its_problems(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = agreement_file(tmp_path, output_district="海淀区")
    code, out = run(capsys, "agreements", "add", str(path), "--json")
    assert code == 1
    assert "不是八个劳动力输出区之一" in out["errors"][0]
    assert run(capsys, "agreements", "list", "--json")[1] == {"agreements": []}


def test_a_partner_uploads_lists_and_closes_its_posts(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "agreements", "add", str(agreement_file(tmp_path)))
    path = gbk_csv(tmp_path / "岗位.csv", [post_row("CY-1"), post_row("CY-2", 招聘人数="4")])
    argv = ("posts", "upload", str(path), "--as", "朝阳", "--today", TODAY, "--json")
    code, out = run(capsys, *argv)
    assert code == 0
    assert out == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "written": True,
        "errors": [],
        "refused": False,
        "dry_run": False,
    }
    assert run(capsys, *argv)[1]["unchanged"] == 2
    code, out = run(
        capsys,
        "posts",
        "list",
        "--kind",
        "定向招聘",
        "--district",
        "朝阳区",
        "--today",
        TODAY,
        "--json",
    )
    assert code == 0
    posts = {p["external_id"]: p for p in out["posts"]}
    one = posts["CY-1"]
    assert one["post_id"] == make_post_id("朝阳区", "CY-1")
    assert (one["uploader"], one["title"], one["kind"]) == (
        "朝阳区",
        "普工坐班包吃住300预支",
        "定向招聘",
    )
    assert (one["headcount"], one["places_left"], one["status"]) == (2, 2, "open")
    assert posts["CY-2"]["headcount"] == 4
    code, out = run(capsys, "posts", "close", one["post_id"], "--today", TODAY, "--json")
    assert (code, out["status"]) == (0, "closed")
    code, out = run(capsys, "posts", "close", "CY-2", "--as", "朝阳区", "--today", TODAY, "--json")
    assert (code, out["status"]) == (0, "closed")
    assert run(capsys, "posts", "list", "--kind", "扶贫车间", "--json")[1] == {"posts": []}


def test_an_upload_with_errors_exits_1_and_writes_nothing(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "agreements", "add", str(agreement_file(tmp_path)))
    rows = [post_row("CY-1"), post_row("CY-2", 岗位类型="公益性岗位", 面向乡镇="永乐店镇")]
    path = gbk_csv(tmp_path / "岗位.csv", rows)
    keys_before = sorted(env.keys("*"))
    code, out = run(
        capsys, "posts", "upload", str(path), "--as", "朝阳区", "--today", TODAY, "--json"
    )
    assert code == 1
    assert (out["created"], out["rejected"], out["written"]) == (0, 1, False)
    [error] = out["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, "岗位类型", "公益性岗位")
    assert sorted(env.keys("*")) == keys_before
    code, out = run(
        capsys,
        "posts",
        "upload",
        str(path),
        "--as",
        "朝阳区",
        "--today",
        TODAY,
        "--keep-valid",
        "--json",
    )
    assert (code, out["created"], out["rejected"]) == (0, 1, 1)


def test_a_dry_run_reports_and_writes_nothing(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "agreements", "add", str(agreement_file(tmp_path)))
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    book.active.append([post_row("CY-1").get(h) for h in HEADERS])
    path = tmp_path / "岗位.xlsx"
    book.save(path)
    version = env.get("rg:cat:version")
    code, out = run(
        capsys,
        "posts",
        "upload",
        str(path),
        "--as",
        "朝阳区",
        "--dry-run",
        "--today",
        TODAY,
        "--json",
    )
    assert (code, out["created"], out["dry_run"]) == (0, 1, True)
    assert env.get("rg:cat:version") == version
    assert env.hlen("rg:cat:posts") == 0


def test_usage_errors_exit_2(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["posts", "upload", str(tmp_path / "无此文件.csv"), "--as", "朝阳区"]) == 2
    path = gbk_csv(tmp_path / "a.csv", [post_row("CY-1")])
    assert main(["posts", "upload", str(path), "--as", "火星区"]) == 2
    assert "未知的区" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["posts", "upload", str(path)])
    assert caught.value.code == 2


def test_the_template_has_every_header(
    env: redis.Redis, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "岗位模板.xlsx"
    assert main(["posts", "template", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == HEADERS


def test_employers_are_boosted_suspended_and_restored(
    env: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(
        capsys, "employers", "boost", CODE, "--reason", "按时发薪", "--factor", "1.2", "--json"
    )
    assert (code, out["boost"], out["suspended"]) == (0, 1.2, False)
    code, out = run(capsys, "employers", "suspend", CODE.lower(), "--reason", "拖欠工资", "--json")
    assert (code, out["employer"], out["boost"], out["suspended"]) == (0, CODE, 1.2, True)
    code, out = run(capsys, "employers", "list", "--json")
    assert out["employers"] == [
        {"employer": CODE, "boost": 1.2, "suspended": True, "reason": "拖欠工资"}
    ]
    code, out = run(capsys, "employers", "restore", CODE, "--reason", "已整改", "--json")
    assert (code, out["suspended"]) == (0, False)
    assert run(capsys, "employers", "list", "--json")[1] == {"employers": []}
    wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    assert main(["employers", "suspend", wrong, "--reason", "x"]) == 2
