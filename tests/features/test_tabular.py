"""Reading spreadsheets: encodings, cells as text, header matching."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from features.tabular import Column, is_digits, map_headers, read_csv, read_xlsx


def test_only_ascii_digit_runs_count_as_digits() -> None:
    assert is_digits("2026")
    assert not is_digits("¹")
    assert not is_digits("①")
    assert not is_digits("")


def test_gbk_and_utf8_bom_csv_read_to_the_same_cells() -> None:
    text = "姓名,区\n张建国,通州区\n"
    assert read_csv(text.encode("gbk")) == read_csv(("\ufeff" + text).encode("utf-8"))
    assert read_csv(text.encode("gbk")).rows == [["张建国", "通州区"]]


def test_unknown_and_missing_headers_are_row_one_errors() -> None:
    columns = [Column("姓名", "name", required=True), Column("区", "district", required=True)]
    index, errors = map_headers(["name", "籍贯"], columns)
    assert index == {"name": 0}
    assert [(e.row, e.column) for e in errors] == [(1, "籍贯"), (1, "区")]


def test_xlsx_cells_of_every_type_read_as_text_and_text_rows_are_stripped(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "可接受通勤(分钟)", "失业时长(月)", "核实日期", "联系电话"])
    sheet.append([" 张建国 ", 60, 6.0, dt.datetime(2026, 11, 1), "13800138000"])
    sheet.append(["李秀英", "45 ", "", "2026-11-02", " 13900139000"])
    sheet.append([True, 1.5, None, dt.datetime(2026, 11, 1, 8, 30), 13700137000])
    path = tmp_path / "cells.xlsx"
    book.save(path)
    table = read_xlsx(path.read_bytes())
    assert table.rows == [
        ["张建国", "60", "6", "2026-11-01", "13800138000"],
        ["李秀英", "45", "", "2026-11-02", "13900139000"],
        ["是", "1.5", "", "2026-11-01 08:30:00", "13700137000"],
    ]
