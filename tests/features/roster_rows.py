"""Roster rows with concrete Chinese values, and writers of real .csv (UTF-8, BOM, GBK) and .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook

from features.idcard import make_id_number

HEADERS = [
    "姓名",
    "公民身份号码",
    "性别",
    "户籍性质",
    "区",
    "乡镇(街道)",
    "村(社区)",
    "联系电话",
    "文化程度",
    "人员身份",
    "健康状况",
    "就业状况",
    "登记情况",
    "就业意愿",
    "期望工种",
    "技能特长",
    "职业资格证书",
    "可接受通勤(分钟)",
    "家庭情况",
    "失业时长(月)",
]

ZHANG = make_id_number("110112", dt.date(1978, 3, 9), 11, male=True)
LI = make_id_number("110112", dt.date(1985, 6, 20), 12, male=False)
WANG = make_id_number("110115", dt.date(1990, 12, 1), 13, male=True)


def row(**values: str) -> dict[str, str]:
    """A valid row of 张建国 of 永乐店镇, 通州区; keyword arguments are Chinese headers' keys."""
    base = {
        "姓名": "张建国",
        "公民身份号码": ZHANG,
        "性别": "男",
        "户籍性质": "农业",
        "区": "通州区",
        "乡镇(街道)": "永乐店镇",
        "村(社区)": "东张各庄村",
        "联系电话": "13800138000",
        "文化程度": "初中",
        "人员身份": "无",
        "健康状况": "健康",
        "就业状况": "无业",
        "登记情况": "未登记",
        "就业意愿": "有",
        "期望工种": "保洁、保安",
        "技能特长": "电焊",
        "职业资格证书": "",
        "可接受通勤(分钟)": "60",
        "家庭情况": "需照料老人",
        "失业时长(月)": "8",
    }
    base.update(values)
    return base


def three_people() -> list[dict[str, str]]:
    """张建国 (通州·永乐店镇), 李秀英 (通州·永乐店镇, 务农, no wish), 王强 (大兴·黄村镇)."""
    return [
        row(),
        row(
            姓名="李秀英",
            公民身份号码=LI,
            性别="女",
            就业状况="务农",
            就业意愿="无",
            联系电话="13900139000",
        ),
        row(
            姓名="王强",
            公民身份号码=WANG,
            区="大兴区",
            **{"乡镇(街道)": "黄村镇", "村(社区)": "三合庄村"},
            户籍性质="非农业",
        ),
    ]


def csv_bytes(
    rows: list[dict[str, str]], *, encoding: str = "utf-8", headers: list[str] | None = None
) -> bytes:
    """The rows as CSV text in ``encoding`` (utf-8, utf-8-sig, gbk)."""
    headers = headers or HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    encoding: str = "utf-8",
    headers: list[str] | None = None,
) -> Path:
    """Write a CSV file and return its path."""
    path.write_bytes(csv_bytes(rows, encoding=encoding, headers=headers))
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]], *, headers: list[str] | None = None) -> Path:
    """Write an .xlsx file with openpyxl (numbers left as text, as officials' files have them)."""
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    sheet.title = "核实记录表"
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h, "") for h in headers])
    book.save(path)
    return path
