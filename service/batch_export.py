"""The month's pushes as a table a township office opens in Excel (DESIGN §4, the batch export).

Rows are sorted by township, laborer_id and rank, names are masked, and nothing in the file
depends on when it was written: the same month exported twice gives the same bytes (the
``.xlsx`` is re-zipped with fixed entry times and fixed document dates).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from features.laborer import TIER_NAMES
from service.batch import BatchRunner
from service.xlsx import rows_to_xlsx

HEADERS: tuple[str, ...] = (
    "乡镇(街道)",
    "村(社区)",
    "人员编号",
    "姓名",
    "帮扶级别",
    "就业困难人员",
    "岗位编号",
    "岗位名称",
    "用人单位",
    "岗位类型",
    "工作地点",
    "推荐分",
    "推荐理由",
)
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_W3CDTF = "2000-01-01T00:00:00Z"


def export_rows(runner: BatchRunner, month: str, *, township: str | None = None) -> list[list[Any]]:
    """The committed pushes of ``month`` (of one township, if given), one row per push."""
    ledger = runner.ledger(month)
    committed = {(lid, p["post_id"]) for lid, pushes in ledger.items() for p in pushes}
    records = [
        r
        for r in runner.planned_records(month)
        if (r["laborer_id"], r["post_id"]) in committed
        and (township is None or r["township"] == township)
    ]
    records.sort(key=lambda r: (r["township"], r["laborer_id"], r["rank"]))
    return [_row(r) for r in records]


def _row(record: Mapping[str, Any]) -> list[Any]:
    return [
        record["township"],
        record["village"],
        record["laborer_id"],
        record["name"],
        TIER_NAMES.get(record["tier"], record["tier"]),
        "是" if record["difficulty"] else "否",
        # 岗位编号 is the uploader's own number (DESIGN §4), which the township office can look up.
        record["external_id"],
        record["title"],
        record["employer"],
        record["kind"],
        record["place"],
        f"{float(record['score']):.4f}",
        "；".join(record["reasons"]),
    ]


def to_csv(rows: Iterable[list[Any]]) -> bytes:
    """UTF-8 with BOM (so Excel opens it), CRLF line ends, the headers first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[list[Any]], *, sheet: str = "推送清单") -> bytes:
    """One sheet, bold headers; byte-identical for identical rows."""
    return stable_xlsx(rows_to_xlsx(list(HEADERS), [list(r) for r in rows], sheet=sheet))


def stable_xlsx(data: bytes) -> bytes:
    """Re-zip an ``.xlsx`` with fixed entry times and fixed created/modified dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + _FIXED_W3CDTF.encode() + rb"\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()


def write_export(runner: BatchRunner, month: str, out: Path, *, township: str | None = None) -> int:
    """Write the export to ``out`` (.csv or .xlsx, by suffix); returns the number of rows."""
    rows = export_rows(runner, month, township=township)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        data = to_csv(rows)
    elif suffix == ".xlsx":
        data = to_xlsx(rows)
    else:
        raise ValueError(f"out must end in .csv or .xlsx, got {out.name}")
    out.write_bytes(data)
    return len(rows)


__all__ = ["HEADERS", "export_rows", "stable_xlsx", "to_csv", "to_xlsx", "write_export"]
