"""Real upload files for the service's tests: ``.xlsx`` bytes and CSV in UTF-8 or GBK."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from service.xlsx import rows_to_xlsx

AGREEMENT = {
    "output_district": "通州区",
    "partners": ["朝阳区"],
    "year": 2026,
    "employers": [{"name": "北京朝阳某物业管理有限公司", "code": "91110105MA01ABCD13"}],
    "plan_hires": 200,
    "status": "生效",
}


def xlsx_bytes(rows: Sequence[Mapping[str, str]]) -> bytes:
    """An .xlsx file whose header row is the keys of the first row."""
    headers = list(rows[0])
    return rows_to_xlsx(headers, [[r.get(h, "") for h in headers] for r in rows])


def csv_bytes(rows: Sequence[Mapping[str, str]], *, encoding: str = "utf-8-sig") -> bytes:
    """A CSV file in ``encoding`` (``gbk`` as Excel on a Chinese Windows writes it)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def directed_post(external_id: str = "CY-001", **over: str) -> dict[str, str]:
    """A directed-hiring row of 朝阳区's agreement employer."""
    row = {
        "岗位编号": external_id,
        "岗位名称": "物业保洁员包吃住",
        "岗位类型": "定向招聘",
        "用人单位": "北京朝阳某物业管理有限公司",
        "统一社会信用代码": "91110105MA01ABCD13",
        "工作区": "朝阳区",
        "工作乡镇(街道)": "",
        "招聘人数": "2",
        "最低年龄": "18",
        "最高年龄": "55",
        "技能要求": "保洁",
        "月薪下限": "4500",
        "月薪上限": "5500",
        "提供住宿": "是",
    }
    row.update(over)
    return row


def local_post(external_id: str = "TZ-001", **over: str) -> dict[str, str]:
    """An open post of 通州区's bureau in 永乐店镇."""
    row = {
        "岗位编号": external_id,
        "岗位名称": "扶贫车间包装工",
        "岗位类型": "扶贫车间",
        "用人单位": "北京永乐店某农产品加工厂",
        "统一社会信用代码": "",
        "工作区": "通州区",
        "工作乡镇(街道)": "永乐店镇",
        "招聘人数": "3",
        "最低年龄": "",
        "最高年龄": "",
        "技能要求": "包装",
        "月薪下限": "3500",
        "月薪上限": "4200",
        "提供住宿": "否",
    }
    row.update(over)
    return row


def roster_row(
    name: str,
    id_number: str,
    *,
    district: str = "通州区",
    township: str = "永乐店镇",
    **over: str,
) -> dict[str, str]:
    """A row of the verification record (核实记录表) for a person wanting work."""
    row = {
        "姓名": name,
        "公民身份号码": id_number,
        "户籍性质": "农业",
        "区": district,
        "乡镇(街道)": township,
        "村(社区)": "东张各庄村",
        "联系电话": "13912345678",
        "文化程度": "初中",
        "就业状况": "无业",
        "就业意愿": "有",
        "期望工种": "保洁、包装",
        "技能特长": "保洁",
        "可接受通勤(分钟)": "60",
    }
    row.update(over)
    return row
