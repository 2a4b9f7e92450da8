"""``renggang roster …`` and ``renggang stats`` against the real Redis, through ``main``."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import redis
from openpyxl import load_workbook

from features.idcard import laborer_id
from service.cli import main
from tests.features.roster_rows import LI, ZHANG, row, three_people, write_csv, write_xlsx

PHONES = ("13800138000", "13900139000")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_import_json_reports_counts_and_exits_0(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "名册.csv", three_people(), encoding="gbk")
    status, out = run(capsys, "roster", "import", str(path), "--as-of", "2026-11-01", "--json")
    assert status == 0
    report = json.loads(out)
    assert {k: report[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert report["errors"] == []


def test_a_refused_import_exits_1_with_every_error_and_writes_nothing(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], store: redis.Redis
) -> None:
    rows = [*three_people(), row(性别="女", 姓名="张建国（性别错）")]
    path = write_xlsx(tmp_path / "名册.xlsx", rows)
    status, out = run(capsys, "roster", "import", str(path), "--json")
    assert status == 1
    report = json.loads(out)
    assert report["created"] == 0
    assert report["rejected"] == 1  # one row with two errors: the wrong sex, the same person twice
    assert {(e["row"], e["column"]) for e in report["errors"]} == {(5, "性别"), (5, "公民身份号码")}
    assert store.keys("rg:roster:*") == []
    status, out = run(capsys, "roster", "import", str(path), "--keep-valid")
    assert status == 0
    assert "新增 3 人" in out
    assert "第5行" in out


def test_usage_errors_exit_2(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["roster", "import", str(tmp_path / "x.csv"), "--as-of", "2026-13-01"])
    assert exc.value.code == 2
    assert main(["roster", "import", str(tmp_path / "missing.csv")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["roster", "tier", "abc"])
    assert exc.value.code == 2


def test_an_empty_file_is_refused(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "空.csv"
    path.write_bytes(b"")
    status, out = run(capsys, "roster", "import", str(path), "--json")
    assert status == 1
    assert "文件为空" in json.loads(out)["errors"][0]["message"]


def test_show_accepts_the_id_number_but_prints_it_masked(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "roster", "import", str(write_csv(tmp_path / "a.csv", three_people())))
    status, out = run(capsys, "roster", "show", ZHANG, "--json", "--as-of", "2026-11-01")
    assert status == 0
    assert ZHANG not in out
    assert not any(p in out for p in PHONES)
    profile = json.loads(out)
    assert profile["laborer_id"] == laborer_id(ZHANG, "test-secret")
    assert profile["id_number"] == ZHANG[:6] + "********" + ZHANG[-4:]
    assert profile["phone"] == "138****8000"
    assert profile["status"] == "待登记"
    assert profile["history"][0]["action"] == "import"
    status, out = run(capsys, "roster", "show", profile["laborer_id"])
    assert status == 0
    assert ZHANG not in out
    assert "帮扶级别" in out
    assert main(["roster", "show", "0123456789abcdef"]) == 1


def test_no_id_number_or_phone_reaches_the_log(
    cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    rows = [*three_people(), row(公民身份号码=LI[:17] + ("1" if LI[17] != "1" else "2"))]
    path = write_csv(tmp_path / "a.csv", rows)
    run(capsys, "roster", "import", str(path), "--keep-valid")
    run(capsys, "roster", "show", ZHANG)
    run(capsys, "roster", "status", ZHANG, "--status", "已就业", "--reason", "入职")
    assert caplog.records, "the import and the action are logged"
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (ZHANG, LI, *PHONES):
        assert secret not in text


def test_the_actions_change_the_person_and_keep_history(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "roster", "import", str(write_csv(tmp_path / "a.csv", three_people())))
    assert (
        run(capsys, "roster", "register", ZHANG, "--kind", "转移就业登记", "--certificate", "TZ-1")[
            0
        ]
        == 0
    )
    assert (
        run(capsys, "roster", "difficulty", ZHANG, "--confirm", "--reason", "大龄长期失业")[0] == 0
    )
    status, out = run(
        capsys, "roster", "tier", ZHANG, "--tier", "special", "--reason", "家庭变故", "--json"
    )
    assert status == 0
    assert json.loads(out)["tier"] == "special"
    assert run(capsys, "roster", "confirmation", LI)[0] == 0
    assert run(capsys, "roster", "confirmation", ZHANG)[0] == 1  # wants a job: nothing to collect
    assert run(capsys, "roster", "tier", ZHANG, "--tier", "key")[0] == 1  # no reason given
    status, out = run(capsys, "roster", "status", ZHANG, "--status", "已就业", "--json")
    profile = json.loads(out)
    assert (profile["employment"], profile["status"], profile["difficulty"]) == (
        "已就业",
        "已就业",
        True,
    )
    status, out = run(capsys, "roster", "show", ZHANG, "--json")
    actions = [e["action"] for e in json.loads(out)["history"]]
    assert actions == ["import", "registration", "difficulty_confirmed", "tier_override", "status"]


def test_template_has_the_chinese_headers_and_a_sheet_of_rules(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "模板.xlsx"
    assert main(["roster", "template", "--out", str(out)]) == 0
    book = load_workbook(out, read_only=True)
    first, notes = book.worksheets
    headers = [c.value for c in next(first.iter_rows(max_row=1))]
    assert headers[:3] == ["姓名", "公民身份号码", "性别"]
    assert "就业困难人员" in headers
    lines = {r[0]: r for r in notes.iter_rows(min_row=2, values_only=True)}
    assert lines["公民身份号码"][2] == "必填"
    assert "GB 11643" in lines["公民身份号码"][3]
    book.close()


def test_stats_prints_a_table_writes_xlsx_and_json(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        capsys,
        "roster",
        "import",
        str(write_csv(tmp_path / "a.csv", three_people())),
        "--as-of",
        "2026-11-01",
    )
    out_file = tmp_path / "统计.xlsx"
    status, out = run(capsys, "stats", "--xlsx", str(out_file), "--as-of", "2026-11-01")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split("\t")[:4] == ["区", "乡镇(街道)", "乡镇代码", "在册人数"]
    assert any(line.startswith("通州区\t永乐店镇") for line in lines)
    book = load_workbook(out_file, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert rows[-1][:4] == ("全市", "合计", None, 3)
    status, out = run(capsys, "stats", "--json", "--district", "通州", "--as-of", "2026-11-01")
    report = json.loads(out)
    town = report["rows"][0]
    assert (town["township"], town["on_roster"], town["no_wish"], town["to_register"]) == (
        "永乐店镇",
        2,
        1,
        1,
    )
